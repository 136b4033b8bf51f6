// One argument parser for every zkllm subcommand: Node's util.parseArgs in strict mode behind a
// small declarative spec per command (flags, types, defaults, choices, help text).
//
// Adding a subcommand (for instance src/cli-sweep.ts):
//
//   import { defineCommand, UsageError } from './cli-args';
//   export const sweepCommand = defineCommand({
//     name: 'sweep',
//     summary: 'one line for `zkllm --help`',
//     usage: '--model <dir> [options]',              // optional; shown after `zkllm sweep`
//     options: {
//       model: { type: 'string', valueName: 'dir', required: true, help: 'a Hugging Face LLaMA folder' },
//       points: { type: 'integer', min: 1, default: 8, help: 'how many points' },
//       backend: { type: 'string', choices: ['auto', 'cpu', 'cuda'], default: 'auto', help: 'where to run' },
//       json: { type: 'boolean', help: 'print JSON (errors too)' },
//     },
//     async run({ values }, ctx) {               // values.model: string, values.points: number, ...
//       if (bad) throw new UsageError('--points must ...');   // exit code 2
//       ...; return 0;                             // or 1 (runtime failure); throwing an Error is 1
//     },
//   });
//
// then add it to COMMANDS in src/cli.ts. Every command gets -h/--help and `zkllm help <name>`;
// unknown flags, missing or bad values and repeated flags are usage errors (exit code 2) whose
// message names the flag; with --json in the arguments, errors are printed as JSON on stdout.
import { parseArgs } from 'node:util';

/** Exit codes of the zkllm command line. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** An error with the exit code the command line should end with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad command line (unknown flag, missing or bad value): exit code 2. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

export type OptionType = 'string' | 'boolean' | 'integer' | 'number';

export interface OptionSpec {
  type: OptionType;
  help: string;
  /** One letter: -x. */
  short?: string;
  default?: string | number | boolean;
  /** For string options: the values allowed. */
  choices?: readonly string[];
  /** For integer and number options: the smallest and largest value allowed. */
  min?: number;
  max?: number;
  /** Shown in the help as --flag <valueName>. */
  valueName?: string;
  required?: boolean;
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['type'] extends 'string' ? string : number;
export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]: ValueOf<O[K]> | undefined };

export interface ParsedArgs<O extends Record<string, OptionSpec>> {
  values: OptionValues<O>;
  positionals: string[];
  /** The flags the user gave (defaults not included). */
  given: Set<keyof O & string>;
}

export interface CommandContext {
  /** --json was given: print results (and errors) as JSON. */
  json: boolean;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** What follows `zkllm <name>` in the usage line; default "[options]". */
  usage?: string;
  /** More text for `zkllm <name> --help`, after the options. */
  details?: string;
  options: O;
  /** Positional arguments: none unless given (then at most `max`). */
  positionals?: { name: string; max: number; help: string };
  run(args: ParsedArgs<O>, ctx: CommandContext): number | void | Promise<number | void>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  help(): string;
  /** Parses argv (everything after the command name) and runs the command; returns the exit code. */
  invoke(argv: string[], ctx: CommandContext): Promise<number>;
  /** Parses only: throws a UsageError for a bad command line. */
  parse(argv: string[]): ParsedArgs<Record<string, OptionSpec>>;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'print this help and exit' };

function flagLabel(name: string, o: OptionSpec): string {
  const value = o.type === 'boolean' ? '' : ` <${o.valueName ?? (o.choices ? o.choices.join('|') : o.type === 'string' ? 'value' : 'N')}>`;
  return `${o.short ? `-${o.short}, ` : ''}--${name}${value}`;
}

