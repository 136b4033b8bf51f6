// Runs the built zkllm command line in a child process (not a test file itself).
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest directory above this file with a package.json. */
export const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
})();
export const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
export const STANDIN_DIR = path.join(ROOT, 'data', 'models', 'standin');

/** Environment switches of the kit removed, so that the caller's shell does not change a test. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['ZKLLM_BACKEND', 'ZKLLM_THREADS', 'ZKLLM_TRACE', 'ZKLLM_MEMORY_LIMIT', 'ZKLLM_ADDON']) delete env[k];
  return { ...env, ...extra };
}

export function zkllm(args: string[], env: NodeJS.ProcessEnv = {}, timeout = 120_000): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: cleanEnv(env), timeout });
  if (r.error) throw r.error;
  return r;
}

/** Runs a Node snippet (with `kit` = the built package) in a child process. */
export function node(code: string, env: NodeJS.ProcessEnv = {}, timeout = 120_000): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, ['-e', `const kit = require(${JSON.stringify(ROOT)});\n${code}`], { cwd: ROOT, encoding: 'utf8', env: cleanEnv(env), timeout });
  if (r.error) throw r.error;
  return r;
}

export const shown = (r: SpawnSyncReturns<string>) => `exit ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** No JS stack trace in the output (a message, not a crash). */
export function noStack(r: SpawnSyncReturns<string>): boolean {
  return !/^\s+at .+\(.*:\d+:\d+\)$/m.test(r.stdout + r.stderr) && !/node:internal/.test(r.stderr);
}
