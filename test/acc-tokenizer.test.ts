import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { shippedCorpusDocuments } from "../acc/corpus";
import { CheckpointTokenizer, LLAMA2_TOKENIZER_DIR } from "../acc/tokenizer";

// The tokenizer library as published, with no word split installed: the reference for encode().
const { Tokenizer } = require("@huggingface/tokenizers") as {
  Tokenizer: new (json: object, config: object) => { encode(text: string, o: { add_special_tokens: boolean }): { ids: number[] } };
};

function readJson(file: string): object {
  return JSON.parse(fs.readFileSync(file, "utf8")) as object;
}

const llama2 = CheckpointTokenizer.llama2();

test("LLaMa-2 tokenizer: BOS + 'Hello world, the whale.' gives SentencePiece's ids", () => {
  assert.deepEqual(llama2.encode("Hello world, the whale.", { bos: true }), [1, 15043, 3186, 29892, 278, 377, 744, 29889]);
  assert.deepEqual(llama2.encode("Hello world, the whale."), [15043, 3186, 29892, 278, 377, 744, 29889]);
  assert.equal(llama2.bosId, 1);
  assert.equal(llama2.eosId, 2);
  assert.equal(llama2.vocabSize, 32000);
  assert.equal(llama2.decode([1, 15043, 3186, 29892, 278, 377, 744, 29889]), "Hello world, the whale.");
});

test("the word split before BPE gives exactly the library's ids", () => {
  assert.ok(llama2.splitsWords);
  const plain = new Tokenizer(readJson(path.join(LLAMA2_TOKENIZER_DIR, "tokenizer.json")), readJson(path.join(LLAMA2_TOKENIZER_DIR, "tokenizer_config.json")));
  const tricky = [
    "  leading, double  and trailing spaces  ",
    "tabs\tand\nnewlines\n\nkept",
    "naïve café — “quotes” and ‘apostrophes’ … 1,234.56",
    "emoji 🐋 and CJK 白鯨 use byte fallback",
    "▁already▁marked▁ text",
    "a",
    " ",
    "",
  ];
  const heldOut = shippedCorpusDocuments("heldOut");
  const paragraphs = [...tricky, ...heldOut.filter((d) => d.source === "moby-dick").flatMap((d) => d.paragraphs), heldOut[0].paragraphs[0]];
  for (const p of paragraphs) {
    assert.deepEqual(llama2.encode(p), plain.encode(p, { add_special_tokens: false }).ids, JSON.stringify(p.slice(0, 60)));
  }
});

test("a vocabulary with a piece that spans a word boundary keeps the library's own path", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acc-tok-"));
  const json = readJson(path.join(LLAMA2_TOKENIZER_DIR, "tokenizer.json")) as { model: { vocab: Record<string, number>; merges: unknown[] } };
  json.model.vocab["s▁t"] = 32000;
  fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(json));
  const tok = CheckpointTokenizer.fromDirectory(dir);
  assert.equal(tok.splitsWords, false);
  assert.deepEqual(tok.encode("Hello world, the whale.", { bos: true }), [1, 15043, 3186, 29892, 278, 377, 744, 29889]);
});

test("tokenizer folders without tokenizer.json or with broken JSON give clear errors", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acc-tok-"));
  assert.throws(() => CheckpointTokenizer.fromDirectory(dir), /no tokenizer\.json in/);
  fs.writeFileSync(path.join(dir, "tokenizer.model"), "");
  assert.throws(() => CheckpointTokenizer.fromDirectory(dir), /only a SentencePiece tokenizer\.model/);
  fs.writeFileSync(path.join(dir, "tokenizer.json"), "{ not json");
  assert.throws(() => CheckpointTokenizer.fromDirectory(dir), /tokenizer\.json is not valid JSON/);
});
