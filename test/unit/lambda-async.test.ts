import { deadLetterAttributes, errorMessageOf, invocationRecord, recordEvent, recordText, SNS_RECORD_LIMIT, type RecordInput } from '../../src/cloud/lambda/async/records';
import { chainCount, functionHash, isRecursive, nextTraceHeader, parseRecursiveLoop, RECURSION_LIMIT } from '../../src/cloud/lambda/async/recursion';
import { allowsServiceInvoke } from '../../src/cloud/lambda/async/permission';
import type { PolicyStatement } from '../../src/cloud/lambda/model';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const base: RecordInput = {
  requestId: 'r-1',
  functionArn: `${FN}:$LATEST`,
  condition: 'RetriesExhausted',
  approximateInvokeCount: 3,
  timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  requestPayload: Buffer.from('{"a":1}'),
  last: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"boom","errorType":"Error"}') },
};

describe('the invocation record', () => {
  it('has AWS’s keys in AWS’s order, with the payloads embedded as JSON', () => {
    const r = invocationRecord(base);
    expect(Object.keys(r)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
    expect(r).toEqual({
      version: '1.0',
      timestamp: '2026-01-02T03:04:05.678Z',
      requestContext: { requestId: 'r-1', functionArn: `${FN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { a: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'boom', errorType: 'Error' },
    });
  });

  it('leaves out functionError on success and the response parts when the event never ran', () => {
    const ok = invocationRecord({ ...base, condition: 'Success', last: { statusCode: 200, executedVersion: '1', payload: Buffer.from('"hi"') } });
    expect(ok.responseContext).toEqual({ statusCode: 200, executedVersion: '1' });
    expect(ok.responsePayload).toBe('hi');
    const never = invocationRecord({ ...base, condition: 'EventAgeExceeded', approximateInvokeCount: 0, last: undefined });
    expect(Object.keys(never)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload']);
  });

  it('drops the payloads for an SNS destination when the record is over 256 KB, not for SQS', () => {
    const big = { ...base, requestPayload: Buffer.from(JSON.stringify({ s: 'x'.repeat(SNS_RECORD_LIMIT) })) };
    expect(JSON.parse(recordText(big, 'sns')).requestPayload).toBeUndefined();
    expect(JSON.parse(recordText(big, 'sqs')).requestPayload.s).toHaveLength(SNS_RECORD_LIMIT);
  });

  it('is an EventBridge event with source lambda, the detail-type by outcome, and [bus, function] resources', () => {
    const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/b';
    const e = recordEvent(base, bus);
    expect(e.source).toBe('lambda');
    expect(e.detailType).toBe('Lambda Function Invocation Result - Failure');
    expect(e.resources).toEqual([bus, `${FN}:$LATEST`]);
    expect(recordEvent({ ...base, condition: 'Success' }, bus).detailType).toBe('Lambda Function Invocation Result - Success');
  });
});

describe('dead-letter message attributes', () => {
  it('carry RequestID, ErrorCode as a Number and ErrorMessage cut to 1 KB on a character boundary', () => {
    const a = deadLetterAttributes('r-1', 200, 'é'.repeat(600));
    expect(a.RequestID).toEqual({ DataType: 'String', StringValue: 'r-1' });
    expect(a.ErrorCode).toEqual({ DataType: 'Number', StringValue: '200' });
    expect(Buffer.byteLength(a.ErrorMessage.StringValue!)).toBe(1024);
    expect(a.ErrorMessage.StringValue).toBe('é'.repeat(512));
  });

  it('take the errorMessage of an error payload, or the payload text', () => {
    expect(errorMessageOf(Buffer.from('{"errorMessage":"bad thing"}'))).toBe('bad thing');
    expect(errorMessageOf(Buffer.from('plain'))).toBe('plain');
  });
});

describe('recursion lineage', () => {
  it('counts each function of the chain in the Lineage field and keeps the rest of the header', () => {
    const fresh = () => 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0';
    let h = nextTraceHeader(undefined, FN, fresh);
    expect(h).toMatch(/^Root=1-0+-0+;Parent=0+;Sampled=0;Lineage=[0-9a-f]{8}:1$/);
    h = nextTraceHeader(h, FN, fresh);
    h = nextTraceHeader(h, `${FN}2`, fresh);
    expect(chainCount(h, FN)).toBe(2);
    expect(chainCount(h, `${FN}2`)).toBe(1);
    expect(h).toContain(`Lineage=${functionHash(FN)}:2|${functionHash(`${FN}2`)}:1`);
  });

  it(`stops the chain when a function has run ${RECURSION_LIMIT} times in it`, () => {
    let h: string | undefined;
    for (let i = 0; i < RECURSION_LIMIT; i++) {
      expect(isRecursive(h, FN)).toBe(false);
      h = nextTraceHeader(h, FN, () => 'Root=1-1-1');
    }
    expect(isRecursive(h, FN)).toBe(true);
    expect(isRecursive(h, `${FN}-other`)).toBe(false);
  });

  it('accepts Terminate and Allow only, with AWS’s text', () => {
    expect(parseRecursiveLoop('Allow')).toBe('Allow');
    expect(() => parseRecursiveLoop('InvalidValue')).toThrow(
      "1 validation error detected: Value 'InvalidValue' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Terminate, Allow]",
    );
  });
});

describe('the resource-policy check for service principals', () => {
  const topic = 'arn:aws:sns:us-east-1:000000000000:t';
  const st = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
    Sid: 's',
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: FN,
    ...extra,
  });
  const caller = { principal: 'sns.amazonaws.com', sourceArn: topic, sourceAccount: '000000000000' };

  it('allows the named service, with or without a SourceArn condition that matches', () => {
    expect(allowsServiceInvoke([st()], caller)).toBe(true);
    expect(allowsServiceInvoke([st({ Condition: { ArnLike: { 'AWS:SourceArn': topic } } })], caller)).toBe(true);
    expect(allowsServiceInvoke([st({ Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:sns:us-east-1:000000000000:*' } } })], caller)).toBe(true);
  });

  it('refuses without a statement, another service, another source or another action', () => {
    expect(allowsServiceInvoke(undefined, caller)).toBe(false);
    expect(allowsServiceInvoke([st({ Principal: { Service: 'events.amazonaws.com' } })], caller)).toBe(false);
    expect(allowsServiceInvoke([st({ Condition: { ArnLike: { 'AWS:SourceArn': `${topic}-other` } } })], caller)).toBe(false);
    expect(allowsServiceInvoke([st({ Action: 'lambda:GetFunction' })], caller)).toBe(false);
    expect(allowsServiceInvoke([st({ Condition: { StringEquals: { 'AWS:SourceAccount': '111111111111' } } })], caller)).toBe(false);
  });
});
