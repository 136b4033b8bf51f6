import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LlamaCheckpoint, loadLlamaModel } from "../acc/checkpoint";
import { shippedCorpusTokens, tokenWindows } from "../acc/corpus";
import { summarizeWindowLosses } from "../acc/metrics";
import { referenceWindowLosses } from "../acc/reference-forward";
import { CheckpointTokenizer } from "../acc/tokenizer";
import { unigramBaseline } from "../acc/unigram-baseline";

const STANDIN_DIR = path.resolve(__dirname, "..", "..", "data", "models", "standin");

interface RecipeLosses {
  split: string;
  seq_len: number;
  windows: number[][];
  losses: number[];
}

interface TrainingReport {
  training_tokens: number;
  held_out_tokens: number;
  unigram_perplexity_add_one: number;
}

function readJson<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(STANDIN_DIR, name), "utf8")) as T;
}

test("stand-in: a LLaMA checkpoint in Hugging Face format, fp16, within the size budget", () => {
  const ckpt = LlamaCheckpoint.open(STANDIN_DIR);
  try {
    assert.equal(ckpt.config.tieWordEmbeddings, true);
    assert.ok(!ckpt.tensorNames().includes("lm_head.weight"));
    assert.equal(ckpt.config.vocabSize, 32000);
    assert.ok(fs.statSync(path.join(STANDIN_DIR, "model.safetensors")).size <= 20 * 1024 * 1024);
  } finally {
    ckpt.close();
  }
  // Its tokenizer is LLaMa-2's.
  const tok = CheckpointTokenizer.fromDirectory(STANDIN_DIR);
  assert.deepEqual(tok.encode("Hello world, the whale.", { bos: true }), [1, 15043, 3186, 29892, 278, 377, 744, 29889]);
});

test("stand-in: the TS float reference reproduces the recipe's held-out window losses within 1e-3", () => {
  const recipe = readJson<RecipeLosses>("reference_losses.json");
  assert.equal(recipe.split, "heldOut");
  const tokenizer = CheckpointTokenizer.fromDirectory(STANDIN_DIR);
  const windows = tokenWindows(shippedCorpusTokens(tokenizer, "heldOut"), recipe.seq_len, recipe.windows.length);
  // Same tokens: the kit's corpus pipeline still produces what the recipe evaluated.
  assert.deepEqual(windows.map((w) => Array.from(w)), recipe.windows);

  const model = loadLlamaModel(STANDIN_DIR);
  const losses = referenceWindowLosses(model, windows);
  losses.forEach((l, i) => {
    const rel = Math.abs(l - recipe.losses[i]) / recipe.losses[i];
    assert.ok(rel < 1e-3, `window ${i}: TS ${l} vs recipe ${recipe.losses[i]} (relative ${rel})`);
  });

  // Far better than predicting from token frequencies alone, and than uniform guessing.
  const summary = summarizeWindowLosses(losses);
  const report = readJson<TrainingReport>("training_report.json");
  assert.ok(summary.perplexityOfMeanLoss < report.unigram_perplexity_add_one / 5, `stand-in ${summary.perplexityOfMeanLoss} vs unigram ${report.unigram_perplexity_add_one}`);
  assert.ok(summary.perplexityOfMeanLoss < model.config.vocabSize / 50);
});

test("stand-in: it was trained on the kit's current training split (token counts and unigram baseline agree)", () => {
  const report = readJson<TrainingReport>("training_report.json");
  const tokenizer = CheckpointTokenizer.fromDirectory(STANDIN_DIR);
  const training = shippedCorpusTokens(tokenizer, "training");
  const heldOut = shippedCorpusTokens(tokenizer, "heldOut");
  assert.equal(training.length, report.training_tokens);
  assert.equal(heldOut.length, report.held_out_tokens);
  // The recipe's numpy unigram and the kit's TS unigram see the same tokens and formula.
  const baseline = unigramBaseline(training, heldOut, tokenizer.vocabSize);
  assert.ok(Math.abs(baseline.perplexity - report.unigram_perplexity_add_one) / baseline.perplexity < 1e-9);
});
