// Issue 12 items 2 and 10: one strict parser for every subcommand. Unknown flags, missing and bad
// values are usage errors (exit code 2) naming the flag; help, version and exit codes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../src/cli';
import { defineCommand, UsageError } from '../src/cli-args';
import type { OptionSpec } from '../src/cli-args';
import { ROOT, STANDIN_DIR, noStack, shown, zkllm } from './helpers/cli';

/** A bad value for an option from its spec, or undefined when no value can be wrong (a free string). */
function badValue(o: OptionSpec): string | undefined {
  if (o.choices) return 'no-such-choice';
  if (o.type === 'integer' || o.type === 'number') return 'twelve';
  return undefined;
}

describe('every subcommand: unknown flag, missing value, bad value (exit code 2, the flag named)', () => {
  for (const cmd of COMMANDS) {
    const options = Object.entries(cmd.options).filter(([n]) => n !== 'help');
    test(`${cmd.name}: an unknown flag`, () => {
      const r = zkllm([cmd.name, '--no-such-flag']);
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stderr, /unknown option --no-such-flag/, shown(r));
      assert.equal(r.stdout, '', 'nothing is run');
      assert.ok(noStack(r), shown(r));
    });
    // (a command whose options are all switches has no value to leave out: no such case)
    const valued = options.find(([, o]) => o.type !== 'boolean');
    if (valued) test(`${cmd.name}: a missing value`, () => {
      const [name] = valued;
      const r = zkllm([cmd.name, `--${name}`]);
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stderr, new RegExp(`--${name} needs a value`), shown(r));
      // and followed by another flag instead of a value
      const r2 = zkllm([cmd.name, `--${name}`, '--json']);
      assert.equal(r2.status, 2, shown(r2));
      assert.match(r2.stdout, new RegExp(`--${name} needs a value`), shown(r2));
    });
    test(`${cmd.name}: a bad value`, () => {
      const withBad = options.find(([, o]) => badValue(o) !== undefined);
      // a command whose flags are all switches: a switch given a value
      const [name, args] = withBad ? [withBad[0], [`--${withBad[0]}`, badValue(withBad[1])!]] : [options[0][0], [`--${options[0][0]}=yes`]];
      const r = zkllm([cmd.name, ...args]);
      assert.equal(r.status, 2, shown(r));
      assert.match(r.stderr, new RegExp(`--${name}\\b`), shown(r));
      assert.match(r.stderr, withBad ? /must be|one of/ : /takes no value/, shown(r));
      assert.ok(noStack(r), shown(r));
    });
    test(`${cmd.name}: a flag given twice`, () => {
      const [name, o] = options[0];
      const one = o.type === 'boolean' ? [`--${name}`] : [`--${name}`, o.choices ? o.choices[0] : '5'];
      const r = zkllm([cmd.name, ...one, ...one]);
      assert.equal(r.status, 2, shown(r));
      // (on stdout when the repeated flag is --json)
      assert.match(r.stderr + r.stdout, new RegExp(`--${name} is given more than once`), shown(r));
    });
  }
});

describe('issue 12 item 2: the reported unknown flags', () => {
  test('zkllm info --bogus', () => {
    const r = zkllm(['info', '--bogus']);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stderr, /--bogus/, shown(r));
  });
  test('zkllm calibrate --samples 3 (no calibration runs)', () => {
    const r = zkllm(['calibrate', '--samples', '3']);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stderr, /unknown option --samples/, shown(r));
    assert.doesNotMatch(r.stdout, /G\/s/);
  });
  test('zkllm acc ... --seq-len 64 --sequence-length 32: the misspelled flag is an error, not dropped', () => {
    const r = zkllm(['acc', '--model', STANDIN_DIR, '--seq-len', '64', '--sequence-length', '32', '--samples', '1', '--backend', 'cpu']);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stderr, /unknown option --sequence-length/, shown(r));
    assert.doesNotMatch(r.stderr, /window/, 'no window was run');
  });
  test('a near miss is suggested', () => {
    const r = zkllm(['acc', '--seqlen', '64']);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stderr, /did you mean --seq-len\?/, shown(r));
  });
});

