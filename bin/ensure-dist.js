'use strict';
// dist/ is compiled from src/ by `npm run build` (the "prepare" script, so `npm ci` does it). When the
// requested entry is missing, or older than a file under src/ (an edit since the last build), src/ is
// compiled here first, so the command never runs stale code.
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src');

function newestSourceMtime() {
  let newest = 0;
  const inputs = [path.join(root, 'tsconfig.json'), path.join(root, 'tsconfig.build.json')];
  for (const rel of fs.readdirSync(srcDir, { recursive: true })) {
    inputs.push(path.join(srcDir, String(rel)));
  }
  for (const file of inputs) {
    try {
      const st = fs.statSync(file);
      if (st.isFile() && st.mtimeMs > newest) newest = st.mtimeMs;
    } catch {
      /* vanished while listing */
    }
  }
  return newest;
}

function needsBuild(entry) {
  if (!fs.existsSync(entry)) return 'missing';
  if (fs.existsSync(srcDir) && newestSourceMtime() > fs.statSync(entry).mtimeMs) return 'older than src/';
  return null;
}

/**
 * Removes what tsc left in dist/ from sources that are gone (tsc never deletes): a stale
 * dist/x.js would shadow a newer dist/x/index.js. Files compiled from an existing src/ file stay.
 */
function pruneDist() {
  const distDir = path.join(root, 'dist');
  if (!fs.existsSync(distDir) || !fs.existsSync(srcDir)) return;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
        continue;
      }
      const m = /^(.*?)\.(js|js\.map|d\.ts|d\.ts\.map)$/.exec(entry.name);
      if (!m) continue;
      const base = path.join(srcDir, path.relative(distDir, dir), m[1]);
      if (!fs.existsSync(`${base}.ts`) && !fs.existsSync(`${base}.js`)) fs.rmSync(full, { force: true });
    }
  };
  walk(distDir);
}

/** Absolute path of dist/<relative>, compiling src/ first when it is missing or stale. */
function ensureDist(relative) {
  const entry = path.join(root, 'dist', relative);
  const why = needsBuild(entry);
  if (!why) return entry;
  process.stderr.write(`testbed: ${path.relative(root, entry)} is ${why}; compiling src/ (npm run build)...\n`);
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  pruneDist();
  if (!fs.existsSync(entry)) {
    process.stderr.write(`testbed: compiling failed (tsc exit ${result.status}); run "npm run build" to see why.\n`);
    process.exit(1);
  }
  if (result.status !== 0) {
    process.stderr.write(`testbed: tsc reported errors (exit ${result.status}); running what it emitted.\n`);
  }
  return entry;
}

module.exports = { ensureDist, pruneDist, root };
