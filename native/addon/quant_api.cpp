// JS surface of the accuracy experiments: the zkAttn tables and digits, the quantized softmax alone,
// and the LlamaRunner class (float and fixed-point forwards, sync and as a Promise).
#include <chrono>
#include <cmath>
#include <memory>
#include "../quant/llama_runner.h"
#include "../quant/zkattn_tables.h"
#include "api.h"
#include "napi_util.h"

namespace {

zkattn::TableConfig table_config_arg(const Napi::Value& v) {
  const std::string where = "zkAttn table config";
  auto o = object_arg(v, where);
  zkattn::TableConfig c;
  c.segment_bits = int_list(prop(o, "segmentBits", where), where + ".segmentBits");
  c.range_only = int_prop(o, "rangeOnly", where);
  c.indicator = int_prop(o, "indicator", where);
  auto theta = prop(o, "theta", where);
  if (!theta.IsArray()) throw std::invalid_argument(where + ".theta must be an array");
  auto ta = theta.As<Napi::Array>();
  for (uint32_t i = 0; i < ta.Length(); i++) {
    double d = number_of(ta.Get(i), where + ".theta[" + std::to_string(i) + "]");
    if (d != std::floor(d) || d < 1 || d > 9007199254740992.0)
      throw std::invalid_argument(where + ".theta[" + std::to_string(i) + "] must be an integer in [1, 2^53]");
    c.theta.push_back((int64_t)d);
  }
  c.sf_in = number_of(prop(o, "sfIn", where), where + ".sfIn");
  c.head_dim = int_prop(o, "headDim", where);
  zkattn::validate(c);
  return c;
}

}  // namespace

quant::QuantConfig quant_config_arg(const Napi::Value& v) {
  const std::string where = "quantization config";
  auto o = object_arg(v, where);
  quant::QuantConfig c;
  c.value_bits = int_prop(o, "valueBits", where);
  c.weight_bits = int_prop(o, "weightBits", where);
  c.qk_bits = int_prop(o, "qkBits", where);
  c.logit_bits = int_prop(o, "logitBits", where);
  std::string rounding = string_arg(prop(o, "rounding", where), where + ".rounding");
  if (rounding == "half-up") c.rounding = fixedpoint::Rounding::HalfUp;
  else if (rounding == "half-away") c.rounding = fixedpoint::Rounding::HalfAway;
  else throw std::invalid_argument(where + ".rounding must be 'half-up' or 'half-away', got '" + rounding + "'");
  // Optional (older callers omit it): how weights, embedding rows and RoPE's cos/sin are rounded.
  if (o.Has("quantizeRounding") && !o.Get("quantizeRounding").IsUndefined()) {
    std::string qr = string_arg(o.Get("quantizeRounding"), where + ".quantizeRounding");
    if (qr == "half-away") c.quantize_rounding = fixedpoint::QuantizeRounding::HalfAway;
    else if (qr == "half-even") c.quantize_rounding = fixedpoint::QuantizeRounding::HalfEven;
    else throw std::invalid_argument(where + ".quantizeRounding must be 'half-away' or 'half-even', got '" + qr + "'");
  }

  const std::string sw = where + ".softmax";
  auto sm = object_arg(prop(o, "softmax", where), sw);
  std::string kind = string_arg(prop(sm, "kind", sw), sw + ".kind");
  if (kind == "zkattn") {
    c.softmax.kind = quant::SoftmaxKind::ZkAttn;
    c.softmax.segment_bits = int_list(prop(sm, "segmentBits", sw), sw + ".segmentBits");
    c.softmax.range_only = int_prop(sm, "rangeOnly", sw);
    c.softmax.indicator = int_prop(sm, "indicator", sw);
    c.softmax.theta_bits = int_list(prop(sm, "thetaBits", sw), sw + ".thetaBits");
    c.softmax.product_rescale_bits = int_list(prop(sm, "productRescaleBits", sw), sw + ".productRescaleBits");
  } else if (kind == "float-exp") {
    c.softmax.kind = quant::SoftmaxKind::FloatExp;
    c.softmax.float_prob_bits = int_prop(sm, "probBits", sw);
  } else {
    throw std::invalid_argument(sw + ".kind must be 'zkattn' or 'float-exp', got '" + kind + "'");
  }
  c.softmax.output_rescale_bits = int_list(prop(sm, "outputRescaleBits", sw), sw + ".outputRescaleBits");

  const std::string nw = where + ".norm";
  auto nm = object_arg(prop(o, "norm", where), nw);
  std::string nk = string_arg(prop(nm, "kind", nw), nw + ".kind");
  if (nk != "table" && nk != "float") throw std::invalid_argument(nw + ".kind must be 'table' or 'float'");
  c.norm = nk == "table" ? quant::NormKind::Table : quant::NormKind::Float;
  c.norm_table_bits = int_prop(nm, "tableBits", nw);
  c.norm_out_bits = int_prop(nm, "outBits", nw);

  const std::string lw = where + ".silu";
  auto sl = object_arg(prop(o, "silu", where), lw);
  std::string sk = string_arg(prop(sl, "kind", lw), lw + ".kind");
  if (sk != "table" && sk != "float") throw std::invalid_argument(lw + ".kind must be 'table' or 'float'");
  c.silu = sk == "table" ? quant::SiluKind::Table : quant::SiluKind::Float;
  c.silu_in_bits = int_prop(sl, "inBits", lw);
  c.silu_table_bits = int_prop(sl, "tableBits", lw);
  return c;
}

