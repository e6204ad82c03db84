/**
 * The event templates (src/events, `testbed generate-event`, the console page) against the events
 * the triggers really deliver on the target: the same keys, the same JSON types, the same nesting,
 * field for field (values may differ; header and attribute names are data, bodies free). A
 * function records the event it got as an `EVENT <json>` log line; the destination records and the
 * dead-letter message come from their queues.
 *
 * The front doors (Function URL, API Gateway v1 and v2, ALB, CloudFront, S3) are checked the same
 * way; those LocalStack's free edition lacks are gated on the target's capabilities.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateApiCommand, DeleteApiCommand } from '@aws-sdk/client-apigatewayv2';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ModifyTargetGroupAttributesCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, DeleteObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, DeleteTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { strToU8, zipSync } from 'fflate';
import { findTemplate, generateEvent, shapeDiff } from '../src/events';
import { httpRequest } from '../src/testbed/http';
import type { Capability } from '../src/testbed/targets';
import { eventually, getTestbed, unique, type TestFn } from './_support/testbed';
import { allowService, awaitMessages, body, invokeEvent, putConfig } from './async/_helpers';
import { mappingTracker, queueTracker, send } from './poll/_helpers';

const tb = getTestbed();
const ACCOUNT = '000000000000';
const stack = () =>
  tb.deploy({
    name: 'templates',
    functions: {
      sns: { code: 'batch', environment: { LOG_EVENT: '1' } },
      events: { code: 'batch', environment: { LOG_EVENT: '1' } },
      schedule: { code: 'batch', environment: { LOG_EVENT: '1' } },
      sqs: { code: 'batch', environment: { LOG_EVENT: '1' } },
      fifo: { code: 'batch', environment: { LOG_EVENT: '1' } },
      kinesis: { code: 'batch', environment: { LOG_EVENT: '1' } },
      dlqReader: { code: 'batch', environment: { LOG_EVENT: '1' } },
      ok: { code: 'control' },
      failing: { code: 'control' },
    },
  });
const queues = queueTracker();
const mappings = mappingTracker();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

// ---------------------------------------------------------------- reading and comparing

/** The events a function logged (`EVENT <json>` lines), oldest first, once `accept` holds. */
async function eventsOf(functionName: string, accept: (events: any[]) => boolean = (e) => e.length > 0, timeoutMs = 60_000): Promise<any[]> {
  // Lambda@Edge functions may log under /aws/lambda/us-east-1.<name>, as AWS's replicas do.
  const groups = [`/aws/lambda/${functionName}`, `/aws/lambda/us-east-1.${functionName}`];
  return eventually(
    async () => {
      const found: { t: number; v: unknown }[] = [];
      for (const logGroupName of groups) {
        let nextToken: string | undefined;
        do {
          const page = await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName, filterPattern: '"EVENT"', nextToken })).catch(() => ({ events: [], nextToken: undefined }));
          for (const e of page.events ?? []) {
            const m = /EVENT (\{.*\})\s*$/s.exec(e.message ?? '');
            if (m) found.push({ t: e.timestamp ?? 0, v: JSON.parse(m[1]) });
          }
          nextToken = page.nextToken || undefined;
        } while (nextToken);
      }
      return found.sort((a, b) => a.t - b.t).map((f) => f.v);
    },
    accept,
    timeoutMs,
  );
}

/** The template's event with these options has the same structure as the trigger's. */
function expectSameShape(templateName: string, options: Record<string, unknown>, actual: unknown): void {
  const t = findTemplate(templateName)!;
  const mine = generateEvent(templateName, options, { region: tb.target.region, accountId: ACCOUNT });
  const diff = shapeDiff(mine, actual, { maps: t.mapPaths, free: t.freePaths });
  // "left" is the template, "right" the event the trigger delivered
  expect({ template: templateName, diff, actual: diff.length ? actual : undefined }).toEqual({ template: templateName, diff: [], actual: undefined });
}

// ---------------------------------------------------------------- the triggers this cloud has

