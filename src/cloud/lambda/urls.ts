/**
 * Function URL configs: Create/Get/Update/Delete/ListFunctionUrlConfigs (2021-10-31) [model], and
 * the lookup the Function URL front door makes (frontdoors/function-url/).
 *
 * A config lives on its function (`fn.urls`, keyed '' for the function itself or the alias name):
 * deleting the function removes its URLs with it. An alias URL remembers its alias object, so once
 * the alias is deleted (or deleted and re-created) the URL is gone too [rec: AWS deletes an alias's
 * URL config with the alias, TestLambdaURL::test_lambda_url_persists_after_alias_delete].
 *
 * Sources: [model] botocore lambda/2015-03-31; [rec] LocalStack's AWS recordings
 * tests/aws/services/lambda_/test_lambda_api.snapshot.json (TestLambdaUrl::*) and
 * test_lambda.snapshot.json (TestLambdaURL::*).
 */
import { randomInt } from 'node:crypto';
import { AwsError, validationMessage } from '../errors';
import type { RequestContext, RestRoute } from '../protocols/types';
import type { FunctionUrlState, LambdaFunction } from './model';
import { functionArn } from './names';
import type { LambdaService } from './service';
import { javaList, maxItems, paginate } from './validate';

const URL_QUALIFIER_PATTERN = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';
const URL_QUALIFIER_RE = /^(?!\d+$)[0-9a-zA-Z_-]+$/;
const URL_FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]{1,64})(:((?!\\d+$)[0-9a-zA-Z-_]+))?';
const URL_FUNCTION_NAME_RE =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]{1,64})(:((?!\d+$)[0-9a-zA-Z-_]+))?$/;
/** [rec] "Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]" (AWS's order, not the model's). */
const INVOKE_MODES = ['RESPONSE_STREAM', 'BUFFERED'] as const;
/** AWS's printed order for this set is not recorded; the model's order is used. */
const AUTH_TYPES = ['NONE', 'AWS_IAM'] as const;

const NOT_FOUND = 'The resource you requested does not exist.';
const FN_NOT_FOUND = 'Function does not exist';

// ------------------------------------------------------------------ the url-id index (for the door)

interface Indexed {
  fn: LambdaFunction;
  qualifier: string;
}

/** url id -> where it was created; entries whose function, alias or config is gone are stale. */
const indexes = new WeakMap<LambdaService, Map<string, Indexed>>();

function indexOf(lambda: LambdaService): Map<string, Indexed> {
  let m = indexes.get(lambda);
  if (!m) indexes.set(lambda, (m = new Map()));
  return m;
}

/** Whether a stored config is still alive: its function current, its alias the same object. */
function alive(lambda: LambdaService, fn: LambdaFunction, qualifier: string, state: FunctionUrlState): boolean {
  if (!lambda.isCurrent(fn)) return false;
  if (fn.urls?.get(qualifier) !== state) return false;
  if (qualifier && fn.aliases.get(qualifier) !== state.alias) return false;
  return true;
}

/** A function's live URL configs (stale alias URLs are dropped on the way). */
function liveUrls(lambda: LambdaService, fn: LambdaFunction): [string, FunctionUrlState][] {
  const out: [string, FunctionUrlState][] = [];
  for (const [q, state] of fn.urls ?? []) {
    if (alive(lambda, fn, q, state)) out.push([q, state]);
    else fn.urls?.delete(q);
  }
  return out;
}

export type UrlLookup =
  | { kind: 'live'; fn: LambdaFunction; qualifier: string; config: FunctionUrlState }
  /** The id belonged to a URL that was deleted (with its function or alias, or by DeleteFunctionUrlConfig). */
  | { kind: 'gone' }
  | { kind: 'unknown' };

/** The Function URL with this id in this region (the door's lookup). */
export function findFunctionUrl(lambda: LambdaService, urlId: string, region: string): UrlLookup {
  const entry = indexOf(lambda).get(urlId);
  if (!entry || entry.fn.region !== region) return { kind: 'unknown' };
  const state = entry.fn.urls?.get(entry.qualifier);
  if (!state || state.urlId !== urlId || !alive(lambda, entry.fn, entry.qualifier, state)) return { kind: 'gone' };
  return { kind: 'live', fn: entry.fn, qualifier: entry.qualifier, config: state };
}

