// 'zkattn': the causal attention of `num` stacked heads under a quantization configuration
// (zkattn_witness.h), every step linked. After the witness tensors are committed (commit mode) or
// bound by their seed or digest (plain mode), with ρ a random point over the score tensors [H,m,n]
// and ρo one over the outputs [H,m,d]:
//  1. claims at ρ on the digits D_i, Y, the products P_j and every rescale digit; at ρo on O and
//     the output rescales' digits; at the rows' point on the row-sum digits and on Y at (½…, ρ_r, ρ_h):
//     2^vn·Y~(½, ρ_r, ρ_h) = Σ_c Y = low + Σ_t 2^{o_t} rowsum.e_t  (the row shift's bound)
//  2. the output chain U_{t−1} = 2^k U_t + e_t − 2^{k−1} gives U~(ρo), and a matmul sumcheck
//     U = Y·V reduces it to Y and V;
//  3. one sumcheck over the score tensors: Σ_x eq(ρ,x)·mask(x)·[γ0·(shift(x_hr) − A(x)) + γ1·P_J(x)·G(x)]
//     = γ0·Σ_i 2^{s_i} D_i~(ρ) + γ1·Y~(ρ) (digits recompose the masked shifted logits; Y is the
//     masked product of segment outputs), with A = S when the logits are not rescaled, eq·mask
//     one public tensor and the part linear in the witness one tensor;
//  4. products: Σ_x eq(ρ,x)·Σ_j γ_j·P_{j−1}(x)·F_{L+j}(x) = Σ_j γ_j·(2^k P_j~(ρ) + e_j~(ρ) − 2^{k−1}μ);
//  5. the logits S = Q·K^T (at ρ through A's rescale, or where step 3 ended) by a matmul sumcheck;
//  6. one logUp per looked-up tensor (lookup_argument.h): digits, segment tables, every rescale
//     remainder and the row sums.
// Every claim left is on a witness tensor: opened against its commitment, or, in plain mode,
// recomputed by the verifier from Q, K and V.
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include "../commit/generators.h"
#include "committed_witness.h"
#include "lookup_argument.h"
#include "ops.h"
#include "stacked_tensor.h"
#include "step_laps.h"
#include "tensor_store.h"
#include "zkattn_witness.h"

namespace {
constexpr uint64_t ID_Q = ATTENTION_ID_Q, ID_K = ATTENTION_ID_K, ID_V = ATTENTION_ID_V;

struct Reject {
  std::string why;
};

Fr pow2(int k) {
  Fr x = Fr::one(), two = Fr::from_u64(2);
  for (int i = 0; i < k; i++) x *= two;
  return x;
}

// Σ_y eq(a, y)·eq(b, y)·mask(y) over the score layout: the MLE at b of the table that masked_eq
// makes for a (mask(h, r, c) = [h < H][r < m][c < n][c <= r + n − m]). On the cube eq(a, y)·eq(b, y)
// is Π_i (y_i ? a_i·b_i : (1 − a_i)(1 − b_i)), so the sum costs O(H + m + n).
Fr masked_eq_mle(const AttentionShape& s, const std::vector<Fr>& a, const std::vector<Fr>& b) {
  AxisLayout L(s.score());
  const int vn = mle_vars(L.padded[2]), vm = mle_vars(L.padded[1]), vh = mle_vars(L.padded[0]);
  auto table = [&](int from, int vars) {
    std::vector<Fr> t{Fr::one()};
    for (int i = from; i < from + vars; i++) {
      const Fr w1 = a[i] * b[i], w0 = (Fr::one() - a[i]) * (Fr::one() - b[i]);
      const size_t half = t.size();
      t.resize(2 * half);
      for (size_t j = 0; j < half; j++) t[j + half] = t[j] * w1, t[j] *= w0;
    }
    return t;
  };
  const auto ec = table(0, vn), er = table(vn, vm), eh = table(vn + vm, vh);
  std::vector<Fr> prefix(s.n + 1, Fr::zero());
  for (size_t c = 0; c < s.n; c++) prefix[c + 1] = prefix[c] + ec[c];
  Fr rows = Fr::zero(), heads = Fr::zero();
  for (size_t r = 0; r < s.m; r++) rows += er[r] * prefix[std::min<uint64_t>(r + s.n - s.m, s.n - 1) + 1];
  for (size_t h = 0; h < s.H; h++) heads += eh[h];
  return rows * heads;
}

// Σ_t 2^{o_t}·e_t~ for digits of the given bits (lowest first).
Fr recompose(const std::vector<int>& bits, const std::vector<Fr>& digits) {
  Fr acc = Fr::zero();
  int off = 0;
  for (size_t t = 0; t < bits.size(); off += bits[t], t++) acc += pow2(off) * digits[t];
  return acc;
}

// The prover and the verifier run one script (run_protocol); a Party does each step its way.
class Party {
 public:
  Party(const ProtocolParams& p, const AttentionLayout& lay, Transcript tr) : p_(p), lay_(lay), tr(std::move(tr)) {}
  virtual ~Party() = default;
  // A claim on witness tensor `name` at `point`: computed by the prover, taken from the statement
  // by the verifier; absorbed either way.
  virtual Fr eval(const std::string& name, const std::vector<Fr>& point) = 0;
  // A scalar prover message, absorbed.
  virtual Fr message(const std::string& label, const std::function<Fr()>& value) = 0;
  // A sumcheck of `claim`; returns the bound point and sets `expected` (what the terms must give
  // at the point) and, for the prover, the tensors' final values.
  // `tensors` makes the sumcheck's tensors in the prover's store (which the sumcheck consumes).
  virtual std::vector<Fr> sumcheck(const std::string& label, int vars, const SumcheckTerms& terms, const Fr& claim,
                                   const std::function<std::vector<TensorId>(TensorStore&)>& tensors, Fr& expected,
                                   std::vector<Fr>& final_values) = 0;
  virtual void lookup(size_t i) = 0;
  // Prover only: a witness tensor in the store, zero-padded ("S" is Q·K^T); read, not consumed.
  virtual TensorId tensor(const std::string& name) = 0;
  // Prover only: a witness tensor's MLE at a point, neither recorded nor absorbed.
  virtual Fr value_at(const std::string& name, const std::vector<Fr>& point) = 0;
  void check(bool ok, const std::string& what) {
    if (!ok && !deviating) throw Reject{what};
  }
  // A deviating prover (the soundness tests' fault hook) goes on past its own failed checks.
  bool deviating = false;

