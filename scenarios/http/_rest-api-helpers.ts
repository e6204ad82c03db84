/**
 * What the REST API (API Gateway v1) suites share: the functions (`rest-api-proxy` as the proxy
 * integration, driven by a `{"action": ...}` request body like functions/control and answering
 * `{event}` otherwise; `rest-api-authorizer` as the Lambda authorizer; `bare`, never given API
 * Gateway's permission), the permission itself, an API builder, and the invoke URL.
 *
 * Invoke URL: on the embedded cloud (and any endpoint of ours) the host form AWS uses,
 * `http://<api-id>.execute-api.localhost:<port>/<stage>/<path>` (`*.localhost` resolves to loopback
 * without DNS); on LocalStack its path form `<endpoint>/_aws/execute-api/<api-id>/<stage>/<path>`,
 * which needs no DNS either.
 */
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import { httpRequest, type HttpResponse } from '../../src/testbed/http';
import { getTestbed, unique } from '../_support/testbed';
import { allowApiGateway } from './_permissions';

export { allowApiGateway };

const tb = getTestbed();

export const stack = () =>
  tb.deploy({
    name: 'rest-api',
    functions: {
      app: { code: 'rest-api-proxy', timeout: 5 },
      auth: { code: 'rest-api-authorizer' },
      bare: { code: 'rest-api-proxy' },
    },
  });

/** The deployed functions, app and authorizer callable by API Gateway. */
export async function functions() {
  const s = await stack();
  await allowApiGateway(s.functions.app.name);
  await allowApiGateway(s.functions.auth.name);
  return s.functions;
}

/** `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations` */
export const lambdaUri = (functionArn: string) => `arn:aws:apigateway:${tb.target.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

/** Where a stage of an API answers (see the file header for the two forms). */
export function invokeUrl(apiId: string, stage: string, path = '/'): string {
  const endpoint = new URL(tb.target.endpoint);
  if (tb.target.kind === 'localstack') return `${endpoint.origin}/_aws/execute-api/${apiId}/${stage}${path}`;
  return `${endpoint.protocol}//${apiId}.execute-api.localhost${endpoint.port ? `:${endpoint.port}` : ''}/${stage}${path}`;
}

export interface ProxyApi {
  id: string;
  root: string;
  proxy: string;
  /** The stage's invoke URL without a trailing slash. */
  base: string;
}

/**
 * An API whose `/` and `/{proxy+}` (ANY) go to a function through AWS_PROXY, deployed to a stage.
 * `method` adds to both methods (an authorizer, apiKeyRequired); `uri` replaces the integration URI;
 * `into` builds on an existing API.
 */
export async function proxyApi(
  functionArn: string,
  o: {
    stage?: string;
    variables?: Record<string, string>;
    method?: Partial<PutMethodCommandInput>;
    uri?: string;
    timeoutInMillis?: number;
    apiKeySource?: 'HEADER' | 'AUTHORIZER';
    binaryMediaTypes?: string[];
    /** Build on this API (one that already has an authorizer, say) instead of a new one. */
    into?: { id?: string; rootResourceId?: string };
  } = {},
): Promise<ProxyApi> {
  const c = tb.clients.apigateway;
  const stage = o.stage ?? 'test';
  const api = o.into ?? (await c.send(new CreateRestApiCommand({ name: unique('rest'), apiKeySource: o.apiKeySource, binaryMediaTypes: o.binaryMediaTypes })));
  const proxy = (await c.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }))).id!;
  for (const resourceId of [api.rootResourceId!, proxy]) {
    await c.send(new PutMethodCommand({ restApiId: api.id, resourceId, httpMethod: 'ANY', authorizationType: 'NONE', ...o.method }));
    await c.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId,
        httpMethod: 'ANY',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: o.uri ?? lambdaUri(functionArn),
        timeoutInMillis: o.timeoutInMillis,
      }),
    );
  }
  await c.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: stage, variables: o.variables }));
  return { id: api.id!, root: api.rootResourceId!, proxy, base: invokeUrl(api.id!, stage, '').replace(/\/$/, '') };
}

/** POST a control event: the integration function acts on it (see functions/control). */
export function control(url: string, event: Record<string, unknown>, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ noProbe: true, ...event }) });
}

/** Make the function return `value` as its result. */
export const returning = (url: string, value: unknown) => control(url, { action: 'return', value });

/** The event the function saw (the default answer of rest-api-proxy). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const eventOf = (r: HttpResponse): any => (r.json() as { event: unknown }).event;
