// zkllm-kit/sweep: parameter sweeps whose points are appended to JSON-lines results, resumable and
// shardable (zkllm sweep), and the files' reader and merger (zkllm report).
export { runSweep } from './run-sweep';
export type { SweepOptions, SweepSummary } from './run-sweep';
export { checkSweepSpec, expandSweep, describePoint } from './sweep-spec';
export type { SweepSpec, SweepPoint, ProvePoint, AccPoint, CalibratePoint, ProveGrid, AccGrid } from './sweep-spec';
export { pointKey, canonicalJson } from './point-key';
export { readResults, appendResult, mergeRecords } from './results-file';
export type { ResultRecord, RecordEnv, LineProblem } from './results-file';
export { parseShard, shardOf } from './shard';
export type { Shard } from './shard';
export { runPoint, proveSpecOf } from './run-point';
export type { ProveResult, AccResult, CalibrateResult } from './run-point';
