// How many heads go into one zkattn proof: as many as the host memory (and, on a GPU, the device
// budget) holds, by a model of what a zkAttn proof keeps per head, in powers of two (the prover pads
// the head axis to one). Each proof holds heads of one layer, so per-layer figures stay measured.
import { hostMemory, formatBytes, pow2, GIVEN_ELEMENT_BYTES, DEVICE_STORE_SHARE, ZKATTN_DEVICE_BYTES_PER_ELEMENT, paddedElements, type HostMemory } from '../memory';
import { info } from '../system';
import { ZkattnParamError } from './zkattn-error';

const FR = 32;
const RUN_OVERHEAD = 64 * 2 ** 20;
const MARGIN = 1.1;

/**
 * Host bytes one head of a zkattn proof needs while it is proven (an estimate, written before the
 * op's own memory model: src/memory.ts prices the other ops). Per padded score entry (m × n): the
 * logits, the shifted logits, Y and the masked Y, a digit and an output per segment, and a lookup's
 * working set (7 field elements, as tlookup-map) per tlookup over the score matrix; per padded
 * element of Q, K, V and O: 2 (as matmul); a witness given as JS values adds what src/memory.ts
 * charges for it.
 */
export function bytesPerHead(o: { m: number; n: number; d: number; segments: number; scoreLookups: number; givenTensors: boolean }): number {
  const scores = pow2(o.m) * pow2(o.n);
  const rows = (pow2(o.m) + 2 * pow2(o.n) + pow2(o.m)) * pow2(o.d);
  const fr = scores * (4 + 2 * o.segments + 7 * o.scoreLookups) + 2 * rows;
  const given = o.givenTensors ? GIVEN_ELEMENT_BYTES * (o.m + 2 * o.n) * o.d : 0;
  return FR * fr + given;
}

/** Device bytes one head keeps when the proof runs on the GPU end to end (memory.ts zkattnOnDevice). */
export function zkattnDeviceBytesPerHead(seqLen: number, headDim: number): number {
  return paddedElements('zkattn', { num: 1, dim0: seqLen, dim1: seqLen, dim2: headDim }) * ZKATTN_DEVICE_BYTES_PER_ELEMENT;
}

export interface BatchPlan {
  headsPerProof: number;
  /** What limited it: 'asked' (headsPerProof given), 'heads' (every chosen head fits), 'host memory', 'device budget'. */
  limitedBy: 'asked' | 'heads' | 'host memory' | 'device budget';
  perHeadBytes: number;
  estimatedBytes: number;
  memory: HostMemory;
}

const floorPow2 = (x: number) => (x < 1 ? 0 : 2 ** Math.floor(Math.log2(x)));