namespace {

Napi::Object stats_to_js(Napi::Env env, const quant::AttnStats& s, int prob_bits) {
  auto o = Napi::Object::New(env);
  o.Set("maxAbsErr", s.max_abs_err);
  o.Set("meanAbsErr", s.entries ? s.sum_abs_err / (double)s.entries : 0.0);
  o.Set("entries", (double)s.entries);
  const double unit = std::ldexp(1.0, prob_bits);
  o.Set("rowSumMin", s.entries ? s.row_sum_min / unit : 0.0);
  o.Set("rowSumMax", s.entries ? s.row_sum_max / unit : 0.0);
  return o;
}

}  // namespace

// (config) -> { budgetBits, expDenominator, bases: BigInt64Array, kinds: string[], tables: BigInt64Array[] }
Napi::Value ZkAttnTables(const Napi::CallbackInfo& info) {
  return guarded(info, "zkAttnTables", [&]() -> Napi::Value {
    need_args(info, 1, "zkAttnTables");
    auto c = table_config_arg(info[0]);
    Napi::Env env = info.Env();
    auto o = Napi::Object::New(env);
    o.Set("budgetBits", zkattn::budget_bits(c));
    o.Set("expDenominator", zkattn::exp_denominator(c));
    o.Set("bases", to_typed(env, zkattn::radix_bases(c)));
    auto kinds = Napi::Array::New(env), tables = Napi::Array::New(env);
    for (int i = 0; i < zkattn::segment_count(c); i++) {
      auto k = zkattn::segment_kind(c, i);
      kinds.Set(i, k == zkattn::SegmentKind::Range ? "range" : k == zkattn::SegmentKind::Mapping ? "mapping" : "indicator");
      tables.Set(i, to_typed(env, zkattn::segment_table(c, i)));
    }
    o.Set("kinds", kinds);
    o.Set("tables", tables);
    return o;
  });
}

