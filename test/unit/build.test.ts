import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import {
  FunctionBuildError,
  buildFunction,
  buildFunctions,
  codeSha256,
  findRepoRoot,
  listFunctionNames,
  zipFiles,
} from '../../src/testbed/build';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'testbed-build-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
}

/** Reads the DOS time and date fields of the first local file header. */
function firstEntryDosStamp(zip: Buffer): { time: number; date: number; versionMadeByOs: number; attrs: number } {
  expect(zip.readUInt32LE(0)).toBe(0x04034b50);
  const cd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  expect(cd).toBeGreaterThan(0);
  return { time: zip.readUInt16LE(10), date: zip.readUInt16LE(12), versionMadeByOs: zip[cd + 5]!, attrs: zip.readUInt32LE(cd + 38) };
}

describe('findRepoRoot and listFunctionNames', () => {
  it('finds the repository root and every function folder except _ and . ones', async () => {
    const root = findRepoRoot();
    expect(JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).name).toBe('lambda-testbed');
    const names = await listFunctionNames();
    expect(names).toEqual(expect.arrayContaining(['control', 'echo']));
    expect(names.some((n) => n.startsWith('_'))).toBe(false);
  });
});

describe('zipFiles', () => {
  it('is deterministic: sorted entries, fixed 1980-01-01 time, Unix 0644 attributes', () => {
    const a = zipFiles({ 'b.txt': 'bee', 'a.txt': 'ay' });
    const b = zipFiles({ 'a.txt': 'ay', 'b.txt': 'bee' });
    expect(a.equals(b)).toBe(true);
    expect(Object.keys(unzipSync(a))).toEqual(['a.txt', 'b.txt']);
    const stamp = firstEntryDosStamp(a);
    expect(stamp.time).toBe(0);
    expect(stamp.date).toBe((0 << 9) | (1 << 5) | 1);
    expect(stamp.versionMadeByOs).toBe(3);
    expect(stamp.attrs >>> 16).toBe(0o100644);
    expect(codeSha256(a)).toBe(createHash('sha256').update(a).digest('base64'));
  });
});

describe('buildFunctions on the real functions/', () => {
  it('builds every function into a zip with only index.js; two fresh builds give identical bytes and CodeSha256', async () => {
    const first = await buildFunctions({ outDir: path.join(scratch, 'out1') });
    const second = await buildFunctions({ outDir: path.join(scratch, 'out2') });
    expect(Object.keys(first).sort()).toEqual(await listFunctionNames());
    for (const name of Object.keys(first)) {
      const one = first[name]!;
      const two = second[name]!;
      expect(one.cached).toBe(false);
      expect(two.cached).toBe(false);
      expect(one.codeSha256).toBe(two.codeSha256);
      expect(one.zip.equals(two.zip)).toBe(true);
      expect(one.codeSha256).toBe(createHash('sha256').update(one.zip).digest('base64'));
      expect(one.size).toBe(one.zip.length);
      expect(one.zipPath).toBe(path.join(scratch, 'out1', `${name}.zip`));
      expect((await readFile(one.zipPath)).equals(one.zip)).toBe(true);
      const entries = unzipSync(one.zip);
      // Python (handler.py) and custom-runtime (bootstrap) folders are zipped as they are.
      if (entries['handler.py'] || entries.bootstrap) continue;
      expect(Object.keys(entries)).toEqual(['index.js']);
      // Small and dependency-free: no bundled SDK, no source maps.
      expect(one.size).toBeLessThan(20_000);
      expect(Buffer.from(entries['index.js']!).toString('utf8')).not.toContain('sourceMappingURL');
    }
  });

  it('builds only the requested names and rejects unknown ones', async () => {
    const built = await buildFunctions({ outDir: path.join(scratch, 'out3'), names: ['echo'] });
    expect(Object.keys(built)).toEqual(['echo']);
    await expect(buildFunctions({ outDir: path.join(scratch, 'out3'), names: ['nope'] })).rejects.toThrow(
      /Unknown function\(s\) nope .*available: .*echo/,
    );
  });
});

