/**
 * The event templates (src/events): every trigger's event with its defaults and options (read
 * through @types/aws-lambda's types, as a handler would), determinism with a fixed clock
 * and ids, bad options refused with one clear line, and the same structure as the records this
 * cloud's own producers write (the pure halves of the drift check; scenarios/templates.test.ts
 * checks the events the triggers really deliver).
 */
import { createHash } from 'node:crypto';
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  CloudFrontRequestEvent,
  CloudFrontResponseEvent,
  EventBridgeEvent,
  KinesisStreamEvent,
  LambdaFunctionURLEvent,
  S3Event,
  ScheduledEvent,
  SNSEvent,
  SQSEvent,
} from 'aws-lambda';
import { invocationRecord } from '../../src/cloud/lambda/async/records';
import { kinesisRecord } from '../../src/cloud/lambda/pollers/kinesis-event';
import { sqsRecord } from '../../src/cloud/lambda/pollers/sqs-event';
import { md5OfAttributes } from '../../src/cloud/services/sqs/md5';
import type { SqsMessage } from '../../src/cloud/services/sqs/types';
import { describeTemplates, findTemplate, generateEvent, sequentialIds, shapeDiff, TEMPLATE_NAMES, TemplateError } from '../../src/events';

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const fixed = () => ({ now: NOW, ids: sequentialIds('t') });
const gen = <T = any>(name: string, options: Record<string, unknown> = {}): T => generateEvent(name, options, fixed()) as T;