describe('templates against the asynchronous triggers', () => {
  it('sns: the SNS event (with a subject and attributes, and without)', async () => {
    const { functions } = await stack();
    const topic = (await tb.clients.sns.send(new CreateTopicCommand({ Name: unique('tpl-topic') }))).TopicArn!;
    cleanups.push(() => tb.clients.sns.send(new DeleteTopicCommand({ TopicArn: topic })));
    await allowService(functions.sns.name, 'sns.amazonaws.com', topic);
    await tb.clients.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda', Endpoint: functions.sns.arn }));
    await tb.clients.sns.send(new PublishCommand({ TopicArn: topic, Subject: 'TestInvoke', Message: 'with', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } }));
    await tb.clients.sns.send(new PublishCommand({ TopicArn: topic, Message: 'without' }));
    const events = await eventsOf(functions.sns.name, (e) => e.length >= 2);
    const byMessage = (m: string) => events.find((e) => e.Records[0].Sns.Message === m);
    expectSameShape('sns', { subject: 'TestInvoke', attributes: { kind: 'order' } }, byMessage('with'));
    expectSameShape('sns', { subject: '' }, byMessage('without'));
  });

  it('eventbridge: an event from PutEvents through a rule', async () => {
    const { functions } = await stack();
    const bus = unique('tpl-bus');
    await tb.clients.events.send(new CreateEventBusCommand({ Name: bus }));
    const rule = unique('tpl-rule');
    const ruleArn = (await tb.clients.events.send(new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify({ source: ['templates.test'] }) }))).RuleArn!;
    cleanups.push(async () => {
      await tb.clients.events.send(new RemoveTargetsCommand({ Rule: rule, EventBusName: bus, Ids: ['t'] }));
      await tb.clients.events.send(new DeleteRuleCommand({ Name: rule, EventBusName: bus }));
      await tb.clients.events.send(new DeleteEventBusCommand({ Name: bus }));
    });
    await allowService(functions.events.name, 'events.amazonaws.com', ruleArn);
    await tb.clients.events.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 't', Arn: functions.events.arn }] }));
    await tb.clients.events.send(
      new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: 'templates.test', DetailType: 'Order Placed', Detail: '{"id":1}', Resources: ['arn:aws:s3:::example'] }] }),
    );
    const [event] = await eventsOf(functions.events.name);
    expectSameShape('eventbridge', { resources: ['arn:aws:s3:::example'] }, event);
  });

  it('eventbridge-scheduled: a schedule rule firing', async () => {
    const { functions } = await stack();
    const rule = unique('tpl-schedule');
    const ruleArn = (await tb.clients.events.send(new PutRuleCommand({ Name: rule, ScheduleExpression: 'rate(1 minute)' }))).RuleArn!;
    cleanups.push(async () => {
      await tb.clients.events.send(new RemoveTargetsCommand({ Rule: rule, Ids: ['t'] }));
      await tb.clients.events.send(new DeleteRuleCommand({ Name: rule }));
    });
    await allowService(functions.schedule.name, 'events.amazonaws.com', ruleArn);
    await tb.clients.events.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't', Arn: functions.schedule.arn }] }));
    await tb.advance(61_000);
    const [event] = await eventsOf(functions.schedule.name, (e) => e.length > 0, 120_000);
    expectSameShape('eventbridge-scheduled', {}, event);
  });

  it('destination-success, destination-failure and dlq: the records and the dead-letter message', async () => {
    const { functions } = await stack();
    const success = await queues.create('tpl-success');
    const failure = await queues.create('tpl-failure');
    const dlq = await queues.create('tpl-dlq');
    await putConfig({ FunctionName: functions.ok.name, DestinationConfig: { OnSuccess: { Destination: success.arn } } });
    await tb.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: functions.failing.name, DeadLetterConfig: { TargetArn: dlq.arn } }));
    await waitUntilFunctionUpdatedV2({ client: tb.clients.lambda, maxWaitTime: 60 }, { FunctionName: functions.failing.name });
    await putConfig({ FunctionName: functions.failing.name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: failure.arn } } });
    await mappings.create({ EventSourceArn: dlq.arn, FunctionName: functions.dlqReader.name, BatchSize: 1 });
    await invokeEvent(functions.ok.name, { action: 'return', value: { done: true } });
    await invokeEvent(functions.failing.name, { action: 'throw', message: 'broken on purpose' });
    const [ok] = await awaitMessages(success.url, 1);
    expectSameShape('destination-success', {}, body(ok));
    const [failed] = await awaitMessages(failure.url, 1);
    expectSameShape('destination-failure', {}, body(failed));
    const [dead] = await eventsOf(functions.dlqReader.name);
    expectSameShape('dlq', {}, dead);
  });
});

