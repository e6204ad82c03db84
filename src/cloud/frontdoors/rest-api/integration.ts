/**
 * Running a method's integration and answering the client:
 *   AWS_PROXY  the v1.0 event to the function (payloads/v1.ts), its result mapped; a function
 *              error or a malformed result 502, a refused invoke 500, the integration timeout
 *              (timeoutInMillis, 29 s by default, on the cloud's clock) 504; an integration
 *              httpMethod other than POST 500 [rec]
 *   MOCK       the request template's statusCode selects the integration response (mock.ts)
 *   AWS        with a Lambda URI (non-proxy): the mapped body as the event, the result (or the
 *              error's errorMessage) selecting the integration response, its template applied
 *   others     (HTTP, HTTP_PROXY, other AWS services) 500 Internal server error: not served here
 * Successful answers carry x-amzn-RequestId, x-amz-apigw-id and, for Lambda integrations,
 * X-Amzn-Trace-Id; Content-Type is application/json unless the integration set one [rec].
 */
import type { LambdaService } from '../../lambda/service';
import type { RawRequest, RawResponse } from '../../protocols/types';
import { lambdaFunctionOfUri } from '../../services/apigateway/integrations';
import type { DeployedApi, Integration } from '../../services/apigateway/types';
import { invokeForDoor } from '../invoke';
import { buildV1Event, mapV1Response, matchesBinaryMediaType } from '../payloads/v1';
import { endpointTimedOut, internalServerError, unsupportedMediaType } from './answers';
import { integrationSourceArn, type RequestInfo, requestContext } from './context';
import { mapRequest, mapResponse, mockStatusCode, selectIntegrationResponse } from './mock';
import type { RouteMatch } from './router';
import type { TemplateInput } from './templates';
import { renderStageVariables } from './uri';

/** Everything known about a request once its method is found (and authorized). */
export interface MethodCall {
  lambda: LambdaService;
  endpoint: string;
  req: RawRequest;
  api: DeployedApi;
  deploymentId: string;
  stage: string;
  stageVariables: Record<string, string>;
  match: RouteMatch;
  /** The path after the stage, as sent. */
  path: string;
  info: RequestInfo;
  authorizer?: Record<string, unknown>;
  apiKey?: { value: string; id: string };
}

/** Headers every successful answer carries (plus the function's or the integration's own). */
function answerOf(call: MethodCall, status: number, lines: [string, string][], body: Buffer | string, traced: boolean): RawResponse {
  const headers: Record<string, string> = {};
  const hasContentType = lines.some(([k]) => k.toLowerCase() === 'content-type');
  if (!hasContentType) headers['content-type'] = 'application/json';
  headers['x-amzn-requestid'] = call.info.requestId;
  headers['x-amz-apigw-id'] = call.info.extendedRequestId;
  if (traced) headers['x-amzn-trace-id'] = call.info.traceId;
  // Framing headers are the server's to write.
  const multiHeaders = lines.filter(([k]) => !['content-length', 'transfer-encoding', 'connection'].includes(k.toLowerCase()));
  return { status, headers, multiHeaders, body };
}

export function contextOf(call: MethodCall): Record<string, unknown> {
  return requestContext(call.info, {
    api: call.api,
    deploymentId: call.deploymentId,
    stage: call.stage,
    httpMethod: call.req.method,
    path: call.path,
    resourceId: call.match.resource.id,
    resourcePath: call.match.resource.path,
    apiKey: call.apiKey,
    authorizer: call.authorizer,
  });
}

