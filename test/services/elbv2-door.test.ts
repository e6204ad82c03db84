/**
 * The load balancer's front door over plain HTTP on a started cloud: the event a Lambda target
 * receives, the response mapping, the load balancer's own answers (502, 503, 413, 400, 405),
 * rules, fixed responses and redirects, listener choice, and a cloud that keeps serving after
 * garbage.
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  DeregisterTargetsCommand,
  ModifyLoadBalancerAttributesCommand,
  RegisterTargetsCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import net from 'node:net';
import { RemovePermissionCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { useElbEnv, uniq, type Alb } from './elbv2-helpers';

const env = useElbEnv();
let single: Alb;
let multi: Alb;

beforeAll(async () => {
  single = await env.alb();
  multi = await env.alb({ multiValue: true });
});

const post = (alb: Alb, body: unknown, path = '/') =>
  env.http(`${alb.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const echoed = (r: { json<T>(): T }) => r.json<{ event: Record<string, any> }>().event; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the event a Lambda target receives', () => {
  test('path and query as sent, lower-case headers with the last value, the load balancer headers, no body', async () => {
    const r = await env.http(`${single.url}/a%20b/c?myKey=val1&myKey=val2&enc=%3Fx%3D1&plus=a+b`, {
      headers: [
        ['Cookie', 'name1=value1'],
        ['Cookie', 'name2=value2'],
        ['X-Amzn-Trace-Id', 'Root=1-67891233-abcdef012345678912345678'],
      ],
    });
    expect(r.status).toBe(200);
    expect(r.statusMessage).toBe('OK');
    expect(r.headers.server).toBe('awselb/2.0');
    const e = echoed(r);
    expect(Object.keys(e)).toEqual(['requestContext', 'httpMethod', 'path', 'queryStringParameters', 'headers', 'body', 'isBase64Encoded']);
    expect(e.requestContext).toEqual({ elb: { targetGroupArn: single.tgArn } });
    expect(e).toMatchObject({ httpMethod: 'GET', path: '/a%20b/c', body: '', isBase64Encoded: false });
    expect(e.queryStringParameters).toEqual({ myKey: 'val2', enc: '%3Fx%3D1', plus: 'a+b' });
    expect(e.headers).toMatchObject({
      cookie: 'name2=value2',
      host: `${single.dnsName}:${env.cloud.port}`,
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': '80',
      'x-forwarded-proto': 'http',
    });
    expect(e.headers['x-amzn-trace-id']).toMatch(/^Self=1-[0-9a-f]{8}-[0-9a-f]{24};Root=1-67891233-abcdef012345678912345678$/);
  });

  test('with multi-value headers: arrays of every value, and multiValueHeaders answered as repeated lines', async () => {
    const r = await env.http(`${multi.url}/?a=1&a=2`, { headers: [['x-multi', 'one'], ['x-multi', 'two']] });
    const e = echoed(r);
    expect(e.multiValueQueryStringParameters).toEqual({ a: ['1', '2'] });
    expect(e.multiValueHeaders['x-multi']).toEqual(['one', 'two']);
    expect(e.headers).toBeUndefined();
    const cookies = await post(multi, { respond: { statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, headers: { 'x-ignored': 'yes' } } });
    expect(cookies.headerLines.filter(([k]) => k === 'set-cookie')).toEqual([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
    expect(cookies.headers['x-ignored']).toBeUndefined();
  });

  test('a JSON body goes as text, a binary body base64', async () => {
    const json = echoed(await post(single, { hello: 'world' }));
    expect(json).toMatchObject({ httpMethod: 'POST', body: '{"hello":"world"}', isBase64Encoded: false });
    const bin = echoed(await env.http(`${single.url}/`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 254, 255]) }));
    expect(bin).toMatchObject({ httpMethod: 'PUT', body: 'AAH+/w==', isBase64Encoded: true });
  });

  test('the invocation is recorded with trigger "alb"', async () => {
    await env.http(`${single.url}/recorded`);
    const res = await fetch(`${env.cloud.endpoint}/_testbed/invocations?functionName=${single.functionName}&trigger=alb`);
    const { invocations } = (await res.json()) as { invocations: { trigger: string }[] };
    expect(invocations.length).toBeGreaterThan(0);
    expect(invocations.every((i) => i.trigger === 'alb')).toBe(true);
  });
});

describe('the response mapping', () => {
  test('statusDescription is the reason phrase; a base64 body is decoded; hop-by-hop headers dropped', async () => {
    const r = await post(single, {
      respond: { statusCode: 418, statusDescription: '418 Short And Stout', headers: { 'content-type': 'image/png', connection: 'close', 'x-a': 1 }, body: Buffer.from([137, 80, 78, 71]).toString('base64'), isBase64Encoded: true },
    });
    expect(r.status).toBe(418);
    expect(r.statusMessage).toBe('Short And Stout');
    expect(r.body).toEqual(Buffer.from([137, 80, 78, 71]));
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['x-a']).toBe('1');
    expect(r.headers['content-length']).toBe('4');
  });

  test('garbage from the function is 502 Bad Gateway from awselb/2.0, and the cloud keeps serving', async () => {
    for (const respond of ['just a string', { body: 'no status code' }, { statusCode: 200, body: { not: 'a string' } }, { statusCode: 200, headers: { 'x-bad': 'a\nb' } }, null, 42]) {
      const r = await post(single, { respond });
      expect([respond, r.status, r.statusMessage, r.headers.server, r.headers['content-type']]).toEqual([respond, 502, 'Bad Gateway', 'awselb/2.0', 'text/html']);
      expect(r.text).toBe('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n');
    }
    expect((await post(single, { throw: 'boom' })).status).toBe(502);
    expect((await env.http(`${single.url}/still-here`)).status).toBe(200);
  });

  test('response JSON over 1 MB is 502; a request body over 1 MB is 413', async () => {
    expect((await post(single, { bigBody: 1024 * 1024 + 10 })).status).toBe(502);
    const big = await env.http(`${single.url}/`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1024 * 1024 + 1) });
    expect([big.status, big.statusMessage]).toEqual([413, 'Request Entity Too Large']);
    expect((await post(single, { bigBody: 1000 })).status).toBe(200);
  });
});

describe("the load balancer's own answers", () => {
  test('no registered target: 503 Service Temporarily Unavailable', async () => {
    const alb = await env.alb();
    await env.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: alb.tgArn, Targets: [{ Id: alb.functionArn }] }));
    const r = await env.http(`${alb.url}/`);
    expect([r.status, r.statusMessage, r.headers.server, Buffer.byteLength(r.text)]).toEqual([503, 'Service Temporarily Unavailable', 'awselb/2.0', 162]);
    await env.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: alb.tgArn, Targets: [{ Id: alb.functionArn }] }));
    expect((await env.http(`${alb.url}/`)).status).toBe(200);
  });

  test('the permission removed after registration: the invocation is refused, 502', async () => {
    const alb = await env.alb();
    const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: alb.functionName }))).Policy!) as { Statement: { Sid: string }[] };
    await env.lambda.send(new RemovePermissionCommand({ FunctionName: alb.functionName, StatementId: policy.Statement[0].Sid }));
    expect((await env.http(`${alb.url}/`)).status).toBe(502);
  });

  test('WebSocket upgrades are 400; TRACE is 405; too many X-Forwarded-For addresses 463', async () => {
    const ws = await env.http(`${single.url}/`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    expect(ws.status).toBe(400);
    expect(ws.text).toContain('400 Bad Request');
    expect((await env.http(`${single.url}/`, { method: 'TRACE' })).status).toBe(405);
    const xff = Array.from({ length: 31 }, (_, i) => `10.0.0.${i}`).join(', ');
    expect((await env.http(`${single.url}/`, { headers: { 'x-forwarded-for': xff } })).status).toBe(463);
  });

  test('an unknown load balancer name is 404; a load balancer without listeners 503', async () => {
    const r = await env.http(`http://nope-123.us-east-1.elb.localhost:${env.cloud.port}/`);
    expect(r.status).toBe(404);
    const lb = (await env.elbv2.send(new CreateLoadBalancerCommand({ Name: uniq('bare') }))).LoadBalancers![0];
    expect((await env.http(`http://${lb.DNSName}:${env.cloud.port}/`)).status).toBe(503);
  });

  test('X-Forwarded-For follows the xff_header_processing.mode attribute', async () => {
    const alb = await env.alb();
    const xff = async () => echoed(await env.http(`${alb.url}/`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).headers['x-forwarded-for'];
    expect(await xff()).toBe('203.0.113.9, 127.0.0.1');
    await env.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: alb.lbArn, Attributes: [{ Key: 'routing.http.xff_header_processing.mode', Value: 'remove' }] }));
    expect(await xff()).toBeUndefined();
  });
});

describe('rules, fixed responses and redirects', () => {
  let alb: Alb;
  const fixed = (code: string, body: string): Action[] => [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: code, ContentType: 'text/plain', MessageBody: body } }];
  beforeAll(async () => {
    alb = await env.alb();
    const add = (Priority: number, Conditions: unknown[], Actions: Action[]) =>
      env.elbv2.send(new CreateRuleCommand({ ListenerArn: alb.listenerArn, Priority, Conditions: Conditions as never, Actions }));
    await add(10, [{ Field: 'path-pattern', Values: ['/static/*'] }], fixed('200', 'static'));
    await add(5, [{ Field: 'path-pattern', Values: ['/static/*'] }, { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['DELETE'] } }], fixed('403', 'no deleting'));
    await add(20, [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Tenant', Values: ['blue*'] } }], fixed('200', 'tenant blue'));
    await add(30, [{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'version', Value: 'v1' }] } }], fixed('200', 'v1'));
    await add(40, [{ Field: 'host-header', Values: ['*.elb.localhost'] }, { Field: 'path-pattern', Values: ['/old/*'] }], [
      { Type: 'redirect', RedirectConfig: { Path: '/new/#{path}', StatusCode: 'HTTP_301' } },
    ]);
    await add(50, [{ Field: 'source-ip', SourceIpConfig: { Values: ['198.51.100.0/24'] } }], fixed('200', 'never'));
    await add(45, [{ Field: 'source-ip', SourceIpConfig: { Values: ['127.0.0.0/8', '::1/128'] } }, { Field: 'path-pattern', Values: ['/mine'] }], fixed('200', 'from loopback'));
  });

  test('the lowest matching priority wins; nothing matching goes to the default action', async () => {
    const r = await env.http(`${alb.url}/static/a.css`);
    expect([r.status, r.text, r.headers['content-type'], r.headers.server]).toEqual([200, 'static', 'text/plain; charset=utf-8', 'awselb/2.0']);
    expect((await env.http(`${alb.url}/static/a.css`, { method: 'DELETE' })).text).toBe('no deleting');
    expect((await env.http(`${alb.url}/x`, { headers: { 'x-tenant': 'BLUE-7' } })).text).toBe('tenant blue');
    expect((await env.http(`${alb.url}/x?VERSION=V1`)).text).toBe('v1');
    expect((await env.http(`${alb.url}/x?version=v2`)).headers['content-type']).toBe('application/json');
    expect((await env.http(`${alb.url}/mine`)).text).toBe('from loopback');
  });

  test('a redirect keeps what it does not change; #{port} is the port the client used', async () => {
    const r = await env.http(`${alb.url}/old/page?q=1`);
    expect([r.status, r.statusMessage]).toEqual([301, 'Moved Permanently']);
    expect(r.headers.location).toBe(`http://${alb.dnsName}:${env.cloud.port}/new/old/page?q=1`);
    expect(r.text).toContain('<center><h1>301 Moved Permanently</h1></center>');
  });

  test("the Host header's port picks the listener with that port", async () => {
    await env.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: alb.lbArn, Protocol: 'HTTP', Port: 8080, DefaultActions: fixed('200', 'listener 8080') }));
    const r = await env.http(`${alb.url}/x`, { headers: { host: `${alb.dnsName}:8080` } });
    expect(r.text).toBe('listener 8080');
    expect((await env.http(`${alb.url}/x`)).headers['content-type']).toBe('application/json');
  });
});

describe('malformed HTTP', () => {
  /** Raw bytes to the cloud's port; the answer's status line. */
  const raw = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(env.cloud.port, '127.0.0.1', () => socket.write(bytes));
      let got = '';
      socket.on('data', (d) => (got += d.toString('latin1')));
      socket.on('end', () => resolve(got.split('\r\n')[0]));
      socket.on('error', reject);
      socket.setTimeout(5000, () => socket.destroy(new Error(`no answer; got ${JSON.stringify(got)}`)));
    });

  test('a bad method, bad chunking or a bad header line get 400 and the load balancer keeps serving', async () => {
    const host = `${single.dnsName}:${env.cloud.port}`;
    expect(await raw(`G@T / HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`POST / HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET / HTTP/1.1\r\nHost: ${host}\r\nno colon here\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect((await env.http(`${single.url}/after`)).status).toBe(200);
  });
});
