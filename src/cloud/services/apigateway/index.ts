/**
 * API Gateway REST APIs (v1, apigateway/2015-07-09) on the REST-JSON protocol: the route table
 * (paths and status codes from the model), over the operations in one file per API area (see
 * types.ts for the map). Errors answer `{"message": ...}` with `x-amzn-ErrorType` (errors.ts).
 * The signing name `apigateway` is shared with API Gateway v2, whose paths start /v2/.
 */
import { AwsError } from '../../errors';
import type { RequestContext, RestJsonServiceDef, RestRequest, RestResult, RestRoute } from '../../protocols/types';
import { createApiKey, deleteApiKey, getApiKey, getApiKeys, updateApiKey } from './api-keys';
import { createAuthorizer, deleteAuthorizer, getAuthorizer, getAuthorizers, updateAuthorizer } from './authorizers';
import { createDeployment, deleteDeployment, getDeployment, getDeployments, updateDeployment } from './deployments';
import { errorBody } from './errors';
import { importRestApi, putRestApi } from './import';
import { type Body, jsonBody } from './input';
import {
  deleteIntegration,
  deleteIntegrationResponse,
  getIntegration,
  getIntegrationResponse,
  putIntegration,
  putIntegrationResponse,
  updateIntegration,
  updateIntegrationResponse,
} from './integrations';
import {
  deleteMethod,
  deleteMethodResponse,
  getMethod,
  getMethodResponse,
  putMethod,
  putMethodResponse,
  updateMethod,
  updateMethodResponse,
} from './methods';
import { createResource, deleteResource, getResource, getResources, updateResource } from './resources';
import { createRestApi, deleteRestApi, getRestApi, getRestApis, updateRestApi } from './rest-apis';
import { createStage, deleteStage, flushStageAuthorizersCache, getStage, getStages, updateStage } from './stages';
import type { ApiGatewayStore } from './store';
import { getTags, tagResource, untagResource } from './tags';
import {
  createUsagePlan,
  createUsagePlanKey,
  deleteUsagePlan,
  deleteUsagePlanKey,
  getUsagePlan,
  getUsagePlanKey,
  getUsagePlanKeys,
  getUsagePlans,
  updateUsagePlan,
} from './usage-plans';

export { ApiGatewayStore } from './store';

type Handler = (r: RestRequest, ctx: RequestContext, body: Body) => unknown;

/** A route whose errors answer as API Gateway's do; the body is parsed here (JSON) unless `raw`. */
function route(method: string, path: string, operation: string, status: number, fn: Handler, raw = false): RestRoute {
  return {
    method,
    path,
    operation,
    json: false,
    handler: (r, ctx): RestResult => {
      try {
        const body = raw || method === 'GET' || method === 'DELETE' ? {} : jsonBody(r.body);
        const out = fn(r, ctx, body);
        return out === undefined ? { status } : { status, body: out };
      } catch (e) {
        if (e instanceof AwsError) return errorBody(e);
        throw e;
      }
    },
  };
}

