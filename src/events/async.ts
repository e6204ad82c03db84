/**
 * What the asynchronous model writes when an event ends (lambda/async/records.ts):
 *   destination-success   the OnSuccess invocation record {version, timestamp, requestContext
 *                         {requestId, functionArn (qualified), condition "Success",
 *                         approximateInvokeCount}, requestPayload, responseContext {statusCode,
 *                         executedVersion}, responsePayload} [doc][rec]: the event a destination
 *                         function gets, and the body an SQS or SNS destination gets
 *   destination-failure   the OnFailure record: condition RetriesExhausted or EventAgeExceeded,
 *                         responseContext.functionError, the error as responsePayload
 *   dlq                   the dead-letter message: the original event as the body, with RequestID,
 *                         ErrorCode and ErrorMessage message attributes [doc][rec], as the SQS
 *                         event a function reading the queue gets (or the SNS event of a topic)
 * `--via eventbridge` wraps a record as the event an EventBridge destination puts on its bus
 * (source "lambda", detail-type "Lambda Function Invocation Result - Success/Failure",
 * resources [bus ARN, function ARN]).
 */
import { isoSeconds, isoTime, resolve, type Resolved } from './context';
import { MESSAGING_TEMPLATES } from './messaging';
import { int, str, text } from './options';
import { TemplateError, type EventTemplate } from './types';

function functionArn(o: Record<string, unknown>, r: Resolved): { arn: string; executedVersion: string } {
  const name = str(o, 'functionName', 'example-function');
  const qualifier = str(o, 'qualifier', '$LATEST');
  // An alias resolves to a version; this template reports $LATEST for an alias (set --executed-version).
  const executedVersion = str(o, 'executedVersion', /^\d+$/.test(qualifier) ? qualifier : '$LATEST');
  return { arn: `arn:aws:lambda:${r.region}:${r.accountId}:function:${name}:${qualifier}`, executedVersion };
}

function payloadOf(o: Record<string, unknown>, name: string, fallback: unknown): unknown {
  return o[name] === undefined ? fallback : o[name];
}

function errorPayload(o: Record<string, unknown>): Record<string, unknown> {
  const errorType = str(o, 'errorType', 'Error');
  const errorMessage = str(o, 'errorMessage', 'Something went wrong');
  return {
    errorType,
    errorMessage,
    trace: [`${errorType}: ${errorMessage}`, '    at Runtime.handler (file:///var/task/index.mjs:3:9)', '    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)'],
  };
}

function record(o: Record<string, unknown>, r: Resolved, success: boolean): Record<string, unknown> {
  const { arn, executedVersion } = functionArn(o, r);
  const condition = success ? 'Success' : str(o, 'condition', 'RetriesExhausted');
  const out: Record<string, unknown> = {
    version: '1.0',
    timestamp: isoTime(r.now),
    requestContext: {
      requestId: str(o, 'requestId', r.uuid()),
      functionArn: arn,
      condition,
      approximateInvokeCount: int(o, 'approximateInvokeCount', success ? 1 : 3),
    },
    requestPayload: payloadOf(o, 'requestPayload', { key1: 'value1', key2: 'value2' }),
  };
  if (success) {
    out.responseContext = { statusCode: 200, executedVersion };
    out.responsePayload = payloadOf(o, 'responsePayload', { statusCode: 200, body: 'ok' });
  } else {
    out.responseContext = { statusCode: 200, executedVersion, functionError: 'Unhandled' };
    out.responsePayload = o.responsePayload === undefined ? errorPayload(o) : o.responsePayload;
  }
  if (str(o, 'via', 'lambda') === 'eventbridge') {
    const bus = str(o, 'eventBus', 'default');
    return {
      version: '0',
      id: r.uuid(),
      'detail-type': success ? 'Lambda Function Invocation Result - Success' : 'Lambda Function Invocation Result - Failure',
      source: 'lambda',
      account: r.accountId,
      time: isoSeconds(r.now),
      region: r.region,
      resources: [`arn:aws:events:${r.region}:${r.accountId}:event-bus/${bus}`, arn],
      detail: out,
    };
  }
  return out;
}

