/**
 * The Lambda REST-JSON API: the route table (paths and status codes as AWS serves them) over the
 * operations, one file per API area (see service.ts for the map).
 */
import type { RestJsonServiceDef, RestRoute } from '../protocols/types';
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases';
import { deleteFunctionConcurrency, getAccountSettings, getFunctionConcurrency, putFunctionConcurrency } from './concurrency';
import { createFunction, deleteFunction, getFunction, getFunctionConfiguration, listFunctions, updateFunctionCode, updateFunctionConfiguration } from './functions';
import { invoke } from './invoke';
import { streamRoutes } from './invoke-stream';
import { layerRoutes } from './layers';
import { urlRoutes } from './urls';
import { addPermission, getPolicy, removePermission } from './policy';
import { listTags, tagResource, untagResource } from './tags';
import { listVersions, publishVersion } from './versions';
import type { LambdaService } from './service';

type R = Omit<RestRoute, 'handler'> & { handler: RestRoute['handler'] };

/**
 * The message member's casing in Lambda's error bodies, per error code, as AWS sends it:
 * `{"Type":"User","Message":...}` for ResourceNotFoundException, `"message"` for most others.
 */
const MESSAGE_KEY: Record<string, 'message' | 'Message'> = {
  ResourceNotFoundException: 'Message',
  RequestEntityTooLargeException: 'Message',
  InvalidParameterValueException: 'message',
  InvalidRequestContentException: 'message',
  ResourceConflictException: 'message',
  PreconditionFailedException: 'message',
  TooManyRequestsException: 'message',
  ValidationException: 'message',
  RecursiveInvocationException: 'Message',
  ResourceInUseException: 'Message',
};

