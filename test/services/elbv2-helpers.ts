/**
 * What the ELBv2 wire tests share: a started cloud with ELBv2 and Lambda clients, a small ALB
 * target function (its answer chosen by the request body), and a load balancer wired to it
 * (target group, permission, registration, HTTP listener) to send plain HTTP to.
 *
 * The function: a JSON body `{"respond": <value>}` makes it return that value as it is, `{"throw":
 * "msg"}` throw, `{"bigBody": n}` answer n characters; anything else is echoed as
 * `{statusCode: 200, body: JSON.stringify({event})}` with headers in the event's own form.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';
import { httpRequest, type HttpRequestOptions, type HttpResponse } from '../../src/testbed/http';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

export const TARGET_CODE = zipFiles({
  'index.js': `exports.handler = async (e) => {
    const raw = e.body ? (e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString() : e.body) : '';
    let b = {};
    try { b = raw ? JSON.parse(raw) : {}; } catch (err) { b = {}; }
    if (b === null || typeof b !== 'object') b = {};
    if (b.throw) throw new Error(b.throw);
    if (b.sleep) await new Promise((r) => setTimeout(r, b.sleep));
    if ('respond' in b) return b.respond;
    if (b.bigBody) return { statusCode: 200, body: 'x'.repeat(b.bigBody) };
    const multi = e.multiValueHeaders !== undefined;
    const out = { statusCode: 200, statusDescription: '200 OK', isBase64Encoded: false, body: JSON.stringify({ event: e }) };
    if (multi) out.multiValueHeaders = { 'content-type': ['application/json'] };
    else out.headers = { 'content-type': 'application/json' };
    return out;
  };`,
});

export interface Alb {
  dnsName: string;
  /** http://<dns>:<cloud port> */
  url: string;
  lbArn: string;
  tgArn: string;
  listenerArn: string;
  functionName: string;
  functionArn: string;
}

export interface ElbEnv {
  cloud: RunningCloud;
  elbv2: ElasticLoadBalancingV2Client;
  lambda: LambdaClient;
  createFunction(name?: string): Promise<{ name: string; arn: string }>;
  /** Lets the load balancer invoke the function for this target group (AddPermission with SourceArn). */
  allowElb(functionName: string, targetGroupArn: string, qualifier?: string): Promise<void>;
  /** A load balancer whose HTTP listener on `port` forwards to a registered function. */
  alb(opts?: { multiValue?: boolean; port?: number; defaultActions?: Action[] }): Promise<Alb>;
  http(url: string, opts?: HttpRequestOptions): Promise<HttpResponse>;
}

let seq = 0;
export const uniq = (base = 't') => `${base}-${++seq}-${randomUUID().slice(0, 6)}`;

/** The test file's environment: a cloud started in beforeAll and stopped in afterAll. */
export function useElbEnv(): ElbEnv {
  let cloud: RunningCloud | undefined;
  let elbv2: ElasticLoadBalancingV2Client | undefined;
  let lambda: LambdaClient | undefined;
  beforeAll(async () => {
    cloud = await startCloud({ port: 0 });
    elbv2 = new ElasticLoadBalancingV2Client({ endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 });
    lambda = new LambdaClient({ endpoint: cloud.endpoint, region: REGION, credentials, maxAttempts: 1 });
  });
  afterAll(async () => {
    elbv2?.destroy();
    lambda?.destroy();
    await cloud?.stop();
  });
  const need = <T>(v: T | undefined): T => {
    if (!v) throw new Error('the ELBv2 test env starts in beforeAll');
    return v;
  };
  const env: ElbEnv = {
    get cloud() {
      return need(cloud);
    },
    get elbv2() {
      return need(elbv2);
    },
    get lambda() {
      return need(lambda);
    },
    async createFunction(name = uniq('fn')) {
      const out = await env.lambda.send(
        new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: `arn:aws:iam::${ACCOUNT}:role/r`, Code: { ZipFile: TARGET_CODE }, Timeout: 3 }),
      );
      await waitUntilFunctionActiveV2({ client: env.lambda, maxWaitTime: 10 }, { FunctionName: name });
      return { name, arn: out.FunctionArn! };
    },
    async allowElb(functionName, targetGroupArn, qualifier) {
      await env.lambda.send(
        new AddPermissionCommand({
          FunctionName: functionName,
          Qualifier: qualifier,
          StatementId: uniq('elb'),
          Action: 'lambda:InvokeFunction',
          Principal: 'elasticloadbalancing.amazonaws.com',
          SourceArn: targetGroupArn,
        }),
      );
    },
    async alb(opts = {}) {
      const fn = await env.createFunction();
      const lb = (await env.elbv2.send(new CreateLoadBalancerCommand({ Name: uniq('lb') }))).LoadBalancers![0];
      const tg = (await env.elbv2.send(new CreateTargetGroupCommand({ Name: uniq('tg'), TargetType: 'lambda' }))).TargetGroups![0];
      if (opts.multiValue) {
        await env.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] }));
      }
      await env.allowElb(fn.name, tg.TargetGroupArn!);
      await env.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] }));
      const listener = (
        await env.elbv2.send(
          new CreateListenerCommand({
            LoadBalancerArn: lb.LoadBalancerArn,
            Protocol: 'HTTP',
            Port: opts.port ?? 80,
            DefaultActions: opts.defaultActions ?? [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
          }),
        )
      ).Listeners![0];
      return {
        dnsName: lb.DNSName!,
        url: `http://${lb.DNSName}:${env.cloud.port}`,
        lbArn: lb.LoadBalancerArn!,
        tgArn: tg.TargetGroupArn!,
        listenerArn: listener.ListenerArn!,
        functionName: fn.name,
        functionArn: fn.arn,
      };
    },
    http: (url, opts) => httpRequest(url, opts),
  };
  return env;
}

export { failure } from './helpers';

/** A raw query-protocol call (to see the XML as sent). */
export async function rawQuery(env: ElbEnv, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${env.cloud.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240101/${REGION}/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2015-12-01', ...params }).toString(),
  });
  return { status: res.status, text: await res.text() };
}
