// 'tlookup-range' and 'tlookup-map': the logUp argument Σ_i 1/(β+S_i) = Σ_j m_j/(β+T_j) for all
// `num` instances of `dim` values against one table (their multiplicities summed).
//   range:   T_j = low + j for j < len;
//   mapping: columns combined with a challenge r: S = S_in + r·S_out, T_j = (low + j) + r·f_j.
// Padding: the stacked values are padded with the first table row (and m_0 counts the padding);
// the table is padded to a power of two by repeating its last row, with multiplicity 0. Commitments
// and final evaluation claims are of the zero-padded logical tensors, like every op's; the verifier
// adds the public padding back: S~(x) = s~(x) + pad·(1 − μ(x)), μ the padding mask's MLE.
// After β, the prover sends σ = Σ A with A_i = 1/(β+S_i) (batch inversion), then
//   SC1 over the values:  Σ_x [α·eq(u,x)·A(x)·(S(x)+β) + A(x)] = α + σ   (A is the inverse, Σ A = σ)
//   SC2 over the table:   Σ_y m(y)·B(y) = σ, with B_j = 1/(β+T_j) computed by both sides.
// The verifier is left with S (or S_in, S_out) and A at the point of SC1, and m at the point of SC2.
#include "committed_witness.h"
#include "final_evals.h"
#include "lookup_argument.h"
#include "ops.h"
#include "stacked_tensor.h"
#include "tensor_store.h"

namespace {
constexpr int64_t MAP_LO = -(int64_t(1) << 15);
constexpr uint64_t MAP_SPAN = uint64_t(1) << 16;
enum : uint64_t { ID_S = 21, ID_F = 22, ID_M = 23 };

struct LookupSetup {
  bool mapping;
  int64_t low;
  uint64_t len;
  AxisLayout values;
  size_t table_size;
  std::vector<Fr> table_in, table_out;  // padded; table_out empty for range
  LookupSetup(const ProtocolParams& p, const WitnessSource& w)
      : mapping(p.op == "tlookup-map"), low(p.low), len(p.len), values({p.num, p.dim}), table_size(next_pow2(p.len)) {
    table_in.resize(table_size);
    for (size_t j = 0; j < table_size; j++) table_in[j] = fr_from_i64(p.low + (int64_t)std::min<uint64_t>(j, p.len - 1));
    if (mapping) {
      // The table is public: given explicitly, or drawn from a seed that depends on its range alone.
      const std::vector<Fr> f = lookup_table_outputs(p, w);
      table_out.resize(table_size);
      for (size_t j = 0; j < table_size; j++) table_out[j] = f[std::min<uint64_t>(j, p.len - 1)];
    }
  }
  // The table as lookup_argument.h takes it.
  LookupTable table() const {
    LookupTable t;
    t.low = low, t.len = len, t.mapping = mapping, t.in = table_in, t.out = table_out;
    return t;
  }
  // The combined first table row: what padded value entries hold.
  Fr pad_row(const Fr& r) const { return table_in[0] + (mapping ? r * table_out[0] : Fr::zero()); }
  // Table index of every logical value, checking membership (range) and the pairing (mapping).
  std::vector<uint32_t> indices(const ProtocolParams& p, const std::vector<Fr>& s_in, const std::vector<Fr>* s_out) const {
    std::vector<uint32_t> idx(s_in.size());
    cpu_parallel_chunks(s_in.size(), [&](size_t lo, size_t hi, size_t) {
      for (size_t i = lo; i < hi; i++) {
        uint64_t j;
        if (!fr_offset_in_range(s_in[i], p.low, p.len, &j))
          throw std::invalid_argument("value at index " + std::to_string(i) + " is outside the table [" +
                                      std::to_string(p.low) + ", " + std::to_string(p.low + (int64_t)p.len) + ")");
        if (s_out && (*s_out)[i] != table_out[j])
          throw std::invalid_argument("pair at index " + std::to_string(i) + " (input " + std::to_string(p.low + (int64_t)j) +
                                      ") is not in the table: its output differs from the table's");
        idx[i] = (uint32_t)j;
      }
    });
    return idx;
  }
};

}  // namespace