export function lambdaService(lambda: LambdaService): RestJsonServiceDef {
  const fnPath = '/2015-03-31/functions/{FunctionName}';
  const routes: R[] = [
    { method: 'POST', path: '/2015-03-31/functions', operation: 'CreateFunction', handler: (r, ctx) => createFunction(lambda, r.json, ctx) },
    { method: 'GET', path: '/2015-03-31/functions', operation: 'ListFunctions', handler: (r, ctx) => ({ body: listFunctions(lambda, ctx, r.query) }) },
    {
      method: 'GET',
      path: fnPath,
      operation: 'GetFunction',
      handler: (r, ctx) => ({ body: getFunction(lambda, ctx, r.params.FunctionName, r.query.get('Qualifier')) }),
    },
    {
      method: 'DELETE',
      path: fnPath,
      operation: 'DeleteFunction',
      handler: (r, ctx) => deleteFunction(lambda, ctx, r.params.FunctionName, r.query.get('Qualifier')),
    },
    {
      method: 'GET',
      path: `${fnPath}/configuration`,
      operation: 'GetFunctionConfiguration',
      handler: (r, ctx) => ({ body: getFunctionConfiguration(lambda, ctx, r.params.FunctionName, r.query.get('Qualifier')) }),
    },
    {
      method: 'PUT',
      path: `${fnPath}/configuration`,
      operation: 'UpdateFunctionConfiguration',
      handler: (r, ctx) => ({ body: updateFunctionConfiguration(lambda, ctx, r.params.FunctionName, r.json) }),
    },
    {
      method: 'PUT',
      path: `${fnPath}/code`,
      operation: 'UpdateFunctionCode',
      handler: (r, ctx) => ({ body: updateFunctionCode(lambda, ctx, r.params.FunctionName, r.json) }),
    },
    {
      method: 'POST',
      path: `${fnPath}/invocations`,
      operation: 'Invoke',
      json: false,
      handler: async (r, ctx) => {
        const out = await invoke(lambda, ctx, {
          functionName: r.params.FunctionName,
          qualifier: r.query.get('Qualifier'),
          invocationType: r.headers['x-amz-invocation-type'],
          logType: r.headers['x-amz-log-type'],
          clientContext: r.headers['x-amz-client-context'],
          payload: r.body,
        });
        return { status: out.status, headers: out.headers, raw: out.payload ?? Buffer.alloc(0) };
      },
    },
    {
      method: 'POST',
      path: '/2014-11-13/functions/{FunctionName}/invoke-async',
      operation: 'InvokeAsync',
      json: false,
      handler: async (r, ctx) => {
        await invoke(lambda, ctx, { functionName: r.params.FunctionName, invocationType: 'Event', payload: r.body });
        return { status: 202, body: { Status: 202 } };
      },
    },
    { method: 'POST', path: `${fnPath}/versions`, operation: 'PublishVersion', handler: (r, ctx) => publishVersion(lambda, ctx, r.params.FunctionName, r.json) },
    {
      method: 'GET',
      path: `${fnPath}/versions`,
      operation: 'ListVersionsByFunction',
      handler: (r, ctx) => ({ body: listVersions(lambda, ctx, r.params.FunctionName, r.query) }),
    },
    { method: 'POST', path: `${fnPath}/aliases`, operation: 'CreateAlias', handler: (r, ctx) => createAlias(lambda, ctx, r.params.FunctionName, r.json) },
    { method: 'GET', path: `${fnPath}/aliases`, operation: 'ListAliases', handler: (r, ctx) => ({ body: listAliases(lambda, ctx, r.params.FunctionName, r.query) }) },
    {
      method: 'GET',
      path: `${fnPath}/aliases/{Name}`,
      operation: 'GetAlias',
      handler: (r, ctx) => ({ body: getAlias(lambda, ctx, r.params.FunctionName, r.params.Name) }),
    },
    {
      method: 'PUT',
      path: `${fnPath}/aliases/{Name}`,
      operation: 'UpdateAlias',
      handler: (r, ctx) => ({ body: updateAlias(lambda, ctx, r.params.FunctionName, r.params.Name, r.json) }),
    },
    {
      method: 'DELETE',
      path: `${fnPath}/aliases/{Name}`,
      operation: 'DeleteAlias',
      handler: (r, ctx) => deleteAlias(lambda, ctx, r.params.FunctionName, r.params.Name),
    },
    {
      method: 'PUT',
      path: '/2017-10-31/functions/{FunctionName}/concurrency',
      operation: 'PutFunctionConcurrency',
      handler: (r, ctx) => ({ body: putFunctionConcurrency(lambda, ctx, r.params.FunctionName, r.json) }),
    },
    {
      method: 'GET',
      path: '/2019-09-30/functions/{FunctionName}/concurrency',
      operation: 'GetFunctionConcurrency',
      handler: (r, ctx) => ({ body: getFunctionConcurrency(lambda, ctx, r.params.FunctionName) }),
    },
    {
      method: 'DELETE',
      path: '/2017-10-31/functions/{FunctionName}/concurrency',
      operation: 'DeleteFunctionConcurrency',
      handler: (r, ctx) => deleteFunctionConcurrency(lambda, ctx, r.params.FunctionName),
    },
    { method: 'GET', path: '/2016-08-19/account-settings', operation: 'GetAccountSettings', handler: (_r, ctx) => ({ body: getAccountSettings(lambda, ctx) }) },
    {
      method: 'POST',
      path: `${fnPath}/policy`,
      operation: 'AddPermission',
      handler: (r, ctx) => addPermission(lambda, ctx, r.params.FunctionName, r.query.get('Qualifier'), r.json),
    },
    {
      method: 'GET',
      path: `${fnPath}/policy`,
      operation: 'GetPolicy',
      handler: (r, ctx) => ({ body: getPolicy(lambda, ctx, r.params.FunctionName, r.query.get('Qualifier')) }),
    },
    {
      method: 'DELETE',
      path: `${fnPath}/policy/{StatementId}`,
      operation: 'RemovePermission',
      handler: (r, ctx) => removePermission(lambda, ctx, r.params.FunctionName, r.params.StatementId, r.query.get('Qualifier'), r.query.get('RevisionId')),
    },
    ...asyncRoutes(lambda),
    ...mappingRoutes(lambda),
    ...urlRoutes(lambda),
    ...streamRoutes(lambda),
    ...layerRoutes(lambda),
    { method: 'POST', path: '/2017-03-31/tags/{Resource}', operation: 'TagResource', handler: (r, ctx) => tagResource(lambda, ctx, r.params.Resource, r.json) },
    {
      method: 'DELETE',
      path: '/2017-03-31/tags/{Resource}',
      operation: 'UntagResource',
      handler: (r, ctx) => untagResource(lambda, ctx, r.params.Resource, r.query.getAll('tagKeys')),
    },
    { method: 'GET', path: '/2017-03-31/tags/{Resource}', operation: 'ListTags', handler: (r, ctx) => ({ body: listTags(lambda, ctx, r.params.Resource) }) },
  ];
  return { protocol: 'rest-json', signingName: 'lambda', routes, messageKeys: MESSAGE_KEY };
}