function newUrlId(lambda: LambdaService): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (;;) {
    let id = '';
    for (let i = 0; i < 32; i++) id += chars[randomInt(chars.length)];
    if (!indexOf(lambda).has(id)) return id;
  }
}

// ------------------------------------------------------------------ shapes

/** `http://<url-id>.lambda-url.<region>.localhost:<port>/`: the cloud's port, so it works as returned. */
export function functionUrlOf(urlId: string, region: string, endpoint: string): string {
  const port = /:(\d+)\/?$/.exec(endpoint)?.[1];
  return `http://${urlId}.lambda-url.${region}.localhost${port ? `:${port}` : ''}/`;
}

/**
 * CreationTime / LastModifiedTime. [unverified] ISO-8601 with microseconds and Z, as AWS's
 * documented shape "YYYY-MM-DDThh:mm:ss.sTZD" [model] allows; the virtual clock has milliseconds.
 */
function urlTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

type View = 'create' | 'update' | 'get';

/**
 * The config as AWS shows it [rec]: Create answers without LastModifiedTime; Create and Update show
 * InvokeMode only once it was set; Get and List show it always (BUFFERED by default).
 */
function toOutput(fn: LambdaFunction, qualifier: string, s: FunctionUrlState, ctx: RequestContext, view: View): Record<string, unknown> {
  const out: Record<string, unknown> = {
    FunctionUrl: functionUrlOf(s.urlId, fn.region, ctx.endpoint),
    FunctionArn: qualifier ? `${fn.arn}:${qualifier}` : fn.arn,
    AuthType: s.authType,
  };
  if (s.cors) out.Cors = s.cors;
  out.CreationTime = urlTimestamp(s.creationTime);
  if (view !== 'create') out.LastModifiedTime = urlTimestamp(s.lastModifiedTime);
  if (view === 'get') out.InvokeMode = s.invokeMode ?? 'BUFFERED';
  else if (s.invokeMode) out.InvokeMode = s.invokeMode;
  return out;
}

// ------------------------------------------------------------------ validation

/** FunctionName and Qualifier as the URL operations check them [model][rec]. */
function target(lambda: LambdaService, ctx: RequestContext, name: string, qualifierParam: string | null, missing: string): { fn: LambdaFunction; qualifier: string } {
  const problems: string[] = [];
  if (qualifierParam !== null && (qualifierParam.length > 128 || !URL_QUALIFIER_RE.test(qualifierParam))) {
    problems.push(`Value '${qualifierParam}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${URL_QUALIFIER_PATTERN}`);
  }
  if (name.length > 140) problems.push(`Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 140`);
  else if (!URL_FUNCTION_NAME_RE.test(name)) {
    problems.push(`Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${URL_FUNCTION_NAME_PATTERN}`);
  }
  if (problems.length) throw new AwsError('ValidationException', validationMessage(problems));
  const { fn, qualifier } = lambda.ref(ctx, name, qualifierParam, () => new AwsError('ResourceNotFoundException', missing, 404));
  return { fn, qualifier: qualifier ?? '' };
}

function enumProblem(field: string, value: unknown, set: readonly string[], required: boolean): string | undefined {
  if (value === undefined || value === null) return required ? `Value null at '${field}' failed to satisfy constraint: Member must not be null` : undefined;
  if (typeof value !== 'string' || !set.includes(value)) {
    return `Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: ${javaList([...set])}`;
  }
  return undefined;
}

function serialization(member: string, expected: string): AwsError {
  return new AwsError('SerializationException', `Could not deserialize '${member}': expected ${expected}`);
}

