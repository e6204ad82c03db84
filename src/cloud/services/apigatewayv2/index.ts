/**
 * API Gateway v2 (apigatewayv2/2018-11-29), REST-JSON with signing name `apigateway` and paths
 * under /v2/ [model]. The route table: methods, paths and success statuses from the botocore model
 * (Create* 201, Delete* 204, ImportApi/ReimportApi/TagResource 201). Members are the model's
 * camelCase locationNames. Errors are `{"message": ...}` with the code in x-amzn-ErrorType.
 * See types.ts for the file map.
 */
import { AwsError } from '../../errors';
import type { RequestContext, RestJsonServiceDef, RestRequest, RestResult, RestRoute } from '../../protocols/types';
import { apiOut, createApi, deleteApi, deleteCorsConfiguration, listApis, page, updateApi } from './apis';
import { authorizerOut, createAuthorizer, deleteAuthorizer, getAuthorizer, updateAuthorizer } from './authorizers';
import { createDeployment, deleteDeployment, deploymentOut, getDeployment, listDeployments, updateDeployment } from './deployments';
import { badRequest, errorResult } from './errors';
import { createIntegration, deleteIntegration, getIntegration, integrationOut, updateIntegration } from './integrations';
import { importApi, reimportApi } from './openapi';
import { createRoute, deleteRoute, getRoute, routeOut, updateRoute } from './routes';
import {
  createStage,
  deleteAccessLogSettings,
  deleteRouteSettings,
  deleteStage,
  getStage,
  resetAuthorizersCache,
  stageOut,
  updateStage,
} from './stages';
import type { ApiGatewayV2Store } from './store';
import { getTags, tagResource, untagResource } from './tags';

export { ApiGatewayV2Store } from './store';

type Input = Record<string, unknown>;
type Handler = (r: RestRequest, input: Input, ctx: RequestContext) => RestResult | Promise<RestResult>;

/** The body as JSON (an object), or BadRequestException; errors answered in this service's form. */
function wrap(handler: Handler): RestRoute['handler'] {
  return async (r, ctx) => {
    try {
      let input: Input = {};
      if (r.body.length > 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(r.body.toString('utf8'));
        } catch {
          throw badRequest('Invalid request body: the body is not valid JSON');
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('Invalid request body: the body must be a JSON object');
        input = parsed as Input;
      }
      return await handler(r, input, ctx);
    } catch (e) {
      if (e instanceof AwsError) return errorResult(e);
      throw e;
    }
  };
}

const ok = (body: unknown): RestResult => ({ status: 200, body });
const created = (body: unknown): RestResult => ({ status: 201, body });
const noContent = (): RestResult => ({ status: 204 });

