// How a token stream becomes evaluation windows, and which of each window's predictions count.
// Published perplexities differ in exactly this, so every mode is named and recorded:
//  - chunks:          consecutive non-overlapping windows of seqLen tokens, each scoring its
//                     seqLen - 1 next-token predictions (the anchor's script, and the kit's default);
//  - chunks-plus-one: consecutive non-overlapping windows of seqLen + 1 tokens, scoring seqLen
//                     predictions (inputs seqLen tokens, targets shifted by one);
//  - sliding:         windows of seqLen tokens starting every `stride` tokens; the first scores all
//                     its predictions, each later one only the predictions of its last `stride`
//                     tokens (those no earlier window predicted): every token after the first is
//                     scored exactly once, with up to seqLen - stride tokens of context before it;
//  - random:          `maxWindows` windows of seqLen tokens at start positions drawn as Python's
//                     random.seed(seed); random.randint(0, N - seqLen) draws them (overlaps allowed).
// With bosPerWindow, every window is BOS followed by one token fewer of the stream, so windows keep
// their length; the prediction made from BOS (of the window's first stream token) counts.

import { PythonRandom } from "./python-random";

export type WindowingMode = "chunks" | "chunks-plus-one" | "sliding" | "random";
export const WINDOWING_MODES: readonly WindowingMode[] = ["chunks", "chunks-plus-one", "sliding", "random"];

export interface WindowingSpec {
  mode: WindowingMode;
  /** chunks, sliding, random: the window length; chunks-plus-one: windows are seqLen + 1 tokens. */
  seqLen: number;
  /** At most this many windows (random: exactly this many). */
  maxWindows: number;
  /** sliding: tokens between window starts, 1 .. seqLen - 1. */
  stride?: number;
  /** random: the seed of Python's random.seed. */
  seed?: number;
  /** Put this BOS id in front of every window (the stream then has no BOS of its own, usually). */
  bosPerWindow?: number;
}

export interface EvalWindow {
  tokens: Uint32Array;
  /** The forward's losses[t] predict tokens[t + 1]; losses[scoreFrom ..] are the scored ones. */
  scoreFrom: number;
}

/** Scored predictions of a window. */
export function scoredCount(w: EvalWindow): number {
  return w.tokens.length - 1 - w.scoreFrom;
}

function positiveInt(name: string, v: number | undefined, min = 1): number {
  if (v === undefined || !Number.isInteger(v) || v < min) throw new Error(`windowing: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** The windows of `stream` under `spec`. Windows share the stream's memory unless BOS is added. */
export function makeWindows(stream: Uint32Array, spec: WindowingSpec): EvalWindow[] {
  if (!WINDOWING_MODES.includes(spec.mode)) throw new Error(`unknown windowing "${spec.mode}" (modes: ${WINDOWING_MODES.join(", ")})`);
  const seqLen = positiveInt("seqLen", spec.seqLen, 2);
  const maxWindows = positiveInt("maxWindows (samples)", spec.maxWindows);
  const windowLen = spec.mode === "chunks-plus-one" ? seqLen + 1 : seqLen;
  const bos = spec.bosPerWindow;
  // Stream tokens per window.
  const content = bos === undefined ? windowLen : windowLen - 1;
  const N = stream.length;
  const take = (start: number, scoreFrom: number): EvalWindow => {
    const body = stream.subarray(start, start + content);
    if (bos === undefined) return { tokens: body, scoreFrom };
    const tokens = new Uint32Array(windowLen);
    tokens[0] = bos;
    tokens.set(body, 1);
    return { tokens, scoreFrom };
  };
  if (N < content) throw new Error(`windowing: ${N} tokens are fewer than one window of ${content}${bos === undefined ? "" : " (plus BOS)"}`);
  const out: EvalWindow[] = [];
  if (spec.mode === "chunks" || spec.mode === "chunks-plus-one") {
    const n = Math.min(Math.floor(N / content), maxWindows);
    for (let i = 0; i < n; i++) out.push(take(i * content, 0));
  } else if (spec.mode === "sliding") {
    const stride = positiveInt("stride", spec.stride);
    if (stride > windowLen - 1) throw new Error(`windowing: stride ${stride} must be at most seqLen - 1 = ${windowLen - 1} (a larger stride would leave tokens unscored)`);
    for (let start = 0; start + content <= N && out.length < maxWindows; start += stride) out.push(take(start, start === 0 ? 0 : windowLen - 1 - stride));
  } else {
    if (spec.seed === undefined || !Number.isSafeInteger(spec.seed)) throw new Error(`windowing: random needs an integer seed, got ${spec.seed}`);
    const rng = new PythonRandom(spec.seed);
    for (let i = 0; i < maxWindows; i++) out.push(take(rng.randint(0, N - content), 0));
  }
  return out;
}

/** What the JSON records about the windows. */
export interface WindowingRecord {
  mode: WindowingMode;
  stride?: number;
  seed?: number;
  bosPerWindow: boolean;
  /** Tokens the forward runs per window. */
  windowTokens: number;
  windows: number;
  /** Scored predictions, all windows together. */
  scoredTokens: number;
  /** Tokens in the stream the windows were cut from. */
  streamTokens: number;
}

export function windowingRecord(spec: WindowingSpec, windows: readonly EvalWindow[], streamTokens: number): WindowingRecord {
  return {
    mode: spec.mode,
    ...(spec.mode === "sliding" ? { stride: spec.stride } : {}),
    ...(spec.mode === "random" ? { seed: spec.seed } : {}),
    bosPerWindow: spec.bosPerWindow !== undefined,
    windowTokens: windows[0]?.tokens.length ?? 0,
    windows: windows.length,
    scoredTokens: windows.reduce((a, w) => a + scoredCount(w), 0),
    streamTokens,
  };
}
