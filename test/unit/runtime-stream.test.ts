/**
 * Response streaming in the runtime: the `awslambda` global, streamified handlers writing through
 * the Runtime API (Lambda-Runtime-Function-Response-Mode: streaming, chunked, error trailers), to a
 * streaming invocation's sink or, for a buffered invoke, into one payload. Real function processes.
 */
import { EnvironmentManager } from '../../src/cloud/lambda/runtime/manager';
import { ENDPOINT, Fixture } from '../runtime/helpers';
import type { InvokeRequest, ResponseSink, VersionSpec } from '../../src/cloud/lambda/runtime/types';

jest.setTimeout(30000);

let fx: Fixture;
let slow: Fixture;
beforeAll(() => {
  fx = new Fixture();
  // Small streaming limits, so that shaping and the size limit show in milliseconds and kilobytes.
  slow = new Fixture();
  (slow as { manager: EnvironmentManager }).manager = new EnvironmentManager({
    clock: slow.clock,
    logSink: slow.sink,
    dataDir: `${slow.root}/data`,
    endpoint: () => ENDPOINT,
    streamLimits: { maxBytes: 300 * 1024, burstBytes: 64 * 1024, bytesPerSecond: 256 * 1024 },
  });
});
afterAll(async () => {
  await fx.close();
  await slow.close();
});

interface Streamed {
  contentType?: string;
  streaming?: boolean;
  chunks: { at: number; data: Buffer }[];
}

function collector(hold?: (n: number) => Promise<void> | void): { sink: ResponseSink; got: Streamed } {
  const got: Streamed = { chunks: [] };
  const sink: ResponseSink = {
    start: (contentType, streaming) => {
      got.contentType = contentType;
      got.streaming = streaming;
    },
    write: (data) => {
      got.chunks.push({ at: Date.now(), data });
      return hold?.(got.chunks.length);
    },
  };
  return { sink, got };
}

async function streamInvoke(f: Fixture, spec: VersionSpec, event: unknown = {}, over: Partial<InvokeRequest> = {}) {
  const { sink, got } = collector();
  const r = await f.manager.invoke(spec, f.req(spec, event, { sink, ...over }));
  return { ...r, got, body: Buffer.concat(got.chunks.map((c) => c.data)).toString('latin1') };
}

const streamified = (body: string) => `exports.handler = awslambda.streamifyResponse(async (event, stream, context) => { ${body} });`;

describe('the awslambda global', () => {
  test('offers streamifyResponse and HttpResponseStream.from to the function code', async () => {
    const spec = fx.fn({ 'index.js': `exports.handler = async () => ({ s: typeof awslambda.streamifyResponse, h: typeof awslambda.HttpResponseStream.from });` });
    const r = await fx.invoke(spec);
    expect(r.json).toEqual({ s: 'function', h: 'function' });
  });

  test('is left out with AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA=1', async () => {
    const spec = fx.fn({ 'index.js': `exports.handler = async () => typeof globalThis.awslambda;` }, { environment: { AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA: '1' } });
    expect((await fx.invoke(spec)).json).toBe('undefined');
  });

  test('a handler marked for a streaming mode other than response fails the init', async () => {
    const spec = fx.fn({ 'index.js': `exports.handler = async () => 1; exports.handler[Symbol.for('aws.lambda.runtime.handler.streaming')] = 'request';` });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Runtime.MalformedStreamingHandler');
    expect(r.json.errorMessage).toBe('Only response streaming is supported.');
  });
});

