#include "claims_opening.h"
#include <array>
#include <future>
#include <stdexcept>
#include "../mle/mle.h"
#include "../platform/cpu_parallel.h"
#include "step_laps.h"
#include "tensor_store.h"

namespace {
const std::string LABEL = "open/claims";
// A sumcheck engine of the backends takes at most 8 tensors, so a store's runs the reduction of up
// to four column points (every op but zkattn); more go through PairsEngine on the host.
constexpr size_t MAX_ENGINE_TENSORS = 8;

// The reduction's sumcheck of Σ_g <a_g, c_g> over vectors of w entries on the host, for claims at
// more distinct column points than a store's sumcheck engine takes.
class PairsEngine : public SumcheckEngine {
 public:
  PairsEngine(std::vector<std::vector<Fr>> a, std::vector<std::vector<Fr>> c)
      : a_(std::move(a)), c_(std::move(c)), len_(a_[0].size()), next_(2 * a_.size(), std::vector<Fr>(len_ / 2)) {}
  std::vector<Fr> round_values() override {
    const size_t half = len_ / 2;
    std::vector<std::array<Fr, 3>> part(cpu::thread_count(), {Fr::zero(), Fr::zero(), Fr::zero()});
    cpu_parallel_chunks(half, [&](size_t lo, size_t hi, size_t t) {
      Fr s0 = Fr::zero(), s1 = Fr::zero(), s2 = Fr::zero();
      for (size_t g = 0; g < a_.size(); g++) {
        const Fr *a = a_[g].data(), *c = c_[g].data();
        for (size_t i = lo; i < hi; i++) {
          const Fr &a0 = a[2 * i], &a1 = a[2 * i + 1], &c0 = c[2 * i], &c1 = c[2 * i + 1];
          s0 += a0 * c0;
          s1 += a1 * c1;
          s2 += (a1 + a1 - a0) * (c1 + c1 - c0);
        }
      }
      part[t] = {s0, s1, s2};
    });
    std::vector<Fr> g(3, Fr::zero());
    for (const auto& p : part)
      for (int k = 0; k < 3; k++) g[k] += p[k];
    return g;
  }
  void bind(const Fr& r) override {
    const size_t half = len_ / 2, vectors = 2 * a_.size();
    auto vec = [&](size_t k) -> std::vector<Fr>& { return k < a_.size() ? a_[k] : c_[k - a_.size()]; };
    next_.resize(vectors);
    // one fork over every vector's half (a round's work is a few thousand products at most per vector)
    cpu_parallel_chunks(vectors * half, [&](size_t lo, size_t hi, size_t) {
      for (size_t x = lo; x < hi; x++) {
        const size_t k = x / half, i = x % half;
        const std::vector<Fr>& v = vec(k);
        next_[k][i] = v[2 * i] + r * (v[2 * i + 1] - v[2 * i]);
      }
    }, 4096);
    for (size_t k = 0; k < vectors; k++) vec(k).swap(next_[k]);
    len_ = half;
  }
  std::vector<Fr> final_values() override {
    std::vector<Fr> out;
    for (size_t g = 0; g < a_.size(); g++) out.push_back(a_[g][0]), out.push_back(c_[g][0]);
    return out;
  }

 private:
  std::vector<std::vector<Fr>> a_, c_;
  size_t len_;
  std::vector<std::vector<Fr>> next_;  // the bound halves, swapped in
};

// Σ_k c_k·t_k as a new tensor of the store (its combine takes four at a time).
TensorId linear_combination(TensorStore& store, const std::vector<std::pair<Fr, TensorId>>& parts) {
  if (parts.empty()) throw std::logic_error("opening: empty combination");
  const size_t first = std::min<size_t>(4, parts.size());
  TensorId acc = store.combine(std::vector<std::pair<Fr, TensorId>>(parts.begin(), parts.begin() + first));
  for (size_t k = first; k < parts.size(); k += 3) {
    std::vector<std::pair<Fr, TensorId>> next{{Fr::one(), acc}};
    for (size_t j = k; j < std::min(k + 3, parts.size()); j++) next.push_back(parts[j]);
    const TensorId sum = store.combine(next);
    store.drop(acc);
    acc = sum;
  }
  return acc;
}

int vars_of_width(size_t w) {
  const int m = mle_vars(w);
  if (w == 0 || (size_t(1) << m) != w) throw std::invalid_argument("generator dimension must be a power of two");
  return m;
}
}  // namespace

