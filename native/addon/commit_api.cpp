// Pedersen generators and row commitments (native/commit/) for JS. Points cross as packed 96-byte
// ZCash encodings; field values as bigints, quantized values as an Int32Array.
#include <cmath>
#include "../codec/g1_codec.h"
#include "../commit/generators.h"
#include "../commit/pedersen.h"
#include "../platform/cpu_parallel.h"
#include "api.h"
#include "napi_util.h"

namespace {

size_t gen_dim_arg(const Napi::Value& v) {
  if (!v.IsNumber()) throw std::invalid_argument("genDim must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 1) || d != std::floor(d) || d > double(MAX_GENERATOR_DIM))
    throw std::invalid_argument("genDim must be a power of two in [1, 2^20], got " + v.ToString().Utf8Value());
  const size_t w = (size_t)d;
  if (w & (w - 1)) throw std::invalid_argument("genDim must be a power of two, got " + std::to_string(w));
  return w;
}

// { cacheDir?: string, memory?: boolean, disk?: boolean }
GeneratorOptions generator_options(const Napi::Value& v) {
  GeneratorOptions o;
  if (v.IsUndefined() || v.IsNull()) return o;
  if (!v.IsObject()) throw std::invalid_argument("generator options must be an object");
  auto obj = v.As<Napi::Object>();
  if (obj.Has("cacheDir") && !obj.Get("cacheDir").IsUndefined()) o.cache_dir = string_arg(obj.Get("cacheDir"), "cacheDir");
  for (const char* key : {"memory", "disk"}) {
    Napi::Value f = obj.Get(key);
    if (f.IsUndefined()) continue;
    if (!f.IsBoolean()) throw std::invalid_argument(std::string(key) + " must be a boolean");
    (std::string(key) == "memory" ? o.use_memory : o.use_disk) = f.As<Napi::Boolean>().Value();
  }
  return o;
}

Napi::Object source_object(Napi::Env env, const GeneratorSource& s) {
  auto o = Napi::Object::New(env);
  o.Set("origin", s.origin);
  o.Set("cacheFile", s.cache_file);
  o.Set("cacheNote", s.cache_note);
  o.Set("ms", s.ms);
  return o;
}

Napi::Uint8Array encode_points(Napi::Env env, const G1Affine* p, size_t n) {
  auto out = new_bytes(env, G1_BYTES * n);
  uint8_t* d = out.Data();
  cpu_parallel_chunks(n, [&](size_t lo, size_t hi, size_t) {
    for (size_t i = lo; i < hi; i++) g1_encode(p[i], d + G1_BYTES * i);
  });
  return out;
}

// (label, genDim, backend, options) -> { points: 96·w bytes, q: 96 bytes, source }
}  // namespace

Napi::Value CommitGenerators(const Napi::CallbackInfo& info) {
  return guarded(info, "commitments.generators", [&]() -> Napi::Value {
    need_args(info, 3, "commitments.generators");
    const std::string label = string_arg(info[0], "label");
    const size_t w = gen_dim_arg(info[1]);
    const Backend b = backend_arg(info[2]);
    GeneratorSource src;
    auto gens = pedersen_generators(label, w, b, generator_options(info[3]), &src);
    Napi::Env env = info.Env();
    auto o = Napi::Object::New(env);
    o.Set("points", encode_points(env, gens->g.data(), w));
    o.Set("q", encode_points(env, &gens->q, 1));
    o.Set("source", source_object(env, src));
    return o;
  });
}

// (values: Int32Array | bigint[], genDim, label, backend, options)
//   -> { rows: 96·ceil(n/w) bytes, path: 'int32' | 'field', generators: source, msmMs, totalMs }
Napi::Value CommitTensor(const Napi::CallbackInfo& info) {
  return guarded(info, "commitments.commit", [&]() -> Napi::Value {
    need_args(info, 4, "commitments.commit");
    const size_t w = gen_dim_arg(info[1]);
    const std::string label = string_arg(info[2], "label");
    const Backend b = backend_arg(info[3]);
    const Napi::Value v = info[0];
    const bool ints = v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array;
    std::vector<ScalarRaw> raw;
    size_t n = 0;
    if (ints) {
      n = v.As<Napi::Int32Array>().ElementLength();
    } else if (v.IsArray()) {
      auto a = v.As<Napi::Array>();
      n = a.Length();
      raw.resize(n);
      for (size_t i = 0; i < n; i++) {
        const Fr x = raw_u256(a.Get(i), "values[" + std::to_string(i) + "]");
        if (!x.raw_less_than_modulus())
          throw std::invalid_argument("values[" + std::to_string(i) + "] is not below the field modulus p");
        raw[i] = {{x.v[0], x.v[1], x.v[2], x.v[3]}};
      }
    } else {
      throw std::invalid_argument("values must be an Int32Array or an array of bigints");
    }
    if (n == 0) throw std::invalid_argument("cannot commit to an empty tensor");
    GeneratorSource src;
    auto gens = pedersen_generators(label, w, b, generator_options(info[4]), &src);
    PedersenTiming t;
    std::vector<G1Affine> rows = ints ? pedersen_commit_rows(b, *gens, v.As<Napi::Int32Array>().Data(), n, &t)
                                      : pedersen_commit_rows(b, *gens, raw.data(), n, &t);
    Napi::Env env = info.Env();
    auto o = Napi::Object::New(env);
    o.Set("rows", encode_points(env, rows.data(), rows.size()));
    o.Set("path", ints ? "int32" : "field");
    o.Set("generators", source_object(env, src));
    o.Set("msmMs", t.msm_ms);
    o.Set("totalMs", t.total_ms);
    return o;
  });
}