describe('templates against the poll-based triggers', () => {
  it('sqs: a standard queue batch (a message with attributes, and one without)', async () => {
    const { functions } = await stack();
    const q = await queues.create('tpl-sqs');
    await send(q.url, 'with', { MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } });
    await send(q.url, 'without');
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.sqs.name, BatchSize: 1 });
    const events = await eventsOf(functions.sqs.name, (e) => e.length >= 2);
    const byBody = (b: string) => events.find((e) => e.Records[0].body === b);
    expectSameShape('sqs', { attributes: { kind: 'order' } }, byBody('with'));
    expectSameShape('sqs', {}, byBody('without'));
  });

  it('sqs-fifo: a FIFO queue batch', async () => {
    const { functions } = await stack();
    const q = await queues.create('tpl-fifo', {}, { fifo: true });
    await send(q.url, 'fifo', { MessageGroupId: 'g1', MessageDeduplicationId: 'd1', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } });
    await mappings.create({ EventSourceArn: q.arn, FunctionName: functions.fifo.name, BatchSize: 1 });
    const [event] = await eventsOf(functions.fifo.name);
    expectSameShape('sqs-fifo', { attributes: { kind: 'order' } }, event);
  });

  it('kinesis: a stream batch', async () => {
    const { functions } = await stack();
    const name = unique('tpl-stream');
    await tb.clients.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    cleanups.push(() => tb.clients.kinesis.send(new DeleteStreamCommand({ StreamName: name })));
    const summary = await eventually(
      () => tb.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })),
      (s) => s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE',
    );
    await tb.clients.kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'pk', Data: Buffer.from('{"hello":"kinesis"}') }));
    await mappings.create({ EventSourceArn: summary.StreamDescriptionSummary!.StreamARN!, FunctionName: functions.kinesis.name, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 });
    const [event] = await eventsOf(functions.kinesis.name);
    expectSameShape('kinesis', {}, event);
  });
});

// ---------------------------------------------------------------- the front doors (where present)

type Door = 'function-url' | 'apigateway-v1' | 'apigateway-v2' | 'alb' | 'cloudfront' | 's3';

/**
 * The doors LocalStack's free edition lacks are gated on the target's capability: elsewhere they
 * are skipped with the reason printed. Function URLs, REST APIs and S3 run on every target.
 */
const DOOR_CAPABILITY: Partial<Record<Door, Capability>> = { 'apigateway-v2': 'httpApis', alb: 'alb', cloudfront: 'cloudfront' };

function doorIt(door: Door): TestFn {
  const capability = DOOR_CAPABILITY[door];
  return capability ? tb.itIf(capability) : it;
}

/**
 * A function that logs its event as `EVENT <json>` and answers what its caller expects: the request
 * or response (CloudFront), a 200 (HTTP doors), null (anything else). Inline code: Lambda@Edge
 * allows no environment variables, so the `batch` function's LOG_EVENT cannot be used there.
 */
const LOGGER = `exports.handler = async (event) => {
  console.log('EVENT ' + JSON.stringify(event));
  const cf = event && event.Records && event.Records[0] && event.Records[0].cf;
  if (cf) return cf.response || cf.request;
  if (event && event.requestContext && event.requestContext.elb) return { statusCode: 200, statusDescription: '200 OK', isBase64Encoded: false, headers: { 'content-type': 'text/plain' }, body: 'ok' };
  if (event && event.requestContext) return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
  return null;
};
`;