  const ProtocolParams& p_;
  const AttentionLayout& lay_;
  Transcript tr;
};

std::vector<Fr> half_point(int vars) { return std::vector<Fr>(vars, Fr::from_u64(2).inv()); }

void run_protocol(Party& P, PhaseTimer* timer) {
  const AttentionLayout& lay = P.lay_;
  const AttentionShape& s = lay.shape;
  const AxisLayout SL(s.score()), QL(s.queries()), KL(s.keys()), RL(s.rows());
  const int vn = mle_vars(SL.padded[2]), vm = mle_vars(SL.padded[1]), vh = mle_vars(SL.padded[0]), vd = mle_vars(QL.padded[2]);
  auto mark = [&](const std::string& phase) {
    if (timer) timer->mark(phase);
  };
  const auto rho = challenges(P.tr, "zkattn/rho", vn + vm + vh);
  const auto rho_o = challenges(P.tr, "zkattn/rho_out", vd + vm + vh);
  const auto rho_rows = slice(rho, vn, vm + vh);
  auto at = [&](const std::string& name, const std::vector<Fr>& pt) { return P.eval(name, pt); };
  auto digits_at = [&](const std::string& base, const std::vector<int>& bits, const std::vector<Fr>& pt) {
    std::vector<Fr> v;
    for (size_t t = 0; t < bits.size(); t++) v.push_back(at(digit_name(base, t), pt));
    return recompose(bits, v);
  };
  // A rescale's right side 2^k·y + e − 2^{k−1}·μ at pt, given y~(pt).
  auto rescaled = [&](const RescaleSpec& r, const std::string& base, const Fr& y, const std::vector<Fr>& pt, const LogicalDims& dims) {
    if (r.k == 0) return y;
    return pow2(r.k) * y + digits_at(base, r.digit_bits, pt) - pow2(r.k - 1) * padding_mask_mle(dims, pt);
  };

  // 1. Claims at ρ, ρo and the rows' point.
  Fr digits_sum = Fr::zero();
  for (int i = 0; i < lay.K; i++) digits_sum += pow2(lay.seg_shift[i]) * at("D" + std::to_string(i), rho);
  const Fr y_rho = at("Y", rho);
  std::vector<Fr> product_rhs;
  for (size_t j = 1; j <= lay.product.size(); j++)
    product_rhs.push_back(rescaled(lay.product[j - 1], lay.P((int)j), at(lay.P((int)j), rho), rho, s.score()));
  Fr logits_rho = Fr::zero();
  if (lay.logit.k > 0) logits_rho = rescaled(lay.logit, "A", at("A", rho), rho, s.score());
  Fr u = at("O", rho_o);
  for (size_t t = lay.output.size(); t-- > 0;) u = rescaled(lay.output[t], "U" + std::to_string(t + 1), u, rho_o, s.queries());
  const std::vector<Fr> halves = half_point(vn), row_y = concat_points({&halves, &rho_rows});
  const Fr row_sum = pow2(vn) * at("Y", row_y);
  const Fr row_rhs = fr_from_i64(P.p_.attention->row_sum_low) * padding_mask_mle(s.rows(), rho_rows) +
                     digits_at("rowsum", lay.row_digit_bits, rho_rows);
  P.check(row_sum == row_rhs, "row sums: Σ_c Y does not match the row-sum bound's digits");
  mark("claims");

  // A stacked matmul's claim at (inner point, head point ph) reduced by one sumcheck over (inner
  // index, head) to one claim on each operand: Σ eq(ph, h)·A'(h, i)·B'(h, i).
  using PointOf = std::function<std::vector<Fr>(const std::vector<Fr>& inner, const std::vector<Fr>& head)>;
  auto matmul = [&](const std::string& what, int vin, const Fr& claim, const std::vector<Fr>& ph,
                    const std::function<std::vector<TensorId>(TensorStore&)>& tensors, const std::string& a, const PointOf& a_at,
                    const std::string& b, const PointOf& b_at) {
    SumcheckTerms t;
    t.add(Fr::one(), {0, 1, 2});
    Fr expected;
    std::vector<Fr> fv;
    const auto y = P.sumcheck("zkattn/" + what, vin + vh, t, claim, tensors, expected, fv);
    const auto yi = slice(y, 0, vin), yh = slice(y, vin, vh);
    const Fr av = at(a, a_at(yi, yh)), bv = at(b, b_at(yi, yh));
    P.check(eq_eval(ph, yh) * av * bv == expected, what + ": final claim does not match the evaluations");
  };

  // 2. U = Y·V over (c, h): Y folded over its rows, V over its columns.
  {
    const auto rj = slice(rho_o, 0, vd), rr = slice(rho_o, vd, vm), rh = slice(rho_o, vd + vm, vh);
    matmul("output matmul", vn, u, rh, [&](TensorStore& st) {
      return std::vector<TensorId>{st.eq_broadcast(rh, vn), st.fold(P.tensor("Y"), SL.padded[0], SL.padded[1], SL.padded[2], eq_table(rr)),
                                   st.fold(P.tensor("V"), KL.padded[0] * KL.padded[1], KL.padded[2], 1, eq_table(rj))};
    }, "Y", [&](const auto& c, const auto& h) { return concat_points({&c, &rr, &h}); },
       "V", [&](const auto& c, const auto& h) { return concat_points({&rj, &c, &h}); });
  }
  mark("output matmul");

  // 3. Digits and Y over the score tensors. E = eq(ρ, ·)·mask is public (its MLE at a point costs the
  // verifier O(H + m + n)) and Z = γ0·(shift − A) + γ1·P_J is linear in the tensors (its MLE is that
  // combination of theirs), so the sumcheck is of degree 2, or 3 with an indicator segment G:
  //   Σ_x E(x)·[Z(x) (+ γ1·P_J(x)·G(x), Z without P_J)] = γ0·Σ_i 2^{s_i} D_i~(ρ) + γ1·Y~(ρ).
  Fr logits_star;
  std::vector<Fr> xstar;
  {
    const auto g = challenges(P.tr, "zkattn/gamma", 2);
    const bool indicator = lay.M == 1;
    const std::string logits = lay.logit.k > 0 ? "A" : "S", pj_name = lay.P((int)lay.product.size()),
                      g_name = "F" + std::to_string(lay.K - 1);
    SumcheckTerms t;  // 0 E, 1 Z, 2 P_J, 3 G
    t.add(Fr::one(), {0, 1});
    if (indicator) t.add(g[1], {0, 2, 3});
    Fr expected;
    std::vector<Fr> fv;
    xstar = P.sumcheck("zkattn/scores", vn + vm + vh, t, g[0] * digits_sum + g[1] * y_rho, [&](TensorStore& st) {
      const TensorId shift = st.repeat_each(P.tensor("shift"), vn);
      std::vector<std::pair<Fr, TensorId>> z{{g[0], shift}, {g[0].neg(), P.tensor(logits)}};
      if (!indicator) z.emplace_back(g[1], P.tensor(pj_name));
      std::vector<TensorId> ts{st.masked_eq(rho, s.score(), s.n - s.m), st.combine(z)};
      st.drop(shift);
      if (indicator) ts.push_back(st.copy(P.tensor(pj_name))), ts.push_back(st.copy(P.tensor(g_name)));
      return ts;
    }, expected, fv);
    const auto x_rows = slice(xstar, vn, vm + vh);
    const Fr sh = at("shift", x_rows);
    const Fr lg = lay.logit.k > 0 ? at("A", xstar) : P.message("zkattn/logits", [&] { return P.value_at("S", xstar); });
    const Fr pj = at(pj_name, xstar);
    const Fr gv = indicator ? at(g_name, xstar) : Fr::one();
    P.check(masked_eq_mle(s, rho, xstar) * (g[0] * (sh - lg) + g[1] * pj * gv) == expected,
            "score sumcheck: final claim does not match the evaluations");
    logits_star = lg;
  }
  mark("score sumcheck");

  // 4. Products, up to three per sumcheck (8 tensors).
  for (size_t j0 = 1; j0 <= lay.product.size(); j0 += 3) {
    const size_t j1 = std::min(lay.product.size(), j0 + 2), cnt = j1 - j0 + 1;
    const auto g = challenges(P.tr, "zkattn/product gamma/" + std::to_string(j0), (int)cnt);
    SumcheckTerms t;
    Fr claim = Fr::zero();
    for (size_t q = 0; q < cnt; q++) t.add(g[q], {0, (int)(1 + 2 * q), (int)(2 + 2 * q)}), claim += g[q] * product_rhs[j0 - 1 + q];
    Fr expected;
    std::vector<Fr> fv;
    auto y = P.sumcheck("zkattn/products/" + std::to_string(j0), vn + vm + vh, t, claim, [&](TensorStore& st) {
      std::vector<TensorId> ts{st.eq(rho)};
      for (size_t q = 0; q < cnt; q++) {
        const int j = (int)(j0 + q);
        ts.push_back(st.copy(P.tensor(lay.P(j - 1)))), ts.push_back(st.copy(P.tensor("F" + std::to_string(lay.L + j))));
      }
      return ts;
    }, expected, fv);
    Fr acc = Fr::zero();
    for (size_t q = 0; q < cnt; q++) {
      const int j = (int)(j0 + q);
      acc += g[q] * at(lay.P(j - 1), y) * at("F" + std::to_string(lay.L + j), y);
    }
    P.check(eq_eval(rho, y) * acc == expected, "product sumcheck: final claim does not match the evaluations");
  }
  mark("product sumcheck");

  // 5. S = Q·K^T at ρ (rescaled logits) or at x* (logits read as they are).
  {
    const std::vector<Fr>& pt = lay.logit.k > 0 ? rho : xstar;
    const auto pc = slice(pt, 0, vn), pr = slice(pt, vn, vm), ph = slice(pt, vn + vm, vh);
    matmul("logit matmul", vd, lay.logit.k > 0 ? logits_rho : logits_star, ph, [&](TensorStore& st) {
      return std::vector<TensorId>{st.eq_broadcast(ph, vd), st.fold(P.tensor("Q"), QL.padded[0], QL.padded[1], QL.padded[2], eq_table(pr)),
                                   st.fold(P.tensor("K"), KL.padded[0], KL.padded[1], KL.padded[2], eq_table(pc))};
    }, "Q", [&](const auto& j, const auto& h) { return concat_points({&j, &pr, &h}); },
       "K", [&](const auto& j, const auto& h) { return concat_points({&j, &pc, &h}); });
  }
  mark("logit matmul");

  // 6. Rescaled logits: the row shifts are integers (else a shift with a fractional part would move
  // every rounding of its row's logits): their bits are bits, and recompose them at ρ's rows.
  if (lay.shift_bits) {
    const int vw = mle_vars(SHIFT_BITS), vb = vw + vm + vh;
    const auto rb = challenges(P.tr, "zkattn/rho_bits", vb);
    SumcheckTerms t;
    t.add(Fr::one(), {0, 1, 2});
    t.add(Fr::one().neg(), {0, 1});
    Fr expected;
    std::vector<Fr> fv;
    const auto xb = P.sumcheck("zkattn/shift bits", vb, t, Fr::zero(), [&](TensorStore& st) {
      return std::vector<TensorId>{st.eq(rb), st.copy(P.tensor("shift.bits")), st.copy(P.tensor("shift.bits"))};
    }, expected, fv);
    const Fr bv = at("shift.bits", xb);
    P.check(eq_eval(rb, xb) * (bv * bv - bv) == expected, "shift bits: a bit is not 0 or 1");
    std::vector<Fr> p2(SHIFT_BITS);
    for (int w = 0; w < SHIFT_BITS; w++) p2[w] = pow2(w);
    const Fr claim = at("shift", rho_rows) + pow2(SHIFT_BITS - 1) * padding_mask_mle(s.rows(), rho_rows);
    SumcheckTerms t2;
    t2.add(Fr::one(), {0, 1});
    const auto xw = P.sumcheck("zkattn/shift recomposition", vw, t2, claim, [&](TensorStore& st) {
      return std::vector<TensorId>{st.host(p2), st.fold(P.tensor("shift.bits"), 1, RL.size(), SHIFT_BITS, eq_table(rho_rows))};
    }, expected, fv);
    const Fr bw = at("shift.bits", concat_points({&xw, &rho_rows}));
    P.check(mle_evaluate(p2.data(), p2.size(), xw) * bw == expected, "shift bits: they do not recompose the row shift");
    mark("shift bits");
  }

  // 7. Lookups.
  for (size_t i = 0; i < lay.lookups.size(); i++) {
    P.lookup(i);
    if (timer) timer->mark("lookup: " + lay.lookups[i].stage);
  }
}

// Q, K, V as int64 from the witness source: drawn at the configuration's scales, or given.
struct Inputs {
  std::vector<int64_t> Q, K, V;
};
// `draw_seeded` false: a seeded witness is left to the device witness to draw (Q, K, V stay empty).
Inputs attention_inputs(const ProtocolParams& p, const WitnessSource& w, const AttentionShape& s, bool draw_seeded = true) {
  const auto& c = p.attention->config;
  Inputs in;
  if (w.seeded && !draw_seeded) return in;
  auto draw = [&](uint64_t id, size_t count, int bits) {
    std::vector<int64_t> v(count);
    const int64_t lo = -(int64_t(1) << bits);
    cpu_parallel_chunks(count, [&](size_t a, size_t b, size_t) {
      for (size_t i = a; i < b; i++) v[i] = witness_int(w.seed, id, i, lo, uint64_t(1) << (bits + 1));
    });
    return v;
  };
  auto given = [&](const char* name, size_t count) {
    const auto& t = w.need(name, count);
    std::vector<int64_t> v(count);
    for (size_t i = 0; i < count; i++) {
      uint64_t j;
      if (!fr_offset_in_range(t[i], -(int64_t(1) << 31), uint64_t(1) << 32, &j))
        throw std::invalid_argument(std::string("zkattn: ") + name + "[" + std::to_string(i) + "] is not an int32 value");
      v[i] = (int64_t)j - (int64_t(1) << 31);
    }
    return v;
  };
  const size_t nq = s.H * s.m * s.d, nk = s.H * s.n * s.d;
  if (w.seeded) in.Q = draw(ID_Q, nq, c.qk_bits), in.K = draw(ID_K, nk, c.qk_bits), in.V = draw(ID_V, nk, c.value_bits);
  else in.Q = given("Q", nq), in.K = given("K", nk), in.V = given("V", nk);
  return in;
}

AttentionInputs device_inputs(const WitnessSource& w, const Inputs& in) {
  AttentionInputs d;
  if (w.seeded) d.seeded = true, d.seed = w.seed;
  else d.Q = &in.Q, d.K = &in.K, d.V = &in.V;
  return d;
}

AttentionShape shape_of(const ProtocolParams& p) { return {p.num, p.dim0, p.dim1, p.dim2}; }

// The witness's tensors as zero-padded field elements on the host, made once each: what commit
// mode commits and opens.
class PaddedTensors {
 public:
  PaddedTensors(const AttentionLayout& lay, const AttentionWitness& w) : lay_(lay), w_(w) {}
  const std::vector<Fr>& operator()(const std::string& name) {
    auto it = fr_.find(name);
    if (it != fr_.end()) return it->second;
    const bool logits = name == "S";
    const auto& v = logits ? w_.S : w_.t.at(name);
    AxisLayout L(logits ? lay_.shape.score() : lay_.dims(name));
    // Rows of the innermost axis are contiguous in both layouts: copy row by row.
    const size_t inner = L.dims.back(), rows = v.size() / inner;
    std::vector<Fr> t(L.size(), Fr::zero());
    cpu_parallel_chunks(rows, [&](size_t lo, size_t hi, size_t) {
      for (size_t r = lo; r < hi; r++) {
        const size_t dst = L.padded_index(r * inner);
        for (size_t c = 0; c < inner; c++) t[dst + c] = fr_from_i64(v[r * inner + c]);
      }
    }, 16);
    return fr_[name] = std::move(t);
  }
  void put(const std::string& name, std::vector<Fr> t) { fr_[name] = std::move(t); }

