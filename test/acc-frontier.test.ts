// The frontier: the fewest-tlookup provable configuration within a ΔPPL budget, on a hand-made
// sweep (outcomes written here) and on a small real sweep of the stand-in.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { loadLlamaModel } from "../acc/checkpoint";
import { expandConfigs, runOnWindows, type ConfigOutcome } from "../acc/experiment";
import { describeFrontier, findFrontier } from "../acc/frontier";
import { QUANT_PRESETS } from "../acc/quant-config";
import { CheckpointTokenizer } from "../acc/tokenizer";

function outcome(name: string, tlookups: number, cost: number, delta: number, o: { provable?: boolean; error?: string } = {}): ConfigOutcome {
  return {
    config: { name },
    tlookups: { provable: o.provable ?? true, totals: { perModel: tlookups, costPerModel: cost }, costModel: { unit: "entry-equivalents" } },
    ...(o.error !== undefined ? { error: o.error } : { change: { perplexityOfMeanLoss: { delta, relative: delta / 10, float: 10, quantized: 10 + delta } } }),
  } as unknown as ConfigOutcome;
}

// Hand-made sweep. Within ΔPPL 0.1: A (10 tlookups, cost 100), C (9, cost 500), E (9, cost 400,
// a perplexity gain). B has fewer tlookups but loses 0.2; D fewer still but is not provable; F failed.
const SWEEP = [
  outcome("A", 10, 100, 0.05),
  outcome("B", 8, 50, 0.2),
  outcome("C", 9, 500, 0.1),
  outcome("D", 2, 10, 0, { provable: false }),
  outcome("E", 9, 400, -0.03),
  outcome("F", 1, 1, 0, { error: "window 0: beyond the digit budget" }),
];

test("frontier: fewest tlookups within the budget, ties by cost; the cheapest reported apart", () => {
  const f = findFrontier(SWEEP, 0.1);
  assert.equal(f.fewestTlookups?.config, "E"); // 9 tlookups, and cheaper than C
  assert.equal(f.cheapest?.config, "A");
  assert.deepEqual(f.within.map((p) => p.config), ["E", "C", "A"]);
  assert.deepEqual(f.excluded.map((x) => x.config).sort(), ["B", "D", "F"]);
  assert.match(f.excluded.find((x) => x.config === "D")!.reason, /not provable/);
  assert.match(describeFrontier(f), /fewest tlookups E \(9 tlookups per model, cost 4\.000e\+2 entry-equivalents, ΔPPL -0\.0300\)\n {2}lowest cost A/);
  // A wider budget lets B in; a budget of 0 keeps only the gain.
  assert.equal(findFrontier(SWEEP, 0.25).fewestTlookups?.config, "B");
  assert.deepEqual(findFrontier(SWEEP, 0).within.map((p) => p.config), ["E"]);
  assert.equal(findFrontier([SWEEP[1], SWEEP[3]], 0.1).fewestTlookups, null);
  assert.throws(() => findFrontier(SWEEP, -1), /max ΔPPL must be a number >= 0/);
});

test("frontier on a real sweep of the stand-in: zk-12-clamp is the fewest-tlookup provable configuration", async () => {
  const dir = path.resolve(__dirname, "..", "..", "data", "models", "standin");
  const model = loadLlamaModel(dir);
  const tokens = Uint32Array.from(CheckpointTokenizer.llama2().encode("Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, I thought I would sail about.", { bos: true }));
  const configs = expandConfigs(["anchor-attn,zk-12,zk-12-clamp,readme-2-clamp,anchor-acc"]);
  // A budget no configuration can miss on one short window: the pick is decided by the counts.
  const r = await runOnWindows(model, [tokens.subarray(0, 24)], configs, { backend: "cpu", maxDeltaPpl: 1000 });
  for (const c of r.configs) {
    assert.equal(c.error, undefined, c.config.name);
    assert.ok(c.tlookups.totals.costPerModel > 0 && Number.isFinite(c.tlookups.totals.costPerModel), c.config.name);
  }
  // By hand (6 heads): zk-12-clamp has 3 + 1 per zkAttn and single-digit rescales; readme-2-clamp
  // splits its 28-bit Q/K rescales (16 + 16 - 4) into two digits each; the others have more segments.
  assert.equal(r.frontier.fewestTlookups?.config, "zk-12-clamp");
  assert.ok(r.frontier.excluded.some((x) => x.config === "anchor-acc" && /not provable/.test(x.reason)));
  assert.equal(QUANT_PRESETS["zk-12-clamp"].softmax.kind === "zkattn" && QUANT_PRESETS["zk-12-clamp"].softmax.indicator, 1);
});
