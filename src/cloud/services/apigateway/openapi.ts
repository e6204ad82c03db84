/**
 * An OpenAPI 3 or Swagger 2 document (JSON or YAML) read into the parts of a REST API, with API
 * Gateway's extensions:
 *   x-amazon-apigateway-integration      the method's integration (type, uri, httpMethod,
 *                                        requestTemplates, requestParameters, passthroughBehavior,
 *                                        timeoutInMillis, contentHandling, credentials, responses)
 *   x-amazon-apigateway-any-method       the ANY method
 *   x-amazon-apigateway-authorizer       a Lambda (token | request) or Cognito authorizer on a
 *                                        security scheme; x-amazon-apigateway-authtype its authType
 *   x-amazon-apigateway-api-key-source   HEADER | AUTHORIZER
 *   x-amazon-apigateway-binary-media-types
 * Security: a method's `security` (or the document's) names schemes; a scheme with an authorizer
 * makes the method CUSTOM (or COGNITO_USER_POOLS), an `apiKey` scheme named x-api-key without
 * one makes it apiKeyRequired. A document that cannot be read is "Invalid OpenAPI input." [rec].
 * `basePath` / `servers` are ignored (AWS's default `basepath=ignore`).
 */
import YAML from 'yaml';
import { badRequest } from './errors';
import type { IntegrationResponse, MethodResponse } from './types';

type Obj = Record<string, unknown>;

export interface AuthorizerSpec {
  name: string;
  type: string;
  authType?: string;
  authorizerUri?: string;
  authorizerCredentials?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds?: number;
  providerARNs?: string[];
}

export interface IntegrationSpec {
  type: string;
  httpMethod?: string;
  uri?: string;
  credentials?: string;
  connectionType?: string;
  connectionId?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string | null>;
  passthroughBehavior: string;
  timeoutInMillis: number;
  contentHandling?: string;
  cacheNamespace?: string;
  cacheKeyParameters: string[];
  integrationResponses: Record<string, IntegrationResponse>;
}

export interface MethodSpec {
  path: string;
  httpMethod: string;
  authorizationType: string;
  /** The security scheme whose authorizer guards the method. */
  authorizerName?: string;
  authorizationScopes?: string[];
  apiKeyRequired: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  methodResponses: Record<string, MethodResponse>;
  integration?: IntegrationSpec;
}

export interface ApiSpec {
  title?: string;
  description?: string;
  version?: string;
  binaryMediaTypes: string[];
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  authorizers: AuthorizerSpec[];
  /** Every path of the document (a path without methods still makes its resources). */
  paths: string[];
  methods: MethodSpec[];
  warnings: string[];
}

const INVALID = 'Invalid OpenAPI input.';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];
const ANY = 'x-amazon-apigateway-any-method';

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** The document as an object: JSON first, then YAML; anything else is "Invalid OpenAPI input." [rec]. */
export function parseDocument(body: Buffer): Obj {
  const text = body.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      doc = YAML.parse(text, { maxAliasCount: 100 });
    } catch {
      throw badRequest(INVALID);
    }
  }
  if (!isObj(doc)) throw badRequest(INVALID);
  const swagger = str(doc.swagger);
  const openapi = str(doc.openapi);
  if (!(swagger === '2.0' || (openapi && /^3\./.test(openapi))) || !isObj(doc.paths)) throw badRequest(INVALID);
  return doc;
}

/** Follows a local `$ref` ("#/components/parameters/x") once. */
function deref(doc: Obj, v: unknown): unknown {
  if (!isObj(v) || typeof v.$ref !== 'string' || !v.$ref.startsWith('#/')) return v;
  let cur: unknown = doc;
  for (const part of v.$ref.slice(2).split('/')) cur = isObj(cur) ? cur[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return cur ?? v;
}

function refName(schema: unknown): string | undefined {
  if (!isObj(schema) || typeof schema.$ref !== 'string') return undefined;
  return schema.$ref.split('/').pop();
}

function stringMap(v: unknown, nullable = false): Record<string, string | null> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string | null> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null && nullable) out[k] = null;
    else if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else if (isObj(x) || Array.isArray(x)) out[k] = JSON.stringify(x);
  }
  return out;
}