describe('issue 12 item 10: help, version, exit codes', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

  test('zkllm --help, -h and help exit 0 with the usage and every command on stdout', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = zkllm(args);
      assert.equal(r.status, 0, shown(r));
      assert.match(r.stdout, /^usage: zkllm <command>/, shown(r));
      for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c.name}\\s`, 'm'), `${c.name} listed: ${shown(r)}`);
      assert.match(r.stdout, /exit codes: 0 ok, 1 runtime failure .*, 2 usage error/, shown(r));
      assert.equal(r.stderr, '');
    }
  });

  test('no command: the usage on stderr and exit code 2', () => {
    const r = zkllm([]);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stderr, /usage: zkllm/, shown(r));
  });

  test('every subcommand has its own help: <cmd> --help, <cmd> -h, help <cmd>', () => {
    for (const c of COMMANDS) {
      const outs = [zkllm([c.name, '--help']), zkllm([c.name, '-h']), zkllm(['help', c.name])];
      for (const r of outs) {
        assert.equal(r.status, 0, shown(r));
        assert.match(r.stdout, new RegExp(`^usage: zkllm ${c.name}\\b`), shown(r));
        for (const name of Object.keys(c.options)) assert.match(r.stdout, new RegExp(`--${name}\\b`), `${c.name} help lists --${name}: ${shown(r)}`);
        assert.doesNotMatch(r.stdout, /^usage: zkllm <command>/m, 'not the global usage');
      }
      assert.equal(outs[0].stdout, outs[2].stdout);
    }
  });

  test('acc -h is the help, not "--model is required"; acc --help documents --quiet and the checks', () => {
    const r = zkllm(['acc', '-h']);
    assert.equal(r.status, 0, shown(r));
    assert.doesNotMatch(r.stdout + r.stderr, /is required \(see/);
    assert.match(r.stdout, /--quiet\s+no progress/, shown(r));
    assert.match(r.stdout, /--seq-len <N>\s+tokens per window \(required\)/, shown(r));
    // help wins over a bad flag on the same line
    const r2 = zkllm(['acc', '--bogus', '--help']);
    assert.equal(r2.status, 0, shown(r2));
  });

  test('help for an unknown command is a usage error', () => {
    const r = zkllm(['help', 'frobnicate']);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stderr, /unknown command 'frobnicate'/, shown(r));
  });

  test('--version prints the package version', () => {
    for (const flag of ['--version', '-v']) {
      const r = zkllm([flag]);
      assert.equal(r.status, 0, shown(r));
      assert.equal(r.stdout.trim(), `zkllm-kit ${version}`);
    }
  });

  test('an option before the command is a usage error naming it', () => {
    const r = zkllm(['--json', 'info']);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stdout, /"error":"zkllm: unknown option --json/, shown(r));
  });

  test('with --json an error is JSON on stdout with the exit code', () => {
    for (const args of [
      ['info', '--bogus', '--json'],
      ['calibrate', '--backend', 'tpu', '--json'],
      ['acc', '--json'],
      ['acc', '--model', STANDIN_DIR, '--seq-len', '0', '--samples', '1', '--json'],
    ]) {
      const r = zkllm(args);
      assert.equal(r.status, 2, shown(r));
      const j = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(j).sort(), ['error', 'exitCode']);
      assert.equal(j.exitCode, 2);
      assert.match(j.error, /^zkllm (info|calibrate|acc): /);
      assert.equal(r.stderr, '', 'nothing else is printed');
    }
  });

  test('an unknown command suggests the nearest', () => {
    const r = zkllm(['infoo']);
    assert.equal(r.status, 2, shown(r));
    assert.match(r.stderr, /unknown command 'infoo' \(did you mean 'info'\?\)/, shown(r));
  });
});

describe('defineCommand: the parser other subcommand files use', () => {
  const cmd = defineCommand({
    name: 'demo',
    summary: 'a demo',
    options: {
      points: { type: 'integer', min: 1, default: 8, help: 'how many' },
      ratio: { type: 'number', min: 0, max: 1, help: 'a fraction' },
      mode: { type: 'string', choices: ['a', 'b'], help: 'which' },
      name: { type: 'string', required: true, help: 'a name' },
      json: { type: 'boolean', help: 'JSON' },
    },
    run: () => 0,
  });
  const usageError = (argv: string[], re: RegExp) =>
    assert.throws(
      () => cmd.parse(argv),
      (e: unknown) => e instanceof UsageError && e.exitCode === 2 && re.test(e.message),
      `${argv.join(' ')} should fail with ${re}`,
    );

  test('types, defaults, ranges and choices', () => {
    const p = cmd.parse(['--name', 'x', '--ratio', '0.25', '--mode=b', '--json']);
    assert.deepEqual(p.values, { points: 8, ratio: 0.25, mode: 'b', name: 'x', json: true, help: undefined });
    assert.deepEqual([...p.given].sort(), ['json', 'mode', 'name', 'ratio']);
    usageError(['--name', 'x', '--points', '0'], /--points must be a positive integer, got '0'/);
    usageError(['--name', 'x', '--points', '2.5'], /--points must be a positive integer, got '2.5'/);
    usageError(['--name', 'x', '--points', ''], /--points must be a positive integer, got an empty string/);
    usageError(['--name', 'x', '--ratio', '2'], /--ratio must be a number in \[0, 1\], got '2'/);
    usageError(['--name', 'x', '--mode', 'c'], /--mode must be one of a, b, got 'c'/);
    usageError(['--points', '3'], /--name is required/);
    usageError(['--name', 'x', 'extra'], /unexpected argument 'extra'/);
    usageError(['--name', 'x', '--json=true'], /--json takes no value/);
    usageError(['--name', 'x', '-q'], /unknown option -q/);
    // a negative number after a numeric flag is its value, range-checked, not an unknown option
    usageError(['--name', 'x', '--points', '-3'], /--points must be a positive integer, got '-3'/);
    usageError(['--name', 'x', '--ratio', '-0.5'], /--ratio must be a number in \[0, 1\], got '-0\.5'/);
    // ... but after a string flag an option-like word is not taken as its value
    usageError(['--name', '--json'], /--name needs a value, got the option-like --json/);
  });

  test('the help text lists every option with its default and the exit codes', () => {
    const h = cmd.help();
    assert.match(h, /^usage: zkllm demo \[options\]/);
    assert.match(h, /--points <N>\s+how many \(default 8\)/);
    assert.match(h, /--mode <a\|b>/);
    assert.match(h, /--name <value>\s+a name \(required\)/);
    assert.match(h, /-h, --help/);
    assert.match(h, /exit codes: 0 ok/);
  });
});
