import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SafetensorsFile, writeSafetensors } from "../acc/safetensors";
import { bf16ToF32Array, f16ToF32Array, f32ToBf16Bits, f32ToF16Bits } from "../acc/half-precision";

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "acc-st-"));
}

function seededValues(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

test("f16 encoding: known bit patterns, round-to-nearest-even, subnormals, overflow", () => {
  assert.equal(f32ToF16Bits(1), 0x3c00);
  assert.equal(f32ToF16Bits(-2), 0xc000);
  assert.equal(f32ToF16Bits(65504), 0x7bff);
  assert.equal(f32ToF16Bits(65520), 0x7c00); // halfway to the next binade rounds up to Inf
  assert.equal(f32ToF16Bits(1e6), 0x7c00);
  assert.equal(f32ToF16Bits(-Infinity), 0xfc00);
  assert.equal(f32ToF16Bits(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(f32ToF16Bits(2 ** -25), 0x0000); // exactly half of it: ties to even (0)
  assert.equal(f32ToF16Bits(1.5 * 2 ** -25), 0x0001);
  assert.equal(f32ToF16Bits(2 ** -14), 0x0400); // smallest normal
  assert.equal(f32ToF16Bits(1 + 2 ** -11), 0x3c00); // tie between 1 and 1+2^-10 goes to even 1
  assert.equal(f32ToF16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie between 1+2^-10 and 1+2^-9 goes to even
  assert.ok(Number.isNaN(f16ToF32Array(Uint16Array.of(f32ToF16Bits(NaN)))[0]));
});

test("f16 round trip: every finite half value decodes and re-encodes to itself", () => {
  const all = new Uint16Array(65536);
  for (let h = 0; h < 65536; h++) all[h] = h;
  const decoded = f16ToF32Array(all);
  for (let h = 0; h < 65536; h++) {
    if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) continue; // NaN payloads are not preserved
    assert.equal(f32ToF16Bits(decoded[h]), h, `half 0x${h.toString(16)}`);
  }
});

test("bf16 encoding rounds to nearest even and decodes by shifting", () => {
  assert.equal(f32ToBf16Bits(1), 0x3f80);
  assert.equal(f32ToBf16Bits(-3.5), 0xc060);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  u[0] = 0x3f808000; // exactly halfway between 0x3f80 and 0x3f81: even is 0x3f80
  assert.equal(f32ToBf16Bits(f[0]), 0x3f80);
  u[0] = 0x3f818000; // halfway between 0x3f81 and 0x3f82: even is 0x3f82
  assert.equal(f32ToBf16Bits(f[0]), 0x3f82);
  u[0] = 0x3f808001;
  assert.equal(f32ToBf16Bits(f[0]), 0x3f81);
  assert.equal(bf16ToF32Array(Uint16Array.of(0x3f80, 0xc060))[1], -3.5);
});

test("safetensors round trip for F32, F64 (exact) and F16, BF16 (within their precision)", () => {
  const dir = tmpDir();
  const file = path.join(dir, "t.safetensors");
  const a = seededValues(3 * 5, 1);
  const b = seededValues(7, 2, 100);
  const c = seededValues(4 * 4, 3);
  const d = seededValues(9, 4, 1e-3);
  writeSafetensors(
    file,
    [
      { name: "a", shape: [3, 5], data: a, dtype: "F32" },
      { name: "b", shape: [7], data: b, dtype: "F64" },
      { name: "c", shape: [4, 4], data: c, dtype: "F16" },
      { name: "d", shape: [1, 9], data: d, dtype: "BF16" },
    ],
    { note: "written by a test" },
  );
  // The header is padded so that the data section starts 8-byte aligned.
  const headerLen = Number(fs.readFileSync(file).readBigUInt64LE(0));
  assert.equal(headerLen % 8, 0);
  const st = SafetensorsFile.open(file);
  try {
    assert.deepEqual(st.names().sort(), ["a", "b", "c", "d"]);
    assert.deepEqual(st.metadata, { note: "written by a test" });
    assert.deepEqual(st.info("c").shape, [4, 4]);
    assert.equal(st.info("c").dtype, "F16");
    assert.deepEqual(st.readFloat32("a"), a);
    assert.deepEqual(st.readFloat32("b"), b);
    const c2 = st.readFloat32("c");
    c.forEach((v, i) => assert.ok(Math.abs(c2[i] - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `c[${i}]`));
    const d2 = st.readFloat32("d");
    d.forEach((v, i) => assert.ok(Math.abs(d2[i] - v) <= Math.abs(v) * 2 ** -8, `d[${i}]`));
    assert.throws(() => st.readFloat32("nope"), /no tensor named "nope"/);
  } finally {
    st.close();
  }
});

function rawSafetensors(header: object, dataBytes: number): Buffer {
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, Buffer.alloc(dataBytes)]);
}

test("safetensors: malformed files give errors that say what is wrong", () => {
  const dir = tmpDir();
  const write = (name: string, bytes: Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };
  const good = { w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 16] } };
  assert.doesNotThrow(() => SafetensorsFile.open(write("ok.safetensors", rawSafetensors(good, 16))).close());

  const truncated = write("truncated.safetensors", rawSafetensors(good, 10));
  assert.throws(() => SafetensorsFile.open(truncated), /tensor "w" needs bytes \[0, 16\).*only 10 bytes.*truncated/);

  const unknown = write("dtype.safetensors", rawSafetensors({ w: { dtype: "F12", shape: [2], data_offsets: [0, 4] } }, 4));
  assert.throws(() => SafetensorsFile.open(unknown), /tensor "w" has unknown dtype "F12"/);

  const mismatch = write("size.safetensors", rawSafetensors({ w: { dtype: "F16", shape: [3], data_offsets: [0, 4] } }, 4));
  assert.throws(() => SafetensorsFile.open(mismatch), /needs 6 bytes but its data_offsets span 4/);

  const ints = write("int.safetensors", rawSafetensors({ w: { dtype: "I32", shape: [1], data_offsets: [0, 4] } }, 4));
  const st = SafetensorsFile.open(ints);
  assert.throws(() => st.readFloat32("w"), /dtype I32; only .* can be read as floats/);
  st.close();

  assert.throws(() => SafetensorsFile.open(write("short.safetensors", Buffer.alloc(5))), /too short/);
  const badLen = Buffer.alloc(16);
  badLen.writeBigUInt64LE(1000n);
  assert.throws(() => SafetensorsFile.open(write("len.safetensors", badLen)), /header length 1000 does not fit/);
  const notJson = Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from("{{{{")]);
  assert.throws(() => SafetensorsFile.open(write("json.safetensors", notJson)), /header is not valid JSON/);

  assert.throws(
    () => writeSafetensors(path.join(dir, "w.safetensors"), [{ name: "x", shape: [2, 3], data: new Float32Array(5), dtype: "F32" }]),
    /shape \[2, 3\] holds 6 elements but the data has 5/,
  );
});
