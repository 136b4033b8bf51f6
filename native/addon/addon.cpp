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
      {"proofProve", ProofProve},
      {"proofVerify", ProofVerify},
      {"zkAttnTables", ZkAttnTables},
      {"zkAttnDigits", ZkAttnDigits},
      {"quantSoftmax", QuantSoftmax},
  };
  for (const auto& e : table) exports.Set(e.name, Napi::Function::New(env, e.fn, e.name));
  InitCommit(env, exports);
  InitQuant(env, exports);
  return InitTranscript(env, exports);
}

NODE_API_MODULE(zkllm, Init)
