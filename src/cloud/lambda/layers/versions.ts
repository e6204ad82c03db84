/**
 * Layer versions (2018-10-31): PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn,
 * ListLayers, ListLayerVersions, DeleteLayerVersion. Shapes and texts as AWS answers [rec]
 * (LocalStack's AWS recordings of TestLambdaLayer) and the model's constraints [model].
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { lambdaTimestamp } from '../../clock';
import { AwsError } from '../../errors';
import type { RequestContext } from '../../protocols/types';
import { type CodeSource, MAX_UNZIPPED_BYTES, MAX_ZIPPED_BYTES, codeFromS3, decodeZipFile, safeEntryPath } from '../code';
import { LAYER_VERSION_ARN_PATTERN, LAYER_VERSION_ARN_RE, Violations } from '../constraints';
import { CREATABLE_RUNTIMES, LAYER_FILTER_RUNTIMES, MODEL_RUNTIMES } from '../runtimes';
import { javaList, maxItems, paginate, typeError } from '../validate';
import { readCentralDirectory } from '../zip';
import { type LayerStore, type LayerVersion, type Where, parseLayerVersionArn } from './store';

/** What the layer operations need of the Lambda service. */
export interface LayerContext {
  layers: LayerStore;
  dataDir: string;
  now(): number;
  /** Where Content.S3Bucket / S3Key are read, when the cloud has S3. */
  codeSource?: CodeSource;
}

/** [model] LayerName: a name or an unversioned layer ARN. */
const LAYER_NAME_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
const LAYER_NAME_RE = new RegExp(`^(${LAYER_NAME_PATTERN})$`);
const ARCH_CONSTRAINT = 'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]';

/** [rec] A missing layer or layer version on the read operations. */
export const NOT_FOUND = () => new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);

function where(ctx: RequestContext): Where {
  return { accountId: ctx.accountId, region: ctx.region };
}

/** The LayerName path member: checked against the model, an ARN reduced to the name. */
export function layerNameOf(raw: string | undefined): string {
  const value = raw ?? '';
  const out = new Violations();
  checkLayerName(out, value);
  out.check();
  const i = value.lastIndexOf(':layer:');
  return i >= 0 ? value.slice(i + ':layer:'.length) : value;
}

function checkLayerName(out: Violations, value: string): void {
  if (value.length < 1) out.add('layerName', value, 'Member must have length greater than or equal to 1');
  if (value.length > 140) out.add('layerName', value, 'Member must have length less than or equal to 140');
  if (!LAYER_NAME_RE.test(value)) out.add('layerName', value, `Member must satisfy regular expression pattern: ${LAYER_NAME_PATTERN}`);
}

/** The VersionNumber path member: [rec] "Layer Version Cannot be less than 1". */
export function versionNumberOf(raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new AwsError('InvalidParameterValueException', 'Layer Version Cannot be less than 1');
  return n;
}

function location(ctx: RequestContext, v: LayerVersion, region: string): string {
  return `${ctx.endpoint}/_testbed/layers/${region}/${encodeURIComponent(v.layerName)}/${v.version}.zip`;
}

/** GetLayerVersion / PublishLayerVersion's shape. */
function versionOutput(ctx: RequestContext, v: LayerVersion, region: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Content: { Location: location(ctx, v, region), CodeSha256: v.codeSha256, CodeSize: v.codeSize },
    LayerArn: v.layerArn,
    LayerVersionArn: v.arn,
    Description: v.description,
    CreatedDate: lambdaTimestamp(v.createdDate),
    Version: v.version,
  };
  if (v.compatibleRuntimes) out.CompatibleRuntimes = [...v.compatibleRuntimes];
  if (v.licenseInfo !== undefined) out.LicenseInfo = v.licenseInfo;
  if (v.compatibleArchitectures) out.CompatibleArchitectures = [...v.compatibleArchitectures];
  return out;
}

