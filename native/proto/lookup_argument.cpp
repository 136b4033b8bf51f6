#include "lookup_argument.h"
#include <atomic>
#include <stdexcept>
#include "../mle/mle.h"
#include "../platform/cpu_parallel.h"
#include "stacked_tensor.h"
#include "tensor_store.h"

int LookupTable::bits() const { return mle_vars(size()); }

LookupTable LookupTable::range(int64_t low, uint64_t len) {
  LookupTable t;
  t.low = low, t.len = len;
  t.in.resize(next_pow2(len));
  for (size_t j = 0; j < t.in.size(); j++) t.in[j] = fr_from_i64(low + (int64_t)std::min<uint64_t>(j, len - 1));
  return t;
}

LookupTable LookupTable::map(int64_t low, const std::vector<Fr>& outputs) {
  LookupTable t = range(low, outputs.size());
  t.mapping = true;
  t.out.resize(t.in.size());
  for (size_t j = 0; j < t.out.size(); j++) t.out[j] = outputs[std::min<size_t>(j, outputs.size() - 1)];
  return t;
}

LookupTable LookupTable::map_ints(int64_t low, const std::vector<int64_t>& outputs) {
  std::vector<Fr> f(outputs.size());
  cpu_parallel_chunks(f.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t j = lo; j < hi; j++) f[j] = fr_from_i64(outputs[j]);
  });
  LookupTable t = map(low, f);
  t.out_ints.resize(t.out.size());
  for (size_t j = 0; j < t.out_ints.size(); j++) t.out_ints[j] = outputs[std::min<size_t>(j, outputs.size() - 1)];
  return t;
}

namespace {
Fr pad_row(const LookupTable& t, const Fr& r) { return t.in[0] + (t.mapping ? r * t.out[0] : Fr::zero()); }

}  // namespace

SumcheckTerms lookup_values_terms(const Fr& alpha, const Fr& beta) {
  SumcheckTerms t;  // tensors: 0 = eq(u,·), 1 = A, 2 = S
  t.add(alpha, {0, 1, 2});
  t.add(alpha * beta, {0, 1});
  t.add(Fr::one(), {1});
  return t;
}
std::vector<Fr> counts_to_fr(const std::vector<uint64_t>& counts) {
  std::vector<Fr> m(counts.size());
  cpu_parallel_chunks(m.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t j = lo; j < hi; j++) m[j] = Fr::from_u64(counts[j]);
  });
  return m;
}

SumcheckTerms lookup_table_terms() {
  SumcheckTerms t;  // tensors: 0 = m, 1 = B
  t.add(Fr::one(), {0, 1});
  return t;
}

namespace {
// S = values + r·outputs at logical entries, the table's first row elsewhere.
std::vector<Fr> combined_values(const LookupTable& t, const AxisLayout& L, const std::vector<Fr>& values,
                                const std::vector<Fr>* outputs, const Fr& r) {
  std::vector<Fr> s(L.size());
  const Fr pad = pad_row(t, r);
  cpu_parallel_chunks(s.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) s[i] = L.is_logical(i) ? values[i] + (outputs ? r * (*outputs)[i] : Fr::zero()) : pad;
  });
  return s;
}

}  // namespace

TensorId table_rows(TensorStore& store, const LookupTable& T, const Fr& r) {
  const size_t n = T.size();
  std::vector<int64_t> col(n);
  for (size_t j = 0; j < n; j++) col[j] = T.low + (int64_t)std::min<uint64_t>(j, T.len - 1);
  const TensorId in = store.ints(col, {n});
  if (!T.mapping) return in;
  const TensorId out = T.out_ints.empty() ? store.host_copy(T.out) : store.ints(T.out_ints, {n});
  const TensorId rows = store.combine({{Fr::one(), in}, {r, out}});
  store.drop(in), store.drop(out);
  return rows;
}

std::vector<uint32_t> lookup_rows(const LookupTable& t, const LogicalDims& dims, const std::vector<Fr>& values,
                                  const std::vector<Fr>* outputs) {
  AxisLayout L(dims);
  std::vector<uint32_t> rows(L.size(), 0);
  std::atomic<bool> all{true};
  cpu_parallel_chunks(rows.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi && all; i++) {
      uint64_t j = 0;
      if (!L.is_logical(i)) continue;
      if (!fr_offset_in_range(values[i], t.low, t.len, &j) || (outputs && (*outputs)[i] != t.out[j])) {
        all = false;
        return;
      }
      rows[i] = (uint32_t)j;
    }
  });
  if (!all) rows.clear();
  return rows;
}

LookupClaims lookup_prove(Transcript& tr, const std::string& label, const LookupProverInput& in, ProofWriter& proof,
                          const ProverConfig& cfg,
                          const std::function<void(const std::vector<Fr>&, const Fr&, const Fr&)>& committed_inverses,
                          const std::function<void(const char*)>& mark) {
  HostTensorStore store(cfg);
  const bool mapping = in.table->mapping;
  const std::vector<uint32_t> rows = lookup_rows(*in.table, in.dims, *in.values, mapping ? in.outputs : nullptr);
  const TensorId v = store.host_copy(*in.values), o = mapping ? store.host_copy(*in.outputs) : v;
  GatherRows gather;
  if (!rows.empty()) gather = [&](const std::vector<TensorId>& tables) { return store.gather(rows, tables); };
  return lookup_prove(tr, label, store, {in.table, in.dims, v, o, gather, store.host_copy(*in.multiplicities)}, proof,
                      committed_inverses, mark);
}