async function loggerFunction(prefix: string): Promise<{ name: string; arn: string; versionArn: string }> {
  const { roleArn } = await stack();
  const name = unique(prefix).slice(0, 64);
  const out = await tb.clients.lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: roleArn, Code: { ZipFile: zipSync({ 'index.js': strToU8(LOGGER) }) }, Timeout: 5, MemorySize: 128 }),
  );
  cleanups.push(() => tb.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: name })));
  await waitUntilFunctionActiveV2({ client: tb.clients.lambda, maxWaitTime: 60 }, { FunctionName: name });
  const version = await tb.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  return { name, arn: out.FunctionArn!, versionArn: version.FunctionArn! };
}

async function allow(functionName: string, principal: string, sourceArn?: string, action = 'lambda:InvokeFunction', extra: Record<string, string> = {}): Promise<void> {
  await tb.clients.lambda.send(new AddPermissionCommand({ FunctionName: functionName, StatementId: unique('tpl').slice(0, 60), Action: action, Principal: principal, SourceArn: sourceArn, ...extra }));
}

const targetPort = () => new URL(tb.target.endpoint).port || '80';
/** The request every HTTP door gets, and the template options that describe it. */
const REQUEST = { method: 'POST', path: '/items', query: 'a=1&a=2', headers: { 'content-type': 'application/json', cookie: 'c=1', 'user-agent': 'curl/8.5.0' }, body: '{"x":1}' };
const send200 = async (url: string) => {
  const r = await httpRequest(url, { method: REQUEST.method, headers: REQUEST.headers, body: REQUEST.body });
  expect({ url, status: r.status }).toEqual({ url, status: 200 });
};

