/**
 * APIs: CreateApi (with quick create), GetApi, GetApis, UpdateApi, DeleteApi,
 * DeleteCorsConfiguration.
 *
 * Quick create [doc "Create an HTTP API by using the AWS CLI"; model]: with Target, AWS creates an
 * integration (AWS_PROXY with payload 2.0 for a function ARN, HTTP_PROXY for a URL), a route
 * (RouteKey, default `$default`) and a `$default` stage with AutoDeploy, all ApiGatewayManaged
 * [doc: CLI reference get-routes / get-integrations / get-stages].
 * Output as AWS's [doc: CLI reference create-api / get-api]: ApiKeySelectionExpression
 * `$request.header.x-api-key`, RouteSelectionExpression `$request.method $request.path`.
 * ApiEndpoint is the front door's host on the cloud's port: `http://<api-id>.execute-api.localhost:<port>`.
 */
import type { RequestContext } from '../../protocols/types';
import { badRequest } from './errors';
import { createIntegration } from './integrations';
import { createRoute } from './routes';
import { createStage } from './stages';
import { apiEndpoint, type ApiGatewayV2Store, wireDate } from './store';
import type { ApiRecord, CorsConfiguration, ProtocolType } from './types';
import { lambdaFunctionOf, optBool, optEnum, optInt, optObject, optString, optStringList, optStringMap, reqString } from './validate';

type Input = Record<string, unknown>;

export const HTTP_ROUTE_SELECTION = '$request.method $request.path';

export function apiOut(ctx: Pick<RequestContext, 'endpoint'>, api: ApiRecord): Record<string, unknown> {
  const endpoint = apiEndpoint(ctx, api.apiId);
  return {
    apiEndpoint: api.protocolType === 'WEBSOCKET' ? endpoint.replace(/^http/, 'ws') : endpoint,
    apiId: api.apiId,
    apiKeySelectionExpression: api.apiKeySelectionExpression,
    corsConfiguration: api.corsConfiguration,
    createdDate: wireDate(api.createdDate),
    description: api.description,
    disableSchemaValidation: api.disableSchemaValidation,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    importInfo: api.importInfo,
    ipAddressType: api.ipAddressType,
    name: api.name,
    protocolType: api.protocolType,
    routeSelectionExpression: api.routeSelectionExpression,
    tags: api.tags,
    version: api.version,
    warnings: api.warnings,
  };
}

/** A CORS configuration from input [model: Cors; MaxAge -1..86400]. */
export function corsOf(input: Input | undefined): CorsConfiguration | undefined {
  if (!input) return undefined;
  const cors: CorsConfiguration = {};
  const credentials = optBool(input, 'allowCredentials');
  if (credentials !== undefined) cors.allowCredentials = credentials;
  for (const k of ['allowHeaders', 'allowMethods', 'allowOrigins', 'exposeHeaders'] as const) {
    const list = optStringList(input, k);
    if (list !== undefined) cors[k] = list;
  }
  const maxAge = optInt(input, 'maxAge', -1, 86400);
  if (maxAge !== undefined) cors.maxAge = maxAge;
  if (cors.allowCredentials && cors.allowOrigins?.includes('*')) {
    // The browser refuses credentials with a wildcard origin; AWS refuses the configuration [unverified wording].
    throw badRequest('allow-credentials cannot be used with allow-origin *');
  }
  return cors;
}

function routeSelection(input: Input, protocol: ProtocolType, current?: string): string {
  const given = optString(input, 'routeSelectionExpression');
  if (protocol === 'HTTP') {
    // [model] "For HTTP APIs, the routeSelectionExpression must be ${request.method} ${request.path}."
    if (given !== undefined && given !== '${request.method} ${request.path}' && given !== HTTP_ROUTE_SELECTION) {
      throw badRequest(`Unsupported route selection expression for HTTP APIs: ${given}. It must be \${request.method} \${request.path}`);
    }
    return HTTP_ROUTE_SELECTION;
  }
  const value = given ?? current;
  if (!value) throw badRequest('RouteSelectionExpression is a required parameter for WebSocket APIs');
  return value;
}

