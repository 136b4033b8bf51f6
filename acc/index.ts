// zkllm-kit/acc: the accuracy experiments' public API (quantized LLaMA forwards, the zkAttn
// softmax, perplexity, and what each configuration's tlookups cost). `import … from 'zkllm-kit/acc'`.
// runAccuracyExperiment and runOnWindows are already asynchronous: each forward runs on a native
// worker (LlamaRunner.forwardAsync), so a notebook's event loop stays free, and onProgress reports
// every window and configuration.
export { runAccuracyExperiment, runOnWindows, expandConfigs, loadWindows, formatExperiment } from './experiment';
export type { ExperimentOptions, ExperimentResult, ConfigOutcome, LayerOutcome, ExperimentProgress, PerplexityChange } from './experiment';
export { QUANT_PRESETS, SWEEP_PRESETS, resolveQuantConfig, probabilityBits, isProvable } from './quant-config';
export type { QuantConfig, QuantConfigInput, ZkAttnSoftmaxConfig, FloatExpSoftmaxConfig } from './quant-config';
export { tlookupAccounting, describeAccount } from './tlookup-accounting';
export type { TlookupAccount, TlookupItem } from './tlookup-accounting';
export { DEFAULT_COST_MODEL, itemCost, parseCostModel } from './tlookup-cost';
export type { TlookupCostModel } from './tlookup-cost';
export { findFrontier, describeFrontier, DEFAULT_MAX_DELTA_PPL } from './frontier';
export type { Frontier, FrontierPick } from './frontier';
export { rowSumBound } from './zkattn-bound';
export { zkattnParams } from './zkattn-params';
export type { RowSumBound } from './zkattn-bound';
export type { PerplexitySummary } from './metrics';
export { LlamaRunner } from './llama-runner';
export { loadLlamaModel } from './checkpoint';
export type { LlamaModel } from './checkpoint';
export type { LlamaConfig } from './llama-config';
