/**
 * SQS on the query protocol: `Action=<Op>&Version=2012-11-05&...` form posts (or GETs), XML answers in
 * the namespace http://queue.amazonaws.com/doc/2012-11-05/. botocore (boto3, the AWS CLI) spoke it for
 * SQS before 1.34.90 (April 2024), as do Debian 12's awscli 2.9 and python3-boto3 1.26 and older SDKs.
 *
 * Each JSON-shaped operation is wrapped:
 *   input   the generic decoder's nested object (protocols/query.ts decodeQueryParams) is mapped to the
 *           JSON shape by the SQS query model (botocore's 2012-11-05 query model): flattened lists
 *           (`AttributeName.N`, `SendMessageBatchRequestEntry.N.*`, `TagKey.N`, ...), flattened maps
 *           (`Attribute.N.Name/Value`, `Tag.N.Key/Value`, `MessageAttribute.N.Name` + `.Value.*`),
 *           integers from strings, blobs kept as base64 strings (as the JSON protocol hands them over).
 *           A request posted to a queue's own URL (`/<account>/<name>`) without QueueUrl acts on that
 *           queue; CreateQueue and ListQueues are not valid there.
 *   output  the JSON shape is laid out as AWS's XML: flattened lists and maps under the model's member
 *           names (`<QueueUrl>` repeated, `<Attribute><Name/><Value/></Attribute>`, `<Message>`, ...),
 *           members in the model's order; operations without output answer ResponseMetadata alone.
 *   errors  the legacy code (`queryCode`), `<Type>Sender</Type>`, an empty `<Detail/>`, and the query
 *           wording where it differs from JSON's (QueueDoesNotExist "... for this wsdl version.").
 * Frontend: an unknown Action is "The action X is not valid for this endpoint."; Version may be left out.
 */
import { AwsError, isAwsError } from '../../errors';
import { xmlFlat } from '../../protocols/query';
import type { Operation, RequestContext } from '../../protocols/types';
import { invalidParameter, missingParameter, sqsError } from './errors';
import { parseQueueUrl, type SqsStore } from './store';

// ---------------------------------------------------------------------------------------------
// Input: the query model's shapes, just enough to map query names and types onto the JSON shape.

type Shape = 'string' | 'integer' | 'blob' | ListShape | MapShape | StructShape;
/** A flattened list: elements are `<name>.N`; `name` is the member's locationName. */
interface ListShape {
  list: Shape;
  name: string;
}
/** A flattened map: entries are `<name>.N.<key>` and `<name>.N.<value>`. */
interface MapShape {
  map: Shape;
  name: string;
  key: string;
  value: string;
}
/** Members by their JSON name; the query name is the list's/map's `name`, else the JSON name. */
interface StructShape {
  struct: Record<string, Shape>;
}

const struct = (members: Record<string, Shape>): StructShape => ({ struct: members });
const list = (name: string, member: Shape = 'string'): ListShape => ({ list: member, name });
const map = (name: string, key: string, value: string, member: Shape = 'string'): MapShape => ({ map: member, name, key, value });

const messageAttributeValue = struct({
  StringValue: 'string',
  BinaryValue: 'blob',
  StringListValues: list('StringListValue'),
  BinaryListValues: list('BinaryListValue', 'blob'),
  DataType: 'string',
});
const messageAttributes = map('MessageAttribute', 'Name', 'Value', messageAttributeValue);
const messageSystemAttributes = map('MessageSystemAttribute', 'Name', 'Value', messageAttributeValue);
const queueAttributes = map('Attribute', 'Name', 'Value');
const tags = map('Tag', 'Key', 'Value');

/** The members of SendMessage's input that a SendMessageBatch entry has too. */
const sendMembers: Record<string, Shape> = {
  MessageBody: 'string',
  DelaySeconds: 'integer',
  MessageAttributes: messageAttributes,
  MessageSystemAttributes: messageSystemAttributes,
  MessageDeduplicationId: 'string',
  MessageGroupId: 'string',
};
const sendEntry = struct({ Id: 'string', ...sendMembers });

