// An independent TypeScript verifier for the five protocol ops, written from the protocol
// descriptions in native/proto/*.cpp headers and the transcript framing model (ref-transcript.ts),
// with bigint arithmetic only. It re-derives every Fiat–Shamir challenge, so it checks that the
// proof follows the documented schedule (each challenge drawn after the message it must follow),
// that every finalEvals point is the one the transcript gives, and, given β, the lookup
// 'inverses' claim too. The transcript schedule it assumes:
//   open:      domain; absorb "op" (UTF-8); absorb "sizes" (7 × u64 LE: num, dim, dim0, dim1, dim2,
//              low as two's complement, len; absent = 0); absorb "witness" ("seed:<n>" or
//              "tensors:<hex SHA-256 of, per tensor in byte order of name: name, 0x00, u64 LE count,
//              32-byte LE values>"); for tlookup-map, absorb "table" (SHA-256 of the len table
//              outputs, 32-byte LE each)
//   final evaluations are of the zero-padded tensors; the lookup sumcheck's padded columns are
//              recovered as claim + pad·(1 − μ), μ the MLE of the padding mask
//   sumcheck:  per round j, absorb each g_j(t) under "<label>/round/<j>", then challenge
//              "<label>/challenge/<j>"; g_j(0) + g_j(1) must equal the running claim
//   challenges(label, k) = challenge("<label>/0") .. challenge("<label>/<k-1>")
//   inner-product: absorb each claim ("claim"); u_num; sumcheck "ip" of eq(u_num, n)·a·b
//   hadamard:      u (all variables); absorb c~(u) ("claim"); sumcheck "hadamard" of eq(u, x)·a·b
//   matmul:        u_cols, u_rows, u_num; absorb C~(u_cols, u_rows, u_num); sumcheck "matmul" over
//                  (j, n) of eq(u_num, n)·A'(n, j)·B'(n, j)
//   tlookup:       r (map only), beta; σ (first proof scalar) absorbed as "tlookup/sigma";
//                  tlookup/u, alpha; sumcheck "tlookup/values" (degree 3, claim α + σ);
//                  sumcheck "tlookup/table" (degree 2, claim σ)
import { createHash } from 'node:crypto';
import type { Statement } from '../../src/proof';
import { P, mod } from './field';
import { RefTranscript, scalarBytesLE } from './ref-transcript';
import { inv, log2, mleEval, nextPow2, padAxes, plainWitness, refWitness } from './proof-ref';

export interface RefVerdict {
  ok: boolean;
  reason: string;
  /** The points the transcript gives, per finalEvals tensor (filled as far as verification got). */
  points: Record<string, bigint[]>;
  /** Lookup challenges, for the 'inverses' check. */
  beta?: bigint;
  r?: bigint;
}

class Fail extends Error {}
const fail = (why: string): never => {
  throw new Fail(why);
};

function u64le(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, v));
  return b;
}

export function witnessId(statementWitness: Statement['witness']): string {
  const w = plainWitness(statementWitness);
  if ('seed' in w) return `seed:${w.seed}`;
  const h = createHash('sha256');
  const names = Object.keys(w.tensors).sort((x, y) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8')));
  for (const name of names) {
    const t = w.tensors[name];
    h.update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.of(0), u64le(BigInt(t.length))]));
    for (const x of t) h.update(scalarBytesLE(mod(BigInt(x))));
  }
  return 'tensors:' + h.digest('hex');
}

/** eq(u, x) for x the integer whose bit j goes with u_j. */
function eqAt(u: readonly bigint[], x: number): bigint {
  let acc = 1n;
  for (let j = 0; j < u.length; j++) acc = (acc * (Math.floor(x / 2 ** j) % 2 ? u[j] : 1n - u[j] + P)) % P;
  return acc;
}
function eqEval(a: readonly bigint[], b: readonly bigint[]): bigint {
  if (a.length !== b.length) fail('eq of points of different lengths');
  let acc = 1n;
  for (let j = 0; j < a.length; j++) acc = mod(acc * (a[j] * b[j] + (1n - a[j]) * (1n - b[j])));
  return acc;
}
/** The polynomial of degree ≤ d with values v(0..d), at x (Lagrange). */
function interpolate(v: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let i = 0; i < v.length; i++) {
    let num = 1n;
    let den = 1n;
    for (let j = 0; j < v.length; j++) {
      if (j === i) continue;
      num = mod(num * (x - BigInt(j)));
      den = mod(den * BigInt(i - j));
    }
    acc = mod(acc + v[i] * num * inv(den));
  }
  return acc;
}