std::vector<Fr> lookup_table_outputs(const ProtocolParams& p, const WitnessSource& w) {
  if (w.tensors.count("table")) return w.need("table", p.len);
  std::vector<Fr> f(p.len);
  const uint64_t table_seed = (uint64_t)p.low * 0x9e3779b97f4a7c15ULL ^ p.len;
  for (uint64_t j = 0; j < p.len; j++) f[j] = fr_from_i64(witness_int(table_seed, ID_F, j, MAP_LO, MAP_SPAN));
  return f;
}

namespace {
struct LookupWitness {
  std::vector<Fr> s_in, s_out, m;  // padded layouts; s_out empty for range
};

struct LookupDraw {
  std::vector<Fr> in, out;  // logical values and (mapping) outputs; out empty when still to look up
};

// The witness as given or drawn from the seed: what exists before the prover's work.
LookupDraw draw_lookup(const ProtocolParams& p, const WitnessSource& w, const LookupSetup& L) {
  const size_t n = L.values.logical_size();
  LookupDraw d;
  d.in.resize(n);
  if (w.seeded) {
    cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
      for (size_t i = lo; i < hi; i++) d.in[i] = fr_from_i64(witness_int(w.seed, ID_S, i, p.low, p.len));
    });
  } else {
    d.in = w.need("values", n);
  }
  if (L.mapping && !w.seeded) d.out = w.need("outputs", n);
  return d;
}

// Membership, the table outputs of a seeded mapping, the padded columns and the multiplicities.
LookupWitness lookup_witness(const ProtocolParams& p, const WitnessSource& w, const LookupSetup& L, LookupDraw d) {
  const size_t n = L.values.logical_size();
  const bool explicit_out = !d.out.empty();
  auto idx = L.indices(p, d.in, explicit_out ? &d.out : nullptr);
  if (L.mapping && !explicit_out) {
    d.out.resize(n);
    for (size_t i = 0; i < n; i++) d.out[i] = L.table_out[idx[i]];
  }
  LookupWitness W;
  W.s_in = L.values.build([&](size_t i) { return d.in[i]; }, L.table_in[0]);
  if (L.mapping) W.s_out = L.values.build([&](size_t i) { return d.out[i]; }, L.table_out[0]);
  if (!w.seeded && w.tensors.count("multiplicities")) {
    W.m = w.need("multiplicities", p.len);
    W.m.resize(L.table_size, Fr::zero());
  } else {
    std::vector<uint64_t> counts(L.table_size, 0);
    for (auto j : idx) counts[j]++;
    counts[0] += L.values.size() - n;
    W.m = counts_to_fr(counts);
  }
  return W;
}
LookupWitness lookup_witness(const ProtocolParams& p, const WitnessSource& w, const LookupSetup& L) {
  return lookup_witness(p, w, L, draw_lookup(p, w, L));
}

std::vector<Fr> combine(const std::vector<Fr>& in, const std::vector<Fr>& out, const Fr& r) {
  if (out.empty()) return in;
  std::vector<Fr> s(in.size());
  cpu_parallel_chunks(s.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) s[i] = in[i] + r * out[i];
  });
  return s;
}

struct LookupChallenges {
  Fr r, beta, alpha;
  std::vector<Fr> u;
};
void draw_pre_sigma(Transcript& tr, const LookupSetup& L, LookupChallenges& c) {
  c.r = L.mapping ? tr.challenge_fr("tlookup/r") : Fr::zero();
  c.beta = tr.challenge_fr("tlookup/beta");
}
void draw_post_sigma(Transcript& tr, const LookupSetup& L, LookupChallenges& c) {
  c.u = challenges(tr, "tlookup/u", L.values.vars());
  c.alpha = tr.challenge_fr("tlookup/alpha");
}
}  // namespace

