#include "zkattn_witness.h"
#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include "../backend/quant/quant_kernels.h"
#include "../platform/cpu_parallel.h"
#include "../quant/llama_forward.h"
#include "../quant/llama_runner.h"

std::vector<int> even_split(int bits, int max_bits) {
  if (bits <= 0) return {};
  const int n = (bits + max_bits - 1) / max_bits, base = bits / n;
  std::vector<int> out(n);
  for (int i = 0; i < n; i++) out[i] = base + (i < bits % n ? 1 : 0);
  return out;
}

std::string digit_name(const std::string& base, size_t t) { return base + ".e" + std::to_string(t); }

void validate_attention(const AttentionStatement& a, uint64_t heads, uint64_t m, uint64_t n, uint64_t d, bool commit) {
  const auto& c = a.config;
  auto bad = [](const std::string& why) { throw std::invalid_argument("zkattn: " + why); };
  if (m > n) bad("the query rows (dim0 = " + std::to_string(m) + ") must not exceed the key rows (dim1 = " + std::to_string(n) + ")");
  if (d > (1u << 20) || n > (1u << 24)) bad("head dimension above 2^20 or more than 2^24 keys");
  if (c.softmax.kind != quant::SoftmaxKind::ZkAttn) bad("the configuration's softmax is float-exp: not provable (no table proves its exp)");
  if (c.rounding != fixedpoint::Rounding::HalfUp)
    bad("the configuration rescales half away from zero; zkattn proves half-up rescales (x = 2^k x' + rem, rem in [-2^(k-1), 2^(k-1)))");
  quant::LlamaShape shape;
  shape.head_dim = (int)d;
  quant::validate_config(c, shape);
  if (c.softmax.indicator > 1) bad("more than one indicator segment is not supported by the zkattn prover");
  if ((int)c.softmax.segment_bits.size() - c.softmax.range_only - c.softmax.indicator < 1) bad("the softmax has no mapping segment");
  if (a.max_table_bits < 1 || a.max_table_bits > 26) bad("maxTableBits must be in [1, 26]");
  if (a.row_sum_bits < 1 || a.row_sum_bits > 40) bad("the row-sum bound's width must be 1 to 40 bits");
  if (a.row_sum_low < 0 || a.row_sum_low > (int64_t(1) << 60)) bad("the row-sum bound's lower end must be in [0, 2^60]");
  if (commit)
    // A rescaled product that no lookup reads again would be bound to an integer only through Y,
    // which no lookup reads either: a committed statement could hide a non-integer one.
    for (int b : c.softmax.product_rescale_bits)
      if (b > 0) bad("commit mode needs productRescaleBits of 0 (a rescaled segment product is not range-checked)");
  (void)heads;
}

std::string attention_binding(const AttentionStatement& a) {
  const auto& c = a.config;
  auto list = [](const std::vector<int>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); i++) s += (i ? "," : "") + std::to_string(v[i]);
    return s + "]";
  };
  return "zkattn/v1;name=" + a.name + ";qk=" + std::to_string(c.qk_bits) + ";logit=" + std::to_string(c.logit_bits) +
         ";value=" + std::to_string(c.value_bits) + ";rounding=" + std::to_string((int)c.rounding) +
         ";segments=" + list(c.softmax.segment_bits) + ";L=" + std::to_string(c.softmax.range_only) +
         ";M=" + std::to_string(c.softmax.indicator) + ";theta=" + list(c.softmax.theta_bits) +
         ";product=" + list(c.softmax.product_rescale_bits) + ";output=" + list(c.softmax.output_rescale_bits) +
         ";maxTable=" + std::to_string(a.max_table_bits) + ";rowLow=" + std::to_string(a.row_sum_low) +
         ";rowBits=" + std::to_string(a.row_sum_bits);
}

