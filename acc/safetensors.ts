// Reader and writer for the safetensors format (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length N, N bytes of JSON header, then the raw tensor bytes.
// Tensors are read one at a time at their offsets, so a 13 GB checkpoint never sits in one Buffer.

import * as fs from "node:fs";
import * as os from "node:os";
import { bf16ToF32Array, f16ToF32Array, f32ToBf16Array, f32ToF16Array } from "./half-precision";

/** Every dtype the safetensors specification names, with its size in bytes. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8,
};

/** The floating-point dtypes this kit converts to Float32Array. */
export type FloatDtype = "F64" | "F32" | "F16" | "BF16";
const FLOAT_DTYPES: ReadonlySet<string> = new Set(["F64", "F32", "F16", "BF16"]);

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte offset of the tensor's first byte in the file. */
  fileOffset: number;
  byteLength: number;
}

// A header larger than this is not a checkpoint header but a corrupt length field.
const MAX_HEADER_BYTES = 100 * 1024 * 1024;
// fs.readSync reads at most 2 GiB - 1 per call.
const READ_CHUNK_BYTES = 1 << 30;

function assertLittleEndianHost(): void {
  if (os.endianness() !== "LE") throw new Error("safetensors: reading requires a little-endian host");
}

export function numElements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** One safetensors file, opened for reading tensors by name. Call close() when done. */
export class SafetensorsFile {
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  readonly metadata: Readonly<Record<string, string>>;
  private fd: number | null;

