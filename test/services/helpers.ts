/**
 * A tiny HTTP server for wire tests of single services: routes JSON requests by X-Amz-Target and
 * query requests by their Action (form body + query string), as the real server does, and calls the
 * protocol handlers. Listens on 127.0.0.1 only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Clock } from '../../src/cloud/clock';
import { AwsError } from '../../src/cloud/errors';
import { handleJson, jsonError } from '../../src/cloud/protocols/json';
import { handleQuery, queryError } from '../../src/cloud/protocols/query';
import { parseCredentialScope } from '../../src/cloud/protocols/sigv4';
import type { JsonServiceDef, QueryServiceDef, RawRequest, RawResponse, RequestContext } from '../../src/cloud/protocols/types';
import { ACCOUNT_ID, DEFAULT_REGION } from '../../src/cloud/protocols/types';

export interface TestServer {
  endpoint: string;
  clock: Clock;
  close(): Promise<void>;
}

export const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

export function clientConfig(server: TestServer) {
  return { endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
}

export async function startServer(
  defs: { json?: JsonServiceDef[]; query?: QueryServiceDef[] },
  clock: Clock = new Clock(),
): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void route(req, Buffer.concat(chunks)).then((r) => {
        res.writeHead(r.status, r.headers);
        res.end(r.body);
      });
    });
  });

  async function route(req: http.IncomingMessage, body: Buffer): Promise<RawResponse> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, val] of Object.entries(req.headers)) if (typeof val === 'string') headers[k] = val;
    const raw: RawRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body };
    const scope = parseCredentialScope(headers.authorization, url.searchParams);
    const ctx: RequestContext = {
      requestId: randomUUID(),
      region: scope?.region ?? DEFAULT_REGION,
      accountId: ACCOUNT_ID,
      accessKeyId: scope?.accessKeyId,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      path: url.pathname,
      clock,
    };
    const target = headers['x-amz-target'];
    if (target) {
      const dot = target.lastIndexOf('.');
      const def = (defs.json ?? []).find((d) => d.targetPrefix === target.slice(0, dot));
      if (!def) return jsonError(undefined, new AwsError('UnknownOperationException', '', 400), ctx);
      return handleJson(def, target.slice(dot + 1), raw, ctx);
    }
    const params = new URLSearchParams(url.searchParams);
    if ((headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      for (const [k, val] of new URLSearchParams(body.toString('utf8'))) params.append(k, val);
    }
    const def = (defs.query ?? []).find((d) => d.signingName === scope?.service) ?? (defs.query ?? [])[0];
    if (!def) return queryError(undefined, new AwsError('InvalidAction', 'no service', 400), ctx);
    return handleQuery(def, params, ctx);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    clock,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** Send a raw signed-looking request (the server does not verify signatures). */
export async function rawPost(server: TestServer, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${server.endpoint}/`, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240101/us-east-1/${headers['x-service'] ?? 'logs'}/aws4_request, SignedHeaders=host, Signature=0`,
      ...headers,
    },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The SDK's view of a failed call: its name (the AWS code), HTTP status and message. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}

/** The error a call rejects with, as thrown (for tests that read its S3 fields); fails when it resolves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function thrownBy(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

/** Expect a rejected SDK call with this error name, message (exact or pattern) and HTTP status. */
export async function expectError(p: Promise<unknown>, name: string, message?: string | RegExp, status = 400) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } },
  );
  expect(err).toBeDefined();
  expect(err!.name).toBe(name);
  if (typeof message === 'string') expect(err!.message).toBe(message);
  else if (message) expect(err!.message).toMatch(message);
  expect(err!.$metadata.httpStatusCode).toBe(status);
}
