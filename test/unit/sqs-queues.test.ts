/**
 * SQS queue-level rules as pure functions: queue names, attribute checks and normalization,
 * RedrivePolicy / RedriveAllowPolicy / Policy, encryption settling, the AddPermission policy,
 * list paging tokens and move-task handles.
 */
import { AwsError } from '../../src/cloud/errors';
import {
  applyAttributes,
  attributeMap,
  attributeView,
  checkAttributeNames,
  checkCombination,
  checkPolicy,
  defaultAttributes,
  INT_RANGES,
  normalizeAttributes,
  normalizeRedriveAllowPolicy,
  normalizeRedrivePolicy,
  redriveAllowed,
  type AttributeContext,
} from '../../src/cloud/services/sqs/attributes';
import { decodeTaskHandle, encodeTaskHandle } from '../../src/cloud/services/sqs/move-tasks';
import { addPermission, checkPermissionInput, removePermission } from '../../src/cloud/services/sqs/permissions';
import { checkQueueName, checkTags, page } from '../../src/cloud/services/sqs/queues';
import type { MessageQueue, QueueRecord } from '../../src/cloud/services/sqs/types';

/** Run `fn`, expect an AwsError, and answer its code, legacy code, status and message. */
function err(fn: () => unknown): { code: string; queryCode?: string; status: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    return { code: e.code, queryCode: e.options.queryCode, status: e.status, message: e.message };
  }
  throw new Error('expected an AwsError');
}

const ARN = 'arn:aws:sqs:us-east-1:000000000000:src';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:dlq';
const FIFO_DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:dlq.fifo';

function record(name: string, attrs: Record<string, string> = {}, region = 'us-east-1', accountId = '000000000000'): QueueRecord {
  const fifo = name.endsWith('.fifo');
  return {
    name,
    accountId,
    region,
    arn: `arn:aws:sqs:${region}:${accountId}:${name}`,
    fifo,
    attributes: { ...defaultAttributes(fifo), ...attrs },
    tags: {},
    createdMs: 1_700_000_000_999,
    lastModifiedMs: 1_700_000_100_500,
    messages: { counts: () => ({ visible: 3, inFlight: 2, delayed: 1 }) } as unknown as MessageQueue,
  };
}

function context(queues: QueueRecord[], fifo = false, queueArn = ARN): AttributeContext {
  return { fifo, queueArn, accountId: '000000000000', region: 'us-east-1', byArn: (arn) => queues.find((q) => q.arn === arn) };
}

describe('queue names', () => {
  it('accepts 1-80 of [A-Za-z0-9_-] for standard queues', () => {
    expect(() => checkQueueName('a', false)).not.toThrow();
    expect(() => checkQueueName('A-b_9'.padEnd(80, 'x'), false)).not.toThrow();
  });

  it.each(['a'.repeat(81), 'has space', 'dot.name', 'q.fifo', 'slash/name', 'ümlaut'])('refuses %j for a standard queue', (name) => {
    expect(err(() => checkQueueName(name, false))).toEqual({
      code: 'InvalidParameterValueException',
      queryCode: 'InvalidParameterValue',
      status: 400,
      message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    });
  });

  it('counts the .fifo suffix towards the 80 characters of a FIFO queue name', () => {
    expect(() => checkQueueName(`${'a'.repeat(75)}.fifo`, true)).not.toThrow();
    const e = err(() => checkQueueName(`${'a'.repeat(76)}.fifo`, true));
    expect(e.message).toBe(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length',
    );
    expect(err(() => checkQueueName('no-suffix', true)).message).toBe(e.message);
    expect(err(() => checkQueueName('.fifo', true)).message).toBe(e.message);
  });
});

