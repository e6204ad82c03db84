/**
 * Integrations: CreateIntegration, GetIntegration(s), UpdateIntegration, DeleteIntegration.
 *
 * HTTP APIs integrate with Lambda (AWS_PROXY, payload format 1.0 or 2.0, which an SDK or the CLI
 * must give [doc]) and HTTP endpoints (HTTP_PROXY, payload 1.0 only [doc]); the other types are
 * WebSocket APIs' [model]. Defaults as AWS answers them [doc: CLI reference create-integration /
 * get-integrations]: ConnectionType INTERNET, IntegrationMethod POST for Lambda, TimeoutInMillis
 * 30000 (29000 for WebSocket APIs [model]).
 */
import type { RequestContext } from '../../protocols/types';
import { badRequest, integrationNotFound } from './errors';
import { newId, type ApiGatewayV2Store } from './store';
import type { ApiRecord, IntegrationRecord } from './types';
import { lambdaFunctionOf, optEnum, optInt, optObject, optString, optStringMap } from './validate';

type Input = Record<string, unknown>;

const TYPES = ['AWS', 'HTTP', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'] as const;

export function integrationOut(i: IntegrationRecord): Record<string, unknown> {
  return { ...i };
}

/** Check and fill an integration from input (create: from nothing; update: over the record). */
function applyIntegration(api: ApiRecord, into: Partial<IntegrationRecord>, input: Input, creating: boolean): IntegrationRecord {
  const type = optEnum(input, 'integrationType', TYPES) ?? into.integrationType;
  if (!type) throw badRequest('IntegrationType is a required parameter');
  const http = api.protocolType === 'HTTP';
  if (http && !['AWS_PROXY', 'HTTP_PROXY'].includes(type)) {
    throw badRequest(`Integration type ${type} is not supported for HTTP APIs. Use AWS_PROXY or HTTP_PROXY`);
  }
  const rec = { ...into, integrationType: type } as IntegrationRecord;
  const set = <K extends keyof IntegrationRecord>(k: K, v: IntegrationRecord[K] | undefined) => {
    if (v !== undefined) rec[k] = v;
  };
  set('connectionId', optString(input, 'connectionId', 1, 1024));
  set('connectionType', optEnum(input, 'connectionType', ['INTERNET', 'VPC_LINK'] as const));
  set('contentHandlingStrategy', optEnum(input, 'contentHandlingStrategy', ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'] as const));
  set('credentialsArn', optString(input, 'credentialsArn'));
  set('description', optString(input, 'description', 0, 1024));
  set('integrationMethod', optString(input, 'integrationMethod', 1, 64));
  set('integrationSubtype', optString(input, 'integrationSubtype', 1, 128));
  set('integrationUri', optString(input, 'integrationUri', 1, 2048));
  set('passthroughBehavior', optEnum(input, 'passthroughBehavior', ['WHEN_NO_MATCH', 'NEVER', 'WHEN_NO_TEMPLATES'] as const));
  set('payloadFormatVersion', optString(input, 'payloadFormatVersion', 1, 64));
  set('requestParameters', optStringMap(input, 'requestParameters'));
  set('requestTemplates', optStringMap(input, 'requestTemplates'));
  const responseParameters = optObject(input, 'responseParameters');
  if (responseParameters) rec.responseParameters = responseParameters as Record<string, Record<string, string>>;
  set('templateSelectionExpression', optString(input, 'templateSelectionExpression'));
  // [obs] REST APIs answer "Timeout should be between 50 ms and 29000 ms"; HTTP APIs allow 30000 [model].
  const maxTimeout = http ? 30000 : 29000;
  set('timeoutInMillis', optInt(input, 'timeoutInMillis', 50, maxTimeout, `Timeout should be between 50 ms and ${maxTimeout} ms`));
  const tls = optObject(input, 'tlsConfig');
  if (tls) rec.tlsConfig = { serverNameToVerify: optString(tls, 'serverNameToVerify', 1, 512) };

  rec.connectionType ??= 'INTERNET';
  rec.timeoutInMillis ??= maxTimeout;
  if (http) {
    if (type === 'AWS_PROXY') {
      if (!rec.integrationSubtype) {
        if (!rec.integrationUri) throw badRequest('IntegrationUri is a required parameter for an AWS_PROXY integration');
        if (!lambdaFunctionOf(rec.integrationUri)) throw badRequest(`Invalid integration URI specified: ${rec.integrationUri}`);
      }
      // [doc] "If you create a Lambda integration by using the AWS CLI, AWS CloudFormation, or an SDK,
      // you must specify a payloadFormatVersion."
      if (!rec.payloadFormatVersion) throw badRequest('PayloadFormatVersion is a required parameter for AWS_PROXY integrations');
      rec.integrationMethod ??= 'POST';
    } else {
      if (!rec.integrationUri) throw badRequest('IntegrationUri is a required parameter for an HTTP_PROXY integration');
      rec.payloadFormatVersion ??= '1.0';
      rec.integrationMethod ??= 'ANY';
    }
    const allowed = type === 'AWS_PROXY' && !rec.integrationSubtype ? ['1.0', '2.0'] : ['1.0'];
    if (!allowed.includes(rec.payloadFormatVersion)) {
      throw badRequest(`Invalid payload format version specified: ${rec.payloadFormatVersion}. Supported values are ${allowed.join(' and ')}`);
    }
  } else {
    rec.payloadFormatVersion ??= '1.0';
    if (creating && (type === 'MOCK' || type === 'HTTP')) rec.integrationResponseSelectionExpression ??= '${integration.response.statuscode}';
    if (creating && ['AWS', 'MOCK', 'HTTP'].includes(type)) rec.passthroughBehavior ??= 'WHEN_NO_MATCH';
  }
  return rec;
}

export function createIntegration(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, input: Input, managed = false): IntegrationRecord {
  const api = store.get(ctx, apiId);
  const rec = applyIntegration(api, {}, input, true);
  let id = newId(7);
  while (api.integrations.has(id)) id = newId(7);
  const out: IntegrationRecord = { ...rec, integrationId: id, ...(managed ? { apiGatewayManaged: true } : {}) };
  api.integrations.set(id, out);
  store.changed(api);
  return out;
}

export function getIntegration(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string): IntegrationRecord {
  const api = store.get(ctx, apiId);
  const rec = api.integrations.get(id);
  if (!rec) throw integrationNotFound(ctx.accountId, apiId, id);
  return rec;
}

export function updateIntegration(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string, input: Input): IntegrationRecord {
  const api = store.get(ctx, apiId);
  const rec = getIntegration(store, ctx, apiId, id);
  const next = applyIntegration(api, rec, input, false);
  api.integrations.set(id, next);
  store.changed(api);
  return next;
}

export function deleteIntegration(store: ApiGatewayV2Store, ctx: RequestContext, apiId: string, id: string): void {
  const api = store.get(ctx, apiId);
  getIntegration(store, ctx, apiId, id);
  const user = [...api.routes.values()].find((r) => r.target === `integrations/${id}`);
  if (user) {
    throw badRequest(`Cannot delete Integration ${id}: it is the target of route ${user.routeKey} (${user.routeId})`);
  }
  api.integrations.delete(id);
  store.changed(api);
}
