// Subcommands that live in files of their own (each `(argv) => Promise<number>`, the exit code),
// dispatched from cli.ts by one line: sweep, report, start.
import { sweepCommand } from './cli-sweep';
import { reportCommand } from './cli-report';
import { startCommand } from './cli-start';

const EXTRA: Record<string, (argv: string[]) => Promise<number>> = { sweep: sweepCommand, report: reportCommand, start: startCommand };

/** Runs argv[0] when it is one of these commands (setting process.exitCode when it ends) and says
 *  whether it was. */
export function dispatchExtraCommand(argv: string[]): boolean {
  const run = EXTRA[argv[0]];
  if (!run) return false;
  run(argv.slice(1)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      console.error(`zkllm ${argv[0]}: ${e.message}`);
      process.exitCode = 1;
    },
  );
  return true;
}