function authorizers(doc: Obj): { list: AuthorizerSpec[]; apiKeySchemes: Set<string> } {
  const schemes = (isObj(doc.securityDefinitions) ? doc.securityDefinitions : isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {}) as Obj;
  const list: AuthorizerSpec[] = [];
  const apiKeySchemes = new Set<string>();
  for (const [name, raw] of Object.entries(schemes)) {
    const scheme = deref(doc, raw);
    if (!isObj(scheme)) continue;
    const ext = scheme['x-amazon-apigateway-authorizer'];
    if (!isObj(ext)) {
      if (scheme.type === 'apiKey' && String(scheme.name ?? '').toLowerCase() === 'x-api-key') apiKeySchemes.add(name);
      continue;
    }
    const type = (str(ext.type) ?? 'token').toUpperCase();
    const a: AuthorizerSpec = { name, type };
    const authType = str(scheme['x-amazon-apigateway-authtype']);
    if (authType) a.authType = authType;
    for (const k of ['authorizerUri', 'authorizerCredentials', 'identityValidationExpression'] as const) {
      const v = str(ext[k]);
      if (v !== undefined) a[k] = v;
    }
    if (typeof ext.authorizerResultTtlInSeconds === 'number') a.authorizerResultTtlInSeconds = ext.authorizerResultTtlInSeconds;
    if (Array.isArray(ext.providerARNs)) a.providerARNs = ext.providerARNs.map(String);
    // TOKEN (and Cognito) authorizers read the scheme's header [doc].
    if (type === 'TOKEN' || type === 'COGNITO_USER_POOLS') a.identitySource = `method.request.header.${str(scheme.name) ?? 'Authorization'}`;
    else if (str(ext.identitySource) !== undefined) a.identitySource = str(ext.identitySource);
    list.push(a);
  }
  return { list, apiKeySchemes };
}

function integrationOf(ext: unknown, httpMethod: string): IntegrationSpec | undefined {
  if (!isObj(ext)) return undefined;
  const type = (str(ext.type) ?? '').toUpperCase();
  const integrationResponses: Record<string, IntegrationResponse> = {};
  if (isObj(ext.responses)) {
    for (const [pattern, raw] of Object.entries(ext.responses)) {
      if (!isObj(raw)) continue;
      const statusCode = str(raw.statusCode) ?? '200';
      const r: IntegrationResponse = { statusCode };
      if (pattern !== 'default') r.selectionPattern = pattern;
      const templates = stringMap(raw.responseTemplates, true);
      if (templates) r.responseTemplates = templates;
      const params = stringMap(raw.responseParameters) as Record<string, string> | undefined;
      if (params) r.responseParameters = params;
      const ch = str(raw.contentHandling);
      if (ch) r.contentHandling = ch;
      integrationResponses[statusCode] = r;
    }
  }
  const spec: IntegrationSpec = {
    type,
    passthroughBehavior: (str(ext.passthroughBehavior) ?? 'when_no_match').toUpperCase(),
    timeoutInMillis: typeof ext.timeoutInMillis === 'number' ? ext.timeoutInMillis : 29000,
    cacheKeyParameters: Array.isArray(ext.cacheKeyParameters) ? ext.cacheKeyParameters.map(String) : [],
    integrationResponses,
  };
  const method = str(ext.httpMethod)?.toUpperCase() ?? (type === 'AWS_PROXY' ? 'POST' : type === 'MOCK' ? undefined : httpMethod);
  if (method) spec.httpMethod = method;
  for (const k of ['uri', 'credentials', 'connectionType', 'connectionId', 'contentHandling', 'cacheNamespace'] as const) {
    const v = str(ext[k]);
    if (v !== undefined) spec[k] = v;
  }
  const templates = stringMap(ext.requestTemplates, true);
  if (templates) spec.requestTemplates = templates;
  const params = stringMap(ext.requestParameters) as Record<string, string> | undefined;
  if (params) spec.requestParameters = params;
  return spec;
}

