/**
 * Functions that are not Node.js (functions/<name>/ with a `handler.py`, or a custom runtime's
 * `bootstrap`, and no index.ts): the folder zipped as it is, deterministically (sorted entries, the
 * fixed 1980-01-01 time, Unix attributes). Execute bits are kept, and a root `bootstrap` is always
 * executable (a checkout may lose the bit; Lambda needs it). Caches, __pycache__ and dot files stay out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/** Marker files of a plain function folder. */
const MARKERS = ['handler.py', 'bootstrap'];
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const ZIP_OS_UNIX = 3;

export interface PlainBuild {
  name: string;
  zipPath: string;
  zip: Buffer;
  codeSha256: string;
  size: number;
  cached: boolean;
}

/** Whether functions/<name> is a plain (non-Node.js) function folder. */
export function isPlainFunction(functionsDir: string, name: string): boolean {
  const dir = path.join(functionsDir, name);
  return !existsSync(path.join(dir, 'index.ts')) && MARKERS.some((m) => existsSync(path.join(dir, m)));
}

async function collect(root: string, rel = ''): Promise<{ name: string; file: string }[]> {
  const out: { name: string; file: string }[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === '__pycache__' || e.name.endsWith('.pyc')) continue;
    const name = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await collect(root, name)));
    else if (e.isFile()) out.push({ name, file: path.join(root, name) });
  }
  return out;
}

/** Zip functions/<name> as it is into <outDir>/<name>.zip (cached: true when the bytes were already there). */
export async function buildPlainFunction(name: string, functionsDir: string, outDir: string): Promise<PlainBuild> {
  const root = path.join(functionsDir, name);
  const zippable: Zippable = {};
  for (const { name: entry, file } of (await collect(root)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const executable = entry === 'bootstrap' || ((await stat(file)).mode & 0o111) !== 0;
    const attrs = ((executable ? 0o100755 : 0o100644) << 16) >>> 0;
    zippable[entry] = [new Uint8Array(await readFile(file)), { mtime: ZIP_MTIME, attrs, os: ZIP_OS_UNIX, level: 9 }];
  }
  const zipped = zipSync(zippable);
  const zip = Buffer.from(zipped.buffer, zipped.byteOffset, zipped.byteLength);
  const codeSha256 = createHash('sha256').update(zip).digest('base64');
  const zipPath = path.join(outDir, `${name}.zip`);
  const cached = await readFile(zipPath).then((old) => old.equals(zip), () => false);
  if (!cached) {
    await mkdir(outDir, { recursive: true });
    const tmp = `${zipPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, zip);
    await rename(tmp, zipPath);
  }
  return { name, zipPath, zip, codeSha256, size: zip.length, cached };
}
