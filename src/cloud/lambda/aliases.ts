/** Alias operations: CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases (with weighted routing). */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import type { Alias, LambdaFunction } from './model';
import { validateAliasName } from './names';
import type { LambdaService } from './service';
import { checkRevision, fail, javaDoubleMap, maxItems, optObject, optString, paginate } from './validate';

function aliasOut(fn: LambdaFunction, a: Alias) {
  const out: Record<string, unknown> = {
    AliasArn: `${fn.arn}:${a.name}`,
    Name: a.name,
    FunctionVersion: a.functionVersion,
    Description: a.description,
    RevisionId: a.revisionId,
  };
  if (a.routingWeights) out.RoutingConfig = { AdditionalVersionWeights: { ...a.routingWeights } };
  return out;
}

function aliasTarget(fn: LambdaFunction, version: unknown): string {
  if (typeof version !== 'string' || version.length === 0) fail('functionVersion', version, 'Member must not be null');
  if (!/^(\$LATEST|[0-9]+)$/.test(version)) fail('functionVersion', version, 'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)');
  if (version !== '$LATEST' && !fn.versions.has(version)) {
    throw new AwsError('ResourceNotFoundException', `Function not found: ${fn.arn}:${version}`, 404);
  }
  return version;
}

function routing(fn: LambdaFunction, primary: string, input: Record<string, unknown>): Record<string, number> | undefined {
  const rc = optObject(input, 'RoutingConfig');
  if (!rc) return undefined;
  const weights = optObject(rc, 'AdditionalVersionWeights');
  if (!weights || Object.keys(weights).length === 0) return undefined;
  const entries = Object.entries(weights);
  const field = 'routingConfig.additionalVersionWeights';
  for (const [k, w] of entries) {
    if (!/^[0-9]+$/.test(k) || k.length > 1024) {
      fail(field, javaDoubleMap(weights), 'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]');
    }
    if (typeof w !== 'number' || w < 0 || w > 1) {
      fail(field, javaDoubleMap(weights), 'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]');
    }
  }
  if (entries.length > 1) throw new AwsError('InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1');
  const [ver, w] = entries[0] as [string, number];
  if (primary === '$LATEST') {
    throw new AwsError('InvalidParameterValueException', '$LATEST is not supported for an alias pointing to more than 1 version');
  }
  if (!fn.versions.has(ver)) throw new AwsError('ResourceNotFoundException', `Function not found: ${fn.arn}:${ver}`, 404);
  if (ver === primary) throw new AwsError('InvalidParameterValueException', `Invalid function version ${ver}. Function version ${ver} is already included in routing configuration.`);
  return { [ver]: w };
}

export function createAlias(lambda: LambdaService, ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
  // For a missing function AWS names the version the alias was to point at.
  const target = typeof input.FunctionVersion === 'string' ? input.FunctionVersion : undefined;
  const { fn, qualifier } = lambda.ref(ctx, name, undefined, (arn, q) => {
    const named = q ?? target;
    return new AwsError('ResourceNotFoundException', `Function not found: ${named ? `${arn}:${named}` : arn}`, 404);
  });
  if (qualifier) throw new AwsError('InvalidParameterValueException', 'Unsupported: Cannot specify a qualifier in the function name for CreateAlias.');
  const aliasName = validateAliasName(input.Name);
  const version = aliasTarget(fn, input.FunctionVersion);
  const description = optString(input, 'Description', 'description', { max: 256 }) ?? '';
  const weights = routing(fn, version, input);
  if (fn.aliases.has(aliasName)) {
    throw new AwsError('ResourceConflictException', `Alias already exists: ${fn.arn}:${aliasName}`, 409);
  }
  const alias: Alias = { name: aliasName, functionVersion: version, description, routingWeights: weights, revisionId: randomUUID() };
  fn.aliases.set(aliasName, alias);
  return { status: 201, body: aliasOut(fn, alias) };
}

function alias(fn: LambdaFunction, aliasName: string): Alias {
  const a = fn.aliases.get(aliasName);
  if (!a) throw new AwsError('ResourceNotFoundException', `Cannot find alias arn: ${fn.arn}:${aliasName}`, 404);
  return a;
}

export function getAlias(lambda: LambdaService, ctx: RequestContext, name: unknown, aliasName: string) {
  const { fn } = lambda.ref(ctx, name);
  validateAliasName(aliasName);
  return aliasOut(fn, alias(fn, aliasName));
}

export function updateAlias(lambda: LambdaService, ctx: RequestContext, name: unknown, aliasName: string, input: Record<string, unknown>) {
  const { fn } = lambda.ref(ctx, name);
  validateAliasName(aliasName);
  const a = alias(fn, aliasName);
  checkRevision(input, a.revisionId);
  const version = input.FunctionVersion !== undefined ? aliasTarget(fn, input.FunctionVersion) : a.functionVersion;
  const description = optString(input, 'Description', 'description', { max: 256 });
  const weights = input.RoutingConfig !== undefined ? routing(fn, version, input) : a.routingWeights;
  a.functionVersion = version;
  if (description !== undefined) a.description = description;
  a.routingWeights = weights;
  a.revisionId = randomUUID();
  return aliasOut(fn, a);
}

export function deleteAlias(lambda: LambdaService, ctx: RequestContext, name: unknown, aliasName: string) {
  const { fn } = lambda.ref(ctx, name);
  validateAliasName(aliasName);
  fn.aliases.delete(aliasName);
  return { status: 204 };
}

export function listAliases(lambda: LambdaService, ctx: RequestContext, name: unknown, query: URLSearchParams) {
  const { fn } = lambda.ref(ctx, name);
  const max = maxItems(query, 10000) ?? 50;
  const fv = query.get('FunctionVersion');
  const list = [...fn.aliases.values()]
    .filter((a) => fv === null || a.functionVersion === fv)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => aliasOut(fn, a));
  return paginate(list, query.get('Marker'), max, 'Aliases');
}
