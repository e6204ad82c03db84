/**
 * Bundles the bootstrap (bootstrap.ts, or the compiled bootstrap.js in a build) into one
 * self-contained CommonJS file under `<dataDir>/runtime/`, named by content hash so that a
 * changed bootstrap never reuses a stale file. Done once per data folder per process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

const cache = new Map<string, Promise<string>>();

function bootstrapSource(): string {
  for (const name of ['bootstrap.ts', 'bootstrap.js']) {
    const p = path.join(__dirname, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`lambda runtime bootstrap not found next to ${__filename}`);
}

async function build(dataDir: string): Promise<string> {
  // Loaded lazily: esbuild is only needed once, when the first environment starts.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [bootstrapSource()],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    write: false,
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = path.join(dataDir, 'runtime');
  const file = path.join(dir, `bootstrap-${hash}.js`);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, code);
    await rename(tmp, file);
  }
  return file;
}

/** Path of the bundled bootstrap for this data folder (built on first use). */
export function bundledBootstrap(dataDir: string): Promise<string> {
  const key = path.resolve(dataDir);
  let p = cache.get(key);
  if (!p) {
    p = build(key);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
