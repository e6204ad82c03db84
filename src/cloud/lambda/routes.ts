/** The Lambda REST-JSON API: paths and status codes as AWS serves them. */
import type { RestJsonServiceDef, RestRoute } from '../protocols/types';
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
};

export function lambdaService(lambda: LambdaService): RestJsonServiceDef {
  const fnPath = '/2015-03-31/functions/{FunctionName}';
  const routes: R[] = [
    { method: 'POST', path: '/2015-03-31/functions', operation: 'CreateFunction', handler: (r, ctx) => lambda.createFunction(r.json, ctx) },
    { method: 'GET', path: '/2015-03-31/functions', operation: 'ListFunctions', handler: (r, ctx) => ({ body: lambda.listFunctions(ctx, r.query) }) },
    {
      method: 'GET',
      path: fnPath,
      operation: 'GetFunction',
      handler: (r, ctx) => ({ body: lambda.getFunction(ctx, r.params.FunctionName, r.query.get('Qualifier')) }),
    },
    {
      method: 'DELETE',
      path: fnPath,
      operation: 'DeleteFunction',
      handler: (r, ctx) => lambda.deleteFunction(ctx, r.params.FunctionName, r.query.get('Qualifier')),
    },
    {
      method: 'GET',
      path: `${fnPath}/configuration`,
      operation: 'GetFunctionConfiguration',
      handler: (r, ctx) => ({ body: lambda.getFunctionConfiguration(ctx, r.params.FunctionName, r.query.get('Qualifier')) }),
    },
    {
      method: 'PUT',
      path: `${fnPath}/configuration`,
      operation: 'UpdateFunctionConfiguration',
      handler: (r, ctx) => ({ body: lambda.updateFunctionConfiguration(ctx, r.params.FunctionName, r.json) }),
    },
    {
      method: 'PUT',
      path: `${fnPath}/code`,
      operation: 'UpdateFunctionCode',
      handler: (r, ctx) => ({ body: lambda.updateFunctionCode(ctx, r.params.FunctionName, r.json) }),
    },
    {
      method: 'POST',
      path: `${fnPath}/invocations`,
      operation: 'Invoke',
      json: false,
      handler: async (r, ctx) => {
        const out = await lambda.invoke(ctx, {
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
        await lambda.invoke(ctx, { functionName: r.params.FunctionName, invocationType: 'Event', payload: r.body });
        return { status: 202, body: { Status: 202 } };
      },
    },
    { method: 'POST', path: `${fnPath}/versions`, operation: 'PublishVersion', handler: (r, ctx) => lambda.publishVersion(ctx, r.params.FunctionName, r.json) },
    {
      method: 'GET',
      path: `${fnPath}/versions`,
      operation: 'ListVersionsByFunction',
      handler: (r, ctx) => ({ body: lambda.listVersions(ctx, r.params.FunctionName, r.query) }),
    },
    { method: 'POST', path: `${fnPath}/aliases`, operation: 'CreateAlias', handler: (r, ctx) => lambda.createAlias(ctx, r.params.FunctionName, r.json) },
    { method: 'GET', path: `${fnPath}/aliases`, operation: 'ListAliases', handler: (r, ctx) => ({ body: lambda.listAliases(ctx, r.params.FunctionName, r.query) }) },
    {
      method: 'GET',
      path: `${fnPath}/aliases/{Name}`,
      operation: 'GetAlias',
      handler: (r, ctx) => ({ body: lambda.getAlias(ctx, r.params.FunctionName, r.params.Name) }),
    },
    {
      method: 'PUT',
      path: `${fnPath}/aliases/{Name}`,
      operation: 'UpdateAlias',
      handler: (r, ctx) => ({ body: lambda.updateAlias(ctx, r.params.FunctionName, r.params.Name, r.json) }),
    },
    {
      method: 'DELETE',
      path: `${fnPath}/aliases/{Name}`,
      operation: 'DeleteAlias',
      handler: (r, ctx) => lambda.deleteAlias(ctx, r.params.FunctionName, r.params.Name),
    },
    {
      method: 'PUT',
      path: '/2017-10-31/functions/{FunctionName}/concurrency',
      operation: 'PutFunctionConcurrency',
      handler: (r, ctx) => ({ body: lambda.putFunctionConcurrency(ctx, r.params.FunctionName, r.json) }),
    },
    {
      method: 'GET',
      path: '/2019-09-30/functions/{FunctionName}/concurrency',
      operation: 'GetFunctionConcurrency',
      handler: (r, ctx) => ({ body: lambda.getFunctionConcurrency(ctx, r.params.FunctionName) }),
    },
    {
      method: 'DELETE',
      path: '/2017-10-31/functions/{FunctionName}/concurrency',
      operation: 'DeleteFunctionConcurrency',
      handler: (r, ctx) => lambda.deleteFunctionConcurrency(ctx, r.params.FunctionName),
    },
    { method: 'GET', path: '/2016-08-19/account-settings', operation: 'GetAccountSettings', handler: (_r, ctx) => ({ body: lambda.getAccountSettings(ctx) }) },
    {
      method: 'POST',
      path: `${fnPath}/policy`,
      operation: 'AddPermission',
      handler: (r, ctx) => lambda.addPermission(ctx, r.params.FunctionName, r.query.get('Qualifier'), r.json),
    },
    {
      method: 'GET',
      path: `${fnPath}/policy`,
      operation: 'GetPolicy',
      handler: (r, ctx) => ({ body: lambda.getPolicy(ctx, r.params.FunctionName, r.query.get('Qualifier')) }),
    },
    {
      method: 'DELETE',
      path: `${fnPath}/policy/{StatementId}`,
      operation: 'RemovePermission',
      handler: (r, ctx) => lambda.removePermission(ctx, r.params.FunctionName, r.params.StatementId, r.query.get('Qualifier'), r.query.get('RevisionId')),
    },
    { method: 'POST', path: '/2017-03-31/tags/{Resource}', operation: 'TagResource', handler: (r, ctx) => lambda.tagResource(ctx, r.params.Resource, r.json) },
    {
      method: 'DELETE',
      path: '/2017-03-31/tags/{Resource}',
      operation: 'UntagResource',
      handler: (r, ctx) => lambda.untagResource(ctx, r.params.Resource, r.query.getAll('tagKeys')),
    },
    { method: 'GET', path: '/2017-03-31/tags/{Resource}', operation: 'ListTags', handler: (r, ctx) => ({ body: lambda.listTags(ctx, r.params.Resource) }) },
  ];
  return { protocol: 'rest-json', signingName: 'lambda', routes, messageKeys: MESSAGE_KEY };
}
