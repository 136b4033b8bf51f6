// CPU causal attention of the LLaMA forwards: float, and fixed point with the zkAttn (or float-exp)
// softmax. Work is split over (head, query row) pairs; query head h reads key/value head
// h / (H / KV) (grouped-query attention).
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <vector>
#include "../../platform/cpu_parallel.h"
#include "cpu_quant_kernels.h"

namespace cpu_quant {

void attention_f(const float* q, const float* k, const float* v, int T, int H, int KV, int hd, float* out) {
  const int group = H / KV;
  const float scale = 1.0f / std::sqrt((float)hd);
  cpu_parallel_chunks(
      (size_t)H * T,
      [&](size_t lo, size_t hi, size_t) {
        std::vector<float> p(T);
        std::vector<float> acc(hd);
        for (size_t task = lo; task < hi; task++) {
          const int h = (int)(task / T), r = (int)(task % T), kvh = h / group;
          const float* qr = q + ((size_t)r * H + h) * hd;
          float mx = -INFINITY;
          for (int c = 0; c <= r; c++) {
            const float* kc = k + ((size_t)c * KV + kvh) * hd;
            float s = 0;
            for (int i = 0; i < hd; i++) s += qr[i] * kc[i];
            p[c] = s * scale;
            mx = std::max(mx, p[c]);
          }
          double z = 0;
          for (int c = 0; c <= r; c++) {
            p[c] = std::exp(p[c] - mx);
            z += p[c];
          }
          const float inv = (float)(1.0 / z);
          std::fill(acc.begin(), acc.end(), 0.0f);
          for (int c = 0; c <= r; c++) {
            const float wgt = p[c] * inv;
            const float* vc = v + ((size_t)c * KV + kvh) * hd;
            for (int i = 0; i < hd; i++) acc[i] += wgt * vc[i];
          }
          std::copy(acc.begin(), acc.end(), out + ((size_t)r * H + h) * hd);
        }
      },
      1);
}

int64_t softmax_row(const quant::SoftmaxParams& p, const int64_t* a, int len, int64_t* y, quant::AttnStats& st, int row) {
  int64_t m = a[0];
  for (int c = 1; c < len; c++) m = std::max(m, a[c]);
  // The GPU's warp-per-row reduction, lane by lane: lane l adds columns l, l+32, ... in order,
  // then an xor butterfly combines the lanes.
  double lane[quant::ROW_LANES] = {};
  thread_local std::vector<double> terms;
  terms.resize(len);
  for (int c = 0; c < len; c++) {
    terms[c] = quant::shifted_exp(a[c], m, p.c_in);
    double& acc = lane[c % quant::ROW_LANES];
    acc = detmath::add(acc, terms[c]);
  }
  for (int off = quant::ROW_LANES / 2; off > 0; off /= 2) {
    double next[quant::ROW_LANES];
    for (int l = 0; l < quant::ROW_LANES; l++) next[l] = detmath::add(lane[l], lane[l ^ off]);
    std::copy(next, next + quant::ROW_LANES, lane);
  }
  const double sum = lane[0];
  const int64_t shift = quant::row_shift(m, sum, p.c_in);
  int64_t row_sum = 0;
  double max_err = 0, sum_err = 0;
  const double inv_unit = std::ldexp(1.0, -p.prob_bits);
  for (int c = 0; c < len; c++) {
    bool oob = false;
    const int64_t z = shift - a[c];
    y[c] = quant::softmax_entry(p, z, &oob);
    if (oob)
      throw std::range_error("zkAttn: shifted logit z = " + std::to_string(z) + " (row " + std::to_string(row) + ", column " +
                             std::to_string(c) + ") is beyond the digit budget 2^" + std::to_string(p.budget_bits) +
                             "; widen the segments, add an indicator segment (M) or lower logitBits");
    row_sum += y[c];
    const double e = quant::entry_error(y[c], inv_unit, terms[c], sum);
    max_err = std::max(max_err, e);
    sum_err += e;
  }
  st.max_abs_err = std::max(st.max_abs_err, max_err);
  st.sum_abs_err += sum_err;
  st.entries += len;
  st.row_sum_min = std::min(st.row_sum_min, row_sum);
  st.row_sum_max = std::max(st.row_sum_max, row_sum);
  return shift;
}

void attention_q(const int64_t* q, const int64_t* k, const int64_t* v, int T, int H, int KV, int hd,
                 const quant::SoftmaxParams& p, const std::vector<int>& out_rescale, quant::AttnStats& stats, int64_t* out) {
  const int group = H / KV;
  std::vector<int32_t> q32((size_t)T * H * hd), k32((size_t)T * KV * hd), v32((size_t)T * KV * hd);
  const int64_t qmax = to_int32(q, q32.size(), q32.data(), "query");
  const int64_t kmax = to_int32(k, k32.size(), k32.data(), "key");
  const int64_t vmax = to_int32(v, v32.size(), v32.data(), "value");
  if ((double)qmax * (double)kmax * hd >= 9.2e18)
    throw std::range_error("Q.K^T could overflow int64 (max |q| " + std::to_string(qmax) + ", max |k| " + std::to_string(kmax) +
                           "); lower qkBits");
  std::mutex mu;
  cpu_parallel_chunks(
      (size_t)H * T,
      [&](size_t lo, size_t hi, size_t) {
        std::vector<int64_t> a(T), y(T), acc(hd);
        quant::AttnStats local;
        for (size_t task = lo; task < hi; task++) {
          const int h = (int)(task / T), r = (int)(task % T), kvh = h / group;
          const int32_t* qr = q32.data() + ((size_t)r * H + h) * hd;
          for (int c = 0; c <= r; c++) {
            const int32_t* kc = k32.data() + ((size_t)c * KV + kvh) * hd;
            int64_t s = 0;
            for (int i = 0; i < hd; i++) s += (int64_t)qr[i] * kc[i];
            a[c] = fixedpoint::rescale(s, p.logit_rescale, p.rounding);
          }
          softmax_row(p, a.data(), r + 1, y.data(), local, r);
          int64_t row_sum = 0;
          for (int c = 0; c <= r; c++) row_sum += y[c];
          // Y >= 0, so |sum_c Y_c v_c| <= row_sum * max |v|: no int64 overflow below this bound.
          if ((double)row_sum * (double)vmax >= 9.2e18)
            throw std::range_error("softmax.V could overflow int64 (row sum " + std::to_string(row_sum) + ", max |v| " +
                                   std::to_string(vmax) + "); lower the probabilities' scale");
          std::fill(acc.begin(), acc.end(), 0);
          for (int c = 0; c <= r; c++) {
            const int64_t yc = y[c];
            if (yc == 0) continue;
            const int32_t* vc = v32.data() + ((size_t)c * KV + kvh) * hd;
            for (int i = 0; i < hd; i++) acc[i] += yc * vc[i];
          }
          int64_t* o = out + ((size_t)r * H + h) * hd;
          for (int i = 0; i < hd; i++) {
            int64_t val = acc[i];
            for (int bits : out_rescale) val = fixedpoint::rescale(val, bits, p.rounding);
            o[i] = val;
          }
        }
        std::lock_guard<std::mutex> g(mu);
        stats.merge(local);
      },
      1);
}

}  // namespace cpu_quant

namespace cpu {
void softmax_rows(const quant::SoftmaxParams& p, const int64_t* logits, int rows, int n, bool causal, int64_t* y, int64_t* shift,
                  quant::AttnStats& stats) {
  std::mutex mu;
  cpu_parallel_chunks(
      (size_t)rows,
      [&](size_t lo, size_t hi, size_t) {
        quant::AttnStats local;
        for (size_t r = lo; r < hi; r++) {
          const int len = causal ? (int)r + 1 : n;
          int64_t* yr = y + r * n;
          std::fill(yr, yr + n, 0);
          shift[r] = cpu_quant::softmax_row(p, logits + r * n, len, yr, local, (int)r);
        }
        std::lock_guard<std::mutex> g(mu);
        stats.merge(local);
      },
      1);
}
}  // namespace cpu
