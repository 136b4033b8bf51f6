// The LLaMA forward pass, float32 and fixed-point, written once over a kernel set K (CpuQuantKernels
// in backend/cpu_quant.cpp, CudaQuantKernels in backend/cuda_quant.cu). The driver decides what
// is computed; the kernel sets only how.
//
// What stays float in the fixed-point forward (as in the anchor's reference §7): the embedding
// lookup (its rows are quantized at 2^valueBits on entry), and the final RMSNorm and lm_head (the
// residual stream is dequantized at the end). Everything inside the decoder layers is integer:
// matmuls accumulate exactly in int64 and are rescaled with the configured rounding, RoPE
// multiplies by cos/sin quantized at 2^valueBits, residual additions are exact, and RMSNorm, SiLU
// and the softmax are table lookups (native/quant/norm_silu_tables.h, zkattn_tables.h) unless a
// config asks for the anchor's float variants.
#pragma once
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>
#include "llama_model.h"
#include "norm_silu_tables.h"

namespace quant {

struct RopeTables {
  std::vector<float> cos_f, sin_f;      // [T, hd/2]
  std::vector<int32_t> cos_q, sin_q;    // round(cos * 2^value_bits)
};
RopeTables rope_tables(const LlamaShape& s, int T, int value_bits,
                       fixedpoint::QuantizeRounding rounding = fixedpoint::QuantizeRounding::HalfAway);

// The quantized embedding rows of a window, on the host: the backends' embed_q kernels round ties
// away from zero, so the half-even mode quantizes here and uploads the rows (T x hidden values).
std::vector<int64_t> embed_rows(const ModelHost& m, const std::vector<int32_t>& tokens, int value_bits,
                                fixedpoint::QuantizeRounding rounding);

// The softmax parameters of a configuration, with the backend's addresses of the mapping tables.
SoftmaxParams softmax_params(const QuantConfig& c, int head_dim, const int64_t* const* tables);

// Row shift k of the RMSNorm table: smallest k >= 0 with rescale(max_r S_r, k) < 2^table_bits.
int norm_table_shift(int64_t max_sumsq, int table_bits);

std::string layer_context(int layer, const char* stage);

// [T, heads_in, hd] token-major (the forward's layout) -> [heads_out, T, hd] head-major, query head h
// reading source head h / (heads_out / heads_in): K and V of grouped-query attention expanded.
std::vector<int64_t> head_major(const std::vector<int64_t>& x, int T, int heads_in, int heads_out, int hd);

// Compares a dequantized layer output with the kept float one.
void compare_state(const std::vector<int64_t>& q, int value_bits, const float* ref, LayerReport& rep);

template <class K>
void forward_float(K& k, const ModelHost& m, const ForwardRequest& rq, ForwardResult& res, std::vector<float>* keep) {
  const LlamaShape& sh = m.shape;
  const int T = (int)rq.tokens.size(), D = sh.hidden, H = sh.heads, KV = sh.kv_heads, hd = sh.head_dim, I = sh.intermediate;
  using BF = typename K::template Buf<float>;
  auto tok = k.upload(rq.tokens.data(), (size_t)T);
  RopeTables rope = rope_tables(sh, T, 0);
  auto cosb = k.upload(rope.cos_f.data(), rope.cos_f.size());
  auto sinb = k.upload(rope.sin_f.data(), rope.sin_f.size());
  BF x(k, (size_t)T * D), h(k, (size_t)T * D), o(k, (size_t)T * D);
  BF q(k, (size_t)T * H * hd), kk(k, (size_t)T * KV * hd), v(k, (size_t)T * KV * hd), att(k, (size_t)T * H * hd);
  BF g(k, (size_t)T * I), u(k, (size_t)T * I);
  k.embed_f(tok.get(), T, k.weights_f(m.embed, (size_t)sh.vocab * D), D, x.get());
  for (int l = 0; l < sh.layers; l++) {
    auto w = [&](int which) { return k.weights_f(m.layers[l][which], layer_tensor_size(sh, which)); };
    k.rmsnorm_f(x.get(), T, D, w(ATTN_NORM), sh.rms_eps, h.get());
    k.matmul_f(h.get(), T, D, w(WQ), H * hd, q.get());
    k.matmul_f(h.get(), T, D, w(WK), KV * hd, kk.get());
    k.matmul_f(h.get(), T, D, w(WV), KV * hd, v.get());
    k.rope_f(q.get(), T, H, hd, cosb.get(), sinb.get());
    k.rope_f(kk.get(), T, KV, hd, cosb.get(), sinb.get());
    k.attention_f(q.get(), kk.get(), v.get(), T, H, KV, hd, att.get());
    k.matmul_f(att.get(), T, H * hd, w(WO), D, o.get());
    k.add_f(x.get(), o.get(), (size_t)T * D);
    k.rmsnorm_f(x.get(), T, D, w(FFN_NORM), sh.rms_eps, h.get());
    k.matmul_f(h.get(), T, D, w(WG), I, g.get());
    k.matmul_f(h.get(), T, D, w(WU), I, u.get());
    k.swiglu_f(g.get(), u.get(), (size_t)T * I, g.get());
    k.matmul_f(g.get(), T, I, w(WD), D, o.get());
    k.add_f(x.get(), o.get(), (size_t)T * D);
    if (keep) k.download(x, keep->data() + (size_t)l * T * D, (size_t)T * D);
  }
  k.rmsnorm_f(x.get(), T, D, k.weights_f(m.norm, D), sh.rms_eps, h.get());
  k.lm_losses(h.get(), T, D, k.weights_f(m.lm_head, (size_t)sh.vocab * D), sh.vocab, tok.get(), rq.tokens.data(), res.losses,
              rq.want_logits ? &res.logits : nullptr);
}

template <class K>
void forward_quant(K& k, const ModelHost& m, const QuantWeights& qw, const ForwardTables& tables, const ForwardRequest& rq,
                   ForwardResult& res, const std::vector<float>* kept) {
  const LlamaShape& sh = m.shape;
  const QuantConfig& c = rq.config;
  const int T = (int)rq.tokens.size(), D = sh.hidden, H = sh.heads, KV = sh.kv_heads, hd = sh.head_dim, I = sh.intermediate;
  const int s = c.value_bits, sw = c.weight_bits;
  const auto rnd = c.rounding;
  using BQ = typename K::template Buf<int64_t>;
  using BF = typename K::template Buf<float>;
  k.use_quant_weights(qw.id);
  auto tok = k.upload(rq.tokens.data(), (size_t)T);
  RopeTables rope = rope_tables(sh, T, s, c.quantize_rounding);
  auto cosb = k.upload(rope.cos_q.data(), rope.cos_q.size());
  auto sinb = k.upload(rope.sin_q.data(), rope.sin_q.size());

  const int64_t* table_ptrs[MAX_SEGMENTS] = {};
  for (size_t i = 0; i < tables.zkattn.size() && i < (size_t)MAX_SEGMENTS; i++)
    if (!tables.zkattn[i].empty()) table_ptrs[i] = k.table(tables.zkattn[i]);
  const SoftmaxParams sp = softmax_params(c, hd, table_ptrs);

  const bool host_embed = c.quantize_rounding != fixedpoint::QuantizeRounding::HalfAway;
  BQ x = host_embed ? k.upload(embed_rows(m, rq.tokens, s, c.quantize_rounding).data(), (size_t)T * D) : BQ(k, (size_t)T * D);
  BQ h(k, (size_t)T * D), o(k, (size_t)T * D);
  BQ q(k, (size_t)T * H * hd), kk(k, (size_t)T * KV * hd), v(k, (size_t)T * KV * hd), att(k, (size_t)T * H * hd);
  BQ g(k, (size_t)T * I), u(k, (size_t)T * I);
  typename K::template Buf<int32_t> a32(k, (size_t)T * std::max(std::max(D, I), H * hd));
  std::vector<int64_t> sumsq(T), rinv(T);
  std::vector<int64_t> host_state;
  const bool want_host_state = kept != nullptr || rq.want_int_states;
  if (want_host_state) host_state.resize((size_t)T * D);
  if (rq.want_int_states) res.int_states.resize((size_t)sh.layers * T * D);
  // Captured layers: the buffers are downloaded after the attention (no kernel of its own).
  size_t next_capture = 0;
  std::vector<int64_t> cap_q, cap_kv;
  auto capture = [&](int l) {
    AttentionCapture a;
    a.layer = l;
    cap_q.resize((size_t)T * H * hd);
    cap_kv.resize((size_t)T * KV * hd);
    k.download(q, cap_q.data(), cap_q.size());
    a.q = head_major(cap_q, T, H, H, hd);
    k.download(att, cap_q.data(), cap_q.size());
    a.o = head_major(cap_q, T, H, H, hd);
    k.download(kk, cap_kv.data(), cap_kv.size());
    a.k = head_major(cap_kv, T, KV, H, hd);
    k.download(v, cap_kv.data(), cap_kv.size());
    a.v = head_major(cap_kv, T, KV, H, hd);
    res.captures.push_back(std::move(a));
  };

  if (!host_embed) k.embed_q(tok.get(), T, k.weights_f(m.embed, (size_t)sh.vocab * D), D, s, x.get());

  // x (int64) -> h = RMSNorm(x) with the quantized weight w; returns the table shift (or -1).
  auto rmsnorm = [&](const QuantMatrix& w, int64_t* out) -> int {
    k.row_sumsq(x.get(), T, D, sumsq.data());
    int shift = -1;
    if (c.norm == NormKind::Table) {
      int64_t mx = 0;
      for (int64_t v2 : sumsq) mx = std::max(mx, v2);
      shift = norm_table_shift(mx, c.norm_table_bits);
      for (int r = 0; r < T; r++)
        rinv[r] = rms_table_entry(fixedpoint::rescale(sumsq[r], shift, fixedpoint::Rounding::HalfUp), shift, s, D, sh.rms_eps,
                                  c.norm_out_bits);
    } else {
      for (int r = 0; r < T; r++) rinv[r] = rms_inverse((double)sumsq[r], -2 * s, D, sh.rms_eps, c.norm_out_bits);
    }
    k.norm_apply(x.get(), T, D, rinv.data(), k.weights_q(w.q), c.norm_out_bits + sw - s, s, rnd, out);
    return shift;
  };
  // y = rescale(a . W^T, bits) with a (int64) checked into int32 first.
  auto matmul = [&](const int64_t* a, int in, const QuantMatrix& w, int out, int bits, int64_t* y, const char* what) {
    int64_t amax = k.to_int32(a, (size_t)T * in, a32.get(), what);
    const double bound = (double)amax * (double)w.max_abs * (double)in;
    if (bound >= 9.2e18)
      throw std::runtime_error(std::string(what) + ": an int64 accumulator could overflow (max |input| " + std::to_string(amax) +
                               " x max |weight| " + std::to_string(w.max_abs) + " x " + std::to_string(in) +
                               " terms); lower valueBits or weightBits");
    k.matmul_q(a32.get(), T, in, k.weights_q(w.q), out, bits, rnd, y);
  };

  res.layers.assign(sh.layers, LayerReport{});
  for (int l = 0; l < sh.layers; l++) {
    const auto& W = qw.layers[l];
    LayerReport& rep = res.layers[l];
    const char* stage = "attention RMSNorm";
    try {
      rep.norm_shift[0] = rmsnorm(W[ATTN_NORM], h.get());
      stage = "Q/K/V projections";
      matmul(h.get(), D, W[WQ], H * hd, s + sw - c.qk_bits, q.get(), "Q projection input");
      matmul(h.get(), D, W[WK], KV * hd, s + sw - c.qk_bits, kk.get(), "K projection input");
      matmul(h.get(), D, W[WV], KV * hd, sw, v.get(), "V projection input");
      stage = "RoPE";
      k.rope_q(q.get(), T, H, hd, cosb.get(), sinb.get(), s, rnd);
      k.rope_q(kk.get(), T, KV, hd, cosb.get(), sinb.get(), s, rnd);
      stage = "attention";
      AttnStats st;
      k.attention_q(q.get(), kk.get(), v.get(), T, H, KV, hd, sp, c.softmax.output_rescale_bits, st, att.get());
      rep.attn_max_abs_err = st.max_abs_err;
      rep.attn_sum_abs_err = st.sum_abs_err;
      rep.attn_entries = st.entries;
      rep.row_sum_min = st.row_sum_min;
      rep.row_sum_max = st.row_sum_max;
      const double unit = std::ldexp(1.0, sp.prob_bits);
      rep.row_sum_max_dev = std::max(std::fabs(st.row_sum_max / unit - 1), std::fabs(st.row_sum_min / unit - 1));
      if (next_capture < rq.capture_layers.size() && rq.capture_layers[next_capture] == l) {
        capture(l);
        next_capture++;
      }
      stage = "attention output projection";
      matmul(att.get(), H * hd, W[WO], D, sw, o.get(), "attention output projection input");
      k.add_q(x.get(), o.get(), (size_t)T * D);
      stage = "MLP RMSNorm";
      rep.norm_shift[1] = rmsnorm(W[FFN_NORM], h.get());
      stage = "MLP projections";
      matmul(h.get(), D, W[WG], I, s + sw - c.silu_in_bits, g.get(), "gate projection input");
      matmul(h.get(), D, W[WU], I, sw, u.get(), "up projection input");
      stage = "SiLU";
      k.silu_q(g.get(), (size_t)T * I, c, g.get());
      stage = "SiLU x up";
      k.hadamard_q(g.get(), u.get(), (size_t)T * I, s, rnd, g.get());
      stage = "down projection";
      matmul(g.get(), I, W[WD], D, sw, o.get(), "down projection input");
      k.add_q(x.get(), o.get(), (size_t)T * D);
    } catch (const std::exception& e) {
      throw std::runtime_error(layer_context(l, stage) + e.what());
    }
    if (want_host_state) {
      k.download(x, host_state.data(), host_state.size());
      if (rq.want_int_states) std::copy(host_state.begin(), host_state.end(), res.int_states.begin() + (size_t)l * T * D);
      if (kept) compare_state(host_state, s, kept->data() + (size_t)l * T * D, rep);
    }
  }
  if (rq.want_int_states) {
    res.final_state.resize((size_t)T * D);
    k.download(x, res.final_state.data(), res.final_state.size());
  }
  BF xf(k, (size_t)T * D), hf(k, (size_t)T * D);
  k.dequantize(x.get(), (size_t)T * D, s, xf.get());
  k.rmsnorm_f(xf.get(), T, D, k.weights_f(m.norm, D), sh.rms_eps, hf.get());
  k.lm_losses(hf.get(), T, D, k.weights_f(m.lm_head, (size_t)sh.vocab * D), sh.vocab, tok.get(), rq.tokens.data(), res.losses,
              rq.want_logits ? &res.logits : nullptr);
}

}  // namespace quant
