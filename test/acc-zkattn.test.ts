// The zkAttn tables, digits and softmax (native/quant/zkattn_tables.*, softmax_entry.h): the
// tables are the formula of reference §6.1, every softmax output is the product of table lookups
// of the shifted logit's digits, rows sum to 2^probBits within the bound the config implies, and
// logits beyond the digit budget are an error (or 0 with an indicator segment).
import { test } from "node:test";
import assert from "node:assert/strict";
import { native } from "../src/bindings/native";
import "../src/bindings/native-quant";
import type { NativeZkAttnTableConfig } from "../src/bindings/native-quant";
import { detExp } from "../acc/deterministic-math";
import { rescale, softmaxRow, zkAttnTable } from "../acc/fixed-point-reference";
import { probabilityBits, resolveQuantConfig, toNativeQuantConfig, type QuantConfig } from "../acc/quant-config";
import { rowSumBound } from "../acc/zkattn-bound";
import { Rng } from "./helpers/rng";

function tableConfig(c: QuantConfig, headDim: number): NativeZkAttnTableConfig {
  if (c.softmax.kind !== "zkattn") throw new Error("not a zkAttn config");
  return {
    segmentBits: c.softmax.segmentBits,
    rangeOnly: c.softmax.rangeOnly,
    indicator: c.softmax.indicator,
    theta: c.softmax.thetaBits.map((b) => 2 ** b),
    sfIn: 2 ** c.logitBits,
    headDim,
  };
}

const WITH_INDICATOR = resolveQuantConfig({
  preset: "readme-2",
  softmax: { kind: "zkattn", segmentBits: [4, 12, 8], rangeOnly: 1, indicator: 1, thetaBits: [16], productRescaleBits: [], outputRescaleBits: [16] },
});
const WITH_PRODUCT_RESCALE = resolveQuantConfig({
  preset: "zk-12",
  softmax: { kind: "zkattn", segmentBits: [6, 10, 10], rangeOnly: 1, indicator: 0, thetaBits: [20, 20], productRescaleBits: [12], outputRescaleBits: [14, 14] },
});

test("zkAttn tables: the anchor's layout (2^8*2^20*2^20, L=1, theta 2^18*2^22) is the formula of reference §6.1", () => {
  const c = resolveQuantConfig("anchor-attn");
  const d = 128;
  const t = native().zkAttnTables(tableConfig(c, d));
  assert.deepEqual(t.kinds, ["range", "mapping", "mapping"]);
  assert.equal(t.budgetBits, 48);
  assert.deepEqual(Array.from(t.bases), [1n, 256n, 1n << 28n]);
  assert.equal(t.expDenominator, 2 ** 32 * Math.sqrt(d));
  assert.deepEqual(Array.from(t.tables[0]), Array.from({ length: 256 }, (_, j) => BigInt(j)));
  const cIn = 2 ** 32 * Math.sqrt(d);
  for (const i of [1, 2]) {
    const theta = 2 ** (i === 1 ? 18 : 22);
    const table = t.tables[i];
    assert.equal(table.length, 2 ** 20);
    // Exactly the deterministic formula (the same bits as the TypeScript port)...
    const ref = zkAttnTable(c, d, i)!;
    const firstDiff = ref.findIndex((v, j) => v !== table[j]);
    assert.equal(firstDiff, -1, `segment ${i}: entry ${firstDiff}`);
    // ...and round(theta exp(-Bs j / (sf sqrt d))) with Math.exp, except where the value is within
    // rounding noise of a tie. Entries decrease, start at theta and end at round(theta e^-x).
    const base = Number(t.bases[i]);
    let ties = 0;
    for (let j = 0; j < table.length; j += 97) {
      const v = theta * Math.exp(-(base * j) / cIn);
      const frac = v - Math.floor(v);
      if (Math.abs(frac - 0.5) < 1e-14 * Math.max(1, v)) {
        ties++;
        continue;
      }
      assert.equal(table[j], BigInt(Math.floor(v + 0.5)), `segment ${i}, j = ${j}`);
    }
    assert.ok(ties < 3);
    assert.equal(table[0], BigInt(theta));
    for (let j = 1; j < table.length; j += 1021) assert.ok(table[j] <= table[j - 1]);
  }
});

test("zkAttn tables: indicator segments are [digit == 0]; bad configurations are clear errors", () => {
  const t = native().zkAttnTables(tableConfig(WITH_INDICATOR, 32));
  assert.deepEqual(t.kinds, ["range", "mapping", "indicator"]);
  assert.equal(t.tables[2][0], 1n);
  assert.ok(t.tables[2].subarray(1).every((v) => v === 0n));
  const good = tableConfig(resolveQuantConfig("anchor-attn"), 64);
  assert.throws(() => native().zkAttnTables({ ...good, theta: [2 ** 18] }), /2 mapping segments need as many theta values/);
  assert.throws(() => native().zkAttnTables({ ...good, segmentBits: [8, 30, 20] }), /segment 1 has 30 bits/);
  assert.throws(() => native().zkAttnTables({ ...good, segmentBits: [20, 20, 20, 20] }), /cover 80 bits/);
  assert.throws(() => native().zkAttnTables({ ...good, rangeOnly: 3 }), /L \+ M < K/);
  assert.throws(() => native().zkAttnTables({ ...good, sfIn: -1 }), /input scale/);
  assert.throws(() => native().zkAttnTables({ ...good, theta: [0, 4] }), /theta\[0\] must be an integer in \[1, 2\^53\]/);
});