describe('templates against the front doors', () => {
  doorIt('function-url')('function-url: a Function URL request', async () => {
    const fn = await loggerFunction('tpl-url');
    const url = (await tb.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn.name, AuthType: 'NONE' }))).FunctionUrl!;
    await allow(fn.name, '*', undefined, 'lambda:InvokeFunctionUrl', { FunctionUrlAuthType: 'NONE' });
    await allow(fn.name, '*');
    await send200(`${url.replace(/\/$/, '')}${REQUEST.path}?${REQUEST.query}`);
    const [event] = await eventsOf(fn.name);
    expectSameShape('function-url', REQUEST, event);
  });

  doorIt('apigateway-v2')('apigateway-v2: an HTTP API request (payload format 2.0)', async () => {
    const fn = await loggerFunction('tpl-httpapi');
    const api = await tb.clients.apigatewayv2.send(new CreateApiCommand({ Name: unique('tpl-httpapi'), ProtocolType: 'HTTP', Target: fn.arn }));
    cleanups.push(() => tb.clients.apigatewayv2.send(new DeleteApiCommand({ ApiId: api.ApiId })));
    await allow(fn.name, 'apigateway.amazonaws.com', `arn:aws:execute-api:${tb.target.region}:${ACCOUNT}:${api.ApiId}/*`);
    await send200(`${api.ApiEndpoint}${REQUEST.path}?${REQUEST.query}`);
    const [event] = await eventsOf(fn.name);
    expectSameShape('apigateway-v2', REQUEST, event);
  });

  doorIt('apigateway-v1')('apigateway-v1: a REST API proxy request', async () => {
    const fn = await loggerFunction('tpl-restapi');
    const ag = tb.clients.apigateway;
    const api = await ag.send(new CreateRestApiCommand({ name: unique('tpl-restapi') }));
    cleanups.push(() => ag.send(new DeleteRestApiCommand({ restApiId: api.id })));
    const root = (await ag.send(new GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/')!;
    const proxy = await ag.send(new CreateResourceCommand({ restApiId: api.id, parentId: root.id, pathPart: '{proxy+}' }));
    await ag.send(new PutMethodCommand({ restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY', authorizationType: 'NONE' }));
    await ag.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: proxy.id,
        httpMethod: 'ANY',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${tb.target.region}:lambda:path/2015-03-31/functions/${fn.arn}/invocations`,
      }),
    );
    await ag.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'test' }));
    await allow(fn.name, 'apigateway.amazonaws.com', `arn:aws:execute-api:${tb.target.region}:${ACCOUNT}:${api.id}/*`);
    const port = targetPort();
    const base = tb.target.kind === 'localstack' ? `${new URL(tb.target.endpoint).origin}/_aws/execute-api/${api.id}/test` : `http://${api.id}.execute-api.localhost:${port}/test`;
    await send200(`${base}${REQUEST.path}?${REQUEST.query}`);
    const [event] = await eventsOf(fn.name);
    expectSameShape('apigateway-v1', { ...REQUEST, stage: 'test' }, event);
  });

  doorIt('alb')('alb: a load balancer request, single- and multi-value', async () => {
    const elb = tb.clients.elbv2;
    const fn = await loggerFunction('tpl-alb');
    const port = targetPort();
    for (const multiValue of [false, true]) {
      const tg = (await elb.send(new CreateTargetGroupCommand({ Name: unique('tpl-tg').slice(0, 32), TargetType: 'lambda' }))).TargetGroups![0];
      if (multiValue) {
        await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] }));
      }
      await allow(fn.name, 'elasticloadbalancing.amazonaws.com', tg.TargetGroupArn);
      await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] }));
      const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: unique('tpl-alb').slice(0, 32) }))).LoadBalancers![0];
      await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
      await send200(`http://${lb.DNSName}:${port}${REQUEST.path}?${REQUEST.query}`);
    }
    const [single, multi] = await eventsOf(fn.name, (e) => e.length >= 2);
    expectSameShape('alb', REQUEST, single);
    expectSameShape('alb', { ...REQUEST, multiValue: true }, multi);
  });

  doorIt('cloudfront')('cloudfront-*: the four Lambda@Edge events', async () => {
    const origin = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('from the origin');
      });
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => origin.close(resolve)));
    const types = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const;
    const fns = Object.fromEntries(await Promise.all(types.map(async (t) => [t, await loggerFunction(`tpl-edge-${t}`)] as const)));
    const out = await tb.clients.cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: unique('tpl-cf'),
          Comment: 'lambda-testbed templates',
          Enabled: true,
          Origins: {
            Quantity: 1,
            Items: [{ Id: 'origin', DomainName: 'origin.localhost', CustomOriginConfig: { HTTPPort: (origin.address() as AddressInfo).port, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' } }],
          },
          DefaultCacheBehavior: {
            TargetOriginId: 'origin',
            ViewerProtocolPolicy: 'allow-all',
            ForwardedValues: { QueryString: true, Cookies: { Forward: 'none' } },
            MinTTL: 0,
            LambdaFunctionAssociations: {
              Quantity: 4,
              Items: types.map((t) => ({ EventType: t, LambdaFunctionARN: fns[t].versionArn, IncludeBody: t.endsWith('request') })),
            },
          },
        },
      }),
    );
    const r = await httpRequest(`http://${out.Distribution!.DomainName}:${targetPort()}/items?a=1`);
    expect(r.status).toBe(200);
    for (const t of types) {
      const [event] = await eventsOf(fns[t].name);
      expectSameShape(`cloudfront-${t}`, { uri: '/items', querystring: 'a=1', ...(t.endsWith('request') ? { includeBody: true } : {}) }, event);
    }
  });

  doorIt('s3')('s3-put and s3-delete: bucket notifications', async () => {
    const fn = await loggerFunction('tpl-s3');
    const bucket = unique('tpl-bucket').toLowerCase().slice(0, 63);
    await tb.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await allow(fn.name, 's3.amazonaws.com', `arn:aws:s3:::${bucket}`);
    await tb.clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fn.arn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }] },
      }),
    );
    await tb.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/a b.txt', Body: 'hello' }));
    const [created] = await eventsOf(fn.name);
    await tb.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'dir/a b.txt' }));
    const [, removed] = await eventsOf(fn.name, (e) => e.length >= 2);
    expectSameShape('s3-put', {}, created);
    expectSameShape('s3-delete', {}, removed);
  });
});
