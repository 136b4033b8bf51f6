// proofProve / proofVerify: the sumcheck protocol ops (native/proto/ops.h) behind the JS prove and
// verify. Scalars cross as canonical 32-byte little-endian blocks.
#include <cmath>
#include <cstring>
#include "../platform/cpu_parallel.h"
#include "../codec/g1_codec.h"
#include "../proto/ops.h"
#include "../proto/zkattn_witness.h"
#include "api.h"
#include "napi_util.h"

namespace {

void read_spec(const Napi::Value& v, ProtocolParams& p, WitnessSource& w) {
  if (!v.IsObject()) throw std::invalid_argument("spec must be an object");
  auto o = v.As<Napi::Object>();
  p.op = string_arg(o.Get("op"), "op");
  p.num = u64_field(o, "num");
  p.dim = u64_field(o, "dim");
  p.dim0 = u64_field(o, "dim0");
  p.dim1 = u64_field(o, "dim1");
  p.dim2 = u64_field(o, "dim2");
  p.len = u64_field(o, "len");
  Napi::Value low = o.Get("low");
  if (!low.IsUndefined()) {
    if (!low.IsNumber()) throw std::invalid_argument("'low' must be a number");
    double d = low.As<Napi::Number>().DoubleValue();
    if (d != (double)(int64_t)d || d < -4503599627370496.0 || d > 4503599627370496.0)
      throw std::invalid_argument("'low' must be an integer of magnitude below 2^52");
    p.low = (int64_t)d;
  }
  Napi::Value att = o.Get("attention");
  if (!att.IsUndefined()) {
    const std::string where = "attention";
    auto a = object_arg(att, where);
    auto st = std::make_shared<AttentionStatement>();
    st->config = quant_config_arg(prop(a, "config", where));
    st->name = string_arg(prop(a, "name", where), where + ".name");
    st->max_table_bits = int_prop(a, "maxTableBits", where);
    st->row_sum_bits = int_prop(a, "rowSumBits", where);
    const double low = number_of(prop(a, "rowSumLow", where), where + ".rowSumLow");
    if (low != std::floor(low) || low < 0 || low > 9007199254740992.0)
      throw std::invalid_argument("attention.rowSumLow must be a non-negative integer below 2^53");
    st->row_sum_low = (int64_t)low;
    p.attention = std::move(st);
  } else if (p.op == "zkattn") {
    throw std::invalid_argument("zkattn needs 'attention' (its configuration and row-sum bound)");
  }
  if (o.Has("domain")) p.domain = string_arg(o.Get("domain"), "domain");
  p.prover.device_budget = u64_field(o, "deviceBudget");
  Napi::Value outputs = o.Get("outputs");
  p.return_outputs = !outputs.IsBoolean() || outputs.As<Napi::Boolean>().Value();
  Napi::Value commit = o.Get("commit");
  p.commit = commit.IsBoolean() && commit.As<Napi::Boolean>().Value();
  if (p.commit) {
    p.gen_dim = u64_field(o, "genDim");
    if (o.Has("genLabel")) p.gen_label = string_arg(o.Get("genLabel"), "genLabel");
  }
  Napi::Value coms = o.Get("commitments");
  if (coms.IsObject()) {
    auto c = coms.As<Napi::Object>();
    auto names = c.GetPropertyNames();
    for (uint32_t i = 0; i < names.Length(); i++) {
      std::string name = names.Get(i).As<Napi::String>().Utf8Value();
      auto b = bytes_arg(c.Get(name), "commitment '" + name + "'", G1_BYTES);
      std::vector<G1Affine> rows(b.ByteLength() / G1_BYTES);
      // each row's subgroup check is a 255-bit scalar product: decode on every thread (the first
      // bad row, in order, is the one reported)
      const uint8_t* data = b.Data();
      cpu_parallel_chunks(rows.size(), [&](size_t lo, size_t hi, size_t) {
        for (size_t k = lo; k < hi; k++)
          rows[k] = g1_decode(data + G1_BYTES * k, "commitment '" + name + "'[" + std::to_string(k) + "]");
      }, 16);
      w.commitments[name] = std::move(rows);
    }
  }
  Napi::Value tensors = o.Get("tensors");
  const bool has_tensors = !(tensors.IsUndefined() || tensors.IsNull()), has_seed = !o.Get("seed").IsUndefined();
  if (has_seed && (has_tensors || coms.IsObject()))
    throw std::invalid_argument("a witness is a seed, tensors or commitments, never two of them");
  if (coms.IsObject() && !has_tensors) {
    w.seeded = false;  // commit mode, verifier side: the witness is known only by its commitments
  } else if (!has_tensors) {
    w.seeded = true;
    w.seed = u64_field(o, "seed");
  } else {
    if (!tensors.IsObject()) throw std::invalid_argument("'tensors' must be an object of Uint8Arrays");
    w.seeded = false;
    auto t = tensors.As<Napi::Object>();
    auto names = t.GetPropertyNames();
    for (uint32_t i = 0; i < names.Length(); i++) {
      std::string name = names.Get(i).As<Napi::String>().Utf8Value();
      auto b = bytes_arg(t.Get(name), "tensor '" + name + "'", 32);
      std::vector<Fr> xs(b.ByteLength() / 32);
      for (size_t k = 0; k < xs.size(); k++)
        xs[k] = fr_from_bytes(b.Data() + 32 * k, "tensor '" + name + "'[" + std::to_string(k) + "]");
      w.tensors[name] = std::move(xs);
    }
  }
}


// Canonical scalars from bytes; false (not an exception) for a length or range problem.
bool bytes_scalars(const Napi::Value& v, std::vector<Fr>& out, const std::string& what, std::string& reason) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    return reason = what + " must be a Uint8Array", false;
  auto b = v.As<Napi::Uint8Array>();
  if (b.ByteLength() % 32) return reason = what + " length is not a multiple of 32 bytes", false;
  out.resize(b.ByteLength() / 32);
  for (size_t i = 0; i < out.size(); i++) {
    Fr raw;
    std::memcpy(raw.v, b.Data() + 32 * i, 32);
    if (!raw.raw_less_than_modulus()) return reason = what + " holds a scalar that is not below p", false;
    out[i] = Fr::from_canonical_raw(raw);
  }
  return true;
}
}  // namespace

