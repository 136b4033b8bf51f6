// How far a row of the quantized softmax may sum from 1 (in units of 2^probBits), as the
// configuration implies it: the bound a zkAttn verifier can check the rows against.
//
// Let c = sf_in sqrt(d) and E_c = 2^P exp(-z_c / c) the ideal output of an entry with shifted logit
// z_c = shift - A_c. Then:
//  - the row shift is round(c ln sum_c exp(A_c / c)), so sum_c E_c lies in 2^P [e^(-h/c), e^(h/c)] with
//    h = 1/2 plus the double-precision error of c ln(sum);
//  - the L range-only digits are taken as exp = 1, a factor in [1, e^beta), beta = (2^(low bits) - 1) / c;
//  - each mapping table entry is rounded (|error| <= 1/2) and each product rescale rounds again: the
//    recursion below bounds the resulting absolute error a of one entry at the final scale;
//  - an entry whose indicator digits are nonzero is 0 where E_c < 2^P exp(-2^(non-indicator bits) / c);
//  - float-exp: one rounding per entry (plus det_exp's relative error, far below 2^-40).
// Summing over a row of n entries:
//   sum Y / 2^P in [e^(-h/c) - n (a + a_ind) / 2^P,  e^beta e^(h/c) + n a / 2^P].
// The bound is for the worst case; rounding errors of different entries mostly cancel in practice.

import { probabilityBits, type QuantConfig } from "./quant-config";

export interface RowSumBound {
  lower: number;
  upper: number;
  /** Largest absolute error of one entry, at scale 2^probBits. */
  entryAbsError: number;
  probBits: number;
}

export function rowSumBound(c: QuantConfig, headDim: number, rowLength: number): RowSumBound {
  const P = probabilityBits(c.softmax);
  const cIn = 2 ** c.logitBits * Math.sqrt(headDim);
  const unit = 2 ** P;
  // Rounding of the double sum (n terms, each with det_exp's ~1 ulp) and of the log, times c.
  const h = 0.5 + cIn * (2 * rowLength + Math.log(Math.max(2, rowLength)) + 8) * 2.3e-16;
  let beta = 0;
  let a: number;
  let aInd = 0;
  if (c.softmax.kind === "float-exp") {
    a = 0.5 + unit * 1e-14;
  } else {
    const s = c.softmax;
    const K = s.segmentBits.length;
    const lowBits = s.segmentBits.slice(0, s.rangeOnly).reduce((x, y) => x + y, 0);
    beta = (2 ** lowBits - 1) / cIn;
    // Running value bound V and absolute error e of the product of segment outputs.
    let V = 2 ** s.thetaBits[0];
    let e = 0.5;
    for (let j = 1; j < s.thetaBits.length; j++) {
      const th = 2 ** s.thetaBits[j];
      e = e * th + V * 0.5 + e * 0.5;
      V = V * th;
      const r = s.productRescaleBits[j - 1];
      if (r > 0) {
        V = V / 2 ** r;
        e = e / 2 ** r + 0.5;
      }
    }
    a = e;
    if (s.indicator > 0) {
      const below = s.segmentBits.slice(0, K - s.indicator).reduce((x, y) => x + y, 0);
      aInd = unit * Math.exp(-(2 ** below) / cIn);
    }
  }
  const n = rowLength;
  return {
    lower: Math.exp(-h / cIn) - (n * (a + aInd)) / unit,
    upper: Math.exp(beta) * Math.exp(h / cIn) + (n * a) / unit,
    entryAbsError: a / unit,
    probBits: P,
  };
}
