// 'inner-product' and 'hadamard': products of two stacked tensors, `num` instances of `dim`.
//   inner-product: public claims IP_n = Σ_d a[n,d]·b[n,d]; batched as Σ_n eq(u_n, n)·IP_n.
//   hadamard:      c = a∘b; the claim c~(u) at a random point over all variables.
#include "ops.h"
#include "committed_witness.h"
#include "hyrax.h"
#include "opening_engine.h"
#include "final_evals.h"
#include "stacked_tensor.h"
#include "sumcheck.h"
#include "tensor_store.h"

namespace {
constexpr int64_t VALUE_LO = -(int64_t(1) << 15);
constexpr uint64_t VALUE_SPAN = uint64_t(1) << 16;
enum : uint64_t { ID_A = 1, ID_B = 2, ID_C = 3 };

AxisLayout layout_of(const ProtocolParams& p) { return AxisLayout({p.num, p.dim}); }
// Every tensor of either op has the logical shape [num, dim].
DimsOf dims_of(const ProtocolParams& p) {
  return [d = LogicalDims{p.num, p.dim}](const std::string&) { return d; };
}

// Operand "a" or "b" of either op, in the padded layout.
std::vector<Fr> operand(const AxisLayout& L, const WitnessSource& w, const std::string& name) {
  return L.from_witness(w, name, name == "a" ? ID_A : ID_B, VALUE_LO, VALUE_SPAN);
}

// The same operand made in a tensor store: drawn there when seeded.
TensorId operand_in(TensorStore& store, const AxisLayout& L, const WitnessSource& w, const std::string& name) {
  if (w.seeded) return store.seeded({L.dims, w.seed, name == "a" ? ID_A : ID_B, VALUE_LO, VALUE_SPAN});
  return store.host(operand(L, w, name));
}

SumcheckTerms triple_product() {
  SumcheckTerms t;
  t.add(Fr::one(), {0, 1, 2});
  return t;
}

}  // namespace

ProtocolOutput prove_inner_product(const ProtocolParams& p, const WitnessSource& w) {
  ProtocolOutput out;
  PhaseTimer timer(out);
  AxisLayout L = layout_of(p);
  auto a = operand(L, w, "a"), b = operand(L, w, "b");
  timer.mark("witness");
  const size_t dimP = L.padded[1];
  out.claims.assign(p.num, Fr::zero());
  cpu_parallel_chunks(p.num, [&](size_t lo, size_t hi, size_t) {
    for (size_t n = lo; n < hi; n++) {
      Fr s = Fr::zero();
      for (size_t d = 0; d < dimP; d++) s += a[n * dimP + d] * b[n * dimP + d];
      out.claims[n] = s;
    }
  }, 1);
  Transcript tr = open_transcript(p, w);
  auto wc = WitnessCommitments::for_prover(p);
  if (wc) {
    timer.mark("claims");
    wc->commit(tr, "a", a), wc->commit(tr, "b", b);
    timer.mark("commit");
  }
  for (auto& c : out.claims) tr.absorb_fr("claim", c);
  auto u_n = challenges(tr, "u_num", mle_vars(L.padded[0]));
  auto tensors = tensor_list(repeat_each(eq_table(u_n), L.padded[1]), std::move(a), std::move(b));
  SumcheckProof proof;
  timer.mark("claims");
  auto res = sumcheck_prove(tr, "ip", tensors, triple_product(), proof, p.prover);
  timer.mark("sumcheck");
  write_sumcheck(out.proof, proof);
  out.evals.push_back({"a", res.point, res.final_values[1]});
  out.evals.push_back({"b", res.point, res.final_values[2]});
  open_final_evals(wc.get(), tr, out, [&](const std::string& name) { return operand(L, w, name); }, dims_of(p));
  timer.mark("openings");
  return out;
}

bool verify_inner_product(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
                          const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof_bytes, VerifyMode mode,
                          std::string& reason) {
  AxisLayout L = layout_of(p);
  if (claims.size() != p.num) return reason = "expected one claim per instance", false;
  Transcript tr = open_transcript(p, w);
  auto wc = WitnessCommitments::for_verifier(p, w);
  if (wc && !(wc->absorb(tr, "a", L.size(), reason) && wc->absorb(tr, "b", L.size(), reason))) return false;
  for (auto& c : claims) tr.absorb_fr("claim", c);
  const int vn = mle_vars(L.padded[0]), vars = L.vars();
  auto u_n = challenges(tr, "u_num", vn);
  std::vector<Fr> e = eq_table(u_n);
  Fr combined = Fr::zero();
  for (uint64_t n = 0; n < p.num; n++) combined += e[n] * claims[n];
  SumcheckProof proof;
  ClaimsOpeningProof openings;
  if (!read_sumcheck_and_openings(proof_bytes, vars, 3, proof, wc.get(), {L.dims, L.dims}, openings, reason)) return false;
  SumcheckSubclaim sc;
  if (!sumcheck_verify(tr, "ip", vars, 3, combined, proof, sc, reason)) return false;
  FinalEvalCheck fe(evals, reason);
  Fr av, bv;
  if (!fe.value("a", sc.point, av) || !fe.value("b", sc.point, bv) || !fe.all_used()) return false;
  Fr ev = eq_eval(u_n, slice(sc.point, vars - vn, vn));
  if (ev * av * bv != sc.expected) return reason = "final sumcheck claim does not match the evaluations", false;
  if (wc) return wc->verify_claims(tr, evals, dims_of(p), openings, reason);
  if (mode == VerifyMode::Full) {
    auto store = make_tensor_store(verifier_config(), 3 * L.size() * sizeof(Fr));
    const TensorId a = operand_in(*store, L, w, "a"), b = operand_in(*store, L, w, "b"), er = store->eq(sc.point);
    if (store->sum_of_products({er, a}) != av) return reason = "final evaluation of 'a' does not match the witness", false;
    if (store->sum_of_products({er, b}) != bv) return reason = "final evaluation of 'b' does not match the witness", false;
  }
  return true;
}

