// G1 operations on 96-byte ZCash-encoded affine points.
#include <vector>
#include "../codec/g1_codec.h"
#include "../platform/cpu_parallel.h"
#include "api.h"
#include "napi_util.h"

namespace {
G1Affine point_arg(const Napi::Value& v, const std::string& what) {
  auto b = bytes_arg(v, what, G1_BYTES, 1);
  return g1_decode(b.Data(), what);
}
Napi::Uint8Array point_bytes(Napi::Env env, const G1Affine& p) {
  auto out = new_bytes(env, G1_BYTES);
  g1_encode(p, out.Data());
  return out;
}
// Decodes n packed points, checking curve and subgroup membership on all cores.
std::vector<G1Affine> points_arg(const Napi::Value& v, const std::string& what) {
  auto b = bytes_arg(v, what, G1_BYTES);
  size_t n = b.ByteLength() / G1_BYTES;
  std::vector<G1Affine> pts(n);
  const uint8_t* data = b.Data();
  cpu_parallel_chunks(
      n,
      [&](size_t lo, size_t hi, size_t) {
        for (size_t i = lo; i < hi; i++) pts[i] = g1_decode(data + G1_BYTES * i, what + "[" + std::to_string(i) + "]");
      },
      8);
  return pts;
}
}  // namespace

Napi::Value G1Generator(const Napi::CallbackInfo& info) {
  return guarded(info, "g1.generator", [&]() -> Napi::Value { return point_bytes(info.Env(), g1_generator()); });
}

Napi::Value G1Add(const Napi::CallbackInfo& info) {
  return guarded(info, "g1.add", [&]() -> Napi::Value {
    need_args(info, 2, "g1.add");
    G1Affine p = point_arg(info[0], "P"), q = point_arg(info[1], "Q");
    return point_bytes(info.Env(), G1Jacobian::from_affine(p).add_mixed(q).to_affine());
  });
}

Napi::Value G1Double(const Napi::CallbackInfo& info) {
  return guarded(info, "g1.double", [&]() -> Napi::Value {
    need_args(info, 1, "g1.double");
    return point_bytes(info.Env(), G1Jacobian::from_affine(point_arg(info[0], "P")).dbl().to_affine());
  });
}

Napi::Value G1Mul(const Napi::CallbackInfo& info) {
  return guarded(info, "g1.mul", [&]() -> Napi::Value {
    need_args(info, 2, "g1.mul");
    G1Affine p = point_arg(info[0], "P");
    ScalarRaw k = scalar_raw(fr_arg(info[1], "k"));
    return point_bytes(info.Env(), G1Jacobian::mul_raw(p, k.v, 4).to_affine());
  });
}

// (points: 96·n bytes, scalars: 32·n canonical bytes, backend) -> 96 bytes
Napi::Value G1Msm(const Napi::CallbackInfo& info) {
  return guarded(info, "g1.msm", [&]() -> Napi::Value {
    need_args(info, 3, "g1.msm");
    auto sb = bytes_arg(info[1], "scalars", 32);
    size_t n = sb.ByteLength() / 32;
    auto pts = points_arg(info[0], "points");
    if (pts.size() != n)
      throw std::invalid_argument(std::to_string(pts.size()) + " points but " + std::to_string(n) + " scalars");
    std::vector<ScalarRaw> ks(n);
    for (size_t i = 0; i < n; i++) ks[i] = scalar_raw(fr_from_bytes(sb.Data() + 32 * i, "scalars[" + std::to_string(i) + "]"));
    Backend b = backend_arg(info[2]);
    return point_bytes(info.Env(), g1_msm(b, pts.data(), ks.data(), n).to_affine());
  });
}

// (op: 'add'|'double'|'mul', P: 96·n bytes, Q: 96·n bytes | scalars 32·n | null, backend) -> 96·n bytes
Napi::Value G1Elementwise(const Napi::CallbackInfo& info) {
  return guarded(info, "g1.elementwise", [&]() -> Napi::Value {
    need_args(info, 4, "g1.elementwise");
    std::string name = string_arg(info[0], "op");
    G1Op op = name == "add" ? G1Op::Add : name == "double" ? G1Op::Double : name == "mul" ? G1Op::Mul
            : throw std::invalid_argument("unknown op '" + name + "'");
    auto p = points_arg(info[1], "P");
    std::vector<G1Affine> q;
    std::vector<ScalarRaw> k;
    if (op == G1Op::Add) q = points_arg(info[2], "Q");
    if (op == G1Op::Mul) {
      auto kb = bytes_arg(info[2], "k", 32);
      for (size_t i = 0; i < kb.ByteLength() / 32; i++)
        k.push_back(scalar_raw(fr_from_bytes(kb.Data() + 32 * i, "k[" + std::to_string(i) + "]")));
    }
    size_t second = op == G1Op::Add ? q.size() : op == G1Op::Mul ? k.size() : p.size();
    if (second != p.size())
      throw std::invalid_argument("P has " + std::to_string(p.size()) + " elements but the second operand has " +
                                  std::to_string(second));
    Backend b = backend_arg(info[3]);
    std::vector<G1Affine> out(p.size());
    g1_elementwise(b, op, p.data(), q.empty() ? nullptr : q.data(), k.empty() ? nullptr : k.data(), out.data(), p.size());
    auto bytes = new_bytes(info.Env(), G1_BYTES * out.size());
    for (size_t i = 0; i < out.size(); i++) g1_encode(out[i], bytes.Data() + G1_BYTES * i);
    return bytes;
  });
}
