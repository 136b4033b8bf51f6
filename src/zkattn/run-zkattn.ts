// zkattn(): proves a model's attention under a quantization configuration, head by head (several
// heads per proof), verifies every proof, and reports the time per phase group, per head, per layer
// and for the whole model (extrapolated linearly from a sample unless every head was proven), the
// commitments apart, beside the anchor's README formula priced with its own H200 timers.
// Everything is checked before any work (ZkattnParamError, exit code 2); a proof that does not
// verify, a lookup count that disagrees with the configuration's accounting, or a proven output
// that differs from the forward's is a ZkattnCheckError (exit code 1).
import { checkProof } from '../proof';
import { benchDevice, gitCommit, type BenchDevice } from '../benchmark/provenance';
import type { TlookupItem } from '../../acc/tlookup-accounting';
import { anchorFormula, type AnchorFormula } from './anchor-formula';
import { planHeadsPerProof, planProofs, bytesPerHead, zkattnDeviceBytesPerHead } from './batching';
import { GIVEN_ELEMENT_BYTES, pow2 } from '../memory';
import { emptyGroups, groupPhases, scaleGroups, type PhaseGroups } from './phase-groups';
import { captureWindow, headSlices, type CapturedWindow } from './qkv-source';
import { attentionParams, proveZkattn, zkattnOpMissing, type ZkattnLookup } from './zkattn-op';
import { checkZkattnSpec, flagOf, type CheckedZkattnSpec, type ZkattnSpec } from './zkattn-spec';
import { ZkattnCheckError } from './zkattn-error';
import type { EvalDataRecord } from '../../acc/eval-data';

export interface ZkattnProgress {
  stage: 'forward' | 'prove' | 'verify';
  /** 1-based proof number and how many there are. */
  proof: number;
  of: number;
  layer?: number;
  heads?: number[];
}

export interface ZkattnOptions {
  onProgress?: (p: ZkattnProgress) => void;
  /** When aborted, stops after the proof in progress and returns what was measured (`interrupted`). */
  signal?: AbortSignal;
}

export interface ZkattnProofRecord {
  index: number;
  layer: number;
  heads: number[];
  /** Shapes: the seed of the drawn Q, K, V. */
  seed?: number;
  /** The whole prove() call, and the native prover call inside it. */
  wallMs: number;
  callMs?: number;
  phasesMs: Record<string, number>;
  groups: PhaseGroups;
  verify: { ms: number; valid: boolean; reason: string };
  proofBytes: number;
  lookups: ZkattnLookup[];
  /** Model folders: the proven output equals the forward's attention output of these heads. */
  outputMatchesForward?: boolean;
}

/** Figures of one unit (a head, a layer, the model): proof time by group, verify, size. */
export interface ZkattnFigures {
  /** The proof after its inputs are resident, witness and commitments left out. */
  proofMs: number;
  /** The prove() calls' wall time (witness and commitments included). */
  wallMs: number;
  commitmentsMs: number;
  verifyMs: number;
  proofBytes: number;
  groups: PhaseGroups;
}

