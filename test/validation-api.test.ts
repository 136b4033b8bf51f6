// Issue 12 items 6 and 7: strict checks in the JS API. Unknown fields and tensor names, wrong
// types, named with the field and the type (and value) received; Transcript.challenges' count.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { commitments, prove, Transcript, verify } from '../src';
import { bad, throwsWith } from './helpers/assertions';

const ab = { a: [1, 2], b: [3, 4], c: [3, 8] };

describe('issue 12 item 6: prove specs', () => {
  test("an unknown tensor name is refused, naming it and the op's tensors (not carried into the statement)", () => {
    throwsWith(() => prove({ op: 'hadamard', num: 1, dim: 2, tensors: { ...ab, zz: [1, 2] } }), /^prove: hadamard has no witness tensor 'zz' \(its tensors: a, b, c\)$/);
    throwsWith(() => prove({ op: 'tlookup-map', num: 1, dim: 2, low: 0, len: 4, tensors: { values: [0, 1], outputs: [0, 1], tabel: [0, 1, 2, 3] } }), /no witness tensor 'tabel'/, /table \(optional\)/);
    throwsWith(() => prove({ op: 'opening', num: 2, dim: 2, genDim: 2, tensors: { x0: [1, 2], x2: [1, 2] } }), /opening has no witness tensor 'x2' \(its tensors: x0, x1\)/);
  });

  test('a tensor that is not an array says what it got, not "values.map is not a function"', () => {
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, tensors: { ...ab, a: 5 } })), /^prove: tensors\.a must be an array of integers \(numbers or bigints\), got 5$/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, tensors: { ...ab, b: '12' } })), /tensors\.b .* got a string \('12'\)/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, tensors: { ...ab, c: { 0: 1 } } })), /tensors\.c .* got an object/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, tensors: [1, 2] })), /'tensors' must be an object of arrays, got an array/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, tensors: { ...ab, a: [1, '2'] } })), /tensors\.a\[1\] must be an integer .* got a string \('2'\)/);
  });

  test("a size given as a string says it was a string: \"'dim' must be an integer number, got a string ('16')\"", () => {
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: '16' })), /^prove: 'dim' must be an integer number, got a string \('16'\)$/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1n, dim: 16 })), /'num' must be an integer number, got a bigint \(1n\)/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2.5 })), /'dim' must be an integer number, got 2\.5/);
    throwsWith(() => prove(bad({ op: 'matmul', num: 1, dim0: 2, dim1: 2 })), /'dim2' is required for matmul/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, seed: '1' })), /'seed' must be a non-negative integer number, got a string \('1'\)/);
  });

  test('unknown fields and fields of the wrong type are refused, naming the field', () => {
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, bogus: 1 })), /^prove: unknown field 'bogus'/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, Seed: 1 })), /unknown field 'Seed' \(did you mean 'seed'\?\)/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, commit: 'yes', genDim: 2 })), /'commit' must be a boolean, got a string \('yes'\)/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, genDim: 4 })), /'genDim' applies only with commit: true/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, commit: true, genDim: 3 })), /'genDim' must be a power of two in \[1, 2\^20\], got 3/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, domain: 7 })), /'domain' must be a string, got 7/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, deviceBudget: '1G' })), /'deviceBudget' must be a non-negative integer number of bytes, got a string \('1G'\)/);
    throwsWith(() => prove(bad({ op: 'hadamard', num: 1, dim: 2, backend: 7 })), /'backend' must be 'auto', 'cpu' or 'cuda', got 7/);
  });

  test('a good spec still proves and verifies', () => {
    const r = prove({ op: 'hadamard', num: 1, dim: 2, tensors: ab, backend: 'cpu' });
    assert.equal(verify(r.statement, r.proof), true);
    assert.deepEqual(Object.keys((r.statement.witness as { tensors: object }).tensors).sort(), ['a', 'b', 'c']);
  });
});

describe('commitments: options', () => {
  test('unknown options and wrong types are refused, naming the option', () => {
    throwsWith(() => commitments.commit(Int32Array.of(1, 2), bad({ genDim: 2, lable: 'x' })), /commitments\.commit: unknown option 'lable'/);
    throwsWith(() => commitments.generators('l', 2, bad({ disk: 'no' })), /commitments\.generators: disk must be a boolean, got a string/);
    throwsWith(() => commitments.generators('l', 2, bad({ cacheDir: '' })), /cacheDir must be a non-empty string/);
  });
});

describe('issue 12 item 7: Transcript.challenges', () => {
  test('a negative, fractional or non-number count is refused; 0 gives none', () => {
    const t = new Transcript('d');
    throwsWith(() => t.challenges('c', -1), /^Transcript\.challenges: count must be a non-negative integer number, got -1$/);
    throwsWith(() => t.challenges('c', 1.5), /got 1\.5/);
    throwsWith(() => t.challenges('c', NaN), /got NaN/);
    throwsWith(() => t.challenges('c', bad('3')), /got a string \(3\)/);
    throwsWith(() => t.challenges(bad(4), 2), /label must be a string, got a number/);
    assert.deepEqual(t.challenges('c', 0), []);
    const two = new Transcript('d').challenges('c', 2);
    assert.equal(two.length, 2);
    assert.notEqual(two[0], two[1]);
  });
});
