/**
 * The SQS query adapters (src/cloud/services/sqs/query.ts) over fake JSON-shaped operations: every
 * operation's form input mapped to the JSON shape, every output laid out as AWS's XML, errors in
 * the query wording, and the frontend's answers to unknown actions and versions.
 */
import { Clock } from '../../src/cloud/clock';
import { AwsError } from '../../src/cloud/errors';
import { handleQuery } from '../../src/cloud/protocols/query';
import type { Operation, QueryServiceDef, RequestContext } from '../../src/cloud/protocols/types';
import { SQS_NAMESPACE, sqsQueryService } from '../../src/cloud/services/sqs';
import { sqsError, queueDoesNotExist } from '../../src/cloud/services/sqs/errors';
import { SqsStore } from '../../src/cloud/services/sqs/store';
import { SQS_OPERATIONS } from '../services/sqs-helpers';

const Q = 'http://127.0.0.1:4566/000000000000/q1';
const ctxFor = (path = '/'): RequestContext => ({
  requestId: 'req-1',
  region: 'us-east-1',
  accountId: '000000000000',
  endpoint: 'http://127.0.0.1:4566',
  path,
  clock: new Clock(),
});

/** A query service over fake operations that record their input and answer `outputs[op]` (or throw it). */
function fake(outputs: Record<string, unknown> = {}) {
  const calls: { op: string; input: unknown }[] = [];
  const ops: Record<string, Operation> = {};
  for (const op of SQS_OPERATIONS) {
    ops[op] = (input: unknown) => {
      calls.push({ op, input });
      const out = outputs[op];
      if (out instanceof Error) throw out;
      return out ?? {};
    };
  }
  const def: QueryServiceDef = sqsQueryService(new SqsStore(new Clock()), ops);
  const call = async (form: string, path = '/') => {
    const r = await handleQuery(def, new URLSearchParams(form), ctxFor(path));
    return { status: r.status, body: String(r.body), input: calls.at(-1)?.input as Record<string, unknown> | undefined };
  };
  return { def, calls, call };
}

const ok = (action: string, result: string | null) =>
  `<${action}Response xmlns="${SQS_NAMESPACE}">` +
  (result === null ? '' : `<${action}Result>${result}</${action}Result>`) +
  `<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`;

const enc = (s: string) => encodeURIComponent(s);