/** Input shapes of the 23 operations (botocore sqs 2012-11-05, protocol query). */
const INPUTS: Record<string, StructShape> = {
  CreateQueue: struct({ QueueName: 'string', Attributes: queueAttributes, tags }),
  DeleteQueue: struct({ QueueUrl: 'string' }),
  GetQueueUrl: struct({ QueueName: 'string', QueueOwnerAWSAccountId: 'string' }),
  ListQueues: struct({ QueueNamePrefix: 'string', NextToken: 'string', MaxResults: 'integer' }),
  GetQueueAttributes: struct({ QueueUrl: 'string', AttributeNames: list('AttributeName') }),
  SetQueueAttributes: struct({ QueueUrl: 'string', Attributes: queueAttributes }),
  SendMessage: struct({ QueueUrl: 'string', ...sendMembers }),
  SendMessageBatch: struct({ QueueUrl: 'string', Entries: list('SendMessageBatchRequestEntry', sendEntry) }),
  ReceiveMessage: struct({
    QueueUrl: 'string',
    AttributeNames: list('AttributeName'),
    MessageSystemAttributeNames: list('MessageSystemAttributeName'),
    MessageAttributeNames: list('MessageAttributeName'),
    MaxNumberOfMessages: 'integer',
    VisibilityTimeout: 'integer',
    WaitTimeSeconds: 'integer',
    ReceiveRequestAttemptId: 'string',
  }),
  DeleteMessage: struct({ QueueUrl: 'string', ReceiptHandle: 'string' }),
  DeleteMessageBatch: struct({
    QueueUrl: 'string',
    Entries: list('DeleteMessageBatchRequestEntry', struct({ Id: 'string', ReceiptHandle: 'string' })),
  }),
  ChangeMessageVisibility: struct({ QueueUrl: 'string', ReceiptHandle: 'string', VisibilityTimeout: 'integer' }),
  ChangeMessageVisibilityBatch: struct({
    QueueUrl: 'string',
    Entries: list('ChangeMessageVisibilityBatchRequestEntry', struct({ Id: 'string', ReceiptHandle: 'string', VisibilityTimeout: 'integer' })),
  }),
  PurgeQueue: struct({ QueueUrl: 'string' }),
  TagQueue: struct({ QueueUrl: 'string', Tags: tags }),
  UntagQueue: struct({ QueueUrl: 'string', TagKeys: list('TagKey') }),
  ListQueueTags: struct({ QueueUrl: 'string' }),
  AddPermission: struct({ QueueUrl: 'string', Label: 'string', AWSAccountIds: list('AWSAccountId'), Actions: list('ActionName') }),
  RemovePermission: struct({ QueueUrl: 'string', Label: 'string' }),
  ListDeadLetterSourceQueues: struct({ QueueUrl: 'string', NextToken: 'string', MaxResults: 'integer' }),
  StartMessageMoveTask: struct({ SourceArn: 'string', DestinationArn: 'string', MaxNumberOfMessagesPerSecond: 'integer' }),
  ListMessageMoveTasks: struct({ SourceArn: 'string', MaxResults: 'integer' }),
  CancelMessageMoveTask: struct({ TaskHandle: 'string' }),
};