namespace {
std::vector<Fr> hadamard_output(const AxisLayout& L, const WitnessSource& w, const std::vector<Fr>& a,
                                 const std::vector<Fr>& b) {
  if (!w.seeded) return L.from_witness(w, "c", ID_C, 0, 1);
  std::vector<Fr> c(a.size());
  cpu_parallel_chunks(c.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) c[i] = a[i] * b[i];
  });
  return c;
}
// Commit mode with a seeded witness whose rows are whole (dim a power of two, so the padded layout
// is the logical one followed by zeros): a and b are drawn, committed, folded and opened by a batch
// engine from the seed, c = a∘b (|c| < 2^30) by another from the products of the draws, and the
// sumcheck runs over the store's own draws; no tensor of the witness is formed on the host.
void prove_hadamard_committed_seeded(const ProtocolParams& p, const WitnessSource& w, const AxisLayout& L, WitnessCommitments& wc,
                                     TensorStore& store, PhaseTimer& timer, ProtocolOutput& out) {
  const size_t n = L.size(), logical = L.logical_size();
  auto seeded_source = [&](uint64_t id) {
    IntTensorSource src;
    src.seed = w.seed, src.ids = {id}, src.lo = VALUE_LO, src.span = VALUE_SPAN, src.logical = logical;
    return src;
  };
  IntTensorSource cs = seeded_source(ID_A);
  cs.times = {ID_B};
  auto ea = make_int_batch_opening(wc.backend(), wc.generators(), seeded_source(ID_A), n);
  auto eb = make_int_batch_opening(wc.backend(), wc.generators(), seeded_source(ID_B), n);
  auto ec = make_int_batch_opening(wc.backend(), wc.generators(), std::move(cs), n);
  const TensorId ta = store.seeded({L.dims, w.seed, ID_A, VALUE_LO, VALUE_SPAN});
  const TensorId tb = store.seeded({L.dims, w.seed, ID_B, VALUE_LO, VALUE_SPAN});
  timer.mark("witness");
  Transcript tr = open_transcript(p, w);
  wc.add(tr, "a", ea->commit(0)), wc.add(tr, "b", eb->commit(0)), wc.add(tr, "c", ec->commit(0));
  timer.mark("commit");
  auto u = challenges(tr, "u", L.vars());
  Fr claim;
  const TensorId te = store.eq(u);
  timer.mark("claim and eq table");
  SumcheckProof proof;
  auto engine = store.sumcheck({te, ta, tb}, triple_product());
  // c = a∘b by construction, so c~(u) is the sumcheck's own total.
  auto res = sumcheck_prove(tr, "hadamard", *engine, L.vars(), triple_product(), proof, [&](const Fr& total) {
    claim = total;
    tr.absorb_fr("claim", claim);
  });
  timer.mark("sumcheck");
  write_sumcheck(out.proof, proof);
  out.evals.push_back({"c", u, claim});
  out.evals.push_back({"a", res.point, res.final_values[1]});
  out.evals.push_back({"b", res.point, res.final_values[2]});
  wc.open_claims(tr, out.evals, dims_of(p), out.proof, nullptr, {{"a", {ea.get()}}, {"b", {eb.get()}}, {"c", {ec.get()}}});
  out.commitments = wc.rows;
  timer.mark("openings");
}
}  // namespace

