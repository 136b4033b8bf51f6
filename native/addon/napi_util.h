// Argument checking and error translation shared by the N-API wrappers. Every wrapper body runs
// inside `guarded`, so any C++ exception reaches JS as an Error with its message, never an abort.
#pragma once
#include <napi.h>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>
#include "../backend/backend.h"
#include "../codec/scalar_codec.h"

template <class F>
Napi::Value guarded(const Napi::CallbackInfo& info, const char* fn, F&& body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(info.Env(), std::string(fn) + ": out of host memory");
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string(fn) + ": " + e.what());
  }
}

inline void need_args(const Napi::CallbackInfo& info, size_t n, const char* fn) {
  if (info.Length() < n)
    throw std::invalid_argument(std::string("expected ") + std::to_string(n) + " arguments to " + fn);
}

// A bigint in [0, 2^256) as raw little-endian limbs; throws for negatives and wider values.
inline Fr raw_u256(const Napi::Value& v, const std::string& what) {
  if (!v.IsBigInt()) throw std::invalid_argument(what + " must be a bigint");
  int sign = 0;
  size_t words = 4;
  uint64_t w[4] = {0, 0, 0, 0};
  v.As<Napi::BigInt>().ToWords(&sign, &words, w);
  if (sign) throw std::invalid_argument(what + " is negative");
  if (words > 4) throw std::invalid_argument(what + " is not below p (wider than 256 bits)");
  Fr raw;
  for (int i = 0; i < 4; i++) raw.v[i] = w[i];
  return raw;
}
inline Fr fr_arg(const Napi::Value& v, const std::string& what) {
  Fr raw = raw_u256(v, what);
  if (!raw.raw_less_than_modulus()) throw std::invalid_argument(what + " is not below the field modulus p");
  return Fr::from_canonical_raw(raw);
}
inline Napi::BigInt fr_to_bigint(Napi::Env env, const Fr& x) {
  Fr c = x.to_canonical_raw();
  return Napi::BigInt::New(env, 0, 4, c.v);
}

// A Uint8Array whose length is a multiple of `unit` (and equal to `unit * count` when count > 0).
inline Napi::Uint8Array bytes_arg(const Napi::Value& v, const std::string& what, size_t unit, size_t count = 0) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw std::invalid_argument(what + " must be a Uint8Array");
  auto a = v.As<Napi::Uint8Array>();
  if (a.ByteLength() % unit)
    throw std::invalid_argument(what + " has " + std::to_string(a.ByteLength()) + " bytes, not a multiple of " +
                                std::to_string(unit));
  if (count && a.ByteLength() != unit * count)
    throw std::invalid_argument(what + " has " + std::to_string(a.ByteLength()) + " bytes, expected " +
                                std::to_string(unit * count));
  return a;
}

inline std::string string_arg(const Napi::Value& v, const std::string& what) {
  if (!v.IsString()) throw std::invalid_argument(what + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

inline Backend backend_arg(const Napi::Value& v) { return resolve_backend(string_arg(v, "backend")); }

inline Napi::Uint8Array new_bytes(Napi::Env env, size_t n) { return Napi::Uint8Array::New(env, n); }

// Fr vectors as canonical 32-byte little-endian blocks, both ways.
inline std::vector<Fr> fr_vector(const Napi::Uint8Array& a, const std::string& what) {
  size_t n = a.ByteLength() / 32;
  std::vector<Fr> xs(n);
  for (size_t i = 0; i < n; i++) xs[i] = fr_from_bytes(a.Data() + 32 * i, what + "[" + std::to_string(i) + "]");
  return xs;
}

inline Napi::Uint8Array fr_vector_bytes(Napi::Env env, const std::vector<Fr>& xs) {
  auto out = new_bytes(env, 32 * xs.size());
  for (size_t i = 0; i < xs.size(); i++) fr_to_bytes(xs[i], out.Data() + 32 * i);
  return out;
}

// Object fields, numbers, integers, typed arrays.
inline Napi::Value prop(const Napi::Object& o, const char* name, const std::string& where) {
  if (!o.Has(name)) throw std::invalid_argument(where + ": missing \"" + name + "\"");
  return o.Get(name);
}
inline Napi::Object object_arg(const Napi::Value& v, const std::string& what) {
  if (!v.IsObject() || v.IsArray() || v.IsTypedArray()) throw std::invalid_argument(what + " must be an object");
  return v.As<Napi::Object>();
}
inline double number_of(const Napi::Value& v, const std::string& what) {
  if (!v.IsNumber()) throw std::invalid_argument(what + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throw std::invalid_argument(what + " must be finite");
  return d;
}
inline int int_of(const Napi::Value& v, const std::string& what) {
  double d = number_of(v, what);
  if (d != std::floor(d) || std::fabs(d) > 2147483647.0) throw std::invalid_argument(what + " must be an integer");
  return (int)d;
}
inline int int_prop(const Napi::Object& o, const char* name, const std::string& where) {
  return int_of(prop(o, name, where), where + "." + name);
}
inline std::vector<int> int_list(const Napi::Value& v, const std::string& what) {
  if (!v.IsArray()) throw std::invalid_argument(what + " must be an array of integers");
  auto a = v.As<Napi::Array>();
  if (a.Length() > 64) throw std::invalid_argument(what + " is too long");
  std::vector<int> out(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) out[i] = int_of(a.Get(i), what + "[" + std::to_string(i) + "]");
  return out;
}
inline bool bool_opt(const Napi::Object& o, const char* name) {
  if (!o.Has(name) || o.Get(name).IsUndefined()) return false;
  if (!o.Get(name).IsBoolean()) throw std::invalid_argument(std::string("option ") + name + " must be a boolean");
  return o.Get(name).As<Napi::Boolean>().Value();
}

template <class T>
inline Napi::TypedArrayOf<T> typed_arg(const Napi::Value& v, const std::string& what, size_t count) {
  const napi_typedarray_type want = std::is_same<T, float>::value     ? napi_float32_array
                                    : std::is_same<T, int64_t>::value ? napi_bigint64_array
                                    : std::is_same<T, int32_t>::value ? napi_int32_array
                                                                      : napi_uint32_array;
  const char* name = want == napi_float32_array ? "Float32Array" : want == napi_bigint64_array ? "BigInt64Array"
                   : want == napi_int32_array   ? "Int32Array"
                                                : "Uint32Array";
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != want) throw std::invalid_argument(what + " must be a " + name);
  auto a = v.As<Napi::TypedArrayOf<T>>();
  if (count != SIZE_MAX && a.ElementLength() != count)
    throw std::invalid_argument(what + " has " + std::to_string(a.ElementLength()) + " elements, expected " + std::to_string(count));
  return a;
}

template <class T>
inline Napi::TypedArrayOf<T> to_typed(Napi::Env env, const std::vector<T>& v) {
  auto a = Napi::TypedArrayOf<T>::New(env, v.size());
  std::copy(v.begin(), v.end(), a.Data());
  return a;
}

inline uint64_t u64_field(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return 0;
  if (!v.IsNumber()) throw std::invalid_argument(std::string("'") + key + "' must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d != (double)(uint64_t)d || d > 9007199254740991.0)
    throw std::invalid_argument(std::string("'") + key + "' must be a non-negative integer");
  return (uint64_t)d;
}
