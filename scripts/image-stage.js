#!/usr/bin/env node
'use strict';
/**
 * Stages the image's /app folder: what `testbed serve` needs at run time and nothing else.
 *   dist/          compiled from src/ (no source maps)
 *   package.json   the run-time dependencies only (for the version `serve` prints)
 *   node_modules/  exactly those packages, pruned from this checkout's node_modules with npm (offline)
 * Both image builds call it, so they hold the same files:
 *   Dockerfile, build stage (after `npm ci`):  node scripts/image-stage.js /stage/app
 *   scripts/image-local.js (no registry):        the same, from this checkout
 * The image only serves: functions/ and scenarios/ are not in it, and neither are the dependencies
 * of `testbed run` (jest, Testcontainers), which serve never loads.
 *
 * Usage: node scripts/image-stage.js <app-dir>   (the folder must not exist yet, or be empty)
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

/** Dependencies only `testbed run` loads (the scenario runner and its reporters, the LocalStack and container targets). */
const RUN_ONLY = ['jest', 'jest-junit', 'testcontainers', '@testcontainers/localstack'];

function fail(message) {
  process.stderr.write(`image-stage: ${message}\n`);
  process.exit(1);
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) fail(`${cmd}: ${r.error.code === 'ENOENT' ? 'command not found' : r.error.message}`);
  return r.status;
}

function compile(app) {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    fail('typescript is not installed here; run `npm ci` first (the image is compiled from src/).');
  }
  const status = run(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', path.join(app, 'dist'), '--sourceMap', 'false'], {
    cwd: root,
  });
  const entry = path.join(app, 'dist', 'cli', 'index.js');
  if (!fs.existsSync(entry)) fail(`compiling src/ failed (tsc exit ${status}); run "npm run build" to see why.`);
  // As bin/ensure-dist.js: type errors (exit 2) still emit; the image gets what tsc emitted.
  if (status !== 0) process.stderr.write(`image-stage: tsc reported errors (exit ${status}); staging what it emitted.\n`);
}

function writePackageJson(app) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dependencies = { ...pkg.dependencies };
  for (const name of RUN_ONLY) delete dependencies[name];
  const out = {
    name: pkg.name,
    version: pkg.version,
    private: true,
    description: pkg.description,
    license: pkg.license,
    engines: pkg.engines,
    dependencies,
  };
  fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify(out, null, 2)}\n`);
}

function stageNodeModules(app) {
  const from = path.join(root, 'node_modules');
  if (!fs.existsSync(from)) fail('node_modules is missing; run `npm ci` first.');
  fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(app, 'package-lock.json'));
  fs.cpSync(from, path.join(app, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  // npm removes what package.json (now without the dev and run-only dependencies) does not need,
  // keeping the versions package-lock.json pins. Offline: nothing is fetched, only removed.
  const status = run('npm', ['prune', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
  if (status !== 0) fail(`npm prune failed (exit ${status}).`);
  fs.rmSync(path.join(app, 'package-lock.json'));
  fs.rmSync(path.join(app, 'node_modules', '.bin'), { recursive: true, force: true });
  linkEsbuildBinary(path.join(app, 'node_modules'));
  // npm leaves the folders of emptied scopes (@jest, @babel, ...) behind.
  for (const name of fs.readdirSync(path.join(app, 'node_modules'))) {
    const dir = path.join(app, 'node_modules', name);
    if (name.startsWith('@') && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
}

/**
 * esbuild/bin/esbuild is a JavaScript launcher as published; esbuild's install script (run by a plain
 * `npm ci`, not by `npm ci --ignore-scripts`) replaces it with a second copy of the 10 MB platform
 * binary. Either way it becomes a link to the platform binary, which is what the JavaScript API runs,
 * so both builds stage the same files and the binary once.
 */
function linkEsbuildBinary(modules) {
  const scope = path.join(modules, '@esbuild');
  const launcher = path.join(modules, 'esbuild', 'bin', 'esbuild');
  if (!fs.existsSync(scope) || !fs.existsSync(launcher)) return;
  const platforms = fs.readdirSync(scope).filter((p) => fs.existsSync(path.join(scope, p, 'bin', 'esbuild')));
  if (platforms.length !== 1) return;
  fs.rmSync(launcher);
  fs.symlinkSync(path.join('..', '..', '@esbuild', platforms[0], 'bin', 'esbuild'), launcher);
}

function main() {
  const target = process.argv[2];
  if (!target) fail('usage: node scripts/image-stage.js <app-dir>');
  const app = path.resolve(target);
  if (fs.existsSync(app) && fs.readdirSync(app).length > 0) fail(`${app} is not empty.`);
  fs.mkdirSync(app, { recursive: true });
  compile(app);
  writePackageJson(app);
  stageNodeModules(app);
  const leftover = RUN_ONLY.filter((name) => fs.existsSync(path.join(app, 'node_modules', name)));
  if (leftover.length) fail(`run-only packages still staged: ${leftover.join(', ')}`);
  process.stdout.write(`image-stage: staged ${app} (dist/, package.json, production node_modules)\n`);
}

main();