test("zkAttn digits: mixed radix, least significant first; z beyond the budget is an error, not a truncation", () => {
  const rng = new Rng("zkattn/digits");
  const c = tableConfig(resolveQuantConfig("anchor-attn"), 128);
  const zs = BigInt64Array.from({ length: 200 }, () => rng.bits(48));
  zs[0] = 0n;
  zs[1] = (1n << 48n) - 1n;
  const digits = native().zkAttnDigits(c, zs);
  assert.equal(digits.length, zs.length * 3);
  zs.forEach((z, i) => {
    const [d0, d1, d2] = digits.subarray(3 * i, 3 * i + 3);
    assert.ok(d0 < 256 && d1 < 2 ** 20 && d2 < 2 ** 20, rng.tag);
    assert.equal(BigInt(d0) + (BigInt(d1) << 8n) + (BigInt(d2) << 28n), z, rng.tag);
  });
  assert.throws(() => native().zkAttnDigits(c, BigInt64Array.of(1n << 48n)), /outside the digit budget \[0, 2\^48\)/);
  assert.throws(() => native().zkAttnDigits(c, BigInt64Array.of(-1n)), /outside the digit budget/);
});

/** Random logits at 2^logitBits spread over `spread` softmax units (x / (sf sqrt d)). */
function randomLogits(rng: Rng, c: QuantConfig, d: number, rows: number, n: number, spread: number): BigInt64Array {
  const unit = 2 ** c.logitBits * Math.sqrt(d);
  return BigInt64Array.from({ length: rows * n }, () => BigInt(Math.round((rng.u32() / 2 ** 32 - 0.5) * spread * unit)));
}

const SOFTMAX_CASES: Array<{ config: QuantConfig; d: number; spread: number }> = [
  { config: resolveQuantConfig("anchor-attn"), d: 128, spread: 24 },
  { config: resolveQuantConfig("readme-2"), d: 32, spread: 16 },
  { config: resolveQuantConfig("anchor-16x3"), d: 64, spread: 20 },
  { config: WITH_PRODUCT_RESCALE, d: 32, spread: 20 },
  { config: WITH_INDICATOR, d: 32, spread: 60 },
  { config: resolveQuantConfig("anchor-acc"), d: 64, spread: 20 },
];

for (const { config, d, spread } of SOFTMAX_CASES) {
  test(`quantized softmax (${config.name}): outputs are the product of table lookups, rows sum to 2^P within the config's bound`, () => {
    const rng = new Rng(`zkattn/softmax/${config.name}`);
    const rows = 24, n = 80;
    for (const causal of [false, true]) {
      const logits = randomLogits(rng, config, d, rows, n, spread);
      const r = native().quantSoftmax(logits, rows, n, causal, toNativeQuantConfig(config), d, "cpu");
      const P = probabilityBits(config.softmax);
      assert.equal(r.probBits, P);
      const s = config.softmax;
      const tables = s.kind === "zkattn" ? native().zkAttnTables(tableConfig(config, d)).tables : [];
      const cIn = 2 ** config.logitBits * Math.sqrt(d);
      const tsTables = s.kind === "zkattn" ? s.segmentBits.map((_, i) => zkAttnTable(config, d, i)) : [];
      for (let row = 0; row < rows; row++) {
        const len = causal ? Math.min(row + 1, n) : n;
        const a = Array.from(logits.subarray(row * n, row * n + len));
        const y = r.y.subarray(row * n, (row + 1) * n);
        const shift = r.shift[row];
        // The shift is the anchor's round(c ln sum exp(a / c)): at least the row maximum.
        const max = a.reduce((x, v) => (v > x ? v : x));
        assert.ok(shift >= max);
        const exactShift = Number(max) + cIn * Math.log(a.reduce((acc, v) => acc + Math.exp(Number(v - max) / cIn), 0));
        assert.ok(Math.abs(Number(shift) - exactShift) <= 0.5 + 1e-6 * Math.abs(exactShift), `row ${row} ${rng.tag}`);
        // Each output from the digits of z = shift - a and the native tables.
        a.forEach((v, col) => {
          const z = shift - v;
          let want: bigint;
          if (s.kind === "float-exp") {
            want = BigInt(Math.floor(detExp(-(Number(z) / cIn)) * 2 ** P + 0.5));
          } else {
            let rest = z;
            const digits = s.segmentBits.map((b) => {
              const dg = rest & ((1n << BigInt(b)) - 1n);
              rest >>= BigInt(b);
              return Number(dg);
            });
            const K = s.segmentBits.length;
            want = 0n;
            if (digits.slice(K - s.indicator).every((dg) => dg === 0)) {
              for (let i = s.rangeOnly; i < K - s.indicator; i++) {
                const f = tables[i][digits[i]];
                want = i === s.rangeOnly ? f : rescale(want * f, s.productRescaleBits[i - s.rangeOnly - 1], config.rounding);
              }
            }
          }
          assert.equal(y[col], want, `row ${row}, column ${col}, z = ${z} ${rng.tag}`);
        });
        for (let col = len; col < n; col++) assert.equal(y[col], 0n);
        // The independent TypeScript row gives the same shift and outputs.
        const ts = softmaxRow(config, d, a, tsTables);
        assert.equal(ts.shift, shift);
        assert.deepEqual(ts.y, Array.from(y.subarray(0, len)));
        // Row sums within the bound the configuration implies for rows of this length.
        const sum = Number(y.reduce((acc, v) => acc + v, 0n)) / 2 ** P;
        const bound = rowSumBound(config, d, len);
        assert.ok(sum >= bound.lower && sum <= bound.upper, `row ${row}: sum ${sum} outside [${bound.lower}, ${bound.upper}] ${rng.tag}`);
      }
      assert.ok(r.stats.rowSumMin > 0 && r.stats.rowSumMax >= r.stats.rowSumMin);
    }
  });
}

