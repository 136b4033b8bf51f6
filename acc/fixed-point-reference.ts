// A plain TypeScript model of the fixed-point LLaMA forward, written from the specification in
// native/quant/ (llama_forward.h, norm_silu_tables.h, zkattn_tables.h, softmax_entry.h) rather
// than from the kernels: BigInt integers, one loop per formula, no blocking, threads or lanes
// beyond what the specification fixes (the 32-lane order of the softmax row sum). Slow; for tests
// on small models, which require the native CPU and CUDA forwards to match it bit for bit.

import type { LlamaModel } from "./checkpoint";
import { detExp, detLog, ldexp, roundHalfUp } from "./deterministic-math";
import { probabilityBits, type QuantConfig } from "./quant-config";

const ROW_LANES = 32;

export function rescale(x: bigint, k: number, rounding: QuantConfig["rounding"]): bigint {
  if (k <= 0) return x;
  const half = 1n << BigInt(k - 1);
  if (rounding === "half-up") return (x + half) >> BigInt(k);
  return x >= 0n ? (x + half) >> BigInt(k) : -((-x + half) >> BigInt(k));
}

/** round(v * 2^s): ties away from zero (C's llround) or to the even neighbour (torch.round). */
export function quantize(v: number, s: number, mode: QuantConfig["quantizeRounding"] = "half-away"): bigint {
  const x = v * 2 ** s;
  if (mode === "half-even") return BigInt(roundHalfEven(x));
  let r = Math.trunc(x);
  if (Math.abs(x - r) >= 0.5) r += Math.sign(x);
  return BigInt(r);
}

/** Nearest integer, ties to even; exact for every double (x - floor(x) is exact below 2^52). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x), d = x - f;
  if (d !== 0.5) return d < 0.5 ? f : f + 1;
  return f % 2 === 0 ? f : f + 1;
}

function checkInt32(v: bigint, what: string): void {
  if (v < -(1n << 31n) || v >= 1n << 31n) throw new Error(`${what}: ${v} does not fit an int32`);
}

/** The zkAttn mapping table of segment i (null for range and indicator segments). */
export function zkAttnTable(c: QuantConfig, headDim: number, i: number): bigint[] | null {
  const s = c.softmax;
  if (s.kind !== "zkattn") return null;
  const K = s.segmentBits.length;
  if (i < s.rangeOnly || i >= K - s.indicator) return null;
  const base = 2 ** s.segmentBits.slice(0, i).reduce((a, b) => a + b, 0);
  const cIn = 2 ** c.logitBits * Math.sqrt(headDim);
  const theta = 2 ** s.thetaBits[i - s.rangeOnly];
  const out: bigint[] = [];
  for (let j = 0; j < 2 ** s.segmentBits[i]; j++) out.push(BigInt(roundHalfUp(theta * detExp(-((base * j) / cIn)))));
  return out;
}

export interface SoftmaxRow {
  y: bigint[];
  shift: bigint;
}

/** One row of the quantized softmax on logits already at 2^logitBits. */
export function softmaxRow(c: QuantConfig, headDim: number, a: bigint[], tables: Array<bigint[] | null>): SoftmaxRow {
  const cIn = 2 ** c.logitBits * Math.sqrt(headDim);
  const m = a.reduce((x, y) => (y > x ? y : x));
  const lane = new Array<number>(ROW_LANES).fill(0);
  a.forEach((v, col) => (lane[col % ROW_LANES] += detExp(Number(v - m) / cIn)));
  for (let off = ROW_LANES >> 1; off > 0; off >>= 1) {
    const next = lane.map((v, l) => v + lane[l ^ off]);
    next.forEach((v, l) => (lane[l] = v));
  }
  const shift = m + BigInt(roundHalfUp(cIn * detLog(lane[0])));
  const s = c.softmax;
  const P = probabilityBits(s);
  const y = a.map((v, col) => {
    const z = shift - v;
    if (s.kind === "float-exp") return BigInt(roundHalfUp(ldexp(detExp(-(Number(z) / cIn)), P)));
    const K = s.segmentBits.length;
    const budget = s.segmentBits.reduce((x, b) => x + b, 0);
    if (z < 0n || z >> BigInt(budget) !== 0n) throw new Error(`zkAttn: shifted logit ${z} (column ${col}) is beyond the digit budget 2^${budget}`);
    let rest = z;
    const digits = s.segmentBits.map((b) => {
      const d = rest & ((1n << BigInt(b)) - 1n);
      rest >>= BigInt(b);
      return d;
    });
    for (let i = K - s.indicator; i < K; i++) if (digits[i] !== 0n) return 0n;
    let out = 0n;
    for (let i = s.rangeOnly; i < K - s.indicator; i++) {
      const f = tables[i]![Number(digits[i])];
      out = i === s.rangeOnly ? f : rescale(out * f, s.productRescaleBits[i - s.rangeOnly - 1], c.rounding);
    }
    return out;
  });
  return { y, shift };
}