export function apigatewayv2Service(store: ApiGatewayV2Store): RestJsonServiceDef {
  const api = '/v2/apis/{apiId}';
  const route = (method: string, path: string, operation: string, handler: Handler): RestRoute => ({ method, path, operation, json: false, handler: wrap(handler) });
  const items = <T>(all: T[], q: URLSearchParams, out: (t: T) => unknown) => {
    const p = page(all, q);
    return ok({ items: p.items.map(out), nextToken: p.nextToken });
  };
  const routes: RestRoute[] = [
    // APIs
    route('POST', '/v2/apis', 'CreateApi', (_r, i, ctx) => created(apiOut(ctx, createApi(store, ctx, i)))),
    route('PUT', '/v2/apis', 'ImportApi', (r, i, ctx) => created(apiOut(ctx, importApi(store, ctx, i, r.query)))),
    route('GET', '/v2/apis', 'GetApis', (r, _i, ctx) => {
      const p = listApis(store, ctx, r.query);
      return ok({ items: p.items.map((a) => apiOut(ctx, a)), nextToken: p.nextToken });
    }),
    route('GET', api, 'GetApi', (r, _i, ctx) => ok(apiOut(ctx, store.get(ctx, r.params.apiId)))),
    route('PUT', api, 'ReimportApi', (r, i, ctx) => created(apiOut(ctx, reimportApi(store, ctx, r.params.apiId, i, r.query)))),
    route('PATCH', api, 'UpdateApi', (r, i, ctx) => ok(apiOut(ctx, updateApi(store, ctx, r.params.apiId, i)))),
    route('DELETE', api, 'DeleteApi', (r, _i, ctx) => (deleteApi(store, ctx, r.params.apiId), noContent())),
    route('DELETE', `${api}/cors`, 'DeleteCorsConfiguration', (r, _i, ctx) => (deleteCorsConfiguration(store, ctx, r.params.apiId), noContent())),
    // Routes
    route('POST', `${api}/routes`, 'CreateRoute', (r, i, ctx) => created(routeOut(createRoute(store, ctx, r.params.apiId, i)))),
    route('GET', `${api}/routes`, 'GetRoutes', (r, _i, ctx) => items([...store.get(ctx, r.params.apiId).routes.values()], r.query, routeOut)),
    route('GET', `${api}/routes/{routeId}`, 'GetRoute', (r, _i, ctx) => ok(routeOut(getRoute(store, ctx, r.params.apiId, r.params.routeId)))),
    route('PATCH', `${api}/routes/{routeId}`, 'UpdateRoute', (r, i, ctx) => ok(routeOut(updateRoute(store, ctx, r.params.apiId, r.params.routeId, i)))),
    route('DELETE', `${api}/routes/{routeId}`, 'DeleteRoute', (r, _i, ctx) => (deleteRoute(store, ctx, r.params.apiId, r.params.routeId), noContent())),
    // Integrations
    route('POST', `${api}/integrations`, 'CreateIntegration', (r, i, ctx) => created(integrationOut(createIntegration(store, ctx, r.params.apiId, i)))),
    route('GET', `${api}/integrations`, 'GetIntegrations', (r, _i, ctx) =>
      items([...store.get(ctx, r.params.apiId).integrations.values()], r.query, integrationOut),
    ),
    route('GET', `${api}/integrations/{integrationId}`, 'GetIntegration', (r, _i, ctx) =>
      ok(integrationOut(getIntegration(store, ctx, r.params.apiId, r.params.integrationId))),
    ),
    route('PATCH', `${api}/integrations/{integrationId}`, 'UpdateIntegration', (r, i, ctx) =>
      ok(integrationOut(updateIntegration(store, ctx, r.params.apiId, r.params.integrationId, i))),
    ),
    route('DELETE', `${api}/integrations/{integrationId}`, 'DeleteIntegration', (r, _i, ctx) => (
      deleteIntegration(store, ctx, r.params.apiId, r.params.integrationId), noContent()
    )),
    // Authorizers
    route('POST', `${api}/authorizers`, 'CreateAuthorizer', (r, i, ctx) => created(authorizerOut(createAuthorizer(store, ctx, r.params.apiId, i)))),
    route('GET', `${api}/authorizers`, 'GetAuthorizers', (r, _i, ctx) =>
      items([...store.get(ctx, r.params.apiId).authorizers.values()], r.query, authorizerOut),
    ),
    route('GET', `${api}/authorizers/{authorizerId}`, 'GetAuthorizer', (r, _i, ctx) =>
      ok(authorizerOut(getAuthorizer(store, ctx, r.params.apiId, r.params.authorizerId))),
    ),
    route('PATCH', `${api}/authorizers/{authorizerId}`, 'UpdateAuthorizer', (r, i, ctx) =>
      ok(authorizerOut(updateAuthorizer(store, ctx, r.params.apiId, r.params.authorizerId, i))),
    ),
    route('DELETE', `${api}/authorizers/{authorizerId}`, 'DeleteAuthorizer', (r, _i, ctx) => (
      deleteAuthorizer(store, ctx, r.params.apiId, r.params.authorizerId), noContent()
    )),
    // Deployments
    route('POST', `${api}/deployments`, 'CreateDeployment', (r, i, ctx) => created(deploymentOut(createDeployment(store, ctx, r.params.apiId, i)))),
    route('GET', `${api}/deployments`, 'GetDeployments', (r, _i, ctx) => items(listDeployments(store, ctx, r.params.apiId), r.query, deploymentOut)),
    route('GET', `${api}/deployments/{deploymentId}`, 'GetDeployment', (r, _i, ctx) =>
      ok(deploymentOut(getDeployment(store, ctx, r.params.apiId, r.params.deploymentId))),
    ),
    route('PATCH', `${api}/deployments/{deploymentId}`, 'UpdateDeployment', (r, i, ctx) =>
      ok(deploymentOut(updateDeployment(store, ctx, r.params.apiId, r.params.deploymentId, i))),
    ),
    route('DELETE', `${api}/deployments/{deploymentId}`, 'DeleteDeployment', (r, _i, ctx) => (
      deleteDeployment(store, ctx, r.params.apiId, r.params.deploymentId), noContent()
    )),
    // Stages
    route('POST', `${api}/stages`, 'CreateStage', (r, i, ctx) => created(stageOut(createStage(store, ctx, r.params.apiId, i)))),
    route('GET', `${api}/stages`, 'GetStages', (r, _i, ctx) => items([...store.get(ctx, r.params.apiId).stages.values()], r.query, stageOut)),
    route('GET', `${api}/stages/{stageName}`, 'GetStage', (r, _i, ctx) => ok(stageOut(getStage(store, ctx, r.params.apiId, r.params.stageName)))),
    route('PATCH', `${api}/stages/{stageName}`, 'UpdateStage', (r, i, ctx) => ok(stageOut(updateStage(store, ctx, r.params.apiId, r.params.stageName, i)))),
    route('DELETE', `${api}/stages/{stageName}`, 'DeleteStage', (r, _i, ctx) => (deleteStage(store, ctx, r.params.apiId, r.params.stageName), noContent())),
    route('DELETE', `${api}/stages/{stageName}/cache/authorizers`, 'ResetAuthorizersCache', (r, _i, ctx) => (
      resetAuthorizersCache(store, ctx, r.params.apiId, r.params.stageName), noContent()
    )),
    route('DELETE', `${api}/stages/{stageName}/accesslogsettings`, 'DeleteAccessLogSettings', (r, _i, ctx) => (
      deleteAccessLogSettings(store, ctx, r.params.apiId, r.params.stageName), noContent()
    )),
    route('DELETE', `${api}/stages/{stageName}/routesettings/{routeKey}`, 'DeleteRouteSettings', (r, _i, ctx) => (
      deleteRouteSettings(store, ctx, r.params.apiId, r.params.stageName, r.params.routeKey), noContent()
    )),
    // Tags
    route('GET', '/v2/tags/{resourceArn}', 'GetTags', (r, _i, ctx) => ok({ tags: getTags(store, ctx, r.params.resourceArn) })),
    route('POST', '/v2/tags/{resourceArn}', 'TagResource', (r, i, ctx) => (tagResource(store, ctx, r.params.resourceArn, i), created({}))),
    route('DELETE', '/v2/tags/{resourceArn}', 'UntagResource', (r, _i, ctx) => (untagResource(store, ctx, r.params.resourceArn, r.query.getAll('tagKeys')), noContent())),
  ];
  return { protocol: 'rest-json', signingName: 'apigateway', routes };
}
