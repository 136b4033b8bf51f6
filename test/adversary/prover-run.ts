// The state every per-op adversarial prover shares: the spec, the hooks, the transcript (opened
// as native open_transcript does), the working tensors, commit mode (row commitments absorbed as
// "commitment/<name>", openings after the sumchecks), the proof bytes and the final statement.
// Hooks may deviate at every step; without hooks the output is prove()'s, byte for byte.
import type { ProofOp, ProofSizes, Statement } from '../../src/proof';
import { DEFAULT_GENERATOR_LABEL } from '../../src/commit';
import { witnessId } from '../helpers/proof-verifier';
import { hex } from '../helpers/g1ref';
import { commitRows, Gens, hyraxProve, kitGens } from './hyrax-prover';
import { mod } from './mle';
import { ProofBytes } from './proof-bytes';
import { absorbAfterWitness } from './protocol-version';
import { AdvTranscript, DrawnChallenge } from './transcript-log';

export interface AdvSpec extends ProofSizes {
  op: ProofOp;
  seed?: number;
  /** Logical tensors, as prove() takes them. */
  tensors?: Record<string, readonly (bigint | number)[]>;
  domain?: string;
  commit?: boolean;
  genDim?: number;
  genLabel?: string;
}

export interface Eval {
  tensor: string;
  point: bigint[];
  value: bigint;
}

export interface StepContext {
  /** Where the prover is: 'witness', 'committed', a challenge label drawn just now, 'sumcheck', 'evals'. */
  step: string;
  challenges: readonly DrawnChallenge[];
  /** The working tensors in padded layout; a hook may replace entries (or whole tensors). */
  tensors: Record<string, bigint[]>;
  /** 'tlookup-map': the public output column (len entries); a hook may replace it. */
  table?: bigint[];
}

export interface Hooks {
  /** Called at every step with the mutable state; runs after the challenges of that step. */
  onStep?: (ctx: StepContext) => void;
  /** The tensor committed under `name` (default: the working tensor). */
  committed?: (name: string, t: bigint[]) => bigint[] | void;
  /** The tensor a final evaluation is opened on (default: the working tensor). */
  opened?: (name: string, t: bigint[]) => bigint[] | void;
  /** Public claims, before they are absorbed. */
  claims?: (claims: bigint[]) => bigint[] | void;
  /** A sumcheck round message, before it is absorbed. */
  round?: (label: string, j: number, g: bigint[]) => bigint[] | void;
  /** v3: the values f_p(s) sent at the claims opening's reduced point, before they are absorbed;
   *  `weights[p]` is what the verifier's last check multiplies value p by (ρ^j·cols_p~(s)). */
  claimsAt?: (at: bigint[], weights: bigint[]) => bigint[] | void;
  /** The final evaluations listed in the statement (after the openings). */
  finalEvals?: (evals: Eval[]) => Eval[] | void;
  /** The statement, last. */
  statement?: (st: Statement) => Statement | void;
  /** Generator set of commit mode (default: the kit's hashed set). */
  gens?: Gens;
}

export interface AdvResult {
  statement: Statement;
  proof: Uint8Array;
  transcript: AdvTranscript;
  /** Working tensors at the end (padded). */
  tensors: Record<string, bigint[]>;
}

const SIZE_KEYS = ['num', 'dim', 'dim0', 'dim1', 'dim2', 'low', 'len'] as const;
export const COMMITMENT_OPS: readonly ProofOp[] = ['commit', 'opening'];

export class ProverRun {
  readonly tr: AdvTranscript;
  readonly proof = new ProofBytes();
  readonly evals: Eval[] = [];
  readonly rows: Record<string, Uint8Array[]> = {};
  readonly ctx: StepContext;
  readonly commitMode: boolean;
  readonly gens?: Gens;
  claims: bigint[] = [];
  /** The table shown in a commit-mode statement (when one was given, or a hook chose one). */
  statementTable?: bigint[];

  constructor(
    readonly spec: AdvSpec,
    readonly hooks: Hooks,
    tensors: Record<string, bigint[]>,
    table?: bigint[],
  ) {
    this.commitMode = spec.commit === true || COMMITMENT_OPS.includes(spec.op);
    this.ctx = { step: 'witness', challenges: [], tensors, table };
    if (this.commitMode) this.gens = hooks.gens ?? kitGens(this.genLabel, spec.genDim!);
    this.tr = new AdvTranscript(spec.domain ?? 'zkllm-kit');
    this.ctx.challenges = this.tr.drawn;
    this.openTranscript();
    this.step('witness');
  }

  get genLabel(): string {
    return this.spec.genLabel ?? DEFAULT_GENERATOR_LABEL;
  }
  get seeded(): boolean {
    return !this.spec.tensors;
  }
  t(name: string): bigint[] {
    const t = this.ctx.tensors[name];
    if (!t) throw new Error(`adversary: no working tensor '${name}'`);
    return t;
  }