export interface FixedPointReferenceResult {
  /** The residual stream after each layer, [T * hidden] each. */
  states: bigint[][];
  /** Each layer's attention, token-major as the forward holds it: Q and K after RoPE ([T, heads, hd],
   *  [T, kvHeads, hd]), V ([T, kvHeads, hd]) and the output ([T, heads, hd]). */
  attention: { q: bigint[]; k: bigint[]; v: bigint[]; o: bigint[] }[];
}

export function fixedPointReference(model: LlamaModel, tokens: ArrayLike<number>, c: QuantConfig): FixedPointReferenceResult {
  const cfg = model.config;
  const W = model.weights;
  const T = tokens.length, D = cfg.hiddenSize, H = cfg.numAttentionHeads, KV = cfg.numKeyValueHeads, hd = cfg.headDim, I = cfg.intermediateSize;
  const s = c.valueBits, sw = c.weightBits, rnd = c.rounding, qr = c.quantizeRounding;
  const q = (w: Float32Array) => Array.from(w, (v) => quantize(v, sw, qr));
  const tables = c.softmax.kind === "zkattn" ? c.softmax.segmentBits.map((_, i) => zkAttnTable(c, hd, i)) : [];
  const half = hd / 2;
  const cosQ: bigint[] = [], sinQ: bigint[] = [];
  for (let t = 0; t < T; t++)
    for (let i = 0; i < half; i++) {
      const invFreq = 1 / Math.pow(cfg.ropeTheta, (2 * i) / hd);
      cosQ.push(quantize(Math.cos(t * invFreq), s, qr));
      sinQ.push(quantize(Math.sin(t * invFreq), s, qr));
    }

  const matmul = (x: bigint[], inDim: number, w: bigint[], outDim: number, bits: number): bigint[] => {
    x.forEach((v) => checkInt32(v, "matmul input"));
    const y: bigint[] = [];
    for (let t = 0; t < T; t++)
      for (let o = 0; o < outDim; o++) {
        let acc = 0n;
        for (let i = 0; i < inDim; i++) acc += x[t * inDim + i] * w[o * inDim + i];
        y.push(rescale(acc, bits, rnd));
      }
    return y;
  };
  const rmsNorm = (x: bigint[], w: bigint[]): bigint[] => {
    const sums: bigint[] = [];
    for (let t = 0; t < T; t++) {
      let acc = 0n;
      for (let i = 0; i < D; i++) acc += x[t * D + i] * x[t * D + i];
      sums.push(acc);
    }
    let rinv: bigint[];
    if (c.norm.kind === "table") {
      const max = sums.reduce((a, b) => (b > a ? b : a), 0n);
      let k = 0;
      while (rescale(max, k, "half-up") >> BigInt(c.norm.tableBits) !== 0n) k++;
      rinv = sums.map((S) => {
        const j = rescale(S, k, "half-up");
        const ms = ldexp(Number(j), k - 2 * s) / D;
        return BigInt(roundHalfUp(ldexp(1, c.norm.outBits) / Math.sqrt(ms + cfg.rmsNormEps)));
      });
    } else {
      rinv = sums.map((S) => BigInt(roundHalfUp(ldexp(1, c.norm.outBits) / Math.sqrt(ldexp(Number(S), -2 * s) / D + cfg.rmsNormEps))));
    }
    const y: bigint[] = [];
    for (let t = 0; t < T; t++)
      for (let i = 0; i < D; i++) {
        const g = rescale(rinv[t] * w[i], c.norm.outBits + sw - s, rnd);
        y.push(rescale(x[t * D + i] * g, s, rnd));
      }
    return y;
  };
  const rope = (x: bigint[], heads: number) => {
    for (let t = 0; t < T; t++)
      for (let h = 0; h < heads; h++)
        for (let i = 0; i < half; i++) {
          const b = (t * heads + h) * hd;
          const cs = cosQ[t * half + i], sn = sinQ[t * half + i], x1 = x[b + i], x2 = x[b + half + i];
          x[b + i] = rescale(x1 * cs - x2 * sn, s, rnd);
          x[b + half + i] = rescale(x2 * cs + x1 * sn, s, rnd);
        }
  };
  const attention = (qv: bigint[], kv: bigint[], vv: bigint[]): bigint[] => {
    const out = new Array<bigint>(T * H * hd).fill(0n);
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / (H / KV));
      for (let r = 0; r < T; r++) {
        const a: bigint[] = [];
        for (let col = 0; col <= r; col++) {
          let acc = 0n;
          for (let i = 0; i < hd; i++) acc += qv[(r * H + h) * hd + i] * kv[(col * KV + g) * hd + i];
          a.push(rescale(acc, 2 * c.qkBits - c.logitBits, rnd));
        }
        const { y } = softmaxRow(c, hd, a, tables);
        for (let i = 0; i < hd; i++) {
          let acc = 0n;
          for (let col = 0; col <= r; col++) acc += y[col] * vv[(col * KV + g) * hd + i];
          for (const bits of c.softmax.outputRescaleBits) acc = rescale(acc, bits, rnd);
          out[(r * H + h) * hd + i] = acc;
        }
      }
    }
    return out;
  };
  const silu = (g: bigint): bigint => {
    if (c.silu.kind === "table") {
      const idx = g + (1n << BigInt(c.silu.tableBits - 1));
      if (idx < 0n || idx >> BigInt(c.silu.tableBits) !== 0n) throw new Error(`SiLU: gate ${g} is outside the table`);
    }
    const x = ldexp(Number(g), -c.silu.inBits);
    return BigInt(roundHalfUp(ldexp(x / (1 + detExp(-x)), s)));
  };

  let x: bigint[] = [];
  for (let t = 0; t < T; t++) for (let i = 0; i < D; i++) x.push(quantize(W.embedTokens[tokens[t] * D + i], s, qr));
  const states: bigint[][] = [];
  const attn: FixedPointReferenceResult["attention"] = [];
  for (const L of W.layers) {
    const h = rmsNorm(x, q(L.inputLayernorm));
    const qv = matmul(h, D, q(L.qProj), H * hd, s + sw - c.qkBits);
    const kv = matmul(h, D, q(L.kProj), KV * hd, s + sw - c.qkBits);
    const vv = matmul(h, D, q(L.vProj), KV * hd, sw);
    rope(qv, H);
    rope(kv, KV);
    const heads = attention(qv, kv, vv);
    attn.push({ q: qv.slice(), k: kv.slice(), v: vv.slice(), o: heads });
    const o = matmul(heads, H * hd, q(L.oProj), D, sw);
    x = x.map((v, i) => v + o[i]);
    const h2 = rmsNorm(x, q(L.postAttentionLayernorm));
    const gate = matmul(h2, D, q(L.gateProj), I, s + sw - c.silu.inBits);
    const up = matmul(h2, D, q(L.upProj), I, sw);
    const act = gate.map((g, i) => rescale(silu(g) * up[i], s, rnd));
    const down = matmul(act, I, q(L.downProj), D, sw);
    x = x.map((v, i) => v + down[i]);
    states.push(x.slice());
  }
  return { states, attention: attn };
}