void write_ipa(const IpaProof& p, ProofWriter& out) {
  for (const auto& L : p.L) out.point(L);
  for (const auto& R : p.R) out.point(R);
  for (const auto& a : p.a) out.fr(a);
}

bool read_ipa(ProofReader& rd, size_t w, IpaProof& out) {
  const int m = vars_of_width(w), rounds = ipa_rounds(m);
  out.L.resize(rounds);
  out.R.resize(rounds);
  for (auto& L : out.L)
    if (!rd.point(L)) return false;
  for (auto& R : out.R)
    if (!rd.point(R)) return false;
  return rd.frs(ipa_final_length(m), out.a);
}

void prove_claims_opening(Transcript& tr, const std::vector<OpenedClaim>& claims,
                          std::shared_ptr<const PedersenGenerators> key, Backend backend, ProofWriter& out) {
  if (claims.empty()) return;
  const size_t w = key->g.size();
  const int m = vars_of_width(w);
  for (const auto& c : claims) tr.absorb_fr(LABEL + "/value", c.eval.value);
  const Fr rho = tr.challenge_fr(LABEL + "/rho");

  // Every claim's row folds, one per term, in a store where the engines keep them (the GPU's for
  // engines on the GPU: the folds never cross the bus); an engine evaluates once per point.
  size_t pairs_count = 0;
  for (const auto& c : claims) pairs_count += opening_term_count(c.dims, w);
  auto store = make_tensor_store(ProverConfig{backend, 0}, (2 * pairs_count + 4) * w * sizeof(Fr));
  StepLaps lap("open/claims", store.get());
  struct Pair {
    TensorId fold;
    Fr coeff;
    size_t group;
  };
  std::vector<Pair> pairs;
  // Pairs with equal column weights share a group (what the reduction sums over).
  struct Group {
    bool device;
    std::vector<Fr> cols;  // the weights; for a device group the point z_col of its weights eq(z_col, ·)
  };
  std::vector<Group> groups_of;
  auto group_for = [&](bool device, const std::vector<Fr>& cols) {
    size_t g = 0;
    while (g < groups_of.size() && !(groups_of[g].device == device && groups_of[g].cols == cols)) g++;
    if (g == groups_of.size()) groups_of.push_back({device, cols});
    return g;
  };
  // A claim on an engine on the device about a tensor without padding in its column bits has one
  // term whose columns are eq(z_col), made by the store on the device, and whose rows (eq(z_row)
  // with padded rows zeroed, max(1, n / w) of them) are made there too when no axis is padded; the
  // engine folds from there. Every other claim's terms are made on the host.
  auto on_device = [&](const OpenedClaim& c) {
    return store->on_device() && c.tensor.engine && opening_columns_unmasked(c.dims, w);
  };
  auto padded = [](const LogicalDims& dims) {
    for (uint64_t d : dims)
      if (d & (d - 1)) return true;
    return false;
  };
  std::map<BatchOpening*, std::pair<std::vector<Fr>, LogicalDims>> evaluated;
  // Each distinct (point, shape) of a host claim has its terms made once, all of them at once.
  std::vector<const OpenedClaim*> distinct;
  std::vector<size_t> term_set(claims.size());
  for (size_t j = 0; j < claims.size(); j++) {
    if (on_device(claims[j])) continue;
    size_t d = 0;
    while (d < distinct.size() && !(distinct[d]->eval.point == claims[j].eval.point && distinct[d]->dims == claims[j].dims)) d++;
    if (d == distinct.size()) distinct.push_back(&claims[j]);
    term_set[j] = d;
  }
  std::vector<std::future<std::vector<OpeningTerm>>> made;
  for (const OpenedClaim* c : distinct)
    made.push_back(std::async(std::launch::async, [c, w] { return opening_terms(c->dims, w, c->eval.point); }));
  std::vector<std::vector<OpeningTerm>> term_sets;
  for (auto& f : made) term_sets.push_back(f.get());
  lap("terms");
  Fr pw = Fr::one();
  for (size_t j = 0; j < claims.size(); j++, pw *= rho) {
    const OpenedClaim& c = claims[j];
    const ClaimTensor& t = c.tensor;
    if (!t.engine && !t.host) throw std::logic_error("opening: claim on '" + c.eval.tensor + "' has no tensor");
    const bool fresh = t.engine && evaluated[t.engine] != std::make_pair(c.eval.point, c.dims);
    if (fresh) evaluated[t.engine] = {c.eval.point, c.dims};
    if (on_device(c)) {
      const auto& z = c.eval.point;
      const size_t split = std::min<size_t>(m, z.size());
      std::vector<Fr> z_col(z.begin(), z.begin() + split), z_row(z.begin() + split, z.end());
      z_col.resize(m, Fr::zero());
      if (fresh) {
        const TensorId er = padded(c.dims) ? store->host(opening_row_weights(c.dims, w, z)) : store->eq(z_row);
        const TensorId ec = store->eq(z_col);
        if (!t.engine->evaluate_device(store->device_data(er), store->device_data(ec)))
          throw std::logic_error("opening: an engine beside a device store is not on the device");
        store->drop(er), store->drop(ec);
        lap("evaluate");
      }
      pairs.push_back({store->fold_of(*t.engine, t.index, 0, w), pw, group_for(true, z_col)});
      continue;
    }
    const std::vector<OpeningTerm>& terms = term_sets[term_set[j]];
    if (fresh) {
      t.engine->evaluate(terms);
      lap("evaluate");
    }
    for (size_t k = 0; k < terms.size(); k++) {
      const TensorId f = t.engine ? store->fold_of(*t.engine, t.index, k, w) : store->host(row_fold(*t.host, terms[k].rows, w));
      pairs.push_back({f, pw, group_for(false, terms[k].cols)});
    }
  }
  lap("folds");

  // The reduction: Σ_g <a_g, c_g>, a_g the ρ-weighted folds of group g.
  const size_t groups = groups_of.size();
  std::vector<TensorId> reduced;
  for (size_t g = 0; g < groups; g++) {
    std::vector<std::pair<Fr, TensorId>> parts;
    for (const auto& p : pairs)
      if (p.group == g) parts.push_back({p.coeff, p.fold});
    reduced.push_back(linear_combination(*store, parts));
    reduced.push_back(groups_of[g].device ? store->eq(groups_of[g].cols) : store->host(std::move(groups_of[g].cols)));
  }
  lap("groups (" + std::to_string(claims.size()) + " claims, " + std::to_string(pairs.size()) + " folds, " +
      std::to_string(groups) + " column points)");
  SumcheckProof red;
  SumcheckProverResult res;
  if (2 * groups <= MAX_ENGINE_TENSORS) {
    SumcheckTerms terms;
    for (size_t g = 0; g < groups; g++) terms.add(Fr::one(), {int(2 * g), int(2 * g + 1)});
    auto engine = store->sumcheck(reduced, terms);
    res = sumcheck_prove(tr, LABEL + "/reduce", *engine, m, terms, red);
  } else {
    std::vector<std::vector<Fr>> a, c;
    for (size_t g = 0; g < groups; g++) a.push_back(store->to_host(reduced[2 * g])), c.push_back(store->to_host(reduced[2 * g + 1]));
    PairsEngine engine(std::move(a), std::move(c));
    res = sumcheck_prove(tr, LABEL + "/reduce", engine, m, SumcheckTerms{}, red);
  }
  for (TensorId id : reduced) store->drop(id);
  write_sumcheck(out, red);
  lap("reduction");

  const TensorId eq_s = store->eq(res.point);
  std::vector<Fr> at(pairs.size());
  for (size_t p = 0; p < pairs.size(); p++) at[p] = store->sum_of_products({pairs[p].fold, eq_s});
  for (const Fr& x : at) out.fr(x), tr.absorb_fr(LABEL + "/at", x);
  const Fr sigma = tr.challenge_fr(LABEL + "/sigma");
  std::vector<std::pair<Fr, TensorId>> parts;
  Fr value = Fr::zero(), sp = Fr::one();
  for (size_t p = 0; p < pairs.size(); p++, sp *= sigma) {
    parts.push_back({sp, pairs[p].fold});
    value += sp * at[p];
  }
  const TensorId a = linear_combination(*store, parts);
  for (const auto& p : pairs) store->drop(p.fold);
  lap("values at s, combined");
  auto ipa = store->ipa(a, eq_s, std::move(key));
  lap("argument's engine");
  write_ipa(ipa_prove(tr, LABEL, value, *ipa, w), out);
  lap("argument");
}