namespace {
// Logical shapes of the committed tensors.
DimsOf lookup_dims(const ProtocolParams& p) {
  return [p](const std::string& name) { return name == "multiplicities" ? LogicalDims{p.len} : LogicalDims{p.num, p.dim}; };
}
std::vector<LogicalDims> opened_dims(const ProtocolParams& p, bool mapping) {
  auto d = lookup_dims(p);
  std::vector<LogicalDims> out = {d("values")};
  if (mapping) out.push_back(d("outputs"));
  out.push_back(d("inverses")), out.push_back(d("multiplicities"));
  return out;
}
}  // namespace

namespace {
// A seeded range lookup: the values, their inverses and the eq table are made and folded in a
// tensor store (on the GPU when it fits), the multiplicities counted there, and only the table
// side lives on the host. In commit mode (values that fill their padded layout) the values and the
// multiplicities are committed and opened by batch-opening engines from the seed and the counts,
// and the inverses by the store's engine of its own tensor: no witness tensor is formed on the
// host. Same transcript and bytes as the general prover.
void prove_seeded_range(const ProtocolParams& p, const WitnessSource& w, const LookupSetup& L, WitnessCommitments* wc,
                        ProtocolOutput& out, PhaseTimer& timer) {
  auto store = make_tensor_store(p.prover, 3 * L.values.size() * sizeof(Fr) * 2);
  const SeededTensor values{L.values.dims, w.seed, ID_S, p.low, p.len, L.table_in[0]};
  const TensorId ts = store->seeded(values);
  timer.mark("witness");
  std::vector<uint64_t> counts = store->seeded_histogram(values, L.table_size);
  counts[0] += L.values.size() - L.values.logical_size();
  std::vector<Fr> m = counts_to_fr(counts);
  timer.mark("multiplicities");
  Transcript tr = open_transcript(p, w);
  std::unique_ptr<BatchOpening> opened_values, opened_counts, opened_inverses;
  if (wc) {
    IntTensorSource vs;
    vs.seed = w.seed, vs.ids = {ID_S}, vs.lo = p.low, vs.span = p.len, vs.logical = L.values.logical_size();
    IntTensorSource ms;
    ms.seeded = false, ms.logical = p.len;
    ms.given.assign(1, std::vector<int32_t>(counts.begin(), counts.begin() + p.len));
    opened_values = make_int_batch_opening(wc->backend(), wc->generators(), std::move(vs), L.values.size());
    opened_counts = make_int_batch_opening(wc->backend(), wc->generators(), std::move(ms), L.table_size);
    wc->add(tr, "values", opened_values->commit(0));
    wc->add(tr, "multiplicities", opened_counts->commit(0));
    timer.mark("commit");
  }
  LookupChallenges c;
  draw_pre_sigma(tr, L, c);
  // Every value is a table row, so its inverse 1/(β + value) is gathered from the table's inverses
  // (which the table side needs anyway), and σ = Σ_i A_i = Σ_j m_j·B_j.
  auto B = shifted_inverses(L.table_in, c.beta, p.prover);
  const TensorId ta = store->seeded_gather(values, B, B[0]);
  if (wc) {
    timer.mark("inverses");
    opened_inverses = store->opening(store->copy(ta), wc->generators());
    wc->add(tr, "inverses", opened_inverses->commit(0));
    timer.mark("commit");
  }
  const Fr sigma = weighted_sum(m, B);
  tr.absorb_fr("tlookup/sigma", sigma);
  draw_post_sigma(tr, L, c);
  out.proof.fr(sigma);
  timer.mark("inverses");
  const TensorId te = store->eq(c.u);
  auto engine = store->sumcheck({te, ta, ts}, lookup_values_terms(c.alpha, c.beta));
  SumcheckProof p1;
  auto r1 = sumcheck_prove(tr, "tlookup/values", *engine, L.values.vars(), lookup_values_terms(c.alpha, c.beta), p1);
  write_sumcheck(out.proof, p1);
  timer.mark("values sumcheck");
  auto t2 = tensor_list(std::move(m), std::move(B));
  SumcheckProof p2;
  auto r2 = sumcheck_prove(tr, "tlookup/table", t2, lookup_table_terms(), p2, p.prover);
  write_sumcheck(out.proof, p2);
  timer.mark("table sumcheck");
  const Fr outside = Fr::one() - padding_mask_mle(L.values.dims, r1.point);
  out.evals.push_back({"values", r1.point, r1.final_values[2] - L.table_in[0] * outside});
  out.evals.push_back({"inverses", r1.point, r1.final_values[1] - (L.pad_row(c.r) + c.beta).inv() * outside});
  out.evals.push_back({"multiplicities", r2.point, r2.final_values[0]});
  if (!wc) return;
  wc->open_claims(tr, out.evals, lookup_dims(p), out.proof, nullptr,
                  {{"values", {opened_values.get()}}, {"inverses", {opened_inverses.get()}}, {"multiplicities", {opened_counts.get()}}});
  out.commitments = wc->rows;
  timer.mark("openings");
}

// Commit mode's engines hold the committed tensors, which are zero-padded: the values' padding
// (the first table row inside the argument) and its inverses must not exist, and every count must
// fit an int32.
bool commits_from_store(const ProtocolParams& p, const LookupSetup& L) {
  return L.values.size() == L.values.logical_size() && L.values.size() <= (size_t)INT32_MAX;
}
}  // namespace

