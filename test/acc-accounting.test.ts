// The tlookup accounting on a hand-worked model: table sizes, entries, live entries and the cost
// model's prices per item and in total; and the row-sum bound check's table against its bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import { QUANT_PRESETS, resolveQuantConfig } from "../acc/quant-config";
import { rowShiftBoundBits, tlookupAccounting, type TlookupItem } from "../acc/tlookup-accounting";
import { parseCostModel } from "../acc/tlookup-cost";
import { rowSumBound } from "../acc/zkattn-bound";

// hidden D = 8, intermediate I = 12, 1 layer, H = 2 heads of hd = 4 (2 KV heads), T = 4 tokens.
const SHAPE = { hiddenSize: 8, intermediateSize: 12, numHiddenLayers: 1, numAttentionHeads: 2, numKeyValueHeads: 2, headDim: 4 };
const T = 4;

// zk-12-clamp by hand: s = w = 12, qk = 4, logits at 2^8 (2 qk - logit = 0: no logit rescale),
// segments [16 mapping, 8 indicator], Y.V rescaled by 2^12; RMSNorm table 2^16 out 2^12 (shift
// counted as 16 bits without a run), SiLU at 2^8 in a 2^16 table, tables up to 2^20.
// [bits, entries, live entries]: the score matrix has T^2 = 16 entries, T(T+1)/2 = 10 live.
const ZK_ATTN: Array<[number, number, number]> = [
  [16, 16, 10], // segment 0: exp table
  [8, 16, 10], // segment 1: indicator
  [12, 16, 16], // softmax.V rescale: T x hd
];
const NORM = (): Array<[number, number, number]> => [
  [16, 4, 4], // sum-of-squares shift, one per row
  [16, 4, 4], // 1/rms table
  [12, 32, 32], // 1/rms x weight: outBits + w - s = 12, T x D
  [12, 32, 32], // x . scale: s = 12
];
const LAYER: Array<[number, number, number]> = [
  ...NORM(),
  [20, 32, 32], // Q projection: s + w - qk = 20, T x H x hd
  [20, 32, 32], // K projection
  [12, 32, 32], // V projection: w
  [12, 32, 32], // RoPE Q: s
  [12, 32, 32], // RoPE K
  [12, 32, 32], // output projection: w, T x D
  ...NORM(),
  [16, 48, 48], // gate: s + w - silu.in = 16, T x I
  [16, 48, 48], // SiLU table
  [12, 48, 48], // up: w
  [12, 48, 48], // SiLU x up: s
  [12, 32, 32], // down: w, T x D
];

const shape = (items: TlookupItem[]) => items.map((x) => [x.tableBits, x.entries, x.liveEntries]);
const priced = (rows: Array<[number, number, number]>, perEntry: number, perRow: number) => rows.reduce((a, [b, n]) => a + perEntry * n + perRow * 2 ** b, 0);

