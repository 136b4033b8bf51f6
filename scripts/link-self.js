#!/usr/bin/env node
// Links node_modules/zkllm-kit to this checkout, so TypeScript finds `import … from 'zkllm-kit'`
// and 'zkllm-kit/acc' in a checkout too. Node itself resolves the package's own name through
// package.json "exports" (self-reference), but TypeScript's "node10" resolution, which tslab's
// notebook kernel uses, only looks in node_modules. Also puts the `zkllm` command in
// node_modules/.bin: npm does not link a package's own bins, and without it `npx zkllm` in a checkout
// installs the checkout into npx's cache first (its prepare and native build, minutes) before it runs.
// Runs from `prepare` (npm ci / npm install in a checkout); does nothing when the kit is itself
// installed inside a node_modules folder.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
if (root.split(path.sep).includes('node_modules')) process.exit(0);
const link = path.join(root, 'node_modules', 'zkllm-kit');
let existing;
try {
  existing = fs.lstatSync(link);
} catch {
  existing = undefined;
}
if (!existing) {
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync('..', link, 'dir');
} else if (!(existing.isSymbolicLink() && path.resolve(path.dirname(link), fs.readlinkSync(link)) === root)) {
  console.warn(`link-self: ${link} exists and is not a link to this checkout; left as it is`);
}
// a wrapper, not a link: dist/src/cli.js is written by tsc without the execute bit
const bin = path.join(root, 'node_modules', '.bin', 'zkllm');
if (!fs.existsSync(bin)) {
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  fs.writeFileSync(bin, '#!/bin/sh\nexec node "$(dirname "$0")/../../dist/src/cli.js" "$@"\n', { mode: 0o755 });
}