describe('attribute names', () => {
  it('knows no read-only or unknown attribute in CreateQueue / SetQueueAttributes', () => {
    for (const name of ['QueueArn', 'ApproximateNumberOfMessages', 'CreatedTimestamp', 'LastModifiedTimestamp', 'All', 'Foo']) {
      expect(err(() => checkAttributeNames({ [name]: '1' }, false))).toEqual({
        code: 'InvalidAttributeName',
        queryCode: 'InvalidAttributeName',
        status: 400,
        message: `Unknown Attribute ${name}.`,
      });
    }
  });

  it('refuses FIFO attributes on a standard queue as AWS does', () => {
    expect(err(() => checkAttributeNames({ FifoQueue: 'false' }, false)).message).toBe('Unknown Attribute FifoQueue.');
    expect(err(() => checkAttributeNames({ ContentBasedDeduplication: 'false' }, false)).message).toBe('Unknown Attribute ContentBasedDeduplication.');
    expect(err(() => checkAttributeNames({ DeduplicationScope: 'queue' }, false))).toEqual(
      expect.objectContaining({ code: 'InvalidAttributeName', message: 'You can specify the DeduplicationScope only when FifoQueue is set to true.' }),
    );
    expect(err(() => checkAttributeNames({ FifoThroughputLimit: 'perQueue' }, false)).message).toBe(
      'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
    );
  });

  it('accepts FifoQueue=true on a FIFO queue and refuses a change of type', () => {
    expect(() => checkAttributeNames({ FifoQueue: 'true', ContentBasedDeduplication: 'true' }, true)).not.toThrow();
    expect(err(() => checkAttributeNames({ FifoQueue: 'false' }, true))).toEqual({
      code: 'InvalidAttributeValue',
      queryCode: 'InvalidAttributeValue',
      status: 400,
      message: 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    });
  });

  it('reports the first problem in the order given', () => {
    expect(err(() => checkAttributeNames({ VisibilityTimeout: '1', Bar: '1', Foo: '1' }, false)).message).toBe('Unknown Attribute Bar.');
  });
});