/** A new, empty API record (CreateApi and ImportApi). */
export function newApi(store: ApiGatewayV2Store, ctx: RequestContext, name: string, protocolType: ProtocolType): ApiRecord {
  return {
    apiId: store.newApiId(),
    accountId: ctx.accountId,
    region: ctx.region,
    name,
    protocolType,
    apiKeySelectionExpression: '$request.header.x-api-key',
    routeSelectionExpression: protocolType === 'HTTP' ? HTTP_ROUTE_SELECTION : '',
    createdDate: store.clock.now(),
    disableExecuteApiEndpoint: false,
    ipAddressType: 'ipv4',
    tags: {},
    routes: new Map(),
    integrations: new Map(),
    authorizers: new Map(),
    stages: new Map(),
    deployments: new Map(),
  };
}

/** The quick-create integration for a Target: a Lambda function ARN or an HTTP(S) URL [model]. */
function quickIntegration(target: string, credentialsArn: string | undefined): Input {
  if (lambdaFunctionOf(target)) {
    return { integrationType: 'AWS_PROXY', integrationUri: target, payloadFormatVersion: '2.0', credentialsArn };
  }
  if (/^https?:\/\/[^\s]+$/.test(target)) return { integrationType: 'HTTP_PROXY', integrationUri: target, integrationMethod: 'ANY' };
  throw badRequest(`Invalid target specified: ${target}. The target must be a Lambda function ARN or an HTTP(S) URL`);
}

export function createApi(store: ApiGatewayV2Store, ctx: RequestContext, input: Input): ApiRecord {
  const name = reqString(input, 'name', 1, 128);
  const protocolType = input.protocolType;
  if (protocolType !== 'HTTP' && protocolType !== 'WEBSOCKET') {
    throw badRequest(`Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]`);
  }
  const api = newApi(store, ctx, name, protocolType);
  api.routeSelectionExpression = routeSelection(input, protocolType);
  api.apiKeySelectionExpression = optString(input, 'apiKeySelectionExpression') ?? api.apiKeySelectionExpression;
  api.description = optString(input, 'description', 0, 1024);
  api.disableSchemaValidation = optBool(input, 'disableSchemaValidation');
  api.disableExecuteApiEndpoint = optBool(input, 'disableExecuteApiEndpoint') ?? false;
  api.ipAddressType = optEnum(input, 'ipAddressType', ['ipv4', 'dualstack'] as const) ?? 'ipv4';
  api.version = optString(input, 'version', 1, 64);
  api.tags = optStringMap(input, 'tags') ?? {};
  const cors = corsOf(optObject(input, 'corsConfiguration'));
  const target = optString(input, 'target', 1, 2048);
  const routeKey = optString(input, 'routeKey', 1);
  const credentialsArn = optString(input, 'credentialsArn');
  if (protocolType === 'WEBSOCKET') {
    if (cors) throw badRequest('CORS configuration is supported only for HTTP APIs');
    if (target || routeKey || credentialsArn) throw badRequest('Quick create (Target, RouteKey, CredentialsArn) is supported only for HTTP APIs');
  }
  if (!target && (routeKey || credentialsArn)) throw badRequest('RouteKey and CredentialsArn are part of quick create and require a Target');
  const integrationInput = target ? quickIntegration(target, credentialsArn) : undefined;
  api.corsConfiguration = cors;
  store.add(api);
  if (integrationInput) {
    try {
      const integration = createIntegration(store, ctx, api.apiId, integrationInput, true);
      createRoute(store, ctx, api.apiId, { routeKey: routeKey ?? '$default', target: `integrations/${integration.integrationId}` }, true);
      createStage(store, ctx, api.apiId, { stageName: '$default', autoDeploy: true }, true);
    } catch (e) {
      store.remove(api.apiId);
      throw e;
    }
  }
  return api;
}

