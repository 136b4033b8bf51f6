// zkllm-kit public API.
export { fr, FR_MODULUS } from './fr';
export type { FrElementwiseOp } from './fr';
export { g1, G1_POINT_BYTES } from './g1';
export type { G1Point, G1ElementwiseOp } from './g1';
export { Transcript } from './transcript';
export { commitments, DEFAULT_GENERATOR_LABEL, MAX_GEN_DIM } from './commit';
export type { PedersenGenerators, TensorCommitment, CommitOptions, GeneratorOptions, GeneratorSource } from './commit';
export { prove, verify, checkProof, checkSumchecksOnly, PROOF_OPS } from './proof';
export type { ProofOp, ProveSpec, Statement, ProofResult, FinalEvalClaim, ProofCheck, SumcheckCheck, WitnessTensors, CommittedWitness, AttentionParams, ProofLookup } from './proof';
// The same off the main thread (a worker), for notebooks: src/async/.
export { proveAsync, verifyAsync, checkProofAsync, commitAsync, stopProofWorker } from './async/proof-async';
export type { AsyncOptions, AsyncProgress } from './async/proof-async';
export { info, calibrate } from './system';
export { bench, BenchParamError, HostMemoryError, type BenchSpec, type BenchResult, type BenchOp, type BenchOptions, type BenchProgress } from './benchmark';
export type { KitInfo, CalibrationResult } from './system';
// zkllm zkattn (src/zkattn/): loaded on the first call, because it reads acc/ (the top floor), which
// itself imports this module.
import type { ZkattnSpec, ZkattnOptions, ZkattnResult } from './zkattn';
export type { ZkattnSpec, ZkattnOptions, ZkattnResult, ZkattnProgress, ZkattnProofRecord, ZkattnFigures, AnchorFormula, PhaseGroups } from './zkattn';
/** Proves a model's attention under a quantization configuration (`zkllm zkattn`; README "zkAttn"). */
export function zkattn(spec: ZkattnSpec, opts?: ZkattnOptions): Promise<ZkattnResult> {
  return (require('./zkattn') as typeof import('./zkattn')).zkattn(spec, opts);
}
export { setDefaultBackend, getDefaultBackend } from './backend';
export type { Backend, BackendOption } from './backend';
// Accuracy experiments (acc/): quantized LLaMA forwards, the zkAttn softmax and its tlookup cost.
export { NativeLlamaModelRunner } from './llama-runner';
export type { NativeRunnerOptions } from './llama-runner';
export type { LlamaShape, NativeLlamaWeights, NativeQuantConfig, NativeForwardResult, NativeAttentionCapture } from './bindings/native-quant';
// What the checks before any work throw and use (acc/ shares them).
export { MemoryLimitError, checkHostMemory, formatBytes, hostMemory } from './memory';
export type { HostMemory } from './memory';
export { EnvironmentError } from './environment';
export { describeValue } from './describe';