  private constructor(readonly path: string, fd: number, tensors: Map<string, TensorInfo>, metadata: Record<string, string>) {
    this.fd = fd;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  static open(path: string): SafetensorsFile {
    assertLittleEndianHost();
    const fd = fs.openSync(path, "r");
    try {
      const { tensors, metadata } = readHeader(path, fd);
      return new SafetensorsFile(path, fd, tensors, metadata);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  info(name: string): TensorInfo {
    const info = this.tensors.get(name);
    if (info === undefined) throw new Error(`${this.path}: no tensor named "${name}"`);
    return info;
  }

  /** Reads a floating-point tensor and converts it to float32. */
  readFloat32(name: string): Float32Array {
    const info = this.info(name);
    if (!FLOAT_DTYPES.has(info.dtype)) {
      throw new Error(`${this.path}: tensor "${name}" has dtype ${info.dtype}; only ${[...FLOAT_DTYPES].join(", ")} can be read as floats`);
    }
    const n = numElements(info.shape);
    switch (info.dtype) {
      case "F32": {
        const out = new Float32Array(n);
        this.readBytesInto(info, new Uint8Array(out.buffer));
        return out;
      }
      case "F64": {
        const wide = new Float64Array(n);
        this.readBytesInto(info, new Uint8Array(wide.buffer));
        return Float32Array.from(wide);
      }
      case "F16":
      case "BF16": {
        const half = new Uint16Array(n);
        this.readBytesInto(info, new Uint8Array(half.buffer));
        return info.dtype === "F16" ? f16ToF32Array(half) : bf16ToF32Array(half);
      }
      default:
        throw new Error(`unreachable dtype ${info.dtype}`);
    }
  }

  private readBytesInto(info: TensorInfo, dst: Uint8Array): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    let done = 0;
    while (done < info.byteLength) {
      const want = Math.min(READ_CHUNK_BYTES, info.byteLength - done);
      const got = fs.readSync(this.fd, dst, done, want, info.fileOffset + done);
      if (got === 0) {
        throw new Error(`${this.path}: tensor "${info.name}" ends past the end of the file (truncated file?)`);
      }
      done += got;
    }
  }

  close(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}

function readHeader(path: string, fd: number): { tensors: Map<string, TensorInfo>; metadata: Record<string, string> } {
  const fileSize = fs.fstatSync(fd).size;
  if (fileSize < 8) throw new Error(`${path}: ${fileSize} bytes is too short for a safetensors file (truncated file?)`);
  const lenBuf = Buffer.alloc(8);
  fs.readSync(fd, lenBuf, 0, 8, 0);
  const headerLen = Number(lenBuf.readBigUInt64LE(0));
  if (headerLen > MAX_HEADER_BYTES || 8 + headerLen > fileSize) {
    throw new Error(`${path}: header length ${headerLen} does not fit in a file of ${fileSize} bytes (not safetensors, or truncated)`);
  }
  const headerBuf = Buffer.alloc(headerLen);
  fs.readSync(fd, headerBuf, 0, headerLen, 8);
  let header: unknown;
  try {
    header = JSON.parse(headerBuf.toString("utf8"));
  } catch (e) {
    throw new Error(`${path}: header is not valid JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw new Error(`${path}: header is not a JSON object`);
  }
  const dataStart = 8 + headerLen;
  const dataLength = fileSize - dataStart;
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    tensors.set(name, parseEntry(path, name, entry, dataStart, dataLength));
  }
  return { tensors, metadata };
}

function parseEntry(path: string, name: string, entry: unknown, dataStart: number, dataLength: number): TensorInfo {
  const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (e === null || typeof e !== "object") throw new Error(`${path}: header entry for "${name}" is not an object`);
  if (typeof e.dtype !== "string" || !(e.dtype in DTYPE_BYTES)) {
    throw new Error(`${path}: tensor "${name}" has unknown dtype ${JSON.stringify(e.dtype)}`);
  }
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`${path}: tensor "${name}" has an invalid shape ${JSON.stringify(e.shape)}`);
  }
  const offsets = e.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
    throw new Error(`${path}: tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const shape = e.shape as number[];
  const [begin, end] = offsets as [number, number];
  const expectedBytes = numElements(shape) * DTYPE_BYTES[e.dtype];
  if (end - begin !== expectedBytes) {
    throw new Error(`${path}: tensor "${name}" (${e.dtype} ${shapeString(shape)}) needs ${expectedBytes} bytes but its data_offsets span ${end - begin}`);
  }
  if (end > dataLength) {
    throw new Error(`${path}: tensor "${name}" needs bytes [${begin}, ${end}) of the data section, which has only ${dataLength} bytes (truncated file?)`);
  }
  return { name, dtype: e.dtype, shape: [...shape], fileOffset: dataStart + begin, byteLength: end - begin };
}

export interface TensorToWrite {
  name: string;
  shape: readonly number[];
  data: Float32Array | Float64Array;
  dtype: FloatDtype;
}

function encodeTensor(t: TensorToWrite): Uint8Array {
  switch (t.dtype) {
    case "F32": {
      const a = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
      return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    }
    case "F64": {
      const a = t.data instanceof Float64Array ? t.data : Float64Array.from(t.data);
      return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    }
    case "F16":
      return new Uint8Array(f32ToF16Array(t.data).buffer);
    case "BF16":
      return new Uint8Array(f32ToBf16Array(t.data).buffer);
    default:
      throw new Error(`cannot write dtype ${String(t.dtype)}; use F64, F32, F16 or BF16`);
  }
}

/** Writes tensors in the given order; the header is padded with spaces to a multiple of 8 bytes. */
export function writeSafetensors(path: string, tensors: readonly TensorToWrite[], metadata: Record<string, string> = {}): void {
  assertLittleEndianHost();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === "__metadata__" || t.name in header) throw new Error(`duplicate or reserved tensor name "${t.name}"`);
    if (!(t.dtype in DTYPE_BYTES) || !FLOAT_DTYPES.has(t.dtype)) throw new Error(`cannot write dtype ${String(t.dtype)} for "${t.name}"`);
    if (numElements(t.shape) !== t.data.length) {
      throw new Error(`tensor "${t.name}": shape ${shapeString(t.shape)} holds ${numElements(t.shape)} elements but the data has ${t.data.length}`);
    }
    const bytes = t.data.length * DTYPE_BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  headerBytes = Buffer.concat([headerBytes, Buffer.alloc(padded - headerBytes.length, 0x20)]);
  const lenBuf = Buffer.alloc(8);
  lenBuf.writeBigUInt64LE(BigInt(headerBytes.length));
  const fd = fs.openSync(path, "w");
  try {
    fs.writeSync(fd, lenBuf);
    fs.writeSync(fd, headerBytes);
    for (const t of tensors) writeAll(fd, encodeTensor(t));
  } finally {
    fs.closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    done += fs.writeSync(fd, bytes, done, Math.min(READ_CHUNK_BYTES, bytes.length - done));
  }
}