export interface ZkattnResult {
  kind: 'zkllm-zkattn';
  version: 1;
  model: { name: string; source: 'named' | 'shape-file' | 'folder'; path?: string; layers: number; heads: number; kvHeads: number; headDim: number };
  config: {
    name: string;
    description: string;
    /** tlookupAccounting's totals.perZkAttn (what the anchor's "5 (or 2)" counts). */
    tlookupsPerZkAttn: number;
    /** totals.rowShiftBoundPerZkAttn: the range check of the rows' sums. */
    rowShiftBoundPerZkAttn: number;
    /** Their sum: the lookups one zkattn proof runs (checked against the prover's). */
    lookupsPerProof: number;
    items: TlookupItem[];
  };
  params: {
    seqLen: number;
    queryRows: number;
    keyRows: number;
    headDim: number;
    layers: number[];
    heads: number[];
    full: boolean;
    headsPerProof: number;
    headsPerProofLimitedBy: string;
    seed?: number;
    backend: 'auto' | 'cpu' | 'cuda';
    commit: boolean;
    genDim?: number;
    deviceBudget?: number;
    witness: 'drawn from the seed at the configuration\'s scales' | 'captured from the fixed-point forward';
  };
  window?: { source: string; index: number; tokens: number; forwardMs: number; record: EvalDataRecord };
  command: string;
  date: string;
  gitCommit: string;
  device: BenchDevice;
  interrupted: boolean;
  proofs: ZkattnProofRecord[];
  lookupCheck: { expected: number; reported: number; equal: boolean; accountingStages: string[]; proverStages: string[] };
  verify: { allValid: boolean; ms: number };
  /** Over every proof run. */
  measured: ZkattnFigures & { heads: number; proofs: number };
  perHead: ZkattnFigures;
  /** Each chosen layer as measured (its proven heads), and a whole layer (every head) at the per-head figure. */
  perLayer: { measured: (ZkattnFigures & { layer: number; heads: number })[]; wholeLayer: ZkattnFigures & { heads: number; extrapolated: boolean } };
  /** The whole model's zkAttn: every head of every layer. */
  wholeModel: ZkattnFigures & { zkAttns: number; extrapolated: boolean; sample: { heads: number; of: number; layers: number[]; headsPerLayer: number[] }; basis: string };
  anchorFormula: AnchorFormula;
  memory: { perHeadBytes: number; estimatedBytes: number; availableBytes: number; source: string };
  notes: string[];
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function figuresOf(proofs: ZkattnProofRecord[]): ZkattnFigures {
  const groups = emptyGroups();
  let wallMs = 0, verifyMs = 0, proofBytes = 0;
  for (const p of proofs) {
    groupPhases(p.phasesMs, groups);
    wallMs += p.wallMs;
    verifyMs += p.verify.ms;
    proofBytes += p.proofBytes;
  }
  return { proofMs: groups.proofMs, wallMs, commitmentsMs: groups.commitments, verifyMs, proofBytes, groups };
}

function scaleFigures(f: ZkattnFigures, k: number): ZkattnFigures {
  return { proofMs: f.proofMs * k, wallMs: f.wallMs * k, commitmentsMs: f.commitmentsMs * k, verifyMs: f.verifyMs * k, proofBytes: f.proofBytes * k, groups: scaleGroups(f.groups, k) };
}

const list = (xs: number[]) => {
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    parts.push(j > i ? `${xs[i]}-${xs[j]}` : String(xs[i]));
    i = j + 1;
  }
  return parts.join(',');
};

