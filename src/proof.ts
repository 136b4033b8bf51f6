// prove / verify for the sumcheck protocol ops. A statement is plain JSON-safe data (field
// elements as decimal strings); a proof is bytes. verify never throws: malformed input is a false
// with a reason (checkProof gives the reason).
import { native } from './bindings/native';
import { Backend, pickBackend } from './backend';
import { bytesToScalars, scalarsToBytes } from './scalar-bytes';
import { DEFAULT_GENERATOR_LABEL } from './commit';
import { FR_MODULUS } from './fr';
import { describeValue } from './describe';
import { MemoryLimitError, checkHostMemory, formatBytes, proofHostBytes, zkattnOnDevice } from './memory';
import { info } from './system';
import { isBackendName } from './environment';

/** The op names for the type checker; the list itself is the native registry's (PROOF_OPS). */
export type ProofOp = 'inner-product' | 'matmul' | 'hadamard' | 'tlookup-range' | 'tlookup-map' | 'commit' | 'opening' | 'zkattn';

/** The ops of the native registry (native/proto/ops.cpp), in its order. */
const REGISTRY = native().proofOps();
export const PROOF_OPS: readonly ProofOp[] = REGISTRY.map((o) => o.name as ProofOp);
/** Ops that are commitments themselves and always run in commit mode (they need genDim). */
const COMMITMENT_OPS: readonly ProofOp[] = REGISTRY.filter((o) => o.sizes === 'batch').map((o) => o.name as ProofOp);

export interface ProofSizes {
  num: number;
  dim?: number;
  dim0?: number;
  dim1?: number;
  dim2?: number;
  low?: number;
  len?: number;
}

/**
 * What a 'zkattn' statement proves the attention under: the quantization configuration in the
 * addon's form and the row-sum bound it implies (zkllm-kit/acc's zkattnParams builds it).
 */
export interface AttentionParams {
  /** The configuration as acc's toNativeQuantConfig writes it (validated natively). */
  config: Record<string, unknown>;
  /** The configuration's name (bound into the transcript, so results join by it). */
  name: string;
  /** A rescale of more bits is range-checked in digits of at most this many. */
  maxTableBits: number;
  /** Every row's Σ_c Y − rowSumLow lies in [0, 2^rowSumBits): the row shift's bound. */
  rowSumLow: number;
  rowSumBits: number;
}

/** One lookup a proof holds (what the tlookup accounting counts). */
export interface ProofLookup {
  stage: string;
  tableBits: number;
  entries: number;
}

/** Explicit witness tensors, in logical row-major, instance-major order. */
export type WitnessTensors = Record<string, readonly (bigint | number)[]>;

export interface ProveSpec extends ProofSizes {
  op: ProofOp;
  /** Seed of the random witness (default 0); give either `seed` or `tensors`, not both. */
  seed?: number;
  /** Explicit witness: inner-product/hadamard a, b (and c); matmul A, B, C; tlookup values (and outputs,
   *  table for 'tlookup-map'; optionally multiplicities). */
  tensors?: WitnessTensors;
  backend?: Backend;
  /** CUDA only: the most device memory (bytes) the prover's tensors may take at once; instances
   *  beyond it are streamed through the GPU. Default: most of the free device memory. */
  deviceBudget?: number;
  /** Transcript domain separator. */
  domain?: string;
  /** Commit to the witness tensors (row-wise Pedersen, rows of `genDim`) and open every final
   *  evaluation claim (Hyrax): the statement then holds commitments instead of the witness. */
  commit?: boolean;
  genDim?: number;
  /** Public label the Pedersen generators are hashed from. */
  genLabel?: string;
  /** 'zkattn' only: the configuration and bound (num heads, dim0 query rows, dim1 key rows, dim2 head dim). */
  attention?: AttentionParams;
  /** 'zkattn' only: return the proven output O (default true). false leaves it where it was computed
   *  (the GPU's memory, freed with the proof), which saves its copy to the host for runs that only time proofs. */
  outputs?: boolean;
}