class Reader {
  private pos = 0;
  constructor(private readonly xs: bigint[]) {}
  take(n: number): bigint[] {
    if (this.pos + n > this.xs.length) fail(`proof too short: wanted ${n} more scalars at ${this.pos} of ${this.xs.length}`);
    const out = this.xs.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  done(): void {
    if (this.pos !== this.xs.length) fail(`proof has ${this.xs.length - this.pos} extra scalars`);
  }
}

function sumcheck(tr: RefTranscript, rd: Reader, label: string, nvars: number, degree: number, claim: bigint) {
  const point: bigint[] = [];
  let expected = claim;
  for (let j = 0; j < nvars; j++) {
    const g = rd.take(degree + 1);
    if (mod(g[0] + g[1]) !== expected) fail(`${label}: round ${j} does not sum to the running claim`);
    for (const x of g) tr.absorbScalar(`${label}/round/${j}`, x);
    const r = tr.challenge(`${label}/challenge/${j}`);
    point.push(r);
    expected = interpolate(g, r);
  }
  return { point, expected };
}
const challenges = (tr: RefTranscript, label: string, k: number) => Array.from({ length: k }, (_, i) => tr.challenge(`${label}/${i}`));

/**
 * Verifies (statement, proof) independently. With `oracle`, also evaluates the witness (re-derived
 * by proof-ref.ts) at every point, 'inverses' included.
 */
export function refVerify(st: Statement, proofBytes: Uint8Array, oracle = true): RefVerdict {
  const points: Record<string, bigint[]> = {};
  const verdict: RefVerdict = { ok: false, reason: '', points };
  try {
    if (proofBytes.length % 32) fail('proof length not a multiple of 32');
    const scalars: bigint[] = [];
    for (let i = 0; i < proofBytes.length; i += 32) {
      let v = 0n;
      for (let j = 31; j >= 0; j--) v = (v << 8n) | BigInt(proofBytes[i + j]);
      if (v >= P) fail(`proof scalar ${i / 32} ≥ p`);
      scalars.push(v);
    }
    const rd = new Reader(scalars);
    const s = st.sizes;
    const tr = new RefTranscript(st.domain);
    tr.absorb('op', Buffer.from(st.op, 'utf8'));
    tr.absorb('sizes', Buffer.concat([s.num, s.dim, s.dim0, s.dim1, s.dim2, s.low, s.len].map((v) => u64le(BigInt(v ?? 0)))));
    tr.absorb('witness', Buffer.from(witnessId(st.witness), 'utf8'));
    const lookupTable = st.op === 'tlookup-map' ? refWitness(st.op, st.sizes, st.witness).logical.table : [];
    if (st.op === 'tlookup-map') {
      const h = createHash('sha256');
      for (const x of lookupTable) h.update(scalarBytesLE(mod(x)));
      tr.absorb('table', h.digest());
    }
    const claimed = new Map<string, { point: bigint[]; value: bigint }>();
    for (const e of st.finalEvals) {
      if (claimed.has(e.tensor)) fail(`duplicate final evaluation of ${e.tensor}`);
      claimed.set(e.tensor, { point: e.point.map(BigInt), value: BigInt(e.value) });
    }
    const at = (name: string, point: bigint[]): bigint => {
      points[name] = point;
      const e = claimed.get(name) ?? fail(`no final evaluation of ${name}`);
      if (e.point.length !== point.length || e.point.some((x, i) => x !== point[i])) fail(`${name} claimed at another point`);
      return e.value;
    };
    const claims = st.claims.map(BigInt);
    let expectNames: string[];

    if (st.op === 'inner-product') {
      const [numP, dimP] = [nextPow2(s.num), nextPow2(s.dim!)];
      if (claims.length !== s.num) fail('one claim per instance expected');
      for (const c of claims) tr.absorbScalar('claim', c);
      const vn = log2(numP);
      const vars = vn + log2(dimP);
      const uN = challenges(tr, 'u_num', vn);
      const combined = claims.reduce((acc, c, n) => mod(acc + eqAt(uN, n) * c), 0n);
      const sc = sumcheck(tr, rd, 'ip', vars, 3, combined);
      rd.done();
      const [a, b] = [at('a', sc.point), at('b', sc.point)];
      if (mod(eqEval(uN, sc.point.slice(vars - vn)) * a * b) !== sc.expected) fail('final check');
      expectNames = ['a', 'b'];
    } else if (st.op === 'hadamard') {
      if (claims.length) fail('no claims expected');
      const vars = log2(nextPow2(s.num)) + log2(nextPow2(s.dim!));
      const u = challenges(tr, 'u', vars);
      const c = at('c', u);
      tr.absorbScalar('claim', c);
      const sc = sumcheck(tr, rd, 'hadamard', vars, 3, c);
      rd.done();
      const [a, b] = [at('a', sc.point), at('b', sc.point)];
      if (mod(eqEval(u, sc.point) * a * b) !== sc.expected) fail('final check');
      expectNames = ['c', 'a', 'b'];
    } else if (st.op === 'matmul') {
      if (claims.length) fail('no claims expected');
      const [vn, vi, vj, vk] = [s.num, s.dim0!, s.dim1!, s.dim2!].map((x) => log2(nextPow2(x)));
      const uK = challenges(tr, 'u_cols', vk);
      const uI = challenges(tr, 'u_rows', vi);
      const uN = challenges(tr, 'u_num', vn);
      const c = at('C', [...uK, ...uI, ...uN]);
      tr.absorbScalar('claim', c);
      const sc = sumcheck(tr, rd, 'matmul', vj + vn, 3, c);
      rd.done();
      const rJ = sc.point.slice(0, vj);
      const rN = sc.point.slice(vj);
      const a = at('A', [...rJ, ...uI, ...rN]);
      const b = at('B', [...uK, ...rJ, ...rN]);
      if (mod(eqEval(uN, rN) * a * b) !== sc.expected) fail('final check');
      expectNames = ['C', 'A', 'B'];
    } else if (st.op === 'tlookup-range' || st.op === 'tlookup-map') {
      if (claims.length) fail('no claims expected');
      const mapping = st.op === 'tlookup-map';
      const [low, len] = [s.low ?? 0, s.len!];
      const v1 = log2(nextPow2(s.num)) + log2(nextPow2(s.dim!));
      const tableSize = nextPow2(len);
      const v2 = log2(tableSize);
      const r = mapping ? tr.challenge('tlookup/r') : 0n;
      const beta = tr.challenge('tlookup/beta');
      verdict.r = r;
      verdict.beta = beta;
      const [sigma] = rd.take(1);
      tr.absorbScalar('tlookup/sigma', sigma);
      const u = challenges(tr, 'tlookup/u', v1);
      const alpha = tr.challenge('tlookup/alpha');
      const s1 = sumcheck(tr, rd, 'tlookup/values', v1, 3, mod(alpha + sigma));
      const s2 = sumcheck(tr, rd, 'tlookup/table', v2, 2, sigma);
      rd.done();
      // the claims are of zero-padded tensors; the sumcheck's columns hold the padding rows
      const mask = padAxes(new Array(s.num * s.dim!).fill(1n), [s.num, s.dim!]);
      const outside = mod(1n - mleEval(mask, s1.point));
      const table = lookupTable;
      const t0 = mapping ? table[0] : 0n;
      const sIn = mod(at('values', s1.point) + BigInt(low) * outside);
      const sOut = mapping ? mod(at('outputs', s1.point) + t0 * outside) : 0n;
      const a = mod(at('inverses', s1.point) + inv(mod(BigInt(low) + r * t0 + beta)) * outside);
      const m = at('multiplicities', s2.point);
      const sv = mod(sIn + r * sOut);
      if (mod(alpha * eqEval(u, s1.point) * a * (sv + beta) + a) !== s1.expected) fail('values: final check');
      // the table, padded by repeating its last row
      const B: bigint[] = [];
      for (let j = 0; j < tableSize; j++) {
        const jj = Math.min(j, len - 1);
        B.push(inv(mod(BigInt(low + jj) + (mapping ? r * table[jj] : 0n) + beta)));
      }
      if (mod(m * mleEval(B, s2.point)) !== s2.expected) fail('table: final check');
      expectNames = mapping ? ['values', 'outputs', 'inverses', 'multiplicities'] : ['values', 'inverses', 'multiplicities'];
    } else {
      return fail(`unknown op ${String(st.op)}`);
    }
    if (claimed.size !== expectNames.length || expectNames.some((n) => !claimed.has(n))) fail('unexpected final evaluation entries');

    if (oracle) {
      const w = refWitness(st.op, st.sizes, st.witness);
      for (const e of st.finalEvals) {
        let t = w.padded[e.tensor];
        if (e.tensor === 'inverses') {
          const sIn = w.logical.values;
          const sOut = w.logical.outputs;
          const logical = sIn.map((x, i) => inv(mod(x + (sOut ? verdict.r! * sOut[i] : 0n) + verdict.beta!)));
          t = padAxes(logical, [st.sizes.num, st.sizes.dim!]);
        }
        if (mleEval(t, e.point.map(BigInt)) !== BigInt(e.value)) fail(`oracle: ${e.tensor} does not match the witness`);
      }
    }
    verdict.ok = true;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    verdict.reason = e.message;
  }
  return verdict;
}
