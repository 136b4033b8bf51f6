// 'commit' and 'opening': the anchor's com benchmark done soundly. `num` tensors of `dim` int
// values are committed row-wise (rows of genDim); 'opening' then evaluates every tensor's MLE at
// one random point and proves all the values with a single Hyrax opening of their random linear
// combination Σ ρ^i t_i against Σ ρ^i C_i (ρ drawn after the commitments and the values).
#include "committed_witness.h"
#include <climits>
#include "final_evals.h"
#include "opening_engine.h"
#include "ops.h"
#include "stacked_tensor.h"
#include "step_laps.h"
#include "tensor_store.h"
#include "../platform/cpu_parallel.h"

namespace {
constexpr int64_t VALUE_LO = -(int64_t(1) << 15);
constexpr uint64_t VALUE_SPAN = uint64_t(1) << 16;
constexpr uint64_t ID_X = 31;

std::string tensor_name(uint64_t i) { return "x" + std::to_string(i); }

// Tensor i of the batch, padded to a power of two.
std::vector<Fr> batch_tensor(const ProtocolParams& p, const WitnessSource& w, uint64_t i) {
  AxisLayout L({p.dim});
  if (w.seeded) return L.from_seed(w.seed, ID_X * 0x10000 + i, VALUE_LO, VALUE_SPAN);
  return L.from_witness(w, tensor_name(i), 0, 0, 1);
}

void need_commit_mode(const ProtocolParams& p) {
  if (!p.commit) throw std::invalid_argument(p.op + " needs genDim (it is a commitment op)");
}

}  // namespace

ProtocolOutput prove_commit(const ProtocolParams& p, const WitnessSource& w) {
  need_commit_mode(p);
  ProtocolOutput out;
  PhaseTimer timer(out);
  Transcript tr = open_transcript(p, w);
  auto wc = WitnessCommitments::for_prover(p);
  for (uint64_t i = 0; i < p.num; i++) wc->commit(tr, tensor_name(i), batch_tensor(p, w, i));
  out.commitments = wc->rows;
  timer.mark("commit");
  return out;
}

// A commitment has nothing to prove: every point of G1 commits to some tensor, so the verifier
// checks the shape (every row a point of G1, the right number of rows per tensor, no other tensor).
bool verify_commit(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
                   const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof, VerifyMode,
                   std::string& reason) {
  need_commit_mode(p);
  if (!claims.empty() || !evals.empty() || !proof.empty()) return reason = "a commitment carries no claims or proof", false;
  auto wc = WitnessCommitments::for_verifier(p, w);
  Transcript tr = open_transcript(p, w);
  const size_t n = next_pow2(p.dim);
  for (uint64_t i = 0; i < p.num; i++)
    if (!wc->absorb(tr, tensor_name(i), n, reason)) return false;
  if (wc->rows.size() != p.num) return reason = "statement commits to other tensors than the op has", false;
  return true;
}

namespace {
// The batch as int32 tensors when every value fits (always for seeded witnesses); false otherwise.
bool int_source(const ProtocolParams& p, const WitnessSource& w, IntTensorSource& src) {
  src.seeded = w.seeded;
  src.seed = w.seed;
  src.lo = VALUE_LO;
  src.span = VALUE_SPAN;
  src.logical = p.dim;
  for (uint64_t i = 0; i < p.num; i++) {
    if (w.seeded) {
      src.ids.push_back(ID_X * 0x10000 + i);
      continue;
    }
    const auto& v = w.need(tensor_name(i), p.dim);
    std::vector<int32_t> t(p.dim);
    for (size_t k = 0; k < p.dim; k++) {
      uint64_t j;
      if (!fr_offset_in_range(v[k], INT32_MIN, uint64_t(1) << 32, &j)) return false;
      t[k] = (int32_t)((int64_t)j + INT32_MIN);
    }
    src.given.push_back(std::move(t));
  }
  return true;
}

// Tensors of arbitrary field elements: committed, evaluated and combined on the host.
ProtocolOutput prove_opening_fields(const ProtocolParams& p, const WitnessSource& w) {
  ProtocolOutput out;
  PhaseTimer timer(out);
  Transcript tr = open_transcript(p, w);
  auto wc = WitnessCommitments::for_prover(p);
  std::vector<std::vector<Fr>> xs;
  for (uint64_t i = 0; i < p.num; i++) xs.push_back(batch_tensor(p, w, i));
  timer.mark("witness");
  for (uint64_t i = 0; i < p.num; i++) wc->commit(tr, tensor_name(i), xs[i]);
  timer.mark("commit");
  const size_t n = xs[0].size();
  auto z = challenges(tr, "opening/point", mle_vars(n));
  for (uint64_t i = 0; i < p.num; i++) {
    Fr v = mle_evaluate(xs[i].data(), n, z);
    out.evals.push_back({tensor_name(i), z, v});
    tr.absorb_fr("opening/value", v);
  }
  const Fr rho = tr.challenge_fr("opening/rho");
  std::vector<Fr> combined(n, Fr::zero());
  Fr pw = Fr::one();
  for (uint64_t i = 0; i < p.num; i++, pw *= rho)
    cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
      for (size_t k = lo; k < hi; k++) combined[k] += pw * xs[i][k];
    });
  timer.mark("evaluate and combine");
  WitnessCommitments::write_opening(hyrax_prove(tr, "open/combined", combined, opening_terms({p.dim}, wc->generators()->g.size(), z),
                                                wc->generators(), wc->backend()),
                                    out.proof);
  out.commitments = wc->rows;
  timer.mark("opening");
  return out;
}
}  // namespace