describe('build cache and bundling rules (scratch functions dir)', () => {
  let functionsDir: string;
  let outDir: string;
  beforeAll(async () => {
    functionsDir = path.join(scratch, 'fns');
    outDir = path.join(scratch, 'fns-out');
    await writeTree(functionsDir, {
      '_shared/greet.ts': "export const greeting = 'hello';\n",
      'hi/index.ts': "import { greeting } from '../_shared/greet';\nexport const handler = async () => greeting;\n",
      'sdk/index.ts':
        "import { LambdaClient } from '@aws-sdk/client-lambda';\nexport const handler = async () => typeof LambdaClient;\n",
      '.hidden/index.ts': 'this is not a function',
    });
  });

  it('lists folders not starting with _ or .', async () => {
    expect(await listFunctionNames(functionsDir)).toEqual(['hi', 'sdk']);
  });

  it('reuses the zip while inputs are unchanged and rebuilds when a shared input changes', async () => {
    const first = await buildFunction('hi', { functionsDir, outDir });
    expect(first.cached).toBe(false);
    const again = await buildFunction('hi', { functionsDir, outDir });
    expect(again.cached).toBe(true);
    expect(again.codeSha256).toBe(first.codeSha256);
    expect(again.zip.equals(first.zip)).toBe(true);

    const forced = await buildFunction('hi', { functionsDir, outDir, force: true });
    expect(forced.cached).toBe(false);
    expect(forced.codeSha256).toBe(first.codeSha256);

    await writeFile(path.join(functionsDir, '_shared/greet.ts'), "export const greeting = 'bonjour';\n");
    const changed = await buildFunction('hi', { functionsDir, outDir });
    expect(changed.cached).toBe(false);
    expect(changed.codeSha256).not.toBe(first.codeSha256);
    expect(Buffer.from(unzipSync(changed.zip)['index.js']!).toString()).toContain('bonjour');
    expect((await buildFunction('hi', { functionsDir, outDir })).cached).toBe(true);
  });

  it('rebuilds when the cached zip was tampered with', async () => {
    const built = await buildFunction('hi', { functionsDir, outDir });
    await writeFile(built.zipPath, 'garbage');
    const rebuilt = await buildFunction('hi', { functionsDir, outDir });
    expect(rebuilt.cached).toBe(false);
    expect(rebuilt.codeSha256).toBe(built.codeSha256);
  });

  it('leaves the AWS SDK v3 external, for the runtime to provide', async () => {
    const built = await buildFunction('sdk', { functionsDir, outDir });
    const js = Buffer.from(unzipSync(built.zip)['index.js']!).toString();
    expect(js).toContain('require("@aws-sdk/client-lambda")');
    expect(built.size).toBeLessThan(5_000);
  });

  it('reports a syntax error with the function name, file, line and esbuild message', async () => {
    await writeTree(functionsDir, { 'broken/index.ts': 'export const handler = async () => {\n  return 1 +;\n};\n' });
    const error = await buildFunction('broken', { functionsDir, outDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FunctionBuildError);
    const message = (error as Error).message;
    expect(message).toContain('Failed to build function "broken"');
    expect(message).toMatch(/broken[\\/]index\.ts:2:\d+: ERROR: /);
    expect(message).toContain('return 1 +;');
    await expect(buildFunctions({ functionsDir, outDir })).rejects.toThrow('Failed to build function "broken"');
  });

  it('reports a function folder without index.ts clearly', async () => {
    await mkdir(path.join(functionsDir, 'empty'), { recursive: true });
    await expect(buildFunction('empty', { functionsDir, outDir })).rejects.toThrow(/empty[\\/]index\.ts does not exist/);
    // buildFunctions waits for every build and reports every failure.
    const error = await buildFunctions({ functionsDir, outDir }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('Failed to build function "broken"');
    expect(error?.message).toContain('Failed to build function "empty"');
  });
});

describe('plain function folders (Python, custom runtimes)', () => {
  it('zips python-echo and custom-bootstrap as they are: deterministic, bootstrap executable, caches left out', async () => {
    const out = path.join(scratch, 'plain');
    const first = await buildFunctions({ outDir: out, names: ['python-echo', 'custom-bootstrap'] });
    const again = await buildFunctions({ outDir: out, names: ['python-echo', 'custom-bootstrap'] });
    expect(Object.keys(unzipSync(first['python-echo']!.zip))).toEqual(['handler.py']);
    expect(Object.keys(unzipSync(first['custom-bootstrap']!.zip))).toEqual(['bootstrap']);
    expect(again['python-echo']!.cached).toBe(true);
    expect(again['python-echo']!.codeSha256).toBe(first['python-echo']!.codeSha256);
    const stamp = firstEntryDosStamp(first['custom-bootstrap']!.zip);
    expect(stamp.attrs >>> 16).toBe(0o100755);
    expect(firstEntryDosStamp(first['python-echo']!.zip).attrs >>> 16).toBe(0o100644);
  });
});