function header(call: MethodCall, name: string): string | undefined {
  return call.info.headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

function functionOf(integration: Integration, call: MethodCall): { arn: string; region: string } | undefined {
  const arn = lambdaFunctionOfUri(renderStageVariables(integration.uri ?? '', call.stageVariables));
  if (!arn) return undefined;
  return { arn, region: /^arn:[^:]+:lambda:([^:]+):/.exec(arn)?.[1] ?? call.api.region };
}

async function invokeFunction(call: MethodCall, integration: Integration, fn: { arn: string; region: string }, event: unknown) {
  return invokeForDoor(call.lambda, {
    functionArn: fn.arn,
    region: fn.region,
    accountId: call.api.accountId,
    event,
    trigger: 'apigateway',
    endpoint: call.endpoint,
    traceHeader: call.info.traceId,
    timeoutMs: integration.timeoutInMillis,
    // With `credentials` API Gateway assumes that role; without, the function's policy must allow it.
    caller: integration.credentials
      ? undefined
      : { principal: 'apigateway.amazonaws.com', sourceArn: integrationSourceArn(call.api, call.stage, call.match.method.httpMethod, call.match.resource.path) },
  });
}

/** The v1.0 proxy event for this request [rec]. */
export function proxyEvent(call: MethodCall): Record<string, unknown> {
  const body = call.req.body ?? Buffer.alloc(0);
  return buildV1Event({
    resource: call.match.resource.path,
    path: call.path.replace(/^\/+/, '/'),
    httpMethod: call.req.method,
    headerLines: call.info.headers,
    queryPairs: call.info.query,
    pathParameters: call.match.pathParameters,
    stageVariables: call.stageVariables,
    requestContext: contextOf(call),
    body,
    base64: body.length > 0 && matchesBinaryMediaType(header(call, 'content-type'), call.api.binaryMediaTypes),
  }) as unknown as Record<string, unknown>;
}

async function awsProxy(call: MethodCall, integration: Integration): Promise<RawResponse> {
  const ids = call.info;
  if (integration.httpMethod !== 'POST') return internalServerError(ids, 500);
  const fn = functionOf(integration, call);
  if (!fn) return internalServerError(ids, 500);
  const out = await invokeFunction(call, integration, fn, proxyEvent(call));
  if (out.kind === 'refused') return internalServerError(ids, 500);
  if (out.kind === 'timeout') return endpointTimedOut(ids);
  if (out.kind === 'function-error') return internalServerError(ids, 502);
  const accept = header(call, 'accept')?.split(',')[0];
  const mapped = mapV1Response(out.payload, { decodeBase64: matchesBinaryMediaType(accept, call.api.binaryMediaTypes) });
  if ('malformed' in mapped) return internalServerError(ids, 502);
  return answerOf(call, mapped.status, mapped.headerLines, mapped.body, true);
}

function templateInput(call: MethodCall, body: string): TemplateInput {
  const querystring: Record<string, string> = {};
  for (const [k, v] of call.info.query) querystring[k] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of call.info.headers) headers[k] = v;
  return { body, params: { path: call.match.pathParameters, querystring, header: headers }, context: contextOf(call), stageVariables: call.stageVariables };
}

function integrationAnswer(call: MethodCall, integration: Integration, selection: string, endpointBody: string, input: TemplateInput, traced: boolean): RawResponse {
  const r = selectIntegrationResponse(integration.integrationResponses, selection);
  // No matching and no default integration response: a configuration error [rec: LocalStack's AWS-checked handler].
  if (!r) return internalServerError(call.info, 500);
  const mapped = mapResponse(r, endpointBody, header(call, 'accept'), input);
  return answerOf(call, mapped.status, mapped.headers, mapped.body, traced);
}

function mock(call: MethodCall, integration: Integration): RawResponse {
  const input = templateInput(call, (call.req.body ?? Buffer.alloc(0)).toString('utf8'));
  const request = mapRequest(integration, header(call, 'content-type'), input);
  if (request.kind === 'unsupported-media-type') return unsupportedMediaType(call.info);
  const status = mockStatusCode(request.body);
  if (status === undefined) return internalServerError(call.info, 500);
  return integrationAnswer(call, integration, String(status), '', input, false);
}

async function awsLambda(call: MethodCall, integration: Integration): Promise<RawResponse> {
  const fn = functionOf(integration, call);
  if (!fn || integration.httpMethod !== 'POST') return internalServerError(call.info, 500);
  const input = templateInput(call, (call.req.body ?? Buffer.alloc(0)).toString('utf8'));
  const request = mapRequest(integration, header(call, 'content-type'), input);
  if (request.kind === 'unsupported-media-type') return unsupportedMediaType(call.info);
  const out = await invokeFunction(call, integration, fn, Buffer.from(request.body.trim() === '' ? '{}' : request.body));
  if (out.kind === 'refused') return internalServerError(call.info, 500);
  if (out.kind === 'timeout') return endpointTimedOut(call.info);
  const text = out.payload.toString('utf8');
  let selection = '';
  if (out.kind === 'function-error') {
    try {
      selection = String((JSON.parse(text) as { errorMessage?: unknown }).errorMessage ?? '');
    } catch {
      selection = '';
    }
  }
  return integrationAnswer(call, integration, selection, text, input, true);
}

export async function runIntegration(call: MethodCall): Promise<RawResponse> {
  const integration = call.match.method.methodIntegration;
  if (!integration) return internalServerError(call.info, 500);
  switch (integration.type) {
    case 'AWS_PROXY':
      return awsProxy(call, integration);
    case 'MOCK':
      return mock(call, integration);
    case 'AWS':
      return awsLambda(call, integration);
    default:
      return internalServerError(call.info, 500);
  }
}
