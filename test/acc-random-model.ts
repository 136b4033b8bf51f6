// Seeded random LLaMA weights for the accuracy tests (not a test file itself).

import type { LlamaModel } from "../acc/checkpoint";
import { buildLlamaModel } from "../acc/weights-builder";
import type { LlamaConfig } from "../acc/llama-config";

export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function randomLlamaModel(config: LlamaConfig, seed: number, scale = 0.5): LlamaModel {
  const rand = seededUniform(seed);
  const matrix = (rows: number, cols: number) => {
    const a = new Float32Array(rows * cols);
    for (let i = 0; i < a.length; i++) a[i] = (rand() * 2 - 1) * scale;
    return a;
  };
  const norm = (n: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = 0.5 + rand();
    return a;
  };
  return buildLlamaModel(config, { matrix, norm });
}
