// How a value looks in an error message: its type, and the value when that helps
// ("got a string ('16')", "got 2.5", "got a bigint (1n)").

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array (length ${v.length})`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  const shown = (x: string) => (x.length > 40 ? `${x.slice(0, 37)}...` : x);
  switch (typeof v) {
    case 'string':
      return `a string ('${shown(v)}')`;
    case 'number':
      return Number.isNaN(v) ? 'NaN' : String(v);
    case 'bigint':
      return `a bigint (${shown(v.toString())}n)`;
    case 'boolean':
      return `a boolean (${v})`;
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}