LookupClaims lookup_prove(Transcript& tr, const std::string& label, TensorStore& store, const LookupStoreInput& in,
                          ProofWriter& proof,
                          const std::function<void(const std::vector<Fr>&, const Fr&, const Fr&)>& committed_inverses,
                          const std::function<void(const char*)>& mark) {
  auto phase = [&](const char* name) {
    if (mark) mark(name);
  };
  const LookupTable& T = *in.table;
  AxisLayout L(in.dims);
  const Fr r = T.mapping ? tr.challenge_fr(label + "/r") : Fr::zero();
  const Fr beta = tr.challenge_fr(label + "/beta");
  const TensorId ts = table_rows(store, T, r);
  const TensorId B = store.shifted_inverse(ts, beta);
  TensorId A, S;
  if (in.gather_rows) {
    // Every entry is a table row: its combined value and its inverse 1/(β + S) are the row's,
    // gathered from the table side's (no inversion over the values).
    const auto g = in.gather_rows({B, ts});
    A = g[0], S = g[1];
  } else {
    const auto values = store.to_host(in.values);
    const auto outputs = T.mapping ? store.to_host(in.outputs) : std::vector<Fr>();
    S = store.host(combined_values(T, L, values, T.mapping ? &outputs : nullptr, r));
    A = store.shifted_inverse(S, beta);
  }
  store.drop(ts);
  if (committed_inverses) committed_inverses(L.zero_padding(store.to_host(A)), r, beta);
  const Fr sigma = store.sum_of_products({A});
  tr.absorb_fr(label + "/sigma", sigma);
  proof.fr(sigma);
  phase("inverses");
  const auto u = challenges(tr, label + "/u", L.vars());
  const Fr alpha = tr.challenge_fr(label + "/alpha");
  auto engine = store.sumcheck({store.eq(u), A, S}, lookup_values_terms(alpha, beta));
  SumcheckProof p1;
  auto r1 = sumcheck_prove(tr, label + "/values", *engine, L.vars(), lookup_values_terms(alpha, beta), p1);
  write_sumcheck(proof, p1);
  phase("values sumcheck");
  auto table_engine = store.sumcheck({in.multiplicities, B}, lookup_table_terms());
  SumcheckProof p2;
  auto r2 = sumcheck_prove(tr, label + "/table", *table_engine, T.bits(), lookup_table_terms(), p2);
  write_sumcheck(proof, p2);
  phase("table sumcheck");

  LookupClaims c;
  c.point = r1.point, c.table_point = r2.point;
  const Fr outside = Fr::one() - padding_mask_mle(in.dims, c.point);
  if (T.mapping) {
    // Both columns at one point: one eq table, two weighted sums.
    const TensorId e = store.eq(c.point);
    c.values = store.sum_of_products({e, in.values}), c.outputs = store.sum_of_products({e, in.outputs});
    store.drop(e);
  } else {
    c.values = r1.final_values[2] - T.in[0] * outside;
  }
  c.inverses = r1.final_values[1] - (pad_row(T, r) + beta).inv() * outside;
  c.multiplicities = r2.final_values[0];
  return c;
}

bool lookup_verify(Transcript& tr, const std::string& label, const LookupTable& T, TensorStore& store, const LogicalDims& dims,
                   ProofReader& rd,
                   const std::function<bool(std::string&)>& absorb_inverses,
                   const std::function<bool(const char*, const std::vector<Fr>&, Fr&)>& claimed, LookupVerifierState& out,
                   std::string& reason) {
  AxisLayout L(dims);
  out.r = T.mapping ? tr.challenge_fr(label + "/r") : Fr::zero();
  out.beta = tr.challenge_fr(label + "/beta");
  if (absorb_inverses && !absorb_inverses(reason)) return false;
  Fr sigma;
  const int v1 = L.vars(), v2 = T.bits();
  SumcheckProof p1, p2;
  if (!rd.fr(sigma)) return reason = label + ": " + rd.problem(), false;
  tr.absorb_fr(label + "/sigma", sigma);
  const auto u = challenges(tr, label + "/u", v1);
  const Fr alpha = tr.challenge_fr(label + "/alpha");
  SumcheckSubclaim s1, s2;
  if (!read_sumcheck(rd, v1, 3, p1)) return reason = label + ": " + rd.problem(), false;
  if (!sumcheck_verify(tr, label + "/values", v1, 3, alpha + sigma, p1, s1, reason)) return false;
  if (!read_sumcheck(rd, v2, 2, p2)) return reason = label + ": " + rd.problem(), false;
  if (!sumcheck_verify(tr, label + "/table", v2, 2, sigma, p2, s2, reason)) return false;

  LookupClaims& c = out.claims;
  c.point = s1.point, c.table_point = s2.point;
  c.outputs = Fr::zero();
  if (!claimed("values", c.point, c.values)) return false;
  if (T.mapping && !claimed("outputs", c.point, c.outputs)) return false;
  if (!claimed("inverses", c.point, c.inverses) || !claimed("multiplicities", c.table_point, c.multiplicities)) return false;
  const Fr outside = Fr::one() - padding_mask_mle(dims, c.point);
  const Fr s_pad = c.values + out.r * c.outputs + pad_row(T, out.r) * outside;
  const Fr a_pad = c.inverses + (pad_row(T, out.r) + out.beta).inv() * outside;
  if (alpha * eq_eval(u, c.point) * a_pad * (s_pad + out.beta) + a_pad != s1.expected)
    return reason = label + ": values sumcheck: final claim does not match the evaluations", false;
  const TensorId rows = table_rows(store, T, out.r);
  out.table_inverses = store.shifted_inverse(rows, out.beta);
  store.drop(rows);
  const TensorId e = store.eq(c.table_point);
  const Fr b = store.sum_of_products({e, out.table_inverses});
  store.drop(e);
  if (c.multiplicities * b != s2.expected)
    return reason = label + ": table sumcheck: final claim does not match the evaluations", false;
  return true;
}
