import { Clock } from '../../src/cloud/clock';
import { AwsError } from '../../src/cloud/errors';
import { handleJson, jsonError, wireJson } from '../../src/cloud/protocols/json';
import type { JsonServiceDef, RawRequest, RequestContext } from '../../src/cloud/protocols/types';

const ctx: RequestContext = { requestId: 'req-1', region: 'us-east-1', accountId: '000000000000', endpoint: 'http://127.0.0.1:1', path: '/', clock: new Clock() };
const req = (body: string): RawRequest => ({ method: 'POST', path: '/', query: new URLSearchParams(), headers: {}, body: Buffer.from(body) });

const def: JsonServiceDef = {
  protocol: 'json',
  signingName: 'test',
  targetPrefix: 'Test_2020',
  jsonVersion: '1.0',
  awsQueryCompatible: true,
  errorTypePrefix: 'com.amazonaws.test#',
  operations: {
    Echo: (input: unknown) => ({ input, when: new Date(1700000000500), blob: Buffer.from('hi') }),
    Fail: () => {
      throw new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400, {
        queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
        fields: { Extra: 1 },
        headers: { 'retry-after': '1' },
      });
    },
    Crash: () => {
      throw new Error('bug');
    },
  },
};

test('success: JSON body, dates as epoch seconds, blobs as base64, headers', async () => {
  const r = await handleJson(def, 'Echo', req('{"a":[1]}'), ctx);
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toBe('application/x-amz-json-1.0');
  expect(r.headers['x-amzn-requestid']).toBe('req-1');
  expect(JSON.parse(r.body as string)).toEqual({ input: { a: [1] }, when: 1700000000.5, blob: 'aGk=' });
  expect(JSON.parse((await handleJson(def, 'Echo', req('  '), ctx)).body as string).input).toEqual({});
});

test('errors: __type prefix, fields, x-amzn-ErrorType, query-compatible header', async () => {
  const r = await handleJson(def, 'Fail', req('{}'), ctx);
  expect(r.status).toBe(400);
  expect(JSON.parse(r.body as string)).toEqual({ __type: 'com.amazonaws.test#QueueDoesNotExist', message: 'The specified queue does not exist.', Extra: 1 });
  expect(r.headers['x-amzn-errortype']).toBe('QueueDoesNotExist');
  expect(r.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
  expect(r.headers['retry-after']).toBe('1');
});

test('malformed bodies, unknown operations and internal failures', async () => {
  const bad = await handleJson(def, 'Echo', req('{'), ctx);
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.body as string)).toEqual({ __type: 'com.amazonaws.test#SerializationException' });
  expect(JSON.parse((await handleJson(def, 'Echo', req('"x"'), ctx)).body as string).__type).toContain('SerializationException');
  const unknown = await handleJson(def, 'toString', req('{}'), ctx);
  expect(JSON.parse(unknown.body as string)).toEqual({ __type: 'com.amazonaws.test#UnknownOperationException' });
  const crash = await handleJson(def, 'Crash', req('{}'), ctx);
  expect(crash.status).toBe(500);
  expect(JSON.parse(crash.body as string).__type).toBe('com.amazonaws.test#InternalFailure');
  expect(crash.headers['x-amzn-query-error']).toBe('InternalFailure;Receiver');
});

test('jsonError without a service', () => {
  const r = jsonError(undefined, new AwsError('UnknownOperationException', '', 400), ctx);
  expect(r.headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(JSON.parse(r.body as string)).toEqual({ __type: 'UnknownOperationException' });
});

test('wireJson leaves plain values, drops undefined members, writes Dates as epoch seconds and bytes as base64', () => {
  expect(JSON.parse(wireJson({ a: undefined, b: null, c: [new Date(1500)], d: new Uint8Array([1]), e: Buffer.from('hi'), f: { g: 'x' } }))).toEqual({
    b: null,
    c: [1.5],
    d: 'AQ==',
    e: 'aGk=',
    f: { g: 'x' },
  });
  expect(wireJson(new Date(0))).toBe('0');
  // A view into a larger buffer encodes only its own bytes.
  expect(JSON.parse(wireJson({ v: Buffer.from('xhiy').subarray(1, 3) }))).toEqual({ v: 'aGk=' });
});