 private:
  const AttentionLayout& lay_;
  const AttentionWitness& w_;
  std::map<std::string, std::vector<Fr>> fr_;
};

class LookupTables {
 public:
  LookupTables(const AttentionStatement& a, const AttentionShape& s) : a_(a), s_(s) {}
  const LookupTable& operator()(const AttentionLookup& l) {
    const std::string key = l.segment >= 0 && l.kind != AttentionLookup::Range ? "segment" + std::to_string(l.segment)
                                                                                : "range" + std::to_string(l.table_bits);
    auto it = t_.find(key);
    if (it != t_.end()) return *it->second;
    return *(t_[key] = made(key, l));
  }

 private:
  // A table of up to 2^20+ rows as field elements is made once per configuration and head size for
  // every proof of a sweep (the prover and the verifier of each proof read it).
  std::shared_ptr<const LookupTable> made(const std::string& key, const AttentionLookup& l) {
    static std::mutex mu;
    static std::map<std::string, std::shared_ptr<const LookupTable>> cache;
    const bool range = key.rfind("range", 0) == 0;
    const std::string full = range ? key : attention_binding(a_) + ";d=" + std::to_string(s_.d) + ";" + key;
    {
      std::lock_guard<std::mutex> lock(mu);
      auto it = cache.find(full);
      if (it != cache.end()) return it->second;
    }
    std::shared_ptr<const LookupTable> t;
    if (range) {
      t = std::make_shared<const LookupTable>(LookupTable::range(0, uint64_t(1) << l.table_bits));
    } else {
      t = std::make_shared<const LookupTable>(LookupTable::map_ints(0, segment_outputs(a_, s_, l.segment)));
    }
    std::lock_guard<std::mutex> lock(mu);
    if (cache.size() >= 16) cache.clear();
    return cache[full] = t;
  }
  const AttentionStatement& a_;
  const AttentionShape& s_;
  std::map<std::string, std::shared_ptr<const LookupTable>> t_;
};

// One lookup read from the witness's integers: the table row of every padded entry (`pad_row` in
// the padding) and the multiplicities (padding counts at row 0). A value outside its table (or a
// pair that is not a row) throws, unless `tolerate` (a deviating prover's witness), which leaves
// rows empty and the multiplicities zero.
struct LookupRows {
  std::vector<uint32_t> rows;
  std::vector<Fr> m;
};
LookupRows lookup_rows_of(LookupTables& tables, const AttentionLookup& l, const AttentionWitness& W, uint32_t pad_row, bool tolerate) {
  const LookupTable& T = tables(l);
  const std::vector<int64_t>& outs = T.out_ints;
  const auto& v = W.t.at(l.values);
  const std::vector<int64_t>* f = l.outputs.empty() ? nullptr : &W.t.at(l.outputs);
  AxisLayout L(l.dims);
  LookupRows out;
  out.rows.assign(L.size(), pad_row);
  const size_t inner = L.dims.back(), nrows = v.size() / inner, threads = cpu::thread_count();
  // counts per thread when the tables fit, else one shared pass
  const bool split = T.size() * threads <= (size_t(1) << 25);
  std::vector<std::vector<uint64_t>> part(split ? threads : 1, std::vector<uint64_t>(T.size(), 0));
  std::atomic<int64_t> bad{-1};
  auto scan = [&](size_t lo, size_t hi, size_t th) {
    auto& c = part[split ? th : 0];
    for (size_t r = lo; r < hi; r++) {
      const size_t dst = L.padded_index(r * inner);
      for (size_t k = 0; k < inner; k++) {
        const size_t li = r * inner + k;
        const int64_t x = v[li];
        if (x < T.low || (uint64_t)(x - T.low) >= T.len || (f && (*f)[li] != outs[(size_t)(x - T.low)])) {
          int64_t none = -1;
          bad.compare_exchange_strong(none, (int64_t)li);
          return;
        }
        out.rows[dst + k] = (uint32_t)(x - T.low);
        c[(size_t)(x - T.low)]++;
      }
    }
  };
  if (split) cpu_parallel_chunks(nrows, scan, 16);
  else scan(0, nrows, 0);
  if (bad >= 0) {
    if (!tolerate) {
      const size_t li = (size_t)bad.load();
      const int64_t x = v[li];
      if (x < T.low || (uint64_t)(x - T.low) >= T.len)
        throw std::invalid_argument(l.stage + ": an entry (logical index " + std::to_string(li) + ") is " + std::to_string(x) +
                                    ", outside the table [" + std::to_string(T.low) + ", " + std::to_string(T.low + (int64_t)T.len) + ")");
      throw std::invalid_argument(l.stage + ": the pair at logical index " + std::to_string(li) + " is not a row of the table");
    }
    out.rows.clear();
    out.m.assign(T.size(), Fr::zero());
    return out;
  }
  std::vector<uint64_t> counts(T.size(), 0);
  for (const auto& c : part)
    for (size_t j = 0; j < c.size(); j++) counts[j] += c[j];
  counts[0] += L.size() - L.logical_size();
  out.m = counts_to_fr(counts);
  return out;
}

// The witness's tensors in a tensor store (the GPU's when they fit), each made once from its
// integers, and their evaluations at points (one eq table per point, kept for the claims that
// share it).
class ResidentWitness {
 public:
  // With `dw`, the witness is the device's (the store is then a device store); else it is `w`.
  ResidentWitness(TensorStore& st, const AttentionLayout& lay, const AttentionWitness& w, const DeviceAttentionWitness* dw)
      : st_(st), lay_(lay), w_(w), dw_(dw) {}
  TensorId operator()(const std::string& name) {
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    const LogicalDims dims = name == "S" ? lay_.shape.score() : lay_.dims(name);
    const TensorId id = dw_ ? st_.device_ints(need(name), dims) : st_.ints(name == "S" ? w_.S : w_.t.at(name), dims);
    return ids_[name] = id;
  }
  // Lookup l's multiplicities (a tensor of the store) and, when every value is a row of its table, a
  // gather at the values' rows (`pad_row` in the padding). Values outside the table throw unless `tolerate`.
  std::pair<TensorId, GatherRows> lookup(LookupTables& tables, const AttentionLookup& l, uint32_t pad_row, bool tolerate) {
    const LookupTable& T = tables(l);
    if (dw_) {
      // the device witness's digits are in their tables by construction (masked), and a mapping's
      // outputs are its table's rows at them
      const int64_t* v = need(l.values);
      const AxisLayout L(l.dims);
      const TensorId m = st_.device_counts(v, L.logical_size(), T.size(), L.size() - L.logical_size());
      const LogicalDims dims = l.dims;
      return {m, [this, v, dims, pad_row](const std::vector<TensorId>& t) { return st_.device_gather(v, dims, t, pad_row); }};
    }
    rows_.push_back(lookup_rows_of(tables, l, w_, pad_row, tolerate));
    const std::vector<uint32_t>& rows = rows_.back().rows;
    GatherRows g;
    if (!rows.empty()) g = [this, &rows](const std::vector<TensorId>& t) { return st_.gather(rows, t); };
    return {st_.host(std::move(rows_.back().m)), g};
  }
  void put(const std::string& name, TensorId id) { ids_[name] = id; }
  Fr eval(const std::string& name, const std::vector<Fr>& point) { return st_.sum_of_products({eq_at(point), (*this)(name)}); }
  TensorStore& store() { return st_; }