export interface CommittedWitness {
  /** Row commitments by tensor, each a 96-byte G1 point as hex. */
  commitments: Record<string, string[]>;
  genDim: number;
  genLabel: string;
  /** The public mapping table of 'tlookup-map', when it was given explicitly. */
  table?: string[];
}

export interface FinalEvalClaim {
  tensor: string;
  point: string[];
  value: string;
}

export interface Statement {
  version: 1;
  op: ProofOp;
  domain: string;
  sizes: ProofSizes;
  witness: { seed: number } | { tensors: Record<string, string[]> } | CommittedWitness;
  /** Public claimed values: per-instance inner products for 'inner-product', none otherwise. */
  claims: string[];
  /** What the sumcheck leaves to check: the named witness tensor's MLE at the point. */
  finalEvals: FinalEvalClaim[];
  /** 'zkattn': the configuration and row-sum bound the attention is proven under. */
  attention?: AttentionParams;
}

export interface ProofResult {
  statement: Statement;
  proof: Uint8Array;
  /** How the proof was computed (not part of the statement): backend and time per prover phase. */
  /** callMs: the native prover call from its inputs to its result (phasesMs splits it; prove() adds its checks and the statement). */
  prover: { backend: Backend; phasesMs: Record<string, number>; lookups: ProofLookup[]; callMs: number };
  /** 'zkattn': the proven attention output O (heads × dim0 × dim2), as integers. */
  outputs?: Record<string, bigint[]>;
}

const SIZE_KEYS = ['num', 'dim', 'dim0', 'dim1', 'dim2', 'low', 'len'] as const;


function fieldElement(x: bigint | number, what: string): bigint {
  const p = FR_MODULUS;
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x)) throw new Error(`${what} must be an integer`);
    x = BigInt(x);
  }
  if (typeof x !== 'bigint') throw new Error(`${what} must be a bigint or an integer number`);
  return ((x % p) + p) % p;
}

function sizesOf(spec: ProofSizes): ProofSizes {
  const out: ProofSizes = { num: spec.num };
  for (const k of SIZE_KEYS) {
    const v = spec[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || (k !== 'low' && v < 0))
      throw new Error(`size '${k}' must be ${k === 'low' ? 'an' : 'a non-negative'} integer number, got ${describeValue(v)}`);
    out[k] = v;
  }
  return out;
}