export function apigatewayService(store: ApiGatewayStore): RestJsonServiceDef {
  const api = '/restapis/{restapi_id}';
  const res = `${api}/resources/{resource_id}`;
  const meth = `${res}/methods/{http_method}`;
  const integ = `${meth}/integration`;
  const p = (r: RestRequest) => r.params;
  const routes: RestRoute[] = [
    // rest APIs; POST /restapis?mode=import is ImportRestApi
    route(
      'POST',
      '/restapis',
      'CreateRestApi',
      201,
      (r, ctx) => (r.query.get('mode') === 'import' ? importRestApi(store, ctx, r.body, r.query) : createRestApi(store, ctx, jsonBody(r.body))),
      true,
    ),
    route('GET', '/restapis', 'GetRestApis', 200, (r, ctx) => getRestApis(store, ctx, r.query)),
    route('GET', api, 'GetRestApi', 200, (r, ctx) => getRestApi(store, ctx, p(r).restapi_id)),
    route('PATCH', api, 'UpdateRestApi', 200, (r, ctx, body) => updateRestApi(store, ctx, p(r).restapi_id, body)),
    route('PUT', api, 'PutRestApi', 200, (r, ctx) => putRestApi(store, ctx, p(r).restapi_id, r.body, r.query), true),
    route('DELETE', api, 'DeleteRestApi', 202, (r, ctx) => deleteRestApi(store, ctx, p(r).restapi_id)),
    // resources
    route('GET', `${api}/resources`, 'GetResources', 200, (r, ctx) => getResources(store, ctx, p(r).restapi_id, r.query)),
    route('POST', `${api}/resources/{parent_id}`, 'CreateResource', 201, (r, ctx, body) => createResource(store, ctx, p(r).restapi_id, p(r).parent_id, body)),
    route('GET', res, 'GetResource', 200, (r, ctx) => getResource(store, ctx, p(r).restapi_id, p(r).resource_id, r.query)),
    route('PATCH', res, 'UpdateResource', 200, (r, ctx, body) => updateResource(store, ctx, p(r).restapi_id, p(r).resource_id, body)),
    route('DELETE', res, 'DeleteResource', 202, (r, ctx) => deleteResource(store, ctx, p(r).restapi_id, p(r).resource_id)),
    // methods and method responses
    route('PUT', meth, 'PutMethod', 201, (r, ctx, body) => putMethod(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, body)),
    route('GET', meth, 'GetMethod', 200, (r, ctx) => getMethod(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method)),
    route('PATCH', meth, 'UpdateMethod', 200, (r, ctx, body) => updateMethod(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, body)),
    route('DELETE', meth, 'DeleteMethod', 204, (r, ctx) => deleteMethod(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method)),
    route('PUT', `${meth}/responses/{status_code}`, 'PutMethodResponse', 201, (r, ctx, body) =>
      putMethodResponse(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, p(r).status_code, body),
    ),
    route('GET', `${meth}/responses/{status_code}`, 'GetMethodResponse', 200, (r, ctx) =>
      getMethodResponse(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, p(r).status_code),
    ),
    route('PATCH', `${meth}/responses/{status_code}`, 'UpdateMethodResponse', 201, (r, ctx, body) =>
      updateMethodResponse(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, p(r).status_code, body),
    ),
    route('DELETE', `${meth}/responses/{status_code}`, 'DeleteMethodResponse', 204, (r, ctx) =>
      deleteMethodResponse(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, p(r).status_code),
    ),
    // integrations and integration responses
    route('PUT', integ, 'PutIntegration', 201, (r, ctx, body) => putIntegration(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, body)),
    route('GET', integ, 'GetIntegration', 200, (r, ctx) => getIntegration(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method)),
    route('PATCH', integ, 'UpdateIntegration', 200, (r, ctx, body) => updateIntegration(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, body)),
    route('DELETE', integ, 'DeleteIntegration', 204, (r, ctx) => deleteIntegration(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method)),
    route('PUT', `${integ}/responses/{status_code}`, 'PutIntegrationResponse', 201, (r, ctx, body) =>
      putIntegrationResponse(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, p(r).status_code, body),
    ),
    route('GET', `${integ}/responses/{status_code}`, 'GetIntegrationResponse', 200, (r, ctx) =>
      getIntegrationResponse(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, p(r).status_code),
    ),
    route('PATCH', `${integ}/responses/{status_code}`, 'UpdateIntegrationResponse', 200, (r, ctx, body) =>
      updateIntegrationResponse(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, p(r).status_code, body),
    ),
    route('DELETE', `${integ}/responses/{status_code}`, 'DeleteIntegrationResponse', 204, (r, ctx) =>
      deleteIntegrationResponse(store, ctx, p(r).restapi_id, p(r).resource_id, p(r).http_method, p(r).status_code),
    ),
    // deployments
    route('POST', `${api}/deployments`, 'CreateDeployment', 201, (r, ctx, body) => createDeployment(store, ctx, p(r).restapi_id, body)),
    route('GET', `${api}/deployments`, 'GetDeployments', 200, (r, ctx) => getDeployments(store, ctx, p(r).restapi_id, r.query)),
    route('GET', `${api}/deployments/{deployment_id}`, 'GetDeployment', 200, (r, ctx) => getDeployment(store, ctx, p(r).restapi_id, p(r).deployment_id)),
    route('PATCH', `${api}/deployments/{deployment_id}`, 'UpdateDeployment', 200, (r, ctx, body) =>
      updateDeployment(store, ctx, p(r).restapi_id, p(r).deployment_id, body),
    ),
    route('DELETE', `${api}/deployments/{deployment_id}`, 'DeleteDeployment', 202, (r, ctx) => deleteDeployment(store, ctx, p(r).restapi_id, p(r).deployment_id)),
    // stages
    route('POST', `${api}/stages`, 'CreateStage', 201, (r, ctx, body) => createStage(store, ctx, p(r).restapi_id, body)),
    route('GET', `${api}/stages`, 'GetStages', 200, (r, ctx) => getStages(store, ctx, p(r).restapi_id, r.query)),
    route('GET', `${api}/stages/{stage_name}`, 'GetStage', 200, (r, ctx) => getStage(store, ctx, p(r).restapi_id, p(r).stage_name)),
    route('PATCH', `${api}/stages/{stage_name}`, 'UpdateStage', 200, (r, ctx, body) => updateStage(store, ctx, p(r).restapi_id, p(r).stage_name, body)),
    route('DELETE', `${api}/stages/{stage_name}`, 'DeleteStage', 202, (r, ctx) => deleteStage(store, ctx, p(r).restapi_id, p(r).stage_name)),
    route('DELETE', `${api}/stages/{stage_name}/cache/authorizers`, 'FlushStageAuthorizersCache', 202, (r, ctx) =>
      flushStageAuthorizersCache(store, ctx, p(r).restapi_id, p(r).stage_name),
    ),
    // authorizers
    route('POST', `${api}/authorizers`, 'CreateAuthorizer', 201, (r, ctx, body) => createAuthorizer(store, ctx, p(r).restapi_id, body)),
    route('GET', `${api}/authorizers`, 'GetAuthorizers', 200, (r, ctx) => getAuthorizers(store, ctx, p(r).restapi_id, r.query)),
    route('GET', `${api}/authorizers/{authorizer_id}`, 'GetAuthorizer', 200, (r, ctx) => getAuthorizer(store, ctx, p(r).restapi_id, p(r).authorizer_id)),
    route('PATCH', `${api}/authorizers/{authorizer_id}`, 'UpdateAuthorizer', 200, (r, ctx, body) =>
      updateAuthorizer(store, ctx, p(r).restapi_id, p(r).authorizer_id, body),
    ),
    route('DELETE', `${api}/authorizers/{authorizer_id}`, 'DeleteAuthorizer', 202, (r, ctx) => deleteAuthorizer(store, ctx, p(r).restapi_id, p(r).authorizer_id)),
    // API keys
    route('POST', '/apikeys', 'CreateApiKey', 201, (r, ctx, body) => createApiKey(store, ctx, body)),
    route('GET', '/apikeys', 'GetApiKeys', 200, (r, ctx) => getApiKeys(store, ctx, r.query)),
    route('GET', '/apikeys/{api_Key}', 'GetApiKey', 200, (r, ctx) => getApiKey(store, ctx, p(r).api_Key, r.query)),
    route('PATCH', '/apikeys/{api_Key}', 'UpdateApiKey', 200, (r, ctx, body) => updateApiKey(store, ctx, p(r).api_Key, body)),
    route('DELETE', '/apikeys/{api_Key}', 'DeleteApiKey', 202, (r, ctx) => deleteApiKey(store, ctx, p(r).api_Key)),
    // usage plans and their keys
    route('POST', '/usageplans', 'CreateUsagePlan', 201, (r, ctx, body) => createUsagePlan(store, ctx, body)),
    route('GET', '/usageplans', 'GetUsagePlans', 200, (r, ctx) => getUsagePlans(store, ctx, r.query)),
    route('GET', '/usageplans/{usageplanId}', 'GetUsagePlan', 200, (r, ctx) => getUsagePlan(store, ctx, p(r).usageplanId)),
    route('PATCH', '/usageplans/{usageplanId}', 'UpdateUsagePlan', 200, (r, ctx, body) => updateUsagePlan(store, ctx, p(r).usageplanId, body)),
    route('DELETE', '/usageplans/{usageplanId}', 'DeleteUsagePlan', 202, (r, ctx) => deleteUsagePlan(store, ctx, p(r).usageplanId)),
    route('POST', '/usageplans/{usageplanId}/keys', 'CreateUsagePlanKey', 201, (r, ctx, body) => createUsagePlanKey(store, ctx, p(r).usageplanId, body)),
    route('GET', '/usageplans/{usageplanId}/keys', 'GetUsagePlanKeys', 200, (r, ctx) => getUsagePlanKeys(store, ctx, p(r).usageplanId, r.query)),
    route('GET', '/usageplans/{usageplanId}/keys/{keyId}', 'GetUsagePlanKey', 200, (r, ctx) => getUsagePlanKey(store, ctx, p(r).usageplanId, p(r).keyId)),
    route('DELETE', '/usageplans/{usageplanId}/keys/{keyId}', 'DeleteUsagePlanKey', 202, (r, ctx) =>
      deleteUsagePlanKey(store, ctx, p(r).usageplanId, p(r).keyId),
    ),
    // tags
    route('GET', '/tags/{resource_arn}', 'GetTags', 200, (r, ctx) => getTags(store, ctx, p(r).resource_arn)),
    route('PUT', '/tags/{resource_arn}', 'TagResource', 204, (r, ctx, body) => tagResource(store, ctx, p(r).resource_arn, body)),
    route('DELETE', '/tags/{resource_arn}', 'UntagResource', 204, (r, ctx) => untagResource(store, ctx, p(r).resource_arn, r.query)),
  ];
  return { protocol: 'rest-json', signingName: 'apigateway', routes };
}