/** ListLayerVersions' and ListLayers' LatestMatchingVersion shape. */
function listItem(v: LayerVersion): Record<string, unknown> {
  const out: Record<string, unknown> = { LayerVersionArn: v.arn, Version: v.version, Description: v.description, CreatedDate: lambdaTimestamp(v.createdDate) };
  if (v.compatibleRuntimes) out.CompatibleRuntimes = [...v.compatibleRuntimes];
  if (v.licenseInfo !== undefined) out.LicenseInfo = v.licenseInfo;
  if (v.compatibleArchitectures) out.CompatibleArchitectures = [...v.compatibleArchitectures];
  return out;
}

function stringList(input: Record<string, unknown>, key: string): string[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) typeError(key, 'a list of strings');
  return v as string[];
}

function optText(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') typeError(key, 'a string');
  return v as string;
}

const badZip = () => new AwsError('InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.');

/** Check a layer zip and store it content-addressed (not unpacked: see runtime/opt.ts). */
function storeLayerZip(dataDir: string, zip: Buffer): Pick<LayerVersion, 'codeSha256' | 'codeSize' | 'zipPath' | 'unzippedSize'> {
  if (zip.length > MAX_ZIPPED_BYTES) {
    throw new AwsError('RequestEntityTooLargeException', `Zipped size must be smaller than ${MAX_ZIPPED_BYTES} bytes`, 413);
  }
  const entries = readCentralDirectory(zip);
  if (!entries) throw badZip();
  try {
    unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length), { filter: () => false });
  } catch {
    throw badZip();
  }
  let unzipped = 0;
  for (const e of entries) {
    if (!safeEntryPath('/opt', e.name)) throw badZip();
    if (!e.isDir) unzipped += e.size;
  }
  if (unzipped > MAX_UNZIPPED_BYTES) {
    throw new AwsError('InvalidParameterValueException', `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
  }
  const digest = createHash('sha256').update(zip).digest();
  const dir = path.join(dataDir, 'layers');
  const zipPath = path.join(dir, `${digest.toString('hex')}.zip`);
  if (!existsSync(zipPath)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${zipPath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, zip);
    renameSync(tmp, zipPath);
  }
  return { codeSha256: digest.toString('base64'), codeSize: zip.length, zipPath, unzippedSize: unzipped };
}

export function publishLayerVersion(lc: LayerContext, ctx: RequestContext, rawName: string | undefined, input: Record<string, unknown>) {
  const description = optText(input, 'Description');
  const content = input.Content;
  if (content !== undefined && content !== null && (typeof content !== 'object' || Array.isArray(content))) typeError('Content', 'an object');
  const runtimes = stringList(input, 'CompatibleRuntimes');
  const license = optText(input, 'LicenseInfo');
  const architectures = stringList(input, 'CompatibleArchitectures');

  // [model] every constraint of the request, in member order, in one ValidationException [rec]
  const out = new Violations();
  checkLayerName(out, rawName ?? '');
  if (description !== undefined && description.length > 256) out.add('description', description, 'Member must have length less than or equal to 256');
  if (content === undefined || content === null) out.add('content', null, 'Member must not be null');
  if (runtimes) {
    if (runtimes.length > 15) out.add('compatibleRuntimes', javaList(runtimes), 'Member must have length less than or equal to 15');
    if (runtimes.some((r) => !(MODEL_RUNTIMES as readonly string[]).includes(r))) {
      out.add('compatibleRuntimes', javaList(runtimes), `Member must satisfy enum value set: [${CREATABLE_RUNTIMES.join(', ')}]`);
    }
  }
  if (license !== undefined && license.length > 512) out.add('licenseInfo', license, 'Member must have length less than or equal to 512');
  if (architectures) {
    if (architectures.length > 2) out.add('compatibleArchitectures', javaList(architectures), 'Member must have length less than or equal to 2');
    if (architectures.some((a) => a !== 'x86_64' && a !== 'arm64')) out.add('compatibleArchitectures', javaList(architectures), ARCH_CONSTRAINT);
  }
  out.check();
  const name = layerNameOf(rawName);

  const c = content as Record<string, unknown>;
  let zip: Buffer;
  if (c.ZipFile !== undefined && c.ZipFile !== null) zip = decodeZipFile(c.ZipFile);
  else if (c.S3Bucket || c.S3Key) zip = codeFromS3(lc.codeSource, ctx, c);
  else throw new AwsError('InvalidParameterValueException', 'Please provide a source for function code.');
  const stored = storeLayerZip(lc.dataDir, zip);
  const v = lc.layers.add(where(ctx), name, {
    description: description ?? '',
    licenseInfo: license,
    compatibleRuntimes: runtimes && [...runtimes],
    compatibleArchitectures: architectures && [...architectures],
    createdDate: lc.now(),
    ...stored,
  });
  return { status: 201, body: versionOutput(ctx, v, ctx.region) };
}

export function getLayerVersion(lc: LayerContext, ctx: RequestContext, rawName: string | undefined, rawVersion: string | undefined) {
  const name = layerNameOf(rawName);
  const version = versionNumberOf(rawVersion);
  const v = lc.layers.version(where(ctx), name, version);
  if (!v) throw NOT_FOUND();
  return versionOutput(ctx, v, ctx.region);
}

/** GET /2018-10-31/layers?find=LayerVersion&Arn=... */
export function getLayerVersionByArn(lc: LayerContext, ctx: RequestContext, arn: string | null) {
  const out = new Violations();
  if (arn === null) out.add('arn', null, 'Member must not be null');
  else if (arn.length < 1 || arn.length > 2048 || !LAYER_VERSION_ARN_RE.test(arn)) {
    out.add('arn', arn, `Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN_PATTERN}`);
  }
  out.check();
  const parsed = parseLayerVersionArn(arn!);
  const v = parsed && parsed.region === ctx.region && parsed.accountId === ctx.accountId ? lc.layers.byArn(arn!) : undefined;
  if (!v) throw NOT_FOUND();
  return versionOutput(ctx, v, ctx.region);
}

/** The CompatibleRuntime / CompatibleArchitecture filters of the list operations. */
function listFilters(query: URLSearchParams): (v: LayerVersion) => boolean {
  const runtime = query.get('CompatibleRuntime');
  const arch = query.get('CompatibleArchitecture');
  const out = new Violations();
  if (runtime !== null && !(LAYER_FILTER_RUNTIMES as readonly string[]).includes(runtime)) {
    out.add('compatibleRuntime', runtime, `Member must satisfy enum value set: [${LAYER_FILTER_RUNTIMES.join(', ')}]`);
  }
  if (arch !== null && arch !== 'x86_64' && arch !== 'arm64') out.add('compatibleArchitecture', arch, 'Member must satisfy enum value set: [x86_64, arm64]');
  out.check();
  return (v) =>
    (runtime === null || (v.compatibleRuntimes ?? []).includes(runtime)) && (arch === null || (v.compatibleArchitectures ?? []).includes(arch));
}

export function listLayers(lc: LayerContext, ctx: RequestContext, query: URLSearchParams) {
  const matches = listFilters(query);
  const max = maxItems(query, 50) ?? 50;
  const items: Record<string, unknown>[] = [];
  for (const layer of lc.layers.list(where(ctx))) {
    const latest = [...layer.versions.values()].filter(matches).sort((a, b) => b.version - a.version)[0];
    if (latest) items.push({ LayerName: layer.name, LayerArn: layer.arn, LatestMatchingVersion: listItem(latest) });
  }
  return paginate(items, query.get('Marker'), max, 'Layers');
}

export function listLayerVersions(lc: LayerContext, ctx: RequestContext, rawName: string | undefined, query: URLSearchParams) {
  const name = layerNameOf(rawName);
  const matches = listFilters(query);
  const max = maxItems(query, 50) ?? 50;
  const layer = lc.layers.get(where(ctx), name);
  const versions = layer ? [...layer.versions.values()].filter(matches).sort((a, b) => b.version - a.version) : [];
  return paginate(versions.map(listItem), query.get('Marker'), max, 'LayerVersions');
}

/** [rec] Deleting a version that does not exist succeeds too (204). */
export function deleteLayerVersion(lc: LayerContext, ctx: RequestContext, rawName: string | undefined, rawVersion: string | undefined) {
  const name = layerNameOf(rawName);
  const version = versionNumberOf(rawVersion);
  lc.layers.delete(where(ctx), name, version);
  return { status: 204 };
}
