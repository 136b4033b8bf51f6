#!/usr/bin/env node
// Builds the native addon into build/Release/zkllm.node; runs on `npm ci`.
//   ZKLLM_CUDA=0|1       force the CPU-only or the CUDA build (default: CUDA when nvcc is found)
//   ZKLLM_CUDA_ARCHS     e.g. "sm_90,sm_80" (default: the local GPU's, else sm_90)
//   ZKLLM_BUILD_JOBS     parallel compiler processes (default: number of cores)
//   ZKLLM_BUILD_DIR      output folder instead of build/ (load it with ZKLLM_ADDON=<dir>/Release/zkllm.node)
// Compiles directly with g++/nvcc against node-api-headers, so no Node headers need downloading.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const nativeDir = path.join(root, 'native');
const buildDir = process.env.ZKLLM_BUILD_DIR ? path.resolve(process.env.ZKLLM_BUILD_DIR) : path.join(root, 'build');
const objDir = path.join(buildDir, 'obj');
const outFile = path.join(buildDir, 'Release', 'zkllm.node');

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}

function findNvcc() {
  if (process.env.CUDA_HOME && fs.existsSync(path.join(process.env.CUDA_HOME, 'bin', 'nvcc')))
    return path.join(process.env.CUDA_HOME, 'bin', 'nvcc');
  return which('nvcc') || (fs.existsSync('/usr/local/cuda/bin/nvcc') ? '/usr/local/cuda/bin/nvcc' : null);
}

function normaliseArch(a) {
  const s = a.trim().toLowerCase().replace(/^sm_/, '').replace(/^compute_/, '').replace('.', '');
  if (!/^\d{2,3}[af]?$/.test(s)) throw new Error(`ZKLLM_CUDA_ARCHS: cannot read architecture '${a}'`);
  return `sm_${s}`;
}

function localGpuArchs() {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=compute_cap', '--format=csv,noheader'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10000,
    });
    return [...new Set(out.split('\n').filter((l) => l.trim()).map(normaliseArch))];
  } catch {
    return [];
  }
}

function pickConfig() {
  const flag = process.env.ZKLLM_CUDA;
  if (flag !== undefined && flag !== '' && flag !== '0' && flag !== '1')
    throw new Error(`ZKLLM_CUDA must be 0 or 1, got '${flag}'`);
  const nvcc = flag === '0' ? null : findNvcc();
  if (flag === '1' && !nvcc) throw new Error('ZKLLM_CUDA=1 but nvcc was not found (set CUDA_HOME or PATH)');
  if (!nvcc) return { cuda: false, archs: [] };
  const env = process.env.ZKLLM_CUDA_ARCHS;
  let archs = env ? env.split(/[,; ]+/).filter(Boolean).map(normaliseArch) : localGpuArchs();
  if (archs.length === 0) archs = ['sm_90'];
  return { cuda: true, nvcc, archs };
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (exit ${code}): ${args.join(' ')}`))));
  });
}

async function pool(tasks, jobs) {
  let next = 0;
  const workers = Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
    while (next < tasks.length) await tasks[next++]();
  });
  await Promise.all(workers);
}

async function main() {
  const cfg = pickConfig();
  const includes = [
    `-I${require('node-api-headers').include_dir}`,
    `-I${path.resolve(root, require('node-addon-api').include_dir)}`,
  ];
  const defines = ['-DNAPI_VERSION=8', '-DNODE_ADDON_API_CPP_EXCEPTIONS', '-DNODE_ADDON_API_DISABLE_DEPRECATED'];
  if (cfg.cuda) defines.push('-DZKLLM_WITH_CUDA', `-DZKLLM_CUDA_ARCHS="${cfg.archs.join(',')}"`);
  const cxxFlags = ['-O3', '-std=c++17', '-fPIC', '-pthread', '-fvisibility=hidden', '-Wall', '-Wno-unused-function', ...defines, ...includes];
  const gencode = cfg.archs.flatMap((a) => ['-gencode', `arch=${a.replace('sm_', 'compute_')},code=${a}`]);
  const nvccFlags = ['-O3', '-std=c++17', '-Xcompiler', '-fPIC,-pthread,-fvisibility=hidden', ...gencode, ...defines, ...includes];

  const files = walk(nativeDir);
  const headers = files.filter((f) => /\.(h|hpp|cuh)$/.test(f));
  const sources = files.filter((f) => f.endsWith('.cpp') || (cfg.cuda && f.endsWith('.cu')));
  // Any header or flag change rebuilds everything; otherwise only sources newer than their object.
  const stamp = crypto.createHash('sha256').update(JSON.stringify([cxxFlags, nvccFlags])).digest('hex');
  const newestHeader = Math.max(0, ...headers.map((h) => fs.statSync(h).mtimeMs));
  const stampFile = path.join(buildDir, 'flags.sha256');
  const sameFlags = fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });

  const objects = [];
  const tasks = [];
  for (const src of sources) {
    const rel = path.relative(nativeDir, src);
    const obj = path.join(objDir, rel.replace(/[\\/]/g, '__') + '.o');
    objects.push(obj);
    const fresh = sameFlags && fs.existsSync(obj) && fs.statSync(obj).mtimeMs > Math.max(fs.statSync(src).mtimeMs, newestHeader);
    if (fresh) continue;
    tasks.push(async () => {
      fs.mkdirSync(objDir, { recursive: true });
      const t0 = Date.now();
      if (src.endsWith('.cu')) await run(cfg.nvcc, [...nvccFlags, '-c', src, '-o', obj]);
      else await run('g++', [...cxxFlags, '-c', src, '-o', obj]);
      console.log(`  compiled ${rel} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    });
  }
  console.log(`zkllm-kit native build: ${cfg.cuda ? `CUDA (${cfg.archs.join(', ')}, static cudart)` : 'CPU only'}; ${tasks.length} of ${sources.length} sources to compile`);
  const jobs = Number(process.env.ZKLLM_BUILD_JOBS) || os.cpus().length;
  await pool(tasks, jobs);
  fs.writeFileSync(stampFile, stamp);
  if (cfg.cuda) await run(cfg.nvcc, ['-shared', '--cudart=static', ...gencode, '-Xcompiler', '-pthread', '-o', outFile, ...objects, '-ldl', '-lrt']);
  else await run('g++', ['-shared', '-pthread', '-o', outFile, ...objects]);
  fs.writeFileSync(path.join(buildDir, 'Release', 'build-config.json'), JSON.stringify({ cuda: cfg.cuda, archs: cfg.archs }, null, 2) + '\n');
  console.log(`zkllm-kit native build: wrote ${path.relative(root, outFile)}`);
}

main().catch((e) => {
  console.error(`zkllm-kit native build failed: ${e.message}`);
  process.exit(1);
});
