/**
 * The embedded cloud's single endpoint: protocol routing, h2c next to HTTP/1.1, AWS-shaped errors for
 * what no service handles, admin endpoints, and a server that keeps serving after garbage.
 */
import http2 from 'node:http2';
import net from 'node:net';
import { CreateFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { zipSync } from 'fflate';
import { startCloud, type RunningCloud } from '../../src/cloud';

let cloud: RunningCloud;
beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
});
afterAll(() => cloud.stop());

const lambda = () => new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });

function h2get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(cloud.endpoint);
    session.on('error', reject);
    const req = session.request({ ':path': path, ':method': 'GET' });
    let status = 0;
    let body = '';
    req.on('response', (h) => (status = Number(h[':status'])));
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('one endpoint', () => {
  it('speaks h2c (prior knowledge) and HTTP/1.1 on the same port', async () => {
    const h2 = await h2get('/_localstack/health');
    expect(h2.status).toBe(200);
    expect(JSON.parse(h2.body).services).toEqual(expect.objectContaining({ lambda: 'running', logs: 'running' }));
    const h1 = await fetch(`${cloud.endpoint}/_testbed/health`);
    expect(h1.status).toBe(200);
    expect(await h1.json()).toEqual(expect.objectContaining({ status: 'ok' }));
  });

  it('serves an AWS SDK v3 client that speaks HTTP/2 (as the Kinesis client does by default)', async () => {
    const client = new LambdaClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
      requestHandler: new NodeHttp2Handler(),
    });
    try {
      const out = await client.send(new ListFunctionsCommand({}));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(Array.isArray(out.Functions)).toBe(true);
    } finally {
      client.destroy();
    }
  });

  it('binds 127.0.0.1 only', () => {
    expect(cloud.host).toBe('127.0.0.1');
    expect(cloud.endpoint).toBe(`http://127.0.0.1:${cloud.port}`);
  });

  it('answers an unknown X-Amz-Target with a JSON UnknownOperationException', async () => {
    const res = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'NoSuchService_2020.DoThing', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('UnknownOperationException');
  });

  it('answers an unknown query Action with an XML InvalidAction', async () => {
    const res = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DoSomethingOdd&Version=2099-01-01',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('<Code>InvalidAction</Code>');
    expect(text).toContain('<ErrorResponse');
  });

  it('answers an unknown REST path with a 404 and an error type header', async () => {
    const res = await fetch(`${cloud.endpoint}/2015-03-31/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const wrongMethod = await fetch(`${cloud.endpoint}/2015-03-31/functions/x/invocations`, { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
  });

  it('refuses a declared body over the size cap without reading it', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect(cloud.port, '127.0.0.1', () => {
        s.write('POST /2015-03-31/functions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{');
      });
      let data = '';
      s.on('data', (c) => {
        data += c.toString();
        if (data.includes('\r\n\r\n')) {
          s.destroy();
          resolve(data);
        }
      });
      s.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
  });

  it('keeps serving after garbage on a raw connection', async () => {
    await new Promise<void>((resolve) => {
      const s = net.connect(cloud.port, '127.0.0.1', () => s.write(Buffer.from([0, 1, 2, 3, 255, 13, 10, 13, 10, 80, 82, 73])));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.on('data', () => s.destroy());
    });
    const out = await lambda().send(new ListFunctionsCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});

describe('admin endpoints', () => {
  it('reset forgets every function', async () => {
    const client = lambda();
    const zip = zipSync({ 'index.js': new TextEncoder().encode('exports.handler=async()=>1') });
    await client.send(
      new CreateFunctionCommand({ FunctionName: 'to-forget', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: zip } }),
    );
    expect((await client.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName)).toContain('to-forget');
    const res = await fetch(`${cloud.endpoint}/_testbed/reset`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await client.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
  });

  it('rejects bad config values and unknown admin paths', async () => {
    const bad = await fetch(`${cloud.endpoint}/_testbed/config`, { method: 'POST', body: JSON.stringify({ stateTransitionMs: -5 }) });
    expect(bad.status).toBe(400);
    const notJson = await fetch(`${cloud.endpoint}/_testbed/config`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    for (const body of ['null', '[1]', JSON.stringify({ functionStateTransitionMs: { f: 'slow' } }), JSON.stringify({ functionStateTransitionMs: 3 })]) {
      const res = await fetch(`${cloud.endpoint}/_testbed/config`, { method: 'POST', body });
      expect(res.status).toBe(400);
    }
    const ok = await fetch(`${cloud.endpoint}/_testbed/config`, { method: 'POST', body: JSON.stringify({ functionStateTransitionMs: { f: 100 } }) });
    expect(((await ok.json()) as { functionStateTransitionMs: unknown }).functionStateTransitionMs).toEqual({ f: 100 });
    const unknown = await fetch(`${cloud.endpoint}/_testbed/nope`);
    expect(unknown.status).toBe(404);
  });
});
