// Every function and class the addon exports; addon.cpp maps them to their JS names.
#pragma once
#include <napi.h>
#include "../quant/quant_config.h"

// A quantization config object as acc/quant-config.ts toNativeQuantConfig writes it.
quant::QuantConfig quant_config_arg(const Napi::Value& v);

Napi::Value FrAdd(const Napi::CallbackInfo&);
Napi::Value FrSub(const Napi::CallbackInfo&);
Napi::Value FrMul(const Napi::CallbackInfo&);
Napi::Value FrInv(const Napi::CallbackInfo&);
Napi::Value FrBatchInverse(const Napi::CallbackInfo&);
Napi::Value FrElementwise(const Napi::CallbackInfo&);
Napi::Value G1Generator(const Napi::CallbackInfo&);
Napi::Value G1Add(const Napi::CallbackInfo&);
Napi::Value G1Double(const Napi::CallbackInfo&);
Napi::Value G1Mul(const Napi::CallbackInfo&);
Napi::Value G1Msm(const Napi::CallbackInfo&);
Napi::Value G1Elementwise(const Napi::CallbackInfo&);
Napi::Value Info(const Napi::CallbackInfo&);
Napi::Value Calibrate(const Napi::CallbackInfo&);
Napi::Value BenchMsm(const Napi::CallbackInfo&);
Napi::Value ProofProve(const Napi::CallbackInfo&);
Napi::Value ProofVerify(const Napi::CallbackInfo&);
Napi::Value ProofOps(const Napi::CallbackInfo&);
Napi::Value CommitGenerators(const Napi::CallbackInfo&);
Napi::Value CommitTensor(const Napi::CallbackInfo&);
Napi::Value ZkAttnTables(const Napi::CallbackInfo&);
Napi::Value ZkAttnDigits(const Napi::CallbackInfo&);
Napi::Value QuantSoftmax(const Napi::CallbackInfo&);

// Classes: each returns its constructor.
Napi::Function DefineTranscript(Napi::Env env);
Napi::Function DefineLlamaRunner(Napi::Env env);