LogicalDims AttentionLayout::dims(const std::string& name) const {
  for (const auto& [n, d] : tensors)
    if (n == name) return d;
  for (size_t i = 0; i < lookups.size(); i++)
    if (name == "L" + std::to_string(i) + ".inv") return lookups[i].dims;
  throw std::logic_error("zkattn: no tensor '" + name + "'");
}

std::string AttentionLayout::P(int j) const { return j == 0 ? "F" + std::to_string(L) : "P" + std::to_string(j); }

AttentionLayout attention_layout(const AttentionStatement& a, const AttentionShape& s) {
  const auto& sm = a.config.softmax;
  AttentionLayout lay;
  lay.shape = s;
  lay.K = (int)sm.segment_bits.size(), lay.L = sm.range_only, lay.M = sm.indicator;
  int shift = 0;
  for (int b : sm.segment_bits) lay.seg_bits.push_back(b), lay.seg_shift.push_back(shift), shift += b;
  lay.logit = {2 * a.config.qk_bits - a.config.logit_bits, even_split(2 * a.config.qk_bits - a.config.logit_bits, a.max_table_bits)};
  for (int b : sm.product_rescale_bits) lay.product.push_back({b, even_split(b, a.max_table_bits)});
  for (int b : sm.output_rescale_bits) lay.output.push_back({b, even_split(b, a.max_table_bits)});
  lay.row_digit_bits = even_split(a.row_sum_bits, a.max_table_bits);
  lay.shift_bits = lay.logit.k > 0;

  auto digits = [&](const std::string& stage, const std::string& base, const std::vector<int>& bits, const LogicalDims& dims) {
    for (size_t t = 0; t < bits.size(); t++) {
      std::string st = bits.size() > 1 ? stage + " (digit " + std::to_string(t + 1) + " of " + std::to_string(bits.size()) + ")" : stage;
      lay.lookups.push_back({st, digit_name(base, t), "", AttentionLookup::Range, bits[t], -1, dims});
    }
  };
  digits("logit rescale", "A", lay.logit.digit_bits, s.score());
  for (int i = 0; i < lay.K; i++) {
    const bool range = i < lay.L, indicator = i >= lay.K - lay.M;
    const std::string kind = range ? "range check" : indicator ? "indicator" : "exp";
    lay.lookups.push_back({"softmax segment " + std::to_string(i) + " (" + kind + ")", "D" + std::to_string(i),
                           range ? "" : "F" + std::to_string(i),
                           range ? AttentionLookup::Range : indicator ? AttentionLookup::Indicator : AttentionLookup::Mapping,
                           lay.seg_bits[i], i, s.score()});
  }
  for (size_t j = 0; j < lay.product.size(); j++)
    digits("segment product rescale " + std::to_string(j + 1), lay.P((int)j + 1), lay.product[j].digit_bits, s.score());
  for (size_t t = 0; t < lay.output.size(); t++)
    digits("softmax.V rescale " + std::to_string(t + 1), "U" + std::to_string(t + 1), lay.output[t].digit_bits, s.queries());
  digits("row-sum bound (row shift check)", "rowsum", lay.row_digit_bits, s.rows());

  auto add = [&](const std::string& n, const LogicalDims& d) { lay.tensors.push_back({n, d}); };
  add("Q", s.queries()), add("K", s.keys()), add("V", s.keys()), add("O", s.queries());
  if (lay.logit.k > 0) add("A", s.score());
  add("shift", s.rows());
  if (lay.shift_bits) add("shift.bits", {s.H, s.m, (uint64_t)SHIFT_BITS});
  for (int i = 0; i < lay.K; i++) add("D" + std::to_string(i), s.score());
  for (int i = lay.L; i < lay.K; i++) add("F" + std::to_string(i), s.score());
  for (size_t j = 1; j <= lay.product.size(); j++) add(lay.P((int)j), s.score());
  add("Y", s.score());
  for (const auto& l : lay.lookups)
    if (l.kind == AttentionLookup::Range && l.segment < 0) add(l.values, l.dims);
  for (size_t i = 0; i < lay.lookups.size(); i++) add("L" + std::to_string(i) + ".m", {uint64_t(1) << lay.lookups[i].table_bits});
  return lay;
}