describe('attribute values', () => {
  const ctx = context([]);

  it.each(Object.entries(INT_RANGES))('%s accepts its range %j and nothing outside it', (name, [min, max]) => {
    expect(normalizeAttributes({ [name]: String(min) }, ctx)[name]).toBe(String(min));
    expect(normalizeAttributes({ [name]: String(max) }, ctx)[name]).toBe(String(max));
    for (const bad of [String(min - 1), String(max + 1), '', ' 5', '1.5', 'abc', 'true']) {
      expect(err(() => normalizeAttributes({ [name]: bad }, ctx))).toEqual({
        code: 'InvalidAttributeValue',
        queryCode: 'InvalidAttributeValue',
        status: 400,
        message: `Invalid value for the parameter ${name}.`,
      });
    }
  });

  it('stores integers in their plain form', () => {
    expect(normalizeAttributes({ VisibilityTimeout: '0030' }, ctx).VisibilityTimeout).toBe('30');
  });

  it('stores booleans in lower case and refuses anything else', () => {
    expect(normalizeAttributes({ SqsManagedSseEnabled: 'TRUE' }, ctx).SqsManagedSseEnabled).toBe('true');
    expect(normalizeAttributes({ ContentBasedDeduplication: 'False' }, { ...ctx, fifo: true }).ContentBasedDeduplication).toBe('false');
    expect(err(() => normalizeAttributes({ SqsManagedSseEnabled: 'yes' }, ctx)).message).toBe('Invalid value for the parameter SqsManagedSseEnabled.');
  });

  it('checks the FIFO enumerations', () => {
    const f = { ...ctx, fifo: true };
    expect(normalizeAttributes({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' }, f)).toEqual({
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    expect(err(() => normalizeAttributes({ DeduplicationScope: 'group' }, f)).message).toBe('Invalid value for the parameter DeduplicationScope.');
    expect(err(() => normalizeAttributes({ FifoThroughputLimit: 'perGroup' }, f)).message).toBe('Invalid value for the parameter FifoThroughputLimit.');
  });

  it('allows perMessageGroupId only with the messageGroup deduplication scope', () => {
    expect(() => checkCombination({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' })).not.toThrow();
    expect(() => checkCombination({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perQueue' })).not.toThrow();
    expect(err(() => checkCombination({ DeduplicationScope: 'queue', FifoThroughputLimit: 'perMessageGroupId' })).code).toBe('InvalidAttributeValue');
  });

  it('refuses KMS and SQS-managed encryption together', () => {
    expect(err(() => normalizeAttributes({ KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'true' }, ctx))).toEqual(
      expect.objectContaining({
        code: 'InvalidAttributeName',
        message: 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
      }),
    );
  });

  it('reads the JSON attribute map as AWS does: numbers and booleans as text, nulls ignored, objects refused', () => {
    expect(attributeMap({ DelaySeconds: 400, SqsManagedSseEnabled: true, Policy: null })).toEqual({ DelaySeconds: '400', SqsManagedSseEnabled: 'true' });
    expect(attributeMap(undefined)).toEqual({});
    expect(err(() => attributeMap({ DelaySeconds: {} }))).toEqual(
      expect.objectContaining({ code: 'SerializationException', message: 'Start of structure or map found where not expected.' }),
    );
    expect(err(() => attributeMap({ DelaySeconds: [] })).message).toBe('Unrecognized collection type class java.lang.String');
  });
});

describe('encryption settling (applyAttributes)', () => {
  it('a KMS key turns SQS-managed encryption off and shows the default data key reuse period', () => {
    const a = defaultAttributes(false);
    applyAttributes(a, { KmsMasterKeyId: 'testKeyId' });
    expect(a).toEqual(expect.objectContaining({ KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '300', SqsManagedSseEnabled: 'false' }));
  });

  it('clearing the key and the period to their defaults removes both and leaves SSE off (AWS-recorded)', () => {
    const a = defaultAttributes(false);
    applyAttributes(a, { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' });
    expect(a.KmsDataKeyReusePeriodSeconds).toBe('6000');
    applyAttributes(a, { KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300' });
    expect(a).not.toHaveProperty('KmsMasterKeyId');
    expect(a).not.toHaveProperty('KmsDataKeyReusePeriodSeconds');
    expect(a.SqsManagedSseEnabled).toBe('false');
  });

  it('SQS-managed encryption drops a KMS key', () => {
    const a = defaultAttributes(false);
    applyAttributes(a, { KmsMasterKeyId: 'k' });
    applyAttributes(a, { SqsManagedSseEnabled: 'true' });
    expect(a.SqsManagedSseEnabled).toBe('true');
    expect(a).not.toHaveProperty('KmsMasterKeyId');
    expect(a).not.toHaveProperty('KmsDataKeyReusePeriodSeconds');
  });

  it('an empty optional attribute removes it', () => {
    const a: Record<string, string> = { ...defaultAttributes(false), Policy: '{}', RedrivePolicy: 'x' };
    applyAttributes(a, { Policy: '', RedrivePolicy: '' });
    expect(a).not.toHaveProperty('Policy');
    expect(a).not.toHaveProperty('RedrivePolicy');
  });
});

describe('RedrivePolicy', () => {
  const dlq = record('dlq');
  const fifoDlq = record('dlq.fifo');
  const ctx = context([dlq, fifoDlq]);
  const reason = (raw: string, r: string) => `Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${r}`;

  it('is stored with the count as a number, whatever JSON type it came as', () => {
    expect(normalizeRedrivePolicy(`{"maxReceiveCount":"42","deadLetterTargetArn":"${DLQ_ARN}"}`, ctx)).toBe(
      `{"deadLetterTargetArn":"${DLQ_ARN}","maxReceiveCount":42}`,
    );
    expect(normalizeRedrivePolicy('', ctx)).toBe('');
  });

  it.each([
    ['not json', 'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.'],
    ['[1]', 'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.'],
    ['5', 'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.'],
    ['{}', reason('{}', 'Redrive policy does not contain mandatory attribute: maxReceiveCount.')],
    ['{"maxReceiveCount":5}', reason('{"maxReceiveCount":5}', 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.')],
  ])('refuses %s', (raw, message) => {
    expect(err(() => normalizeRedrivePolicy(raw, ctx))).toEqual({
      code: 'InvalidParameterValueException',
      queryCode: 'InvalidParameterValue',
      status: 400,
      message,
    });
  });

  it.each([0, 1001, -36, '"abc"', 2.5])('refuses maxReceiveCount %s', (count) => {
    const raw = `{"deadLetterTargetArn":"${DLQ_ARN}","maxReceiveCount":${count}}`;
    const shown = typeof count === 'string' ? JSON.parse(count) : count;
    expect(err(() => normalizeRedrivePolicy(raw, ctx)).message).toBe(
      reason(raw, `Invalid value for maxReceiveCount: ${shown}, valid values are from 1 to 1000 both inclusive.`),
    );
  });

  it('accepts maxReceiveCount 1 and 1000', () => {
    expect(() => normalizeRedrivePolicy(`{"deadLetterTargetArn":"${DLQ_ARN}","maxReceiveCount":1}`, ctx)).not.toThrow();
    expect(() => normalizeRedrivePolicy(`{"deadLetterTargetArn":"${DLQ_ARN}","maxReceiveCount":1000}`, ctx)).not.toThrow();
  });

  it.each([
    ['dummy', 'Dead-letter target ARN should be fully qualified ARN.'],
    [`${DLQ_ARN}","extra":"1`, 'Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].'],
    ['arn:aws:sns:us-east-1:000000000000:topic', 'Only SQS queues are valid resources for deadLetterTargetArn.'],
    [FIFO_DLQ_ARN, 'Dead-letter queue must be same type of queue as the source..'],
    ['arn:aws:sqs:us-east-1:000000000000:missing', 'Dead letter target does not exist.'],
  ])('refuses target %s', (arn, r) => {
    const raw = `{"deadLetterTargetArn":"${arn}","maxReceiveCount":5}`;
    expect(err(() => normalizeRedrivePolicy(raw, ctx)).message).toBe(reason(raw, r));
  });

  it('needs a FIFO target for a FIFO source', () => {
    const f = context([dlq, fifoDlq], true, 'arn:aws:sqs:us-east-1:000000000000:src.fifo');
    expect(() => normalizeRedrivePolicy(`{"deadLetterTargetArn":"${FIFO_DLQ_ARN}","maxReceiveCount":5}`, f)).not.toThrow();
    expect(err(() => normalizeRedrivePolicy(`{"deadLetterTargetArn":"${DLQ_ARN}","maxReceiveCount":5}`, f)).message).toContain(
      'Dead-letter queue must be same type of queue as the source..',
    );
  });

  it('needs the target in the same region and account', () => {
    const west = record('dlq', {}, 'eu-west-1');
    const other = record('dlq', {}, 'us-east-1', '111111111111');
    const c = context([west, other]);
    expect(err(() => normalizeRedrivePolicy(`{"deadLetterTargetArn":"${west.arn}","maxReceiveCount":5}`, c)).message).toContain(
      'Dead letter target does not exist.',
    );
    expect(err(() => normalizeRedrivePolicy(`{"deadLetterTargetArn":"${other.arn}","maxReceiveCount":5}`, c)).message).toContain(
      'Dead-letter target owner should be same as the source.',
    );
  });

  it("follows the target's RedriveAllowPolicy", () => {
    const raw = `{"deadLetterTargetArn":"${DLQ_ARN}","maxReceiveCount":5}`;
    const deny = record('dlq', { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' });
    expect(err(() => normalizeRedrivePolicy(raw, context([deny]))).code).toBe('InvalidParameterValueException');
    const byOther = record('dlq', { RedriveAllowPolicy: `{"redrivePermission":"byQueue","sourceQueueArns":["${DLQ_ARN}x"]}` });
    expect(err(() => normalizeRedrivePolicy(raw, context([byOther]))).message).toContain('RedriveAllowPolicy');
    const byUs = record('dlq', { RedriveAllowPolicy: `{"redrivePermission":"byQueue","sourceQueueArns":["${ARN}"]}` });
    expect(() => normalizeRedrivePolicy(raw, context([byUs]))).not.toThrow();
    const all = record('dlq', { RedriveAllowPolicy: '{"redrivePermission":"allowAll"}' });
    expect(() => normalizeRedrivePolicy(raw, context([all]))).not.toThrow();
  });
});

describe('RedriveAllowPolicy', () => {
  const unsupported =
    "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it\u2019s in an unsupported format.";
  const reason = (raw: string, r: string) => `Value ${raw} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${r}`;

  it.each(['badjson', '[]', '444', '{}', '{"redrivePermission":"dummy"}', '{"redrivePermission":"allowAll","dummy":1}', '{"redrivePermission":"byQueue","sourceQueueArns":"arn"}', '{"redrivePermission":"byQueue","sourceQueueArns":[{}]}'])(
    'refuses the unsupported format %s',
    (raw) => {
      expect(err(() => normalizeRedriveAllowPolicy(raw))).toEqual({
        code: 'InvalidParameterValueException',
        queryCode: 'InvalidParameterValue',
        status: 400,
        message: unsupported,
      });
    },
  );

  it('refuses source queues without byQueue, byQueue without source queues, and more than 10', () => {
    const a = '{"redrivePermission":"allowAll","sourceQueueArns":["x"]}';
    expect(err(() => normalizeRedriveAllowPolicy(a)).message).toBe(reason(a, 'To specify one or more source queue ARNs, you must set redrivePermission to byQueue.'));
    for (const b of ['{"redrivePermission":"byQueue"}', '{"redrivePermission":"byQueue","sourceQueueArns":[]}']) {
      expect(err(() => normalizeRedriveAllowPolicy(b)).message).toBe(
        reason(b, 'When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.'),
      );
    }
    const eleven = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 11 }, (_, i) => `arn:aws:sqs:us-east-1:000000000000:x${i}`) });
    expect(err(() => normalizeRedriveAllowPolicy(eleven)).message).toBe(reason(eleven, 'The maximum number of source queue ARNs you can specify is 10.'));
    const ten = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 10 }, (_, i) => `arn:aws:sqs:us-east-1:000000000000:x${i}`) });
    expect(normalizeRedriveAllowPolicy(ten)).toBe(ten);
  });

  it('decides who may redrive into a queue', () => {
    expect(redriveAllowed(undefined, ARN)).toBe(true);
    expect(redriveAllowed('{"redrivePermission":"allowAll"}', ARN)).toBe(true);
    expect(redriveAllowed('{"redrivePermission":"denyAll"}', ARN)).toBe(false);
    expect(redriveAllowed(`{"redrivePermission":"byQueue","sourceQueueArns":["${ARN}"]}`, ARN)).toBe(true);
    expect(redriveAllowed(`{"redrivePermission":"byQueue","sourceQueueArns":["${ARN}"]}`, DLQ_ARN)).toBe(false);
  });
});

describe('Policy attribute', () => {
  const statement = { Sid: 's', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: ARN };

  it('accepts IAM policy documents as given', () => {
    const raw = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
    expect(checkPolicy(raw)).toBe(raw);
    expect(() => checkPolicy(JSON.stringify({ Version: '2008-10-17', Id: 'x', Statement: statement }))).not.toThrow();
  });

  it.each([
    'badjson',
    '[]',
    '"s"',
    JSON.stringify({ Version: '4532-10-17', Statement: [statement] }),
    JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    JSON.stringify({ Version: '2012-10-17', Dummy: 1, Statement: [statement] }),
    JSON.stringify({ Version: '2012-10-17', Statement: [{ ...statement, dummy: 1 }] }),
    JSON.stringify({ Version: '2012-10-17', Statement: [{ ...statement, Effect: 'Maybe' }] }),
  ])('refuses %s', (raw) => {
    expect(err(() => checkPolicy(raw))).toEqual(expect.objectContaining({ code: 'InvalidAttributeValue', message: 'Invalid value for the parameter Policy.' }));
  });

  it('allows 20 statements and refuses 21 with OverLimit', () => {
    const many = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: n }, (_, i) => ({ ...statement, Sid: `s${i}` })) });
    expect(() => checkPolicy(many(20))).not.toThrow();
    expect(err(() => checkPolicy(many(21)))).toEqual({
      code: 'OverLimit',
      queryCode: 'OverLimit',
      status: 403,
      message: '21 statements were found in the submitted policy, max allowed is 20',
    });
  });
});

describe('AddPermission / RemovePermission policy', () => {
  it('builds the policy as AWS does: one principal and one action as strings', () => {
    const p = addPermission(undefined, ARN, 'crossaccountpermission', ['000000000000'], ['ReceiveMessage']);
    expect(p).toBe(
      `{"Version":"2008-10-17","Id":"${ARN}/SQSDefaultPolicy","Statement":[{"Sid":"crossaccountpermission","Effect":"Allow",` +
        `"Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"SQS:ReceiveMessage","Resource":"${ARN}"}]}`,
    );
  });

  it('lists several principals and actions', () => {
    const p = JSON.parse(addPermission(undefined, ARN, 'l', ['111111111111', '222222222222'], ['SendMessage', '*']));
    expect(p.Statement[0].Principal.AWS).toEqual(['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root']);
    expect(p.Statement[0].Action).toEqual(['SQS:SendMessage', 'SQS:*']);
  });

  it('appends to an existing policy and refuses a label twice', () => {
    const one = addPermission(undefined, ARN, 'a', ['1'], ['SendMessage']);
    const two = addPermission(one, ARN, 'b', ['1'], ['SendMessage']);
    expect(JSON.parse(two).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['a', 'b']);
    expect(err(() => addPermission(two, ARN, 'a', ['2'], ['ReceiveMessage']))).toEqual({
      code: 'InvalidParameterValueException',
      queryCode: 'InvalidParameterValue',
      status: 400,
      message: 'Value a for parameter Label is invalid. Reason: Already exists.',
    });
  });

  it('appends to a policy set through SetQueueAttributes whose Statement is a single object', () => {
    const custom = JSON.stringify({ Version: '2012-10-17', Id: 'mine', Statement: { Sid: 'x', Effect: 'Allow', Action: 'sqs:*' } });
    const p = JSON.parse(addPermission(custom, ARN, 'y', ['1'], ['SendMessage']));
    expect(p.Id).toBe('mine');
    expect(p.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['x', 'y']);
  });

  it('removes a statement, and the whole policy with the last one', () => {
    const two = addPermission(addPermission(undefined, ARN, 'a', ['1'], ['SendMessage']), ARN, 'b', ['1'], ['SendMessage']);
    const one = removePermission(two, 'a');
    expect(JSON.parse(one).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['b']);
    expect(removePermission(one, 'b')).toBe('');
    expect(err(() => removePermission(one, 'a')).message).toBe("Value a for parameter Label is invalid. Reason: can't find label.");
    expect(err(() => removePermission(undefined, 'a')).message).toBe("Value a for parameter Label is invalid. Reason: can't find label.");
  });

  it('checks the label, the actions and the accounts', () => {
    expect(err(() => checkPermissionInput(undefined, ['1'], ['SendMessage']))).toEqual(
      expect.objectContaining({ code: 'MissingRequiredParameterException', queryCode: 'MissingParameter', message: 'The request must contain the parameter Label.' }),
    );
    expect(err(() => checkPermissionInput('bad label', ['1'], ['SendMessage'])).code).toBe('InvalidParameterValueException');
    expect(err(() => checkPermissionInput('l', ['1'], [])).message).toBe('The request must contain the parameter Actions.');
    expect(err(() => checkPermissionInput('l', ['1'], Array(8).fill('SendMessage')))).toEqual({
      code: 'OverLimit',
      queryCode: 'OverLimit',
      status: 403,
      message: '8 Actions were found, maximum allowed is 7.',
    });
    expect(err(() => checkPermissionInput('l', ['1'], ['DeleteQueue'])).message).toBe(
      'Value SQS:DeleteQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.',
    );
    expect(err(() => checkPermissionInput('l', ['1'], ['Bogus'])).message).toBe(
      'Value SQS:Bogus for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.',
    );
    expect(err(() => checkPermissionInput('l', [], ['SendMessage'])).message).toBe('Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.');
    expect(checkPermissionInput('l', ['1'], ['*', 'SendMessage'])).toEqual({ label: 'l', accountIds: ['1'], actions: ['*', 'SendMessage'] });
  });
});

describe('tags', () => {
  it('takes keys of 1-128 letters, digits, whitespace and _ . : / = + - @ and values up to 256', () => {
    expect(checkTags({ 'a b_.:/=+-@Ü9': '', k: 'v'.repeat(256) }, 'Tags')).toEqual({ 'a b_.:/=+-@Ü9': '', k: 'v'.repeat(256) });
    expect(err(() => checkTags({ ['k'.repeat(129)]: 'v' }, 'Tags')).message).toBe('Tag keys must be between 1 and 128 characters in length.');
    expect(err(() => checkTags({ '': 'v' }, 'Tags')).message).toBe('Tag keys must be between 1 and 128 characters in length.');
    expect(err(() => checkTags({ 'a#b': 'v' }, 'Tags')).message).toBe(
      'Tag keys may only contain unicode letters, digits, whitespace, or one of these symbols: _ . : / = + - @',
    );
    expect(err(() => checkTags({ k: 'v'.repeat(257) }, 'Tags')).code).toBe('InvalidParameterValueException');
  });
});

describe('list paging', () => {
  const queues = ['a', 'b', 'c', 'd', 'e'].map((n) => record(n));

  it('answers everything (up to 1000) and no token without MaxResults', () => {
    expect(page(queues, {}, 's')).toEqual({ items: queues, next: undefined });
  });

  it('pages with MaxResults and continues after the last name', () => {
    const p1 = page(queues, { MaxResults: 2 }, 's');
    expect(p1.items.map((q) => q.name)).toEqual(['a', 'b']);
    const p2 = page(queues, { MaxResults: 2, NextToken: p1.next }, 's');
    expect(p2.items.map((q) => q.name)).toEqual(['c', 'd']);
    const p3 = page(queues, { MaxResults: 2, NextToken: p2.next }, 's');
    expect(p3).toEqual({ items: [queues[4]], next: undefined });
    // A queue removed between pages does not shift the next page.
    expect(page(queues.filter((q) => q.name !== 'a'), { MaxResults: 2, NextToken: p1.next }, 's').items.map((q) => q.name)).toEqual(['c', 'd']);
  });

  it('checks MaxResults and NextToken', () => {
    const bad = 'Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.';
    expect(err(() => page(queues, { MaxResults: 0 }, 's')).message).toBe(bad);
    expect(err(() => page(queues, { MaxResults: 1001 }, 's')).message).toBe(bad);
    expect(err(() => page(queues, { MaxResults: 1.5 }, 's')).message).toBe(bad);
    expect(() => page(queues, { MaxResults: 1000 }, 's')).not.toThrow();
    const token = page(queues, { MaxResults: 1 }, 's').next;
    expect(err(() => page(queues, { NextToken: token }, 's')).message).toBe('MaxResults is a mandatory parameter when you provide a value for NextToken.');
    expect(err(() => page(queues, { MaxResults: 1, NextToken: 'garbage' }, 's')).message).toBe('Invalid NextToken value.');
    expect(err(() => page(queues, { MaxResults: 1, NextToken: token }, 'other')).message).toBe(
      'Invalid NextToken value. If you are passing in NextToken, you must not change the other request parameters.',
    );
  });
});

describe('GetQueueAttributes view', () => {
  it('answers All in AWS order with timestamps in epoch seconds and live counters', () => {
    const q = record('q', { Policy: '{"p":1}' });
    const view = attributeView(q, ['All']);
    expect(Object.keys(view)).toEqual([
      'QueueArn',
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
      'CreatedTimestamp',
      'LastModifiedTimestamp',
      'VisibilityTimeout',
      'MaximumMessageSize',
      'MessageRetentionPeriod',
      'DelaySeconds',
      'Policy',
      'ReceiveMessageWaitTimeSeconds',
      'SqsManagedSseEnabled',
    ]);
    expect(view).toEqual(
      expect.objectContaining({
        ApproximateNumberOfMessages: '3',
        ApproximateNumberOfMessagesNotVisible: '2',
        ApproximateNumberOfMessagesDelayed: '1',
        CreatedTimestamp: '1700000000',
        LastModifiedTimestamp: '1700000100',
      }),
    );
  });

  it('answers named attributes once each, leaves out what the queue does not have, refuses unknown names', () => {
    const q = record('q');
    expect(attributeView(q, ['VisibilityTimeout', 'FifoQueue', 'VisibilityTimeout', 'Policy'])).toEqual({ VisibilityTimeout: '30' });
    expect(err(() => attributeView(q, ['VisibilityTimeout', 'Foobar']))).toEqual(expect.objectContaining({ code: 'InvalidAttributeName', message: 'Unknown Attribute Foobar.' }));
    expect(attributeView(record('f.fifo'), ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'])).toEqual({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
  });
});

describe('move task handles', () => {
  it('are base64 JSON of the task id and the source ARN', () => {
    const h = encodeTaskHandle('10f57157-fc38-4da9-a113-4de7e12d05dd', ARN);
    expect(JSON.parse(Buffer.from(h, 'base64').toString())).toEqual({ taskId: '10f57157-fc38-4da9-a113-4de7e12d05dd', sourceArn: ARN });
    expect(decodeTaskHandle(h)).toEqual({ taskId: '10f57157-fc38-4da9-a113-4de7e12d05dd', sourceArn: ARN });
    expect(decodeTaskHandle('foobared')).toBeUndefined();
    expect(decodeTaskHandle(Buffer.from('{"taskId":1}').toString('base64'))).toBeUndefined();
  });
});
