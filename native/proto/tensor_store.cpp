#include "tensor_store.h"
#include "../backend/backend.h"
#include "../platform/cpu_parallel.h"
#include "../witness/witness.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include "opening_engine.h"
#include "stacked_tensor.h"

std::vector<Fr> seeded_tensor_host(const SeededTensor& s) {
  AxisLayout L(s.dims);
  return L.from_seed(s.seed, s.id, s.lo, s.span, s.pad);
}

namespace {
// A sumcheck engine that owns the tensors it folds.
class OwningEngine : public SumcheckEngine {
 public:
  OwningEngine(const ProverConfig& cfg, std::vector<std::vector<Fr>> t, const SumcheckTerms& terms) : t_(std::move(t)) {
    inner_ = make_sumcheck_engine(cfg, t_, terms);
  }
  std::vector<Fr> round_values() override { return inner_->round_values(); }
  void bind(const Fr& r) override { inner_->bind(r); }
  std::vector<Fr> final_values() override { return inner_->final_values(); }
  bool finish_rounds(Transcript& tr, const std::string& label, int j0, int k, std::vector<std::vector<Fr>>& rounds,
                     std::vector<Fr>& point, const std::function<void(const Fr&)>& on_total) override {
    return inner_->finish_rounds(tr, label, j0, k, rounds, point, on_total);
  }

 private:
  std::vector<std::vector<Fr>> t_;
  std::unique_ptr<SumcheckEngine> inner_;
};
}  // namespace

HostTensorStore::HostTensorStore(const ProverConfig& cfg) : cfg_(cfg) {}

TensorId HostTensorStore::host(std::vector<Fr> t) {
  t_.push_back(std::move(t));
  eq_point_.emplace_back();
  lazy_eq_.push_back(0);
  return t_.size() - 1;
}
std::vector<Fr>& HostTensorStore::get(TensorId id) {
  if (lazy_eq_.at(id)) {
    t_[id] = eq_table(eq_point_[id]);
    lazy_eq_[id] = 0;
  }
  return t_[id];
}
TensorId HostTensorStore::seeded(const SeededTensor& s) { return host(seeded_tensor_host(s)); }
TensorId HostTensorStore::eq(const std::vector<Fr>& point) {
  const TensorId id = host({});
  eq_point_[id] = point;
  lazy_eq_[id] = 1;
  return id;
}
TensorId HostTensorStore::eq_broadcast(const std::vector<Fr>& point, int inner_bits) {
  const std::vector<Fr> e = eq_table(point);
  std::vector<Fr> out(e.size() << inner_bits);
  cpu_parallel_chunks(out.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) out[i] = e[i >> inner_bits];
  });
  return host(std::move(out));
}
std::vector<Fr> HostTensorStore::to_host(TensorId id) { return get(id); }
std::vector<Fr> shifted_inverses(const std::vector<Fr>& xs, const Fr& beta, const ProverConfig& cfg) {
  std::vector<Fr> a(xs.size());
  cpu_parallel_chunks(xs.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) {
      a[i] = xs[i] + beta;
      if (a[i].is_zero()) throw std::runtime_error("lookup challenge collided with a value; retry with another seed");
    }
  });
  fr_batch_inverse(cfg.backend, a.data(), a.size(), cfg.device_budget);
  return a;
}

TensorId HostTensorStore::shifted_inverse(TensorId s, const Fr& beta) { return host(shifted_inverses(get(s), beta, cfg_)); }

std::vector<uint64_t> HostTensorStore::seeded_histogram(const SeededTensor& s, size_t bins) {
  if (bins < s.span) throw std::logic_error("histogram: fewer bins than values");
  AxisLayout L(s.dims);
  const size_t n = L.logical_size(), threads = cpu::thread_count();
  std::vector<std::vector<uint64_t>> part(threads, std::vector<uint64_t>(bins, 0));
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t th) {
    auto& c = part[th];
    for (size_t i = lo; i < hi; i++) c[(uint64_t)(witness_int(s.seed, s.id, i, s.lo, s.span) - s.lo)]++;
  });
  std::vector<uint64_t> counts(bins, 0);
  for (const auto& c : part)
    for (size_t j = 0; j < bins; j++) counts[j] += c[j];
  return counts;
}

TensorId HostTensorStore::seeded_gather(const SeededTensor& s, const std::vector<Fr>& table, const Fr& pad) {
  if (table.size() < s.span) throw std::logic_error("seeded_gather: table shorter than the value range");
  AxisLayout L(s.dims);
  return host(L.build([&](size_t i) { return table[(uint64_t)(witness_int(s.seed, s.id, i, s.lo, s.span) - s.lo)]; }, pad));
}