describe('SQS query input: the form mapped to the JSON shapes', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    [
      'CreateQueue',
      'QueueName=q1&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40&Attribute.2.Name=FifoQueue&Attribute.2.Value=false&Tag.1.Key=team&Tag.1.Value=a&Tag.2.Key=empty&Tag.2.Value=',
      { QueueName: 'q1', Attributes: { VisibilityTimeout: '40', FifoQueue: 'false' }, tags: { team: 'a', empty: '' } },
    ],
    ['DeleteQueue', `QueueUrl=${enc(Q)}`, { QueueUrl: Q }],
    ['GetQueueUrl', 'QueueName=q1&QueueOwnerAWSAccountId=000000000000', { QueueName: 'q1', QueueOwnerAWSAccountId: '000000000000' }],
    ['ListQueues', 'QueueNamePrefix=q&MaxResults=5&NextToken=abc', { QueueNamePrefix: 'q', MaxResults: 5, NextToken: 'abc' }],
    ['ListQueues', '', {}],
    [
      'GetQueueAttributes',
      `QueueUrl=${enc(Q)}&AttributeName.1=QueueArn&AttributeName.2=VisibilityTimeout`,
      { QueueUrl: Q, AttributeNames: ['QueueArn', 'VisibilityTimeout'] },
    ],
    [
      'SetQueueAttributes',
      `QueueUrl=${enc(Q)}&Attribute.1.Name=DelaySeconds&Attribute.1.Value=5&Attribute.2.Name=Policy&Attribute.2.Value=${enc('{"a":1}')}`,
      { QueueUrl: Q, Attributes: { DelaySeconds: '5', Policy: '{"a":1}' } },
    ],
    [
      'SendMessage',
      `QueueUrl=${enc(Q)}&MessageBody=${enc('héllo & <x>')}&DelaySeconds=3` +
        '&MessageAttribute.1.Name=colour&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=red' +
        `&MessageAttribute.2.Name=bin&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=${enc('AAEC/w==')}` +
        '&MessageAttribute.3.Name=n&MessageAttribute.3.Value.DataType=Number.int&MessageAttribute.3.Value.StringValue=12' +
        '&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String&MessageSystemAttribute.1.Value.StringValue=Root%3D1' +
        '&MessageGroupId=g&MessageDeduplicationId=d',
      {
        QueueUrl: Q,
        MessageBody: 'héllo & <x>',
        DelaySeconds: 3,
        MessageAttributes: {
          colour: { DataType: 'String', StringValue: 'red' },
          bin: { DataType: 'Binary', BinaryValue: 'AAEC/w==' },
          n: { DataType: 'Number.int', StringValue: '12' },
        },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1' } },
        MessageGroupId: 'g',
        MessageDeduplicationId: 'd',
      },
    ],
    [
      'SendMessageBatch',
      `QueueUrl=${enc(Q)}` +
        '&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one&SendMessageBatchRequestEntry.1.DelaySeconds=0' +
        '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String' +
        '&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v' +
        '&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two&SendMessageBatchRequestEntry.2.MessageGroupId=g' +
        '&SendMessageBatchRequestEntry.2.MessageDeduplicationId=d2',
      {
        QueueUrl: Q,
        Entries: [
          { Id: 'a', MessageBody: 'one', DelaySeconds: 0, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'b', MessageBody: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'd2' },
        ],
      },
    ],
    [
      'ReceiveMessage',
      `QueueUrl=${enc(Q)}&AttributeName.1=All&MessageSystemAttributeName.1=SenderId&MessageSystemAttributeName.2=SentTimestamp` +
        '&MessageAttributeName.1=colour&MessageAttributeName.2=pre.*&MaxNumberOfMessages=10&VisibilityTimeout=0&WaitTimeSeconds=20&ReceiveRequestAttemptId=r',
      {
        QueueUrl: Q,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['SenderId', 'SentTimestamp'],
        MessageAttributeNames: ['colour', 'pre.*'],
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 20,
        ReceiveRequestAttemptId: 'r',
      },
    ],
    ['DeleteMessage', `QueueUrl=${enc(Q)}&ReceiptHandle=${enc('rh+/=1')}`, { QueueUrl: Q, ReceiptHandle: 'rh+/=1' }],
    [
      'DeleteMessageBatch',
      `QueueUrl=${enc(Q)}&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=r2&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=r1`,
      { QueueUrl: Q, Entries: [{ Id: 'a', ReceiptHandle: 'r1' }, { Id: 'b', ReceiptHandle: 'r2' }] },
    ],
    ['ChangeMessageVisibility', `QueueUrl=${enc(Q)}&ReceiptHandle=r&VisibilityTimeout=43200`, { QueueUrl: Q, ReceiptHandle: 'r', VisibilityTimeout: 43200 }],
    [
      'ChangeMessageVisibilityBatch',
      `QueueUrl=${enc(Q)}&ChangeMessageVisibilityBatchRequestEntry.1.Id=a&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=r1&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=5` +
        '&ChangeMessageVisibilityBatchRequestEntry.2.Id=b&ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle=r2',
      { QueueUrl: Q, Entries: [{ Id: 'a', ReceiptHandle: 'r1', VisibilityTimeout: 5 }, { Id: 'b', ReceiptHandle: 'r2' }] },
    ],
    ['PurgeQueue', `QueueUrl=${enc(Q)}`, { QueueUrl: Q }],
    ['TagQueue', `QueueUrl=${enc(Q)}&Tag.1.Key=a&Tag.1.Value=1&Tag.2.Key=b&Tag.2.Value=2`, { QueueUrl: Q, Tags: { a: '1', b: '2' } }],
    ['UntagQueue', `QueueUrl=${enc(Q)}&TagKey.1=a&TagKey.2=b`, { QueueUrl: Q, TagKeys: ['a', 'b'] }],
    ['ListQueueTags', `QueueUrl=${enc(Q)}`, { QueueUrl: Q }],
    [
      'AddPermission',
      `QueueUrl=${enc(Q)}&Label=l&AWSAccountId.1=111111111111&AWSAccountId.2=222222222222&ActionName.1=SendMessage&ActionName.2=ReceiveMessage`,
      { QueueUrl: Q, Label: 'l', AWSAccountIds: ['111111111111', '222222222222'], Actions: ['SendMessage', 'ReceiveMessage'] },
    ],
    ['RemovePermission', `QueueUrl=${enc(Q)}&Label=l`, { QueueUrl: Q, Label: 'l' }],
    ['ListDeadLetterSourceQueues', `QueueUrl=${enc(Q)}&MaxResults=2&NextToken=t`, { QueueUrl: Q, MaxResults: 2, NextToken: 't' }],
    [
      'StartMessageMoveTask',
      'SourceArn=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Adlq&DestinationArn=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq1&MaxNumberOfMessagesPerSecond=50',
      { SourceArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', DestinationArn: 'arn:aws:sqs:us-east-1:000000000000:q1', MaxNumberOfMessagesPerSecond: 50 },
    ],
    ['ListMessageMoveTasks', 'SourceArn=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Adlq&MaxResults=10', { SourceArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', MaxResults: 10 }],
    ['CancelMessageMoveTask', 'TaskHandle=th', { TaskHandle: 'th' }],
  ];

  test('the cases cover all 23 operations', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(SQS_OPERATIONS));
  });

  test.each(cases)('%s %#', async (action, form, expected) => {
    const { call } = fake();
    const r = await call(`Action=${action}&Version=2012-11-05${form ? `&${form}` : ''}`);
    expect(r.status).toBe(200);
    expect(r.input).toEqual(expected);
  });

  test('the signature and unknown parameters are not input', async () => {
    const { call } = fake();
    const r = await call(`Action=DeleteQueue&Version=2012-11-05&QueueUrl=${enc(Q)}&X-Amz-Signature=s&X-Amz-Credential=c&Bogus=1`);
    expect(r.input).toEqual({ QueueUrl: Q });
  });

  test('batches without entries (none, or botocore\'s empty-list marker `Entries=`) are empty batches', async () => {
    const { call } = fake();
    for (const action of ['SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch']) {
      expect((await call(`Action=${action}&Version=2012-11-05&QueueUrl=${enc(Q)}`)).input).toEqual({ QueueUrl: Q, Entries: [] });
      expect((await call(`Action=${action}&Version=2012-11-05&QueueUrl=${enc(Q)}&Entries=`)).input).toEqual({ QueueUrl: Q, Entries: [] });
    }
    expect((await call(`Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=${enc(Q)}&AttributeNames=`)).input).toEqual({ QueueUrl: Q, AttributeNames: [] });
  });

  test('a request posted to the queue URL acts on that queue; an explicit QueueUrl wins', async () => {
    const { call } = fake();
    expect((await call('Action=SendMessage&MessageBody=x', '/000000000000/q1')).input).toEqual({ QueueUrl: Q, MessageBody: 'x' });
    expect((await call('Action=PurgeQueue', '/queue/eu-west-1/000000000000/q2')).input).toEqual({
      QueueUrl: 'http://127.0.0.1:4566/queue/eu-west-1/000000000000/q2',
    });
    const other = 'http://127.0.0.1:4566/000000000000/other';
    expect((await call(`Action=GetQueueAttributes&QueueUrl=${enc(other)}&AttributeName.1=All`, '/000000000000/q1')).input).toEqual({
      QueueUrl: other,
      AttributeNames: ['All'],
    });
    // GetQueueUrl works on a queue URL (for any queue); it has no QueueUrl member.
    expect((await call('Action=GetQueueUrl&QueueName=other', '/000000000000/q1')).input).toEqual({ QueueName: 'other' });
    // The root path names no queue.
    expect((await call('Action=PurgeQueue&Version=2012-11-05', '/')).input).toEqual({});
  });

  test('CreateQueue and ListQueues are not valid on a queue URL', async () => {
    const { call, calls } = fake();
    for (const action of ['CreateQueue', 'ListQueues']) {
      const r = await call(`Action=${action}&Version=2012-11-05&QueueName=x`, '/000000000000/q1');
      expect(r.status).toBe(400);
      expect(r.body).toBe(
        `<ErrorResponse xmlns="${SQS_NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidAction</Code>` +
          `<Message>The action ${action} is not valid for this endpoint.</Message><Detail></Detail></Error><RequestId>req-1</RequestId></ErrorResponse>`,
      );
    }
    expect(calls).toHaveLength(0);
  });

  test.each([
    ['MaxNumberOfMessages=abc', 'ReceiveMessage', 'MaxNumberOfMessages', 'abc'],
    ['WaitTimeSeconds=1.5', 'ReceiveMessage', 'WaitTimeSeconds', '1.5'],
    ['VisibilityTimeout=', 'ChangeMessageVisibility', 'VisibilityTimeout', ''],
    ['DelaySeconds=9999999999', 'SendMessage', 'DelaySeconds', '9999999999'],
    ['SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.DelaySeconds=x', 'SendMessageBatch', 'SendMessageBatchRequestEntry.1.DelaySeconds', 'x'],
  ])('a non-integer %s is InvalidParameterValue', async (form, action, param, value) => {
    const { call, calls } = fake();
    const r = await call(`Action=${action}&Version=2012-11-05&QueueUrl=${enc(Q)}&${form}`);
    expect(r.status).toBe(400);
    expect(r.body).toContain(
      `<Type>Sender</Type><Code>InvalidParameterValue</Code><Message>Value ${value} for parameter ${param} is invalid. Reason: Must be an integer.</Message>`,
    );
    expect(calls).toHaveLength(0);
  });

  test('integers accept a sign and surrounding blanks', async () => {
    const { call } = fake();
    expect((await call(`Action=ReceiveMessage&QueueUrl=${enc(Q)}&WaitTimeSeconds=-1&MaxNumberOfMessages=+3&VisibilityTimeout=%200`)).input).toEqual({
      QueueUrl: Q,
      WaitTimeSeconds: -1,
      MaxNumberOfMessages: 3,
      VisibilityTimeout: 0,
    });
  });

  test('a map entry without its name or value is MissingParameter', async () => {
    const { call } = fake();
    const noValue = await call(`Action=SetQueueAttributes&QueueUrl=${enc(Q)}&Attribute.1.Name=DelaySeconds`);
    expect(noValue.body).toContain('<Code>MissingParameter</Code><Message>The request must contain the parameter Attribute.1.Value.</Message>');
    const noKey = await call(`Action=TagQueue&QueueUrl=${enc(Q)}&Tag.1.Value=v`);
    expect(noKey.body).toContain('<Message>The request must contain the parameter Tag.1.Key.</Message>');
    // A message attribute without a value goes to the operation, which refuses it for its missing DataType.
    const r = await call(`Action=SendMessage&QueueUrl=${enc(Q)}&MessageBody=b&MessageAttribute.1.Name=a`);
    expect(r.input).toEqual({ QueueUrl: Q, MessageBody: 'b', MessageAttributes: { a: {} } });
  });
});

