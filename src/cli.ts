#!/usr/bin/env node
// The zkllm command line: a list of subcommands, each declared with defineCommand (src/cli-args.ts)
// and run over the public API. Exit codes: 0 ok, 1 runtime failure (or some configuration of an
// experiment failed), 2 usage error (unknown command or flag, missing or bad value, bad
// environment switch). With --json, an error is printed on stdout as {"error": "...", "exitCode": n}.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calibrate, info } from './system';
import { packageRoot } from './bindings/native';
import { accCommand } from './cli-acc';
import { Command, CliError, defineCommand, EXIT, suggest, UsageError } from './cli-args';
import { environmentProblems, ENVIRONMENT_SWITCHES, DEVICE_BACKENDS } from './environment';
import { formatBytes } from './memory';
import { EXTRA_SUMMARIES, extraCommand } from './cli-extra';

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

const infoCommand = defineCommand({
  name: 'info',
  summary: 'what was compiled and which devices were found',
  options: { json: { type: 'boolean', help: 'print JSON' } },
  details: [
    'Environment switches (a bad value is reported here and is a usage error everywhere):',
    ...Object.entries(ENVIRONMENT_SWITCHES).map(([k, v]) => `  ${k.padEnd(24)} ${v}`),
  ].join('\n'),
  run(_args, ctx) {
    const i = info();
    const problems = i.problems;
    if (ctx.json) {
      const extra = problems.length ? { error: problems.join('; '), exitCode: EXIT.usage } : {};
      console.log(JSON.stringify({ ...i, ...extra }, null, 2));
    } else {
      console.log(`zkllm-kit native addon: ${i.addon}`);
      console.log(`  compiled backends : cpu${i.cudaCompiled ? `, cuda (${i.cudaArchs})` : ''}`);
      console.log(`  CPU threads       : ${i.cpuThreads}`);
      if (i.devices.length === 0) console.log(`  GPUs              : none (no usable GPU: ${i.gpuStatus.replace(/^no usable GPU: /, '')})`);
      for (const d of i.devices)
        console.log(`  GPU ${d.index}             : ${d.name}, ${gib(d.memoryBytes)}, compute capability ${d.computeCapability}, ${d.multiprocessors} SMs`);
      console.log(`  host memory       : ${formatBytes(i.memory.availableBytes)} available to this process (${i.memory.source})`);
      console.log(`  default backend   : ${i.defaultBackend ?? 'none (ZKLLM_BACKEND is not a backend)'} (auto = ${i.autoBackend})`);
      for (const p of problems) console.error(`zkllm info: ${p}`);
    }
    return problems.length ? EXIT.usage : EXIT.ok;
  },
});

const calibrateCommand = defineCommand({
  name: 'calibrate',
  summary: "this machine's Fr-multiplication rate and copy bandwidth per backend (the roofline ceilings)",
  options: {
    backend: { type: 'string', choices: [...DEVICE_BACKENDS], help: 'measure only this backend (default: cpu, and cuda when a GPU is usable)' },
    json: { type: 'boolean', help: 'print JSON' },
  },
  run({ values }, ctx) {
    const results = calibrate(values.backend ? [values.backend as 'cpu' | 'cuda'] : undefined);
    if (ctx.json) console.log(JSON.stringify(results, null, 2));
    else for (const r of results) console.log(`${r.backend.padEnd(5)} ${r.device}: Fr mul ${r.frMulGPerSecond.toFixed(3)} G/s, copy ${r.copyGBPerSecond.toFixed(1)} GB/s`);
  },
});

/** Every subcommand; a new one (defineCommand in its own file) is added here. */
export const COMMANDS: readonly Command[] = [infoCommand, calibrateCommand, accCommand];

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
  return `${pkg.name} ${pkg.version}`;
}

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), ...Object.keys(EXTRA_SUMMARIES).map((n) => n.length));
  return [
    'usage: zkllm <command> [options]',
    '       zkllm <command> --help | zkllm help [command] | zkllm --version',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    ...Object.entries(EXTRA_SUMMARIES).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'exit codes: 0 ok, 1 runtime failure (or a configuration failed), 2 usage error',
  ].join('\n');
}

function unknownCommand(name: string): UsageError {
  const near = suggest(name, COMMANDS.map((c) => c.name));
  return new UsageError(`unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}`);
}

/** The exit code an error ends the process with. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  const code = (e as { code?: unknown })?.code;
  if (code === 'ZKLLM_ENV') return EXIT.usage;
  return EXIT.failure;
}

/** Runs the command line; resolves to the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  const extra = extraCommand(argv[0] ?? '');  // sweep, report, start: files of their own (src/cli-extra.ts)
  if (extra) return extra(argv.slice(1));
  const json = argv.includes('--json');
  let where = 'zkllm';
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      process.stderr.write(usage() + '\n');
      return EXIT.usage;
    }
    if (first === '--help' || first === '-h') {
      if (rest.length) throw new UsageError(`${first} takes no arguments (for a command's help: zkllm <command> --help)`);
      process.stdout.write(usage() + '\n');
      return EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      if (rest.length) throw new UsageError(`${first} takes no arguments`);
      process.stdout.write(version() + '\n');
      return EXIT.ok;
    }
    if (first === 'help') {
      if (rest.length === 0) {
        process.stdout.write(usage() + '\n');
        return EXIT.ok;
      }
      if (rest.length > 1) throw new UsageError(`help takes one command name, got ${rest.length} arguments`);
      const extraHelp = extraCommand(rest[0]); // bench, zkattn, ...: each prints its own help
      if (extraHelp) return extraHelp(['--help']);
      const c = findCommand(rest[0]);
      if (!c) throw unknownCommand(rest[0]);
      process.stdout.write(c.help() + '\n');
      return EXIT.ok;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first.split('=')[0]} (options go after the command: zkllm <command> [options])`);
    const cmd = findCommand(first);
    if (!cmd) throw unknownCommand(first);
    where = `zkllm ${cmd.name}`;
    // A bad environment switch fails every command before it starts; info lists it with the rest.
    const problems = environmentProblems();
    const asksHelp = rest.includes('--help') || rest.includes('-h');
    if (problems.length && cmd.name !== 'info' && !asksHelp) throw new UsageError(problems.join('; '));
    return await cmd.invoke(rest, { json });
  } catch (e) {
    const code = exitCodeOf(e);
    // The API names itself in its messages ("calibrate: ..."); after "zkllm calibrate:" once is enough.
    const raw = (e as Error)?.message ?? String(e);
    const message = where !== 'zkllm' && raw.startsWith(`${where.slice(6)}: `) ? raw.slice(where.length - 4) : raw;
    if (json) process.stdout.write(JSON.stringify({ error: `${where}: ${message}`, exitCode: code }) + '\n');
    else {
      process.stderr.write(`${where}: ${message}\n`);
      if (e instanceof UsageError && /^unknown (command|option)/.test(message) && where === 'zkllm') process.stderr.write(usage() + '\n');
    }
    return code;
  }
}

if (require.main === module)
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