/** The Cors structure [model]: list sizes, item lengths, MaxAge 0-86400. Returns it as stored. */
function readCors(v: unknown, problems: string[]): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization('Cors', 'an object');
  const c = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (c.AllowCredentials !== undefined && c.AllowCredentials !== null) {
    if (typeof c.AllowCredentials !== 'boolean') throw serialization('AllowCredentials', 'a boolean');
    out.AllowCredentials = c.AllowCredentials;
  }
  const list = (key: string, field: string, maxItems: number, minLen: number, maxLen: number) => {
    const l = c[key];
    if (l === undefined || l === null) return;
    if (!Array.isArray(l) || l.some((x) => typeof x !== 'string')) throw serialization(key, 'a list of strings');
    const items = l as string[];
    if (items.length > maxItems) problems.push(`Value '${javaList(items)}' at 'cors.${field}' failed to satisfy constraint: Member must have length less than or equal to ${maxItems}`);
    const bad: string[] = [];
    if (items.some((x) => x.length > maxLen)) bad.push(`Member must have length less than or equal to ${maxLen}`);
    if (items.some((x) => x.length < minLen)) bad.push(`Member must have length greater than or equal to ${minLen}`);
    if (bad.length) problems.push(`Value '${javaList(items)}' at 'cors.${field}' failed to satisfy constraint: Member must satisfy constraint: [${bad.join(', ')}]`);
    out[key] = [...items];
  };
  list('AllowHeaders', 'allowHeaders', 100, 0, 1024);
  list('AllowMethods', 'allowMethods', 6, 0, 6);
  list('AllowOrigins', 'allowOrigins', 100, 1, 253);
  list('ExposeHeaders', 'exposeHeaders', 100, 0, 1024);
  if (c.MaxAge !== undefined && c.MaxAge !== null) {
    if (typeof c.MaxAge !== 'number' || !Number.isInteger(c.MaxAge)) throw serialization('MaxAge', 'an integer');
    if (c.MaxAge < 0) problems.push(`Value '${c.MaxAge}' at 'cors.maxAge' failed to satisfy constraint: Member must have value greater than or equal to 0`);
    if (c.MaxAge > 86400) problems.push(`Value '${c.MaxAge}' at 'cors.maxAge' failed to satisfy constraint: Member must have value less than or equal to 86400`);
    out.MaxAge = c.MaxAge;
  }
  return out;
}

interface ConfigInput {
  authType?: 'NONE' | 'AWS_IAM';
  cors?: Record<string, unknown>;
  invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
}

function readInput(input: Record<string, unknown>, authRequired: boolean): ConfigInput {
  const problems: string[] = [];
  const auth = enumProblem('authType', input.AuthType, AUTH_TYPES, authRequired);
  if (auth) problems.push(auth);
  const cors = readCors(input.Cors, problems);
  const mode = enumProblem('invokeMode', input.InvokeMode, INVOKE_MODES, false);
  if (mode) problems.push(mode);
  if (problems.length) throw new AwsError('ValidationException', validationMessage(problems));
  return {
    authType: (input.AuthType ?? undefined) as ConfigInput['authType'],
    cors,
    invokeMode: (input.InvokeMode ?? undefined) as ConfigInput['invokeMode'],
  };
}

/** An alias qualifier must name an existing alias (Create and Update say "Function does not exist") [rec]. */
function requireAlias(fn: LambdaFunction, qualifier: string, message: string) {
  if (!qualifier) return undefined;
  const alias = fn.aliases.get(qualifier);
  if (!alias) throw new AwsError('ResourceNotFoundException', message, 404);
  return alias;
}

/** The live config at (fn, qualifier), or the 404 AWS gives. */
function existing(lambda: LambdaService, fn: LambdaFunction, qualifier: string): FunctionUrlState {
  const state = fn.urls?.get(qualifier);
  if (!state || !alive(lambda, fn, qualifier, state)) {
    if (state) fn.urls?.delete(qualifier);
    throw new AwsError('ResourceNotFoundException', NOT_FOUND, 404);
  }
  return state;
}

// ------------------------------------------------------------------ operations