test("accounting: table sizes, entries and live entries of a hand-worked model (zk-12-clamp, T = 4)", () => {
  const a = tlookupAccounting(QUANT_PRESETS["zk-12-clamp"], SHAPE, T);
  assert.deepEqual(shape(a.perZkAttn), ZK_ATTN);
  assert.deepEqual(shape(a.perLayerOutsideAttention), LAYER);
  assert.deepEqual(a.perZkAttn.map((x) => x.kind), ["mapping", "indicator", "range"]);
  for (const x of [...a.perZkAttn, ...a.perLayerOutsideAttention]) assert.equal(x.tableSize, 2 ** x.tableBits);
  // The row-sum bound check: one range tlookup over the T rows, all live.
  assert.equal(a.rowShiftBound.length, 1);
  assert.deepEqual([a.rowShiftBound[0].entries, a.rowShiftBound[0].liveEntries, a.rowShiftBound[0].kind], [T, T, "range"]);
  const b = a.rowShiftBound[0].tableBits;
  const perZk = [...ZK_ATTN, [b, T, T] as [number, number, number]];
  // Plain counts: 3 per zkAttn (the anchor's way of counting), 1 bound, 2 heads, 19 outside.
  assert.deepEqual([a.totals.perZkAttn, a.totals.rowShiftBoundPerZkAttn, a.totals.zkAttnPerLayer, a.totals.perLayer, a.totals.perModel], [3, 1, 8, 27, 27]);
  const sumCol = (rows: Array<[number, number, number]>, col: 1 | 2) => rows.reduce((s, r) => s + r[col], 0);
  assert.equal(a.totals.entriesPerLayer, 2 * sumCol(perZk, 1) + sumCol(LAYER, 1));
  assert.equal(a.totals.liveEntriesPerLayer, 2 * sumCol(perZk, 2) + sumCol(LAYER, 2));
  assert.equal(a.totals.largestTableBits, Math.max(20, b));
  // Default prices: 1 per entry, 1 per table row.
  assert.equal(a.perZkAttn[0].cost, 16 + 65536);
  assert.equal(a.totals.costPerZkAttn, priced(perZk, 1, 1));
  assert.equal(a.totals.costPerLayer, 2 * priced(perZk, 1, 1) + priced(LAYER, 1, 1));
  assert.equal(a.totals.costPerModel, a.totals.costPerLayer);
  // Other prices (e.g. measured): the same items, priced again.
  const m = parseCostModel('{"perEntry": 2, "perTableRow": 0.5, "unit": "us"}');
  const b2 = tlookupAccounting(QUANT_PRESETS["zk-12-clamp"], SHAPE, T, { costModel: m });
  assert.equal(b2.totals.costPerLayer, 2 * priced(perZk, 2, 0.5) + priced(LAYER, 2, 0.5));
  assert.equal(b2.costModel.unit, "us");
  assert.throws(() => parseCostModel('{"perEntry": -1}'), /perEntry must be a number >= 0/);
  assert.throws(() => parseCostModel('{"perRow": 1}'), /unknown field "perRow"/);
});

test("accounting: the row-sum bound's table is the smallest power of two covering the bound's width", () => {
  for (const name of ["anchor-attn", "readme-5", "zk-12", "zk-12-clamp", "zk-8"]) {
    for (const t of [4, 256, 2048]) {
      const c = QUANT_PRESETS[name];
      const bound = rowSumBound(c, 128, t);
      const unit = 2 ** bound.probBits;
      const width = Math.floor(bound.upper * unit) - Math.ceil(Math.max(0, bound.lower) * unit) + 1;
      const bits = rowShiftBoundBits(c, 128, t);
      assert.ok(2 ** bits >= width && (bits === 1 || 2 ** (bits - 1) < width), `${name} T=${t}: 2^${bits} vs width ${width}`);
      // Split into digits of at most maxTableBits, like a rescale.
      const a = tlookupAccounting(c, { ...SHAPE, headDim: 128 }, t);
      assert.equal(a.rowShiftBound.reduce((s, x) => s + x.tableBits, 0), bits);
      assert.ok(a.rowShiftBound.every((x) => x.tableBits <= c.maxTableBits));
    }
  }
  // Wider bounds need wider tables: the 2^8-segment anchor config at 2^40 vs zk-8's coarse one.
  assert.ok(rowShiftBoundBits(QUANT_PRESETS["anchor-attn"], 128, 2048) > rowShiftBoundBits(QUANT_PRESETS["zk-8"], 128, 2048));
  // A float-exp softmax has no tables and no bound check.
  assert.equal(tlookupAccounting(QUANT_PRESETS["anchor-acc"], SHAPE, T).rowShiftBound.length, 0);
});

test("accounting: a logit rescale and product rescales run over the score matrix, live entries halved by the mask", () => {
  const c = resolveQuantConfig({
    preset: "zk-12",
    logitBits: 14, // 2 qk - logit = 10 bits of logit rescale
    softmax: { kind: "zkattn", segmentBits: [6, 10, 10, 4], rangeOnly: 1, indicator: 1, thetaBits: [14, 14], productRescaleBits: [8], outputRescaleBits: [10, 10] },
  });
  const a = tlookupAccounting(c, SHAPE, 8);
  // T = 8: 64 score entries, 36 live; softmax.V T x hd = 32.
  assert.deepEqual(shape(a.perZkAttn), [
    [10, 64, 36], // logit rescale
    [6, 64, 36], // range-only segment
    [10, 64, 36],
    [10, 64, 36],
    [4, 64, 36], // indicator
    [8, 64, 36], // product rescale
    [10, 32, 32],
    [10, 32, 32],
  ]);
});
