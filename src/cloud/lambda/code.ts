/**
 * Function code: a zip uploaded as ZipFile (base64 in the JSON body). Stored content-addressed:
 * <dataDir>/code/<sha256 hex>/ holds the unpacked files, <dataDir>/code/<sha256 hex>.zip the archive.
 * No entry may escape its folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { AwsError } from '../errors';
import { executableEntries } from './zip';

export const MAX_UNZIPPED_BYTES = 262_144_000;
export const MAX_ZIPPED_BYTES = 52_428_800;

/**
 * Where CreateFunction / UpdateFunctionCode read Code.S3Bucket / S3Key / S3ObjectVersion: the
 * cloud's S3 (passed in by the cloud, so Lambda does not import S3). It throws S3's own errors
 * (NoSuchBucket, NoSuchKey...), which Lambda wraps as AWS does (see codeFromS3).
 */
export interface CodeSource {
  readCode(ctx: { accountId: string; region: string }, bucket: string, key: string, versionId?: string): Buffer;
}

/**
 * The zip an S3 location names [rec: test_lambda_code_location_s3_errors]: S3's errors become
 * InvalidParameterValueException "Error occurred while GetObject. S3 Error Code: <code>. S3 Error
 * Message: <message>".
 */
export function codeFromS3(source: CodeSource | undefined, ctx: { accountId: string; region: string }, code: Record<string, unknown>): Buffer {
  const bucket = code.S3Bucket;
  const key = code.S3Key;
  const version = code.S3ObjectVersion;
  if (typeof bucket !== 'string' || typeof key !== 'string' || (version !== undefined && version !== null && typeof version !== 'string')) {
    throw new AwsError('InvalidParameterValueException', 'Please provide a source for function code.'); // (text unconfirmed for a half-given location)
  }
  if (!source) {
    throw new AwsError('InvalidParameterValueException', 'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist');
  }
  try {
    return source.readCode(ctx, bucket, key, typeof version === 'string' ? version : undefined);
  } catch (e) {
    if (e instanceof AwsError) {
      throw new AwsError('InvalidParameterValueException', `Error occurred while GetObject. S3 Error Code: ${e.code}. S3 Error Message: ${e.message}`);
    }
    throw e;
  }
}

export interface StoredCode {
  codeSha256: string; // base64, as Lambda reports it
  codeSize: number;
  dir: string;
  zipPath: string;
}

const badZip = () => new AwsError('InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.');

/** Decode the ZipFile member of a request (the SDK sends bytes as base64). */
export function decodeZipFile(value: unknown): Buffer {
  if (typeof value !== 'string') {
    throw new AwsError('InvalidParameterValueException', 'Please provide a source for function code.');
  }
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value)) {
    throw new AwsError('InvalidRequestContentException', 'Could not parse request body into json: Could not parse payload into json: Illegal base64 character');
  }
  return Buffer.from(value, 'base64');
}

/** Check that an entry name stays inside its folder once resolved. */
export function safeEntryPath(root: string, name: string): string | undefined {
  if (name.includes('\0') || name.includes('\\') || path.isAbsolute(name) || /^[A-Za-z]:/.test(name)) return undefined;
  const target = path.resolve(root, name);
  const rel = path.relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return target;
}

export function storeCode(dataDir: string, zip: Buffer): StoredCode {
  if (zip.length > MAX_ZIPPED_BYTES) {
    throw new AwsError('RequestEntityTooLargeException', `Zipped size must be smaller than ${MAX_ZIPPED_BYTES} bytes`, 413);
  }
  const digest = createHash('sha256').update(zip).digest();
  const hex = digest.toString('hex');
  const root = path.join(dataDir, 'code');
  const dir = path.join(root, hex);
  const zipPath = `${dir}.zip`;
  const stored = { codeSha256: digest.toString('base64'), codeSize: zip.length, dir, zipPath };
  // The archive is written last: its presence marks a complete unpack.
  if (fs.existsSync(zipPath) && fs.existsSync(dir)) return stored;

  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length));
  } catch {
    throw badZip();
  }
  let total = 0;
  for (const data of Object.values(entries)) total += data.length;
  if (total > MAX_UNZIPPED_BYTES) {
    throw new AwsError('InvalidParameterValueException', `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
  }
  const executable = executableEntries(zip);
  const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    for (const [name, data] of Object.entries(entries)) {
      const target = safeEntryPath(tmp, name);
      if (!target) throw badZip();
      if (name.endsWith('/')) {
        fs.mkdirSync(target, { recursive: true });
        continue;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      // As Lambda, an entry's execute bit is kept (a custom runtime's bootstrap needs it).
      fs.writeFileSync(target, data, { mode: executable.has(name) ? 0o755 : 0o644 });
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    fs.writeFileSync(zipPath, zip);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return stored;
}

/**
 * A private copy of unpacked code for one function version: what one version's environments run
 * (LAMBDA_TASK_ROOT) is never shared with another function or version.
 */
export function privateCodeDir(stored: Pick<StoredCode, 'dir'>, root: string, label: string): string {
  const target = path.join(root, label);
  if (fs.existsSync(target)) return target;
  const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  fs.mkdirSync(root, { recursive: true });
  fs.cpSync(stored.dir, tmp, { recursive: true });
  fs.renameSync(tmp, target);
  return target;
}

/** The content hash part of a stored code folder (hex sha256). */
export function codeLabel(stored: Pick<StoredCode, 'dir'>): string {
  return path.basename(stored.dir).slice(0, 16);
}

/** Remove a function's or version's private code folder, in the background. */
export function removeDir(dir: string): void {
  fs.rm(dir, { recursive: true, force: true }, () => undefined);
}