// The same transcript and proof as prove_opening_fields, computed from each tensor's row folds
// (per opening term k, t_i's part is <f_ik, cols_k> and the combined fold is Σ ρ^i f_ik), so the
// combined tensor is never formed and a CUDA engine keeps everything on the device.
ProtocolOutput prove_opening(const ProtocolParams& p, const WitnessSource& w) {
  need_commit_mode(p);
  IntTensorSource src;
  if (!int_source(p, w, src)) return prove_opening_fields(p, w);
  ProtocolOutput out;
  PhaseTimer timer(out);
  Transcript tr = open_transcript(p, w);
  auto wc = WitnessCommitments::for_prover(p);
  const size_t n = next_pow2(p.dim), width = wc->generators()->g.size();
  auto batch = make_int_batch_opening(wc->backend(), wc->generators(), std::move(src), n);
  timer.mark("witness");
  for (uint64_t i = 0; i < p.num; i++) wc->add(tr, tensor_name(i), batch->commit(i));
  timer.mark("commit");
  auto z = challenges(tr, "opening/point", mle_vars(n));
  const auto terms = opening_terms({p.dim}, width, z);
  const auto term_values = batch->evaluate(terms);  // [term][tensor]
  for (uint64_t i = 0; i < p.num; i++) {
    Fr v = Fr::zero();
    for (const auto& tv : term_values) v += tv[i];
    out.evals.push_back({tensor_name(i), z, v});
    tr.absorb_fr("opening/value", v);
  }
  const Fr rho = tr.challenge_fr("opening/rho");
  std::vector<Fr> powers(p.num);
  Fr pw = Fr::one();
  for (uint64_t i = 0; i < p.num; i++, pw *= rho) powers[i] = pw;
  OpeningProof proof;
  std::vector<Fr> combined(terms.size(), Fr::zero());
  for (size_t k = 0; k < terms.size(); k++)
    for (uint64_t i = 0; i < p.num; i++) combined[k] += powers[i] * term_values[k][i];
  if (terms.size() > 1) proof.term_values.push_back(combined[0]);
  timer.mark("evaluate and combine");
  for (size_t k = 0; k < terms.size(); k++) {
    auto engine = batch->combine(powers, k);
    proof.parts.push_back(ipa_prove(tr, opening_term_label("open/combined", terms.size(), k), combined[k], *engine, width));
  }
  WitnessCommitments::write_opening(proof, out.proof);
  out.commitments = wc->rows;
  timer.mark("opening");
  return out;
}

bool verify_opening(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
                    const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof_bytes, VerifyMode,
                    std::string& reason) {
  need_commit_mode(p);
  if (!claims.empty()) return reason = "opening takes no public claims", false;
  StepLaps trace("verify opening");
  auto wc = WitnessCommitments::for_verifier(p, w);
  trace("generators");
  Transcript tr = open_transcript(p, w);
  const size_t n = next_pow2(p.dim);
  for (uint64_t i = 0; i < p.num; i++)
    if (!wc->absorb(tr, tensor_name(i), n, reason)) return false;
  auto z = challenges(tr, "opening/point", mle_vars(n));
  FinalEvalCheck fe(evals, reason);
  std::vector<Fr> values(p.num);
  for (uint64_t i = 0; i < p.num; i++) {
    if (!fe.value(tensor_name(i), z, values[i])) return false;
    tr.absorb_fr("opening/value", values[i]);
  }
  if (!fe.all_used()) return false;
  trace("absorb commitments");
  const Fr rho = tr.challenge_fr("opening/rho");
  OpeningProof opening;
  if (!read_whole_proof(proof_bytes, [&](ProofReader& rd) { return wc->read_opening(rd, {p.dim}, opening); }, reason))
    return false;
  // The combined tensor's rows Σ_i ρ^i·C_{i,r} are never formed: the argument's final MSM takes
  // every C_{i,r} with the weight ρ^i·(row weight of r), one MSM (on the GPU when usable) instead
  // of a small MSM per row on the host.
  std::vector<Fr> powers(p.num);
  Fr pw = Fr::one(), v = Fr::zero();
  for (uint64_t i = 0; i < p.num; i++, pw *= rho) powers[i] = pw, v += pw * values[i];
  const size_t width = wc->generators()->g.size();
  std::vector<OpeningTerm> terms = opening_terms({p.dim}, width, z);
  std::vector<G1Affine> all_rows;
  for (uint64_t i = 0; i < p.num; i++) {
    const auto& rows = wc->rows.at(tensor_name(i));
    all_rows.insert(all_rows.end(), rows.begin(), rows.end());
  }
  for (auto& term : terms) {
    std::vector<Fr> weights;
    weights.reserve(all_rows.size());
    for (uint64_t i = 0; i < p.num; i++)
      for (const Fr& wr : term.rows) weights.push_back(powers[i] * wr);
    term.rows = std::move(weights);
  }
  trace("read, weigh rows");
  const bool ok = hyrax_verify(tr, "open/combined", all_rows, terms, v, opening, *wc->generators(),
                               verifier_config().backend, reason);
  trace("inner-product argument");
  return ok;
}