describe('SQS query output: AWS\'s XML', () => {
  const messageOut = {
    MessageId: 'm-1',
    ReceiptHandle: 'rh-1',
    MD5OfBody: 'md5b',
    Body: 'a\r\nb<&>',
    Attributes: { SenderId: 'AIDA', SentTimestamp: '1700000000000', ApproximateReceiveCount: '1' },
    MD5OfMessageAttributes: 'md5a',
    MessageAttributes: {
      colour: { DataType: 'String', StringValue: 'red' },
      bin: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
    },
  };
  const cases: [string, unknown, string | null][] = [
    ['CreateQueue', { QueueUrl: Q }, `<QueueUrl>${Q}</QueueUrl>`],
    ['GetQueueUrl', { QueueUrl: Q }, `<QueueUrl>${Q}</QueueUrl>`],
    ['ListQueues', { QueueUrls: [Q, `${Q}2`], NextToken: 'n' }, `<QueueUrl>${Q}</QueueUrl><QueueUrl>${Q}2</QueueUrl><NextToken>n</NextToken>`],
    ['ListQueues', {}, ''],
    [
      'GetQueueAttributes',
      { Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q1', VisibilityTimeout: '30' } },
      '<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:q1</Value></Attribute><Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>',
    ],
    ['GetQueueAttributes', {}, ''],
    [
      'SendMessage',
      { MessageId: 'm', MD5OfMessageBody: 'b', SequenceNumber: '1', MD5OfMessageAttributes: 'a', MD5OfMessageSystemAttributes: 's' },
      '<MD5OfMessageBody>b</MD5OfMessageBody><MD5OfMessageAttributes>a</MD5OfMessageAttributes><MD5OfMessageSystemAttributes>s</MD5OfMessageSystemAttributes><MessageId>m</MessageId><SequenceNumber>1</SequenceNumber>',
    ],
    ['SendMessage', { MessageId: 'm', MD5OfMessageBody: 'b' }, '<MD5OfMessageBody>b</MD5OfMessageBody><MessageId>m</MessageId>'],
    [
      'SendMessageBatch',
      {
        Successful: [{ Id: 'a', MessageId: 'm', MD5OfMessageBody: 'b', MD5OfMessageAttributes: 'c' }],
        Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad' }],
      },
      '<SendMessageBatchResultEntry><Id>a</Id><MessageId>m</MessageId><MD5OfMessageBody>b</MD5OfMessageBody><MD5OfMessageAttributes>c</MD5OfMessageAttributes></SendMessageBatchResultEntry>' +
        '<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidMessageContents</Code><Message>bad</Message></BatchResultErrorEntry>',
    ],
    ['SendMessageBatch', { Successful: [], Failed: [] }, ''],
    [
      'ReceiveMessage',
      { Messages: [messageOut, { MessageId: 'm-2', ReceiptHandle: 'rh-2', MD5OfBody: 'x', Body: '' }] },
      '<Message><MessageId>m-1</MessageId><ReceiptHandle>rh-1</ReceiptHandle><MD5OfBody>md5b</MD5OfBody><Body>a&#xD;\nb&lt;&amp;&gt;</Body>' +
        '<Attribute><Name>SenderId</Name><Value>AIDA</Value></Attribute><Attribute><Name>SentTimestamp</Name><Value>1700000000000</Value></Attribute>' +
        '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute><MD5OfMessageAttributes>md5a</MD5OfMessageAttributes>' +
        '<MessageAttribute><Name>colour</Name><Value><StringValue>red</StringValue><DataType>String</DataType></Value></MessageAttribute>' +
        '<MessageAttribute><Name>bin</Name><Value><BinaryValue>AAEC/w==</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute></Message>' +
        '<Message><MessageId>m-2</MessageId><ReceiptHandle>rh-2</ReceiptHandle><MD5OfBody>x</MD5OfBody><Body></Body></Message>',
    ],
    ['ReceiveMessage', { Messages: [] }, ''],
    ['ReceiveMessage', {}, ''],
    [
      'DeleteMessageBatch',
      { Successful: [{ Id: 'a' }], Failed: [{ Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'x' }] },
      '<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry><BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code><Message>x</Message></BatchResultErrorEntry>',
    ],
    [
      'ChangeMessageVisibilityBatch',
      { Successful: [{ Id: 'a' }, { Id: 'c' }], Failed: [] },
      '<ChangeMessageVisibilityBatchResultEntry><Id>a</Id></ChangeMessageVisibilityBatchResultEntry><ChangeMessageVisibilityBatchResultEntry><Id>c</Id></ChangeMessageVisibilityBatchResultEntry>',
    ],
    ['ListQueueTags', { Tags: { team: 'a', env: '' } }, '<Tag><Key>team</Key><Value>a</Value></Tag><Tag><Key>env</Key><Value></Value></Tag>'],
    ['ListQueueTags', {}, ''],
    ['ListDeadLetterSourceQueues', { queueUrls: [Q], NextToken: 't' }, `<QueueUrl>${Q}</QueueUrl><NextToken>t</NextToken>`],
    ['ListDeadLetterSourceQueues', { queueUrls: [] }, ''],
    ['StartMessageMoveTask', { TaskHandle: 'th' }, '<TaskHandle>th</TaskHandle>'],
    [
      'ListMessageMoveTasks',
      {
        Results: [
          {
            StartedTimestamp: 1700000000000,
            Status: 'RUNNING',
            TaskHandle: 'th',
            SourceArn: 's',
            MaxNumberOfMessagesPerSecond: 5,
            ApproximateNumberOfMessagesMoved: 1,
            ApproximateNumberOfMessagesToMove: 2,
          },
          { Status: 'FAILED', SourceArn: 's', DestinationArn: 'd', ApproximateNumberOfMessagesMoved: 0, FailureReason: 'why', StartedTimestamp: 1 },
        ],
      },
      '<ListMessageMoveTasksResultEntry><TaskHandle>th</TaskHandle><Status>RUNNING</Status><SourceArn>s</SourceArn><MaxNumberOfMessagesPerSecond>5</MaxNumberOfMessagesPerSecond>' +
        '<ApproximateNumberOfMessagesMoved>1</ApproximateNumberOfMessagesMoved><ApproximateNumberOfMessagesToMove>2</ApproximateNumberOfMessagesToMove><StartedTimestamp>1700000000000</StartedTimestamp></ListMessageMoveTasksResultEntry>' +
        '<ListMessageMoveTasksResultEntry><Status>FAILED</Status><SourceArn>s</SourceArn><DestinationArn>d</DestinationArn><ApproximateNumberOfMessagesMoved>0</ApproximateNumberOfMessagesMoved><FailureReason>why</FailureReason><StartedTimestamp>1</StartedTimestamp></ListMessageMoveTasksResultEntry>',
    ],
    ['CancelMessageMoveTask', { ApproximateNumberOfMessagesMoved: 3 }, '<ApproximateNumberOfMessagesMoved>3</ApproximateNumberOfMessagesMoved>'],
    // No output: ResponseMetadata alone, whatever the operation returned.
    ['DeleteQueue', {}, null],
    ['SetQueueAttributes', undefined, null],
    ['DeleteMessage', {}, null],
    ['ChangeMessageVisibility', {}, null],
    ['PurgeQueue', {}, null],
    ['TagQueue', {}, null],
    ['UntagQueue', { stray: 1 }, null],
    ['AddPermission', {}, null],
    ['RemovePermission', {}, null],
  ];

  test('the cases cover all 23 operations', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(SQS_OPERATIONS));
  });

  test.each(cases)('%s %#', async (action, output, result) => {
    const { call } = fake({ [action]: output });
    const r = await call(`Action=${action}&Version=2012-11-05&QueueUrl=${enc(Q)}`);
    expect(r.status).toBe(200);
    expect(r.body).toBe(ok(action, result));
  });
});

