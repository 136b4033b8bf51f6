// zkllm zkattn as a library: zkattn() and what it reports (run-zkattn.ts).
export { zkattn } from './run-zkattn';
export type { ZkattnResult, ZkattnOptions, ZkattnProgress, ZkattnProofRecord, ZkattnFigures } from './run-zkattn';
export type { ZkattnSpec } from './zkattn-spec';
export { ZkattnParamError, ZkattnCheckError } from './zkattn-error';
export { anchorFormula } from './anchor-formula';
export type { AnchorFormula } from './anchor-formula';
export { NAMED_SHAPES } from './model-shape';
export type { PhaseGroups } from './phase-groups';
export { formatZkattnResult, renderZkattnMarkdown, readZkattnResults } from './format-zkattn';
