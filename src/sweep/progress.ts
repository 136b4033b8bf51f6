// Progress of a sweep with an ETA. On a terminal: a cli-progress bar redrawn in place; in a log
// (CI, Slurm's output file): one line per finished point, which is what a log can show. The ETA
// is the mean time of the points finished in this run times the points left, so a resumed sweep
// does not count the points it skipped as instant.
import { SingleBar, Presets } from 'cli-progress';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export class SweepProgress {
  private bar: SingleBar | undefined;
  private ran = 0;
  private ranMs = 0;
  private done: number;

  constructor(
    private readonly total: number,
    skipped: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.done = skipped;
    if (quiet) return;
    if (this.out.isTTY) {
      this.bar = new SingleBar(
        { format: '{bar} {value}/{total} points | ETA {etaText} | {point}', stream: this.out, hideCursor: true, clearOnComplete: false, fps: 5 },
        Presets.shades_classic,
      );
      this.bar.start(total, skipped, { etaText: '?', point: '' });
    } else if (skipped > 0) this.out.write(`sweep: ${skipped} of ${total} points already in the results file, skipped\n`);
  }

  eta(): number {
    return this.ran === 0 ? NaN : (this.ranMs / this.ran) * (this.total - this.done);
  }

  start(label: string): void {
    this.bar?.update(this.done, { point: label, etaText: formatDuration(this.eta()) });
  }

  finish(label: string, ms: number, error?: string): void {
    this.ran++;
    this.ranMs += ms;
    this.done++;
    if (this.quiet) return;
    if (this.bar) this.bar.update(this.done, { point: error ? `${label}: FAILED` : label, etaText: formatDuration(this.eta()) });
    else
      this.out.write(
        `[${this.done}/${this.total}] ${label}: ${error ? `FAILED (${error})` : `${(ms / 1000).toFixed(2)} s`}${this.done < this.total ? `, ETA ${formatDuration(this.eta())}` : ''}\n`,
      );
  }

  stop(): void {
    this.bar?.stop();
  }
}
