// The accuracy experiments' entry point ('zkllm-kit/acc'): models, corpora, quantization configs,
// perplexity and tlookup accounting, on the public API of 'zkllm-kit'.
export { runAccuracyExperiment, runOnWindows, expandConfigs, formatExperiment } from './experiment';
export type { ExperimentOptions, ExperimentResult, ConfigOutcome, LayerOutcome, ExperimentProgress } from './experiment';
export { QUANT_PRESETS, SWEEP_PRESETS, resolveQuantConfig } from './quant-config';
export type { QuantConfig, QuantConfigInput } from './quant-config';
export { tlookupAccounting } from './tlookup-accounting';
export type { TlookupAccount, TlookupItem } from './tlookup-accounting';
export { LlamaRunner } from './llama-runner';
export { loadLlamaModel } from './checkpoint';
