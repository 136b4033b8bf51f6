// Registration table of the zkllm native addon: names only, no logic.
#include "api.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  const struct {
    const char* name;
    Napi::Value (*fn)(const Napi::CallbackInfo&);
  } table[] = {
      {"frAdd", FrAdd},
      {"frSub", FrSub},
      {"frMul", FrMul},
      {"frInv", FrInv},
      {"frBatchInverse", FrBatchInverse},
      {"frElementwise", FrElementwise},
      {"g1Generator", G1Generator},
      {"g1Add", G1Add},
      {"g1Double", G1Double},
      {"g1Mul", G1Mul},
      {"g1Msm", G1Msm},
      {"g1Elementwise", G1Elementwise},
      {"info", Info},
      {"calibrate", Calibrate},
      {"benchMsm", BenchMsm},
      {"proofOps", ProofOps},
      {"proofProve", ProofProve},
      {"proofVerify", ProofVerify},
      {"commitGenerators", CommitGenerators},
      {"commitTensor", CommitTensor},
      {"zkAttnTables", ZkAttnTables},
      {"zkAttnDigits", ZkAttnDigits},
      {"quantSoftmax", QuantSoftmax},
  };
  for (const auto& e : table) exports.Set(e.name, Napi::Function::New(env, e.fn, e.name));
  const struct {
    const char* name;
    Napi::Function (*define)(Napi::Env);
  } classes[] = {
      {"Transcript", DefineTranscript},
      {"LlamaRunner", DefineLlamaRunner},
  };
  for (const auto& c : classes) exports.Set(c.name, c.define(env));
  return exports;
}

NODE_API_MODULE(zkllm, Init)