// (config, z: BigInt64Array) -> Uint32Array of z.length * K digits (least significant first)
Napi::Value ZkAttnDigits(const Napi::CallbackInfo& info) {
  return guarded(info, "zkAttnDigits", [&]() -> Napi::Value {
    need_args(info, 2, "zkAttnDigits");
    auto c = table_config_arg(info[0]);
    auto z = typed_arg<int64_t>(info[1], "z", SIZE_MAX);
    const size_t K = c.segment_bits.size();
    auto out = Napi::Uint32Array::New(info.Env(), z.ElementLength() * K);
    for (size_t i = 0; i < z.ElementLength(); i++) {
      auto d = zkattn::decompose(c, z[i]);
      std::copy(d.begin(), d.end(), out.Data() + i * K);
    }
    return out;
  });
}

// (logits: BigInt64Array, rows, n, causal, config, headDim, backend) -> { y, shift, probBits, stats }
Napi::Value QuantSoftmax(const Napi::CallbackInfo& info) {
  return guarded(info, "quantSoftmax", [&]() -> Napi::Value {
    need_args(info, 7, "quantSoftmax");
    const int rows = int_of(info[1], "rows"), n = int_of(info[2], "n");
    if (rows <= 0 || n <= 0) throw std::invalid_argument("rows and n must be positive");
    auto logits = typed_arg<int64_t>(info[0], "logits", (size_t)rows * n);
    if (!info[3].IsBoolean()) throw std::invalid_argument("causal must be a boolean");
    auto cfg = quant_config_arg(info[4]);
    const int hd = int_of(info[5], "headDim");
    Backend b = backend_arg(info[6]);
    std::vector<int64_t> a(logits.Data(), logits.Data() + logits.ElementLength());
    auto r = quant::softmax_rows(b, cfg, hd, a, rows, n, info[3].As<Napi::Boolean>().Value());
    Napi::Env env = info.Env();
    auto o = Napi::Object::New(env);
    o.Set("y", to_typed(env, r.y));
    o.Set("shift", to_typed(env, r.shift));
    o.Set("probBits", r.prob_bits);
    o.Set("stats", stats_to_js(env, r.stats, r.prob_bits));
    return o;
  });
}

