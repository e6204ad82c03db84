#!/usr/bin/env node
'use strict';
/**
 * `npm run image:local`: builds the Dockerfile's image without a registry, for machines that cannot
 * pull base images. The base comes from this machine instead of node:20-bookworm-slim:
 *   1. a root filesystem: this machine's `node` binary and the shared libraries it (and any native
 *      module staged) loads, /etc/passwd and /etc/group with the node user (uid 1000), /tmp, and
 *      /app staged by scripts/image-stage.js (the same dist/ and production node_modules the
 *      Dockerfile stages);
 *   2. `docker import` of it as lambda-testbed-base:local;
 *   3. `docker build` of a small Dockerfile FROM that base with the repository Dockerfile's settings
 *      block (ENV, WORKDIR, USER, EXPOSE, HEALTHCHECK, CMD), so both images are configured alike.
 * Prints the image size. Fails with one line saying what to do when Docker is missing or stopped.
 *
 * Usage: npm run image:local [-- --tag <name:tag>]     (default lambda-testbed:local)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const DEFAULT_TAG = 'lambda-testbed:local';
const BASE_TAG = 'lambda-testbed-base:local';

function fail(message) {
  process.stderr.write(`image:local: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  let tag = DEFAULT_TAG;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tag' && argv[i + 1]) tag = argv[++i];
    else if (argv[i].startsWith('--tag=')) tag = argv[i].slice('--tag='.length);
    else fail(`unknown argument "${argv[i]}"; usage: npm run image:local [-- --tag <name:tag>]`);
  }
  return { tag };
}

/** The Docker CLI answers and its daemon runs; else one line saying what to do. */
function checkDocker() {
  const r = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error && r.error.code === 'ENOENT') {
    fail('docker: command not found. Install Docker (https://docs.docker.com/engine/install/), start it, and run npm run image:local again.');
  }
  if (r.error) fail(`docker did not answer (${r.error.message}); check that the Docker daemon is running.`);
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || '').trim().split('\n').filter(Boolean).pop() || `exit ${r.status}`;
    if (/permission denied/i.test(why)) {
      fail(`no permission to use the Docker daemon (${why}); add your user to the docker group, or run as root.`);
    }
    fail(`the Docker daemon is not running (${why}); start it (sudo systemctl start docker, or open Docker Desktop) and run npm run image:local again.`);
  }
  return r.stdout.trim();
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) fail(`${cmd}: ${r.error.code === 'ENOENT' ? 'command not found' : r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args[0]} failed (exit ${r.status}).`);
  return r;
}

function isElf(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return fs.readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === '\x7fELF';
  } finally {
    fs.closeSync(fd);
  }
}

/** Every ELF file under dir (native modules, bundled binaries). */
function elfFiles(dir) {
  const out = [];
  for (const rel of fs.readdirSync(dir, { recursive: true })) {
    const file = path.join(dir, String(rel));
    const st = fs.lstatSync(file);
    if (st.isFile() && st.size > 1024 && isElf(file)) out.push(file);
  }
  return out;
}

/** The shared libraries `file` loads, with the dynamic loader, as absolute paths; [] for a static binary. */
function sharedLibraries(file) {
  const r = spawnSync('ldd', [file], { encoding: 'utf8' });
  if (r.error) fail(`ldd: ${r.error.code === 'ENOENT' ? 'command not found (it comes with the C library: apt-get install libc-bin)' : r.error.message}`);
  const text = `${r.stdout}${r.stderr}`;
  if (/not a dynamic executable|statically linked/.test(text)) return [];
  if (r.status !== 0) fail(`ldd ${file} failed: ${text.trim()}`);
  const libs = [];
  for (const line of text.split('\n')) {
    const missing = /^\s*(\S+) => not found/.exec(line);
    if (missing) fail(`${file} needs ${missing[1]}, which this machine does not have.`);
    const m = /=>\s+(\/\S+)\s+\(/.exec(line) || /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]);
  }
  return libs;
}

/** Copies `file` (symlinks followed) to the same path under rootfs. */
function copyInto(rootfs, file, mode) {
  const dest = path.join(rootfs, file);
  if (fs.existsSync(dest)) return;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(fs.realpathSync(file), dest);
  fs.chmodSync(dest, mode ?? (fs.statSync(file).mode & 0o777));
}

