import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { AwsError } from '../../src/cloud/errors';
import { decodeZipFile, privateCodeDir, safeEntryPath, storeCode } from '../../src/cloud/lambda/code';

describe('function code', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps zip entries inside their folder', () => {
    const root = path.join(dir, 'root');
    expect(safeEntryPath(root, 'index.js')).toBe(path.join(root, 'index.js'));
    expect(safeEntryPath(root, 'lib/a.js')).toBe(path.join(root, 'lib', 'a.js'));
    expect(safeEntryPath(root, '../evil.js')).toBeUndefined();
    expect(safeEntryPath(root, 'lib/../../evil.js')).toBeUndefined();
    expect(safeEntryPath(root, '/etc/passwd')).toBeUndefined();
    expect(safeEntryPath(root, 'C:/x')).toBeUndefined();
    expect(safeEntryPath(root, 'a\\..\\..\\b')).toBeUndefined();
  });

  it('unpacks a zip content-addressed and reports CodeSha256 as base64 sha256', () => {
    const zip = Buffer.from(zipSync({ 'index.js': new TextEncoder().encode('exports.handler=async()=>1') }));
    const stored = storeCode(dir, zip);
    expect(stored.codeSha256).toBe(require('node:crypto').createHash('sha256').update(zip).digest('base64'));
    expect(fs.readFileSync(path.join(stored.dir, 'index.js'), 'utf8')).toContain('handler');
    expect(storeCode(dir, zip).dir).toBe(stored.dir);
  });

  it('rejects a file that is not a zip and a zip that escapes', () => {
    expect(() => storeCode(dir, Buffer.from('not a zip at all'))).toThrow('Could not unzip uploaded file');
    const evil = Buffer.from(zipSync({ '../escape.js': new Uint8Array([1]) }));
    expect(() => storeCode(dir, evil)).toThrow(AwsError);
    expect(fs.existsSync(path.join(dir, 'escape.js'))).toBe(false);
  });

  it('decodes base64 ZipFile members and refuses other types', () => {
    expect(decodeZipFile(Buffer.from('abc').toString('base64')).toString()).toBe('abc');
    expect(() => decodeZipFile(42)).toThrow(AwsError);
    expect(() => decodeZipFile('not*base64')).toThrow(AwsError);
  });

  it('gives each function version its own copy of the code', () => {
    const zip = Buffer.from(zipSync({ 'index.js': new TextEncoder().encode('exports.handler=async()=>1') }));
    const stored = storeCode(dir, zip);
    const a = privateCodeDir(stored, path.join(dir, 'functions', 'a'), 'latest-x');
    const b = privateCodeDir(stored, path.join(dir, 'functions', 'b'), 'latest-x');
    expect(a).not.toBe(b);
    fs.writeFileSync(path.join(a, 'index.js'), 'changed');
    expect(fs.readFileSync(path.join(b, 'index.js'), 'utf8')).toContain('handler');
    expect(fs.readFileSync(path.join(stored.dir, 'index.js'), 'utf8')).toContain('handler');
    expect(privateCodeDir(stored, path.join(dir, 'functions', 'a'), 'latest-x')).toBe(a);
  });
});
