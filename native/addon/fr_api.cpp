// fr.add/sub/mul/inv on single bigints, and batches on packed 32-byte canonical scalars.
#include <vector>
#include "api.h"
#include "napi_util.h"

namespace {
Napi::Value fr_binary(const Napi::CallbackInfo& info, const char* fn, FrOp op) {
  return guarded(info, fn, [&]() -> Napi::Value {
    need_args(info, 2, fn);
    Fr a = fr_arg(info[0], "a"), b = fr_arg(info[1], "b");
    Fr r;
    fr_elementwise(Backend::Cpu, op, &a, &b, &r, 1);
    return fr_to_bigint(info.Env(), r);
  });
}

}  // namespace

Napi::Value FrAdd(const Napi::CallbackInfo& info) { return fr_binary(info, "fr.add", FrOp::Add); }
Napi::Value FrSub(const Napi::CallbackInfo& info) { return fr_binary(info, "fr.sub", FrOp::Sub); }
Napi::Value FrMul(const Napi::CallbackInfo& info) { return fr_binary(info, "fr.mul", FrOp::Mul); }

Napi::Value FrInv(const Napi::CallbackInfo& info) {
  return guarded(info, "fr.inv", [&]() -> Napi::Value {
    need_args(info, 1, "fr.inv");
    Fr a = fr_arg(info[0], "a");
    if (a.is_zero()) throw std::invalid_argument("zero has no inverse");
    return fr_to_bigint(info.Env(), a.inv());
  });
}

// (bytes: Uint8Array of 32·n canonical scalars, backend) -> Uint8Array of their inverses
Napi::Value FrBatchInverse(const Napi::CallbackInfo& info) {
  return guarded(info, "fr.batchInverse", [&]() -> Napi::Value {
    need_args(info, 2, "fr.batchInverse");
    auto xs = fr_vector(bytes_arg(info[0], "xs", 32), "xs");
    Backend b = backend_arg(info[1]);
    for (size_t i = 0; i < xs.size(); i++)
      if (xs[i].is_zero()) throw std::invalid_argument("xs[" + std::to_string(i) + "] is zero and has no inverse");
    fr_batch_inverse(b, xs.data(), xs.size());
    return fr_vector_bytes(info.Env(), xs);
  });
}

// (op: 'add'|'sub'|'mul'|'inv', x: bytes, y: bytes|null, backend) -> bytes
Napi::Value FrElementwise(const Napi::CallbackInfo& info) {
  return guarded(info, "fr.elementwise", [&]() -> Napi::Value {
    need_args(info, 4, "fr.elementwise");
    std::string name = string_arg(info[0], "op");
    FrOp op = name == "add" ? FrOp::Add : name == "sub" ? FrOp::Sub : name == "mul" ? FrOp::Mul
            : name == "inv" ? FrOp::Inv : throw std::invalid_argument("unknown op '" + name + "'");
    auto x = fr_vector(bytes_arg(info[1], "x", 32), "x");
    std::vector<Fr> y;
    if (op != FrOp::Inv) {
      y = fr_vector(bytes_arg(info[2], "y", 32), "y");
      if (y.size() != x.size())
        throw std::invalid_argument("x has " + std::to_string(x.size()) + " elements but y has " + std::to_string(y.size()));
    }
    Backend b = backend_arg(info[3]);
    std::vector<Fr> out(x.size());
    fr_elementwise(b, op, x.data(), op == FrOp::Inv ? nullptr : y.data(), out.data(), x.size());
    return fr_vector_bytes(info.Env(), out);
  });
}
