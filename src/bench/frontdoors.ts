/**
 * Section "http" of `npm run bench`: the HTTP front doors of the synchronous model.
 *   (each door in rotation with the others, after the 16 environments are warm)
 *   latency     median and p95 of sequential plain-HTTP round trips through each front door to the
 *               same trivial warm function, beside a direct Invoke (a plain POST to the Invoke
 *               API's path): the difference is the cost of the door's event and response mapping
 *   throughput  requests per second with 16 concurrent callers for a few seconds, per door
 * Doors: Function URL, API Gateway REST API (v1, {proxy+} AWS_PROXY), HTTP API (v2 quick create),
 * Application Load Balancer (lambda target group). Baseline in the same run: a round trip to a bare
 * node HTTP server, and its 16-caller throughput.
 */
import http from 'node:http';
import { APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, PutIntegrationCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AddPermissionCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { zipFiles } from '../testbed/build';
import { loopbackLookup } from '../testbed/http';
import { bareRoundTrip, median, ms, pct, startBareServer, startServe, stopChild, versus } from './common';

const ROLE = 'arn:aws:iam::000000000000:role/bench';
const REGION = 'us-east-1';
const CODE = "exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });";

interface Door {
  name: string;
  url: string;
  method: string;
}

function request(agent: http.Agent, url: URL, method: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, agent, lookup: loopbackLookup, headers: { 'content-type': 'application/json', 'content-length': 2 } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

/** Requests per second that 16 callers repeating `op` complete in `durationMs`. */
async function perSecond(op: () => Promise<unknown>, durationMs = 3000): Promise<number> {
  let done = 0;
  const t0 = performance.now();
  const until = t0 + durationMs;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < until) {
        await op();
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

/**
 * Every door measured in rotation (A B C ..., then reversed), so that warm-up and the machine's
 * noise fall on all alike: 8 rounds of 50 sequential requests each for latency, then 4 rounds of
 * 16 callers for 1 s each for throughput.
 */
async function measureAll(doors: Door[]): Promise<{ med: number; p95: number; rps: number }[]> {
  const agents = doors.map(() => new http.Agent({ keepAlive: true, maxSockets: 16 }));
  const urls = doors.map((d) => new URL(d.url));
  for (const [i, door] of doors.entries()) {
    const status = await request(agents[i], urls[i], door.method);
    if (status !== 200) throw new Error(`${door.name} answered ${status} at ${door.url}`);
    for (let k = 0; k < 50; k++) await request(agents[i], urls[i], door.method);
  }
  const lat: number[][] = doors.map(() => []);
  const done = doors.map(() => ({ count: 0, ms: 0 }));
  const order = (round: number) => (round % 2 === 0 ? [...doors.keys()] : [...doors.keys()].reverse());
  for (let round = 0; round < 8; round++) {
    for (const i of order(round)) {
      for (let k = 0; k < 50; k++) {
        const t = performance.now();
        await request(agents[i], urls[i], doors[i].method);
        lat[i].push(performance.now() - t);
      }
    }
  }
  for (let round = 0; round < 4; round++) {
    for (const i of order(round)) {
      const rps = await perSecond(() => request(agents[i], urls[i], doors[i].method), 1000);
      done[i].count += rps;
      done[i].ms += 1;
    }
  }
  for (const a of agents) a.destroy();
  return doors.map((_, i) => ({ med: median(lat[i]), p95: pct(lat[i], 95), rps: done[i].count / done[i].ms }));
}

async function bareBaseline(): Promise<{ rtt: number; rps: number }> {
  const bare = await startBareServer();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const xs: number[] = [];
  for (let i = 0; i < 600; i++) {
    const t = performance.now();
    await bareRoundTrip(bare.port, agent);
    if (i >= 100) xs.push(performance.now() - t);
  }
  const rps = await perSecond(() => bareRoundTrip(bare.port, agent));
  agent.destroy();
  await stopChild(bare.child);
  return { rtt: median(xs), rps };
}

export async function benchFrontDoors(): Promise<void> {
  const base = await bareBaseline();
  console.log(`http baseline: bare node HTTP server round trip median ${ms(base.rtt)}, 16 callers ${base.rps.toFixed(0)} req/s`);
  const { child, endpoint } = await startServe();
  const cfg = { endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const lambda = new LambdaClient(cfg);
  const apigw = new APIGatewayClient(cfg);
  const apigw2 = new ApiGatewayV2Client(cfg);
  const elb = new ElasticLoadBalancingV2Client(cfg);
  try {
    const name = 'bench-http';
    const created = await lambda.send(
      new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipFiles({ 'index.js': CODE }) } }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    const fnArn = created.FunctionArn!;
    const doors: Door[] = [{ name: 'direct Invoke', url: `${endpoint}/2015-03-31/functions/${name}/invocations`, method: 'POST' }];

    const furl = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'url-invoke', Action: 'lambda:InvokeFunction', Principal: '*' }));
    doors.push({ name: 'Function URL', url: furl.FunctionUrl!, method: 'GET' });

    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
    const rest = await apigw.send(new CreateRestApiCommand({ name: 'bench' }));
    const root = (await apigw.send(new GetResourcesCommand({ restApiId: rest.id! }))).items!.find((r) => r.path === '/')!;
    const proxy = await apigw.send(new CreateResourceCommand({ restApiId: rest.id!, parentId: root.id!, pathPart: '{proxy+}' }));
    await apigw.send(new PutMethodCommand({ restApiId: rest.id!, resourceId: proxy.id!, httpMethod: 'ANY', authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: rest.id!,
        resourceId: proxy.id!,
        httpMethod: 'ANY',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: rest.id!, stageName: 'bench' }));
    const port = new URL(endpoint).port;
    doors.push({ name: 'REST API (v1)', url: `http://${rest.id}.execute-api.localhost:${port}/bench/items`, method: 'GET' });

    const httpApi = await apigw2.send(new CreateApiCommand({ Name: 'bench', ProtocolType: 'HTTP', Target: fnArn }));
    doors.push({ name: 'HTTP API (v2)', url: `${httpApi.ApiEndpoint}/items`, method: 'GET' });

    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'elb', Action: 'lambda:InvokeFunction', Principal: 'elasticloadbalancing.amazonaws.com' }));
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'bench', Subnets: ['subnet-1', 'subnet-2'] }))).LoadBalancers![0];
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'bench', TargetType: 'lambda' }))).TargetGroups![0];
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: fnArn }] }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn! }] }));
    doors.push({ name: 'ALB', url: `http://${lb.DNSName}:${port}/items`, method: 'GET' });

    // 16 warm environments before anything is timed: the first door measured must not pay the
    // cold starts the 16 callers cause.
    {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      const url = new URL(doors[0].url);
      for (let i = 0; i < 3; i++) await Promise.all(Array.from({ length: 16 }, () => request(agent, url, doors[0].method)));
      agent.destroy();
    }
    const results = await measureAll(doors);
    const direct = results[0];
    for (const [i, door] of doors.entries()) {
      const r = results[i];
      console.log(
        `${door.name.padEnd(14)} median ${ms(r.med)} (${versus(r.med, base.rtt, 'bare RTT')}; ${versus(r.med, direct.med, 'direct Invoke')}), p95 ${ms(r.p95)}; ` +
          `16 callers ${r.rps.toFixed(0)} req/s (${versus(r.rps, base.rps, 'bare')}; ${versus(r.rps, direct.rps, 'direct Invoke')})`,
      );
    }
  } finally {
    for (const c of [lambda, apigw, apigw2, elb]) c.destroy();
    await stopChild(child);
  }
}
