/**
 * ImportApi and ReimportApi: an HTTP API from an OpenAPI 3 definition (JSON or YAML) with API
 * Gateway's extensions [doc "Working with OpenAPI definitions for HTTP APIs", "API Gateway
 * extensions to OpenAPI"]:
 *   paths.<path>.<method> / x-amazon-apigateway-any-method (isDefaultRoute: the $default route)
 *   x-amazon-apigateway-integration (inline or $ref to components.x-amazon-apigateway-integrations)
 *   components.securitySchemes.<name>.x-amazon-apigateway-authorizer (type request | jwt), used by
 *     an operation's (or the document's) `security`
 *   x-amazon-apigateway-cors (the API's CORS configuration), info.title / info.version
 *
 * AWS sorts problems in three kinds [doc]: info (ignored), warnings (an integration or authorizer
 * that cannot be made is left out; with failOnWarnings=true the import fails with
 * "Warnings found during import:\n\t..." [obs]) and errors (nothing is made: "Errors found during
 * import:\n\t..."). A document that is not JSON or YAML is "Invalid OpenAPI input." and one that is
 * not OpenAPI 3 "Only OpenAPI 3.x.x are currently supported" [obs: AWS's texts for REST APIs].
 */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../protocols/types';
import { corsOf, newApi } from './apis';
import { createAuthorizer } from './authorizers';
import { badRequest } from './errors';
import { createIntegration } from './integrations';
import { createRoute } from './routes';
import type { ApiGatewayV2Store } from './store';
import type { ApiRecord } from './types';

type Obj = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const ANY = 'x-amazon-apigateway-any-method';

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * YAML through the `yaml` package, loaded when a definition is not JSON (a cloud installed without
 * it still imports JSON definitions; a YAML one is then "Invalid OpenAPI input.").
 */
function parseYaml(text: string): unknown {
  const { parse } = require('yaml') as typeof import('yaml');
  return parse(text);
}

/** The document, parsed from JSON or YAML; BadRequestException when it is neither or not OpenAPI 3. */
export function parseDefinition(body: string): Obj {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    try {
      doc = parseYaml(body);
    } catch {
      doc = undefined;
    }
  }
  if (!isObj(doc)) throw badRequest('Invalid OpenAPI input.');
  const version = doc.openapi;
  if (typeof version !== 'string' || !/^3\.\d+(\.\d+)?$/.test(version)) throw badRequest('Only OpenAPI 3.x.x are currently supported');
  return doc;
}

/** Resolve a local `$ref` ("#/components/..."); the object itself when it has none. */
function deref(doc: Obj, v: unknown): unknown {
  let cur = v;
  for (let hops = 0; isObj(cur) && typeof cur.$ref === 'string' && hops < 16; hops++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#/')) return undefined;
    let at: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      at = isObj(at) ? at[key] : undefined;
    }
    cur = at;
  }
  return cur;
}

/** payloadFormatVersion may be written as a number in YAML/JSON (`2.0` parses as 2). */
function versionText(v: unknown): string | undefined {
  if (typeof v === 'number') return v.toFixed(1);
  return typeof v === 'string' ? v : undefined;
}

interface Built {
  warnings: string[];
  errors: string[];
}

function integrationInput(x: Obj): Obj {
  const type = typeof x.type === 'string' ? x.type.toUpperCase() : x.type;
  return {
    integrationType: type,
    integrationUri: x.uri,
    integrationMethod: x.httpMethod,
    payloadFormatVersion: versionText(x.payloadFormatVersion),
    timeoutInMillis: x.timeoutInMillis,
    connectionType: typeof x.connectionType === 'string' ? x.connectionType.toUpperCase() : x.connectionType,
    connectionId: x.connectionId,
    credentialsArn: x.credentials,
    integrationSubtype: x.integrationSubtype,
    requestParameters: x.requestParameters,
    responseParameters: x.responseParameters,
    tlsConfig: x.tlsConfig,
    description: x.description,
  };
}