describe('SQS query errors and frontend', () => {
  test('QueueDoesNotExist: legacy code, the wsdl wording, Sender, <Detail/>', async () => {
    const { call } = fake({ GetQueueUrl: queueDoesNotExist() });
    const r = await call('Action=GetQueueUrl&Version=2012-11-05&QueueName=nope');
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      `<ErrorResponse xmlns="${SQS_NAMESPACE}"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>` +
        '<Message>The specified queue does not exist for this wsdl version.</Message><Detail></Detail></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });

  test.each([
    ['QueueNameExists', 'QueueAlreadyExists', 400],
    ['QueueDeletedRecently', 'AWS.SimpleQueueService.QueueDeletedRecently', 400],
    ['PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', 403],
    ['TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400],
    ['ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 400],
    ['OverLimit', 'OverLimit', 403],
    ['InvalidParameterValue', 'InvalidParameterValue', 400],
  ])('%s answers <Code>%s</Code> with status %d and its own message', async (code, queryCode, status) => {
    const { call } = fake({ PurgeQueue: sqsError(code, `message of ${code}`) });
    const r = await call(`Action=PurgeQueue&Version=2012-11-05&QueueUrl=${enc(Q)}`);
    expect(r.status).toBe(status);
    expect(r.body).toContain(`<Error><Type>Sender</Type><Code>${queryCode}</Code><Message>message of ${code}</Message><Detail></Detail></Error>`);
  });

  test('an internal failure stays a 500 Receiver error', async () => {
    const { call } = fake({ PurgeQueue: new Error('bug') });
    const r = await call(`Action=PurgeQueue&Version=2012-11-05&QueueUrl=${enc(Q)}`);
    expect(r.status).toBe(500);
    expect(r.body).toContain('<Type>Receiver</Type><Code>InternalFailure</Code>');
  });

  test('an AwsError without queryCode keeps its code', async () => {
    const { call } = fake({ PurgeQueue: new AwsError('Weird', 'w', 400) });
    expect((await call(`Action=PurgeQueue&Version=2012-11-05&QueueUrl=${enc(Q)}`)).body).toContain('<Code>Weird</Code><Message>w</Message>');
  });

  test('an unknown Action is InvalidAction "not valid for this endpoint"', async () => {
    const { call } = fake();
    const r = await call('Action=FooBar&Version=2012-11-05');
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      `<ErrorResponse xmlns="${SQS_NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidAction</Code>` +
        '<Message>The action FooBar is not valid for this endpoint.</Message><Detail></Detail></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
    // Not an own property of the operations record, so no prototype member is an action.
    expect((await call('Action=toString&Version=2012-11-05')).body).toContain('The action toString is not valid for this endpoint.');
  });

  test('Version may be left out; a wrong Version is InvalidAction', async () => {
    const { call } = fake({ GetQueueUrl: { QueueUrl: Q } });
    expect((await call('Action=GetQueueUrl&QueueName=q1')).status).toBe(200);
    const bad = await call('Action=GetQueueUrl&Version=2009-02-01&QueueName=q1');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>InvalidAction</Code><Message>Could not find operation GetQueueUrl for version 2009-02-01</Message>');
  });

  test('the service definition carries every operation', () => {
    const { def } = fake();
    expect(Object.keys(def.operations).sort()).toEqual([...SQS_OPERATIONS].sort());
    expect(def.signingName).toBe('sqs');
    expect(def.version).toBe('2012-11-05');
  });
});
