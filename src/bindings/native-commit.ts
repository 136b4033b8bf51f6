// Types of the addon's commitment surface (native/addon/commit_api.cpp), merged into NativeAddon
// so that native() is typed for it.
import type { NativeBackend } from './native';

export interface NativeGeneratorOptions {
  cacheDir?: string;
  memory?: boolean;
  disk?: boolean;
}

export interface NativeGeneratorSource {
  origin: 'memory' | 'disk' | 'derived';
  cacheFile: string;
  cacheNote: string;
  ms: number;
}

declare module './native' {
  interface NativeAddon {
    commitGenerators(
      label: string,
      genDim: number,
      backend: NativeBackend,
      options?: NativeGeneratorOptions,
    ): { points: Uint8Array; q: Uint8Array; source: NativeGeneratorSource };
    commitTensor(
      values: Int32Array | readonly bigint[],
      genDim: number,
      label: string,
      backend: NativeBackend,
      options?: NativeGeneratorOptions,
    ): { rows: Uint8Array; path: 'int32' | 'field'; generators: NativeGeneratorSource; msmMs: number; totalMs: number };
  }
}
