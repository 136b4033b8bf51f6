// Debian's chromium, headless, as the report tests and scripts/report-screenshot.js use it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function findChromium(): string | null {
  for (const c of [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome']) {
    if (!c) continue;
    const r = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

/** Runs chromium headless on a local file with the flags checked on these machines; returns
 *  stdout (the DOM with --dump-dom) and stderr (console messages with --enable-logging). */
export function runChromium(bin: string, file: string, extra: string[]): { stdout: string; stderr: string; status: number | null } {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'zkllm-chromium-'));
  try {
    const r = spawnSync(
      bin,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--virtual-time-budget=15000', '--enable-logging=stderr', '--v=0', ...extra, `file://${path.resolve(file)}`],
      { encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 2 ** 20 },
    );
    if (r.error) throw r.error;
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
