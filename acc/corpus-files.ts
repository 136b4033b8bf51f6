// Evaluation text from a user's file: plain text (a document per line, or documents separated by
// blank lines), JSON lines with a text field (optionally gzip'd), or token ids (binary uint16/uint32
// or a JSON array). Text comes back as documents; token files come back as tokens, used as they are.

import * as fs from "node:fs";
import * as zlib from "node:zlib";

export type CorpusFormat = "lines" | "paragraphs" | "jsonl" | "tokens-u16" | "tokens-u32" | "tokens-json";
export const CORPUS_FORMATS: readonly CorpusFormat[] = ["lines", "paragraphs", "jsonl", "tokens-u16", "tokens-u32", "tokens-json"];

export type CorpusContent = ({ kind: "documents"; documents: string[] } | { kind: "tokens"; tokens: Uint32Array }) & { format: CorpusFormat };

export interface ReadCorpusOptions {
  /** Overrides the format guessed from the file name. */
  format?: CorpusFormat;
  /** JSON lines: the field that holds the text (default "text"). */
  textField?: string;
  /** Read at most this many documents (text formats). */
  maxDocuments?: number;
}

/**
 * The format a file name implies: .u16 / .u32 token ids, .tokens.json, .jsonl / .jsonl.gz / .json.gz
 * JSON lines, anything else plain text ("paragraphs" if it has a blank line, else "lines").
 */
export function guessCorpusFormat(file: string, text?: string): CorpusFormat {
  const f = file.toLowerCase();
  if (f.endsWith(".u16")) return "tokens-u16";
  if (f.endsWith(".u32")) return "tokens-u32";
  if (f.endsWith(".tokens.json")) return "tokens-json";
  if (/\.(jsonl|ndjson)(\.gz)?$/.test(f) || f.endsWith(".json.gz")) return "jsonl";
  return text !== undefined && /\r?\n[ \t]*\r?\n/.test(text) ? "paragraphs" : "lines";
}

function readMaybeGzip(file: string): Buffer {
  const raw = fs.readFileSync(file);
  // The gzip magic number, whatever the name says.
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return zlib.gunzipSync(raw);
    } catch (e) {
      throw new Error(`${file}: cannot gunzip: ${(e as Error).message}`);
    }
  }
  return raw;
}

/** A document per line: line ends removed (LF or CRLF), empty and whitespace-only lines skipped. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "");
}

/**
 * Documents separated by one or more blank (or whitespace-only) lines. A document's own line
 * breaks stay; only the line ends next to the separating blank lines go (not other whitespace).
 */
export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n/g, "\n")
    .split(/\n[ \t]*\n(?:[ \t]*\n)*/)
    .map((p) => p.replace(/^\n+|\n+$/g, ""))
    .filter((p) => p.trim() !== "");
}

function jsonLines(text: string, file: string, field: string): string[] {
  const docs: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`${file}: line ${i + 1} is not JSON`);
    }
    const t = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[field] : undefined;
    if (typeof t !== "string") throw new Error(`${file}: line ${i + 1} has no string "${field}" field`);
    docs.push(t);
  });
  return docs;
}

function tokenIds(values: unknown, file: string): Uint32Array {
  const flat = Array.isArray(values) && values.every(Array.isArray) ? (values as unknown[][]).flat() : values;
  if (!Array.isArray(flat)) throw new Error(`${file}: expected a JSON array of token ids (or of arrays of them)`);
  flat.forEach((t, i) => {
    if (!Number.isInteger(t) || (t as number) < 0 || (t as number) >= 2 ** 32) throw new Error(`${file}: entry ${i} is not a token id: ${JSON.stringify(t)}`);
  });
  return Uint32Array.from(flat as number[]);
}

function binaryTokens(buf: Buffer, width: 2 | 4, file: string): Uint32Array {
  if (buf.length % width !== 0) throw new Error(`${file}: ${buf.length} bytes are not a whole number of ${width * 8}-bit token ids`);
  const n = buf.length / width;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = width === 2 ? buf.readUInt16LE(i * 2) : buf.readUInt32LE(i * 4);
  return out;
}

/** Reads a corpus file in any supported format. */
export function readCorpusFile(file: string, o: ReadCorpusOptions = {}): CorpusContent {
  if (!fs.existsSync(file)) throw new Error(`data file not found: ${file}`);
  if (!fs.statSync(file).isFile()) throw new Error(`data file is not a file: ${file}`);
  if (o.format !== undefined && !CORPUS_FORMATS.includes(o.format)) throw new Error(`unknown data format "${o.format}" (formats: ${CORPUS_FORMATS.join(", ")})`);
  const buf = readMaybeGzip(file);
  const byName = o.format ?? guessCorpusFormat(file);
  if (byName === "tokens-u16" || byName === "tokens-u32") return { kind: "tokens", format: byName, tokens: binaryTokens(buf, byName === "tokens-u16" ? 2 : 4, file) };
  const text = buf.toString("utf8");
  const format = o.format ?? guessCorpusFormat(file, text);
  if (format === "tokens-json") {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    return { kind: "tokens", format, tokens: tokenIds(v, file) };
  }
  let docs = format === "jsonl" ? jsonLines(text, file, o.textField ?? "text") : format === "paragraphs" ? splitParagraphs(text) : splitLines(text);
  if (o.maxDocuments !== undefined) {
    if (docs.length < o.maxDocuments) throw new Error(`${file}: has ${docs.length} documents, fewer than the ${o.maxDocuments} requested`);
    docs = docs.slice(0, o.maxDocuments);
  }
  if (docs.length === 0) throw new Error(`${file}: no documents (format ${format})`);
  return { kind: "documents", format, documents: docs };
}