/** The command line that runs this again. */
function commandOf(spec: ZkattnSpec, s: CheckedZkattnSpec): string {
  const q = (x: string) => (/^[\w./:@+-]+$/.test(x) ? x : `'${x.replace(/'/g, `'\\''`)}'`);
  const config = typeof spec.config === 'string' ? spec.config : spec.config ? JSON.stringify(spec.config) : 'anchor-attn';
  const parts = ['zkllm zkattn', '--model', q(spec.model), '--config', q(config), '--seq-len', String(s.seqLen)];
  if (s.full) parts.push('--full');
  else parts.push('--layers', list(s.layers), '--heads', list(s.heads));
  if (s.headsPerProof !== undefined) parts.push('--heads-per-proof', String(s.headsPerProof));
  if (s.commit) parts.push('--commit', '--gen-dim', String(s.genDim));
  parts.push('--backend', s.backend);
  if (s.deviceBudget !== undefined) parts.push('--device-budget', String(s.deviceBudget));
  if (s.corpus) {
    const c = s.corpus;
    const opt: [string, string | number | undefined][] = [['data', c.data], ['format', c.format], ['textField', c.textField], ['documents', c.documents], ['bos', c.bos], ['joiner', c.joiner], ['windowing', c.windowing], ['stride', c.stride], ['window', c.window]];
    for (const [k, v] of opt) if (v !== undefined) parts.push(flagOf(k), q(String(v)));
  } else parts.push('--seed', String(s.seed));
  return parts.join(' ');
}

/** Proves the attention of a model's chosen layers and heads; see the top of this file. */
export async function zkattn(spec: ZkattnSpec, opts: ZkattnOptions = {}): Promise<ZkattnResult> {
  const s = checkZkattnSpec(spec);
  const { tlookupAccounting } = require('../../acc/tlookup-accounting') as typeof import('../../acc/tlookup-accounting');
  const shape = s.source.shape;
  const T = s.seqLen, d = shape.headDim;
  const account = tlookupAccounting(
    s.config,
    { hiddenSize: shape.hiddenSize, intermediateSize: shape.intermediateSize, numHiddenLayers: shape.layers, numAttentionHeads: shape.heads, numKeyValueHeads: shape.kvHeads, headDim: d },
    T,
  );
  const expectedLookups = account.totals.perZkAttn + account.totals.rowShiftBoundPerZkAttn;
  const attnItems = [...account.perZkAttn, ...account.rowShiftBound];
  const folder = s.source.kind === 'folder';
  const sm = s.config.softmax.kind === 'zkattn' ? s.config.softmax : undefined;
  const plan = planHeadsPerProof({
    perHeadBytes: bytesPerHead({ m: T, n: T, d, segments: sm?.segmentBits.length ?? 1, scoreLookups: attnItems.filter((x) => x.entries === T * T).length, givenTensors: folder }),
    headsPerLayer: s.heads.length,
    asked: s.headsPerProof,
    memoryLimit: s.memoryLimit,
    backend: s.backend,
    deviceBudget: s.deviceBudget,
    ...(s.commit ? {} : { perHeadDeviceBytes: zkattnDeviceBytesPerHead(T, d), hostBytesOnDevice: 64 * 4 * pow2(T) * pow2(d) + (folder ? GIVEN_ELEMENT_BYTES * 3 * T * d : 0) }),
    what: `a zkattn proof of ${T} × ${T} scores, head dimension ${d}`,
  });
  // After every usage check: a build without the op is a runtime failure (exit code 1), not a usage error.
  const missing = zkattnOpMissing();
  if (missing) throw new Error(`zkattn: ${missing}`);
  const params = attentionParams(s.config, d, T);
  const device = benchDevice(s.backend);
  const plans = planProofs(s.layers, s.heads, plan.headsPerProof);
  const report = (p: ZkattnProgress) => opts.onProgress?.(p);

  let captured: CapturedWindow | undefined;
  if (folder && s.source.kind === 'folder' && s.corpus) {
    report({ stage: 'forward', proof: 0, of: plans.length });
    captured = await captureWindow(s.source.dir, s.config, s.layers, T, s.corpus, s.backend);
  }

  const proofs: ZkattnProofRecord[] = [];
  for (const [i, p] of plans.entries()) {
    if (opts.signal?.aborted) break;
    report({ stage: 'prove', proof: i + 1, of: plans.length, layer: p.layer, heads: p.heads });
    const cap = captured?.byLayer.get(p.layer);
    const seed = cap ? undefined : s.seed + i;
    const t0 = performance.now();
    const r = proveZkattn({
      num: p.heads.length,
      dim0: T,
      dim1: T,
      dim2: d,
      attention: params,
      // a model's Q, K, V: O is checked against its forward below; drawn ones: O is not read, so it stays on the GPU
      ...(cap ? { tensors: { Q: headSlices(cap.q, p.heads, T, d), K: headSlices(cap.k, p.heads, T, d), V: headSlices(cap.v, p.heads, T, d) } } : { seed, outputs: false }),
      ...(s.commit ? { commit: true, genDim: s.genDim } : {}),
      backend: s.backend,
      ...(s.deviceBudget !== undefined ? { deviceBudget: s.deviceBudget } : {}),
    });
    const wallMs = performance.now() - t0;
    const lookups = r.prover.lookups;
    if (!Array.isArray(lookups))
      throw new ZkattnCheckError(`zkattn: the prover reported no lookups (prover.lookups), so the configuration's ${expectedLookups} tlookups per zkAttn cannot be checked`);
    if (lookups.length !== expectedLookups)
      throw new ZkattnCheckError(
        `zkattn: the proof of layer ${p.layer}, heads ${list(p.heads)} ran ${lookups.length} tlookups, but '${s.config.name}' accounts for ${expectedLookups} per zkAttn ` +
          `(${account.totals.perZkAttn} + ${account.totals.rowShiftBoundPerZkAttn} row-sum bound; acc/tlookup-accounting.ts): accounting [${attnItems.map((x) => `${x.stage} 2^${x.tableBits}`).join('; ')}], prover [${lookups.map((x) => `${x.stage} 2^${x.tableBits}`).join('; ')}]`,
      );
    let outputMatchesForward: boolean | undefined;
    if (cap) {
      const O = r.outputs?.O;
      if (!O) throw new ZkattnCheckError('zkattn: the prover returned no proven output (outputs.O) to check against the forward');
      const want = headSlices(cap.o, p.heads, T, d);
      const at = want.findIndex((x, j) => BigInt(O[j]) !== x);
      outputMatchesForward = O.length === want.length && at === -1;
      if (!outputMatchesForward)
        throw new ZkattnCheckError(`zkattn: the proven attention output of layer ${p.layer}, heads ${list(p.heads)} differs from the forward's (${O.length !== want.length ? `${O.length} values, expected ${want.length}` : `first at element ${at}: ${O[at]} vs ${want[at]}`})`);
    }
    report({ stage: 'verify', proof: i + 1, of: plans.length, layer: p.layer, heads: p.heads });
    const v0 = performance.now();
    const c = checkProof(r.statement, r.proof);
    const verify = { ms: performance.now() - v0, valid: c.valid, reason: c.reason };
    proofs.push({
      index: i,
      layer: p.layer,
      heads: p.heads,
      ...(seed !== undefined ? { seed } : {}),
      wallMs,
      ...(typeof r.prover.callMs === 'number' ? { callMs: r.prover.callMs } : {}),
      phasesMs: r.prover.phasesMs,
      groups: groupPhases(r.prover.phasesMs),
      verify,
      proofBytes: r.proof.length,
      lookups,
      ...(outputMatchesForward !== undefined ? { outputMatchesForward } : {}),
    });
    await tick(); // a signal handler (Ctrl-C) runs between proofs
  }
  const interrupted = proofs.length < plans.length;

  const heads = proofs.reduce((a, p) => a + p.heads.length, 0);
  const measured = { ...figuresOf(proofs), heads, proofs: proofs.length };
  const perHead = scaleFigures(measured, heads ? 1 / heads : 0);
  const zkAttns = shape.layers * shape.heads;
  const extrapolated = !s.full || interrupted;
  const provenLayers = [...new Set(proofs.map((p) => p.layer))];
  const notes: string[] = [];
  if (extrapolated)
    notes.push(`extrapolated: ${heads} of ${zkAttns} heads proven (${proofs.length} proof${proofs.length === 1 ? '' : 's'} of up to ${plan.headsPerProof} heads); the whole layer and model are the per-head figures × ${shape.heads} and × ${zkAttns}, linearly`);
  if (!folder) notes.push(`Q, K, V drawn by the prover from the seed at the configuration's scales (Q, K in [-2^${s.config.qkBits}, 2^${s.config.qkBits}), V in [-2^${s.config.valueBits}, 2^${s.config.valueBits})), not a model's activations`);
  if (interrupted) notes.push(`interrupted after ${proofs.length} of ${plans.length} proofs`);
  const allValid = proofs.length > 0 && proofs.every((p) => p.verify.valid);
  const first = proofs[0]?.lookups ?? [];

  return {
    kind: 'zkllm-zkattn',
    version: 1,
    model: {
      name: shape.name,
      source: s.source.kind,
      ...(s.source.kind === 'folder' ? { path: s.source.dir } : s.source.kind === 'shape-file' ? { path: s.source.file } : {}),
      layers: shape.layers,
      heads: shape.heads,
      kvHeads: shape.kvHeads,
      headDim: d,
    },
    config: {
      name: s.config.name,
      description: s.config.description,
      tlookupsPerZkAttn: account.totals.perZkAttn,
      rowShiftBoundPerZkAttn: account.totals.rowShiftBoundPerZkAttn,
      lookupsPerProof: expectedLookups,
      items: attnItems,
    },
    params: {
      seqLen: T,
      queryRows: T,
      keyRows: T,
      headDim: d,
      layers: s.layers,
      heads: s.heads,
      full: s.full,
      headsPerProof: plan.headsPerProof,
      headsPerProofLimitedBy: plan.limitedBy,
      ...(folder ? {} : { seed: s.seed }),
      backend: s.backend,
      commit: s.commit,
      ...(s.commit ? { genDim: s.genDim } : {}),
      ...(s.deviceBudget !== undefined ? { deviceBudget: s.deviceBudget } : {}),
      witness: folder ? 'captured from the fixed-point forward' : "drawn from the seed at the configuration's scales",
    },
    ...(captured ? { window: { source: captured.source, index: captured.window, tokens: captured.tokens, forwardMs: captured.forwardMs, record: captured.record } } : {}),
    command: commandOf(spec, s),
    date: new Date().toISOString(),
    gitCommit: s.gitCommit ?? gitCommit(),
    device,
    interrupted,
    proofs,
    lookupCheck: { expected: expectedLookups, reported: first.length, equal: proofs.length > 0 && first.length === expectedLookups, accountingStages: attnItems.map((x) => x.stage), proverStages: first.map((x) => x.stage) },
    verify: { allValid, ms: measured.verifyMs },
    measured,
    perHead,
    perLayer: {
      measured: provenLayers.map((layer) => {
        const ps = proofs.filter((p) => p.layer === layer);
        return { layer, heads: ps.reduce((a, p) => a + p.heads.length, 0), ...figuresOf(ps) };
      }),
      wholeLayer: { heads: shape.heads, extrapolated: extrapolated || s.heads.length !== shape.heads, ...scaleFigures(perHead, shape.heads) },
    },
    wholeModel: {
      zkAttns,
      extrapolated,
      sample: { heads, of: zkAttns, layers: provenLayers, headsPerLayer: provenLayers.map((l) => proofs.filter((p) => p.layer === l).reduce((a, p) => a + p.heads.length, 0)) },
      basis: extrapolated ? `per-head mean over ${heads} proven head${heads === 1 ? '' : 's'} × ${zkAttns}` : `the sum of every head's proof (${proofs.length} proofs)`,
      ...(extrapolated ? scaleFigures(perHead, zkAttns) : figuresOf(proofs)),
    },
    anchorFormula: anchorFormula({ tlookups: account.totals.perZkAttn, layers: shape.layers, heads: shape.heads, seqLen: T }),
    memory: { perHeadBytes: plan.perHeadBytes, estimatedBytes: plan.estimatedBytes, availableBytes: plan.memory.availableBytes, source: plan.memory.source },
    notes,
  };
}