/** Event source mappings (pollers/): Create and Update and Delete answer 202 [model][rec]. */
function mappingRoutes(lambda: LambdaService): R[] {
  const esm = '/2015-03-31/event-source-mappings';
  const m = lambda.mappings;
  return [
    { method: 'POST', path: esm, operation: 'CreateEventSourceMapping', handler: (r, ctx) => m.create(ctx, r.json) },
    { method: 'GET', path: esm, operation: 'ListEventSourceMappings', handler: (r, ctx) => ({ body: m.list(ctx, r.query) }) },
    { method: 'GET', path: `${esm}/{UUID}`, operation: 'GetEventSourceMapping', handler: (r, ctx) => ({ body: m.get(ctx, r.params.UUID) }) },
    { method: 'PUT', path: `${esm}/{UUID}`, operation: 'UpdateEventSourceMapping', handler: (r, ctx) => m.update(ctx, r.params.UUID, r.json) },
    { method: 'DELETE', path: `${esm}/{UUID}`, operation: 'DeleteEventSourceMapping', handler: (r, ctx) => m.delete(ctx, r.params.UUID) },
  ];
}

/** The asynchronous model's configuration: event invoke config (2019-09-25) and recursion config (2024-08-31). */
function asyncRoutes(lambda: LambdaService): R[] {
  const configs = lambda.async.configs;
  const eic = '/2019-09-25/functions/{FunctionName}/event-invoke-config';
  const q = (r: { query: URLSearchParams }) => r.query.get('Qualifier');
  return [
    { method: 'PUT', path: eic, operation: 'PutFunctionEventInvokeConfig', handler: (r, ctx) => ({ body: configs.put(ctx, r.params.FunctionName, q(r), r.json) }) },
    { method: 'POST', path: eic, operation: 'UpdateFunctionEventInvokeConfig', handler: (r, ctx) => ({ body: configs.update(ctx, r.params.FunctionName, q(r), r.json) }) },
    { method: 'GET', path: eic, operation: 'GetFunctionEventInvokeConfig', handler: (r, ctx) => ({ body: configs.get(ctx, r.params.FunctionName, q(r)) }) },
    {
      method: 'DELETE',
      path: eic,
      operation: 'DeleteFunctionEventInvokeConfig',
      handler: (r, ctx) => {
        configs.delete(ctx, r.params.FunctionName, q(r));
        return { status: 204 };
      },
    },
    { method: 'GET', path: `${eic}/list`, operation: 'ListFunctionEventInvokeConfigs', handler: (r, ctx) => ({ body: configs.list(ctx, r.params.FunctionName, r.query) }) },
    {
      method: 'PUT',
      path: '/2024-08-31/functions/{FunctionName}/recursion-config',
      operation: 'PutFunctionRecursionConfig',
      handler: (r, ctx) => ({ body: lambda.async.putRecursionConfig(ctx, r.params.FunctionName, r.json) }),
    },
    {
      method: 'GET',
      path: '/2024-08-31/functions/{FunctionName}/recursion-config',
      operation: 'GetFunctionRecursionConfig',
      handler: (r, ctx) => ({ body: lambda.async.getRecursionConfig(ctx, r.params.FunctionName) }),
    },
  ];
}