ProtocolOutput prove_hadamard(const ProtocolParams& p, const WitnessSource& w) {
  ProtocolOutput out;
  PhaseTimer timer(out);
  AxisLayout L = layout_of(p);
  // a, b, eq and their fold scratch
  auto store = make_tensor_store(p.prover, 3 * L.size() * sizeof(Fr) * 3 / 2);
  auto wc = WitnessCommitments::for_prover(p);
  if (wc && w.seeded && L.padded[1] == L.dims[1]) {
    prove_hadamard_committed_seeded(p, w, L, *wc, *store, timer, out);
    return out;
  }
  // A seeded witness without commitments is drawn where the sumcheck runs; otherwise on the host.
  const bool drawn_in_store = w.seeded && !wc;
  std::vector<Fr> a, b, c_held;  // c_held: commit mode keeps c for its opening
  TensorId ta = 0, tb = 0;
  if (drawn_in_store) {
    ta = store->seeded({L.dims, w.seed, ID_A, VALUE_LO, VALUE_SPAN});
    tb = store->seeded({L.dims, w.seed, ID_B, VALUE_LO, VALUE_SPAN});
  } else {
    a = operand(L, w, "a"), b = operand(L, w, "b");
  }
  timer.mark("witness");
  Transcript tr = open_transcript(p, w);
  if (wc) {
    c_held = hadamard_output(L, w, a, b);
    wc->commit(tr, "a", a), wc->commit(tr, "b", b), wc->commit(tr, "c", c_held);
    timer.mark("commit");
  }
  auto u = challenges(tr, "u", L.vars());
  Fr claim;
  std::function<void(const Fr&)> absorb_claim;
  if (w.seeded) {
    // c = a∘b by definition, so c~(u) = Σ eq(u, x)·a(x)·b(x): the sumcheck's own total.
    absorb_claim = [&](const Fr& total) {
      claim = total;
      tr.absorb_fr("claim", claim);
    };
  } else {
    auto c = hadamard_output(L, w, a, b);
    claim = mle_evaluate(c.data(), c.size(), u);
    tr.absorb_fr("claim", claim);
  }
  // Commit mode keeps its host copies for the openings (instead of drawing the witness again).
  if (!drawn_in_store && wc) ta = store->host_copy(a), tb = store->host_copy(b);
  else if (!drawn_in_store) ta = store->host(std::move(a)), tb = store->host(std::move(b));
  const TensorId te = store->eq(u);
  timer.mark("claim and eq table");
  SumcheckProof proof;
  auto engine = store->sumcheck({te, ta, tb}, triple_product());
  auto res = sumcheck_prove(tr, "hadamard", *engine, L.vars(), triple_product(), proof, absorb_claim);
  timer.mark("sumcheck");
  write_sumcheck(out.proof, proof);
  out.evals.push_back({"c", u, claim});
  out.evals.push_back({"a", res.point, res.final_values[1]});
  out.evals.push_back({"b", res.point, res.final_values[2]});
  if (wc) {  // open_final_evals, without copying the tensors this prover holds
    ClaimTensor ha, hb, hc;
    ha.host = &a, hb.host = &b, hc.host = &c_held;
    wc->open_claims(tr, out.evals, dims_of(p), out.proof, nullptr, {{"a", ha}, {"b", hb}, {"c", hc}});
    out.commitments = wc->rows;
  }
  timer.mark("openings");
  return out;
}

bool verify_hadamard(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
                     const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof_bytes, VerifyMode mode,
                     std::string& reason) {
  AxisLayout L = layout_of(p);
  if (!claims.empty()) return reason = "hadamard takes no public claims", false;
  Transcript tr = open_transcript(p, w);
  auto wc = WitnessCommitments::for_verifier(p, w);
  if (wc && !(wc->absorb(tr, "a", L.size(), reason) && wc->absorb(tr, "b", L.size(), reason) &&
              wc->absorb(tr, "c", L.size(), reason)))
    return false;
  const int vars = L.vars();
  auto u = challenges(tr, "u", vars);
  FinalEvalCheck fe(evals, reason);
  Fr claim;
  if (!fe.value("c", u, claim)) return false;
  tr.absorb_fr("claim", claim);
  SumcheckProof proof;
  ClaimsOpeningProof openings;
  if (!read_sumcheck_and_openings(proof_bytes, vars, 3, proof, wc.get(), {L.dims, L.dims, L.dims}, openings, reason))
    return false;
  SumcheckSubclaim sc;
  if (!sumcheck_verify(tr, "hadamard", vars, 3, claim, proof, sc, reason)) return false;
  Fr av, bv;
  if (!fe.value("a", sc.point, av) || !fe.value("b", sc.point, bv) || !fe.all_used()) return false;
  if (eq_eval(u, sc.point) * av * bv != sc.expected) return reason = "final sumcheck claim does not match the evaluations", false;
  if (wc) return wc->verify_claims(tr, evals, dims_of(p), openings, reason);
  if (mode == VerifyMode::Full) {
    auto store = make_tensor_store(verifier_config(), 5 * L.size() * sizeof(Fr));
    const TensorId a = operand_in(*store, L, w, "a"), b = operand_in(*store, L, w, "b");
    const TensorId er = store->eq(sc.point), eu = store->eq(u);
    if (store->sum_of_products({er, a}) != av) return reason = "final evaluation of 'a' does not match the witness", false;
    if (store->sum_of_products({er, b}) != bv) return reason = "final evaluation of 'b' does not match the witness", false;
    // c = a∘b for a seeded witness; a given c is its own tensor
    const Fr c = w.seeded ? store->sum_of_products({eu, a, b}) : store->sum_of_products({eu, store->host(L.from_witness(w, "c", ID_C, 0, 1))});
    if (c != claim) return reason = "final evaluation of 'c' does not match the witness", false;
  }
  return true;
}
