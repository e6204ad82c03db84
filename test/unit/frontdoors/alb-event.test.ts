/** The event a load balancer sends a Lambda target (frontdoors/alb/event.ts) and its trace id. */
import { traceIdFor, pickListener } from '../../../src/cloud/frontdoors/alb';
import { buildAlbEvent, isTextContentType, rawQueryPairs, type AlbEventInput } from '../../../src/cloud/frontdoors/alb/event';
import type { ListenerRecord, LoadBalancerRecord } from '../../../src/cloud/services/elbv2/types';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123456789abcdef';

function input(over: Partial<AlbEventInput> = {}): AlbEventInput {
  return {
    targetGroupArn: TG,
    method: 'GET',
    path: '/a%20b/c',
    query: rawQueryPairs('myKey=val1&myKey=val2&enc=%3FshowAll%3Dtrue&plus=a+b&flag'),
    headers: [
      ['host', 'my-lb-1.us-east-1.elb.localhost:4566'],
      ['cookie', 'name1=value1'],
      ['cookie', 'name2=value2'],
      ['user-agent', 'curl/8'],
    ],
    body: Buffer.alloc(0),
    multiValue: false,
    xffMode: 'append',
    added: { forwardedFor: '127.0.0.1', forwardedPort: '80', forwardedProto: 'http', traceId: 'Root=1-67891233-abcdef012345678912345678' },
    ...over,
  };
}

describe('the ALB event', () => {
  test('has the documented members in order, the path and query as sent, the last value of repeats', () => {
    const e = buildAlbEvent(input());
    expect(Object.keys(e)).toEqual(['requestContext', 'httpMethod', 'path', 'queryStringParameters', 'headers', 'body', 'isBase64Encoded']);
    expect(e.requestContext).toEqual({ elb: { targetGroupArn: TG } });
    expect(e.httpMethod).toBe('GET');
    expect(e.path).toBe('/a%20b/c');
    expect({ ...(e.queryStringParameters as object) }).toEqual({ myKey: 'val2', enc: '%3FshowAll%3Dtrue', plus: 'a+b', flag: '' });
    expect({ ...(e.headers as object) }).toEqual({
      cookie: 'name2=value2',
      host: 'my-lb-1.us-east-1.elb.localhost:4566',
      'user-agent': 'curl/8',
      'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': '80',
      'x-forwarded-proto': 'http',
    });
    expect(Object.keys(e.headers as object)).toEqual([...Object.keys(e.headers as object)].sort());
    expect(e.body).toBe('');
    expect(e.isBase64Encoded).toBe(false);
  });

  test('with multi-value headers: every value in order, and only the multi-value members', () => {
    const e = buildAlbEvent(input({ multiValue: true }));
    expect(Object.keys(e)).toEqual(['requestContext', 'httpMethod', 'path', 'multiValueQueryStringParameters', 'multiValueHeaders', 'body', 'isBase64Encoded']);
    expect(e.multiValueQueryStringParameters).toEqual({ myKey: ['val1', 'val2'], enc: ['%3FshowAll%3Dtrue'], plus: ['a+b'], flag: [''] });
    expect((e.multiValueHeaders as Record<string, string[]>).cookie).toEqual(['name1=value1', 'name2=value2']);
    expect((e.multiValueHeaders as Record<string, string[]>)['x-forwarded-port']).toEqual(['80']);
  });

  test('no query string gives an empty object, not null', () => {
    expect(buildAlbEvent(input({ query: [] })).queryStringParameters).toEqual({});
    expect(buildAlbEvent(input({ query: [], multiValue: true })).multiValueQueryStringParameters).toEqual({});
  });

  test('text bodies go as they are, others base64 (content type decides)', () => {
    const json = buildAlbEvent(input({ method: 'POST', body: Buffer.from('{"a":1}'), headers: [['content-type', 'application/json; charset=utf-8']] }));
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const form = buildAlbEvent(input({ method: 'POST', body: Buffer.from('a=1&b=2'), headers: [['content-type', 'application/x-www-form-urlencoded']] }));
    expect(form).toMatchObject({ body: Buffer.from('a=1&b=2').toString('base64'), isBase64Encoded: true });
    const none = buildAlbEvent(input({ method: 'POST', body: Buffer.from([0, 1, 2, 255]), headers: [] }));
    expect(none).toMatchObject({ body: 'AAEC/w==', isBase64Encoded: true });
    for (const t of ['text/plain', 'TEXT/HTML', 'application/javascript', 'application/xml']) expect(isTextContentType(t)).toBe(true);
    for (const t of ['application/octet-stream', 'image/png', 'application/x-www-form-urlencoded', undefined]) expect(isTextContentType(t)).toBe(false);
  });

  test('X-Forwarded-For: appended to what the client sent, preserved, or removed; the load balancer sets the others', () => {
    const sent: [string, string][] = [
      ['x-forwarded-for', '203.0.113.7'],
      ['x-forwarded-port', '9999'],
      ['x-forwarded-proto', 'https'],
    ];
    const h = (mode: AlbEventInput['xffMode']) => buildAlbEvent(input({ headers: sent, xffMode: mode })).headers as Record<string, string>;
    expect(h('append')['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(h('preserve')['x-forwarded-for']).toBe('203.0.113.7');
    expect(h('remove')['x-forwarded-for']).toBeUndefined();
    const noPeer = buildAlbEvent(input({ headers: sent, added: { ...input().added, forwardedFor: undefined } })).headers as Record<string, string>;
    expect(noPeer['x-forwarded-for']).toBe('203.0.113.7');
    expect(h('append')['x-forwarded-port']).toBe('80');
    expect(h('append')['x-forwarded-proto']).toBe('http');
  });

  test('a header or query key named __proto__ is an ordinary member', () => {
    const e = buildAlbEvent(input({ query: rawQueryPairs('__proto__=x'), headers: [['__proto__', 'y']] }));
    expect(JSON.stringify(e)).toContain('"queryStringParameters":{"__proto__":"x"}');
    expect(JSON.stringify(e)).toContain('"__proto__":"y"');
    expect(Object.getPrototypeOf(e.queryStringParameters)).toBeNull();
  });
});

describe('the trace id and the listener', () => {
  test('a new Root from the clock, or Self= in front of the Root the client sent', () => {
    const now = Date.UTC(2024, 0, 1);
    expect(traceIdFor(undefined, now)).toMatch(new RegExp(`^Root=1-${(now / 1000).toString(16)}-[0-9a-f]{24}$`));
    const sent = 'Root=1-67891233-abcdef012345678912345678';
    expect(traceIdFor(sent, now)).toMatch(new RegExp(`^Self=1-[0-9a-f]{8}-[0-9a-f]{24};${sent}$`));
    expect(traceIdFor('garbage', now)).toMatch(/^Root=1-/);
  });

  test("the Host header's port picks the listener with that port; otherwise the lowest port", () => {
    const l = (port: number) => ({ port }) as ListenerRecord;
    const lb = { listeners: new Map([['b', l(8080)], ['a', l(80)]]) } as unknown as LoadBalancerRecord;
    expect(pickListener(lb, 'x.elb.localhost:8080')?.port).toBe(8080);
    expect(pickListener(lb, 'x.elb.localhost:4566')?.port).toBe(80);
    expect(pickListener(lb, 'x.elb.localhost')?.port).toBe(80);
    expect(pickListener({ listeners: new Map() } as unknown as LoadBalancerRecord, 'x')).toBeUndefined();
  });
});
