/**
 * InvokeWithResponseStream on a started cloud, through the SDK v3 client and on the wire: the event
 * stream's frames and headers, qualifiers and client context, throttling before the stream, AWS's
 * bandwidth shaping past 6 MiB, and a caller that goes away mid-stream.
 */
import { request } from 'node:http';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
  PublishVersionCommand,
  TooManyRequestsException,
  waitUntilFunctionActiveV2,
  type InvokeWithResponseStreamResponseEvent,
} from '@aws-sdk/client-lambda';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';

jest.setTimeout(60_000);

let cloud: RunningCloud;
let lambda: LambdaClient;

const STREAMER = `exports.handler = awslambda.streamifyResponse(async (event, stream, context) => {
  if (event.context) { stream.end(JSON.stringify({ clientContext: context.clientContext, arn: context.invokedFunctionArn })); return; }
  if (event.bytes) {
    const piece = Buffer.alloc(64 * 1024, 'x');
    for (let left = event.bytes; left > 0; left -= piece.length) {
      if (!stream.write(left >= piece.length ? piece : piece.subarray(0, left))) await new Promise((r) => stream.once('drain', r));
    }
    stream.end();
    return;
  }
  for (const c of event.chunks || []) { stream.write(c); await new Promise((r) => setTimeout(r, event.delayMs || 0)); }
  stream.end();
});`;

async function create(name: string, code: string): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: zipFiles({ 'index.js': code }) }, Timeout: 30 }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: name });
}

beforeAll(async () => {
  cloud = await startCloud({ port: 0, accountConcurrency: 2 });
  lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  await create('streamer', STREAMER);
});
afterAll(async () => {
  lambda.destroy();
  await cloud.stop();
});

async function events(out: { EventStream?: AsyncIterable<InvokeWithResponseStreamResponseEvent> }) {
  const chunks: { at: number; bytes: Buffer }[] = [];
  let complete: Record<string, string | undefined> | undefined;
  for await (const ev of out.EventStream!) {
    if (ev.PayloadChunk?.Payload) chunks.push({ at: Date.now(), bytes: Buffer.from(ev.PayloadChunk.Payload) });
    if (ev.InvokeComplete) complete = { ...ev.InvokeComplete };
  }
  return { chunks, complete, text: Buffer.concat(chunks.map((c) => c.bytes)).toString('utf8') };
}

const body = (v: unknown) => Buffer.from(JSON.stringify(v));

it('answers application/vnd.amazon.eventstream frames: PayloadChunk events, then one InvokeComplete', async () => {
  const raw = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request(`${cloud.endpoint}/2021-11-15/functions/streamer/response-streaming-invocations`, { method: 'POST' }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end(body({ chunks: ['a', 'b'] }));
  });
  expect(raw.status).toBe(200);
  expect(raw.headers['content-type']).toBe('application/vnd.amazon.eventstream');
  expect(raw.headers['x-amz-executed-version']).toBe('$LATEST');
  expect(raw.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(raw.headers['transfer-encoding']).toBe('chunked');
  const codec = new EventStreamCodec((b) => Buffer.from(b).toString('utf8'), (s) => Buffer.from(s, 'utf8'));
  const messages = [];
  for (let at = 0; at < raw.body.length; ) {
    const length = raw.body.readUInt32BE(at); // each message opens with its total length
    messages.push(codec.decode(raw.body.subarray(at, at + length)));
    at += length;
  }
  const view = messages.map((m) => ({
    type: m.headers[':event-type'].value,
    messageType: m.headers[':message-type'].value,
    contentType: m.headers[':content-type'].value,
    body: Buffer.from(m.body).toString('utf8'),
  }));
  expect(view).toEqual([
    { type: 'PayloadChunk', messageType: 'event', contentType: 'application/octet-stream', body: 'a' },
    { type: 'PayloadChunk', messageType: 'event', contentType: 'application/octet-stream', body: 'b' },
    { type: 'InvokeComplete', messageType: 'event', contentType: 'application/json', body: '{}' },
  ]);
});

