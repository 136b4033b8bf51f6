// JS class Transcript wrapping the native Fiat–Shamir transcript.
#include <memory>
#include "../proto/transcript.h"
#include "api.h"
#include "napi_util.h"

namespace {
class TranscriptWrap : public Napi::ObjectWrap<TranscriptWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Transcript",
                       {InstanceMethod("absorb", &TranscriptWrap::Absorb),
                        InstanceMethod("absorbScalar", &TranscriptWrap::AbsorbScalar),
                        InstanceMethod("challenge", &TranscriptWrap::Challenge),
                        InstanceMethod("challengeBytes", &TranscriptWrap::ChallengeBytes)});
  }
  explicit TranscriptWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TranscriptWrap>(info) {
    guarded(info, "new Transcript", [&]() -> Napi::Value {
      need_args(info, 1, "new Transcript");
      t_ = std::make_unique<Transcript>(string_arg(info[0], "domain"));
      return info.Env().Undefined();
    });
  }

 private:
  Napi::Value Absorb(const Napi::CallbackInfo& info) {
    return guarded(info, "transcript.absorb", [&]() -> Napi::Value {
      need_args(info, 2, "transcript.absorb");
      std::string label = string_arg(info[0], "label");
      auto data = bytes_arg(info[1], "data", 1);
      t_->absorb(label, data.Data(), data.ByteLength());
      return info.Env().Undefined();
    });
  }
  Napi::Value AbsorbScalar(const Napi::CallbackInfo& info) {
    return guarded(info, "transcript.absorbScalar", [&]() -> Napi::Value {
      need_args(info, 2, "transcript.absorbScalar");
      std::string label = string_arg(info[0], "label");
      t_->absorb_fr(label, fr_arg(info[1], "value"));
      return info.Env().Undefined();
    });
  }
  Napi::Value Challenge(const Napi::CallbackInfo& info) {
    return guarded(info, "transcript.challenge", [&]() -> Napi::Value {
      need_args(info, 1, "transcript.challenge");
      return fr_to_bigint(info.Env(), t_->challenge_fr(string_arg(info[0], "label")));
    });
  }
  Napi::Value ChallengeBytes(const Napi::CallbackInfo& info) {
    return guarded(info, "transcript.challengeBytes", [&]() -> Napi::Value {
      need_args(info, 1, "transcript.challengeBytes");
      auto out = new_bytes(info.Env(), 32);
      t_->challenge_bytes(string_arg(info[0], "label"), out.Data());
      return out;
    });
  }
  std::unique_ptr<Transcript> t_;
};
}  // namespace

Napi::Function DefineTranscript(Napi::Env env) { return TranscriptWrap::Define(env); }