/** Batch operations: no entries at all is an empty batch (the operation answers EmptyBatchRequest). */
const BATCH = new Set(['SendMessageBatch', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch']);

/** Not valid on a queue's own URL (AWS: InvalidAction "The action CreateQueue is not valid for this endpoint."). */
const NOT_ON_QUEUE_URL = new Set(['CreateQueue', 'ListQueues']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const queryName = (jsonName: string, shape: Shape): string => (typeof shape === 'object' && 'name' in shape ? shape.name : jsonName);

/** `Value abc for parameter X is invalid. Reason: Must be an integer.` (InvalidParameterValue). */
function notAnInteger(param: string, value: string): AwsError {
  return invalidParameter(param, value, 'Must be an integer.');
}

/** Java int range: the query model's `Integer`. */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** One value of the decoded form, converted to its JSON shape; `param` is its query name for messages. */
function convert(shape: Shape, raw: unknown, param: string): unknown {
  if (raw === undefined) return undefined;
  if (shape === 'string' || shape === 'blob') return typeof raw === 'string' ? raw : undefined;
  if (shape === 'integer') {
    if (typeof raw !== 'string') return undefined;
    const t = raw.trim();
    if (!/^[+-]?\d+$/.test(t)) throw notAnInteger(param, raw);
    const n = Number(t);
    if (n < INT_MIN || n > INT_MAX) throw notAnInteger(param, raw);
    return n;
  }
  if ('struct' in shape) return convertStruct(shape, raw, `${param}.`);
  if ('list' in shape) {
    if (raw === '') return [];
    if (!Array.isArray(raw)) return undefined;
    return raw.map((el, i) => convert(shape.list, el, `${param}.${i + 1}`)).filter((v) => v !== undefined);
  }
  // map
  if (raw === '') return {};
  if (!Array.isArray(raw)) return undefined;
  const out: Record<string, unknown> = {};
  raw.forEach((entry, i) => {
    const at = `${param}.${i + 1}`;
    const e = isRecord(entry) ? entry : {};
    const k = e[shape.key];
    if (typeof k !== 'string') throw missingParameter(`${at}.${shape.key}`);
    let v = e[shape.value];
    if (v === undefined) {
      // A message attribute without a value is the operation's to refuse (no DataType); a string map entry needs one.
      if (shape.map === 'string') throw missingParameter(`${at}.${shape.value}`);
      v = {};
    }
    out[k] = convert(shape.map, v, `${at}.${shape.value}`) ?? (shape.map === 'string' ? '' : {});
  });
  return out;
}

function convertStruct(shape: StructShape, raw: unknown, prefix: string): Record<string, unknown> | undefined {
  if (!isRecord(raw)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [jsonName, member] of Object.entries(shape.struct)) {
    const name = queryName(jsonName, member);
    let value = convert(member, raw[name], `${prefix}${name}`);
    // botocore sends an empty flattened list as `<MemberName>=` (e.g. `Entries=`), under the member's own name.
    if (value === undefined && name !== jsonName && raw[jsonName] === '') value = typeof member === 'object' && 'map' in member ? {} : [];
    if (value !== undefined) out[jsonName] = value;
  }
  return out;
}

/** The queue named by the request's path (`/<account>/<name>`, `/queue/<region>/<account>/<name>`), if any. */
function queueUrlFromPath(ctx: RequestContext): string | undefined {
  const path = ctx.path ?? '/';
  if (!parseQueueUrl(path, ctx.region)) return undefined;
  return `${ctx.endpoint}${path}`;
}

/** The JSON-shaped input of `action` from the decoded query parameters. */
export function queryInput(action: string, params: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const shape = INPUTS[action];
  const input = (shape && convertStruct(shape, params, '')) ?? {};
  if (shape && 'QueueUrl' in shape.struct && input.QueueUrl === undefined) {
    const fromPath = queueUrlFromPath(ctx);
    if (fromPath !== undefined) input.QueueUrl = fromPath;
  }
  if (BATCH.has(action) && input.Entries === undefined) input.Entries = [];
  return input;
}

// ---------------------------------------------------------------------------------------------
// Output: AWS's XML layout of each operation's JSON-shaped result.

/* eslint-disable @typescript-eslint/no-explicit-any */
type Out = (o: any) => Record<string, unknown>;

/** Keep only defined members, in the given order (the model's order is the XML order). */
function ordered(o: any, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(o)) return out;
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

const entries = (m: unknown): [string, unknown][] => (isRecord(m) ? Object.entries(m).filter(([, v]) => v !== undefined && v !== null) : []);
const flat = <T>(items: T[]): T[] => xmlFlat(items);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** A flattened map as repeated `<name><k/><v/></name>` items. */
const flatMap = (m: unknown, k: string, v: string) => flat(entries(m).map(([key, value]) => ({ [k]: key, [v]: value })));

function attributeValueXml(v: any): Record<string, unknown> {
  const out = ordered(v, ['StringValue', 'BinaryValue']);
  if (isRecord(v) && Array.isArray(v.StringListValues) && v.StringListValues.length) out.StringListValue = flat([...v.StringListValues]);
  if (isRecord(v) && Array.isArray(v.BinaryListValues) && v.BinaryListValues.length) out.BinaryListValue = flat([...v.BinaryListValues]);
  if (isRecord(v) && v.DataType !== undefined) out.DataType = v.DataType;
  return out;
}

function messageXml(m: any): Record<string, unknown> {
  const out = ordered(m, ['MessageId', 'ReceiptHandle', 'MD5OfBody', 'Body']);
  const attrs = flatMap(m?.Attributes, 'Name', 'Value');
  if (attrs.length) out.Attribute = attrs;
  if (m?.MD5OfMessageAttributes !== undefined) out.MD5OfMessageAttributes = m.MD5OfMessageAttributes;
  const mattrs = flat(entries(m?.MessageAttributes).map(([Name, v]) => ({ Name, Value: attributeValueXml(v) })));
  if (mattrs.length) out.MessageAttribute = mattrs;
  return out;
}

const batchError = (e: any) => ordered(e, ['Id', 'SenderFault', 'Code', 'Message']);

function batchResult(entryName: string, entryKeys: string[]): Out {
  return (o) => {
    const out: Record<string, unknown> = {};
    const ok = arr(o?.Successful).map((e) => ordered(e, entryKeys));
    if (ok.length) out[entryName] = flat(ok);
    const failed = arr(o?.Failed).map(batchError);
    if (failed.length) out.BatchResultErrorEntry = flat(failed);
    return out;
  };
}

function urlList(key: 'QueueUrls' | 'queueUrls'): Out {
  return (o) => {
    const out: Record<string, unknown> = {};
    const urls = arr(o?.[key]);
    if (urls.length) out.QueueUrl = flat([...urls]);
    if (o?.NextToken !== undefined && o?.NextToken !== null) out.NextToken = o.NextToken;
    return out;
  };
}

const OUTPUTS: Record<string, Out> = {
  CreateQueue: (o) => ordered(o, ['QueueUrl']),
  GetQueueUrl: (o) => ordered(o, ['QueueUrl']),
  ListQueues: urlList('QueueUrls'),
  GetQueueAttributes: (o) => {
    const a = flatMap(o?.Attributes, 'Name', 'Value');
    return a.length ? { Attribute: a } : {};
  },
  SendMessage: (o) => ordered(o, ['MD5OfMessageBody', 'MD5OfMessageAttributes', 'MD5OfMessageSystemAttributes', 'MessageId', 'SequenceNumber']),
  SendMessageBatch: batchResult('SendMessageBatchResultEntry', [
    'Id',
    'MessageId',
    'MD5OfMessageBody',
    'MD5OfMessageAttributes',
    'MD5OfMessageSystemAttributes',
    'SequenceNumber',
  ]),
  ReceiveMessage: (o) => {
    const messages = arr(o?.Messages).map(messageXml);
    return messages.length ? { Message: flat(messages) } : {};
  },
  DeleteMessageBatch: batchResult('DeleteMessageBatchResultEntry', ['Id']),
  ChangeMessageVisibilityBatch: batchResult('ChangeMessageVisibilityBatchResultEntry', ['Id']),
  ListQueueTags: (o) => {
    const t = flatMap(o?.Tags, 'Key', 'Value');
    return t.length ? { Tag: t } : {};
  },
  ListDeadLetterSourceQueues: urlList('queueUrls'),
  StartMessageMoveTask: (o) => ordered(o, ['TaskHandle']),
  ListMessageMoveTasks: (o) => {
    const results = arr(o?.Results).map((r) =>
      ordered(r, [
        'TaskHandle',
        'Status',
        'SourceArn',
        'DestinationArn',
        'MaxNumberOfMessagesPerSecond',
        'ApproximateNumberOfMessagesMoved',
        'ApproximateNumberOfMessagesToMove',
        'FailureReason',
        'StartedTimestamp',
      ]),
    );
    return results.length ? { ListMessageMoveTasksResultEntry: flat(results) } : {};
  },
  CancelMessageMoveTask: (o) => ordered(o, ['ApproximateNumberOfMessagesMoved']),
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Operations without output: `<OpResponse><ResponseMetadata>` and no `<OpResult>`. */
export const NO_OUTPUT = [
  'DeleteQueue',
  'SetQueueAttributes',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'PurgeQueue',
  'TagQueue',
  'UntagQueue',
  'AddPermission',
  'RemovePermission',
];

/** The XML tree (for protocols/query.ts) of `action`'s JSON-shaped output. */
export function queryOutput(action: string, output: unknown): Record<string, unknown> {
  if (NO_OUTPUT.includes(action)) return {};
  const f = OUTPUTS[action];
  return f ? f(output ?? {}) : isRecord(output) ? output : {};
}

// ---------------------------------------------------------------------------------------------
// Errors

/** Where the query protocol's wording differs from the JSON protocol's, by JSON message. */
const QUERY_MESSAGES: Record<string, Record<string, string>> = {
  QueueDoesNotExist: { 'The specified queue does not exist.': 'The specified queue does not exist for this wsdl version.' },
};

/** The operation's error as SQS's query frontend answers it: legacy code, query wording, `<Detail/>`. */
export function queryErrorOf(e: AwsError): AwsError {
  const message = QUERY_MESSAGES[e.code]?.[e.message] ?? e.message;
  return new AwsError(e.code, message, e.status, { ...e.options, fields: { ...(e.options.fields ?? {}), Detail: '' } });
}

function invalidAction(action: string): AwsError {
  return sqsError('InvalidAction', `The action ${action} is not valid for this endpoint.`);
}

// ---------------------------------------------------------------------------------------------

/** Every operation wrapped for the query protocol (same names; JSON-shaped operations underneath). */
export function queryOperations(ops: Record<string, Operation>, _store: SqsStore): Record<string, Operation> {
  const out: Record<string, Operation> = {};
  for (const [action, op] of Object.entries(ops)) {
    out[action] = async (params: Record<string, unknown>, ctx: RequestContext) => {
      try {
        if (NOT_ON_QUEUE_URL.has(action) && queueUrlFromPath(ctx) !== undefined) throw invalidAction(action);
        const output = await op(queryInput(action, params, ctx), ctx);
        return queryOutput(action, output);
      } catch (e) {
        throw isAwsError(e) ? queryErrorOf(e) : e;
      }
    };
  }
  return out;
}

/** How SQS's query frontend departs from the generic one (see QueryServiceDef). */
export const SQS_QUERY_FRONTEND = {
  versionOptional: true,
  unknownAction: (action: string) => queryErrorOf(invalidAction(action)),
  noResultWrapper: NO_OUTPUT,
};
