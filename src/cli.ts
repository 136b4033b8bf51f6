#!/usr/bin/env node
// The zkllm command line: a table of subcommands, each a small function over the public API.
import { calibrate, info } from './system';
import { ACC_HELP, cmdAcc } from './cli-acc';
import { runBench } from './cli-bench';

interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) flags.set(k, v);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && !BOOLEAN_FLAGS.has(k)) flags.set(k, argv[++i]);
      else flags.set(k, true);
    } else positional.push(a);
  }
  return { positional, flags };
}
const BOOLEAN_FLAGS = new Set(['json', 'help', 'quiet']);

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

function cmdInfo(args: Args): void {
  const i = info();
  if (args.flags.has('json')) {
    console.log(JSON.stringify(i, null, 2));
    return;
  }
  console.log(`zkllm-kit native addon: ${i.addon}`);
  console.log(`  compiled backends : cpu${i.cudaCompiled ? `, cuda (${i.cudaArchs})` : ''}`);
  console.log(`  CPU threads       : ${i.cpuThreads}`);
  if (i.devices.length === 0) console.log(`  GPUs              : none (${i.gpuStatus})`);
  for (const d of i.devices)
    console.log(`  GPU ${d.index}             : ${d.name}, ${gib(d.memoryBytes)}, compute capability ${d.computeCapability}, ${d.multiprocessors} SMs`);
  console.log(`  default backend   : ${i.defaultBackend} (auto = ${i.autoBackend})`);
}

function cmdCalibrate(args: Args): void {
  const b = args.flags.get('backend');
  if (b !== undefined && b !== 'cpu' && b !== 'cuda') throw new Error(`--backend must be cpu or cuda, got '${String(b)}'`);
  const results = calibrate(b ? [b] : undefined);
  if (args.flags.has('json')) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  for (const r of results)
    console.log(`${r.backend.padEnd(5)} ${r.device}: Fr mul ${r.frMulGPerSecond.toFixed(3)} G/s, copy ${r.copyGBPerSecond.toFixed(1)} GB/s`);
}

const COMMANDS: Record<string, { help: string; run: (a: Args) => void }> = {
  info: { help: 'what was compiled and which devices were found  [--json]', run: cmdInfo },
  calibrate: { help: 'Fr-multiplication rate and copy bandwidth per backend  [--backend cpu|cuda] [--json]', run: cmdCalibrate },
  // Asynchronous: the exit code is set when the experiment ends.
  acc: {
    help: ACC_HELP,
    run: (a) => {
      cmdAcc(a.flags).catch((e: Error) => {
        console.error(`zkllm acc: ${e.message}`);
        process.exitCode = 1;
      });
    },
  },
};

function usage(): string {
  return ['usage: zkllm <command> [options]', '', ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(10)} ${c.help}`)].join('\n');
}

export function main(argv: string[]): number {
  if (argv[0] === 'bench') return void runBench(argv.slice(1)).then((code) => (process.exitCode = code)), 0; // its own strict parser; exit code set when it ends
  const args = parseArgs(argv);
  const name = args.positional[0];
  if (!name || args.flags.has('help')) {
    console.log(usage());
    return name ? 0 : 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`zkllm: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    cmd.run(args);
    return 0;
  } catch (e) {
    console.error(`zkllm ${name}: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