ProtocolOutput prove_tlookup(const ProtocolParams& p, const WitnessSource& w) {
  ProtocolOutput out;
  PhaseTimer timer(out);
  LookupSetup L(p, w);
  if (w.seeded && !L.mapping && (!p.commit || commits_from_store(p, L))) {
    auto wc = WitnessCommitments::for_prover(p);
    prove_seeded_range(p, w, L, wc.get(), out, timer);
    return out;
  }
  LookupDraw drawn = draw_lookup(p, w, L);
  timer.mark("witness");
  LookupWitness W = lookup_witness(p, w, L, std::move(drawn));
  timer.mark("multiplicities");
  Transcript tr = open_transcript(p, w, L.mapping ? &L.table_out : nullptr);
  auto wc = WitnessCommitments::for_prover(p);
  const auto values = L.values.zero_padding(W.s_in), outputs = L.mapping ? L.values.zero_padding(W.s_out) : std::vector<Fr>();
  if (wc) {
    wc->commit(tr, "values", values);
    if (L.mapping) wc->commit(tr, "outputs", outputs);
    wc->commit(tr, "multiplicities", W.m);
    timer.mark("commit");
  }
  const LookupTable T = L.table();
  Fr r = Fr::zero(), beta = Fr::zero();
  auto c = lookup_prove(
      tr, "tlookup", {&T, L.values.dims, &values, L.mapping ? &outputs : nullptr, &W.m}, out.proof, p.prover,
      [&](const std::vector<Fr>& inverses, const Fr& r_, const Fr& beta_) {
        r = r_, beta = beta_;
        if (!wc) return;
        timer.mark("inverses");
        wc->commit(tr, "inverses", inverses);
        timer.mark("commit");
      },
      [&](const char* phase) { timer.mark(phase); });
  out.evals.push_back({"values", c.point, c.values});
  if (L.mapping) out.evals.push_back({"outputs", c.point, c.outputs});
  out.evals.push_back({"inverses", c.point, c.inverses});
  out.evals.push_back({"multiplicities", c.table_point, c.multiplicities});
  open_final_evals(
      wc.get(), tr, out,
      [&](const std::string& name) {
        if (name == "values") return values;
        if (name == "outputs") return outputs;
        if (name == "multiplicities") return W.m;
        return L.values.zero_padding(shifted_inverses(combine(W.s_in, W.s_out, r), beta, p.prover));
      },
      lookup_dims(p));
  timer.mark("openings");
  return out;
}

