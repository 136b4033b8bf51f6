// Every corpus format round-trips: a small file written here reads back as the same documents or
// tokens, turns into the token stream its BOS policy says, and runs from the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { guessCorpusFormat, readCorpusFile } from "../acc/corpus-files";
import { loadEvalData } from "../acc/eval-data";
import { CheckpointTokenizer } from "../acc/tokenizer";

const ROOT = path.resolve(__dirname, "..", "..");
const STANDIN_DIR = path.join(ROOT, "data", "models", "standin");
const tokenizer = CheckpointTokenizer.llama2();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acc-formats-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

// Unicode, quotes, tabs and inner spaces: what a reader must not alter.
const DOCS = ["Call me Ishmael.", "Some years ago—never mind how long precisely—\t“quoted” text.", "Ünïcödé and emoji 🐋 and  two  spaces.", "The last one."];

function write(name: string, data: string | Uint8Array): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
}

function docs(file: string, o = {}): string[] {
  const c = readCorpusFile(file, o);
  assert.equal(c.kind, "documents");
  return c.kind === "documents" ? c.documents : [];
}

function tokens(file: string, o = {}): number[] {
  const c = readCorpusFile(file, o);
  assert.equal(c.kind, "tokens");
  return c.kind === "tokens" ? Array.from(c.tokens) : [];
}

test("plain text, a document per line: LF or CRLF, blank lines skipped", () => {
  const f = write("lines.txt", DOCS[0] + "\n" + DOCS[1] + "\r\n" + DOCS[2] + "\n" + DOCS[3] + "\n");
  assert.equal(guessCorpusFormat(f, fs.readFileSync(f, "utf8")), "lines");
  assert.deepEqual(docs(f), DOCS);
  assert.equal(readCorpusFile(f).format, "lines");
  assert.deepEqual(docs(f, { maxDocuments: 2 }), DOCS.slice(0, 2));
  assert.throws(() => readCorpusFile(f, { maxDocuments: 9 }), /has 4 documents, fewer than the 9 requested/);
});

test("plain text, blank-line separated: a document keeps its own line breaks", () => {
  const paras = [DOCS[0] + "\n" + DOCS[1], DOCS[2], "  indented first line\nand a second"];
  const f = write("paras.txt", paras[0] + "\n\n" + paras[1] + "\n \n\n" + paras[2] + "\n");
  assert.equal(guessCorpusFormat(f, fs.readFileSync(f, "utf8")), "paragraphs");
  assert.deepEqual(docs(f), paras);
  // The same file read as lines gives its non-blank lines.
  assert.deepEqual(docs(f, { format: "lines" }), [DOCS[0], DOCS[1], DOCS[2], "  indented first line", "and a second"]);
  const crlf = write("paras-crlf.txt", paras.join("\r\n\r\n"));
  assert.deepEqual(docs(crlf), paras);
});

test("JSON lines with a text field, plain or gzip'd, and another field name", () => {
  const records = DOCS.map((text, i) => JSON.stringify({ id: i, text, meta: { url: `https://example.org/${i}` } }));
  const f = write("docs.jsonl", records.join("\n") + "\n");
  assert.deepEqual(docs(f), DOCS);
  const gz = write("docs.jsonl.gz", zlib.gzipSync(records.join("\n")));
  assert.deepEqual(docs(gz), DOCS);
  const other = write("body.jsonl", DOCS.map((body) => JSON.stringify({ body })).join("\n"));
  assert.deepEqual(docs(other, { textField: "body" }), DOCS);
  assert.throws(() => readCorpusFile(other), /line 1 has no string "text" field/);
  assert.throws(() => readCorpusFile(write("bad.jsonl", '{"text": "a"}\n{oops\n')), /line 2 is not JSON/);
});

test("token files: uint16 and uint32 little-endian, a JSON array, or a JSON array of documents", () => {
  const ids = [1, 450, 2, 65535, 0, 31999];
  const u16 = Buffer.alloc(ids.length * 2);
  ids.forEach((t, i) => u16.writeUInt16LE(t, i * 2));
  assert.deepEqual(tokens(write("t.u16", u16)), ids);
  const big = [...ids, 70000, 2 ** 32 - 1];
  const u32 = Buffer.alloc(big.length * 4);
  big.forEach((t, i) => u32.writeUInt32LE(t, i * 4));
  assert.deepEqual(tokens(write("t.u32", u32)), big);
  assert.deepEqual(tokens(write("t.tokens.json", JSON.stringify(ids))), ids);
  assert.deepEqual(tokens(write("nested.tokens.json", JSON.stringify([ids.slice(0, 2), ids.slice(2)]))), ids);
  // An explicit format wins over the name.
  assert.deepEqual(tokens(write("t.bin", u16), { format: "tokens-u16" }), ids);
  assert.throws(() => readCorpusFile(write("odd.u16", Buffer.alloc(3))), /3 bytes are not a whole number of 16-bit token ids/);
  assert.throws(() => readCorpusFile(write("neg.tokens.json", "[1, -2]")), /entry 1 is not a token id/);
});

