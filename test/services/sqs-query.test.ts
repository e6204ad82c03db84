/**
 * SQS over the query protocol on the wire: raw form POSTs (and GETs) to a started cloud, for every
 * operation, signed and unsigned, to the root and to a queue's own URL, independent of which
 * protocol the installed AWS CLI or boto3 speaks. Also the JSON protocol's error envelope and the
 * router's choice of SQS for form posts.
 */
import { XMLParser } from 'fast-xml-parser';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { Clock } from '../../src/cloud/clock';
import { iamService } from '../../src/cloud/services/iam';
import { IamStore } from '../../src/cloud/services/iam/store';
import { SQS_NAMESPACE, sqsOperations } from '../../src/cloud/services/sqs';
import { SqsStore } from '../../src/cloud/services/sqs/store';
import { stsService } from '../../src/cloud/services/sts';
import { md5, md5OfAttributes } from './sqs-helpers';

const ACCOUNT = '000000000000';
const AUTH = (region = 'us-east-1', service = 'sqs') =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000`;

/** Elements that repeat (flattened lists and maps) always parse as arrays. */
const REPEATED = new Set([
  'QueueUrl',
  'Attribute',
  'Message',
  'MessageAttribute',
  'Tag',
  'SendMessageBatchResultEntry',
  'DeleteMessageBatchResultEntry',
  'ChangeMessageVisibilityBatchResultEntry',
  'BatchResultErrorEntry',
  'ListMessageMoveTasksResultEntry',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name, jpath) => {
    const path = String(jpath);
    if (name === 'QueueUrl') return /(ListQueues|ListDeadLetterSourceQueues)Result\.QueueUrl$/.test(path);
    if (name === 'Message') return path.endsWith('ReceiveMessageResult.Message');
    return REPEATED.has(name);
  },
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  doc: any;
}

let cloud: RunningCloud;
let endpoint: string;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  endpoint = cloud.endpoint;
});
afterAll(async () => {
  await cloud?.stop();
});

type Params = Record<string, string | number>;

/** A form POST (or a GET with the parameters in the query string) of `Action` with `params`. */
async function query(action: string, params: Params = {}, opts: { path?: string; sign?: boolean; get?: boolean; version?: string | null } = {}): Promise<Answer> {
  const form = new URLSearchParams({ Action: action });
  if (opts.version !== null) form.set('Version', opts.version ?? '2012-11-05');
  for (const [k, v] of Object.entries(params)) form.set(k, String(v));
  const headers: Record<string, string> = {};
  if (opts.sign !== false) headers.authorization = AUTH();
  const path = opts.path ?? '/';
  let res: Response;
  if (opts.get) {
    res = await fetch(`${endpoint}${path}?${form.toString()}`, { headers });
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    res = await fetch(`${endpoint}${path}`, { method: 'POST', headers, body: form.toString() });
  }
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, doc: parser.parse(text) };
}

/** The `<Action>Result` of a successful answer (fails the test with the body otherwise). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok(action: string, params: Params = {}, opts: Parameters<typeof query>[2] = {}): Promise<any> {
  const r = await query(action, params, opts);
  if (r.status !== 200) throw new Error(`${action} answered ${r.status}: ${r.text}`);
  expect(r.headers.get('content-type')).toBe('text/xml');
  const root = r.doc[`${action}Response`];
  expect(root['@_xmlns']).toBe(SQS_NAMESPACE);
  expect(typeof root.ResponseMetadata.RequestId).toBe('string');
  expect(root.ResponseMetadata.RequestId).toBe(r.headers.get('x-amzn-requestid'));
  return root[`${action}Result`];
}

/** A failed answer: its status and <Error>. */
async function fail(action: string, params: Params = {}, opts: Parameters<typeof query>[2] = {}) {
  const r = await query(action, params, opts);
  expect(r.status).not.toBe(200);
  const e = r.doc.ErrorResponse;
  expect(e).toBeDefined();
  expect(e.RequestId).toBe(r.headers.get('x-amzn-requestid'));
  return { status: r.status, type: e.Error.Type, code: e.Error.Code, message: e.Error.Message, detail: e.Error.Detail, xmlns: e['@_xmlns'], text: r.text };
}

const urlOf = (name: string) => `${endpoint}/${ACCOUNT}/${name}`;
const arnOf = (name: string, region = 'us-east-1') => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
let seq = 0;
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${++seq}`;

