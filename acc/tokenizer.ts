import * as fs from "node:fs";
import * as path from "node:path";
import type { Tokenizer } from "@huggingface/tokenizers" with { "resolution-mode": "import" };

// The package is ESM-first but also ships a CommonJS build, which `require` picks through its
// "exports" map; this keeps tokenizer loading synchronous in the kit's CommonJS output.
const { Tokenizer: TokenizerClass } = require("@huggingface/tokenizers") as {
  Tokenizer: new (tokenizerJson: object, tokenizerConfig: object) => Tokenizer;
};

/** LLaMa-2's tokenizer as shipped with the kit (see data/tokenizers/llama2/README.md for provenance). */
export const LLAMA2_TOKENIZER_DIR = path.resolve(__dirname, "..", "..", "data", "tokenizers", "llama2");

export interface EncodeOptions {
  /** Prepend the beginning-of-sequence token, as LLaMa's tokenizer does by default. */
  bos?: boolean;
}

/**
 * A checkpoint's `tokenizer.json` read through `@huggingface/tokenizers`. BOS is added by this
 * wrapper rather than by the tokenizer's post-processor, so that the same code works for
 * tokenizer.json files that lack a TemplateProcessing post-processor.
 */
export class CheckpointTokenizer {
  readonly bosId: number;
  readonly eosId: number | undefined;
  readonly vocabSize: number;

  /** Whether encode() splits the normalized text at word boundaries before BPE (see below). */
  readonly splitsWords: boolean;

  private constructor(private readonly inner: Tokenizer, readonly source: string, tokenizerJson: object) {
    const bos = inner.token_to_id("<s>");
    if (bos === undefined) {
      throw new Error(`tokenizer ${source}: no "<s>" (BOS) token in its vocabulary`);
    }
    this.bosId = bos;
    this.eosId = inner.token_to_id("</s>");
    this.vocabSize = inner.get_vocab(true).size;
    this.splitsWords = installWordSplit(inner, tokenizerJson);
  }

  /** Reads `tokenizer.json` (and `tokenizer_config.json` if present) from a directory. */
  static fromDirectory(dir: string): CheckpointTokenizer {
    const jsonPath = path.join(dir, "tokenizer.json");
    if (!fs.existsSync(jsonPath)) {
      const hasModel = fs.existsSync(path.join(dir, "tokenizer.model"));
      throw new Error(
        `no tokenizer.json in ${dir}` +
          (hasModel ? " (only a SentencePiece tokenizer.model; convert it to tokenizer.json with Hugging Face's converter)" : ""),
      );
    }
    const tokenizerJson = readJsonFile(jsonPath);
    const configPath = path.join(dir, "tokenizer_config.json");
    const tokenizerConfig = fs.existsSync(configPath) ? readJsonFile(configPath) : {};
    let inner: Tokenizer;
    try {
      inner = new TokenizerClass(tokenizerJson, tokenizerConfig);
    } catch (e) {
      throw new Error(`cannot build a tokenizer from ${jsonPath}: ${(e as Error).message}`);
    }
    return new CheckpointTokenizer(inner, jsonPath, tokenizerJson);
  }

  static llama2(): CheckpointTokenizer {
    return CheckpointTokenizer.fromDirectory(LLAMA2_TOKENIZER_DIR);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids = this.inner.encode(text, { add_special_tokens: false }).ids;
    return options.bos ? [this.bosId, ...ids] : ids;
  }

  decode(ids: ArrayLike<number>): string {
    return this.inner.decode(Array.from(ids), { skip_special_tokens: true });
  }
}

function readJsonFile(file: string): object {
  const text = fs.readFileSync(file, "utf8");
  try {
    return JSON.parse(text) as object;
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

const WORD_MARK = "\u2581";

function hasInteriorWordMark(piece: string): boolean {
  for (let i = 1; i < piece.length; i++) if (piece[i] === WORD_MARK && piece[i - 1] !== WORD_MARK) return true;
  return false;
}

/**
 * LLaMa-2's tokenizer.json has no pre-tokenizer, so the library runs BPE over a whole paragraph as
 * one word: about 10 us per character, and no reuse of its per-word cache. When no merge can
 * produce a piece with "▁" after another character, BPE never merges across the point before a
 * "▁" that follows a non-"▁" character, and merges on either side do not interact; splitting
 * there first gives exactly the same pieces, and each word hits the cache. The checks below make
 * this hold by construction; otherwise the tokenizer is left as it is.
 */
function installWordSplit(inner: Tokenizer, tokenizerJson: object): boolean {
  const json = tokenizerJson as { pre_tokenizer?: unknown; model?: { type?: unknown; vocab?: unknown; merges?: unknown } };
  if (json.pre_tokenizer !== null || json.model?.type !== "BPE" || inner.pre_tokenizer !== null) return false;
  const vocab = json.model.vocab;
  const merges = json.model.merges;
  if (vocab === null || typeof vocab !== "object" || !Array.isArray(merges)) return false;
  if (Object.keys(vocab).some(hasInteriorWordMark)) return false;
  for (const m of merges as unknown[]) {
    const pair = typeof m === "string" ? m.split(" ", 2) : (m as string[]);
    if (hasInteriorWordMark(pair.join(""))) return false;
  }
  const splitWords = (text: string): string[] => text.split(/(?<=[^\u2581])(?=\u2581)/u);
  (inner as unknown as { pre_tokenizer: unknown }).pre_tokenizer = splitWords;
  return true;
}