Napi::Value ProofProve(const Napi::CallbackInfo& info) {
  return guarded(info, "prove", [&]() -> Napi::Value {
    need_args(info, 2, "prove");
    ProtocolParams p;
    WitnessSource w;
    read_spec(info[0], p, w);
    p.prover.backend = backend_arg(info[1]);
    ProtocolOutput r = prove_op(p, w);
    Napi::Env env = info.Env();
    auto o = Napi::Object::New(env);
    o.Set("claims", fr_vector_bytes(env, r.claims));
    auto evals = Napi::Array::New(env);
    for (size_t i = 0; i < r.evals.size(); i++) {
      auto e = Napi::Object::New(env);
      e.Set("tensor", r.evals[i].tensor);
      e.Set("point", fr_vector_bytes(env, r.evals[i].point));
      e.Set("value", fr_vector_bytes(env, {r.evals[i].value}));
      evals.Set(i, e);
    }
    o.Set("evals", evals);
    auto proof = new_bytes(env, r.proof.bytes.size());
    std::copy(r.proof.bytes.begin(), r.proof.bytes.end(), proof.Data());
    o.Set("proof", proof);
    auto coms = Napi::Object::New(env);
    for (auto& [name, rows] : r.commitments) {
      auto b = new_bytes(env, G1_BYTES * rows.size());
      for (size_t k = 0; k < rows.size(); k++) g1_encode(rows[k], b.Data() + G1_BYTES * k);
      coms.Set(name, b);
    }
    o.Set("commitments", coms);
    auto phases = Napi::Object::New(env);
    for (auto& [name, ms] : r.phases_ms) phases.Set(name, ms);
    o.Set("phasesMs", phases);
    auto outs = Napi::Object::New(env);
    for (auto& [name, v] : r.int_outputs) {
      auto arr = Napi::BigInt64Array::New(env, v.size());
      std::copy(v.begin(), v.end(), arr.Data());
      outs.Set(name, arr);
    }
    o.Set("outputs", outs);
    auto lookups = Napi::Array::New(env);
    for (size_t i = 0; i < r.lookups.size(); i++) {
      auto l = Napi::Object::New(env);
      l.Set("stage", r.lookups[i].stage);
      l.Set("tableBits", r.lookups[i].table_bits);
      l.Set("entries", (double)r.lookups[i].entries);
      lookups.Set((uint32_t)i, l);
    }
    o.Set("lookups", lookups);
    return o;
  });
}

