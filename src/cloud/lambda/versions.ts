/**
 * Version operations: PublishVersion, ListVersionsByFunction; and publish(), which CreateFunction
 * and UpdateFunctionCode also use for Publish=true.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import { privateCodeDir } from './code';
import { type FunctionVersion, type LambdaFunction, type VersionConfig, toConfiguration } from './model';
import { type LambdaService, requireUpdatable } from './service';
import { checkRevision, maxItems, optString, paginate } from './validate';

/**
 * Publish $LATEST as a new version, or return the last version when nothing changed since.
 * `pending`: the version is published together with a create or code update (Publish=true); it
 * starts Pending, like $LATEST, and becomes Active with it.
 */
export function publish(lambda: LambdaService, fn: LambdaFunction, description: string, pending = false): { version: FunctionVersion; created: boolean } {
  const latest = fn.latest;
  const last = [...fn.versions.values()].at(-1);
  if (last && sameConfig(last.config, latest.config)) return { version: last, created: false };
  const version = String(fn.nextVersion++);
  const v: FunctionVersion = {
    version,
    config: {
      ...latest.config,
      description: description || latest.config.description,
      environment: latest.config.environment && { ...latest.config.environment },
      codeDir: privateCodeDir({ dir: latest.config.codeDir }, fn.codeRoot, `version-${version}`),
    },
    lastModified: lambda.clock.now(),
    revisionId: randomUUID(),
    state: 'Active',
    lastUpdateStatus: 'Successful',
    envKey: randomUUID(),
  };
  if (pending) {
    v.state = 'Pending';
    v.stateReason = 'The function is being created.';
    v.stateReasonCode = 'Creating';
    v.lastUpdateStatus = undefined;
    lambda.settle(fn, v, 'create');
  }
  fn.versions.set(version, v);
  return { version: v, created: true };
}

export function publishVersion(lambda: LambdaService, ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
  const { fn, qualifier } = lambda.ref(ctx, name);
  if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for PublishVersion.');
  const sha = optString(input, 'CodeSha256', 'codeSha256');
  const description = optString(input, 'Description', 'description', { max: 256 }) ?? '';
  requireUpdatable(fn);
  if (sha !== undefined && sha !== fn.latest.config.codeSha256) {
    throw new AwsError(
      'InvalidParameterValueException',
      `CodeSHA256 (${sha}) is different from current CodeSHA256 in $LATEST (${fn.latest.config.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
  checkRevision(input, fn.latest.revisionId);
  const { version, created } = publish(lambda, fn, description);
  // Publishing a new version gives $LATEST a new RevisionId too (as AWS shows).
  if (created) fn.latest.revisionId = randomUUID();
  return { status: 201, body: toConfiguration(fn, version) };
}

export function listVersions(lambda: LambdaService, ctx: RequestContext, name: unknown, query: URLSearchParams) {
  const { fn, qualifier } = lambda.ref(ctx, name);
  if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for ListVersionsByFunction.');
  const max = maxItems(query, 10000) ?? 50;
  const list = [toConfiguration(fn, fn.latest, { list: true, qualifier: '$LATEST' }), ...[...fn.versions.values()].map((v) => toConfiguration(fn, v, { list: true }))];
  return paginate(list, query.get('Marker'), max, 'Versions');
}

function sameConfig(a: VersionConfig, b: VersionConfig): boolean {
  // Code is compared by CodeSha256; each version has its own private copy (codeDir).
  return JSON.stringify({ ...a, description: '', codeDir: '' }) === JSON.stringify({ ...b, description: '', codeDir: '' });
}
