/**
 * Bundles each function under functions/ with esbuild into a deterministic zip, as Lambda's
 * CreateFunction/UpdateFunctionCode take it: `index.js` at the zip root, handler `index.handler`.
 * A folder without index.ts that holds a `handler.py` (Python) or a `bootstrap` (custom runtime) is
 * zipped as it is instead (build-plain.ts).
 *
 * Identical sources give identical zip bytes and so an identical CodeSha256, on any machine and in
 * any time zone. Builds are cached per function in outDir and skipped while the content of every
 * input file esbuild read (and the build settings) is unchanged.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { zipSync, type Zippable } from 'fflate';
import { buildPlainFunction, isPlainFunction } from './build-plain';

export interface BuiltFunction {
  name: string;
  zipPath: string;
  zip: Buffer;
  /** Base64 sha256 of the zip, as Lambda reports CodeSha256. */
  codeSha256: string;
  /** Zip size in bytes (Lambda's CodeSize). */
  size: number;
  /** True when the zip was reused from the cache in outDir rather than rebuilt. */
  cached: boolean;
}

export interface BuildOptions {
  /** Folder holding one folder per function (default <repo>/functions). */
  functionsDir?: string;
  /** Where zips and cache files go (default <repo>/.testbed/build). */
  outDir?: string;
  /** Rebuild even when the cache says the inputs are unchanged. */
  force?: boolean;
}

export interface BuildFunctionsOptions extends BuildOptions {
  /** Build only these functions (default: every function folder). */
  names?: string[];
}

/** The handler setting for every built function. */
export const HANDLER = 'index.handler';

/** Fixed zip entry time: 1980-01-01 00:00 local, which the DOS date fields encode the same in every time zone. */
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** Regular file, rw-r--r-- (Unix mode in the high 16 bits of the external attributes). */
const ZIP_FILE_ATTRS = (0o100644 << 16) >>> 0;
const ZIP_OS_UNIX = 3;
/** Bump when the zip layout or build settings change in a way the options key does not capture. */
const CACHE_FORMAT = 1;

const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  // The Lambda Node.js runtimes (18.x and later) provide AWS SDK v3.
  external: ['@aws-sdk/*'],
  charset: 'utf8',
} as const satisfies esbuild.BuildOptions;

/** Thrown when a function cannot be built; `details` holds esbuild's messages, one per line. */
export class FunctionBuildError extends Error {
  constructor(
    readonly functionName: string,
    readonly details: string[],
  ) {
    super(`Failed to build function "${functionName}":\n  ${details.join('\n  ')}`);
    this.name = 'FunctionBuildError';
  }
}

/** The nearest folder at or above `from` that holds a package.json. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json found at or above ${from}`);
    dir = parent;
  }
}

function resolveDirs(opts: BuildOptions): { functionsDir: string; outDir: string } {
  return {
    functionsDir: path.resolve(opts.functionsDir ?? path.join(findRepoRoot(), 'functions')),
    outDir: path.resolve(opts.outDir ?? path.join(findRepoRoot(), '.testbed', 'build')),
  };
}

/** Every function name: each folder under functionsDir whose name starts with neither `_` nor `.`. */
export async function listFunctionNames(functionsDir: string = path.join(findRepoRoot(), 'functions')): Promise<string[]> {
  const entries = await readdir(functionsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/**
 * A deterministic zip: entries sorted by name, fixed time, Unix attributes 0644, deflate level 9.
 * Exported for tests and for building hand-made deployment packages.
 */
export function zipFiles(files: Record<string, Uint8Array | string>): Buffer {
  const zippable: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    const content = files[name]!;
    const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    zippable[name] = [data, { mtime: ZIP_MTIME, attrs: ZIP_FILE_ATTRS, os: ZIP_OS_UNIX, level: 9 }];
  }
  const zipped = zipSync(zippable);
  return Buffer.from(zipped.buffer, zipped.byteOffset, zipped.byteLength);
}

/** Base64 sha256, as Lambda's CodeSha256. */
export function codeSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}

interface CacheEntry {
  format: number;
  optionsKey: string;
  /** esbuild's input paths, relative to functionsDir. */
  inputs: string[];
  inputsHash: string;
  codeSha256: string;
}

const OPTIONS_KEY = JSON.stringify({ CACHE_FORMAT, esbuild: esbuild.version, ESBUILD_OPTIONS, ZIP_FILE_ATTRS });

