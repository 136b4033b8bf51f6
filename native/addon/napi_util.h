// Argument checking and error translation shared by the N-API wrappers. Every wrapper body runs
// inside `guarded`, so any C++ exception reaches JS as an Error with its message, never an abort.
#pragma once
#include <napi.h>
#include <stdexcept>
#include <string>
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