export function createFunctionUrlConfig(lambda: LambdaService, ctx: RequestContext, name: string, qualifierParam: string | null, input: Record<string, unknown>) {
  const { fn, qualifier } = target(lambda, ctx, name, qualifierParam, FN_NOT_FOUND);
  const cfg = readInput(input, true);
  const alias = requireAlias(fn, qualifier, FN_NOT_FOUND);
  const current = fn.urls?.get(qualifier);
  if (current && alive(lambda, fn, qualifier, current)) {
    const arn = functionArn(fn.region, fn.accountId, fn.name, qualifier || undefined);
    throw new AwsError(
      'ResourceConflictException',
      `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
      409,
    );
  }
  const now = lambda.clock.now();
  const state: FunctionUrlState = {
    urlId: newUrlId(lambda),
    authType: cfg.authType!,
    cors: cfg.cors,
    invokeMode: cfg.invokeMode,
    creationTime: now,
    lastModifiedTime: now,
    alias,
  };
  (fn.urls ??= new Map()).set(qualifier, state);
  indexOf(lambda).set(state.urlId, { fn, qualifier });
  return { status: 201, body: toOutput(fn, qualifier, state, ctx, 'create') };
}

export function getFunctionUrlConfig(lambda: LambdaService, ctx: RequestContext, name: string, qualifierParam: string | null) {
  const { fn, qualifier } = target(lambda, ctx, name, qualifierParam, NOT_FOUND);
  return { body: toOutput(fn, qualifier, existing(lambda, fn, qualifier), ctx, 'get') };
}

export function updateFunctionUrlConfig(lambda: LambdaService, ctx: RequestContext, name: string, qualifierParam: string | null, input: Record<string, unknown>) {
  const { fn, qualifier } = target(lambda, ctx, name, qualifierParam, FN_NOT_FOUND);
  const cfg = readInput(input, false);
  requireAlias(fn, qualifier, FN_NOT_FOUND);
  const state = existing(lambda, fn, qualifier);
  if (cfg.authType) state.authType = cfg.authType;
  if (cfg.cors) state.cors = cfg.cors;
  if (cfg.invokeMode) state.invokeMode = cfg.invokeMode;
  state.lastModifiedTime = lambda.clock.now();
  return { body: toOutput(fn, qualifier, state, ctx, 'update') };
}

export function deleteFunctionUrlConfig(lambda: LambdaService, ctx: RequestContext, name: string, qualifierParam: string | null) {
  const { fn, qualifier } = target(lambda, ctx, name, qualifierParam, NOT_FOUND);
  existing(lambda, fn, qualifier);
  fn.urls?.delete(qualifier);
  // The id stays in the index: the door answers a deleted URL as AWS does, not as an unknown one.
  return { status: 204 };
}

export function listFunctionUrlConfigs(lambda: LambdaService, ctx: RequestContext, name: string, query: URLSearchParams) {
  const max = maxItems(query, 50);
  const { fn } = target(lambda, ctx, name, null, FN_NOT_FOUND);
  const configs = liveUrls(lambda, fn)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([q, s]) => toOutput(fn, q, s, ctx, 'get'));
  return paginate(configs, query.get('Marker'), max ?? 50, 'FunctionUrlConfigs');
}

export function urlRoutes(lambda: LambdaService): RestRoute[] {
  const path = '/2021-10-31/functions/{FunctionName}/url';
  const q = (r: { query: URLSearchParams }) => r.query.get('Qualifier');
  return [
    { method: 'POST', path, operation: 'CreateFunctionUrlConfig', handler: (r, ctx) => createFunctionUrlConfig(lambda, ctx, r.params.FunctionName, q(r), r.json) },
    { method: 'GET', path, operation: 'GetFunctionUrlConfig', handler: (r, ctx) => getFunctionUrlConfig(lambda, ctx, r.params.FunctionName, q(r)) },
    { method: 'PUT', path, operation: 'UpdateFunctionUrlConfig', handler: (r, ctx) => updateFunctionUrlConfig(lambda, ctx, r.params.FunctionName, q(r), r.json) },
    { method: 'DELETE', path, operation: 'DeleteFunctionUrlConfig', handler: (r, ctx) => deleteFunctionUrlConfig(lambda, ctx, r.params.FunctionName, q(r)) },
    {
      method: 'GET',
      path: '/2021-10-31/functions/{FunctionName}/urls',
      operation: 'ListFunctionUrlConfigs',
      handler: (r, ctx) => ({ body: listFunctionUrlConfigs(lambda, ctx, r.params.FunctionName, r.query) }),
    },
  ];
}