/** The heads per proof; a ZkattnParamError (exit code 2) when not even one head fits. */
export function planHeadsPerProof(o: {
  perHeadBytes: number;
  headsPerLayer: number;
  asked?: number;
  memoryLimit?: number;
  backend: 'auto' | 'cpu' | 'cuda';
  deviceBudget?: number;
  /**
   * Device bytes per head when the proof runs on the GPU end to end (plain mode: memory.ts
   * zkattnOnDevice); the host then keeps only Q, K, V, O, and the heads per proof are those whose
   * padded count fits the device store's budget (native make_tensor_store's rule).
   */
  perHeadDeviceBytes?: number;
  hostBytesOnDevice?: number;
  what: string;
}): BatchPlan {
  const memory = hostMemory(o.memoryLimit);
  const usable = memory.availableBytes / MARGIN - RUN_OVERHEAD;
  const gpu0 = info().devices[0];
  const resident = o.perHeadDeviceBytes !== undefined && (o.backend === 'cuda' || (o.backend === 'auto' && info().autoBackend === 'cuda')) && gpu0 !== undefined;
  const residentBudget = o.deviceBudget ?? (gpu0 ? DEVICE_STORE_SHARE * gpu0.memoryBytes : 0);
  const residentFit = resident ? floorPow2(Math.floor(residentBudget / (o.perHeadDeviceBytes as number))) : 0;
  if (resident && residentFit >= 1) {
    const hostPerHead = o.hostBytesOnDevice ?? o.perHeadBytes;
    const hostFitResident = Math.floor(usable / hostPerHead);
    const fit = Math.min(hostFitResident, residentFit);
    if (o.asked !== undefined && Math.min(o.asked, o.headsPerLayer) > fit)
      throw new ZkattnParamError(`zkattn: headsPerProof (--heads-per-proof) ${o.asked} does not fit the device budget; at most ${fit} heads fit`, 'headsPerProof');
    const [headsPerProof, limitedBy]: [number, BatchPlan['limitedBy']] =
      o.asked !== undefined ? [Math.min(o.asked, o.headsPerLayer), 'asked'] : fit >= o.headsPerLayer && pow2(o.headsPerLayer) <= residentFit ? [o.headsPerLayer, 'heads'] : [floorPow2(Math.min(fit, o.headsPerLayer)), 'device budget'];
    return { headsPerProof, limitedBy, perHeadBytes: hostPerHead, estimatedBytes: Math.ceil((headsPerProof * hostPerHead + RUN_OVERHEAD) * MARGIN), memory };
  }
  const hostFit = Math.floor(usable / o.perHeadBytes);
  if (hostFit < 1)
    throw new ZkattnParamError(
      `zkattn: ${o.what} needs about ${formatBytes(Math.ceil((o.perHeadBytes + RUN_OVERHEAD) * MARGIN))} of host memory for one head, more than the ${formatBytes(memory.availableBytes)} it may use under ${memory.source}; use a smaller --seq-len or raise the limit`,
      'seqLen',
    );
  const gpu = info().devices[0];
  const onGpu = o.backend === 'cuda' || (o.backend === 'auto' && info().autoBackend === 'cuda');
  const budget = onGpu ? (o.deviceBudget ?? (gpu ? 0.9 * gpu.memoryBytes : undefined)) : undefined;
  const deviceFit = budget !== undefined ? Math.floor(budget / o.perHeadBytes) : Infinity;
  if (onGpu && deviceFit < 1)
    throw new ZkattnParamError(`zkattn: one head of ${o.what} needs about ${formatBytes(o.perHeadBytes)} of device memory, more than the budget of ${formatBytes(budget as number)}; raise --device-budget or use a smaller --seq-len`, 'deviceBudget');
  let headsPerProof: number;
  let limitedBy: BatchPlan['limitedBy'];
  if (o.asked !== undefined) {
    headsPerProof = Math.min(o.asked, o.headsPerLayer);
    limitedBy = 'asked';
    if (headsPerProof > hostFit)
      throw new ZkattnParamError(`zkattn: headsPerProof (--heads-per-proof) ${o.asked}: ${headsPerProof} heads of ${o.what} need about ${formatBytes(Math.ceil((headsPerProof * o.perHeadBytes + RUN_OVERHEAD) * MARGIN))}, more than the ${formatBytes(memory.availableBytes)} available (${memory.source}); at most ${hostFit} fit`, 'headsPerProof');
    if (headsPerProof > deviceFit) throw new ZkattnParamError(`zkattn: headsPerProof (--heads-per-proof) ${o.asked} does not fit the device budget; at most ${deviceFit} heads fit`, 'headsPerProof');
  } else {
    const fit = Math.min(hostFit, deviceFit);
    if (fit >= o.headsPerLayer) [headsPerProof, limitedBy] = [o.headsPerLayer, 'heads'];
    else [headsPerProof, limitedBy] = [floorPow2(fit), hostFit <= deviceFit ? 'host memory' : 'device budget'];
  }
  return { headsPerProof, limitedBy, perHeadBytes: o.perHeadBytes, estimatedBytes: Math.ceil((headsPerProof * o.perHeadBytes + RUN_OVERHEAD) * MARGIN), memory };
}

/** The proofs: each layer's chosen heads cut into groups of at most `perProof`. */
export function planProofs(layers: number[], heads: number[], perProof: number): { layer: number; heads: number[] }[] {
  const out: { layer: number; heads: number[] }[] = [];
  for (const layer of layers) for (let i = 0; i < heads.length; i += perProof) out.push({ layer, heads: heads.slice(i, i + perProof) });
  return out;
}
