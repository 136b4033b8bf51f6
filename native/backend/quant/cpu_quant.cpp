// CPU bodies of the LLaMA forwards' row-wise and elementwise kernels, and the CPU entry point.
#include <cmath>
#include <stdexcept>
#include "../../quant/llama_forward.h"
#include "../../quant/norm_silu_tables.h"
#include "../../platform/cpu_parallel.h"
#include "cpu_quant_kernels.h"
#include "quant_kernels.h"

namespace cpu_quant {

namespace {
void check_int32(int64_t v, const char* what, size_t at) {
  if (!fixedpoint::fits_int32(v))
    throw std::range_error(std::string(what) + ": value " + std::to_string(v) + " at index " + std::to_string(at) +
                           " does not fit an int32; lower valueBits");
}
}  // namespace

void Kernels::embed_f(const int32_t* tok, int T, const float* table, int D, float* x) {
  for (int t = 0; t < T; t++) std::copy(table + (size_t)tok[t] * D, table + (size_t)(tok[t] + 1) * D, x + (size_t)t * D);
}

void Kernels::rmsnorm_f(const float* x, int T, int D, const float* w, double eps, float* y) {
  cpu_parallel_chunks(
      (size_t)T,
      [&](size_t lo, size_t hi, size_t) {
        for (size_t t = lo; t < hi; t++) {
          const float* xr = x + t * D;
          double ss = 0;
          for (int i = 0; i < D; i++) ss += (double)xr[i] * xr[i];
          const float inv = (float)(1.0 / std::sqrt(ss / D + eps));
          for (int i = 0; i < D; i++) y[t * D + i] = xr[i] * inv * w[i];
        }
      },
      16);
}

void Kernels::rope_f(float* x, int T, int heads, int hd, const float* cs, const float* sn) {
  const int half = hd / 2;
  for (int t = 0; t < T; t++)
    for (int h = 0; h < heads; h++) {
      float* b = x + ((size_t)t * heads + h) * hd;
      for (int i = 0; i < half; i++) {
        const float c = cs[(size_t)t * half + i], s = sn[(size_t)t * half + i], x1 = b[i], x2 = b[half + i];
        b[i] = x1 * c - x2 * s;
        b[half + i] = x2 * c + x1 * s;
      }
    }
}

void Kernels::swiglu_f(const float* g, const float* u, size_t n, float* out) {
  for (size_t i = 0; i < n; i++) out[i] = g[i] / (1.0f + std::exp(-g[i])) * u[i];
}

void Kernels::add_f(float* x, const float* y, size_t n) {
  for (size_t i = 0; i < n; i++) x[i] += y[i];
}

void Kernels::lm_losses(const float* h, int T, int D, const float* lm, int V, const int32_t*, const int32_t* tok_host,
                        std::vector<double>& losses, std::vector<float>* logits) {
  // Row blocks bound the logits buffer for long windows.
  const int block = std::max(1, std::min(T, (int)(2097152 / V)));
  std::vector<float> buf((size_t)block * V);
  losses.assign(T - 1, 0.0);
  if (logits) logits->resize((size_t)T * V);
  for (int t0 = 0; t0 < T; t0 += block) {
    const int rows = std::min(block, T - t0);
    cpu_quant::matmul_f(h + (size_t)t0 * D, rows, D, lm, V, buf.data());
    if (logits) std::copy(buf.begin(), buf.begin() + (size_t)rows * V, logits->begin() + (size_t)t0 * V);
    cpu_parallel_chunks(
        (size_t)rows,
        [&](size_t lo, size_t hi, size_t) {
          for (size_t r = lo; r < hi; r++) {
            const int t = t0 + (int)r;
            if (t >= T - 1) continue;
            const float* row = buf.data() + r * V;
            float mx = row[0];
            for (int o = 1; o < V; o++) mx = std::max(mx, row[o]);
            double z = 0;
            for (int o = 0; o < V; o++) z += std::exp((double)row[o] - mx);
            losses[t] = std::log(z) + mx - row[tok_host[t + 1]];
          }
        },
        1);
  }
}

void Kernels::embed_q(const int32_t* tok, int T, const float* table, int D, int s, int64_t* x) {
  for (int t = 0; t < T; t++)
    for (int i = 0; i < D; i++) x[(size_t)t * D + i] = fixedpoint::quantize(table[(size_t)tok[t] * D + i], s);
}

void Kernels::row_sumsq(const int64_t* x, int T, int D, int64_t* out) {
  cpu_parallel_chunks(
      (size_t)T,
      [&](size_t lo, size_t hi, size_t) {
        for (size_t t = lo; t < hi; t++) {
          int64_t ss = 0;
          for (int i = 0; i < D; i++) {
            const int64_t v = x[t * D + i];
            check_int32(v, "RMSNorm input", t * D + i);
            if (__builtin_add_overflow(ss, v * v, &ss))
              throw std::range_error("RMSNorm: the sum of squares of row " + std::to_string(t) + " overflows int64; lower valueBits");
          }
          out[t] = ss;
        }
      },
      16);
}

void Kernels::norm_apply(const int64_t* x, int T, int D, const int64_t* rinv, const int32_t* w, int g_bits, int s,
                         fixedpoint::Rounding r, int64_t* y) {
  cpu_parallel_chunks(
      (size_t)T,
      [&](size_t lo, size_t hi, size_t) {
        for (size_t t = lo; t < hi; t++)
          for (int i = 0; i < D; i++) {
            const int64_t g = fixedpoint::rescale(rinv[t] * w[i], g_bits, r);
            check_int32(g, "RMSNorm scale (1/rms x weight)", t * D + i);
            y[t * D + i] = fixedpoint::rescale(x[t * D + i] * g, s, r);
          }
      },
      16);
}

void Kernels::rope_q(int64_t* x, int T, int heads, int hd, const int32_t* cs, const int32_t* sn, int s, fixedpoint::Rounding r) {
  const int half = hd / 2;
  for (int t = 0; t < T; t++)
    for (int h = 0; h < heads; h++) {
      int64_t* b = x + ((size_t)t * heads + h) * hd;
      for (int i = 0; i < half; i++) {
        const int64_t c = cs[(size_t)t * half + i], sv = sn[(size_t)t * half + i], x1 = b[i], x2 = b[half + i];
        check_int32(x1, "RoPE input", ((size_t)t * heads + h) * hd + i);
        check_int32(x2, "RoPE input", ((size_t)t * heads + h) * hd + half + i);
        b[i] = fixedpoint::rescale(x1 * c - x2 * sv, s, r);
        b[half + i] = fixedpoint::rescale(x2 * c + x1 * sv, s, r);
      }
    }
}

void Kernels::silu_q(const int64_t* g, size_t n, const quant::QuantConfig& c, int64_t* out) {
  const int tb = c.silu_table_bits;
  const int64_t half = int64_t(1) << (tb - 1);
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) {
      if (c.silu == quant::SiluKind::Table) {
        const int64_t idx = g[i] + half;
        if (idx < 0 || (idx >> tb) != 0)
          throw std::range_error("SiLU: gate " + std::to_string(std::ldexp((double)g[i], -c.silu_in_bits)) + " (index " +
                                 std::to_string(i) + ") is outside the table's range [" +
                                 std::to_string(-std::ldexp(1.0, tb - 1 - c.silu_in_bits)) + ", " +
                                 std::to_string(std::ldexp(1.0, tb - 1 - c.silu_in_bits)) + "); raise silu.tableBits or lower silu.inBits");
        out[i] = quant::silu_table_entry(idx, tb, c.silu_in_bits, c.value_bits);
      } else {
        out[i] = quant::silu_value(g[i], c.silu_in_bits, c.value_bits);
      }
    }
  });
}