function buildRootfs(rootfs) {
  const app = path.join(rootfs, 'app');
  run(process.execPath, [path.join(__dirname, 'image-stage.js'), app], { cwd: root });

  const node = fs.realpathSync(process.execPath);
  const nodeInImage = path.join(rootfs, 'usr', 'local', 'bin', 'node');
  fs.mkdirSync(path.dirname(nodeInImage), { recursive: true });
  fs.copyFileSync(node, nodeInImage);
  fs.chmodSync(nodeInImage, 0o755);
  const libs = new Set(sharedLibraries(node));
  for (const file of elfFiles(path.join(app, 'node_modules'))) for (const lib of sharedLibraries(file)) libs.add(lib);
  for (const lib of libs) copyInto(rootfs, lib);

  const etc = path.join(rootfs, 'etc');
  fs.mkdirSync(etc, { recursive: true });
  fs.writeFileSync(path.join(etc, 'passwd'), 'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000::/home/node:/usr/sbin/nologin\n');
  fs.writeFileSync(path.join(etc, 'group'), 'root:x:0:\nnode:x:1000:\n');
  fs.mkdirSync(path.join(rootfs, 'root'), { mode: 0o700 });
  fs.mkdirSync(path.join(rootfs, 'tmp'));
  fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  return { node, libs: [...libs] };
}

/** tar of rootfs (every file owned by root) piped into `docker import`. */
function importBase(rootfs) {
  return new Promise((resolve) => {
    const tar = spawn('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const imp = spawn('docker', ['import', '--message', 'lambda-testbed base: local node and libraries, /app', '-', BASE_TAG], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    tar.stdout.pipe(imp.stdin);
    let tarCode;
    tar.on('error', (e) => fail(`tar: ${e.code === 'ENOENT' ? 'command not found' : e.message}`));
    imp.on('error', (e) => fail(`docker import: ${e.message}`));
    tar.on('close', (code) => (tarCode = code));
    imp.on('close', (code) => {
      if (tarCode !== 0) fail(`tar failed (exit ${tarCode}).`);
      if (code !== 0) fail(`docker import failed (exit ${code}).`);
      resolve();
    });
  });
}

/** The repository Dockerfile's settings block (ENV ... CMD), shared by both builds. */
function settingsBlock() {
  const text = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const m = /^# image settings begin.*\n([\s\S]*?)^# image settings end/m.exec(text);
  if (!m) fail('the Dockerfile has no "# image settings begin" ... "# image settings end" block.');
  return m[1];
}

function buildImage(context, tag) {
  fs.mkdirSync(path.join(context, 'home'));
  fs.writeFileSync(
    path.join(context, 'Dockerfile'),
    [
      `FROM ${BASE_TAG}`,
      // As in node:20-bookworm-slim: the node user's home, owned by it.
      'COPY --chown=1000:1000 home /home/node',
      settingsBlock(),
    ].join('\n'),
  );
  run('docker', ['build', '--quiet', '--tag', tag, context], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function imageSize(tag) {
  const r = spawnSync('docker', ['image', 'inspect', '--format', '{{.Size}}', tag], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : NaN;
}

async function main() {
  const { tag } = parseArgs(process.argv.slice(2));
  if (process.platform !== 'linux') {
    fail(`this builds from the local node binary, which must be a Linux one (here: ${process.platform}); use docker build -t ${tag} . instead.`);
  }
  const started = Date.now();
  const server = checkDocker();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-testbed-image-'));
  // On 'exit' rather than in a finally: fail() exits at once.
  process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
  const rootfs = path.join(work, 'rootfs');
  const { node, libs } = buildRootfs(rootfs);
  await importBase(rootfs);
  const context = path.join(work, 'context');
  fs.mkdirSync(context);
  buildImage(context, tag);
  const size = imageSize(tag);
  process.stdout.write(
    `image:local: built ${tag} (${(size / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `from node ${process.version} (${node}, ${libs.length} shared libraries) on Docker ${server}\n`,
  );
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