size_t claims_opening_pairs(const std::vector<LogicalDims>& dims, size_t w) {
  size_t n = 0;
  for (const auto& d : dims) n += opening_term_count(d, w);
  return n;
}

bool read_claims_opening(ProofReader& rd, size_t pairs, size_t w, ClaimsOpeningProof& out) {
  if (pairs == 0) return true;
  return read_sumcheck(rd, vars_of_width(w), 2, out.reduction) && rd.frs(pairs, out.at) && read_ipa(rd, w, out.ipa);
}

bool verify_claims_opening(Transcript& tr, const std::vector<FinalEval>& evals,
                           const std::function<LogicalDims(const std::string&)>& dims,
                           const std::map<std::string, std::vector<G1Affine>>& rows, const ClaimsOpeningProof& proof,
                           const PedersenGenerators& key, Backend backend, std::string& reason) {
  if (evals.empty()) return true;
  const size_t w = key.g.size();
  const int m = vars_of_width(w);
  for (const auto& e : evals) tr.absorb_fr(LABEL + "/value", e.value);
  const Fr rho = tr.challenge_fr(LABEL + "/rho");
  Fr claim = Fr::zero(), pw = Fr::one();
  for (const auto& e : evals) claim += pw * e.value, pw *= rho;
  SumcheckSubclaim sub;
  if (!sumcheck_verify(tr, LABEL + "/reduce", m, 2, claim, proof.reduction, sub, reason)) return false;

  struct Pair {
    const std::string* tensor;
    std::vector<Fr> rows;
    Fr coeff;
    Fr cols_at;  // cols_p~(s)
  };
  const std::vector<Fr> eq_s = eq_table(sub.point);
  std::vector<Pair> pairs;
  std::vector<std::pair<std::vector<Fr>, Fr>> cols_seen;  // equal column weights are evaluated once
  pw = Fr::one();
  for (const auto& e : evals) {
    for (auto& term : opening_terms(dims(e.tensor), w, e.point)) {
      size_t k = 0;
      while (k < cols_seen.size() && cols_seen[k].first != term.cols) k++;
      if (k == cols_seen.size()) {
        const Fr v = weighted_sum(term.cols, eq_s);
        cols_seen.emplace_back(std::move(term.cols), v);
      }
      pairs.push_back({&e.tensor, std::move(term.rows), pw, cols_seen[k].second});
    }
    pw *= rho;
  }
  if (proof.at.size() != pairs.size())
    return reason = LABEL + ": expected " + std::to_string(pairs.size()) + " values at the reduced point, got " +
                    std::to_string(proof.at.size()), false;
  Fr expected = Fr::zero();
  for (size_t p = 0; p < pairs.size(); p++) expected += pairs[p].coeff * proof.at[p] * pairs[p].cols_at;
  if (expected != sub.expected) return reason = LABEL + ": the reduction's last round does not match the values sent", false;
  for (const Fr& x : proof.at) tr.absorb_fr(LABEL + "/at", x);
  const Fr sigma = tr.challenge_fr(LABEL + "/sigma");

  // The argument's vector is committed as Σ_p σ^p Σ_r rows_p[r]·C_{j(p),r}: every committed row
  // of every claimed tensor goes into its final MSM once, with its weights summed.
  std::map<std::string, std::vector<Fr>> weights;
  Fr value = Fr::zero(), sp = Fr::one();
  for (size_t p = 0; p < pairs.size(); p++, sp *= sigma) {
    const std::string& name = *pairs[p].tensor;
    auto it = rows.find(name);
    if (it == rows.end()) return reason = "statement has no commitment to '" + name + "'", false;
    if (it->second.size() != pairs[p].rows.size())
      return reason = "commitment to '" + name + "' has " + std::to_string(it->second.size()) + " rows, expected " +
                      std::to_string(pairs[p].rows.size()), false;
    auto& wt = weights[name];
    wt.resize(pairs[p].rows.size(), Fr::zero());
    for (size_t r = 0; r < wt.size(); r++) wt[r] += sp * pairs[p].rows[r];
    value += sp * proof.at[p];
  }
  std::vector<G1Affine> all_rows;
  std::vector<Fr> all_weights;
  for (const auto& [name, wt] : weights) {
    const auto& rs = rows.at(name);
    all_rows.insert(all_rows.end(), rs.begin(), rs.end());
    all_weights.insert(all_weights.end(), wt.begin(), wt.end());
  }
  return ipa_verify(tr, LABEL, all_rows, all_weights, eq_s, value, proof.ipa, key, backend, reason);
}
