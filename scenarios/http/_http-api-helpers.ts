/**
 * What the HTTP API suites share: the functions (the `function-url-control` function as the
 * integration: a request body `{"action": ...}` drives it as functions/control, any other request is
 * answered `{event}`; `http-api-echo` answering `{event}` with a statusCode, for payload 1.0;
 * `http-api-authorizer` as the Lambda authorizer), API Gateway's permission to
 * invoke them, and a small builder for an API with routes, integrations and a stage.
 */
import { CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, CreateApiCommand, type CreateRouteCommandInput } from '@aws-sdk/client-apigatewayv2';
import { httpRequest, type HttpRequestOptions, type HttpResponse } from '../../src/testbed/http';
import { getTestbed, unique } from '../_support/testbed';
import { allowApiGateway } from './_permissions';

export { allowApiGateway };

const tb = getTestbed();

export const stack = () =>
  tb.deploy({
    name: 'http-api',
    functions: {
      app: { code: 'function-url-control', timeout: 5 },
      auth: { code: 'http-api-authorizer' },
      echo: { code: 'http-api-echo' },
      // Never given API Gateway's permission: the missing-permission case.
      bare: { code: 'function-url-control' },
    },
  });

/** The deployed functions, with the app and authorizer callable by API Gateway. */
export async function functions() {
  const s = await stack();
  await allowApiGateway(s.functions.app.name);
  await allowApiGateway(s.functions.auth.name);
  await allowApiGateway(s.functions.echo.name);
  return s.functions;
}

export interface ApiSpec {
  /** Integration: the function ARN, payload format version, timeout. */
  integration: { uri: string; payloadFormatVersion?: '1.0' | '2.0'; timeoutInMillis?: number };
  routes: (Omit<CreateRouteCommandInput, 'ApiId' | 'Target'> & { RouteKey: string })[];
  stage?: { name: string; variables?: Record<string, string> };
  cors?: ConstructorParameters<typeof CreateApiCommand>[0]['CorsConfiguration'];
}

/** An HTTP API with one integration behind the given routes, served by an auto-deployed stage. */
export async function buildApi(spec: ApiSpec): Promise<{ apiId: string; endpoint: string; base: string }> {
  const c = tb.clients.apigatewayv2;
  const api = await c.send(new CreateApiCommand({ Name: unique('api'), ProtocolType: 'HTTP', CorsConfiguration: spec.cors }));
  const integration = await c.send(
    new CreateIntegrationCommand({
      ApiId: api.ApiId,
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: spec.integration.uri,
      PayloadFormatVersion: spec.integration.payloadFormatVersion ?? '2.0',
      TimeoutInMillis: spec.integration.timeoutInMillis,
    }),
  );
  for (const r of spec.routes) await c.send(new CreateRouteCommand({ ...r, ApiId: api.ApiId, Target: `integrations/${integration.IntegrationId}` }));
  const stage = spec.stage ?? { name: '$default' };
  await c.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: stage.name, AutoDeploy: true, StageVariables: stage.variables }));
  const endpoint = api.ApiEndpoint!;
  return { apiId: api.ApiId!, endpoint, base: stage.name === '$default' ? endpoint : `${endpoint}/${stage.name}` };
}

export function get(url: string, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
  return httpRequest(url, opts);
}

/** POST a control event: the integration function acts on it (see functions/control). */
export function control(url: string, event: Record<string, unknown>, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ noProbe: true, ...event }) });
}

/** Make the integration return `value` as its result. */
export function returning(url: string, value: unknown): Promise<HttpResponse> {
  return control(url, { action: 'return', value });
}

/** The event the integration received (it answers `{event}` to a request without an action). */
export function eventOf(r: HttpResponse): Record<string, any> {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${r.text}`);
  return r.json<{ event: Record<string, any> }>().event;
}