TensorId HostTensorStore::seeded_fold(const SeededTensor& s, int axis, TensorId weights_id) {
  if (!s.pad.is_zero()) throw std::logic_error("seeded_fold: the tensor must be zero-padded");
  const std::vector<Fr>& weights = get(weights_id);
  AxisLayout L(s.dims);
  if (axis < 0 || axis >= (int)L.dims.size() || weights.size() != L.padded[axis]) throw std::logic_error("seeded_fold: bad axis or weights");
  size_t outer = 1, inner = 1;
  for (int a = 0; a < axis; a++) outer *= L.padded[a];
  for (size_t a = axis + 1; a < L.dims.size(); a++) inner *= L.padded[a];
  const std::vector<Fr> t = seeded_tensor_host(s);
  const size_t len = L.padded[axis];
  std::vector<Fr> out(outer * inner, Fr::zero());
  cpu_parallel_chunks(out.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t x = lo; x < hi; x++) {
      const size_t o = x / inner, i = x % inner;
      Fr acc = Fr::zero();
      for (size_t c = 0; c < len; c++) acc += weights[c] * t[(o * len + c) * inner + i];
      out[x] = acc;
    }
  }, 64);
  return host(std::move(out));
}

MatmulPadded seeded_matmul_shape(const SeededTensor& a, const SeededTensor& b) {
  if (a.dims.size() != 3 || b.dims.size() != 3 || a.dims[0] != b.dims[0] || a.dims[2] != b.dims[1])
    throw std::logic_error("seeded_matmul: operands must be [num, d0, d1] and [num, d1, d2]");
  if (!a.pad.is_zero() || !b.pad.is_zero()) throw std::logic_error("seeded_matmul: operands must be zero-padded");
  AxisLayout La(a.dims), Lb(b.dims);
  auto magnitude = [](const SeededTensor& s) {
    return (long double)std::max(std::fabs((long double)s.lo), std::fabs((long double)s.lo + (long double)s.span - 1));
  };
  if (magnitude(a) >= 2147483648.0L || magnitude(b) >= 2147483648.0L)
    throw std::invalid_argument("seeded_matmul: operands beyond int32");
  if (magnitude(a) * magnitude(b) * (long double)La.padded[2] >= 9.2e18L)
    throw std::invalid_argument("seeded_matmul: products could exceed 2^63");
  return {La.padded[0], La.padded[1], La.padded[2], Lb.padded[2]};
}

TensorId HostTensorStore::seeded_matmul(const SeededTensor& a, const SeededTensor& b) {
  const MatmulPadded P = seeded_matmul_shape(a, b);
  auto ints = [](const SeededTensor& s) {
    AxisLayout L(s.dims);
    std::vector<int64_t> v(L.size(), 0);
    const size_t n = L.logical_size();
    cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
      for (size_t i = lo; i < hi; i++) v[L.padded_index(i)] = witness_int(s.seed, s.id, i, s.lo, s.span);
    });
    return v;
  };
  const std::vector<int64_t> A = ints(a), B = ints(b);
  std::vector<Fr> C(P.num * P.d0 * P.d2);
  cpu_parallel_chunks(P.num * P.d0, [&](size_t lo, size_t hi, size_t) {
    std::vector<int64_t> row(P.d2);
    for (size_t x = lo; x < hi; x++) {
      const size_t n = x / P.d0;
      std::fill(row.begin(), row.end(), 0);
      for (size_t j = 0; j < P.d1; j++) {
        const int64_t v = A[x * P.d1 + j];
        if (v == 0) continue;
        const int64_t* Bj = B.data() + (n * P.d1 + j) * P.d2;
        for (size_t k = 0; k < P.d2; k++) row[k] += v * Bj[k];
      }
      for (size_t k = 0; k < P.d2; k++) C[x * P.d2 + k] = fr_from_i64(row[k]);
    }
  }, 1);
  return host(std::move(C));
}

Fr HostTensorStore::sum_of_products(const std::vector<TensorId>& ids) {
  if (ids.empty() || ids.size() > 3) throw std::logic_error("sum_of_products: 1 to 3 tensors");
  for (TensorId id : ids) get(id);
  const size_t n = t_.at(ids[0]).size();
  for (TensorId id : ids)
    if (t_.at(id).size() != n) throw std::logic_error("sum_of_products: tensors of different lengths");
  std::vector<Fr> part(cpu::thread_count() + 1, Fr::zero());
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t th) {
    Fr acc = Fr::zero();
    for (size_t i = lo; i < hi; i++) {
      Fr v = t_[ids[0]][i];
      for (size_t f = 1; f < ids.size(); f++) v *= t_[ids[f]][i];
      acc += v;
    }
    part[th] = acc;
  });
  Fr total = Fr::zero();
  for (const auto& x : part) total += x;
  return total;
}

std::unique_ptr<SumcheckEngine> HostTensorStore::sumcheck(const std::vector<TensorId>& ids, const SumcheckTerms& terms) {
  if (cfg_.backend == Backend::Cpu && ids.size() == 3 && lazy_eq_.at(ids[0]) && split_eq_supported(terms)) {
    std::vector<std::vector<Fr>> others;
    for (size_t f = 1; f < 3; f++) others.push_back(std::move(get(ids[f])));
    return make_split_eq_sumcheck_engine(eq_point_[ids[0]], std::move(others), terms);
  }
  std::vector<std::vector<Fr>> t;
  for (TensorId id : ids) t.push_back(std::move(get(id)));
  return std::make_unique<OwningEngine>(cfg_, std::move(t), terms);
}

