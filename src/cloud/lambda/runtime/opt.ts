/**
 * The folder that stands in for /opt: a function's layers unpacked over each other in the order the
 * function lists them (a later layer's file replaces an earlier one's, as on AWS), execute bits
 * kept. Built on an environment's first start, under `<dataDir>/opt/<hash of the layer zips>`, and
 * shared by every function version with the same layers in the same order (layer zips are
 * content-addressed, so the hash is a content hash). Functions must treat it as read-only, as /opt is.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { safeEntryPath } from '../code';
import { executableEntries } from '../zip';

export interface LayerContent {
  arn: string;
  /** The layer version's zip (content-addressed). */
  zipPath: string;
}

const building = new Map<string, Promise<string>>();

/** The /opt folder for these layers (built on first use), or undefined when there are none. */
export function optDir(dataDir: string, layers: LayerContent[] | undefined): Promise<string | undefined> {
  if (!layers || layers.length === 0) return Promise.resolve(undefined);
  const key = createHash('sha256').update(layers.map((l) => l.zipPath).join('\n')).digest('hex').slice(0, 24);
  const dir = path.join(path.resolve(dataDir), 'opt', key);
  let p = building.get(dir);
  if (!p) {
    p = build(dir, layers);
    building.set(dir, p);
    p.catch(() => building.delete(dir));
  }
  return p;
}

async function build(dir: string, layers: LayerContent[]): Promise<string> {
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  try {
    for (const layer of layers) await unpackOver(tmp, await readFile(layer.zipPath));
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

async function unpackOver(root: string, zip: Buffer): Promise<void> {
  const entries = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length));
  const executable = executableEntries(zip);
  for (const [name, data] of Object.entries(entries)) {
    const target = safeEntryPath(root, name);
    if (!target) continue; // refused at publish; never written outside /opt
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    const isDir = await stat(target).then((s) => s.isDirectory(), () => false);
    if (isDir) await rm(target, { recursive: true, force: true });
    await writeFile(target, data);
    await chmod(target, executable.has(name) ? 0o755 : 0o644);
  }
}
