// 'matmul': C_n = A_n·B_n for n < num, A_n of dim0×dim1, B_n of dim1×dim2, stacked. The claim
// C~(u_k, u_i, u_n) at a random point is reduced to one batched inner-product sumcheck over
// (j, n): Σ eq(u_n, n)·A'(n, j)·B'(n, j) with A' = A folded over rows at u_i and B' = B folded
// over columns at u_k, as the anchor's zkip_stacked does.
#include "committed_witness.h"
#include "final_evals.h"
#include "opening_engine.h"
#include "ops.h"
#include "stacked_tensor.h"
#include "step_laps.h"
#include "tensor_store.h"

namespace {
constexpr int64_t VALUE_LO = -(int64_t(1) << 15);
constexpr uint64_t VALUE_SPAN = uint64_t(1) << 16;
enum : uint64_t { ID_A = 11, ID_B = 12, ID_C = 13 };

struct MatmulShapes {
  AxisLayout A, B, C, reduced;
  explicit MatmulShapes(const ProtocolParams& p)
      : A({p.num, p.dim0, p.dim1}), B({p.num, p.dim1, p.dim2}), C({p.num, p.dim0, p.dim2}), reduced({p.num, p.dim1}) {}
  int vi() const { return mle_vars(A.padded[1]); }
  int vj() const { return mle_vars(A.padded[2]); }
  int vk() const { return mle_vars(B.padded[2]); }
  int vn() const { return mle_vars(A.padded[0]); }
  DimsOf dims_of() const {
    return [this](const std::string& name) { return name == "A" ? A.dims : name == "B" ? B.dims : C.dims; };
  }
};

// A'(n, j) = Σ_i eq_i[i]·A[n, i, j] and B'(n, j) = Σ_k eq_k[k]·B[n, j, k].
void fold_operands(const MatmulShapes& S, const std::vector<Fr>& A, const std::vector<Fr>& B, const std::vector<Fr>& eq_i,
                   const std::vector<Fr>& eq_k, std::vector<Fr>& Ar, std::vector<Fr>& Br) {
  const size_t nP = S.A.padded[0], iP = S.A.padded[1], jP = S.A.padded[2], kP = S.B.padded[2];
  Ar = fold_middle(A, nP, iP, jP, eq_i);
  Br = fold_inner(B, nP * jP, kP, eq_k);
}

SeededTensor operand_spec(const AxisLayout& L, uint64_t seed, uint64_t id) { return {L.dims, seed, id, VALUE_LO, VALUE_SPAN}; }

struct MatmulPoints {
  std::vector<Fr> u_k, u_i, u_n;
};

// A' and B' of a seeded witness (fold_operands' folds), drawn and folded in a tensor store (the
// operands are never formed), with the eq tables of u_i and u_k made there.
std::pair<TensorId, TensorId> seeded_folds(TensorStore& store, const MatmulShapes& S, uint64_t seed, const MatmulPoints& u) {
  const TensorId ei = store.eq(u.u_i), ek = store.eq(u.u_k);
  const TensorId ar = store.seeded_fold(operand_spec(S.A, seed, ID_A), 1, ei);
  const TensorId br = store.seeded_fold(operand_spec(S.B, seed, ID_B), 2, ek);
  store.drop(ei), store.drop(ek);
  return {ar, br};
}

// C~(u) for the seeded witness, where C is A·B by definition: Σ_{n,j} eq(u_n,n)·A'·B'.
Fr product_claim(const std::vector<Fr>& e_n, const std::vector<Fr>& Ar, const std::vector<Fr>& Br, size_t jP) {
  Fr s = Fr::zero();
  for (size_t x = 0; x < Ar.size(); x++) s += e_n[x / jP] * Ar[x] * Br[x];
  return s;
}

// C = A·B in the padded layout (commit mode needs C itself; padding rows and columns stay zero).
std::vector<Fr> matmul_output(const MatmulShapes& S, const std::vector<Fr>& A, const std::vector<Fr>& B) {
  const size_t nP = S.A.padded[0], iP = S.A.padded[1], jP = S.A.padded[2], kP = S.B.padded[2];
  std::vector<Fr> C(nP * iP * kP, Fr::zero());
  cpu_parallel_chunks(nP * iP, [&](size_t lo, size_t hi, size_t) {
    for (size_t x = lo; x < hi; x++) {
      const size_t n = x / iP;
      for (size_t j = 0; j < jP; j++) {
        const Fr a = A[x * jP + j];
        if (a.is_zero()) continue;
        for (size_t k = 0; k < kP; k++) C[x * kP + k] += a * B[(n * jP + j) * kP + k];
      }
    }
  }, 1);
  return C;
}

std::vector<Fr> output_of(const MatmulShapes& S, const WitnessSource& w, const std::vector<Fr>& A, const std::vector<Fr>& B) {
  return w.seeded ? matmul_output(S, A, B) : S.C.from_witness(w, "C", ID_C, 0, 1);
}

MatmulPoints draw_points(Transcript& tr, const MatmulShapes& S) {
  MatmulPoints m;
  m.u_k = challenges(tr, "u_cols", S.vk());
  m.u_i = challenges(tr, "u_rows", S.vi());
  m.u_n = challenges(tr, "u_num", S.vn());
  return m;
}
// Whether the seeded operands' padded layouts are their logical entries followed by zeros (every
// axis but the instances a power of two): then batch-opening engines draw them from the seed.
bool whole_rows(const MatmulShapes& S) {
  return S.A.padded[1] == S.A.dims[1] && S.A.padded[2] == S.A.dims[2] && S.B.padded[2] == S.B.dims[2];
}

// Commit mode with a seeded witness of whole rows: A and B committed and opened by batch-opening
// engines from the seed, C = A·B computed in a tensor store (on the GPU when it fits) and
// committed and opened by the store's engine; with the operands folded in a store as well, no
// witness tensor is formed on the host. Same transcript and bytes as the host tensors give.
struct MatmulEngines {
  std::unique_ptr<BatchOpening> A, B, C;
  MatmulEngines(const ProtocolParams& p, const WitnessSource& w, const MatmulShapes& S, const WitnessCommitments& wc) {
    auto seeded = [&](const AxisLayout& L, uint64_t id) {
      IntTensorSource src;
      src.seed = w.seed, src.ids = {id}, src.lo = VALUE_LO, src.span = VALUE_SPAN, src.logical = L.logical_size();
      return make_int_batch_opening(wc.backend(), wc.generators(), std::move(src), L.size());
    };
    A = seeded(S.A, ID_A), B = seeded(S.B, ID_B);
    auto store = make_tensor_store(p.prover, S.C.size() * sizeof(Fr));
    C = store->opening(store->seeded_matmul(operand_spec(S.A, w.seed, ID_A), operand_spec(S.B, w.seed, ID_B)), wc.generators());
  }
  BatchOpening& of(const std::string& name) { return name == "A" ? *A : name == "B" ? *B : *C; }
};
}  // namespace