namespace {
std::vector<int64_t> make_segment_outputs(const AttentionStatement& a, const AttentionShape& s, int segment) {
  const zkattn::TableConfig tc = quant::table_config(a.config, (int)s.d);
  if (zkattn::segment_kind(tc, segment) == zkattn::SegmentKind::Indicator) {
    std::vector<int64_t> t(size_t(1) << tc.segment_bits[segment], 0);
    t[0] = 1;
    return t;
  }
  return zkattn::segment_table(tc, segment);
}
}  // namespace

std::vector<int64_t> segment_outputs(const AttentionStatement& a, const AttentionShape& s, int segment) {
  // A table is 2^bits deterministic exps (milliseconds); the prover, its witness and the verifier
  // each need it for every proof of a sweep, so it is made once per configuration and head size.
  static std::mutex mu;
  static std::map<std::string, std::vector<int64_t>> made;
  const std::string key = attention_binding(a) + ";d=" + std::to_string(s.d) + ";segment=" + std::to_string(segment);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = made.find(key);
    if (it != made.end()) return it->second;
  }
  std::vector<int64_t> t = make_segment_outputs(a, s, segment);
  std::lock_guard<std::mutex> lock(mu);
  if (made.size() >= 64) made.clear();
  return made[key] = std::move(t);
}

namespace {
int64_t max_abs_int32(const std::vector<int64_t>& x, const char* what) {
  int64_t mx = 0;
  for (int64_t v : x) {
    if (!fixedpoint::fits_int32(v)) throw std::range_error(std::string("zkattn: ") + what + " holds " + std::to_string(v) + ", outside int32");
    mx = std::max(mx, v < 0 ? -v : v);
  }
  return mx;
}

// Digits of e in [0, 2^Σbits), lowest first, stored as base.e0, base.e1, ...
void store_digits(AttentionWitness& w, const std::string& base, const std::vector<int64_t>& e, const std::vector<int>& bits) {
  for (size_t t = 0, off = 0; t < bits.size(); off += bits[t], t++) {
    std::vector<int64_t> digit(e.size());
    for (size_t i = 0; i < e.size(); i++) digit[i] = (e[i] >> off) & ((int64_t(1) << bits[t]) - 1);
    w.t[digit_name(base, t)] = std::move(digit);
  }
}

// x = 2^k·y + e − 2^{k−1} (half-up), e stored in digits; returns y, which replaces x downstream.
std::vector<int64_t> rescale_into(AttentionWitness& w, const std::string& base, const std::vector<int64_t>& x, const RescaleSpec& r) {
  if (r.k == 0) return x;
  std::vector<int64_t> y(x.size()), e(x.size());
  const int64_t half = int64_t(1) << (r.k - 1);
  cpu_parallel_chunks(x.size(), [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) {
      y[i] = fixedpoint::rescale(x[i], r.k, fixedpoint::Rounding::HalfUp);
      e[i] = x[i] + half - (y[i] << r.k);
    }
  });
  store_digits(w, base, e, r.digit_bits);
  return y;
}
}  // namespace

int64_t attention_input_bounds(const std::vector<int64_t>& Q, const std::vector<int64_t>& K, const std::vector<int64_t>& V, uint64_t d) {
  const int64_t qmax = max_abs_int32(Q, "Q"), kmax = max_abs_int32(K, "K"), vmax = max_abs_int32(V, "V");
  if ((double)qmax * (double)kmax * (double)d >= 9.2e18)
    throw std::range_error("zkattn: Q.K^T could overflow int64 (max |q| " + std::to_string(qmax) + ", max |k| " + std::to_string(kmax) + ")");
  return vmax;
}