  private openTranscript(): void {
    const s = this.spec;
    this.tr.absorb('op', Buffer.from(s.op, 'utf8'));
    const sizes = Buffer.alloc(56);
    [s.num, s.dim, s.dim0, s.dim1, s.dim2, s.low, s.len].forEach((v, i) => sizes.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v ?? 0)), 8 * i));
    this.tr.absorb('sizes', sizes);
    const id = this.commitMode
      ? `committed:${s.genDim}:${this.genLabel}`
      : witnessId(s.tensors ? { tensors: decimalTensors(s.tensors) } : { seed: s.seed ?? 0 });
    this.tr.absorb('witness', Buffer.from(id, 'utf8'));
    absorbAfterWitness(this.tr, s.op, this.ctx.table);
  }

  step(name: string): void {
    this.ctx.step = name;
    this.hooks.onStep?.(this.ctx);
  }
  challenge(label: string): bigint {
    const c = this.tr.challenge(label);
    this.step(label);
    return c;
  }
  challenges(label: string, k: number): bigint[] {
    const cs = this.tr.challenges(label, k);
    this.step(label);
    return cs;
  }

  /** Commit mode: commits the working tensor `name` (or the hook's) and absorbs the rows. */
  commit(name: string, t: bigint[] = this.t(name)): void {
    if (!this.commitMode) return;
    const committed = this.hooks.committed?.(name, t.slice()) ?? t;
    this.addRows(name, commitRows(this.gens!, committed));
  }
  addRows(name: string, rows: Uint8Array[]): void {
    this.rows[name] = rows;
    this.tr.absorbPoints(`commitment/${name}`, rows);
  }
  absorbClaims(label: string, claims: bigint[]): bigint[] {
    const cs = this.hooks.claims?.(claims.slice()) ?? claims;
    for (const c of cs) this.tr.absorbScalar(label, c);
    return cs;
  }

  /** Commit mode: one Hyrax opening per final evaluation, in order, on `tensorOf(name)`. */
  openEvals(tensorOf: (name: string) => bigint[], open = defaultOpen): void {
    if (!this.commitMode) return;
    for (const e of this.evals) {
      const t = tensorOf(e.tensor);
      open(this, e, this.hooks.opened?.(e.tensor, t.slice()) ?? t);
    }
  }

  /** Commit mode: every final evaluation with its tensor (`tensorOf(name)`), opened together. */
  openEvalsTogether(tensorOf: (name: string) => bigint[], open: (run: ProverRun, opened: { e: Eval; t: bigint[] }[]) => void): void {
    if (!this.commitMode) return;
    open(
      this,
      this.evals.map((e) => {
        const t = tensorOf(e.tensor);
        return { e, t: this.hooks.opened?.(e.tensor, t.slice()) ?? t };
      }),
    );
  }

  finish(): AdvResult {
    this.step('evals');
    const evals = this.hooks.finalEvals?.(this.evals.slice()) ?? this.evals;
    const st: Statement = {
      version: 1,
      op: this.spec.op,
      domain: this.spec.domain ?? 'zkllm-kit',
      sizes: sizesOf(this.spec),
      witness: this.witness(),
      claims: this.claims.map(String),
      finalEvals: evals.map((e) => ({ tensor: e.tensor, point: e.point.map(String), value: String(e.value) })),
    };
    return { statement: this.hooks.statement?.(st) ?? st, proof: this.proof.bytes(), transcript: this.tr, tensors: this.ctx.tensors };
  }

  private witness(): Statement['witness'] {
    const s = this.spec;
    if (this.commitMode) {
      const names = Object.keys(this.rows).sort();
      return {
        commitments: Object.fromEntries(names.map((k) => [k, this.rows[k].map(hex)])),
        genDim: s.genDim!,
        genLabel: this.genLabel,
        ...(this.statementTable ? { table: this.statementTable.map(String) } : {}),
      };
    }
    return s.tensors ? { tensors: decimalTensors(s.tensors) } : { seed: s.seed ?? 0 };
  }
}

function defaultOpen(run: ProverRun, e: Eval, t: bigint[]): void {
  run.proof.opening(hyraxProve(run.tr, `open/${e.tensor}`, t, e.point, run.gens!).proof);
}

export function decimalTensors(t: Record<string, readonly (bigint | number)[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.map((x) => mod(BigInt(x)).toString())]));
}

export function sizesOf(s: ProofSizes): ProofSizes {
  const out: ProofSizes = { num: s.num };
  for (const k of SIZE_KEYS) if (s[k] !== undefined) out[k] = s[k];
  return out;
}