describe('the registry', () => {
  it('has a template for every trigger the project serves', () => {
    expect(TEMPLATE_NAMES).toEqual([
      'apigateway-v1',
      'apigateway-v2',
      'function-url',
      'alb',
      'cloudfront-viewer-request',
      'cloudfront-origin-request',
      'cloudfront-origin-response',
      'cloudfront-viewer-response',
      'sns',
      'sqs',
      'sqs-fifo',
      'eventbridge',
      'eventbridge-scheduled',
      'kinesis',
      's3-put',
      's3-delete',
      'destination-success',
      'destination-failure',
      'dlq',
    ]);
    for (const t of describeTemplates()) {
      expect(t.title.length).toBeGreaterThan(10);
      for (const o of t.options) expect(o.description).toBeTruthy();
    }
  });

  it('is deterministic with a fixed clock and ids, and varies without them', () => {
    for (const name of TEMPLATE_NAMES) {
      expect(JSON.stringify(gen(name))).toBe(JSON.stringify(gen(name)));
    }
    expect(JSON.stringify(generateEvent('sqs'))).not.toBe(JSON.stringify(generateEvent('sqs')));
    const ids = sequentialIds('t');
    const first = [ids(), ids(), ids()];
    expect(first).toContain(gen('sqs', {}).Records[0].messageId);
    expect(first[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('takes region and account from the context', () => {
    const e = generateEvent('sqs', {}, { region: 'eu-west-1', accountId: '000000000000' }) as any;
    expect(e.Records[0].eventSourceARN).toBe('arn:aws:sqs:eu-west-1:000000000000:example-queue');
    expect(e.Records[0].awsRegion).toBe('eu-west-1');
  });
});

describe('HTTP front doors', () => {
  it('API Gateway v1: the proxy request with path, method, query, headers and body', () => {
    const e = gen<APIGatewayProxyEvent>('apigateway-v1', { path: '/items/7', method: 'POST', body: { a: 1 }, query: 'x=1&x=2&y=3', headers: ['X-Test: yes'] });
    expect(e).toMatchObject({ resource: '/{proxy+}', path: '/items/7', httpMethod: 'POST', body: '{"a":1}', isBase64Encoded: false, pathParameters: { proxy: 'items/7' }, stageVariables: null });
    expect(e.queryStringParameters).toEqual({ x: '2', y: '3' });
    expect(e.multiValueQueryStringParameters).toEqual({ x: ['1', '2'], y: ['3'] });
    expect(e.headers['X-Test']).toBe('yes');
    expect(e.headers['content-type']).toBe('application/json');
    expect(e.multiValueHeaders['X-Test']).toEqual(['yes']);
    expect(e.requestContext).toMatchObject({ stage: 'prod', path: '/prod/items/7', httpMethod: 'POST', requestTimeEpoch: NOW, requestTime: '02/Jan/2025:03:04:05 +0000', accountId: '123456789012' });
    expect(e.requestContext.identity.sourceIp).toBe('203.0.113.10');
    expect(Object.keys(e.requestContext)).toEqual(expect.arrayContaining(['deploymentId', 'domainPrefix', 'extendedRequestId', 'resourceId']));
  });

  it('API Gateway v1: nulls where AWS sends null, REGIONAL without CloudFront headers', () => {
    const e = gen<APIGatewayProxyEvent>('apigateway-v1', { endpointType: 'REGIONAL', resource: '/health', path: '/health' });
    expect(e.queryStringParameters).toBeNull();
    expect(e.multiValueQueryStringParameters).toBeNull();
    expect(e.pathParameters).toBeNull();
    expect(e.body).toBeNull();
    expect(Object.keys(e.headers).some((h) => h.startsWith('CloudFront-'))).toBe(false);
    expect(Object.keys(gen<APIGatewayProxyEvent>('apigateway-v1').headers)).toContain('CloudFront-Viewer-Country');
  });

  it('API Gateway v2 and Function URLs: payload format 2.0, cookies apart, repeats joined with commas', () => {
    const e = gen<APIGatewayProxyEventV2>('apigateway-v2', { path: '/a', method: 'PUT', query: { q: ['1', '2'] }, headers: { Cookie: 'a=1; b=2', 'X-Multi': ['p', 'q'] }, body: 'hi', routeKey: 'PUT /a' });
    expect(e).toMatchObject({ version: '2.0', routeKey: 'PUT /a', rawPath: '/a', rawQueryString: 'q=1&q=2', cookies: ['a=1', 'b=2'], queryStringParameters: { q: '1,2' }, body: 'hi', isBase64Encoded: false });
    expect(e.headers['x-multi']).toBe('p,q');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.headers['content-type']).toBe('text/plain');
    expect(e.requestContext.http).toEqual({ method: 'PUT', path: '/a', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' });
    expect(e.requestContext.timeEpoch).toBe(NOW);
    // [doc] absent members are left out, not null
    const bare = gen('apigateway-v2');
    for (const k of ['cookies', 'queryStringParameters', 'body', 'pathParameters', 'stageVariables']) expect(bare).not.toHaveProperty(k);

    const url = gen<LambdaFunctionURLEvent>('function-url', { body: 'x', base64: true });
    expect(url.requestContext.accountId).toBe('anonymous');
    expect(url.requestContext.domainName).toMatch(/^[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws$/);
    expect(url.routeKey).toBe('$default');
    expect(url.requestContext.stage).toBe('$default');
    expect(url.isBase64Encoded).toBe(true);
    expect(Buffer.from(url.body!, 'base64').toString()).toBe('x');
    const iam = gen<LambdaFunctionURLEvent>('function-url', { authType: 'AWS_IAM' });
    expect(iam.requestContext.accountId).toBe('123456789012');
    expect(Object.keys((iam.requestContext as any).authorizer.iam)).toEqual(['accessKey', 'accountId', 'callerId', 'cognitoIdentity', 'principalOrgId', 'userArn', 'userId']);
  });

  it('ALB: single-value by default, multi-value when asked, query values as sent', () => {
    const e = gen<ALBEvent>('alb', { path: '/lb', query: 'k=a b&k=c' });
    expect(e.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/lambda-target\/[0-9a-f]{16}$/);
    expect(e.queryStringParameters).toEqual({ k: 'c' });
    expect(e.body).toBe('');
    expect(e.multiValueHeaders).toBeUndefined();
    const m = gen<ALBEvent>('alb', { multiValue: true, query: 'k=a b&k=c' });
    expect(m.multiValueQueryStringParameters).toEqual({ k: ['a%20b', 'c'] });
    expect(m.headers).toBeUndefined();
    expect(m.multiValueHeaders!.host).toHaveLength(1);
  });
});

describe('CloudFront (Lambda@Edge)', () => {
  it('has the four event types with config, request and (for responses) response', () => {
    const vr = gen<CloudFrontRequestEvent>('cloudfront-viewer-request', { uri: '/img.png', querystring: 'w=10', headers: ['X-Custom: 1'] });
    const cf = vr.Records[0].cf;
    expect(cf.config).toEqual({ distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: expect.any(String) });
    expect(cf.request).toMatchObject({ clientIp: '203.0.113.178', method: 'GET', uri: '/img.png', querystring: 'w=10' });
    expect(cf.request.headers['x-custom']).toEqual([{ key: 'X-Custom', value: '1' }]);
    expect(cf.request.headers.host).toEqual([{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }]);
    expect(cf.request.origin).toBeUndefined();

    const or = gen<CloudFrontRequestEvent>('cloudfront-origin-request', { originType: 's3' });
    expect(or.Records[0].cf.request.origin!.s3).toMatchObject({ authMethod: 'origin-access-identity', domainName: 'example-bucket.s3.amazonaws.com', region: 'us-east-1' });
    expect(gen<CloudFrontRequestEvent>('cloudfront-origin-request').Records[0].cf.request.origin!.custom).toMatchObject({ domainName: 'example.org', port: 443, protocol: 'https' });

    const ors = gen<CloudFrontResponseEvent>('cloudfront-origin-response', { status: 404 });
    expect(ors.Records[0].cf.response).toMatchObject({ status: '404', statusDescription: 'Not Found' });
    expect(ors.Records[0].cf.request).toHaveProperty('origin');
    const vrs = gen<CloudFrontResponseEvent>('cloudfront-viewer-response', { responseHeaders: { 'cache-control': 'max-age=60' } });
    expect(vrs.Records[0].cf.config.eventType).toBe('viewer-response');
    expect(vrs.Records[0].cf.request).not.toHaveProperty('origin');
    expect(vrs.Records[0].cf.response.headers['cache-control']).toEqual([{ key: 'Cache-Control', value: 'max-age=60' }]);
  });

  it('exposes the body read-only and base64-encoded with IncludeBody, truncated past the limit', () => {
    const e = gen<CloudFrontRequestEvent>('cloudfront-viewer-request', { method: 'POST', body: 'name=x' });
    expect(e.Records[0].cf.request.body).toEqual({ inputTruncated: false, action: 'read-only', encoding: 'base64', data: Buffer.from('name=x').toString('base64') });
    const big = gen<CloudFrontRequestEvent>('cloudfront-viewer-request', { body: 'x'.repeat(50_000) });
    expect(big.Records[0].cf.request.body!.inputTruncated).toBe(true);
    expect(Buffer.from(big.Records[0].cf.request.body!.data, 'base64')).toHaveLength(40_960);
    expect(gen('cloudfront-viewer-request').Records[0].cf.request).not.toHaveProperty('body');
    expect(gen('cloudfront-viewer-request', { includeBody: true }).Records[0].cf.request.body.data).toBe('');
  });
});

describe('messaging', () => {
  it('SNS: message, subject (or null), attributes as {Type, Value}', () => {
    const e = gen<SNSEvent>('sns', { message: { order: 1 }, subject: 'Hi', attributes: { color: 'red', n: '3' } });
    const s = e.Records[0].Sns;
    expect(s).toMatchObject({ Type: 'Notification', Message: '{"order":1}', Subject: 'Hi', SignatureVersion: '1', Timestamp: '2025-01-02T03:04:05.678Z' });
    expect(s.MessageAttributes).toEqual({ color: { Type: 'String', Value: 'red' }, n: { Type: 'Number', Value: '3' } });
    expect(e.Records[0].EventSubscriptionArn.startsWith(`${s.TopicArn}:`)).toBe(true);
    expect(gen<SNSEvent>('sns', { subject: '' }).Records[0].Sns.Subject).toBeNull();
    expect(gen<SNSEvent>('sns').Records[0].Sns.MessageAttributes).toEqual({});
  });

  it('SQS: batch size, bodies, digests as SQS computes them, attributes', () => {
    const e = gen<SQSEvent>('sqs', { batchSize: 3, body: 'hello', attributes: ['kind=order', 'count=2'] });
    expect(e.Records).toHaveLength(3);
    expect(new Set(e.Records.map((r) => r.messageId)).size).toBe(3);
    const r = e.Records[0];
    expect(r.md5OfBody).toBe(createHash('md5').update('hello').digest('hex'));
    expect(r.messageAttributes).toEqual({
      kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' },
      count: { stringValue: '2', stringListValues: [], binaryListValues: [], dataType: 'Number' },
    });
    expect(r.md5OfMessageAttributes).toBe(md5OfAttributes({ kind: { DataType: 'String', StringValue: 'order' }, count: { DataType: 'Number', StringValue: '2' } }));
    expect(Object.keys(r.attributes)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    expect(gen<SQSEvent>('sqs').Records[0]).not.toHaveProperty('md5OfMessageAttributes');
    expect(gen<SQSEvent>('sqs', { bodies: ['a', 'b'] }).Records.map((x) => x.body)).toEqual(['a', 'b']);
  });

  it('SQS FIFO: group, deduplication id and increasing 20-digit sequence numbers', () => {
    const e = gen<SQSEvent>('sqs-fifo', { batchSize: 2, messageGroupId: 'g1', queue: 'orders' });
    expect(e.Records[0].eventSourceARN).toBe('arn:aws:sqs:us-east-1:123456789012:orders.fifo');
    const [a, b] = e.Records.map((x) => x.attributes);
    expect(Object.keys(a)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SequenceNumber', 'MessageGroupId', 'SenderId', 'MessageDeduplicationId', 'ApproximateFirstReceiveTimestamp']);
    expect(a.MessageGroupId).toBe('g1');
    expect(a.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(b.SequenceNumber!) > BigInt(a.SequenceNumber!)).toBe(true);
    expect(a.MessageDeduplicationId).not.toBe(b.MessageDeduplicationId);
    expect(gen<SQSEvent>('sqs-fifo', { body: 'x' }).Records[0].attributes.MessageDeduplicationId).toBe(createHash('sha256').update('x').digest('hex'));
  });

  it('EventBridge: envelope with source, detail-type, detail; time to the second; a schedule', () => {
    const e = gen<EventBridgeEvent<'Order Placed', { id: number }>>('eventbridge', { source: 'shop', detailType: 'Order Placed', detail: '{"id":1}', resources: ['arn:aws:x'] });
    expect(e).toEqual({ version: '0', id: expect.any(String), 'detail-type': 'Order Placed', source: 'shop', account: '123456789012', time: '2025-01-02T03:04:05Z', region: 'us-east-1', resources: ['arn:aws:x'], detail: { id: 1 } });
    const s = gen<ScheduledEvent>('eventbridge-scheduled', { rule: 'nightly' });
    expect(s).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', resources: ['arn:aws:events:us-east-1:123456789012:rule/nightly'], detail: {} });
    expect(() => gen('eventbridge', { detail: 'not json' })).toThrow(/--detail: must be a JSON object/);
  });
});

describe('streams, S3, async records', () => {
  it('Kinesis: data base64-encoded, partition key, batch, eventID from the shard and sequence number', () => {
    const e = gen<KinesisStreamEvent>('kinesis', { data: ['{"a":1}', 'two'], partitionKey: 'pk', shardId: 'shardId-000000000003' });
    expect(e.Records).toHaveLength(2);
    const [a, b] = e.Records;
    expect(Buffer.from(a.kinesis.data, 'base64').toString()).toBe('{"a":1}');
    expect(Buffer.from(b.kinesis.data, 'base64').toString()).toBe('two');
    expect(a.kinesis.partitionKey).toBe('pk');
    expect(a.kinesis.sequenceNumber).toMatch(/^\d{56}$/);
    expect(BigInt(b.kinesis.sequenceNumber) > BigInt(a.kinesis.sequenceNumber)).toBe(true);
    expect(a.eventID).toBe(`shardId-000000000003:${a.kinesis.sequenceNumber}`);
    expect(a.kinesis.approximateArrivalTimestamp).toBeCloseTo((NOW - 1000) / 1000, 3);
    expect(gen<KinesisStreamEvent>('kinesis', { batchSize: 4 }).Records).toHaveLength(4);
    const w = gen('kinesis', { windowSeconds: 60, state: { n: 1 } });
    expect(w).toMatchObject({ window: { start: '2025-01-02T03:04:00Z', end: '2025-01-02T03:05:00Z' }, state: { n: 1 }, shardId: 'shardId-000000000000', isFinalInvokeForWindow: false, isWindowTerminatedEarly: false });
  });

  it('S3: created with size and eTag, removed without; keys URL-encoded with + for spaces', () => {
    const put = gen<S3Event>('s3-put', { bucket: 'b1', key: 'my dir/a+b.txt', content: 'hello' });
    const o = put.Records[0].s3.object;
    expect(o).toMatchObject({ key: 'my+dir/a%2Bb.txt', size: 5, eTag: createHash('md5').update('hello').digest('hex') });
    expect(put.Records[0]).toMatchObject({ eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put' });
    expect(put.Records[0].s3.bucket).toMatchObject({ name: 'b1', arn: 'arn:aws:s3:::b1' });
    const del = gen<S3Event>('s3-delete', { key: 'k' });
    expect(Object.keys(del.Records[0].s3.object)).toEqual(['key', 'sequencer']);
    expect(del.Records[0].eventName).toBe('ObjectRemoved:Delete');
    expect(() => gen('s3-put', { eventName: 'ObjectRemoved:Delete' })).toThrow(/--event-name: must be one of/);
  });

  it('destination records: success and failure as lambda/async writes them; EventBridge form', () => {
    const s = gen('destination-success', { functionName: 'fn', requestPayload: { a: 1 }, responsePayload: 'done' });
    expect(s).toEqual({
      version: '1.0',
      timestamp: '2025-01-02T03:04:05.678Z',
      requestContext: { requestId: expect.any(String), functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST', condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { a: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: 'done',
    });
    const f = gen('destination-failure', { condition: 'EventAgeExceeded', errorMessage: 'bad', qualifier: '3' });
    expect(f.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 3, functionArn: expect.stringMatching(/:function:example-function:3$/) });
    expect(f.responseContext).toEqual({ statusCode: 200, executedVersion: '3', functionError: 'Unhandled' });
    expect(f.responsePayload).toMatchObject({ errorType: 'Error', errorMessage: 'bad' });
    const eb = gen('destination-failure', { via: 'eventbridge' });
    expect(eb).toMatchObject({ source: 'lambda', 'detail-type': 'Lambda Function Invocation Result - Failure', detail: { version: '1.0' } });
    expect(eb.resources[0]).toBe('arn:aws:events:us-east-1:123456789012:event-bus/default');
  });

  it('DLQ: the original event as the body with RequestID, ErrorCode, ErrorMessage (SQS or SNS)', () => {
    const q = gen<SQSEvent>('dlq', { event: { order: 9 }, errorMessage: 'boom', requestId: 'req-1' });
    expect(JSON.parse(q.Records[0].body)).toEqual({ order: 9 });
    expect(q.Records[0].messageAttributes).toEqual({
      RequestID: { stringValue: 'req-1', stringListValues: [], binaryListValues: [], dataType: 'String' },
      ErrorCode: { stringValue: '200', stringListValues: [], binaryListValues: [], dataType: 'Number' },
      ErrorMessage: { stringValue: 'boom', stringListValues: [], binaryListValues: [], dataType: 'String' },
    });
    expect(q.Records[0].eventSourceARN).toMatch(/:example-dlq$/);
    const t = gen<SNSEvent>('dlq', { via: 'sns', requestId: 'req-2' });
    expect(t.Records[0].Sns.MessageAttributes.RequestID).toEqual({ Type: 'String', Value: 'req-2' });
    expect(t.Records[0].Sns.MessageAttributes.ErrorCode).toEqual({ Type: 'Number', Value: '200' });
    expect(t.Records[0].Sns.Subject).toBeNull();
  });
});

describe('bad options', () => {
  const fails = (name: string, options: Record<string, unknown>) => {
    try {
      generateEvent(name, options);
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      const message = (e as Error).message;
      expect(message).not.toMatch(/\n/);
      return message;
    }
    throw new Error('expected a TemplateError');
  };

  it('names the unknown trigger or option and lists what there is', () => {
    expect(fails('apigateway', {})).toBe(`unknown trigger "apigateway" (one of: ${TEMPLATE_NAMES.join(', ')})`);
    expect(fails('sqs', { partitionKey: 'x' })).toMatch(/^unknown option --partition-key for sqs \(its options: --body, --bodies, --batch-size/);
  });

  it('refuses values of the wrong type or out of range', () => {
    expect(fails('sqs', { batchSize: 'many' })).toBe('--batch-size: expected a whole number, got "many"');
    expect(fails('sqs', { batchSize: 0 })).toBe('--batch-size: must be from 1 to 10000, got 0');
    expect(fails('sqs-fifo', { batchSize: '11' })).toBe('--batch-size: must be from 1 to 10, got 11');
    expect(fails('apigateway-v1', { method: 'FETCH' })).toMatch(/^--method: must be one of GET, POST/);
    expect(fails('alb', { multiValue: 'maybe' })).toBe('--multi-value: expected true or false, got "maybe"');
    expect(fails('apigateway-v1', { headers: 'no separator' })).toMatch(/^--headers: expected name=value or "Name: value" or a JSON object/);
    expect(fails('apigateway-v1', { headers: '{bad json' })).toBe('--headers: is not a valid JSON object');
    expect(fails('kinesis', { data: '[oops' })).toBe('--data: is not a valid JSON array');
  });

  it('takes command-line strings: numbers, booleans and JSON as text', () => {
    const e = generateEvent('sqs', { batchSize: '2', body: '{"a":1}' }) as any;
    expect(e.Records).toHaveLength(2);
    expect(e.Records[0].body).toBe('{"a":1}');
    expect((generateEvent('alb', { multiValue: 'yes' }) as any).multiValueHeaders).toBeDefined();
  });
});

describe("the same structure as this cloud's own producers", () => {
  const template = (name: string) => findTemplate(name)!;
  const diff = (name: string, mine: unknown, theirs: unknown) => shapeDiff(mine, theirs, { maps: template(name).mapPaths, free: template(name).freePaths });

  function message(over: Partial<SqsMessage> = {}): SqsMessage {
    return {
      messageId: 'm-1',
      body: 'b',
      md5OfBody: 'x',
      messageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      md5OfMessageAttributes: 'y',
      messageSystemAttributes: {},
      senderId: 'AIDA',
      sentTimestamp: 1,
      receiveCount: 1,
      firstReceiveTimestamp: 2,
      ...over,
    };
  }

  it('SQS standard and FIFO records (lambda/pollers/sqs-event.ts)', () => {
    const std = sqsRecord(message(), 'rh', { queueArn: 'arn:aws:sqs:us-east-1:0:q', region: 'us-east-1', windowed: false });
    expect(diff('sqs', gen('sqs', { attributes: { k: 'v' } }), { Records: [std] })).toEqual([]);
    const fifo = sqsRecord(message({ messageGroupId: 'g', messageDeduplicationId: 'd', sequenceNumber: '1' }), 'rh', { queueArn: 'arn:aws:sqs:us-east-1:0:q.fifo', region: 'us-east-1', windowed: false });
    expect(diff('sqs-fifo', gen('sqs-fifo', { attributes: { k: 'v' } }), { Records: [fifo] })).toEqual([]);
    // and a real difference is seen
    expect(diff('sqs', gen('sqs'), { Records: [std] })).toEqual(['Records[].md5OfMessageAttributes: missing on the left']);
  });

  it('Kinesis records (lambda/pollers/kinesis-event.ts)', () => {
    const rec = kinesisRecord({ shardId: 's', sequenceNumber: '1', partitionKey: 'p', data: Buffer.from('d'), approximateArrivalTimestamp: 1 }, { role: 'r', region: 'us-east-1', streamArn: 'a' });
    expect(diff('kinesis', gen('kinesis'), { Records: [rec] })).toEqual([]);
  });

  it('destination records (lambda/async/records.ts)', () => {
    const base = { requestId: 'r', functionArn: 'f', approximateInvokeCount: 1, timestamp: 0, requestPayload: Buffer.from('{"a":1}') };
    const ok = invocationRecord({ ...base, condition: 'Success', last: { statusCode: 200, executedVersion: '$LATEST', payload: Buffer.from('{"b":2}') } });
    expect(diff('destination-success', gen('destination-success'), ok)).toEqual([]);
    const failed = invocationRecord({ ...base, condition: 'RetriesExhausted', last: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorType":"Error"}') } });
    expect(diff('destination-failure', gen('destination-failure'), failed)).toEqual([]);
  });
});