// (spec, claims, evals, proof, 'full' | 'sumchecks') -> { ok, reason }; malformed proofs are a false,
// not a throw.
Napi::Value ProofVerify(const Napi::CallbackInfo& info) {
  return guarded(info, "verify", [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    auto result = [&](bool ok, const std::string& reason) {
      auto o = Napi::Object::New(env);
      o.Set("ok", ok);
      o.Set("reason", reason);
      return o;
    };
    std::string reason;
    try {
      need_args(info, 5, "verify");
      ProtocolParams p;
      WitnessSource w;
      read_spec(info[0], p, w);
      std::vector<Fr> claims;
      if (!bytes_scalars(info[1], claims, "claims", reason)) return result(false, reason);
      if (!info[2].IsArray()) return result(false, "evals must be an array");
      auto arr = info[2].As<Napi::Array>();
      std::vector<FinalEval> evals;
      for (uint32_t i = 0; i < arr.Length(); i++) {
        if (!arr.Get(i).IsObject()) return result(false, "evals[" + std::to_string(i) + "] is not an object");
        auto e = arr.Get(i).As<Napi::Object>();
        FinalEval fe;
        if (!e.Get("tensor").IsString()) return result(false, "evals[" + std::to_string(i) + "].tensor is not a string");
        fe.tensor = e.Get("tensor").As<Napi::String>().Utf8Value();
        std::vector<Fr> value;
        if (!bytes_scalars(e.Get("point"), fe.point, "evals point", reason) ||
            !bytes_scalars(e.Get("value"), value, "evals value", reason))
          return result(false, reason);
        if (value.size() != 1) return result(false, "evals value must be one scalar");
        fe.value = value[0];
        evals.push_back(std::move(fe));
      }
      if (!info[3].IsTypedArray() || info[3].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
        return result(false, "proof must be a Uint8Array");
      auto pb = info[3].As<Napi::Uint8Array>();
      std::vector<uint8_t> proof(pb.Data(), pb.Data() + pb.ByteLength());
      if (!info[4].IsString()) return result(false, "verification mode must be 'full' or 'sumchecks'");
      const std::string mode = info[4].As<Napi::String>().Utf8Value();
      if (mode != "full" && mode != "sumchecks") return result(false, "verification mode must be 'full' or 'sumchecks'");
      bool ok = verify_op(p, w, claims, evals, proof, mode == "full" ? VerifyMode::Full : VerifyMode::SumchecksOnly, reason);
      return result(ok, ok ? "" : reason);
    } catch (const std::exception& e) {
      return result(false, e.what());
    }
  });
}

// The op registry (native/proto/ops.h): [{ name, sizes, requiredTensors, optionalTensors }].
Napi::Value ProofOps(const Napi::CallbackInfo& info) {
  return guarded(info, "proofOps", [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    auto list = Napi::Array::New(env);
    static const char* kinds[] = {"stacked", "matmul", "lookup", "batch", "attention"};
    auto names = [&](const std::vector<std::string>& xs) {
      auto a = Napi::Array::New(env);
      for (uint32_t i = 0; i < xs.size(); i++) a.Set(i, xs[i]);
      return a;
    };
    uint32_t i = 0;
    for (const auto& e : op_registry()) {
      auto o = Napi::Object::New(env);
      o.Set("name", e.name);
      o.Set("sizes", kinds[static_cast<int>(e.sizes)]);
      o.Set("requiredTensors", names(e.required_tensors));
      o.Set("optionalTensors", names(e.optional_tensors));
      list.Set(i++, o);
    }
    return list;
  });
}