 private:
  TensorId eq_at(const std::vector<Fr>& point) {
    for (const auto& [pt, id] : eq_)
      if (pt == point) return id;
    if (eq_.size() == 4) st_.drop(eq_.front().second), eq_.erase(eq_.begin());
    eq_.emplace_back(point, st_.eq(point));
    return eq_.back().second;
  }
  const int64_t* need(const std::string& name) const {
    const int64_t* p = dw_->device(name);
    if (!p) throw std::logic_error("zkattn: the device witness has no tensor '" + name + "'");
    return p;
  }
  TensorStore& st_;
  const AttentionLayout& lay_;
  const AttentionWitness& w_;
  const DeviceAttentionWitness* dw_;
  std::deque<LookupRows> rows_;
  std::map<std::string, TensorId> ids_;
  std::vector<std::pair<std::vector<Fr>, TensorId>> eq_;
};

// What a store holding the witness keeps at once: every tensor, the logits, a sumcheck's copies
// and the eq tables of the shared points.
size_t working_bytes(const AttentionLayout& lay) {
  const size_t score = AxisLayout(lay.shape.score()).size();
  size_t n = 13 * score;
  for (const auto& [name, dims] : lay.tensors) n += AxisLayout(dims).size();
  return n * (sizeof(Fr) + sizeof(int64_t));  // and a device witness's integers
}

class Prover : public Party {
 public:
  Prover(const ProtocolParams& p, const AttentionLayout& lay, Transcript tr, const AttentionWitness& w,
         const DeviceAttentionWitness* dw, ProtocolOutput& out, WitnessCommitments* wc, TensorStore& store)
      : Party(p, lay, std::move(tr)), resident_(store, lay, w, dw), host_(lay, w), tables_(*p.attention, lay.shape), out_(out), wc_(wc),
        trace("zkattn", &store) {}
  TensorId tensor(const std::string& name) override { return resident_(name); }
  Fr value_at(const std::string& name, const std::vector<Fr>& point) override { return resident_.eval(name, point); }
  // Commit mode: the tensor on the host, as the commitments and openings take it.
  const std::vector<Fr>& host_tensor(const std::string& name) { return host_(name); }

