/**
 * Member checks for API Gateway v2's inputs. Constraints come from the model [model] (lengths,
 * enums, TimeoutInMillis 50-30000, MaxAge -1..86400, AuthorizerResultTtlInSeconds 0-3600); AWS
 * answers them with BadRequestException. Texts marked [obs] were seen from AWS by third parties;
 * the others are plain statements of the constraint [unverified wording].
 */
import { badRequest } from './errors';

type Input = Record<string, unknown>;

export function optString(input: Input, key: string, min = 0, max = Infinity): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`Invalid value for ${key}: must be a string`);
  if (v.length < min || v.length > max) {
    throw badRequest(`Invalid value for ${key}: length must be between ${min} and ${max === Infinity ? 'unbounded' : max}`);
  }
  return v;
}

export function reqString(input: Input, key: string, min = 1, max = Infinity): string {
  const v = optString(input, key, min, max);
  if (v === undefined) throw badRequest(`${key} is a required parameter`);
  return v;
}

export function optBool(input: Input, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`Invalid value for ${key}: must be a boolean`);
  return v;
}

export function optInt(input: Input, key: string, min: number, max: number, message?: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw badRequest(`Invalid value for ${key}: must be an integer`);
  if (v < min || v > max) throw badRequest(message ?? `Invalid value for ${key}: must be between ${min} and ${max}`);
  return v;
}

export function optEnum<T extends string>(input: Input, key: string, values: readonly T[]): T | undefined {
  const v = optString(input, key);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw badRequest(`Invalid value for ${key}: must be one of [${values.join(', ')}]`);
  return v as T;
}

export function optStringList(input: Input, key: string): string[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw badRequest(`Invalid value for ${key}: must be a list of strings`);
  return [...(v as string[])];
}

export function optStringMap(input: Input, key: string): Record<string, string> | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((s) => typeof s !== 'string')) {
    throw badRequest(`Invalid value for ${key}: must be a map of strings`);
  }
  return { ...(v as Record<string, string>) };
}

export function optObject(input: Input, key: string): Input | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`Invalid value for ${key}: must be an object`);
  return v as Input;
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

/**
 * [obs] AWS's text for a bad path segment: "One or more path parts appear to be invalid. Parts are
 * validated against this regular expression: ^(\{[\w.:-]+\+?\}|[a-zA-Z0-9.:_-]+)$".
 */
const PATH_PART = /^(\{[\w.:-]+\+?\}|[a-zA-Z0-9.:_-]+)$/;
const PATH_PARTS_MESSAGE = 'One or more path parts appear to be invalid. Parts are validated against this regular expression: ^(\\{[\\w.:-]+\\+?\\}|[a-zA-Z0-9.:_-]+)$';

/** An HTTP API route key: `$default` or `<METHOD> /<path>` [doc "Working with routes for HTTP APIs"]. */
export function checkHttpRouteKey(routeKey: string): void {
  if (routeKey === '$default') return;
  const space = routeKey.indexOf(' ');
  const method = space > 0 ? routeKey.slice(0, space) : '';
  const path = space > 0 ? routeKey.slice(space + 1) : '';
  if (!(HTTP_METHODS as readonly string[]).includes(method) || !path.startsWith('/')) {
    throw badRequest(`Invalid route key: ${routeKey}. A route key must be $default or an HTTP method followed by a path starting with /`);
  }
  if (path === '/') return;
  const parts = path.slice(1).split('/');
  const names = new Set<string>();
  parts.forEach((p, i) => {
    if (!PATH_PART.test(p)) throw badRequest(PATH_PARTS_MESSAGE);
    if (p.startsWith('{')) {
      const greedy = p.endsWith('+}');
      const name = p.slice(1, greedy ? -2 : -1);
      // [doc] "The greedy path variable must be at the end of the resource path."
      if (greedy && i !== parts.length - 1) throw badRequest('A greedy path variable must be the last part of the path');
      if (names.has(name)) throw badRequest(`Duplicate path parameter name: ${name}`);
      names.add(name);
    }
  });
}

/** Stage names: `$default`, or letters, digits, '-' and '_' (1-128) [unverified wording]. */
export function checkStageName(name: string): void {
  if (name === '$default') return;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(name)) {
    throw badRequest(`Stage name only allows a-zA-Z0-9_- and must be at most 128 characters: ${name}`);
  }
}

/** [model] Stage variable names are alphanumeric and '_'; values match [A-Za-z0-9-._~:/?#&=,]+. */
export function checkStageVariables(vars: Record<string, string>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(k)) throw badRequest(`Stage variable name ${k} must be alphanumeric or underscore`);
    if (!/^[A-Za-z0-9-._~:/?#&=,]{1,512}$/.test(v)) {
      throw badRequest(`Stage variable value ${v} for ${k} must match [A-Za-z0-9-._~:/?#&=,]+`);
    }
  }
}

/**
 * The Lambda function a Lambda integration or authorizer names: a function ARN, or the API Gateway
 * form `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function-arn>/invocations`
 * [doc]. Undefined when the URI is neither.
 */
export function lambdaFunctionOf(uri: string): string | undefined {
  const wrapped = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri);
  const fn = wrapped ? wrapped[1] : uri;
  return /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^/]+$/.test(fn) ? fn : undefined;
}

/** HTTP API identity sources [doc]: $request.header.x, $request.querystring.x, $context.x, $stageVariables.x. */
export function checkIdentitySources(sources: string[], jwt: boolean): void {
  for (const s of sources) {
    const ok = jwt
      ? /^\$request\.(header|querystring)\.[^\s]+$/.test(s) || /^\$context\.[A-Za-z0-9_.]+$/.test(s)
      : /^\$(request\.(header|querystring)\.[^\s]+|context\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+)$/.test(s);
    if (!ok) throw badRequest(`Invalid identity source: ${s}. Identity sources must be $request.header.<name>, $request.querystring.<name>, $context.<variable> or $stageVariables.<name>`);
  }
}