function authorizerInput(name: string, x: Obj): Obj {
  const type = typeof x.type === 'string' ? x.type.toUpperCase() : x.type;
  const sources = typeof x.identitySource === 'string' ? x.identitySource.split(',').map((s) => s.trim()).filter(Boolean) : x.identitySource;
  const ttl = typeof x.authorizerResultTtlInSeconds === 'string' ? Number(x.authorizerResultTtlInSeconds) : x.authorizerResultTtlInSeconds;
  const jwt = isObj(x.jwtConfiguration) ? x.jwtConfiguration : undefined;
  return {
    name,
    authorizerType: type,
    authorizerUri: x.authorizerUri,
    authorizerCredentialsArn: x.authorizerCredentials,
    authorizerPayloadFormatVersion: versionText(x.authorizerPayloadFormatVersion),
    enableSimpleResponses: x.enableSimpleResponses,
    authorizerResultTtlInSeconds: ttl,
    identitySource: sources,
    jwtConfiguration: jwt ? { issuer: jwt.issuer, audience: typeof jwt.audience === 'string' ? [jwt.audience] : jwt.audience } : undefined,
  };
}

/** Make the document's routes, integrations and authorizers on `api` (already in the store). */
function build(store: ApiGatewayV2Store, ctx: RequestContext, api: ApiRecord, doc: Obj, basepath: string): Built {
  const out: Built = { warnings: [], errors: [] };
  const attempt = <T>(kind: 'warnings' | 'errors', prefix: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      out[kind].push(`${prefix}: ${e.message}`);
      return undefined;
    }
  };
  const components = isObj(doc.components) ? doc.components : {};
  const schemes = isObj(components.securitySchemes) ? components.securitySchemes : {};
  const authorizerIds = new Map<string, string | null>();
  const authorizerFor = (name: string): { id?: string; iam?: boolean } | undefined => {
    const scheme = deref(doc, schemes[name]);
    if (!isObj(scheme)) {
      out.errors.push(`Unable to find a security scheme named '${name}'`);
      return undefined;
    }
    const ext = scheme['x-amazon-apigateway-authorizer'];
    if (!isObj(ext)) {
      if (scheme['x-amazon-apigateway-authtype'] === 'awsSigv4') return { iam: true };
      out.warnings.push(`Unable to create Authorizer '${name}': the security scheme has no x-amazon-apigateway-authorizer`);
      return undefined;
    }
    if (!authorizerIds.has(name)) {
      const made = attempt('warnings', `Unable to create Authorizer '${name}'`, () => createAuthorizer(store, ctx, api.apiId, authorizerInput(name, ext)));
      authorizerIds.set(name, made?.authorizerId ?? null);
    }
    const id = authorizerIds.get(name);
    return id ? { id } : undefined;
  };
  const docSecurity = Array.isArray(doc.security) ? doc.security : undefined;
  const paths = doc.paths;
  if (paths !== undefined && !isObj(paths)) {
    out.errors.push('attribute paths is not an object');
    return out;
  }
  for (const [path, rawItem] of Object.entries(paths ?? {})) {
    const item = deref(doc, rawItem);
    if (!isObj(item)) continue;
    for (const [method, rawOp] of Object.entries(item)) {
      const lower = method.toLowerCase();
      if (!METHODS.includes(lower) && method !== ANY) continue;
      const op = deref(doc, rawOp);
      if (!isObj(op)) continue;
      const isDefault = method === ANY && op.isDefaultRoute === true;
      if (!isDefault && !path.startsWith('/')) {
        out.warnings.push(`Parse issue: attribute paths. Resource ${path} should start with /`);
        continue;
      }
      const routePath = basepath && path !== '/' ? `${basepath}${path}` : basepath || path;
      const routeKey = isDefault ? '$default' : `${method === ANY ? 'ANY' : lower.toUpperCase()} ${routePath}`;
      let target: string | undefined;
      const ext = deref(doc, op['x-amazon-apigateway-integration']);
      if (isObj(ext)) {
        const made = attempt('warnings', `Unable to create integration for route ${routeKey}`, () => createIntegration(store, ctx, api.apiId, integrationInput(ext)));
        if (made) target = `integrations/${made.integrationId}`;
      }
      const route: Obj = { routeKey, target, operationName: typeof op.operationId === 'string' ? op.operationId.slice(0, 64) : undefined };
      const security = Array.isArray(op.security) ? op.security : docSecurity;
      const requirements = (security ?? []).filter((s) => isObj(s) && Object.keys(s).length > 0) as Obj[];
      if (requirements.length > 1 || (requirements[0] && Object.keys(requirements[0]).length > 1)) {
        // [doc] "Each operation can have only one of IAM authorization, a Lambda authorizer, or a JWT authorizer."
        out.errors.push(`Route ${routeKey} has more than one security requirement; only one is supported`);
        continue;
      }
      if (requirements[0]) {
        const [name, scopes] = Object.entries(requirements[0])[0];
        const auth = authorizerFor(name);
        if (auth?.iam) route.authorizationType = 'AWS_IAM';
        else if (auth?.id) {
          const a = api.authorizers.get(auth.id);
          route.authorizationType = a?.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
          route.authorizerId = auth.id;
          if (route.authorizationType === 'JWT' && Array.isArray(scopes) && scopes.length > 0) route.authorizationScopes = scopes;
        }
      }
      attempt('errors', `Unable to create route ${routeKey}`, () => createRoute(store, ctx, api.apiId, route));
    }
  }
  return out;
}

