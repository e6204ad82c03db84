/**
 * Function URLs with InvokeMode RESPONSE_STREAM: the HTTP client gets the function's response as it
 * is written; HttpResponseStream.from's prelude sets the status, headers and cookies. LocalStack's
 * free edition does not stream through Function URLs: the suite is skipped there with the reason.
 */
import { freshUrl } from './_function-url-helpers';
import { allowPublicAccess } from './_permissions';
import { httpRequest, type HttpResponse } from '../../src/testbed/http';
import { getTestbed } from '../_support/testbed';

const tb = getTestbed();
const stack = () =>
  tb.deploy({
    name: 'http-streaming-url',
    functions: {
      stream: { code: 'stream', timeout: 10 },
      plain: { code: 'function-url-control' },
    },
  });

const urls = new Map<string, Promise<string>>();

/** A public RESPONSE_STREAM URL for the function (made once per suite run). */
function streamingUrl(functionName: string): Promise<string> {
  let u = urls.get(functionName);
  if (!u) {
    u = (async () => {
      const url = await freshUrl({ FunctionName: functionName, AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' });
      await allowPublicAccess(functionName);
      return url;
    })();
    urls.set(functionName, u);
  }
  return u;
}

interface Streamed {
  res?: HttpResponse;
  error?: Error;
  chunks: { at: number; text: string }[];
}

/** POST the event as the JSON body, noting when each piece of the body arrived. */
async function post(url: string, event: unknown): Promise<Streamed> {
  const got: Streamed = { chunks: [] };
  try {
    got.res = await httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      onChunk: (c) => got.chunks.push({ at: Date.now(), text: c.toString('utf8') }),
      timeoutMs: 30_000,
    });
  } catch (e) {
    got.error = e as Error;
  }
  return got;
}

tb.describeIf('responseStreaming')('Function URLs with InvokeMode RESPONSE_STREAM', () => {
  it('sends the status, headers and cookies of the prelude, then the body as it is written', async () => {
    const { functions } = await stack();
    const url = await streamingUrl(functions.stream.name);
    const r = await post(url, {
      prelude: { statusCode: 201, headers: { 'content-type': 'text/plain', 'x-stream': 'yes' }, cookies: ['a=1; Path=/', 'b=2'] },
      chunks: ['first ', 'second ', 'third'],
      delayMs: 400,
    });
    expect(r.error).toBeUndefined();
    expect(r.res!.status).toBe(201);
    expect(r.res!.headers['content-type']).toBe('text/plain');
    expect(r.res!.headers['x-stream']).toBe('yes');
    expect(r.res!.headerLines.filter(([k]) => k === 'set-cookie').map(([, v]) => v)).toEqual(['a=1; Path=/', 'b=2']);
    expect(r.res!.headers['transfer-encoding']).toBe('chunked');
    expect(r.res!.text).toBe('first second third');
    // Written 400 ms apart, the pieces reach the client apart.
    expect(r.chunks.length).toBeGreaterThanOrEqual(3);
    expect(r.chunks[r.chunks.length - 1].at - r.chunks[0].at).toBeGreaterThanOrEqual(500);
  });

  it('answers 200 when the prelude has no statusCode', async () => {
    const { functions } = await stack();
    const r = await post(await streamingUrl(functions.stream.name), { prelude: { status: 200, headers: { 'content-type': 'text/html' } }, chunks: ['Hello,', ' world!'] });
    expect(r.res!.status).toBe(200);
    expect(r.res!.text).toBe('Hello, world!');
  });

  it("sends a plain streamified handler's output with status 200 and the content type it set", async () => {
    const { functions } = await stack();
    const r = await post(await streamingUrl(functions.stream.name), { contentType: 'text/csv', chunks: ['a,b\n', '1,2\n'] });
    expect(r.res!.status).toBe(200);
    expect(r.res!.headers['content-type']).toBe('text/csv');
    expect(r.res!.text).toBe('a,b\n1,2\n');
  });

  it('passes the result of a handler that is not streamified through as the body, unmapped', async () => {
    const { functions } = await stack();
    const value = { statusCode: 404, headers: { 'x-mapped': 'no' }, body: 'not mapped' };
    const r = await post(await streamingUrl(functions.plain.name), { action: 'return', value, noProbe: true });
    expect(r.res!.status).toBe(200);
    expect(r.res!.headers['x-mapped']).toBeUndefined();
    expect(r.res!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.res!.text)).toEqual(value);
  });

  it('answers 502 when the function fails before writing anything', async () => {
    const { functions } = await stack();
    const r = await post(await streamingUrl(functions.stream.name), { chunks: ['never'], failAfter: 0 });
    expect(r.res!.status).toBe(502);
    expect(r.res!.text).toBe('Internal Server Error');
  });

  it('cuts the response when the function fails mid-stream, after the bytes already sent', async () => {
    const { functions } = await stack();
    const r = await post(await streamingUrl(functions.stream.name), { prelude: { statusCode: 200 }, chunks: ['sent ', 'lost'], delayMs: 200, failAfter: 1 });
    expect(r.error).toBeDefined();
    expect(r.chunks.map((c) => c.text).join('')).toBe('sent ');
  });
});