  // The multiplicities of every lookup, as tensors L<i>.m (checking every value is in its table; a
  // deviating prover's values outside it count nowhere).
  void count_lookups() {
    for (size_t i = 0; i < lay_.lookups.size(); i++) {
      auto [m, gather] = resident_.lookup(tables_, lay_.lookups[i], 0, deviating);
      // the table sumcheck gives its claim; only commit mode's opening reads the tensor again
      if (wc_) host_.put("L" + std::to_string(i) + ".m", resident_.store().to_host(m));
      lookups_.push_back({m, std::move(gather)});
      trace("multiplicities: " + lay_.lookups[i].stage);
    }
  }

  Fr eval(const std::string& name, const std::vector<Fr>& point) override {
    const Fr v = resident_.eval(name, point);
    out_.evals.push_back({name, point, v});
    tr.absorb_fr("zkattn/eval/" + name, v);
    trace("eval " + name);
    return v;
  }
  Fr message(const std::string& label, const std::function<Fr()>& value) override {
    const Fr v = value();
    out_.proof.fr(v);
    tr.absorb_fr(label, v);
    return v;
  }
  std::vector<Fr> sumcheck(const std::string& label, int vars, const SumcheckTerms& terms, const Fr& claim,
                           const std::function<std::vector<TensorId>(TensorStore&)>& tensors, Fr& expected,
                           std::vector<Fr>& final_values) override {
    auto engine = resident_.store().sumcheck(tensors(resident_.store()), terms);
    trace(label + ": tensors");
    SumcheckProof pf;
    auto res = sumcheck_prove(tr, label, *engine, vars, terms, pf, [&](const Fr& total) {
      if (total != claim && !deviating) throw std::logic_error(label + ": the prover's sum differs from its claim");
    });
    trace(label + ": rounds");
    write_sumcheck(out_.proof, pf);
    final_values = res.final_values;
    expected = sumcheck_combine(terms, res.final_values);
    return res.point;
  }