function describeSizes(s: ProofSizes): string {
  return SIZE_KEYS.filter((k) => s[k] !== undefined).map((k) => `${k} ${s[k]}`).join(', ');
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
function pointsFromHex(xs: unknown, what: string): Uint8Array {
  if (!Array.isArray(xs)) throw new Error(`${what} must be an array of hex points`);
  const out = new Uint8Array(96 * xs.length);
  xs.forEach((x, i) => {
    if (typeof x !== 'string' || !/^[0-9a-f]{192}$/i.test(x)) throw new Error(`${what}[${i}] is not a 96-byte hex point`);
    out.set(Buffer.from(x, 'hex'), 96 * i);
  });
  return out;
}

function nativeSpec(op: string, sizes: ProofSizes, domain: string, witness: Statement['witness'] | { tensors: WitnessTensors }, attention?: AttentionParams) {
  const spec: Record<string, unknown> = { op, domain, ...sizes };
  if (attention !== undefined) spec.attention = attention;
  if ('commitments' in witness) {
    spec.commit = true;
    spec.genDim = witness.genDim;
    spec.genLabel = witness.genLabel;
    spec.commitments = Object.fromEntries(
      Object.entries(witness.commitments).map(([k, v]) => [k, pointsFromHex(v, `commitments.${k}`)]),
    );
    if (witness.table) spec.tensors = { table: decimalScalars(witness.table, 'table') };
  } else if ('seed' in witness) spec.seed = witness.seed;
  else {
    const t: Record<string, Uint8Array> = {};
    for (const [name, values] of Object.entries(witness.tensors) as [string, readonly (bigint | number | string)[]][])
      t[name] = scalarsToBytes(
        values.map((v, i) => (typeof v === 'string' ? canonicalDecimal(v, `tensors.${name}[${i}]`) : fieldElement(v, `tensors.${name}[${i}]`))),
        name,
      );
    spec.tensors = t;
  }
  return spec;
}

const PROVE_FIELDS = ['op', 'num', 'dim', 'dim0', 'dim1', 'dim2', 'low', 'len', 'seed', 'tensors', 'backend', 'deviceBudget', 'domain', 'commit', 'genDim', 'genLabel', 'attention', 'outputs'] as const;

/** The sizes each op takes: required, then optional. */
function opSizes(op: ProofOp): { required: (keyof ProofSizes)[]; optional: (keyof ProofSizes)[] } {
  if (op === 'matmul' || op === 'zkattn') return { required: ['num', 'dim0', 'dim1', 'dim2'], optional: [] };
  if (op === 'tlookup-range' || op === 'tlookup-map') return { required: ['num', 'dim', 'len'], optional: ['low'] };
  return { required: ['num', 'dim'], optional: [] };
}

/** The witness tensors of an op (native/proto/ops.cpp witness_tensor_names): required, then optional. */
export function witnessTensorNames(op: ProofOp, num: number): { required: string[]; optional: string[] } {
  switch (op) {
    case 'inner-product':
      return { required: ['a', 'b'], optional: [] };
    case 'hadamard':
      return { required: ['a', 'b', 'c'], optional: [] };
    case 'matmul':
      return { required: ['A', 'B', 'C'], optional: [] };
    case 'tlookup-range':
      return { required: ['values'], optional: ['multiplicities'] };
    case 'tlookup-map':
      return { required: ['values', 'outputs'], optional: ['table', 'multiplicities'] };
    case 'zkattn':
      return { required: ['Q', 'K', 'V'], optional: ['O'] };
    default:
      return { required: Array.from({ length: Math.min(num, 8) }, (_, i) => `x${i}`).concat(num > 8 ? [`... x${num - 1}`] : []), optional: [] };
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Strict checks of a prove spec: unknown fields and tensor names, types, what applies to the op. */
function checkProveSpec(spec: unknown): asserts spec is ProveSpec {
  if (!isPlainObject(spec)) throw new TypeError(`prove: the spec must be an object, got ${describeValue(spec)}`);
  for (const key of Object.keys(spec)) {
    if (!(PROVE_FIELDS as readonly string[]).includes(key)) {
      const near = PROVE_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
      throw new TypeError(`prove: unknown field '${key}'${near ? ` (did you mean '${near}'?)` : ''} (fields: ${PROVE_FIELDS.join(', ')})`);
    }
  }
  if (typeof spec.op !== 'string' || !PROOF_OPS.includes(spec.op as ProofOp))
    throw new TypeError(`prove: unknown op ${typeof spec.op === 'string' ? `'${spec.op}'` : describeValue(spec.op)} (expected ${PROOF_OPS.join(', ')})`);
  const op = spec.op as ProofOp;
  const { required, optional } = opSizes(op);
  for (const k of SIZE_KEYS) {
    const v = spec[k];
    if (v === undefined) {
      if (required.includes(k)) throw new TypeError(`prove: '${k}' is required for ${op} (it takes ${[...required, ...optional].join(', ')})`);
      continue;
    }
    // A size the op does not take is type-checked and kept in the statement (it is bound there, and
    // callers pass one size record to every op), never read by the op.
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`prove: '${k}' must be an integer number, got ${describeValue(v)}`);
    if (k !== 'low' && v < 1) throw new RangeError(`prove: '${k}' must be at least 1, got ${v}`);
  }
  if (spec.seed !== undefined && (typeof spec.seed !== 'number' || !Number.isSafeInteger(spec.seed) || spec.seed < 0))
    throw new TypeError(`prove: 'seed' must be a non-negative integer number, got ${describeValue(spec.seed)}`);
  if (spec.seed !== undefined && spec.tensors !== undefined) throw new TypeError(`prove: give either 'seed' or 'tensors' as the witness, not both`);
  if (spec.tensors !== undefined) {
    if (!isPlainObject(spec.tensors)) throw new TypeError(`prove: 'tensors' must be an object of arrays, got ${describeValue(spec.tensors)}`);
    const names = witnessTensorNames(op, spec.num as number);
    const known = (n: string) =>
      op === 'commit' || op === 'opening' ? /^x(0|[1-9][0-9]*)$/.test(n) && Number(n.slice(1)) < (spec.num as number) : names.required.includes(n) || names.optional.includes(n);
    if (op !== 'commit' && op !== 'opening')
      for (const n of names.required)
        if (!(n in spec.tensors)) throw new TypeError(`prove: witness tensor '${n}' is missing (${op} needs ${names.required.join(', ')}; given: ${Object.keys(spec.tensors).join(', ') || 'none'})`);
    for (const [name, values] of Object.entries(spec.tensors)) {
      if (!known(name))
        throw new TypeError(`prove: ${op} has no witness tensor '${name}' (its tensors: ${[...names.required, ...names.optional.map((n) => `${n} (optional)`)].join(', ')})`);
      if (!Array.isArray(values)) throw new TypeError(`prove: tensors.${name} must be an array of integers (numbers or bigints), got ${describeValue(values)}`);
      for (let i = 0; i < values.length; i++) {
        const x: unknown = values[i];
        if (!(typeof x === 'bigint' || (typeof x === 'number' && Number.isSafeInteger(x))))
          throw new TypeError(`prove: tensors.${name}[${i}] must be an integer (a number or a bigint), got ${describeValue(x)}`);
      }
    }
  }
  if (spec.backend !== undefined && !isBackendName(spec.backend))
    throw new TypeError(`prove: 'backend' must be 'auto', 'cpu' or 'cuda', got ${describeValue(spec.backend)}`);
  if (spec.deviceBudget !== undefined && (typeof spec.deviceBudget !== 'number' || !Number.isSafeInteger(spec.deviceBudget) || spec.deviceBudget < 0))
    throw new TypeError(`prove: 'deviceBudget' must be a non-negative integer number of bytes, got ${describeValue(spec.deviceBudget)}`);
  if (spec.domain !== undefined && typeof spec.domain !== 'string') throw new TypeError(`prove: 'domain' must be a string, got ${describeValue(spec.domain)}`);
  if (spec.commit !== undefined && typeof spec.commit !== 'boolean') throw new TypeError(`prove: 'commit' must be a boolean, got ${describeValue(spec.commit)}`);
  const commit = spec.commit === true || COMMITMENT_OPS.includes(op);
  if (spec.genDim !== undefined || commit) {
    const w = spec.genDim;
    if (w === undefined) throw new TypeError(`prove: 'genDim' (a power of two up to 2^20) is required ${COMMITMENT_OPS.includes(op) ? `for ${op}` : 'with commit: true'}`);
    if (!commit) throw new TypeError(`prove: 'genDim' applies only with commit: true`);
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 1 || w > 2 ** 20 || (w & (w - 1)) !== 0)
      throw new TypeError(`prove: 'genDim' must be a power of two in [1, 2^20], got ${describeValue(w)}`);
  }
  checkAttention(op, spec.attention, 'prove');
  if (spec.outputs !== undefined) {
    if (typeof spec.outputs !== 'boolean') throw new TypeError(`prove: 'outputs' must be a boolean, got ${describeValue(spec.outputs)}`);
    if (op !== 'zkattn') throw new TypeError(`prove: 'outputs' applies only to op 'zkattn'`);
  }
  if (spec.genLabel !== undefined) {
    if (typeof spec.genLabel !== 'string' || spec.genLabel.length === 0) throw new TypeError(`prove: 'genLabel' must be a non-empty string, got ${describeValue(spec.genLabel)}`);
    if (!commit) throw new TypeError(`prove: 'genLabel' applies only with commit: true`);
  }
}

/** 'zkattn' needs its attention parameters, and no other op takes them. */
function checkAttention(op: ProofOp, a: unknown, where: string): void {
  if (op !== 'zkattn') {
    if (a !== undefined) throw new TypeError(`${where}: 'attention' applies only to op 'zkattn'`);
    return;
  }
  if (!isPlainObject(a)) throw new TypeError(`${where}: zkattn needs 'attention' ({ config, name, maxTableBits, rowSumLow, rowSumBits }: zkllm-kit/acc's zkattnParams), got ${describeValue(a)}`);
  const keys = ['config', 'name', 'maxTableBits', 'rowSumLow', 'rowSumBits'];
  for (const k of Object.keys(a)) if (!keys.includes(k)) throw new TypeError(`${where}: attention has no field '${k}' (fields: ${keys.join(', ')})`);
  if (!isPlainObject(a.config)) throw new TypeError(`${where}: attention.config must be a quantization config object`);
  if (typeof a.name !== 'string') throw new TypeError(`${where}: attention.name must be a string`);
  for (const k of ['maxTableBits', 'rowSumLow', 'rowSumBits'] as const)
    if (typeof a[k] !== 'number' || !Number.isSafeInteger(a[k]) || (a[k] as number) < 0)
      throw new TypeError(`${where}: attention.${k} must be a non-negative integer, got ${describeValue(a[k])}`);
}

/** Refuses, before any work, a backend that cannot hold what the call needs. */
function checkDevice(where: string, backend: Backend, deviceBudget: number | undefined): void {
  if (backend !== 'cuda' || deviceBudget === undefined) return;
  const d = native().info().devices[0];
  if (d && deviceBudget > d.memoryBytes)
    throw new MemoryLimitError(`${where}: deviceBudget ${formatBytes(deviceBudget)} is more than the GPU's ${formatBytes(d.memoryBytes)} (${d.name})`, deviceBudget, d.memoryBytes);
}

/** Each array made from its BigInt64Array when first read (a head's O is millions of values a caller may never read). */
function lazyBigintArrays(typed: Record<string, BigInt64Array>): Record<string, bigint[]> {
  const out: Record<string, bigint[]> = {};
  for (const [k, v] of Object.entries(typed)) {
    let made: bigint[] | undefined;
    Object.defineProperty(out, k, { enumerable: true, configurable: true, get: () => (made ??= Array.from(v)), set: (x: bigint[]) => void (made = x) });
  }
  return out;
}

export function prove(spec: ProveSpec): ProofResult {
  checkProveSpec(spec);
  const sizes = sizesOf(spec);
  const domain = spec.domain ?? 'zkllm-kit';
  const seed = spec.seed ?? 0;
  const witness = spec.tensors ? { tensors: spec.tensors } : { seed };
  const commit = spec.commit === true || COMMITMENT_OPS.includes(spec.op);
  const genLabel = spec.genLabel ?? DEFAULT_GENERATOR_LABEL;
  const backend = pickBackend(spec);
  const given = spec.tensors ? Object.values(spec.tensors).reduce((a, v) => a + v.length, 0) : 0;
  const onDevice = spec.op === 'zkattn' && zkattnOnDevice(sizes, { backend, committed: commit, deviceBudget: spec.deviceBudget, deviceMemory: info().devices[0]?.memoryBytes });
  checkHostMemory(`prove (${spec.op}, ${describeSizes(sizes)})`, proofHostBytes(spec.op, sizes, { role: 'prove', committed: commit, genDim: spec.genDim, givenElements: given, onDevice }));
  checkDevice('prove', backend, spec.deviceBudget);
  const c0 = performance.now();
  const r = native().proofProve(
    { ...nativeSpec(spec.op, sizes, domain, witness, spec.attention), deviceBudget: spec.deviceBudget ?? 0, commit, genDim: spec.genDim ?? 0, genLabel, outputs: spec.outputs !== false },
    backend,
  );
  const callMs = performance.now() - c0;
  const dec = (b: Uint8Array) => bytesToScalars(b).map((x) => x.toString());
  const statement: Statement = {
    version: 1,
    op: spec.op,
    domain,
    sizes,
    witness: commit
      ? {
          commitments: Object.fromEntries(Object.entries(r.commitments).map(([k, b]) => [k, Array.from({ length: b.length / 96 }, (_, i) => hex(b.subarray(96 * i, 96 * i + 96)))])),
          genDim: spec.genDim as number,
          genLabel,
          ...(spec.tensors?.table ? { table: spec.tensors.table.map((x, i) => fieldElement(x, `tensors.table[${i}]`).toString()) } : {}),
        }
      : spec.tensors
        ? { tensors: Object.fromEntries(Object.entries(spec.tensors).map(([k, v]) => [k, v.map((x, i) => fieldElement(x, `tensors.${k}[${i}]`).toString())])) }
        : { seed },
    claims: dec(r.claims),
    finalEvals: r.evals.map((e) => ({ tensor: e.tensor, point: dec(e.point), value: dec(e.value)[0] })),
    ...(spec.attention ? { attention: structuredClone(spec.attention) } : {}),
  };
  const outputs = Object.keys(r.outputs).length ? lazyBigintArrays(r.outputs) : undefined;
  return { statement, proof: r.proof, prover: { backend, phasesMs: r.phasesMs, lookups: r.lookups, callMs }, ...(outputs ? { outputs } : {}) };
}

export interface ProofCheck {
  valid: boolean;
  reason: string;
}

/** The result of a partial check: not a verification. */
export interface SumcheckCheck {
  /** The transcript and every sumcheck are consistent with the statement's claims. */
  consistent: boolean;
  reason: string;
  /** What this call did not check. */
  unchecked: string[];
}

/** A statement's field element: a canonical decimal string (no sign, no leading zeros, below p),
 *  so that one proof matches exactly one statement. */
function canonicalDecimal(x: unknown, what: string): bigint {
  if (typeof x !== 'string' || !/^(0|[1-9][0-9]*)$/.test(x)) throw new Error(`${what} is not a canonical decimal string`);
  const v = BigInt(x);
  if (v >= FR_MODULUS) throw new Error(`${what} is not below the field modulus`);
  return v;
}

function decimalScalars(xs: unknown, what: string): Uint8Array {
  if (!Array.isArray(xs)) throw new Error(`${what} must be an array of decimal strings`);
  return scalarsToBytes(xs.map((x, i) => canonicalDecimal(x, `${what}[${i}]`)), what);
}

type WitnessKind = 'seed' | 'tensors' | 'commitments';

/** The statement's one witness source, or a reason it has none or several. */
function witnessKind(w: unknown): WitnessKind | string {
  if (!w || typeof w !== 'object' || Array.isArray(w)) return 'witness is missing';
  const keys = Object.keys(w);
  const sources = (['seed', 'tensors', 'commitments'] as const).filter((k) => keys.includes(k));
  if (sources.length !== 1)
    return sources.length ? `witness holds ${sources.join(' and ')}: a statement has exactly one witness source` : 'witness has no seed, tensors or commitments';
  const allowed: Record<WitnessKind, string[]> = { seed: ['seed'], tensors: ['tensors'], commitments: ['commitments', 'genDim', 'genLabel', 'table'] };
  const extra = keys.filter((k) => !allowed[sources[0]].includes(k));
  if (extra.length) return `witness has unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')}`;
  const rec = w as Record<string, unknown>;
  if (sources[0] === 'commitments') {
    if (typeof rec.commitments !== 'object' || rec.commitments === null || Array.isArray(rec.commitments)) return 'witness commitments are missing';
    if (!Number.isSafeInteger(rec.genDim) || typeof rec.genLabel !== 'string') return 'genDim or genLabel is missing';
  } else if (sources[0] === 'seed') {
    if (!Number.isSafeInteger(rec.seed) || (rec.seed as number) < 0) return 'witness seed is not a non-negative integer';
  } else {
    if (typeof rec.tensors !== 'object' || rec.tensors === null || Array.isArray(rec.tensors)) return 'witness tensors are missing';
    for (const [name, values] of Object.entries(rec.tensors as Record<string, unknown>)) {
      if (!Array.isArray(values)) return `witness tensor '${name}' is not an array`;
      values.forEach((x, i) => canonicalDecimal(x, `tensors.${name}[${i}]`));
    }
  }
  return sources[0];
}

/** Runs the native verifier in `mode`; never throws. */
function runVerifier(statement: Statement, proof: Uint8Array, mode: 'full' | 'sumchecks'): ProofCheck {
  try {
    if (!statement || typeof statement !== 'object') return { valid: false, reason: 'statement is not an object' };
    if (statement.version !== 1) return { valid: false, reason: `unsupported statement version ${String(statement.version)}` };
    if (!PROOF_OPS.includes(statement.op)) return { valid: false, reason: `unknown op '${String(statement.op)}'` };
    if (typeof statement.domain !== 'string') return { valid: false, reason: 'domain must be a string' };
    if (!(proof instanceof Uint8Array)) return { valid: false, reason: 'proof must be a Uint8Array' };
    const sizes = sizesOf(statement.sizes ?? ({} as ProofSizes));
    const kind = witnessKind(statement.witness);
    if (kind !== 'seed' && kind !== 'tensors' && kind !== 'commitments') return { valid: false, reason: kind };
    const w = statement.witness as Partial<CommittedWitness> & { tensors?: Record<string, unknown[]> };
    const given = kind === 'tensors' ? Object.values(w.tensors ?? {}).reduce((a, v) => a + v.length, 0) : 0;
    checkHostMemory(
      `verify (${statement.op}, ${describeSizes(sizes)})`,
      proofHostBytes(statement.op, sizes, {
        role: 'verify',
        committed: kind === 'commitments',
        genDim: w.genDim,
        givenElements: given,
        // the plain verifier recomputes the witness on the GPU when one is usable
        onDevice: statement.op === 'zkattn' && zkattnOnDevice(sizes, { backend: info().autoBackend, committed: kind === 'commitments', deviceMemory: info().devices[0]?.memoryBytes }),
      }),
    );
    const evals = (statement.finalEvals ?? []).map((e, i) => {
      if (!e || typeof e.tensor !== 'string') throw new Error(`finalEvals[${i}].tensor is not a string`);
      return { tensor: e.tensor, point: decimalScalars(e.point, `finalEvals[${i}].point`), value: decimalScalars([e.value], `finalEvals[${i}].value`) };
    });
    checkAttention(statement.op, statement.attention, 'verify');
    const r = native().proofVerify(
      nativeSpec(statement.op, sizes, statement.domain, statement.witness, statement.attention),
      decimalScalars(statement.claims, 'claims'),
      evals,
      proof,
      mode,
    );
    return { valid: r.ok, reason: r.reason };
  } catch (e) {
    return { valid: false, reason: (e as Error).message };
  }
}

/** Verifies the whole statement and says why a proof is rejected. Never throws. */
export function checkProof(statement: Statement, proof: Uint8Array, ...rest: unknown[]): ProofCheck {
  if (rest.length && rest[0] !== undefined)
    return { valid: false, reason: 'checkProof takes no options: it always checks the whole statement (checkSumchecksOnly is the partial check)' };
  return runVerifier(statement, proof, 'full');
}

/** true when the proof verifies against the whole statement; never throws. */
export function verify(statement: Statement, proof: Uint8Array, ...rest: unknown[]): boolean {
  return checkProof(statement, proof, ...rest).valid;
}

/**
 * A partial check of a plain statement (seed or tensors): the transcript and every sumcheck, but
 * not the final evaluations against the witness. Not a verification: `unchecked` says what is left.
 * Committed statements are only ever verified in full.
 */
export function checkSumchecksOnly(statement: Statement, proof: Uint8Array): SumcheckCheck {
  const r = runVerifier(statement, proof, 'sumchecks');
  const tensors = Array.isArray(statement?.finalEvals) ? statement.finalEvals.map((e) => String(e?.tensor)) : [];
  return {
    consistent: r.valid,
    reason: r.reason,
    unchecked: tensors.length ? [`the final evaluations of ${tensors.join(', ')} against the witness`] : [],
  };
}