void throw_row_sum_outside(const AttentionStatement& a, uint64_t h, uint64_t r, int64_t sum) {
  throw std::range_error("zkattn: row " + std::to_string(r) + " of head " + std::to_string(h) + " sums to " + std::to_string(sum) +
                         ", outside the configuration's bound [" + std::to_string(a.row_sum_low) + ", " + std::to_string(a.row_sum_low) +
                         " + 2^" + std::to_string(a.row_sum_bits) + ")");
}

void throw_context_overflow(int64_t row_sum) {
  throw std::range_error("zkattn: softmax.V could overflow int64 (row sum " + std::to_string(row_sum) + ")");
}

AttentionWitness attention_witness(const AttentionStatement& a, const AttentionLayout& lay, const std::vector<int64_t>& Q,
                                   const std::vector<int64_t>& K, const std::vector<int64_t>& V, const WitnessDeviation* dev) {
  const auto& s = lay.shape;
  const size_t H = s.H, m = s.m, n = s.n, d = s.d;
  const quant::QuantConfig& c = a.config;
  AttentionWitness w;
  const int64_t vmax = attention_input_bounds(Q, K, V, d);
  w.t["Q"] = Q, w.t["K"] = K, w.t["V"] = V;

  // Logits: S = Q·K^T, then A = rescale(S) read by the softmax.
  w.S.assign(H * m * n, 0);
  cpu_parallel_chunks(H * m, [&](size_t lo, size_t hi, size_t) {
    for (size_t hr = lo; hr < hi; hr++) {
      const size_t h = hr / m;
      const int64_t* q = Q.data() + hr * d;
      for (size_t col = 0; col < n; col++) {
        const int64_t* k = K.data() + (h * n + col) * d;
        int64_t acc = 0;
        for (size_t j = 0; j < d; j++) acc += q[j] * k[j];
        w.S[hr * n + col] = acc;
      }
    }
  }, 1);
  std::vector<int64_t> A = rescale_into(w, "A", w.S, lay.logit);
  if (lay.logit.k > 0) w.t["A"] = A;

  // The row shift and Y exactly as the forward computes them: the causal rows of each head laid
  // in the last m rows of an n x n causal matrix (rows above are zero logits, discarded).
  const quant::ForwardTables tables = quant::build_tables(c, (int)d);
  const int64_t* table_ptrs[quant::MAX_SEGMENTS] = {};
  for (size_t i = 0; i < tables.zkattn.size(); i++)
    if (!tables.zkattn[i].empty()) table_ptrs[i] = tables.zkattn[i].data();
  const quant::SoftmaxParams sp = quant::softmax_params(c, (int)d, table_ptrs);
  std::vector<int64_t> shift(H * m), y_ref(H * m * n);
  {
    std::vector<int64_t> sq(n * n, 0), ysq(n * n), shsq(n);
    for (size_t h = 0; h < H; h++) {
      std::copy(A.begin() + h * m * n, A.begin() + (h + 1) * m * n, sq.begin() + (n - m) * n);
      quant::AttnStats st;
      softmax_rows(Backend::Cpu, sp, sq.data(), (int)n, (int)n, true, ysq.data(), shsq.data(), st);
      std::copy(shsq.begin() + (n - m), shsq.end(), shift.begin() + h * m);
      std::copy(ysq.begin() + (n - m) * n, ysq.end(), y_ref.begin() + h * m * n);
    }
  }
  if (dev) shift = dev->shift;
  w.t["shift"] = shift;
  if (lay.shift_bits) {
    std::vector<int64_t> bits(shift.size() * SHIFT_BITS);
    for (size_t i = 0; i < shift.size(); i++) {
      const uint64_t u = (uint64_t)shift[i] ^ (uint64_t(1) << 63);  // shift + 2^63
      for (int b = 0; b < SHIFT_BITS; b++) bits[i * SHIFT_BITS + b] = (int64_t)((u >> b) & 1);
    }
    w.t["shift.bits"] = std::move(bits);
  }

  // Digits of z = shift − A (0 where the mask hides the entry), segment outputs, products, Y.
  const size_t N = H * m * n;
  std::vector<std::vector<int64_t>> D(lay.K, std::vector<int64_t>(N, 0)), F(lay.K);
  std::vector<std::vector<int64_t>> tab(lay.K);
  for (int i = lay.L; i < lay.K; i++) tab[i] = segment_outputs(a, s, i), F[i].assign(N, 0);
  cpu_parallel_chunks(N, [&](size_t lo, size_t hi, size_t) {
    for (size_t x = lo; x < hi; x++) {
      const size_t r = (x / n) % m, col = x % n;
      const int64_t z = s.live(r, col) ? shift[x / n] - A[x] : 0;
      for (int i = 0; i < lay.K; i++) {
        D[i][x] = (z >> lay.seg_shift[i]) & ((int64_t(1) << lay.seg_bits[i]) - 1);
        if (i >= lay.L) F[i][x] = tab[i][D[i][x]];
      }
    }
  });
  std::vector<int64_t> P = F[lay.L];
  for (size_t j = 1; j <= lay.product.size(); j++) {
    std::vector<int64_t> prod(N);
    const auto& f = F[lay.L + j];
    for (size_t x = 0; x < N; x++) prod[x] = P[x] * f[x];
    P = rescale_into(w, lay.P((int)j), prod, lay.product[j - 1]);
    w.t[lay.P((int)j)] = P;
  }
  std::vector<int64_t> Y(N);
  for (size_t x = 0; x < N; x++) {
    const size_t r = (x / n) % m, col = x % n;
    int64_t v = s.live(r, col) ? P[x] : 0;
    if (lay.M == 1) v *= F[lay.K - 1][x];
    Y[x] = v;
  }
  if (!dev && Y != y_ref) throw std::logic_error("zkattn: the digits' softmax differs from the forward's");
  for (int i = 0; i < lay.K; i++) {
    w.t["D" + std::to_string(i)] = std::move(D[i]);
    if (i >= lay.L) w.t["F" + std::to_string(i)] = std::move(F[i]);
  }

  // Row sums against the bound.
  std::vector<int64_t> rows(H * m);
  for (size_t hr = 0; hr < H * m; hr++) {
    int64_t sum = 0;
    for (size_t col = 0; col < n; col++) sum += Y[hr * n + col];
    const int64_t dlt = sum - a.row_sum_low;
    if (!dev && (dlt < 0 || (dlt >> a.row_sum_bits) != 0)) throw_row_sum_outside(a, hr / m, hr % m, sum);
    rows[hr] = dlt;
  }
  store_digits(w, "rowsum", rows, lay.row_digit_bits);
  w.t["Y"] = std::move(Y);

  // U = Y·V, rescaled to O.
  std::vector<int64_t> U(H * m * d, 0);
  const auto& Yr = w.t["Y"];
  cpu_parallel_chunks(H * m, [&](size_t lo, size_t hi, size_t) {
    for (size_t hr = lo; hr < hi; hr++) {
      const size_t h = hr / m;
      int64_t row_sum = 0;
      for (size_t col = 0; col < n; col++) row_sum += Yr[hr * n + col];
      if ((double)row_sum * (double)vmax >= 9.2e18) throw_context_overflow(row_sum);
      for (size_t col = 0; col < n; col++) {
        const int64_t yv = Yr[hr * n + col];
        if (yv == 0) continue;
        const int64_t* v = V.data() + (h * n + col) * d;
        for (size_t j = 0; j < d; j++) U[hr * d + j] += yv * v[j];
      }
    }
  }, 1);
  for (size_t t = 0; t < lay.output.size(); t++) U = rescale_into(w, "U" + std::to_string(t + 1), U, lay.output[t]);
  w.t["O"] = std::move(U);
  return w;
}