ProverConfig verifier_config() {
  ProverConfig cfg;
  cfg.backend = resolve_backend("auto");
  return cfg;
}

TensorId HostTensorStore::ints(const std::vector<int64_t>& logical, const LogicalDims& dims) {
  AxisLayout L(dims);
  if (logical.size() != L.logical_size()) throw std::logic_error("ints: the values do not fill their dims");
  return host(L.build([&](size_t i) { return fr_from_i64(logical[i]); }));
}
TensorId HostTensorStore::repeat_each(TensorId id, int inner_bits) { return host(::repeat_each(get(id), size_t(1) << inner_bits)); }
TensorId HostTensorStore::fold(TensorId id, size_t outer, size_t mid, size_t inner, const std::vector<Fr>& w) {
  const auto& t = get(id);
  if (t.size() != outer * mid * inner || w.size() != mid) throw std::logic_error("fold: the tensor or the weights do not match the layout");
  return host(inner == 1 ? fold_inner(t, outer, mid, w) : fold_middle(t, outer, mid, inner, w));
}
TensorId HostTensorStore::masked_eq(const std::vector<Fr>& point, const LogicalDims& dims, uint64_t offset) {
  AxisLayout L(dims);
  if (dims.size() != 3) throw std::logic_error("masked_eq: [H, m, n] dims");
  if (point.size() != (size_t)L.vars()) throw std::logic_error("masked_eq: the point does not match the layout");
  std::vector<Fr> t = eq_table(point);
  const size_t mp = L.padded[1], np = L.padded[2];
  cpu_parallel_chunks(L.padded[0] * mp, [&](size_t lo, size_t hi, size_t) {
    for (size_t hr = lo; hr < hi; hr++) {
      const size_t h = hr / mp, r = hr % mp, row = hr * np;
      const size_t live = h < dims[0] && r < dims[1] ? std::min<uint64_t>(dims[2], r + offset + 1) : 0;
      for (size_t c = live; c < np; c++) t[row + c] = Fr::zero();
    }
  }, 16);
  return host(std::move(t));
}
TensorId HostTensorStore::combine(const std::vector<std::pair<Fr, TensorId>>& terms) {
  if (terms.empty() || terms.size() > 4) throw std::logic_error("combine: 1 to 4 tensors");
  std::vector<const std::vector<Fr>*> ts;
  for (const auto& [c, id] : terms) ts.push_back(&get(id));
  const size_t n = ts[0]->size();
  for (const auto* t : ts)
    if (t->size() != n) throw std::logic_error("combine: tensors of different lengths");
  std::vector<Fr> out(n);
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) {
      Fr acc = terms[0].first * (*ts[0])[i];
      for (size_t k = 1; k < ts.size(); k++) acc += terms[k].first * (*ts[k])[i];
      out[i] = acc;
    }
  });
  return host(std::move(out));
}
std::vector<TensorId> HostTensorStore::gather(const std::vector<uint32_t>& rows, const std::vector<TensorId>& tables) {
  std::vector<TensorId> out;
  for (TensorId id : tables) {
    std::vector<Fr> t(rows.size());
    const std::vector<Fr>& tab = get(id);
    cpu_parallel_chunks(rows.size(), [&](size_t lo, size_t hi, size_t) {
      for (size_t i = lo; i < hi; i++) t[i] = rows[i] < tab.size() ? tab[rows[i]] : Fr::zero();
    });
    out.push_back(host(std::move(t)));
  }
  return out;
}
std::unique_ptr<BatchOpening> HostTensorStore::opening(TensorId t, std::shared_ptr<const PedersenGenerators> key) {
  auto engine = make_field_opening(cfg_.backend, std::move(key), get(t).data(), get(t).size());
  drop(t);
  return engine;
}

TensorId HostTensorStore::fold_of(BatchOpening& e, size_t i, size_t term, size_t w) {
  std::vector<Fr> f = e.fold(i, term);
  if (f.size() != w) throw std::logic_error("opening: fold of the wrong length");
  return host(std::move(f));
}

std::unique_ptr<IpaEngine> HostTensorStore::ipa(TensorId a, TensorId b, std::shared_ptr<const PedersenGenerators> key) {
  auto engine = make_ipa_engine(cfg_.backend, std::move(key), std::move(get(a)), std::move(get(b)));
  drop(a), drop(b);
  return engine;
}

void HostTensorStore::drop(TensorId id) {
  std::vector<Fr>().swap(t_.at(id));
  lazy_eq_.at(id) = 0;
}

TensorId TensorStore::device_ints(const int64_t*, const LogicalDims&) { throw std::logic_error("device_ints: not a device store"); }
TensorId TensorStore::device_counts(const int64_t*, size_t, size_t, uint64_t) {
  throw std::logic_error("device_counts: not a device store");
}
std::vector<TensorId> TensorStore::device_gather(const int64_t*, const LogicalDims&, const std::vector<TensorId>&, uint32_t) {
  throw std::logic_error("device_gather: not a device store");
}