test("quantized softmax: the bound is tight enough to mean something for the anchor's configuration", () => {
  const b = rowSumBound(resolveQuantConfig("anchor-attn"), 128, 2048);
  assert.ok(b.lower > 0.99 && b.upper < 1.01, `${b.lower} .. ${b.upper}`);
  const rng = new Rng("zkattn/anchor-accuracy");
  const c = resolveQuantConfig("anchor-attn");
  const r = native().quantSoftmax(randomLogits(rng, c, 128, 8, 256, 12), 8, 256, false, toNativeQuantConfig(c), 128, "cpu");
  assert.ok(r.stats.maxAbsErr < 1e-5, `${r.stats.maxAbsErr} ${rng.tag}`);
  assert.ok(Math.abs(r.stats.rowSumMax - 1) < 1e-4 && Math.abs(r.stats.rowSumMin - 1) < 1e-4);
});

test("quantized softmax: a shifted logit beyond the digit budget is an error; an indicator segment maps it to 0", () => {
  const c = resolveQuantConfig("readme-2"); // one 16-bit segment: z < 2^16 at logits 2^8
  const d = 32;
  const logits = BigInt64Array.of(0n, -(1n << 16n) - 5n, 3n, 7n);
  assert.throws(() => native().quantSoftmax(logits, 1, 4, false, toNativeQuantConfig(c), d, "cpu"), /beyond the digit budget 2\^16.*indicator segment/);
  // Its low 4 bits are range-only, so logits closer than 2^4 share an output.
  const clamped = native().quantSoftmax(BigInt64Array.of(0n, -(1n << 20n), 300n, 700n), 1, 4, false, toNativeQuantConfig(WITH_INDICATOR), d, "cpu");
  assert.equal(clamped.y[1], 0n);
  assert.ok(clamped.y[3] > clamped.y[2] && clamped.y[2] > 0n);
  // Beyond even the indicator's digits: still an error.
  assert.throws(
    () => native().quantSoftmax(BigInt64Array.of(0n, -(1n << 40n)), 1, 2, false, toNativeQuantConfig(WITH_INDICATOR), d, "cpu"),
    /digit budget 2\^24/,
  );
});

test("quantized softmax: bad arguments are clear errors", () => {
  const c = toNativeQuantConfig(resolveQuantConfig("anchor-attn"));
  const q = native();
  assert.throws(() => q.quantSoftmax(new BigInt64Array(5), 2, 3, false, c, 64, "cpu"), /has 5 elements, expected 6/);
  assert.throws(() => q.quantSoftmax(new BigInt64Array(6) as unknown as BigInt64Array, 2, 3, false, { ...c, valueBits: 99 }, 64, "cpu"), /valueBits = 99/);
  assert.throws(
    () => q.quantSoftmax(new BigInt64Array(6), 2, 3, false, { ...c, softmax: { ...c.softmax, outputRescaleBits: [20] } }, 64, "cpu"),
    /must add up to the probabilities' scale bits 40/,
  );
  assert.throws(() => q.quantSoftmax(new Float64Array(6) as unknown as BigInt64Array, 2, 3, false, c, 64, "cpu"), /must be a BigInt64Array/);
  if (q.info().devices.length === 0) assert.throws(() => q.quantSoftmax(new BigInt64Array(6), 2, 3, false, c, 64, "cuda"), /backend 'cuda' requested but no GPU is usable/);
});