function methodResponses(doc: Obj, responses: unknown): Record<string, MethodResponse> {
  const out: Record<string, MethodResponse> = {};
  if (!isObj(responses)) return out;
  for (const [code, raw] of Object.entries(responses)) {
    if (!/^[1-5]\d\d$/.test(code)) continue;
    const r = deref(doc, raw);
    const mr: MethodResponse = { statusCode: code };
    if (isObj(r)) {
      let model: string | undefined;
      if (r.schema !== undefined) model = refName(r.schema);
      else if (isObj(r.content) && isObj(r.content['application/json'])) model = refName(r.content['application/json'].schema);
      if (model) mr.responseModels = { 'application/json': model };
      if (isObj(r.headers) && Object.keys(r.headers).length) {
        mr.responseParameters = Object.fromEntries(Object.keys(r.headers).map((h) => [`method.response.header.${h}`, false]));
      }
    }
    out[code] = mr;
  }
  return out;
}

/** The document's API parts. */
export function readSpec(doc: Obj): ApiSpec {
  const info = isObj(doc.info) ? doc.info : {};
  const { list, apiKeySchemes } = authorizers(doc);
  const byName = new Map(list.map((a) => [a.name, a]));
  const rootSecurity = Array.isArray(doc.security) ? doc.security : undefined;
  const spec: ApiSpec = {
    title: str(info.title),
    description: str(info.description),
    version: str(info.version),
    binaryMediaTypes: Array.isArray(doc['x-amazon-apigateway-binary-media-types']) ? (doc['x-amazon-apigateway-binary-media-types'] as unknown[]).map(String) : [],
    authorizers: list,
    paths: [],
    methods: [],
    warnings: [],
  };
  const source = str(doc['x-amazon-apigateway-api-key-source'])?.toUpperCase();
  if (source === 'HEADER' || source === 'AUTHORIZER') spec.apiKeySource = source;

  for (const [path, rawItem] of Object.entries(doc.paths as Obj)) {
    const item = deref(doc, rawItem);
    if (!isObj(item)) continue;
    spec.paths.push(path);
    const pathParams = Array.isArray(item.parameters) ? item.parameters : [];
    for (const [key, rawOp] of Object.entries(item)) {
      const lower = key.toLowerCase();
      if (!METHODS.includes(lower) && key !== ANY) continue;
      const op = isObj(rawOp) ? rawOp : {};
      const httpMethod = key === ANY ? 'ANY' : lower.toUpperCase();
      const m: MethodSpec = { path, httpMethod, authorizationType: 'NONE', apiKeyRequired: false, methodResponses: methodResponses(doc, op.responses) };
      const operationName = str(op.operationId);
      if (operationName) m.operationName = operationName;
      // security: the operation's, else the document's; [] means none
      const security = Array.isArray(op.security) ? op.security : rootSecurity;
      for (const requirement of security ?? []) {
        if (!isObj(requirement)) continue;
        for (const [schemeName, scopes] of Object.entries(requirement)) {
          const a = byName.get(schemeName);
          if (a && !m.authorizerName) {
            m.authorizerName = a.name;
            m.authorizationType = a.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
            if (Array.isArray(scopes) && scopes.length) m.authorizationScopes = scopes.map(String);
          }
          if (apiKeySchemes.has(schemeName)) m.apiKeyRequired = true;
        }
      }
      const params: Record<string, boolean> = {};
      for (const rawParam of [...pathParams, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const p = deref(doc, rawParam);
        if (!isObj(p) || typeof p.name !== 'string') continue;
        const where = p.in === 'query' ? 'querystring' : p.in === 'header' || p.in === 'path' ? p.in : undefined;
        if (where) params[`method.request.${where}.${p.name}`] = p.required === true;
        else if (p.in === 'body') m.requestModels = { 'application/json': refName(p.schema) ?? p.name };
      }
      // A path variable is a required parameter even when the document does not declare it.
      for (const part of path.split('/')) {
        const v = /^\{([^}+]+)\}$/.exec(part);
        if (v) params[`method.request.path.${v[1]}`] = true;
      }
      if (Object.keys(params).length) m.requestParameters = params;
      const body = deref(doc, op.requestBody);
      if (isObj(body) && isObj(body.content) && isObj(body.content['application/json'])) {
        const model = refName(body.content['application/json'].schema);
        if (model) m.requestModels = { 'application/json': model };
      }
      const integration = integrationOf(op['x-amazon-apigateway-integration'], httpMethod);
      if (integration) m.integration = integration;
      else spec.warnings.push(`Integration not found for method ${httpMethod} of resource ${path}`);
      spec.methods.push(m);
    }
  }
  return spec;
}