async function hashInputs(functionsDir: string, inputs: string[]): Promise<string | null> {
  const hash = createHash('sha256').update(OPTIONS_KEY);
  for (const input of [...inputs].sort()) {
    let content: Buffer;
    try {
      content = await readFile(path.resolve(functionsDir, input));
    } catch {
      return null; // an input vanished: rebuild
    }
    hash.update(`\0${input}\0`).update(createHash('sha256').update(content).digest());
  }
  return hash.digest('hex');
}

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

async function readCached(name: string, functionsDir: string, zipPath: string, metaPath: string): Promise<BuiltFunction | null> {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(await readFile(metaPath, 'utf8')) as CacheEntry;
  } catch {
    return null;
  }
  if (entry.format !== CACHE_FORMAT || entry.optionsKey !== OPTIONS_KEY || !Array.isArray(entry.inputs)) return null;
  if ((await hashInputs(functionsDir, entry.inputs)) !== entry.inputsHash) return null;
  let zip: Buffer;
  try {
    zip = await readFile(zipPath);
  } catch {
    return null;
  }
  const sha = codeSha256(zip);
  if (sha !== entry.codeSha256) return null;
  return { name, zipPath, zip, codeSha256: sha, size: zip.length, cached: true };
}

function formatMessage(m: esbuild.Message): string {
  const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : '';
  const line = m.location?.lineText ? `\n      ${m.location.lineText.trim()}` : '';
  return `${where}ERROR: ${m.text}${line}`;
}

/** Builds one function into <outDir>/<name>.zip (or reuses the cached zip). */
export async function buildFunction(name: string, opts: BuildOptions = {}): Promise<BuiltFunction> {
  const { functionsDir, outDir } = resolveDirs(opts);
  const entry = path.join(functionsDir, name, 'index.ts');
  // A Python function (handler.py) or a custom runtime (bootstrap) is zipped as it is: build-plain.ts.
  if (isPlainFunction(functionsDir, name)) return buildPlainFunction(name, functionsDir, outDir);
  if (!existsSync(entry)) {
    throw new FunctionBuildError(name, [`${entry} does not exist (each function is functions/<name>/index.ts exporting handler)`]);
  }
  const zipPath = path.join(outDir, `${name}.zip`);
  const metaPath = path.join(outDir, `${name}.build.json`);
  if (!opts.force) {
    const cached = await readCached(name, functionsDir, zipPath, metaPath);
    if (cached) return cached;
  }

  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      ...ESBUILD_OPTIONS,
      external: [...ESBUILD_OPTIONS.external],
      entryPoints: [entry],
      outfile: path.join(outDir, name, 'index.js'),
      absWorkingDir: functionsDir,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  } catch (error) {
    const errors = (error as { errors?: esbuild.Message[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) throw new FunctionBuildError(name, errors.map(formatMessage));
    throw new FunctionBuildError(name, [error instanceof Error ? error.message : String(error)]);
  }
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new FunctionBuildError(name, ['esbuild produced no JavaScript output']);

  const zip = zipFiles({ 'index.js': js.contents });
  const sha = codeSha256(zip);
  const inputs = Object.keys(result.metafile.inputs).sort();
  const inputsHash = await hashInputs(functionsDir, inputs);

  await mkdir(outDir, { recursive: true });
  await writeAtomic(zipPath, zip);
  if (inputsHash !== null) {
    const cacheEntry: CacheEntry = { format: CACHE_FORMAT, optionsKey: OPTIONS_KEY, inputs, inputsHash, codeSha256: sha };
    await writeAtomic(metaPath, JSON.stringify(cacheEntry, null, 2));
  }
  return { name, zipPath, zip, codeSha256: sha, size: zip.length, cached: false };
}

/** Builds every function (or `opts.names`) in parallel; keyed by function name. */
export async function buildFunctions(opts: BuildFunctionsOptions = {}): Promise<Record<string, BuiltFunction>> {
  const { functionsDir, outDir } = resolveDirs(opts);
  const available = await listFunctionNames(functionsDir);
  const names = opts.names ?? available;
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new Error(`Unknown function(s) ${unknown.join(', ')} in ${functionsDir}; available: ${available.join(', ') || 'none'}`);
  }
  // Settle every build before reporting, so no build is still writing when the caller sees an error.
  const settled = await Promise.allSettled(names.map((name) => buildFunction(name, { ...opts, functionsDir, outDir })));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new Error(failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n'));
  }
  const out: Record<string, BuiltFunction> = {};
  for (const s of settled) if (s.status === 'fulfilled') out[s.value.name] = s.value;
  return out;
}
