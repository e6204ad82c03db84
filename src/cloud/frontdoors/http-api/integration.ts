/**
 * An HTTP API's Lambda proxy integration (AWS_PROXY): the function named by the integration URI
 * (stage variables `${stageVariables.x}` filled in [doc "Working with stages for HTTP APIs"]) is
 * invoked synchronously with the route's event, with API Gateway's permission check (principal
 * apigateway.amazonaws.com, the route's execute-api ARN; skipped when the integration has
 * CredentialsArn, a role API Gateway assumes) and the integration timeout (TimeoutInMillis,
 * default 30 s [model]) on the cloud's clock. Its result is mapped by the payload format:
 * 2.0 (payloads/v2.ts) or 1.0 (v1.ts).
 *
 * Outcomes [doc "Troubleshooting issues with HTTP API Lambda integrations"; see answers.ts]: a
 * function error, a malformed result or an invocation Lambda refuses (no permission, throttled,
 * missing function) is 500; the timeout is 503. The function's own error is in its log group.
 */
import type { LambdaService } from '../../lambda/service';
import type { IntegrationRecord } from '../../services/apigatewayv2/types';
import { lambdaFunctionOf } from '../../services/apigatewayv2/validate';
import { invokeForDoor } from '../invoke';
import { mapV2Response } from '../payloads/v2';
import type { AnswerStatus } from './answers';
import { mapV1Response } from './v1';

export interface MappedResponse {
  status: number;
  headers: Record<string, string>;
  multiHeaders: [string, string][];
  body: Buffer;
}

export interface IntegrationCall {
  integration: IntegrationRecord;
  stageVariables: Record<string, string>;
  accountId: string;
  endpoint: string;
  traceHeader?: string;
  /** The execute-api ARN the function's resource policy must allow. */
  sourceArn: string;
  event: unknown;
}

/** `${stageVariables.name}` in a URI replaced by the stage's values (an unknown name gives ''). */
export function withStageVariables(uri: string, vars: Record<string, string>): string {
  return uri.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_m, name: string) => vars[name] ?? '');
}

/** Headers a function may not set: the door frames the response itself. */
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'proxy-connection']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE = /[\r\n\0]/;

/** The response's headers made sendable, or undefined when one cannot be sent (malformed). */
export function sendableHeaders(m: MappedResponse): MappedResponse | undefined {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers)) {
    if (!TOKEN.test(k) || BAD_VALUE.test(v)) return undefined;
    if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k] = v;
  }
  const multiHeaders: [string, string][] = [];
  for (const [k, v] of m.multiHeaders) {
    if (!TOKEN.test(k) || BAD_VALUE.test(v)) return undefined;
    if (!HOP_BY_HOP.has(k.toLowerCase())) multiHeaders.push([k, v]);
  }
  return { ...m, headers, multiHeaders };
}

export async function callIntegration(lambda: LambdaService, c: IntegrationCall): Promise<MappedResponse | AnswerStatus> {
  const i = c.integration;
  // HTTP_PROXY and service integrations (IntegrationSubtype) are not served by this cloud.
  if (i.integrationType !== 'AWS_PROXY' || i.integrationSubtype || !i.integrationUri) return 500;
  const fnArn = lambdaFunctionOf(withStageVariables(i.integrationUri, c.stageVariables));
  if (!fnArn) return 500;
  const outcome = await invokeForDoor(lambda, {
    functionArn: fnArn,
    region: fnArn.split(':')[3],
    accountId: c.accountId,
    event: c.event,
    trigger: 'apigatewayv2',
    endpoint: c.endpoint,
    traceHeader: c.traceHeader,
    timeoutMs: i.timeoutInMillis ?? 30_000,
    caller: i.credentialsArn ? undefined : { principal: 'apigateway.amazonaws.com', sourceArn: c.sourceArn },
  });
  if (outcome.kind === 'timeout') return 503;
  if (outcome.kind !== 'response') return 500;
  const mapped = i.payloadFormatVersion === '2.0' ? mapV2Response(outcome.payload) : mapV1Response(outcome.payload);
  if ('malformed' in mapped) return 500;
  return sendableHeaders(mapped) ?? 500;
}
