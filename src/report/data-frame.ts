// danfojs, typed. Its types are reachable only through its package.json "exports" (no top-level
// "types"), which the kit's tsconfig and tslab's notebook compiler ("node10" resolution) do not
// read; they do read the file path, so the types come from there and the module from require().
// Notebooks use `import { dfd } from 'zkllm-kit/report'` and get the same typed module.
import type * as Danfo from 'danfojs/dist/danfojs-browser/src/index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const dfd: typeof Danfo = require('danfojs');
export type DataFrame = Danfo.DataFrame;