test("BOS policies: per document, once for the joined text, per window, none", async () => {
  const f = write("bos.jsonl", DOCS.map((text) => JSON.stringify({ text })).join("\n"));
  const base = { data: f, seqLen: 8, samples: 1000 };
  const perDoc = await loadEvalData(tokenizer, { ...base, bos: "document" });
  const want = DOCS.flatMap((d) => tokenizer.encode(d, { bos: true }));
  assert.deepEqual(perDoc.record.streamTokens, want.length);
  assert.deepEqual(Array.from(perDoc.windows.flatMap((w) => Array.from(w.tokens))), want.slice(0, perDoc.windows.length * 8));
  // The stream decodes back to the documents, one per BOS.
  const bosAt = want.flatMap((t, i) => (t === tokenizer.bosId ? [i] : []));
  assert.deepEqual(bosAt.map((s, k) => tokenizer.decode(want.slice(s + 1, bosAt[k + 1] ?? want.length))), DOCS);

  const once = await loadEvalData(tokenizer, { ...base, bos: "once", joiner: "\n\n" });
  assert.equal(once.record.streamTokens, tokenizer.encode(DOCS.join("\n\n"), { bos: true }).length);
  assert.equal(once.record.joiner, "\n\n");

  const joined = tokenizer.encode(DOCS.join(" "));
  const win = await loadEvalData(tokenizer, { ...base, bos: "window" });
  assert.equal(win.windows.length, Math.floor(joined.length / 7));
  for (const [k, w] of win.windows.entries()) {
    assert.equal(w.tokens[0], tokenizer.bosId);
    assert.deepEqual(Array.from(w.tokens.subarray(1)), joined.slice(k * 7, k * 7 + 7));
  }
  const none = await loadEvalData(tokenizer, { ...base, bos: "none" });
  assert.ok(none.windows.every((w) => !w.tokens.includes(tokenizer.bosId)));

  const ids = Uint32Array.from({ length: 20 }, (_, i) => 100 + i);
  const tf = write("s.u32", Buffer.from(ids.buffer));
  const asIs = await loadEvalData(tokenizer, { data: tf, seqLen: 5, samples: 100 });
  assert.deepEqual(asIs.windows.map((w) => w.tokens[0]), [100, 105, 110, 115]);
  assert.equal(asIs.record.bos, "none");
  await assert.rejects(loadEvalData(tokenizer, { data: tf, seqLen: 5, samples: 1, bos: "document" }), /a token file is used as it is/);
  const outside = write("big.tokens.json", JSON.stringify([1, 2, 40000]));
  await assert.rejects(loadEvalData(tokenizer, { data: outside, seqLen: 2, samples: 1 }), /token 40000 at 2 is outside the tokenizer's vocabulary of 32000/);
});

test("CLI: --data <jsonl> --windowing chunks-plus-one --bos window runs and records what it used", () => {
  const text = Array.from({ length: 12 }, (_, i) => `Paragraph ${i}: the whale rose near the ship and sank again.`);
  const f = write("cli.jsonl", text.map((t) => JSON.stringify({ text: t })).join("\n"));
  const cli = path.join(ROOT, "dist", "src", "cli.js");
  const r = spawnSync(
    process.execPath,
    [cli, "acc", "--model", STANDIN_DIR, "--data", f, "--windowing", "chunks-plus-one", "--bos", "window", "--seq-len", "16", "--samples", "3", "--config", "zk-12-clamp", "--backend", "cpu", "--json", "--quiet"],
    { encoding: "utf8", env: process.env },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // Hand count: windows are BOS + 16 stream tokens (17 in all), 16 scored predictions each.
  const streamLen = tokenizer.encode(text.join(" ")).length;
  const windows = Math.min(3, Math.floor(streamLen / 16));
  assert.equal(out.data.windows, windows);
  assert.equal(out.data.seqLen, 17);
  assert.equal(out.data.scoredTokens, windows * 16);
  assert.deepEqual([out.data.windowing.mode, out.data.windowing.bos, out.data.windowing.format], ["chunks-plus-one", "window", "jsonl"]);
  assert.equal(out.configs[0].error, undefined);
  const bad = spawnSync(process.execPath, [cli, "acc", "--model", STANDIN_DIR, "--data", f, "--windowing", "sliding", "--seq-len", "16", "--samples", "1"], { encoding: "utf8" });
  assert.equal(bad.status, 2, "a usage error (issue 12: exit code 2)");
  assert.match(bad.stderr, /--stride is required/);
});