function basePathOf(doc: Obj, mode: string | null): string {
  if (mode === null || mode === 'ignore') return '';
  if (mode !== 'prepend' && mode !== 'split') throw badRequest(`Invalid basepath specified: ${mode}. Supported values are ignore, prepend and split`);
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = isObj(servers[0]) ? servers[0] : undefined;
  const variables = first && isObj(first.variables) ? first.variables : {};
  const basePath = isObj(variables.basePath) && typeof variables.basePath.default === 'string' ? variables.basePath.default : undefined;
  let path = basePath ?? (typeof first?.url === 'string' ? first.url.replace(/^[a-z]+:\/\/[^/]*/i, '') : '');
  path = path.replace(/\{[^}]*\}/g, '').replace(/\/+$/, '');
  if (mode === 'split') path = path.split('/').slice(2).join('/').replace(/^(?=.)/, '/');
  return path && !path.startsWith('/') ? `/${path}` : path;
}

/** Import into a staging API (in the store under its own id), failing as AWS does. */
function stage(store: ApiGatewayV2Store, ctx: RequestContext, body: unknown, query: URLSearchParams): { staging: ApiRecord; doc: Obj; warnings: string[] } {
  if (typeof body !== 'string' || body.length === 0) throw badRequest('Body is a required parameter');
  const doc = parseDefinition(body);
  const basepath = basePathOf(doc, query.get('basepath'));
  const info = isObj(doc.info) ? doc.info : {};
  const title = typeof info.title === 'string' && info.title.length > 0 ? info.title : undefined;
  if (!title) throw badRequest('Errors found during import:\n\tattribute info.title is missing');
  const staging = newApi(store, ctx, title.slice(0, 128), 'HTTP');
  const version = info.version;
  if (typeof version === 'string' || typeof version === 'number') staging.version = String(version);
  const cors = doc['x-amazon-apigateway-cors'];
  store.add(staging);
  try {
    if (cors !== undefined) {
      if (!isObj(cors)) throw badRequest('Errors found during import:\n\tattribute x-amazon-apigateway-cors is not an object');
      try {
        staging.corsConfiguration = corsOf(cors);
      } catch (e) {
        throw e instanceof AwsError ? badRequest(`Errors found during import:\n\tInvalid x-amazon-apigateway-cors: ${e.message}`) : e;
      }
    }
    const built = build(store, ctx, staging, doc, basepath);
    if (built.errors.length > 0) throw badRequest(`Errors found during import:\n\t${built.errors.join('\n\t')}`);
    if (built.warnings.length > 0 && query.get('failOnWarnings') === 'true') {
      throw badRequest(`Warnings found during import:\n\t${built.warnings.join('\n\t')}`);
    }
    return { staging, doc, warnings: built.warnings };
  } catch (e) {
    store.remove(staging.apiId);
    throw e;
  }
}

export function importApi(store: ApiGatewayV2Store, ctx: RequestContext, input: Obj, query: URLSearchParams): ApiRecord {
  const { staging, warnings } = stage(store, ctx, input.body, query);
  if (warnings.length > 0) staging.warnings = warnings;
  return staging;
}

/** ReimportApi: the API's definition is replaced; its id, stages, deployments and tags stay. */
export function reimportApi(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, input: Obj, query: URLSearchParams): ApiRecord {
  const api = store.get(ctx, apiId);
  if (api.protocolType !== 'HTTP') throw badRequest('ReimportApi is supported only for HTTP APIs');
  const { staging, warnings } = stage(store, ctx, input.body, query);
  store.remove(staging.apiId);
  api.name = staging.name;
  api.version = staging.version;
  api.corsConfiguration = staging.corsConfiguration;
  api.routes = staging.routes;
  api.integrations = staging.integrations;
  api.authorizers = staging.authorizers;
  api.warnings = warnings.length > 0 ? warnings : undefined;
  store.clearAuthorizerCache(apiId);
  store.changed(api);
  return api;
}