/** The dead-letter message as its reader's event: an SQS batch of one, or an SNS notification. */
function dlq(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const event = text(o, 'event', JSON.stringify({ key1: 'value1', key2: 'value2' }));
  const requestId = str(o, 'requestId', r.uuid());
  const errorCode = String(int(o, 'errorCode', 200));
  const errorMessage = str(o, 'errorMessage', 'Something went wrong');
  const via = str(o, 'via', 'sqs');
  const find = (name: string) => MESSAGING_TEMPLATES.find((t) => t.name === name)!;
  const ctx = { now: r.now, ids: r.uuid, region: r.region, accountId: r.accountId };
  if (via === 'sns') {
    const e = find('sns').build({ message: event, subject: '', topic: str(o, 'target', 'example-dlq-topic') }, ctx) as { Records: { Sns: Record<string, unknown> }[] };
    // [doc] Type String / Number as SNS carries them; the Number is the attribute's DataType
    e.Records[0].Sns.MessageAttributes = {
      RequestID: { Type: 'String', Value: requestId },
      ErrorCode: { Type: 'Number', Value: errorCode },
      ErrorMessage: { Type: 'String', Value: errorMessage },
    };
    return e;
  }
  if (via !== 'sqs') throw new TemplateError(`--via: must be one of sqs, sns, got ${JSON.stringify(via)}`);
  return find('sqs').build(
    {
      body: event,
      queue: str(o, 'target', 'example-dlq'),
      attributes: [
        ['RequestID', requestId],
        ['ErrorCode', errorCode],
        ['ErrorMessage', errorMessage],
      ],
    },
    ctx,
  );
}

const RECORD_OPTIONS = [
  { name: 'functionName', type: 'string', description: 'the function that ran', default: 'example-function' },
  { name: 'qualifier', type: 'string', description: 'the qualifier it was invoked with', default: '$LATEST' },
  { name: 'executedVersion', type: 'string', description: 'the version that ran', default: 'the qualifier, or $LATEST' },
  { name: 'requestId', type: 'string', description: "the invocation's request id", default: 'random' },
  { name: 'requestPayload', type: 'json', description: 'the event the function was invoked with', default: '{"key1":"value1","key2":"value2"}' },
  { name: 'via', type: 'string', description: 'lambda: the record itself (a destination function, SQS or SNS body); eventbridge: the event a bus destination puts', default: 'lambda', choices: ['lambda', 'eventbridge'] },
  { name: 'eventBus', type: 'string', description: 'the destination bus (with --via eventbridge)', default: 'default' },
] as const;

const RECORD_FREE = ['requestPayload', 'responsePayload', 'detail.requestPayload', 'detail.responsePayload'];

export const ASYNC_TEMPLATES: EventTemplate[] = [
  {
    name: 'destination-success',
    family: 'async',
    title: 'Asynchronous invocation record sent to an OnSuccess destination',
    options: [
      ...RECORD_OPTIONS,
      { name: 'responsePayload', type: 'json', description: 'what the function returned', default: '{"statusCode":200,"body":"ok"}' },
      { name: 'approximateInvokeCount', type: 'integer', description: 'attempts made (1 to 3)', default: '1', min: 1, max: 3 },
    ],
    mapPaths: [],
    freePaths: RECORD_FREE,
    build: (o, ctx) => record(o, resolve(ctx), true),
  },
  {
    name: 'destination-failure',
    family: 'async',
    title: 'Asynchronous invocation record sent to an OnFailure destination',
    options: [
      ...RECORD_OPTIONS,
      { name: 'condition', type: 'string', description: 'why the event was given up', default: 'RetriesExhausted', choices: ['RetriesExhausted', 'EventAgeExceeded'] },
      { name: 'approximateInvokeCount', type: 'integer', description: 'attempts made (1 to 3)', default: '3', min: 1, max: 3 },
      { name: 'errorType', type: 'string', description: "the last attempt's errorType", default: 'Error' },
      { name: 'errorMessage', type: 'string', description: "the last attempt's errorMessage", default: 'Something went wrong' },
      { name: 'responsePayload', type: 'json', description: 'the error payload (instead of --error-type/--error-message)' },
    ],
    mapPaths: [],
    freePaths: RECORD_FREE,
    build: (o, ctx) => record(o, resolve(ctx), false),
  },
  {
    name: 'dlq',
    family: 'async',
    title: "Dead-letter message of a failed asynchronous event, as the queue's (or topic's) reader gets it",
    options: [
      { name: 'event', type: 'json', description: 'the original event (the message body)', default: '{"key1":"value1","key2":"value2"}' },
      { name: 'errorMessage', type: 'string', description: 'ErrorMessage attribute: the error (first 1 KB)', default: 'Something went wrong' },
      { name: 'errorCode', type: 'integer', description: 'ErrorCode attribute: the HTTP status of the last attempt (200 for a function error)', default: '200', min: 100, max: 599 },
      { name: 'requestId', type: 'string', description: 'RequestID attribute', default: 'random' },
      { name: 'via', type: 'string', description: 'the dead-letter target: an SQS queue or an SNS topic', default: 'sqs', choices: ['sqs', 'sns'] },
      { name: 'target', type: 'string', description: 'queue or topic name', default: 'example-dlq / example-dlq-topic' },
    ],
    mapPaths: ['Records[].messageAttributes', 'Records[].Sns.MessageAttributes'],
    freePaths: ['Records[].body', 'Records[].Sns.Message'],
    build: (o, ctx) => dlq(o, resolve(ctx)),
  },
];