describe('a streaming invocation of a streamified handler', () => {
  test('passes each write to the sink as it is written, with the default content type', async () => {
    const spec = fx.fn({ 'index.js': streamified(`stream.write('a'); await new Promise((r) => setTimeout(r, 300)); stream.write(Buffer.from('b')); stream.write({ c: 1 }); stream.end();`) });
    const r = await streamInvoke(fx, spec);
    expect(r.functionError).toBeUndefined();
    expect(r.payload.length).toBe(0);
    expect(r.got.contentType).toBe('application/octet-stream');
    expect(r.got.streaming).toBe(true);
    expect(r.body).toBe('ab{"c":1}');
    expect(r.got.chunks[1].at - r.got.chunks[0].at).toBeGreaterThanOrEqual(200);
    expect(r.log).toMatch(/^START RequestId: .*\nEND RequestId: .*\nREPORT RequestId: /);
  });

  test('sends the HttpResponseStream prelude before the first write, with its content type', async () => {
    const spec = fx.fn({ 'index.js': streamified(`stream = awslambda.HttpResponseStream.from(stream, { statusCode: 202, headers: { 'x-a': 'b' }, cookies: ['c=1'] }); stream.write('body'); stream.end();`) });
    const r = await streamInvoke(fx, spec);
    expect(r.got.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(r.body).toBe('{"statusCode":202,"headers":{"x-a":"b"},"cookies":["c=1"]}\0\0\0\0\0\0\0\0body');
  });

  test('takes setContentType before the first write, and fails the invocation after it', async () => {
    const ok = fx.fn({ 'index.js': streamified(`stream.setContentType('text/csv'); stream.write('a,b'); stream.end();`) });
    expect((await streamInvoke(fx, ok)).got.contentType).toBe('text/csv');
    const late = fx.fn({ 'index.js': streamified(`stream.write('x'); stream.setContentType('text/csv'); stream.end();`) });
    const r = await streamInvoke(fx, late);
    expect(r.body).toBe('x');
    expect(r.errorType).toBe('Runtime.InvalidStreamingOperation');
    expect(JSON.parse(r.payload.toString()).errorMessage).toBe('Cannot set content-type, too late.');
  });

  test('ends the stream with the error a handler throws after writing, logged as Invoke Error', async () => {
    const spec = fx.fn({ 'index.js': streamified(`stream.write('partial'); await new Promise((r) => setTimeout(r, 20)); const e = new TypeError('bad upstream'); throw e;`) });
    const r = await streamInvoke(fx, spec);
    expect(r.body).toBe('partial');
    expect(r.functionError).toBe('Unhandled');
    expect(r.errorType).toBe('TypeError');
    expect(JSON.parse(r.payload.toString())).toEqual(expect.objectContaining({ errorType: 'TypeError', errorMessage: 'bad upstream' }));
    expect(r.log).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"bad upstream"/);
  });

  test('refuses a handler that does not return a promise', async () => {
    const spec = fx.fn({ 'index.js': `exports.handler = awslambda.streamifyResponse((event, stream) => { stream.write('x'); });` });
    const r = await streamInvoke(fx, spec);
    expect(r.errorType).toBe('string');
    expect(JSON.parse(r.payload.toString()).errorMessage).toBe('Streaming does not support non-async handlers.');
  });

  test('warns that a returned value is ignored', async () => {
    const spec = fx.fn({ 'index.js': streamified(`stream.end('done'); return { ignored: true };`) });
    const r = await streamInvoke(fx, spec);
    expect(r.functionError).toBeUndefined();
    expect(r.body).toBe('done');
    expect(r.log).toMatch(/\tWARN\tStreaming handlers ignore return values\./);
  });

  test('times out when the handler never ends its stream', async () => {
    const spec = fx.fn({ 'index.js': streamified(`stream.write('started');`) }, { timeout: 1 });
    const r = await streamInvoke(fx, spec);
    expect(r.body).toBe('started');
    expect(r.errorType).toBe('Sandbox.Timedout');
  });

  test('reports a crash after the first bytes as Runtime.ExitError, and an uncaught error before them as that error', async () => {
    const after = fx.fn({ 'index.js': streamified(`stream.write('a'); await new Promise((r) => setTimeout(r, 50)); setImmediate(() => { throw new RangeError('late'); }); await new Promise(() => {});`) });
    const r1 = await streamInvoke(fx, after);
    expect(r1.body).toBe('a');
    expect(r1.errorType).toBe('Runtime.ExitError');
    expect(r1.log).toContain('Uncaught Exception');
    const before = fx.fn({ 'index.js': streamified(`setImmediate(() => { throw new RangeError('early'); }); await new Promise(() => {});`) });
    const r2 = await streamInvoke(fx, before);
    expect(r2.got.chunks).toHaveLength(0);
    expect(r2.errorType).toBe('RangeError');
  });

  test('keeps the environment warm: the next invocation reuses it, after the event loop empties', async () => {
    const spec = fx.fn({ 'index.js': `let n = 0; ` + streamified(`n++; stream.end(String(n)); setTimeout(() => {}, 300);`) });
    const t0 = Date.now();
    const r1 = await streamInvoke(fx, spec);
    expect(r1.body).toBe('1');
    expect(Date.now() - t0).toBeLessThan(3000);
    const r2 = await streamInvoke(fx, spec);
    expect(r2.body).toBe('2');
    expect(r2.environmentId).toBe(r1.environmentId);
    expect(r2.coldStart).toBe(false);
  });

  test('streams a handler that is not streamified as its buffered JSON answer', async () => {
    const spec = fx.fn({ 'index.js': `exports.handler = async (e) => ({ statusCode: 201, body: 'x' });` });
    const r = await streamInvoke(fx, spec);
    expect(r.got.streaming).toBe(false);
    expect(r.got.contentType).toBe('application/json');
    expect(r.body).toBe('{"statusCode":201,"body":"x"}');
  });

  test('holds the function back while the reader is slow', async () => {
    const spec = fx.fn({ 'index.js': streamified(`for (let i = 0; i < 3; i++) { stream.write('c' + i); await new Promise((r) => setTimeout(r, 10)); } stream.end();`) });
    const { sink, got } = collector((n) => (n === 1 ? new Promise((r) => setTimeout(r, 400)) : undefined));
    const r = await fx.manager.invoke(spec, fx.req(spec, {}, { sink }));
    expect(got.chunks.map((c) => c.data.toString())).toEqual(['c0', 'c1', 'c2']);
    expect(got.chunks[1].at - got.chunks[0].at).toBeGreaterThanOrEqual(350);
    expect(r.functionError).toBeUndefined();
  });

  test('fails the invocation when the runtime names a response mode other than streaming', async () => {
    const spec = fx.fn({
      'index.js': `const http = require('http');
        exports.handler = async (event, context) => new Promise((resolve) => {
          const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
          const req = http.request({ host, port, method: 'POST', path: '/2018-06-01/runtime/invocation/' + context.awsRequestId + '/response',
            headers: { 'Lambda-Runtime-Function-Response-Mode': 'buffered' } }, (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve({ status: res.statusCode, body: b })); });
          req.end('{}');
        });`,
    });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Runtime.InvalidResponseModeHeader');
  });
});