export function listApis(store: ApiGatewayV2Store, ctx: RequestContext, query: URLSearchParams): { items: ApiRecord[]; nextToken?: string } {
  return page(store.list(ctx), query);
}

/** GetX paging: MaxResults and NextToken are strings on the wire [model]. */
export function page<T>(all: T[], query: URLSearchParams): { items: T[]; nextToken?: string } {
  const start = query.get('nextToken');
  const from = start === null ? 0 : Number.parseInt(start, 10);
  if (!Number.isInteger(from) || from < 0 || (start !== null && String(from) !== start)) throw badRequest(`Invalid nextToken specified: ${start}`);
  const maxText = query.get('maxResults');
  const max = maxText === null ? Infinity : Number.parseInt(maxText, 10);
  if (maxText !== null && (!Number.isInteger(max) || max < 1)) throw badRequest(`Invalid maxResults specified: ${maxText}`);
  const items = all.slice(from, from + max);
  return { items, nextToken: from + items.length < all.length ? String(from + items.length) : undefined };
}

export function updateApi(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, input: Input): ApiRecord {
  const api = store.get(ctx, apiId);
  const name = optString(input, 'name', 1, 128);
  const description = optString(input, 'description', 0, 1024);
  const version = optString(input, 'version', 1, 64);
  const disable = optBool(input, 'disableExecuteApiEndpoint');
  const ipAddressType = optEnum(input, 'ipAddressType', ['ipv4', 'dualstack'] as const);
  const apiKeySelection = optString(input, 'apiKeySelectionExpression');
  const routeSelectionExpression = routeSelection(input, api.protocolType, api.routeSelectionExpression);
  const corsInput = optObject(input, 'corsConfiguration');
  const cors = corsOf(corsInput);
  if (cors && api.protocolType !== 'HTTP') throw badRequest('CORS configuration is supported only for HTTP APIs');
  const target = optString(input, 'target', 1, 2048);
  const routeKey = optString(input, 'routeKey', 1);
  const credentialsArn = optString(input, 'credentialsArn');
  // Quick update: the managed integration and route of a quick-created API [model: "part of quick create"].
  const managedIntegration = [...api.integrations.values()].find((i) => i.apiGatewayManaged);
  const managedRoute = [...api.routes.values()].find((r) => r.apiGatewayManaged);
  if ((target || credentialsArn) && !managedIntegration) throw badRequest('Target and CredentialsArn can be updated only for an API made by quick create');
  if (routeKey && !managedRoute) throw badRequest('RouteKey can be updated only for an API made by quick create');
  if (routeKey && managedRoute?.routeKey === '$default' && routeKey !== '$default') {
    // [model] "The $default route key can't be modified."
    throw badRequest('The $default route key cannot be modified');
  }
  if (managedIntegration && (target || credentialsArn)) {
    const next = target ? quickIntegration(target, credentialsArn ?? managedIntegration.credentialsArn) : { credentialsArn };
    Object.assign(managedIntegration, next);
    if (next.integrationType === 'HTTP_PROXY') {
      managedIntegration.payloadFormatVersion = '1.0';
      delete managedIntegration.credentialsArn;
    }
  }
  if (managedRoute && routeKey) managedRoute.routeKey = routeKey;
  if (name !== undefined) api.name = name;
  if (description !== undefined) api.description = description;
  if (version !== undefined) api.version = version;
  if (disable !== undefined) api.disableExecuteApiEndpoint = disable;
  if (ipAddressType !== undefined) api.ipAddressType = ipAddressType;
  if (apiKeySelection !== undefined) api.apiKeySelectionExpression = apiKeySelection;
  api.routeSelectionExpression = routeSelectionExpression;
  if (cors) api.corsConfiguration = cors;
  store.changed(api);
  return api;
}

export function deleteApi(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string): void {
  store.get(ctx, apiId);
  store.remove(apiId);
}

export function deleteCorsConfiguration(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string): void {
  const api = store.get(ctx, apiId);
  delete api.corsConfiguration;
  store.changed(api);
}