void Kernels::hadamard_q(const int64_t* a, const int64_t* b, size_t n, int bits, fixedpoint::Rounding r, int64_t* out) {
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) {
      check_int32(a[i], "Hadamard product input", i);
      check_int32(b[i], "Hadamard product input", i);
      out[i] = fixedpoint::rescale(a[i] * b[i], bits, r);
    }
  });
}

void Kernels::add_q(int64_t* x, const int64_t* y, size_t n) {
  for (size_t i = 0; i < n; i++) x[i] += y[i];
}

void Kernels::dequantize(const int64_t* x, size_t n, int s, float* out) {
  for (size_t i = 0; i < n; i++) out[i] = (float)std::ldexp((double)x[i], -s);
}

}  // namespace cpu_quant

namespace cpu {
void llama_forward(const quant::ModelHost& m, const quant::QuantWeights* qw, const quant::ForwardTables* tables,
                   const quant::ForwardRequest& rq, quant::ForwardResult& res, std::vector<float>* keep,
                   const std::vector<float>* kept, std::unique_ptr<quant::BackendCache>&) {
  cpu_quant::Kernels k;
  if (rq.quantized)
    quant::forward_quant(k, m, *qw, *tables, rq, res, kept);
  else
    quant::forward_float(k, m, rq, res, keep);
}
}  // namespace cpu