  void lookup(size_t i) override {
    const AttentionLookup& l = lay_.lookups[i];
    const std::string id = "L" + std::to_string(i);
    const LookupTable& T = tables_(l);
    const TensorId values = tensor(l.values);
    const auto& [m, gather] = lookups_.at(i);
    LookupStoreInput in{&T, l.dims, values, l.outputs.empty() ? values : tensor(l.outputs), gather, m};
    std::function<void(const std::vector<Fr>&, const Fr&, const Fr&)> committed;
    if (wc_)
      committed = [&](const std::vector<Fr>& inv, const Fr&, const Fr&) {
        wc_->commit(tr, id + ".inv", inv);
        host_.put(id + ".inv", inv);
      };
    auto c = lookup_prove(tr, "zkattn/lookup/" + std::to_string(i), resident_.store(), in, out_.proof, committed,
                          [&](const char* step) { trace(l.stage + ": " + step); });
    auto record = [&](const std::string& name, const std::vector<Fr>& pt, const Fr& v) {
      out_.evals.push_back({name, pt, v});
      tr.absorb_fr("zkattn/eval/" + name, v);
    };
    record(l.values, c.point, c.values);
    if (!l.outputs.empty()) record(l.outputs, c.point, c.outputs);
    record(id + ".inv", c.point, c.inverses);
    record(id + ".m", c.table_point, c.multiplicities);
    trace(l.stage + ": claims");
  }