describe('query protocol: every operation by raw form posts', () => {
  test('queues: Create, GetQueueUrl, List, attributes, tags, permissions, DLQ sources, Purge, Delete', async () => {
    const name = unique('qq');
    const dlqName = `${name}-dlq`;

    const created = await ok('CreateQueue', {
      QueueName: name,
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '40',
      'Attribute.2.Name': 'DelaySeconds',
      'Attribute.2.Value': '0',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'a',
    });
    expect(created.QueueUrl).toBe(urlOf(name));
    expect((await ok('CreateQueue', { QueueName: dlqName })).QueueUrl).toBe(urlOf(dlqName));
    // The same attributes again is idempotent; different ones are QueueAlreadyExists.
    expect((await ok('CreateQueue', { QueueName: name, 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '40' })).QueueUrl).toBe(urlOf(name));
    const exists = await fail('CreateQueue', { QueueName: name, 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '41' });
    expect([exists.status, exists.type, exists.code]).toEqual([400, 'Sender', 'QueueAlreadyExists']);

    expect((await ok('GetQueueUrl', { QueueName: name })).QueueUrl).toBe(urlOf(name));
    expect((await ok('GetQueueUrl', { QueueName: name, QueueOwnerAWSAccountId: ACCOUNT })).QueueUrl).toBe(urlOf(name));

    const listed = await ok('ListQueues', { QueueNamePrefix: name });
    expect(listed.QueueUrl).toEqual([urlOf(name), urlOf(dlqName)]);
    const page = await ok('ListQueues', { QueueNamePrefix: name, MaxResults: 1 });
    expect(page.QueueUrl).toEqual([urlOf(name)]);
    expect(typeof page.NextToken).toBe('string');
    const page2 = await ok('ListQueues', { QueueNamePrefix: name, MaxResults: 1, NextToken: page.NextToken });
    expect(page2.QueueUrl).toEqual([urlOf(dlqName)]);
    expect(await ok('ListQueues', { QueueNamePrefix: `${name}-nothing` })).toBe('');

    const attrs = async (url: string, ...names: string[]) => {
      const p: Params = { QueueUrl: url };
      names.forEach((n, i) => (p[`AttributeName.${i + 1}`] = n));
      const r = await ok('GetQueueAttributes', p);
      return Object.fromEntries(((r || {}).Attribute ?? []).map((a: { Name: string; Value: string }) => [a.Name, a.Value]));
    };
    const all = await attrs(urlOf(name), 'All');
    expect(all).toMatchObject({ VisibilityTimeout: '40', DelaySeconds: '0', QueueArn: arnOf(name), ApproximateNumberOfMessages: '0' });
    expect(await attrs(urlOf(name), 'QueueArn')).toEqual({ QueueArn: arnOf(name) });
    const unknown = await fail('GetQueueAttributes', { QueueUrl: urlOf(name), 'AttributeName.1': 'Foobar' });
    expect([unknown.code, unknown.message]).toEqual(['InvalidAttributeName', 'Unknown Attribute Foobar.']);

    const redrive = JSON.stringify({ deadLetterTargetArn: arnOf(dlqName), maxReceiveCount: 3 });
    expect(
      await query('SetQueueAttributes', { QueueUrl: urlOf(name), 'Attribute.1.Name': 'RedrivePolicy', 'Attribute.1.Value': redrive, 'Attribute.2.Name': 'VisibilityTimeout', 'Attribute.2.Value': '45' }),
    ).toMatchObject({ status: 200 });
    const after = await attrs(urlOf(name), 'VisibilityTimeout', 'RedrivePolicy');
    expect(after.VisibilityTimeout).toBe('45');
    expect(JSON.parse(after.RedrivePolicy)).toEqual({ deadLetterTargetArn: arnOf(dlqName), maxReceiveCount: 3 });

    expect((await ok('ListDeadLetterSourceQueues', { QueueUrl: urlOf(dlqName) })).QueueUrl).toEqual([urlOf(name)]);
    expect(await ok('ListDeadLetterSourceQueues', { QueueUrl: urlOf(name) })).toBe('');

    const tags = async () => Object.fromEntries(((await ok('ListQueueTags', { QueueUrl: urlOf(name) })) || {}).Tag?.map((t: { Key: string; Value: string }) => [t.Key, t.Value]) ?? []);
    expect(await tags()).toEqual({ team: 'a' });
    const tagged = await query('TagQueue', { QueueUrl: urlOf(name), 'Tag.1.Key': 'env', 'Tag.1.Value': 'dev', 'Tag.2.Key': 'blank', 'Tag.2.Value': '' });
    expect(tagged.status).toBe(200);
    expect(tagged.text).toMatch(/^<TagQueueResponse xmlns="[^"]+"><ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata><\/TagQueueResponse>$/);
    expect(await tags()).toEqual({ team: 'a', env: 'dev', blank: '' });
    expect((await query('UntagQueue', { QueueUrl: urlOf(name), 'TagKey.1': 'team', 'TagKey.2': 'blank' })).status).toBe(200);
    expect(await tags()).toEqual({ env: 'dev' });

    expect(
      (await query('AddPermission', { QueueUrl: urlOf(name), Label: 'p1', 'AWSAccountId.1': '111122223333', 'ActionName.1': 'SendMessage', 'ActionName.2': 'ReceiveMessage' })).status,
    ).toBe(200);
    const policy = JSON.parse((await attrs(urlOf(name), 'Policy')).Policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Sid: 'p1', Effect: 'Allow', Action: ['SQS:SendMessage', 'SQS:ReceiveMessage'], Resource: arnOf(name) }),
    ]);
    expect((await query('RemovePermission', { QueueUrl: urlOf(name), Label: 'p1' })).status).toBe(200);
    expect((await attrs(urlOf(name), 'Policy')).Policy).toBeUndefined();

    expect((await query('PurgeQueue', { QueueUrl: urlOf(dlqName) })).status).toBe(200);
    const again = await fail('PurgeQueue', { QueueUrl: urlOf(dlqName) });
    expect([again.status, again.code]).toEqual([403, 'AWS.SimpleQueueService.PurgeQueueInProgress']);

    const deleted = await query('DeleteQueue', { QueueUrl: urlOf(dlqName) });
    expect(deleted.text).toMatch(/^<DeleteQueueResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata><\/DeleteQueueResponse>$/);
    const gone = await fail('GetQueueUrl', { QueueName: dlqName });
    expect(gone).toMatchObject({
      status: 400,
      type: 'Sender',
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      message: 'The specified queue does not exist for this wsdl version.',
      detail: '',
      xmlns: SQS_NAMESPACE,
    });
    expect(await ok('DeleteQueue', { QueueUrl: urlOf(name) })).toBeUndefined();
  });

  test('messages: Send (+attributes), SendBatch, Receive, ChangeVisibility (+Batch), Delete (+Batch)', async () => {
    const name = unique('qm');
    const url = (await ok('CreateQueue', { QueueName: name })).QueueUrl as string;

    const body = 'héllo <world> & "you"\r\nline2\ttab';
    const bin = Buffer.from([0, 1, 2, 250, 255]);
    const sent = await ok('SendMessage', {
      QueueUrl: url,
      MessageBody: body,
      'MessageAttribute.1.Name': 'colour',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'red',
      'MessageAttribute.2.Name': 'blob',
      'MessageAttribute.2.Value.DataType': 'Binary',
      'MessageAttribute.2.Value.BinaryValue': bin.toString('base64'),
      'MessageAttribute.3.Name': 'n',
      'MessageAttribute.3.Value.DataType': 'Number',
      'MessageAttribute.3.Value.StringValue': '42',
      'MessageSystemAttribute.1.Name': 'AWSTraceHeader',
      'MessageSystemAttribute.1.Value.DataType': 'String',
      'MessageSystemAttribute.1.Value.StringValue': 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    const attrsIn = { colour: { DataType: 'String', StringValue: 'red' }, blob: { DataType: 'Binary', BinaryValue: bin }, n: { DataType: 'Number', StringValue: '42' } };
    expect(sent.MD5OfMessageBody).toBe(md5(body));
    expect(sent.MD5OfMessageAttributes).toBe(md5OfAttributes(attrsIn));
    // The same scheme over the system attributes (reference §6, unconfirmed there).
    expect(sent.MD5OfMessageSystemAttributes).toBe(md5OfAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } }));
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const batch = await ok('SendMessageBatch', {
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'b1',
      'SendMessageBatchRequestEntry.1.MessageBody': 'one',
      'SendMessageBatchRequestEntry.2.Id': 'b2',
      'SendMessageBatchRequestEntry.2.MessageBody': 'two',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Name': 'k',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType': 'String',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue': 'v',
      'SendMessageBatchRequestEntry.3.Id': 'b3',
      'SendMessageBatchRequestEntry.3.MessageBody': 'bad \u0001',
    });
    expect(batch.SendMessageBatchResultEntry.map((e: { Id: string }) => e.Id)).toEqual(['b1', 'b2']);
    expect(batch.SendMessageBatchResultEntry[0]).toMatchObject({ MD5OfMessageBody: md5('one') });
    expect(batch.SendMessageBatchResultEntry[1]).toMatchObject({ MD5OfMessageBody: md5('two'), MD5OfMessageAttributes: md5OfAttributes({ k: { DataType: 'String', StringValue: 'v' } }) });
    expect(batch.BatchResultErrorEntry).toEqual([expect.objectContaining({ Id: 'b3', SenderFault: 'true', Code: 'InvalidMessageContents' })]);

    const received = await ok('ReceiveMessage', {
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      'AttributeName.1': 'All',
      'MessageAttributeName.1': 'All',
      VisibilityTimeout: 60,
    });
    const messages = received.Message as { MessageId: string; ReceiptHandle: string; Body: string; MD5OfBody: string; Attribute: { Name: string; Value: string }[]; MD5OfMessageAttributes?: string; MessageAttribute?: { Name: string; Value: Record<string, string> }[] }[];
    expect(messages.map((m) => m.Body).sort()).toEqual([body, 'one', 'two'].sort());
    const first = messages.find((m) => m.MessageId === sent.MessageId)!;
    // The CR survived the XML round trip (sent as &#xD;), so the body and its MD5 agree.
    expect(first.Body).toBe(body);
    expect(first.MD5OfBody).toBe(md5(body));
    const sys = Object.fromEntries(first.Attribute.map((a) => [a.Name, a.Value]));
    expect(sys).toMatchObject({ ApproximateReceiveCount: '1', AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' });
    expect(Number(sys.SentTimestamp)).toBeGreaterThan(0);
    expect(first.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    const mattrs = Object.fromEntries(first.MessageAttribute!.map((a) => [a.Name, a.Value]));
    expect(mattrs).toEqual({
      colour: { StringValue: 'red', DataType: 'String' },
      blob: { BinaryValue: bin.toString('base64'), DataType: 'Binary' },
      n: { StringValue: '42', DataType: 'Number' },
    });
    // The XML order of a message's members is the model's.
    const raw = (await query('GetQueueAttributes', { QueueUrl: url, 'AttributeName.1': 'ApproximateNumberOfMessagesNotVisible' })).doc.GetQueueAttributesResponse.GetQueueAttributesResult;
    expect(raw.Attribute).toEqual([{ Name: 'ApproximateNumberOfMessagesNotVisible', Value: '3' }]);

    // Nothing visible now: an empty result element.
    expect(await ok('ReceiveMessage', { QueueUrl: url })).toBe('');

    const byBody = (b: string) => messages.find((m) => m.Body === b)!;
    expect((await query('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: byBody('one').ReceiptHandle, VisibilityTimeout: 0 })).status).toBe(200);
    const cv = await ok('ChangeMessageVisibilityBatch', {
      QueueUrl: url,
      'ChangeMessageVisibilityBatchRequestEntry.1.Id': 'c1',
      'ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle': byBody('two').ReceiptHandle,
      'ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout': 0,
      'ChangeMessageVisibilityBatchRequestEntry.2.Id': 'c2',
      'ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle': 'not-a-handle',
      'ChangeMessageVisibilityBatchRequestEntry.2.VisibilityTimeout': 0,
    });
    expect(cv.ChangeMessageVisibilityBatchResultEntry).toEqual([{ Id: 'c1' }]);
    expect(cv.BatchResultErrorEntry).toEqual([expect.objectContaining({ Id: 'c2', SenderFault: 'true', Code: 'ReceiptHandleIsInvalid' })]);

    const again = await ok('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, 'MessageSystemAttributeName.1': 'ApproximateReceiveCount' });
    expect(again.Message.map((m: { Body: string }) => m.Body).sort()).toEqual(['one', 'two']);
    for (const m of again.Message) expect(m.Attribute).toEqual([{ Name: 'ApproximateReceiveCount', Value: '2' }]);

    expect((await query('DeleteMessage', { QueueUrl: url, ReceiptHandle: first.ReceiptHandle })).status).toBe(200);
    const del = await ok('DeleteMessageBatch', {
      QueueUrl: url,
      'DeleteMessageBatchRequestEntry.1.Id': 'd1',
      'DeleteMessageBatchRequestEntry.1.ReceiptHandle': again.Message[0].ReceiptHandle,
      'DeleteMessageBatchRequestEntry.2.Id': 'd2',
      'DeleteMessageBatchRequestEntry.2.ReceiptHandle': again.Message[1].ReceiptHandle,
      'DeleteMessageBatchRequestEntry.3.Id': 'd3',
      'DeleteMessageBatchRequestEntry.3.ReceiptHandle': 'garbage',
    });
    expect(del.DeleteMessageBatchResultEntry).toEqual([{ Id: 'd1' }, { Id: 'd2' }]);
    expect(del.BatchResultErrorEntry).toEqual([expect.objectContaining({ Id: 'd3', SenderFault: 'true', Code: 'ReceiptHandleIsInvalid' })]);

    const counts = await ok('GetQueueAttributes', { QueueUrl: url, 'AttributeName.1': 'ApproximateNumberOfMessages', 'AttributeName.2': 'ApproximateNumberOfMessagesNotVisible' });
    expect(counts.Attribute).toEqual([
      { Name: 'ApproximateNumberOfMessages', Value: '0' },
      { Name: 'ApproximateNumberOfMessagesNotVisible', Value: '0' },
    ]);

    const empty = await fail('SendMessageBatch', { QueueUrl: url });
    expect([empty.code, empty.message]).toEqual(['AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.']);
    const bad = await fail('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 50 });
    expect([bad.code, bad.message]).toEqual(['InvalidParameterValue', 'Value 50 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.']);
    const nan = await fail('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 'ten' });
    expect([nan.status, nan.code]).toEqual([400, 'InvalidParameterValue']);
    const missing = await fail('SendMessage', { QueueUrl: url });
    expect([missing.code, missing.message]).toEqual(['MissingParameter', 'The request must contain the parameter MessageBody.']);
  });

  test('FIFO: SequenceNumber in SendMessage and SendMessageBatch results', async () => {
    const name = `${unique('qf')}.fifo`;
    const url = (await ok('CreateQueue', { QueueName: name, 'Attribute.1.Name': 'FifoQueue', 'Attribute.1.Value': 'true', 'Attribute.2.Name': 'ContentBasedDeduplication', 'Attribute.2.Value': 'true' })).QueueUrl;
    const one = await ok('SendMessage', { QueueUrl: url, MessageBody: 'a', MessageGroupId: 'g' });
    expect(one.SequenceNumber).toMatch(/^\d+$/);
    const two = await ok('SendMessageBatch', {
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'x',
      'SendMessageBatchRequestEntry.1.MessageBody': 'b',
      'SendMessageBatchRequestEntry.1.MessageGroupId': 'g',
    });
    expect(BigInt(two.SendMessageBatchResultEntry[0].SequenceNumber)).toBeGreaterThan(BigInt(one.SequenceNumber));
    const r = await ok('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, 'MessageSystemAttributeName.1': 'All' });
    expect(r.Message.map((m: { Body: string }) => m.Body)).toEqual(['a', 'b']);
    const sys = Object.fromEntries(r.Message[0].Attribute.map((a: { Name: string; Value: string }) => [a.Name, a.Value]));
    expect(sys).toMatchObject({ MessageGroupId: 'g', SequenceNumber: one.SequenceNumber });
  });

  test('message move tasks: Start, List, Cancel', async () => {
    const src = unique('qs');
    const dlq = `${src}-dlq`;
    const srcUrl = (await ok('CreateQueue', { QueueName: src })).QueueUrl;
    const dlqUrl = (await ok('CreateQueue', { QueueName: dlq })).QueueUrl;
    await ok('SetQueueAttributes', {
      QueueUrl: srcUrl,
      'Attribute.1.Name': 'RedrivePolicy',
      'Attribute.1.Value': JSON.stringify({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 1 }),
    });
    for (let i = 0; i < 5; i++) await ok('SendMessage', { QueueUrl: dlqUrl, MessageBody: `m${i}` });

    const started = await ok('StartMessageMoveTask', { SourceArn: arnOf(dlq), DestinationArn: arnOf(src), MaxNumberOfMessagesPerSecond: 1 });
    expect(typeof started.TaskHandle).toBe('string');
    const listed = await ok('ListMessageMoveTasks', { SourceArn: arnOf(dlq), MaxResults: 10 });
    expect(listed.ListMessageMoveTasksResultEntry).toHaveLength(1);
    expect(listed.ListMessageMoveTasksResultEntry[0]).toMatchObject({
      TaskHandle: started.TaskHandle,
      Status: 'RUNNING',
      SourceArn: arnOf(dlq),
      DestinationArn: arnOf(src),
      MaxNumberOfMessagesPerSecond: '1',
    });
    expect(Number(listed.ListMessageMoveTasksResultEntry[0].StartedTimestamp)).toBeGreaterThan(0);
    const cancelled = await ok('CancelMessageMoveTask', { TaskHandle: started.TaskHandle });
    expect(Number(cancelled.ApproximateNumberOfMessagesMoved)).toBeGreaterThanOrEqual(0);
    const noTask = await fail('CancelMessageMoveTask', { TaskHandle: started.TaskHandle });
    expect([noTask.status, noTask.code]).toEqual([404, 'ResourceNotFoundException']);
  });
});

describe('query protocol: the queue URL as endpoint, GET, signatures, Version', () => {
  let name: string;
  let url: string;
  beforeAll(async () => {
    name = unique('qp');
    url = (await ok('CreateQueue', { QueueName: name })).QueueUrl;
  });

  test('posted to the queue URL without QueueUrl, unsigned and without Version (AWS-validated)', async () => {
    const path = `/${ACCOUNT}/${name}`;
    await ok('SendMessage', { MessageBody: 'via path' }, { path, sign: false, version: null });
    const attrs = await ok('GetQueueAttributes', { 'AttributeName.1': 'All' }, { path, get: true, sign: false, version: null });
    expect(attrs.Attribute).toEqual(expect.arrayContaining([{ Name: 'QueueArn', Value: arnOf(name) }, { Name: 'ApproximateNumberOfMessages', Value: '1' }]));
    const r = await ok('ReceiveMessage', { VisibilityTimeout: 0 }, { path, get: true });
    expect(r.Message[0].Body).toBe('via path');
    // GetQueueUrl works there too, for any queue.
    expect((await ok('GetQueueUrl', { QueueName: name }, { path })).QueueUrl).toBe(url);
  });

  test('an explicit QueueUrl wins over the path', async () => {
    const other = unique('qo');
    const otherUrl = (await ok('CreateQueue', { QueueName: other })).QueueUrl;
    const attrs = await ok('GetQueueAttributes', { QueueUrl: otherUrl, 'AttributeName.1': 'QueueArn' }, { path: `/${ACCOUNT}/${name}` });
    expect(attrs.Attribute).toEqual([{ Name: 'QueueArn', Value: arnOf(other) }]);
  });

  test('CreateQueue and ListQueues on a queue URL are InvalidAction', async () => {
    for (const action of ['CreateQueue', 'ListQueues']) {
      const e = await fail(action, { QueueName: 'x' }, { path: `/${ACCOUNT}/${name}` });
      expect(e).toMatchObject({ status: 400, type: 'Sender', code: 'InvalidAction', message: `The action ${action} is not valid for this endpoint.` });
    }
  });

  test('a deleted queue\'s URL: NonExistentQueue in the query wording', async () => {
    const gone = unique('qg');
    const goneUrl = (await ok('CreateQueue', { QueueName: gone })).QueueUrl;
    await ok('DeleteQueue', { QueueUrl: goneUrl });
    const e = await fail('GetQueueAttributes', { 'AttributeName.1': 'QueueArn' }, { path: `/${ACCOUNT}/${gone}` });
    expect(e).toMatchObject({ status: 400, code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist for this wsdl version.' });
  });

  test('region from the signature: queues are per region', async () => {
    const post = (action: string, params: Params, region: string) =>
      fetch(`${endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH(region) },
        body: new URLSearchParams({ Action: action, Version: '2012-11-05', ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) }).toString(),
      }).then(async (r) => ({ status: r.status, doc: parser.parse(await r.text()) }));
    const n = unique('qr');
    expect((await post('CreateQueue', { QueueName: n }, 'eu-west-1')).status).toBe(200);
    const attrs = await post('GetQueueAttributes', { QueueUrl: urlOf(n), 'AttributeName.1': 'QueueArn' }, 'eu-west-1');
    expect(attrs.doc.GetQueueAttributesResponse.GetQueueAttributesResult.Attribute).toEqual([{ Name: 'QueueArn', Value: arnOf(n, 'eu-west-1') }]);
    expect((await post('GetQueueUrl', { QueueName: n }, 'us-east-1')).status).toBe(400);
  });

  test('a GET or POST to a queue URL without an Action is <UnknownOperationException/> with 404 (AWS-validated)', async () => {
    for (const init of [{}, { method: 'POST', headers: { accept: 'application/json' }, body: '' }] as RequestInit[]) {
      const res = await fetch(url, init);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('<UnknownOperationException');
    }
    // The other path forms name queues too; a path that names no queue stays a plain unknown route.
    expect((await fetch(`${endpoint}/queue/us-east-1/${ACCOUNT}/${name}`)).status).toBe(404);
    const other = await fetch(`${endpoint}/not/a/queue/path/at-all`);
    expect(await other.text()).not.toContain('UnknownOperationException/>');
  });

  test('unknown Action, wrong Version', async () => {
    const unknown = await fail('FooBar', {});
    expect(unknown).toMatchObject({ status: 400, type: 'Sender', code: 'InvalidAction', message: 'The action FooBar is not valid for this endpoint.' });
    const unsigned = await fail('FooBar', {}, { sign: false });
    expect(unsigned).toMatchObject({ status: 400, code: 'InvalidAction', message: 'The action FooBar is not valid for this endpoint.' });
    const version = await fail('ListQueues', {}, { version: '2009-02-01' });
    expect(version).toMatchObject({ status: 400, code: 'InvalidAction' });
  });
});

describe('routing and the JSON protocol\'s envelope', () => {
  test('no SQS action is also an IAM or STS action, so unsigned form posts reach SQS', async () => {
    const iam = new IamStore();
    const others = new Set([...Object.keys(iamService(iam).operations), ...(Object.keys(stsService(iam).operations) as string[])]);
    const sqs = Object.keys(sqsOperations(new SqsStore(new Clock())));
    expect(sqs).toHaveLength(23);
    expect(sqs.filter((a) => others.has(a))).toEqual([]);
    // Unsigned, with and without Version: answered by SQS (its namespace), not IAM or STS.
    const n = unique('qu');
    for (const [action, params] of [
      ['CreateQueue', { QueueName: n }],
      ['ListQueues', { QueueNamePrefix: n }],
      ['GetQueueUrl', { QueueName: n }],
      ['TagQueue', { QueueUrl: urlOf(n), 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' }],
      ['ListQueueTags', { QueueUrl: urlOf(n) }],
      ['SendMessage', { QueueUrl: urlOf(n), MessageBody: 'x' }],
    ] as [string, Params][]) {
      for (const version of [undefined, null] as const) {
        const r = await query(action, params, { sign: false, version });
        expect({ action, status: r.status }).toEqual({ action, status: 200 });
        expect(r.doc[`${action}Response`]['@_xmlns']).toBe(SQS_NAMESPACE);
      }
    }
  });

  test('JSON 1.0: QueueDoesNotExist with x-amzn-query-error and __type', async () => {
    const res = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl', authorization: AUTH() },
      body: JSON.stringify({ QueueName: unique('nope') }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(await res.json()).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });

  test('JSON 1.0 and query see the same queues', async () => {
    const n = unique('qj');
    const res = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue', authorization: AUTH() },
      body: JSON.stringify({ QueueName: n }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ QueueUrl: urlOf(n) });
    expect((await ok('GetQueueUrl', { QueueName: n })).QueueUrl).toBe(urlOf(n));
  });
});
