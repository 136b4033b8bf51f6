// Assertions the tests share.
import assert from 'node:assert/strict';

/** Any value, typed so a test can pass what the types forbid. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const bad = (v: unknown): any => v;

/** assert.throws that also requires an Error instance and a message matching every pattern. */
export function throwsWith(fn: () => unknown, ...patterns: RegExp[]): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `expected an error matching ${patterns.join(' and ')}, but nothing was thrown`);
  assert.ok(thrown instanceof Error, `expected an Error, got ${String(thrown)}`);
  for (const re of patterns) assert.match(thrown.message, re, `error message "${thrown.message}" should match ${re}`);
}
