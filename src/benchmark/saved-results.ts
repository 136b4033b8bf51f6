/**
 * Saved `--json` results of one kind from a file's text: one result or an array of them, each
 * passing `isResult` (throws naming the file, and the entry in an array, otherwise).
 */
export function readSavedResults<T>(text: string, file: string, isResult: (x: Partial<T> | null) => boolean, what: string): T[] {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(j) ? j : [j];
  list.forEach((r, i) => {
    if (!isResult(r as Partial<T> | null)) throw new Error(`${file}${list.length > 1 ? ` [${i}]` : ''}: not a ${what} result`);
  });
  return list as T[];
}