/** Splits text into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(word, c);
    if (dd < bestD) [best, bestD] = [c, dd];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function describeValue(v: string): string {
  return v === '' ? 'an empty string' : `'${v}'`;
}

function convert(name: string, o: OptionSpec, raw: string): string | number {
  const flag = `--${name}`;
  if (o.type === 'string') {
    if (o.choices && !o.choices.includes(raw)) throw new UsageError(`${flag} must be one of ${o.choices.join(', ')}, got ${describeValue(raw)}`);
    return raw;
  }
  const n = raw.trim() === '' ? NaN : Number(raw);
  const kind = o.type === 'integer' ? 'an integer' : 'a number';
  const range =
    o.min !== undefined && o.max !== undefined ? ` in [${o.min}, ${o.max}]` : o.min === 1 && o.type === 'integer' ? '' : o.min !== undefined ? ` >= ${o.min}` : o.max !== undefined ? ` <= ${o.max}` : '';
  const what = o.type === 'integer' && o.min === 1 && o.max === undefined ? 'a positive integer' : `${kind}${range}`;
  if (!Number.isFinite(n) || (o.type === 'integer' && !Number.isSafeInteger(n))) throw new UsageError(`${flag} must be ${what}, got ${describeValue(raw)}`);
  if ((o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) throw new UsageError(`${flag} must be ${what}, got ${describeValue(raw)}`);
  return n;
}

/** A command from its spec: parsing, help text and the run function. */
export function defineCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): Command {
  const options: Record<string, OptionSpec> = { ...spec.options, help: HELP };
  for (const [name, o] of Object.entries(options)) {
    if (o.default !== undefined && o.type !== 'boolean') convert(name, o, String(o.default)); // a bad default is a bug
  }
  const cmdName = `zkllm ${spec.name}`;

  function help(): string {
    const rows = Object.entries(options).map(([name, o]) => {
      const extra = [o.required ? 'required' : '', o.default !== undefined && o.type !== 'boolean' ? `default ${String(o.default)}` : ''].filter(Boolean).join(', ');
      return [flagLabel(name, o), o.help + (extra ? ` (${extra})` : '')];
    });
    const width = Math.min(30, Math.max(...rows.map(([l]) => l.length)));
    const lines = [`usage: ${cmdName} ${spec.usage ?? '[options]'}`, '', spec.summary, '', 'options:'];
    for (const [label, text] of rows) {
      const body = wrap(text, 100 - width - 4);
      const first = label.length > width ? [`  ${label}`, `  ${' '.repeat(width)}  ${body[0]}`] : [`  ${label.padEnd(width)}  ${body[0]}`];
      lines.push(...first, ...body.slice(1).map((l) => `  ${' '.repeat(width)}  ${l}`));
    }
    if (spec.positionals) lines.push('', `${spec.positionals.name}: ${spec.positionals.help}`);
    if (spec.details) lines.push('', spec.details);
    lines.push('', 'exit codes: 0 ok, 1 runtime failure (or a configuration failed), 2 usage error');
    return lines.join('\n');
  }

  function usageError(message: string): UsageError {
    return new UsageError(`${message} (see '${cmdName} --help')`, spec.name);
  }

  function parse(argv: string[]): ParsedArgs<O> {
    const nodeOptions: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
    for (const [name, o] of Object.entries(options)) nodeOptions[name] = { type: o.type === 'boolean' ? 'boolean' : 'string', ...(o.short ? { short: o.short } : {}) };
    const known = Object.keys(options).map((n) => `--${n}`);
    // A negative number after a numeric flag is its value (`--low -5`), not an option: joined as
    // --low=-5 so that strict parsing takes it and the range check can name it.
    argv = argv.map((a, i) => {
      const prev = argv[i - 1];
      const o = prev?.startsWith('--') && !prev.includes('=') ? options[prev.slice(2)] : undefined;
      return o && (o.type === 'integer' || o.type === 'number') && /^-(\d|\.\d)/.test(a) ? `\0${a}` : a;
    });
    for (let i = argv.length - 1; i > 0; i--) if (argv[i].startsWith('\0')) argv.splice(i - 1, 2, `${argv[i - 1]}=${argv[i].slice(1)}`);
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: argv, options: nodeOptions, strict: true, allowPositionals: spec.positionals !== undefined, tokens: true });
    } catch (e) {
      const err = e as Error & { code?: string };
      const m = /'(-[^' ]+)/.exec(err.message);
      const flag = m?.[1];
      if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
        const base = flag.split('=')[0];
        const near = base.startsWith('--') ? suggest(base, known) : undefined;
        throw usageError(`unknown option ${base}${near ? ` (did you mean ${near}?)` : ''}`);
      }
      if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
        const name = flag.replace(/^-+/, '').replace(/ .*/, '');
        const long = nodeOptions[name] ? name : Object.entries(options).find(([, o]) => o.short === name)?.[0];
        const label = long ? `--${long}` : flag;
        if (/does not take an argument/.test(err.message)) throw usageError(`${label} takes no value`);
        const o = long ? options[long] : undefined;
        if (/ambiguous/.test(err.message)) {
          // `--low -5`: a negative number is a value, not an option.
          throw usageError(`${label} needs a value, got the option-like ${argv[argv.indexOf(flag) + 1] ?? ''} (write ${label}=<value> for a value that starts with '-')`);
        }
        throw usageError(`${label} needs a value${o?.valueName ? ` (${o.valueName})` : o?.choices ? ` (${o.choices.join(', ')})` : ''}`);
      }
      if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
        const pm = /Unexpected argument '([^']*)'/.exec(err.message);
        throw usageError(`unexpected argument '${pm?.[1] ?? err.message}': ${cmdName} takes no positional arguments`);
      }
      throw usageError(err.message);
    }
    const seen = new Set<string>();
    for (const t of parsed.tokens ?? []) {
      if (t.kind !== 'option') continue;
      if (seen.has(t.name)) throw usageError(`--${t.name} is given more than once`);
      seen.add(t.name);
    }
    if (spec.positionals && parsed.positionals.length > spec.positionals.max)
      throw usageError(`too many arguments: ${cmdName} takes at most ${spec.positionals.max} ${spec.positionals.name}`);
    const values: Record<string, string | number | boolean | undefined> = {};
    for (const [name, o] of Object.entries(options)) {
      const raw = parsed.values[name];
      if (raw === undefined) {
        values[name] = o.default;
        continue;
      }
      if (o.type === 'boolean') values[name] = raw as boolean;
      else {
        try {
          values[name] = convert(name, o, raw as string);
        } catch (e) {
          throw usageError((e as Error).message);
        }
      }
    }
    if (!values.help) {
      for (const [name, o] of Object.entries(options))
        if (o.required && values[name] === undefined) throw usageError(`--${name}${o.valueName ? ` <${o.valueName}>` : ''} is required`);
    }
    return { values: values as OptionValues<O>, positionals: parsed.positionals, given: seen as Set<keyof O & string> };
  }

  return {
    name: spec.name,
    summary: spec.summary,
    options,
    help,
    parse: parse as Command['parse'],
    async invoke(argv, ctx) {
      // -h/--help wins over everything else on the line, even a bad flag.
      if (argv.includes('--help') || argv.includes('-h')) {
        process.stdout.write(help() + '\n');
        return EXIT.ok;
      }
      const args = parse(argv);
      const code = await spec.run(args, ctx);
      return code ?? EXIT.ok;
    },
  };
}

/** Throws a usage error naming --flag unless the condition holds. */
export function requireFlag(cond: boolean, message: string, command?: string): asserts cond {
  if (!cond) throw new UsageError(message, command);
}
