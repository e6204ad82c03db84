/**
 * The execute-api front door of API Gateway REST APIs: a deployed stage served on
 * `http://<api-id>.execute-api.localhost:<port>/<stage>/<path>` (and LocalStack's path forms,
 * target.ts). Only ids of REST APIs this cloud knows are taken; anything else is left to the next
 * door (HTTP APIs share the host form).
 *
 *   target.ts        which API, stage and path a request names
 *   context.ts       request ids, trace header, the header lines passed on, requestContext
 *   router.ts        the resource and method (most specific first, {proxy+} greedy, ANY)
 *   authorizer.ts    Lambda authorizers (TOKEN, REQUEST), policy evaluation, result cache
 *   api-keys.ts      apiKeyRequired: x-api-key or the authorizer's key, usage plans, quota
 *   integration.ts   AWS_PROXY (payloads/v1.ts), MOCK and Lambda non-proxy integrations
 *   mock.ts          request/response mapping (passthrough rules, selection patterns)
 *   templates.ts     the mapping-template (VTL) subset
 *   uri.ts           ${stageVariables.x} in URIs
 *   answers.ts       the door's own answers (403 Missing Authentication Token, 502, 504, ...)
 *
 * The order, as API Gateway runs a request: stage (403 Forbidden when unknown), route (403 Missing
 * Authentication Token), authorization (Lambda authorizer, AWS_IAM signature presence), API key
 * and usage plan, then the integration. A request the door cannot serve never breaks the cloud:
 * an unexpected failure answers 500 Internal server error.
 */
import type { LambdaService } from '../../lambda/service';
import type { RawResponse } from '../../protocols/types';
import type { ApiGatewayStore } from '../../services/apigateway/store';
import type { RestApi } from '../../services/apigateway/types';
import type { DoorRequest, FrontDoor } from '../index';
import { buildV1Event } from '../payloads/v1';
import {
  authorizerConfigurationError,
  explicitDeny,
  forbidden,
  implicitDeny,
  internalServerError,
  limitExceeded,
  missingAuthenticationToken,
  requestTooLong,
  unauthorized,
} from './answers';
import { checkApiKey } from './api-keys';
import { runAuthorizer } from './authorizer';
import { methodArn, requestInfo } from './context';
import { contextOf, type MethodCall, runIntegration } from './integration';
import { matchRoute } from './router';
import { type DoorTarget, parseTarget } from './target';

const MAX_PAYLOAD = 10 * 1024 * 1024;

export function restApiDoor(store: ApiGatewayStore, lambda: LambdaService): FrontDoor {
  return {
    name: 'rest-api',
    handle(r) {
      const target = parseTarget(r.host, r.req.path);
      if (!target) return undefined;
      const api = store.findApi(target.apiId);
      if (!api) return undefined;
      return serve(store, lambda, r, target, api);
    },
  };
}

function headerValue(lines: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i][0].toLowerCase() === lower) return lines[i][1];
  return undefined;
}

async function serve(store: ApiGatewayStore, lambda: LambdaService, r: DoorRequest, target: DoorTarget, api: RestApi): Promise<RawResponse> {
  const info = requestInfo(r.req, { host: r.host, port: r.port, apiId: api.id, form: target.form, epochMs: store.clock.now() });
  try {
    if (api.disableExecuteApiEndpoint || !target.stage) return forbidden(info);
    const stage = api.stages.get(target.stage);
    const deployment = stage && api.deployments.get(stage.deploymentId);
    if (!stage || !deployment) return forbidden(info);
    // API Gateway's payload quota is 10 MB [doc: "Amazon API Gateway quotas"].
    if (r.req.body.length > MAX_PAYLOAD) return requestTooLong(info);
    const deployed = deployment.api;
    const match = matchRoute(deployed, r.req.method, target.path);
    if (!match) return missingAuthenticationToken(info);
    const call: MethodCall = {
      lambda,
      endpoint: r.endpoint,
      req: r.req,
      api: deployed,
      deploymentId: deployment.id,
      stage: stage.stageName,
      stageVariables: { ...(stage.variables ?? {}) },
      match,
      path: target.path,
      info,
    };
    const method = match.method;
    let usageIdentifierKey: string | undefined;
    if (method.authorizationType === 'CUSTOM') {
      const authorizer = method.authorizerId ? deployed.authorizers[method.authorizerId] : undefined;
      if (!authorizer) return authorizerConfigurationError(info);
      const outcome = await runAuthorizer(store, lambda, authorizer, {
        api: deployed,
        stage: stage.stageName,
        stageVariables: call.stageVariables,
        methodArn: methodArn(deployed, stage.stageName, r.req.method, target.path.replace(/^\/+/, '/')),
        headers: info.headers,
        query: info.query,
        requestContext: contextOf(call),
        requestEvent: () => {
          const { body: _body, isBase64Encoded: _b64, ...rest } = buildV1Event({
            resource: match.resource.path,
            path: target.path.replace(/^\/+/, '/'),
            httpMethod: r.req.method,
            headerLines: info.headers,
            queryPairs: info.query,
            pathParameters: match.pathParameters,
            stageVariables: call.stageVariables,
            requestContext: contextOf(call),
            body: Buffer.alloc(0),
            base64: false,
          });
          return rest;
        },
        endpoint: r.endpoint,
        traceId: info.traceId,
      });
      switch (outcome.kind) {
        case 'unauthorized':
          return unauthorized(info);
        case 'explicit-deny':
          return explicitDeny(info);
        case 'implicit-deny':
          return implicitDeny(info);
        case 'error':
          return authorizerConfigurationError(info);
        case 'allow':
          call.authorizer = outcome.authorizer;
          usageIdentifierKey = outcome.usageIdentifierKey;
      }
    } else if (method.authorizationType === 'AWS_IAM') {
      // The signature itself is not verified; an unsigned request is refused as AWS refuses it.
      if (!/^AWS4-HMAC-SHA256 /.test(headerValue(info.headers, 'authorization') ?? '')) return missingAuthenticationToken(info);
    } else if (method.authorizationType === 'COGNITO_USER_POOLS') {
      const authorizer = method.authorizerId ? deployed.authorizers[method.authorizerId] : undefined;
      const name = /^method\.request\.header\.(.+)$/.exec(authorizer?.identitySource ?? '')?.[1] ?? 'Authorization';
      // Tokens are not verified (no Cognito here); a missing one is refused.
      if (!headerValue(info.headers, name)) return unauthorized(info);
    }
    if (method.apiKeyRequired) {
      const value = deployed.apiKeySource === 'AUTHORIZER' ? usageIdentifierKey : headerValue(info.headers, 'x-api-key');
      const check = checkApiKey(store, deployed, stage.stageName, value);
      if (!check.ok) return check.reason === 'limit' ? limitExceeded(info) : forbidden(info);
      call.apiKey = { value: check.key.value, id: check.key.id };
    }
    return await runIntegration(call);
  } catch (e) {
    console.error('[testbed] rest-api door failed:', e);
    return internalServerError(info, 500);
  }
}
