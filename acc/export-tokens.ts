// Tokenizes the shipped corpus with the kit's tokenizer and writes the token ids as little-endian
// uint16 files for the stand-in training recipe (acc/recipe/train_standin.py), so that training and
// the kit's evaluation see exactly the same tokens.
//
//   node dist/acc/export-tokens.js [out-dir]      (default: .gpu/tokens)

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { HELD_OUT_FROM_CHAPTER, HELD_OUT_FROM_SOTU_YEAR, shippedCorpusTokens } from "./corpus";
import { CheckpointTokenizer, LLAMA2_TOKENIZER_DIR } from "./tokenizer";
import { unigramBaseline } from "./unigram-baseline";

export interface ExportedTokens {
  files: { training: string; heldOut: string; meta: string };
  trainingTokens: number;
  heldOutTokens: number;
  unigramPerplexity: number;
}

function toUint16(tokens: Uint32Array): Uint16Array {
  const out = new Uint16Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] > 0xffff) throw new Error(`token id ${tokens[i]} does not fit in uint16`);
    out[i] = tokens[i];
  }
  return out;
}

export function exportShippedCorpusTokens(outDir: string): ExportedTokens {
  const tokenizer = CheckpointTokenizer.llama2();
  const training = shippedCorpusTokens(tokenizer, "training");
  const heldOut = shippedCorpusTokens(tokenizer, "heldOut");
  const baseline = unigramBaseline(training, heldOut, tokenizer.vocabSize);
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    training: path.join(outDir, "training.u16"),
    heldOut: path.join(outDir, "heldout.u16"),
    meta: path.join(outDir, "meta.json"),
  };
  // Uint16Array bytes are little-endian on every host Node supports here (checked in safetensors.ts).
  fs.writeFileSync(files.training, toUint16(training));
  fs.writeFileSync(files.heldOut, toUint16(heldOut));
  const tokenizerSha256 = crypto.createHash("sha256").update(fs.readFileSync(path.join(LLAMA2_TOKENIZER_DIR, "tokenizer.json"))).digest("hex");
  const meta = {
    format: "little-endian uint16 token ids, one BOS (id 1) in front of every paragraph",
    tokenizer: "data/tokenizers/llama2/tokenizer.json",
    tokenizerSha256,
    vocabSize: tokenizer.vocabSize,
    split: {
      training: `SOTU speeches before ${HELD_OUT_FROM_SOTU_YEAR}; Moby-Dick chapters 1-${HELD_OUT_FROM_CHAPTER - 1}`,
      heldOut: `SOTU speeches ${HELD_OUT_FROM_SOTU_YEAR} on; Moby-Dick chapters ${HELD_OUT_FROM_CHAPTER}-135 and the epilogue`,
    },
    trainingTokens: training.length,
    heldOutTokens: heldOut.length,
    unigram: baseline,
  };
  fs.writeFileSync(files.meta, JSON.stringify(meta, null, 2) + "\n");
  return { files, trainingTokens: training.length, heldOutTokens: heldOut.length, unigramPerplexity: baseline.perplexity };
}

if (require.main === module) {
  const outDir = process.argv[2] ?? path.join(".gpu", "tokens");
  const r = exportShippedCorpusTokens(outDir);
  console.log(JSON.stringify(r, null, 2));
}