namespace {

quant::LlamaShape shape_arg(const Napi::Value& v) {
  const std::string where = "model config";
  auto o = object_arg(v, where);
  quant::LlamaShape s;
  s.hidden = int_prop(o, "hiddenSize", where);
  s.intermediate = int_prop(o, "intermediateSize", where);
  s.layers = int_prop(o, "numHiddenLayers", where);
  s.heads = int_prop(o, "numAttentionHeads", where);
  s.kv_heads = int_prop(o, "numKeyValueHeads", where);
  s.head_dim = int_prop(o, "headDim", where);
  s.vocab = int_prop(o, "vocabSize", where);
  s.rms_eps = number_of(prop(o, "rmsNormEps", where), where + ".rmsNormEps");
  s.rope_theta = number_of(prop(o, "ropeTheta", where), where + ".ropeTheta");
  quant::validate_shape(s);
  return s;
}

const char* const LAYER_KEYS[quant::LAYER_TENSORS] = {"inputLayernorm", "qProj", "kProj", "vProj", "oProj",
                                                      "postAttentionLayernorm", "gateProj", "upProj", "downProj"};

struct ForwardOptions {
  quant::ForwardRequest rq;
  Backend backend;
};

ForwardOptions forward_args(const Napi::CallbackInfo& info, const char* fn) {
  need_args(info, 2, fn);
  ForwardOptions f;
  const Napi::Value& tv = info[0];
  if (tv.IsTypedArray() && tv.As<Napi::TypedArray>().TypedArrayType() == napi_uint32_array) {
    auto t = tv.As<Napi::Uint32Array>();
    for (size_t i = 0; i < t.ElementLength(); i++) {
      if (t[i] > 2147483647u) throw std::invalid_argument("token " + std::to_string(t[i]) + " at position " + std::to_string(i) + " is too large");
      f.rq.tokens.push_back((int32_t)t[i]);
    }
  } else if (tv.IsTypedArray() && tv.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array) {
    auto t = tv.As<Napi::Int32Array>();
    f.rq.tokens.assign(t.Data(), t.Data() + t.ElementLength());
  } else {
    throw std::invalid_argument("tokens must be a Uint32Array or Int32Array");
  }
  auto o = object_arg(info[1], "forward options");
  const Napi::Value q = o.Has("quant") ? o.Get("quant") : info.Env().Null();
  f.rq.quantized = !(q.IsNull() || q.IsUndefined());
  if (f.rq.quantized) f.rq.config = quant_config_arg(q);
  f.rq.want_logits = bool_opt(o, "logits");
  f.rq.keep_states = bool_opt(o, "keepStates");
  f.rq.compare_states = bool_opt(o, "compareStates");
  f.rq.want_int_states = bool_opt(o, "intStates");
  if (o.Has("captureLayers") && !o.Get("captureLayers").IsUndefined())
    f.rq.capture_layers = int_list(o.Get("captureLayers"), "forward options.captureLayers");
  f.backend = backend_arg(o.Has("backend") ? o.Get("backend") : Napi::String::New(info.Env(), "auto"));
  return f;
}

Napi::Object result_to_js(Napi::Env env, const quant::ForwardResult& r, double ms, Backend b) {
  auto o = Napi::Object::New(env);
  o.Set("losses", to_typed(env, r.losses));
  if (!r.logits.empty()) o.Set("logits", to_typed(env, r.logits));
  if (!r.int_states.empty()) o.Set("intStates", to_typed(env, r.int_states));
  if (!r.final_state.empty()) o.Set("finalState", to_typed(env, r.final_state));
  if (!r.captures.empty()) {
    auto caps = Napi::Array::New(env);
    for (size_t i = 0; i < r.captures.size(); i++) {
      const auto& a = r.captures[i];
      auto x = Napi::Object::New(env);
      x.Set("layer", a.layer);
      x.Set("q", to_typed(env, a.q));
      x.Set("k", to_typed(env, a.k));
      x.Set("v", to_typed(env, a.v));
      x.Set("o", to_typed(env, a.o));
      caps.Set((uint32_t)i, x);
    }
    o.Set("attention", caps);
  }
  auto layers = Napi::Array::New(env);
  for (size_t l = 0; l < r.layers.size(); l++) {
    const auto& L = r.layers[l];
    auto x = Napi::Object::New(env);
    x.Set("attnMaxAbsErr", L.attn_max_abs_err);
    x.Set("attnMeanAbsErr", L.attn_entries ? L.attn_sum_abs_err / (double)L.attn_entries : 0.0);
    x.Set("attnEntries", (double)L.attn_entries);
    x.Set("rowSumMaxDev", L.row_sum_max_dev);
    auto ns = Napi::Array::New(env);
    ns.Set(0u, L.norm_shift[0]);
    ns.Set(1u, L.norm_shift[1]);
    x.Set("normShift", ns);
    if (L.state_rel_rms_err >= 0) {
      x.Set("stateRelRmsErr", L.state_rel_rms_err);
      x.Set("stateMaxAbsErr", L.state_max_abs_err);
    }
    layers.Set((uint32_t)l, x);
  }
  o.Set("layers", layers);
  o.Set("ms", ms);
  o.Set("backend", backend_name(b));
  return o;
}

class ForwardWorker : public Napi::AsyncWorker {
 public:
  ForwardWorker(Napi::Env env, std::shared_ptr<quant::LlamaRunner> runner, ForwardOptions opts, Napi::Object self)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), runner_(std::move(runner)), opts_(std::move(opts)),
        self_(Napi::Persistent(self)) {}
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override {
    try {
      auto t0 = std::chrono::steady_clock::now();
      result_ = runner_->forward(opts_.backend, opts_.rq);
      ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    } catch (const std::bad_alloc&) {
      SetError("forward: out of host memory");
    } catch (const std::exception& e) {
      SetError(std::string("forward: ") + e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(result_to_js(Env(), result_, ms_, opts_.backend)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<quant::LlamaRunner> runner_;
  ForwardOptions opts_;
  Napi::ObjectReference self_;  // keeps the runner's JS object, and so the weights it borrows, alive
  quant::ForwardResult result_;
  double ms_ = 0;
};

class LlamaRunnerWrap : public Napi::ObjectWrap<LlamaRunnerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LlamaRunner",
                       {InstanceMethod("forward", &LlamaRunnerWrap::Forward), InstanceMethod("forwardAsync", &LlamaRunnerWrap::ForwardAsync)});
  }
  // (config, weights): the weights' typed arrays are borrowed, not copied, and referenced here.
  explicit LlamaRunnerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LlamaRunnerWrap>(info) {
    guarded(info, "new LlamaRunner", [&]() -> Napi::Value {
      need_args(info, 2, "new LlamaRunner");
      quant::ModelHost m;
      m.shape = shape_arg(info[0]);
      const auto& s = m.shape;
      auto w = object_arg(info[1], "weights");
      const size_t D = s.hidden, V = s.vocab;
      auto borrow = [&](const Napi::Value& v, const std::string& what, size_t n) {
        auto a = typed_arg<float>(v, what, n);
        for (size_t i = 0; i < a.ElementLength(); i++)
          if (!std::isfinite(a[i])) throw std::invalid_argument(what + "[" + std::to_string(i) + "] is not finite");
        refs_.push_back(Napi::Persistent(a));
        return (const float*)a.Data();
      };
      m.embed = borrow(prop(w, "embedTokens", "weights"), "weights.embedTokens", V * D);
      m.norm = borrow(prop(w, "norm", "weights"), "weights.norm", D);
      m.lm_head = borrow(prop(w, "lmHead", "weights"), "weights.lmHead", V * D);
      auto layers = prop(w, "layers", "weights");
      if (!layers.IsArray() || layers.As<Napi::Array>().Length() != (uint32_t)s.layers)
        throw std::invalid_argument("weights.layers must be an array of " + std::to_string(s.layers) + " layers");
      for (int l = 0; l < s.layers; l++) {
        const std::string where = "weights.layers[" + std::to_string(l) + "]";
        auto lo = object_arg(layers.As<Napi::Array>().Get((uint32_t)l), where);
        std::array<const float*, quant::LAYER_TENSORS> ptrs{};
        for (int t = 0; t < quant::LAYER_TENSORS; t++)
          ptrs[t] = borrow(prop(lo, LAYER_KEYS[t], where), where + "." + LAYER_KEYS[t], quant::layer_tensor_size(s, t));
        m.layers.push_back(ptrs);
      }
      runner_ = std::make_shared<quant::LlamaRunner>(std::move(m));
      return info.Env().Undefined();
    });
  }

 private:
  Napi::Value Forward(const Napi::CallbackInfo& info) {
    return guarded(info, "forward", [&]() -> Napi::Value {
      ForwardOptions f = forward_args(info, "forward");
      auto t0 = std::chrono::steady_clock::now();
      auto r = runner_->forward(f.backend, f.rq);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      return result_to_js(info.Env(), r, ms, f.backend);
    });
  }
  Napi::Value ForwardAsync(const Napi::CallbackInfo& info) {
    return guarded(info, "forwardAsync", [&]() -> Napi::Value {
      ForwardOptions f = forward_args(info, "forwardAsync");
      auto* w = new ForwardWorker(info.Env(), runner_, std::move(f), info.This().As<Napi::Object>());
      auto p = w->promise();
      w->Queue();
      return p;
    });
  }
  std::shared_ptr<quant::LlamaRunner> runner_;
  std::vector<Napi::Reference<Napi::Float32Array>> refs_;  // the borrowed weights stay alive with this object
};

}  // namespace

Napi::Function DefineLlamaRunner(Napi::Env env) { return LlamaRunnerWrap::Define(env); }
