/**
 * Response streaming through the InvokeWithResponseStream API: a streamified handler's chunks reach
 * the caller as it writes them, then InvokeComplete. LocalStack's free edition does not implement
 * the operation: the suite is skipped there with the reason printed.
 */
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  ResourceNotFoundException,
  type InvokeWithResponseStreamCommandInput,
  type InvokeWithResponseStreamResponseEvent,
} from '@aws-sdk/client-lambda';
import { decode, getTestbed, logTail, payload } from '../_support/testbed';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'http-streaming',
    functions: {
      stream: { code: 'stream', timeout: 10 },
      short: { code: 'stream', timeout: 1 },
      echo: { code: 'echo' },
    },
  });

interface Received {
  chunks: { at: number; text: string; bytes: Buffer }[];
  complete?: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string };
  statusCode?: number;
  executedVersion?: string;
  contentType?: string;
}

/** Invoke with a response stream and read every event, noting when each chunk arrived. */
async function invokeStream(input: InvokeWithResponseStreamCommandInput): Promise<Received> {
  const out = await tb.clients.lambda.send(new InvokeWithResponseStreamCommand(input));
  const got: Received = { chunks: [], statusCode: out.StatusCode, executedVersion: out.ExecutedVersion, contentType: out.ResponseStreamContentType };
  for await (const ev of out.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>) {
    if (ev.PayloadChunk?.Payload) {
      const bytes = Buffer.from(ev.PayloadChunk.Payload);
      got.chunks.push({ at: Date.now(), text: bytes.toString('utf8'), bytes });
    }
    if (ev.InvokeComplete) got.complete = ev.InvokeComplete;
  }
  return got;
}

const text = (r: Received) => r.chunks.map((c) => c.text).join('');

