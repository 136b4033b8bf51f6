// From `--data` to evaluation windows: read the corpus (the shipped held-out split, the anchor's C4
// shard, or a user's file in any format of corpus-files.ts), turn its documents into one token
// stream under a BOS policy, and cut the stream into windows (windowing.ts).
//
// BOS policies (text corpora):
//  - document: each document tokenized on its own with BOS in front, concatenated (the shipped
//    split's rule, where a document is a paragraph);
//  - once:     documents joined by `joiner` into one text, tokenized with a single BOS in front
//    (the anchor's C4 evaluation: 1100 documents joined by a space);
//  - window:   documents joined by `joiner`, tokenized without BOS; every window starts with BOS;
//  - none:     joined, no BOS anywhere.
// Token files are used as they are: "none" (default), "once" (one BOS in front) or "window".

import * as path from "node:path";
import { C4_DOCUMENTS, readC4Documents, shippedCorpusDocuments } from "./corpus";
import { readCorpusFile, type CorpusFormat } from "./corpus-files";
import type { CheckpointTokenizer } from "./tokenizer";
import { makeWindows, windowingRecord, type EvalWindow, type WindowingMode, type WindowingRecord } from "./windowing";

export type BosPolicy = "document" | "once" | "window" | "none";
export const BOS_POLICIES: readonly BosPolicy[] = ["document", "once", "window", "none"];

export interface EvalDataOptions {
  /** "heldout" (the shipped held-out split), a C4 shard (*.json.gz), or any corpus file. */
  data: string;
  /** Overrides the format guessed from the file name; "c4" forces the anchor's C4 reading. */
  format?: CorpusFormat | "c4";
  /** JSON lines: the text field (default "text"). */
  textField?: string;
  /** Text corpora: use the first this many documents (C4 default: 1100, the anchor's). */
  documents?: number;
  bos?: BosPolicy;
  /** once / window / none: the text between documents (default " ", the anchor's C4 join). */
  joiner?: string;
  windowing?: WindowingMode;
  seqLen: number;
  /** The most windows (random: exactly this many). */
  samples: number;
  stride?: number;
  seed?: number;
}

export interface EvalDataRecord extends WindowingRecord {
  format: CorpusFormat | "c4" | "heldout";
  bos: BosPolicy;
  joiner?: string;
  /** Documents read (text corpora). */
  documents?: number;
}

export interface EvalData {
  windows: EvalWindow[];
  source: string;
  record: EvalDataRecord;
}

/** The anchor's C4 shard by its name: the only case where .json.gz means "first 1100, joined". */
function isC4Shard(file: string): boolean {
  return /^c4-.*\.json\.gz$/.test(path.basename(file));
}

/** Documents to one token stream under a BOS policy. */
export function documentStream(tokenizer: CheckpointTokenizer, docs: readonly string[], bos: BosPolicy, joiner = " "): Uint32Array {
  if (bos === "document") {
    const parts = docs.map((d) => tokenizer.encode(d, { bos: true }));
    const out = new Uint32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  return Uint32Array.from(tokenizer.encode(docs.join(joiner), { bos: bos === "once" }));
}

function tokenStream(tokens: Uint32Array, bos: BosPolicy, bosId: number, vocab: number, source: string): Uint32Array {
  if (bos === "document") throw new Error(`${source}: a token file is used as it is; --bos document needs text (use none, once or window)`);
  const bad = tokens.findIndex((t) => t >= vocab);
  if (bad >= 0) throw new Error(`${source}: token ${tokens[bad]} at ${bad} is outside the tokenizer's vocabulary of ${vocab}`);
  if (bos !== "once") return tokens;
  const out = new Uint32Array(tokens.length + 1);
  out[0] = bosId;
  out.set(tokens, 1);
  return out;
}

export async function loadEvalData(tokenizer: CheckpointTokenizer, o: EvalDataOptions): Promise<EvalData> {
  if (o.bos !== undefined && !BOS_POLICIES.includes(o.bos)) throw new Error(`--bos must be one of ${BOS_POLICIES.join(", ")}, got "${o.bos}"`);
  const data = o.data;
  const heldout = data === "heldout";
  const c4 = !heldout && (o.format === "c4" || (o.format === undefined && isC4Shard(data)));
  let stream: Uint32Array;
  let format: EvalDataRecord["format"];
  let bos: BosPolicy;
  let documents: number | undefined;
  let source: string;
  if (heldout || c4) {
    const docs = heldout
      ? shippedCorpusDocuments("heldOut").flatMap((d) => d.paragraphs)
      : await readC4Documents(data, o.documents ?? C4_DOCUMENTS);
    if (heldout && o.documents !== undefined) throw new Error("--documents does not apply to the shipped held-out split");
    format = heldout ? "heldout" : "c4";
    bos = o.bos ?? (heldout ? "document" : "once");
    documents = docs.length;
    source = heldout ? "shipped held-out split" : `C4 ${path.basename(data)}`;
    stream = documentStream(tokenizer, docs, bos, o.joiner);
  } else {
    const content = readCorpusFile(data, { format: o.format as CorpusFormat | undefined, textField: o.textField, maxDocuments: o.documents });
    source = path.basename(data);
    format = content.format;
    if (content.kind === "tokens") {
      bos = o.bos ?? "none";
      stream = tokenStream(content.tokens, bos, tokenizer.bosId, tokenizer.vocabSize, source);
    } else {
      bos = o.bos ?? "document";
      documents = content.documents.length;
      stream = documentStream(tokenizer, content.documents, bos, o.joiner);
    }
  }
  const mode = o.windowing ?? "chunks";
  const spec = { mode, seqLen: o.seqLen, maxWindows: o.samples, stride: o.stride, seed: o.seed, bosPerWindow: bos === "window" ? tokenizer.bosId : undefined };
  const windows = makeWindows(stream, spec);
  const joined = bos !== "document" && (format === "c4" || format === "heldout" || documents !== undefined);
  const record: EvalDataRecord = {
    ...windowingRecord(spec, windows, stream.length),
    format,
    bos,
    ...(joined ? { joiner: o.joiner ?? " " } : {}),
    ...(documents !== undefined ? { documents } : {}),
  };
  return { windows, source, record };
}