it('runs the version an alias names, reports it, and hands the client context to the function', async () => {
  const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'streamer' }));
  await lambda.send(new CreateAliasCommand({ FunctionName: 'streamer', Name: 'live', FunctionVersion: v.Version! }));
  const clientContext = { custom: { tenant: 't1' } };
  const out = await lambda.send(
    new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Qualifier: 'live', ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'), Payload: body({ context: true }) }),
  );
  expect(out.ExecutedVersion).toBe(v.Version);
  const got = JSON.parse((await events(out)).text);
  expect(got.clientContext).toEqual(clientContext);
  expect(got.arn).toMatch(/:function:streamer:live$/);
  const badContext = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', ClientContext: 'bm90IGpzb24=' })).catch((e) => e);
  expect(badContext.name).toBe('InvalidRequestContentException');
  expect(badContext.message).toBe('Client context must be a valid Base64-encoded JSON object.');
});

it('answers 429 before any stream when no concurrency is left', async () => {
  const slow = [0, 1].map(() => lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: body({ chunks: ['x'], delayMs: 1500 }) })));
  const opened = await Promise.all(slow);
  const err = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: body({ chunks: ['y'] }) })).catch((e) => e);
  expect(err).toBeInstanceOf(TooManyRequestsException);
  expect(err.Reason).toBe('ConcurrentInvocationLimitExceeded');
  for (const o of opened) expect((await events(o)).text).toBe('x');
});

it('streams the first 6 MiB at full speed and the rest at 2 MiB/s', async () => {
  const t0 = Date.now();
  const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: body({ bytes: 7 * 1024 * 1024 }) }));
  const got = await events(out);
  expect(got.chunks.reduce((n, c) => n + c.bytes.length, 0)).toBe(7 * 1024 * 1024);
  expect(got.complete?.ErrorCode).toBeUndefined();
  // 1 MiB past the burst takes four refills of 256 KiB, 125 ms apart.
  expect(got.chunks[got.chunks.length - 1].at - got.chunks[0].at).toBeGreaterThanOrEqual(350);
  expect(Date.now() - t0).toBeLessThan(20_000);
});

it('lets the function finish when the caller goes away mid-stream', async () => {
  const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: body({ chunks: ['1', '2', '3', '4'], delayMs: 150 }) }));
  const requestId = out.$metadata.requestId;
  for await (const ev of out.EventStream!) {
    if (ev.PayloadChunk) break; // leave after the first chunk
  }
  const deadline = Date.now() + 10_000;
  let record: { outcome: string } | undefined;
  while (Date.now() < deadline) {
    const res = await fetch(`${cloud.endpoint}/_testbed/invocations`);
    const all = ((await res.json()) as { invocations: { requestId: string; outcome: string }[] }).invocations;
    record = all.find((i) => i.requestId === requestId);
    if (record && record.outcome !== 'running') break;
    await new Promise((r) => setImmediate(r));
  }
  expect(record?.outcome).toBe('success');
  // The cloud keeps serving.
  const again = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: body({ chunks: ['ok'] }) }));
  expect((await events(again)).text).toBe('ok');
});

it('keeps serving when a RESPONSE_STREAM URL gets prelude headers no HTTP response can carry (they are left out)', async () => {
  const { CreateFunctionUrlConfigCommand, AddPermissionCommand } = await import('@aws-sdk/client-lambda');
  const { httpRequest } = await import('../../src/testbed/http');
  await create(
    'badprelude',
    `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
      stream = awslambda.HttpResponseStream.from(stream, { statusCode: 203, headers: { 'x-bad': 'a\\nb', 'bad name': 'v', 'x-good': 'ok', 'transfer-encoding': 'gzip' }, cookies: ['ok=1', 'bad=\\r\\n'] });
      stream.write('fine');
      stream.end();
    });`,
  );
  const url = (await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'badprelude', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }))).FunctionUrl!;
  await lambda.send(new AddPermissionCommand({ FunctionName: 'badprelude', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: 'badprelude', StatementId: 'invoke', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }));
  const r = await httpRequest(url);
  expect(r.status).toBe(203);
  expect(r.headers['x-good']).toBe('ok');
  expect(r.headers['x-bad']).toBeUndefined();
  expect(r.headers['transfer-encoding']).toBe('chunked');
  expect(r.headerLines.filter(([k]) => k === 'set-cookie').map(([, v]) => v)).toEqual(['ok=1']);
  expect(r.text).toBe('fine');
  expect((await httpRequest(url)).status).toBe(203);
});