describe('AWS streaming limits (here scaled down: 64 KiB at full speed, then 256 KiB/s, 300 KiB per response)', () => {
  test('shapes the response after the burst', async () => {
    // 64 KiB go at once; 128 KiB more need four 32 KiB refills of 125 ms.
    const spec = slow.fn({ 'index.js': streamified(`stream.write(Buffer.alloc(64 * 1024, 'a')); stream.write(Buffer.alloc(128 * 1024, 'b')); stream.end();`) });
    const t0 = Date.now();
    const r = await streamInvoke(slow, spec);
    expect(r.body.length).toBe(192 * 1024);
    expect(r.functionError).toBeUndefined();
    const lastAt = r.got.chunks[r.got.chunks.length - 1].at;
    expect(lastAt - r.got.chunks[0].at).toBeGreaterThanOrEqual(350);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('cuts a response past the limit and fails it with Function.ResponseSizeTooLarge', async () => {
    const spec = slow.fn({ 'index.js': streamified(`stream.write(Buffer.alloc(64 * 1024)); stream.write(Buffer.alloc(64 * 1024)); stream.write(Buffer.alloc(200 * 1024)); stream.end();`) });
    const r = await streamInvoke(slow, spec);
    expect(r.body.length).toBe(300 * 1024);
    expect(r.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(JSON.parse(r.payload.toString()).errorMessage).toBe(`Response payload size exceeded maximum allowed payload size (${300 * 1024} bytes).`);
  });

  test('does not shape a buffered invoke of a streamified handler', async () => {
    const spec = slow.fn({ 'index.js': streamified(`stream.write(Buffer.alloc(256 * 1024, 'z')); stream.end();`) });
    const t0 = Date.now();
    const r = await slow.invoke(spec);
    expect(r.payload.length).toBe(256 * 1024);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('a buffered invocation of a streamified handler', () => {
  test('answers the whole body, prelude bytes included', async () => {
    const spec = fx.fn({ 'index.js': streamified(`stream = awslambda.HttpResponseStream.from(stream, { statusCode: 200 }); stream.write('a'); stream.write('b'); stream.end();`) });
    const r = await fx.invoke(spec);
    expect(r.functionError).toBeUndefined();
    expect(r.payload.toString('latin1')).toBe('{"statusCode":200}\0\0\0\0\0\0\0\0ab');
  });

  test('answers the error a handler failed with mid-stream', async () => {
    const spec = fx.fn({ 'index.js': streamified(`stream.write('a'); throw new Error('midway');`) });
    const r = await fx.invoke(spec);
    expect(r.functionError).toBe('Unhandled');
    expect(r.errorType).toBe('Error');
    expect(r.json).toEqual(expect.objectContaining({ errorType: 'Error', errorMessage: 'midway' }));
  });

  test('fails a body over 6 MB with Function.ResponseSizeTooLarge', async () => {
    const spec = fx.fn({ 'index.js': streamified(`for (let i = 0; i < 7; i++) stream.write(Buffer.alloc(1024 * 1024)); stream.end();`) });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Function.ResponseSizeTooLarge');
  });

  test('keeps the logs complete before END: output written while streaming is in the invocation', async () => {
    const spec = fx.fn({ 'index.js': streamified(`console.log('before'); stream.write('x'); console.log('after'); stream.end(); console.log('ended');`) });
    const r = await fx.invoke(spec);
    const lines = r.log.split('\n');
    const end = lines.findIndex((l) => l.startsWith('END RequestId'));
    for (const word of ['before', 'after', 'ended']) {
      const at = lines.findIndex((l) => l.endsWith(`\tINFO\t${word}`));
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(end);
    }
  });
});