ProtocolOutput prove_matmul(const ProtocolParams& p, const WitnessSource& w) {
  ProtocolOutput out;
  PhaseTimer timer(out);
  MatmulShapes S(p);
  auto wc = WitnessCommitments::for_prover(p);
  std::unique_ptr<MatmulEngines> engines;
  if (wc && w.seeded && whole_rows(S)) engines = std::make_unique<MatmulEngines>(p, w, S, *wc);
  // A seeded witness is never formed on the host without commitments or with engines: its
  // operands are drawn and folded where the store runs (the GPU when usable), which is all the
  // protocol needs of them.
  const bool folded_in_store = w.seeded && (!wc || engines);
  std::vector<Fr> A, B;
  if (!folded_in_store)
    A = S.A.from_witness(w, "A", ID_A, VALUE_LO, VALUE_SPAN), B = S.B.from_witness(w, "B", ID_B, VALUE_LO, VALUE_SPAN);
  timer.mark("witness");
  Transcript tr = open_transcript(p, w);
  if (engines) {
    for (const char* name : {"A", "B", "C"}) wc->add(tr, name, engines->of(name).commit(0));
    timer.mark("commit");
  } else if (wc) {
    wc->commit(tr, "A", A), wc->commit(tr, "B", B), wc->commit(tr, "C", output_of(S, w, A, B));
    timer.mark("commit");
  }
  MatmulPoints u = draw_points(tr, S);
  const std::vector<Fr> c_point = concat_points({&u.u_k, &u.u_i, &u.u_n});
  SumcheckTerms terms;
  terms.add(Fr::one(), {0, 1, 2});
  const int vars = S.vj() + S.vn();
  Fr claim;
  SumcheckProof proof;
  SumcheckProverResult res;
  if (folded_in_store) {
    // The folds, eq(u_n) over the instances, the claim and the rounds where the store runs: the
    // claim C~(u) = Σ eq(u_n, n)·A'·B' is the first round's total, absorbed before that round.
    auto store = make_tensor_store(p.prover, 5 * S.reduced.size() * sizeof(Fr));
    StepLaps lap("matmul", store.get());
    const TensorId en = store->eq_broadcast(u.u_n, S.vj());
    lap("eq over the instances");
    const auto [ar, br] = seeded_folds(*store, S, w.seed, u);
    lap("eq tables and folds");
    store->synchronize();
    timer.mark("fold operands");
    auto engine = store->sumcheck({en, ar, br}, terms);
    res = sumcheck_prove(tr, "matmul", *engine, vars, terms, proof, [&](const Fr& total) {
      claim = total;
      tr.absorb_fr("claim", claim);
    });
  } else {
    std::vector<Fr> Ar, Br, e_n = eq_table(u.u_n);
    fold_operands(S, A, B, eq_table(u.u_i), eq_table(u.u_k), Ar, Br);
    if (w.seeded) {
      claim = product_claim(e_n, Ar, Br, S.A.padded[2]);
    } else {
      auto C = S.C.from_witness(w, "C", ID_C, 0, 1);
      claim = mle_evaluate(C.data(), C.size(), c_point);
    }
    tr.absorb_fr("claim", claim);
    timer.mark("fold operands");
    auto tensors = tensor_list(repeat_each(e_n, S.A.padded[2]), std::move(Ar), std::move(Br));
    res = sumcheck_prove(tr, "matmul", tensors, terms, proof, p.prover);
  }
  timer.mark("sumcheck");
  write_sumcheck(out.proof, proof);
  const auto r_j = slice(res.point, 0, S.vj()), r_n = slice(res.point, S.vj(), S.vn());
  out.evals.push_back({"C", c_point, claim});
  out.evals.push_back({"A", concat_points({&r_j, &u.u_i, &r_n}), res.final_values[1]});
  out.evals.push_back({"B", concat_points({&u.u_k, &r_j, &r_n}), res.final_values[2]});
  if (engines) {
    wc->open_claims(tr, out.evals, S.dims_of(), out.proof, nullptr,
                    {{"A", {engines->A.get()}}, {"B", {engines->B.get()}}, {"C", {engines->C.get()}}});
    out.commitments = wc->rows;
  } else {
    open_final_evals(
        wc.get(), tr, out, [&](const std::string& name) { return name == "A" ? A : name == "B" ? B : output_of(S, w, A, B); },
        S.dims_of());
  }
  timer.mark("openings");
  return out;
}

