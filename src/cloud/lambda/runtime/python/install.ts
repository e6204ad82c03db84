/**
 * Writes the Python bootstrap (source.ts) to `<dataDir>/runtime/python-<hash>/bootstrap.py`, once
 * per data folder per process, named by content hash so a changed bootstrap never reuses a stale
 * file. The file is called bootstrap.py as AWS's is: tracebacks leave out its frames by that name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PYTHON_BOOTSTRAP } from './source';

const cache = new Map<string, Promise<string>>();

async function install(dataDir: string): Promise<string> {
  const hash = createHash('sha256').update(PYTHON_BOOTSTRAP).digest('hex').slice(0, 16);
  const dir = path.join(dataDir, 'runtime', `python-${hash}`);
  const file = path.join(dir, 'bootstrap.py');
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, PYTHON_BOOTSTRAP);
    await rename(tmp, file);
  }
  return file;
}

/** Path of the Python bootstrap for this data folder (written on first use). */
export function pythonBootstrap(dataDir: string): Promise<string> {
  const key = path.resolve(dataDir);
  let p = cache.get(key);
  if (!p) {
    p = install(key);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}