bool verify_tlookup(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
                    const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof_bytes, VerifyMode mode,
                    std::string& reason) {
  const bool mapping = p.op == "tlookup-map";
  {
    // The proof's length follows from the sizes: check it before building the table, whose size
    // the statement controls.
    const size_t v1 = mle_vars(AxisLayout({p.num, p.dim}).size()), v2 = mle_vars(next_pow2(p.len));
    size_t expected = 32 * (1 + 4 * v1 + 3 * v2);
    if (p.commit) expected += claims_opening_bytes(claims_opening_pairs(opened_dims(p, mapping), p.gen_dim), mle_vars(p.gen_dim));
    if (proof_bytes.size() != expected)
      return reason = "proof has " + std::to_string(proof_bytes.size()) + " bytes, the sizes imply " +
                      std::to_string(expected), false;
  }
  LookupSetup L(p, w);
  if (!claims.empty()) return reason = "tlookup takes no public claims", false;
  Transcript tr = open_transcript(p, w, L.mapping ? &L.table_out : nullptr);
  auto wc = WitnessCommitments::for_verifier(p, w);
  const size_t nvals = L.values.size();
  if (wc && !(wc->absorb(tr, "values", nvals, reason) && (!L.mapping || wc->absorb(tr, "outputs", nvals, reason)) &&
              wc->absorb(tr, "multiplicities", L.table_size, reason)))
    return false;
  FinalEvalCheck fe(evals, reason);
  ProofReader rd(proof_bytes);
  LookupVerifierState st;
  // the table side, and in full mode the witness re-drawn, in a tensor store (on the GPU when usable)
  auto store = make_tensor_store(verifier_config(), (3 * L.values.size() + 2 * L.table_size) * sizeof(Fr));
  if (!lookup_verify(
          tr, "tlookup", L.table(), *store, L.values.dims, rd,
          [&](std::string& why) { return !wc || wc->absorb(tr, "inverses", nvals, why); },
          [&](const char* role, const std::vector<Fr>& pt, Fr& v) { return fe.value(role, pt, v); }, st, reason))
    return false;
  if (!fe.all_used()) return false;
  const LookupClaims& lc = st.claims;
  const Fr s_in = lc.values, s_out = lc.outputs, a = lc.inverses, m = lc.multiplicities;
  const Fr outside = Fr::one() - padding_mask_mle(L.values.dims, lc.point);
  ClaimsOpeningProof openings;
  if (wc && !wc->read_claims(rd, opened_dims(p, L.mapping), openings)) return reason = rd.problem(), false;
  if (!rd.done()) return reason = "proof has bytes after its last message", false;
  if (wc) return wc->verify_claims(tr, evals, lookup_dims(p), openings, reason);
  if (mode == VerifyMode::Full && w.seeded && !L.mapping) {
    // The witness re-drawn: padded with low, as the sumcheck ran, and the claims compared with the
    // padding taken off again.
    store->drop(st.table_inverses);
    const SeededTensor values{L.values.dims, w.seed, ID_S, p.low, p.len, L.table_in[0]};
    const TensorId ts = store->seeded(values), er = store->eq(lc.point);
    if (store->sum_of_products({er, ts}) - L.table_in[0] * outside != s_in)
      return reason = "final evaluation of 'values' does not match the witness", false;
    const TensorId ta = store->shifted_inverse(ts, st.beta);
    if (store->sum_of_products({er, ta}) - (L.pad_row(st.r) + st.beta).inv() * outside != a)
      return reason = "final evaluation of 'inverses' does not match the witness", false;
    std::vector<uint64_t> counts = store->seeded_histogram(values, L.table_size);
    counts[0] += L.values.size() - L.values.logical_size();
    return fe.oracle("multiplicities", counts_to_fr(counts), lc.table_point, m);
  }
  if (mode == VerifyMode::Full) {
    LookupWitness W = lookup_witness(p, w, L);
    if (!fe.oracle("values", L.values.zero_padding(W.s_in), lc.point, s_in)) return false;
    if (L.mapping && !fe.oracle("outputs", L.values.zero_padding(W.s_out), lc.point, s_out)) return false;
    auto A = L.values.zero_padding(shifted_inverses(combine(W.s_in, W.s_out, st.r), st.beta));
    if (!fe.oracle("inverses", A, lc.point, a)) return false;
    if (!fe.oracle("multiplicities", W.m, lc.table_point, m)) return false;
  }
  return true;
}