tb.describeIf('responseStreaming')('InvokeWithResponseStream', () => {
  it('streams each chunk as the handler writes it, then InvokeComplete', async () => {
    const { functions } = await stack();
    const r = await invokeStream({ FunctionName: functions.stream.name, Payload: payload({ chunks: ['one ', 'two ', 'three'], delayMs: 400 }) });
    expect(r.statusCode).toBe(200);
    expect(r.executedVersion).toBe('$LATEST');
    expect(r.contentType).toBe('application/vnd.amazon.eventstream');
    expect(r.chunks.map((c) => c.text)).toEqual(['one ', 'two ', 'three']);
    // Written 400 ms apart, they arrive apart: the caller is not handed one buffered body.
    expect(r.chunks[1].at - r.chunks[0].at).toBeGreaterThanOrEqual(250);
    expect(r.chunks[2].at - r.chunks[1].at).toBeGreaterThanOrEqual(250);
    expect(r.complete).toBeDefined();
    expect(r.complete!.ErrorCode).toBeUndefined();
    expect(r.complete!.LogResult).toBeUndefined();
  });

  it('returns the last 4 KB of the log in InvokeComplete with LogType Tail', async () => {
    const { functions } = await stack();
    const r = await invokeStream({ FunctionName: functions.stream.name, LogType: 'Tail', Payload: payload({ chunks: ['x'] }) });
    const log = logTail(r.complete!.LogResult);
    expect(log).toMatch(/^START RequestId: \S+ Version: \$LATEST$/m);
    expect(log).toMatch(/^END RequestId: /m);
    expect(log).toMatch(/^REPORT RequestId: \S+\tDuration: /m);
  });

  it('passes the HttpResponseStream prelude on as bytes: JSON metadata, then 8 NUL bytes, then the body', async () => {
    const { functions } = await stack();
    const prelude = { statusCode: 201, headers: { 'x-kind': 'demo' } };
    const r = await invokeStream({ FunctionName: functions.stream.name, Payload: payload({ prelude, chunks: ['body'] }) });
    const all = Buffer.concat(r.chunks.map((c) => c.bytes));
    expect(all.toString('latin1')).toBe(`${JSON.stringify(prelude)}\0\0\0\0\0\0\0\0body`);
  });

  it('reports an error thrown mid-stream in InvokeComplete, after the chunks written before it', async () => {
    const { functions } = await stack();
    const r = await invokeStream({ FunctionName: functions.stream.name, LogType: 'Tail', Payload: payload({ chunks: ['a', 'b', 'c'], failAfter: 2, message: 'lost the upstream' }) });
    expect(text(r)).toBe('ab');
    expect(r.statusCode).toBe(200);
    expect(r.complete).toEqual(expect.objectContaining({ ErrorCode: 'Unhandled', ErrorDetails: 'lost the upstream' }));
    // The function's own error is in its logs.
    expect(logTail(r.complete!.LogResult)).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"lost the upstream"/);
  });

  it('reports a timeout in InvokeComplete once the chunks written in time are out', async () => {
    const { functions } = await stack();
    const r = await invokeStream({ FunctionName: functions.short.name, Payload: payload({ chunks: ['early'], hang: true }) });
    expect(text(r)).toBe('early');
    expect(r.complete).toEqual(expect.objectContaining({ ErrorCode: 'Sandbox.Timedout' }));
    expect(r.complete!.ErrorDetails).toMatch(/Task timed out after 1\.00 seconds/);
  });

  it('reports a crash mid-stream as Runtime.ExitError', async () => {
    const { functions } = await stack();
    const r = await invokeStream({ FunctionName: functions.stream.name, Payload: payload({ chunks: ['a', 'b'], delayMs: 100, exitAfter: 1 }) });
    expect(text(r)).toBe('a');
    expect(r.complete).toEqual(expect.objectContaining({ ErrorCode: 'Runtime.ExitError' }));
    expect(r.complete!.ErrorDetails).toMatch(/Runtime exited with error: exit status 1/);
  });

  it('streams the result of a handler that is not streamified as its JSON text', async () => {
    const { functions } = await stack();
    const r = await invokeStream({ FunctionName: functions.echo.name, Payload: payload({ hello: 'stream' }) });
    expect(JSON.parse(text(r)).event).toEqual({ hello: 'stream' });
    expect(r.complete!.ErrorCode).toBeUndefined();
  });

  it('validates with DryRun: 204 and the version, no stream', async () => {
    const { functions } = await stack();
    const out = await tb.clients.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: functions.stream.name, InvocationType: 'DryRun' }));
    expect(out.StatusCode).toBe(204);
    expect(out.ExecutedVersion).toBe('$LATEST');
  });

  it('answers errors before streaming as Invoke does', async () => {
    const { functions } = await stack();
    const missing = await tb.clients.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: `${functions.stream.name}-nope` })).catch((e) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toMatch(/^Function not found: arn:aws:lambda:[a-z0-9-]+:\d{12}:function:.*-nope:\$LATEST$/);
    const badType = await tb.clients.lambda
      .send(new InvokeWithResponseStreamCommand({ FunctionName: functions.stream.name, InvocationType: 'Event' as never }))
      .catch((e) => e);
    expect(badType.name).toBe('ValidationException');
    expect(badType.message).toContain("Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]");
    const badJson = await tb.clients.lambda
      .send(new InvokeWithResponseStreamCommand({ FunctionName: functions.stream.name, Payload: Buffer.from('{not json') }))
      .catch((e) => e);
    expect(badJson.name).toBe('InvalidRequestContentException');
  });

  it('answers a plain Invoke of a streamified handler with the whole body, or the error it failed with', async () => {
    const { functions } = await stack();
    const whole = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.stream.name, Payload: payload({ chunks: ['a', 'b', 'c'], delayMs: 20 }) }));
    expect(whole.FunctionError).toBeUndefined();
    expect(Buffer.from(whole.Payload!).toString()).toBe('abc');
    const failed = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functions.stream.name, Payload: payload({ chunks: ['a'], failAfter: 1 }) }));
    expect(failed.FunctionError).toBe('Unhandled');
    expect(decode(failed.Payload)).toEqual(expect.objectContaining({ errorType: 'Error', errorMessage: 'boom' }));
  });
});