 private:
  ResidentWitness resident_;
  PaddedTensors host_;
  LookupTables tables_;
  std::vector<std::pair<TensorId, GatherRows>> lookups_;
  ProtocolOutput& out_;
  WitnessCommitments* wc_;
  StepLaps trace;
};

class Verifier : public Party {
 public:
  // `store` computes the lookups' table sides (and keeps their inverses for the witness check).
  Verifier(const ProtocolParams& p, const AttentionLayout& lay, Transcript tr, const std::vector<FinalEval>& evals,
           ProofReader& rd, WitnessCommitments* wc, TensorStore& store)
      : Party(p, lay, std::move(tr)), tables_(*p.attention, lay.shape), evals_(evals), rd_(rd), wc_(wc), store_(store) {}
  TensorId tensor(const std::string&) override { throw std::logic_error("zkattn: the verifier has no witness"); }
  Fr value_at(const std::string&, const std::vector<Fr>&) override { throw std::logic_error("zkattn: the verifier has no witness"); }
  Fr eval(const std::string& name, const std::vector<Fr>& point) override {
    if (next_ >= evals_.size()) throw Reject{"statement has fewer final evaluations than the protocol produces"};
    const FinalEval& e = evals_[next_++];
    if (e.tensor != name) throw Reject{"final evaluation " + std::to_string(next_ - 1) + " is of '" + e.tensor + "', the protocol's is of '" + name + "'"};
    if (e.point != point) throw Reject{"final evaluation of '" + name + "' is claimed at a different point than the transcript gives"};
    tr.absorb_fr("zkattn/eval/" + name, e.value);
    return e.value;
  }
  Fr message(const std::string& label, const std::function<Fr()>&) override {
    Fr v;
    if (!rd_.fr(v)) throw Reject{label + ": " + rd_.problem()};
    tr.absorb_fr(label, v);
    return v;
  }
  std::vector<Fr> sumcheck(const std::string& label, int vars, const SumcheckTerms& terms, const Fr& claim,
                           const std::function<std::vector<TensorId>(TensorStore&)>&, Fr& expected, std::vector<Fr>&) override {
    SumcheckProof pf;
    if (!read_sumcheck(rd_, vars, terms.degree, pf)) throw Reject{label + ": " + rd_.problem()};
    SumcheckSubclaim sub;
    std::string reason;
    if (!sumcheck_verify(tr, label, vars, terms.degree, claim, pf, sub, reason)) throw Reject{reason};
    expected = sub.expected;
    return sub.point;
  }
  void lookup(size_t i) override {
    const AttentionLookup& l = lay_.lookups[i];
    const std::string id = "L" + std::to_string(i);
    LookupVerifierState st;
    std::string reason;
    const bool ok = lookup_verify(
        tr, "zkattn/lookup/" + std::to_string(i), tables_(l), store_, l.dims, rd_,
        [&](std::string& why) { return !wc_ || wc_->absorb(tr, id + ".inv", AxisLayout(l.dims).size(), why); },
        [&](const char* role, const std::vector<Fr>& pt, Fr& v) {
          const std::string r = role;
          v = eval(r == "values" ? l.values : r == "outputs" ? l.outputs : r == "inverses" ? id + ".inv" : id + ".m", pt);
          return true;
        },
        st, reason);
    if (!ok) throw Reject{reason};
    table_inverses_.push_back(st.table_inverses);
  }
  bool all_used() const { return next_ == evals_.size(); }
  // Lookup i's table inverses B at its challenges, a tensor of the store.
  TensorId table_inverses(size_t i) const { return table_inverses_.at(i); }
  LookupTables& tables() { return tables_; }

 private:
  LookupTables tables_;
  const std::vector<FinalEval>& evals_;
  ProofReader& rd_;
  WitnessCommitments* wc_;
  size_t next_ = 0;
  TensorStore& store_;
  std::vector<TensorId> table_inverses_;
};

// Test hook: ZKLLM_TEST_ZKATTN_FAULT makes the prover deviate, as a cheating one would, after its
// honest witness is built: 'y' (two entries of row 0 of Y moved by one, its sum kept), 'o' (one output entry), 'digit' (digit
// 0 of the first entry moved out of its table, digit 1 compensating), 'rowsum' (one row-sum digit),
// 'bits' (a row shift's bits that recompose it but are not all bits; rescaled logits only),
// 'shift' (row 0's shift raised by 2·sf_in·sqrt(d), every later tensor recomputed from it, so
// the rows' sums leave the bound). Nothing reads it outside the prover.
const char* fault_kind() {
  const char* f = std::getenv("ZKLLM_TEST_ZKATTN_FAULT");
  return f && *f ? f : nullptr;
}
AttentionWitness deviate(const char* f, const ProtocolParams& p, const AttentionLayout& lay, const Inputs& in, AttentionWitness W) {
  const std::string kind = f;
  if (kind == "y") W.t["Y"][0] += 1, W.t["Y"][1] -= 1;  // row 0 keeps its sum
  else if (kind == "o") W.t["O"][0] += 1;
  else if (kind == "rowsum") W.t[digit_name("rowsum", 0)][0] ^= 1;
  else if (kind == "bits") {
    // Row 0's shift written with a "bit" of 2 and bit 1 lowered: the same sum, not bits.
    auto& b = W.t.at("shift.bits");
    if (b[1] == 0) b[1] = 1, b[0] -= 2;
    else b[1] = 0, b[0] += 2;
  }
  else if (kind == "digit") {
    if (lay.K < 2) throw std::invalid_argument("fault 'digit' needs two segments");
    W.t["D0"][0] -= int64_t(1) << lay.seg_bits[0];
    W.t["D1"][0] += 1;
  } else if (kind == "shift") {
    WitnessDeviation dev{W.t["shift"]};
    const int64_t delta = (int64_t)(2 * std::ldexp(1.0, p.attention->config.logit_bits) * std::sqrt((double)lay.shape.d));
    for (uint64_t h = 0; h < lay.shape.H; h++) dev.shift[h * lay.shape.m] += delta;
    W = attention_witness(*p.attention, lay, in.Q, in.K, in.V, &dev);
  } else {
    throw std::invalid_argument("unknown ZKLLM_TEST_ZKATTN_FAULT '" + kind + "'");
  }
  return W;
}

void need_statement(const ProtocolParams& p) {
  if (!p.attention) throw std::invalid_argument("zkattn: the statement has no attention parameters (configuration and row-sum bound)");
  validate_attention(*p.attention, p.num, p.dim0, p.dim1, p.dim2, p.commit);
}
}  // namespace

