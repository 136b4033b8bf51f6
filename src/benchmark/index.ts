// zkllm bench as a library: bench() and what it reports (see run-bench.ts).
export { bench, median } from './run-bench';
export type { BenchResult, BenchRepeat, BenchFigure, BenchOptions, BenchProgress } from './run-bench';
export { BENCH_OPS, BenchParamError, checkBenchSpec } from './bench-params';
export type { BenchOp, BenchSpec } from './bench-params';
export { HostMemoryError, checkBenchMemory } from './host-memory';
export type { Floor, WorkTerm, Ceilings } from './roofline';
export type { AnchorFigure } from './anchor-timers';
export type { PhaseTime, PhaseRole } from './phase-roles';