bool verify_matmul(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
                   const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof_bytes, VerifyMode mode,
                   std::string& reason) {
  MatmulShapes S(p);
  if (!claims.empty()) return reason = "matmul takes no public claims", false;
  Transcript tr = open_transcript(p, w);
  auto wc = WitnessCommitments::for_verifier(p, w);
  if (wc && !(wc->absorb(tr, "A", S.A.size(), reason) && wc->absorb(tr, "B", S.B.size(), reason) &&
              wc->absorb(tr, "C", S.C.size(), reason)))
    return false;
  MatmulPoints u = draw_points(tr, S);
  const std::vector<Fr> c_point = concat_points({&u.u_k, &u.u_i, &u.u_n});
  FinalEvalCheck fe(evals, reason);
  Fr claim;
  if (!fe.value("C", c_point, claim)) return false;
  tr.absorb_fr("claim", claim);
  const int vars = S.vj() + S.vn();
  SumcheckProof proof;
  ClaimsOpeningProof openings;
  if (!read_sumcheck_and_openings(proof_bytes, vars, 3, proof, wc.get(), {S.C.dims, S.A.dims, S.B.dims}, openings, reason))
    return false;
  SumcheckSubclaim sc;
  if (!sumcheck_verify(tr, "matmul", vars, 3, claim, proof, sc, reason)) return false;
  const auto r_j = slice(sc.point, 0, S.vj()), r_n = slice(sc.point, S.vj(), S.vn());
  Fr av, bv;
  const auto a_point = concat_points({&r_j, &u.u_i, &r_n}), b_point = concat_points({&u.u_k, &r_j, &r_n});
  if (!fe.value("A", a_point, av) || !fe.value("B", b_point, bv) || !fe.all_used()) return false;
  if (eq_eval(u.u_n, r_n) * av * bv != sc.expected) return reason = "final sumcheck claim does not match the evaluations", false;
  if (wc) return wc->verify_claims(tr, evals, S.dims_of(), openings, reason);
  if (mode == VerifyMode::Full && w.seeded) {
    // The operands drawn where the verifier's store runs (the GPU when usable).
    auto store = make_tensor_store(verifier_config(), 2 * std::max(S.A.size(), S.B.size()) * sizeof(Fr));
    const TensorId ta = store->seeded(operand_spec(S.A, w.seed, ID_A)), ea = store->eq(a_point);
    if (store->sum_of_products({ea, ta}) != av) return reason = "final evaluation of 'A' does not match the witness", false;
    store->drop(ta), store->drop(ea);
    const TensorId tb = store->seeded(operand_spec(S.B, w.seed, ID_B)), eb = store->eq(b_point);
    if (store->sum_of_products({eb, tb}) != bv) return reason = "final evaluation of 'B' does not match the witness", false;
    store->drop(tb), store->drop(eb);
    const auto [ar, br] = seeded_folds(*store, S, w.seed, u);
    if (product_claim(eq_table(u.u_n), store->to_host(ar), store->to_host(br), S.A.padded[2]) != claim)
      return reason = "final evaluation of 'C' does not match the witness", false;
    return true;
  }
  if (mode == VerifyMode::Full) {
    auto A = S.A.from_witness(w, "A", ID_A, VALUE_LO, VALUE_SPAN), B = S.B.from_witness(w, "B", ID_B, VALUE_LO, VALUE_SPAN);
    if (!fe.oracle("A", A, a_point, av) || !fe.oracle("B", B, b_point, bv)) return false;
    Fr c_direct;
    {
      auto C = S.C.from_witness(w, "C", ID_C, 0, 1);
      c_direct = mle_evaluate(C.data(), C.size(), c_point);
    }
    if (c_direct != claim) return reason = "final evaluation of 'C' does not match the witness", false;
  }
  return true;
}