ProtocolOutput prove_zkattn(const ProtocolParams& p, const WitnessSource& w) {
  need_statement(p);
  ProtocolOutput out;
  PhaseTimer timer(out);
  const AttentionShape s = shape_of(p);
  const AttentionLayout lay = attention_layout(*p.attention, s);
  const char* fault = fault_kind();
  auto wc = WitnessCommitments::for_prover(p);
  auto store = make_tensor_store(p.prover, working_bytes(lay));
  // On a device store the witness is computed there (a seeded Q, K, V drawn there too) and in plain
  // mode never crosses the bus; commit mode, whose commitments and openings take host tensors, copies
  // the committed ones to the host. The fault hook uses the host's witness.
  const bool on_device = store->on_device() && !fault;
  const Inputs in = attention_inputs(p, w, s, !on_device);
  std::unique_ptr<DeviceAttentionWitness> dw;
  AttentionWitness W;
  StepLaps trace("zkattn", store.get());
  if (on_device) {
    dw = device_attention_witness(*p.attention, lay, device_inputs(w, in));
    if (wc)
      for (const auto& [name, dims] : lay.tensors)
        if (dw->device(name)) W.t[name] = dw->host(name);
  } else {
    W = attention_witness(*p.attention, lay, in.Q, in.K, in.V);
  }
  if (fault) W = deviate(fault, p, lay, in, std::move(W));
  trace("witness");
  const bool given_o = !w.seeded && w.tensors.count("O");
  if (p.return_outputs || given_o) {
    std::vector<int64_t> O = dw ? dw->host("O") : W.t.at("O");
    trace("O to the host");
    if (given_o) {
      const auto& given = w.need("O", s.H * s.m * s.d);
      for (size_t i = 0; i < O.size(); i++)
        if (given[i] != fr_from_i64(O[i]))
          throw std::invalid_argument("zkattn: the given O differs from the attention of Q, K, V at index " + std::to_string(i));
    }
    if (p.return_outputs) out.int_outputs["O"] = std::move(O);
  }
  timer.mark("witness");
  Prover pr(p, lay, open_transcript(p, w), W, dw.get(), out, wc.get(), *store);
  pr.deviating = fault != nullptr;
  pr.count_lookups();
  timer.mark("multiplicities");
  if (wc) {
    for (const auto& [name, dims] : lay.tensors) wc->commit(pr.tr, name, pr.host_tensor(name));
    timer.mark("commit");
  }
  run_protocol(pr, &timer);
  if (wc) {
    wc->open_claims(pr.tr, out.evals, [&](const std::string& name) { return lay.dims(name); }, out.proof,
                    [&](const std::string& name) { return pr.host_tensor(name); });
    out.commitments = wc->rows;
    timer.mark("openings");
  }
  for (const auto& l : lay.lookups) out.lookups.push_back({l.stage, l.table_bits, AxisLayout(l.dims).logical_size()});
  // Device memory handed back inside the timer: it is part of what the caller waits for.
  dw.reset();
  store.reset();
  timer.mark("release");
  return out;
}

bool verify_zkattn(const ProtocolParams& p, const WitnessSource& w, const std::vector<Fr>& claims,
                   const std::vector<FinalEval>& evals, const std::vector<uint8_t>& proof, VerifyMode mode, std::string& reason) {
  need_statement(p);
  if (!claims.empty()) return reason = "zkattn takes no public claims", false;
  const AttentionShape s = shape_of(p);
  const AttentionLayout lay = attention_layout(*p.attention, s);
  auto wc = WitnessCommitments::for_verifier(p, w);
  ProofReader rd(proof);
  // the lookups' table sides, and in plain mode the recomputed witness, in a store (the GPU's when usable)
  auto store = make_tensor_store(verifier_config(), working_bytes(lay));
  Verifier v(p, lay, open_transcript(p, w), evals, rd, wc.get(), *store);
  try {
    if (wc) {
      for (const auto& [name, dims] : lay.tensors)
        if (!wc->absorb(v.tr, name, AxisLayout(dims).size(), reason)) return false;
      if (wc->rows.size() != lay.tensors.size() + lay.lookups.size())
        return reason = "the statement commits to tensors the protocol does not use", false;
    }
    run_protocol(v, nullptr);
    if (!v.all_used()) return reason = "statement lists final evaluations that the protocol does not produce", false;
    if (wc) {
      std::vector<LogicalDims> dims;
      for (const auto& e : evals) dims.push_back(lay.dims(e.tensor));
      ClaimsOpeningProof op;
      if (!wc->read_claims(rd, dims, op)) return reason = "opening of the claims: " + rd.problem(), false;
      if (!wc->verify_claims(v.tr, evals, [&](const std::string& name) { return lay.dims(name); }, op, reason)) return false;
    }
    if (!rd.done()) return reason = "proof has bytes after its last message", false;
  } catch (const Reject& r) {
    reason = r.why;
    return false;
  }
  if (wc || mode != VerifyMode::Full) return true;
  // Plain mode: the witness recomputed from Q, K and V, every claim checked against it.
  std::unique_ptr<DeviceAttentionWitness> dw;
  AttentionWitness W;
  try {
    const Inputs in = attention_inputs(p, w, s, !store->on_device());
    if (store->on_device()) dw = device_attention_witness(*p.attention, lay, device_inputs(w, in));
    else W = attention_witness(*p.attention, lay, in.Q, in.K, in.V);
  } catch (const std::exception& e) {
    return reason = std::string("the witness does not satisfy the statement: ") + e.what(), false;
  }
  if (!w.seeded && w.tensors.count("O")) {
    const auto& given = w.need("O", s.H * s.m * s.d);
    const std::vector<int64_t> o = dw ? dw->host("O") : W.t.at("O");
    for (size_t i = 0; i < o.size(); i++)
      if (given[i] != fr_from_i64(o[i])) return reason = "O is not the attention of Q, K and V", false;
  }
  // Every claim evaluated in the store; the inverses gathered from the table side's at the proof's
  // challenges (zero in the padding: a row beyond the table).
  ResidentWitness T(*store, lay, W, dw.get());
  try {
    for (size_t i = 0; i < lay.lookups.size(); i++) {
      const auto& l = lay.lookups[i];
      const LookupTable& tab = v.tables()(l);
      const auto [m, gather] = T.lookup(v.tables(), l, (uint32_t)tab.size(), false);
      T.put("L" + std::to_string(i) + ".m", m);
      T.put("L" + std::to_string(i) + ".inv", gather({v.table_inverses(i)})[0]);
      store->drop(v.table_inverses(i));
    }
  } catch (const std::invalid_argument& e) {
    return reason = std::string("the witness does not satisfy the statement: ") + e.what(), false;
  }
  for (const auto& e : evals)
    if (T.eval(e.tensor, e.point) != e.value) return reason = "final evaluation of '" + e.tensor + "' does not match the witness", false;
  return true;
}
