/**
 * Shared setup for the REST API door tests: a started cloud, SDK clients, functions from inline
 * handlers, and an API with an AWS_PROXY method deployed to a stage.
 */
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';
import { credentials } from './helpers';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

export interface DoorEnv {
  cloud: RunningCloud;
  apigw: APIGatewayClient;
  lambda: LambdaClient;
}

export async function startDoorEnv(): Promise<DoorEnv> {
  const cloud = await startCloud({ port: 0 });
  const cfg = { endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 };
  return { cloud, apigw: new APIGatewayClient(cfg), lambda: new LambdaClient(cfg) };
}

export async function stopDoorEnv(env: DoorEnv): Promise<void> {
  env.apigw.destroy();
  env.lambda.destroy();
  await env.cloud.stop();
}

/**
 * A proxy handler driven by the request body: `{"value": x}` returns x, `{"throw": "m"}` throws,
 * `{"sleep": ms}` waits first; otherwise it answers 200 with the event as the body.
 */
export const PROXY_HANDLER = `exports.handler = async (e) => {
  let b = {};
  try { b = e.body ? JSON.parse(e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString() : e.body) : {}; } catch { b = {}; }
  if (b.sleep) await new Promise((r) => setTimeout(r, b.sleep));
  if (b.throw) throw new Error(b.throw);
  if ('value' in b) return b.value;
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(e) };
};`;

export async function createFunction(env: DoorEnv, name: string, handler = PROXY_HANDLER, timeout = 10): Promise<string> {
  const out = await env.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: `arn:aws:iam::${ACCOUNT}:role/r`,
      Code: { ZipFile: zipFiles({ 'index.js': handler }) },
      Timeout: timeout,
    }),
  );
  await waitUntilFunctionActiveV2({ client: env.lambda, maxWaitTime: 10 }, { FunctionName: name });
  return out.FunctionArn!;
}

/** Lets API Gateway invoke the function for any method of the API (or every API with '*'). */
export async function allowApiGateway(env: DoorEnv, fn: string, apiId: string, sid = `apigw-${apiId}`): Promise<void> {
  await env.lambda.send(
    new AddPermissionCommand({
      FunctionName: fn,
      StatementId: sid,
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/*`,
    }),
  );
}

export const lambdaUri = (fnArn: string) => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${fnArn}/invocations`;

export interface ProxyApi {
  id: string;
  root: string;
  proxy: string;
  /** `http://<id>.execute-api.localhost:<port>/<stage>` */
  base: string;
}

/**
 * An API whose `/{proxy+}` (ANY) and `/` (ANY) go to `fnArn` through AWS_PROXY, deployed to `stage`.
 * `method` adds settings to both methods (authorizer, apiKeyRequired).
 */
export async function proxyApi(
  env: DoorEnv,
  fnArn: string,
  o: { stage?: string; variables?: Record<string, string>; method?: Partial<PutMethodCommandInput>; timeoutInMillis?: number; uri?: string; permit?: boolean } = {},
): Promise<ProxyApi> {
  const stage = o.stage ?? 'test';
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'door' }));
  const id = api.id!;
  const root = api.rootResourceId!;
  const proxy = (await env.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: '{proxy+}' }))).id!;
  for (const resourceId of [root, proxy]) {
    await env.apigw.send(new PutMethodCommand({ restApiId: id, resourceId, httpMethod: 'ANY', authorizationType: 'NONE', ...o.method }));
    await env.apigw.send(
      new PutIntegrationCommand({
        restApiId: id,
        resourceId,
        httpMethod: 'ANY',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: o.uri ?? lambdaUri(fnArn),
        timeoutInMillis: o.timeoutInMillis,
      }),
    );
  }
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: stage, variables: o.variables }));
  if (o.permit !== false) await allowApiGateway(env, fnArn, id);
  return { id, root, proxy, base: `http://${id}.execute-api.localhost:${env.cloud.port}/${stage}` };
}
