/**
 * Lambda functions as targets of an Application Load Balancer: created through the ELBv2 API,
 * called with plain HTTP at the load balancer's DNS name. (LocalStack's free edition has no ALB:
 * these suites are skipped there with the reason printed.)
 */
import { CreateRuleCommand, DescribeTargetHealthCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { getTestbed } from '../_support/testbed';
import { albStack, directing, eventOf, get, loadBalancer, type LoadBalancer } from './_alb-helpers';

const tb = getTestbed();

tb.describeIf('alb')('Receive events from the load balancer', () => {
  let lb: LoadBalancer;
  let tgArn: string;
  beforeAll(async () => {
    const { functions } = await albStack();
    lb = await loadBalancer({ functionName: functions.target.name, functionArn: functions.target.arn });
    tgArn = lb.tgArn;
  });

  it('sends the request as a JSON event with the load balancer headers added', async () => {
    const r = await get(`${lb.url}/orders/42?sort=desc&q=a%20b`, { headers: { 'User-Agent': 'scenario', Accept: 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.headers.server).toBe('awselb/2.0');
    const e = eventOf(r);
    expect(e.requestContext).toEqual({ elb: { targetGroupArn: tgArn } });
    expect(e).toMatchObject({ httpMethod: 'GET', path: '/orders/42', queryStringParameters: { sort: 'desc', q: 'a%20b' }, body: '', isBase64Encoded: false });
    expect(e.headers).toMatchObject({ 'user-agent': 'scenario', accept: 'application/json', 'x-forwarded-port': '80', 'x-forwarded-proto': 'http' });
    expect(e.headers['x-forwarded-for']).toMatch(/^(127\.0\.0\.1|::1|[\d.]+)$/);
    expect(e.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('passes text bodies as they are and other bodies base64-encoded', async () => {
    const text = eventOf(await get(`${lb.url}/`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }));
    expect(text).toMatchObject({ body: 'hello', isBase64Encoded: false });
    const form = eventOf(await get(`${lb.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }));
    expect(form).toMatchObject({ body: Buffer.from('a=1').toString('base64'), isBase64Encoded: true });
  });

  it('uses the last value of a repeated header or query parameter', async () => {
    const e = eventOf(await get(`${lb.url}/?myKey=val1&myKey=val2`, { headers: [['cookie', 'name1=value1'], ['cookie', 'name2=value2']] }));
    expect(e.queryStringParameters).toEqual({ myKey: 'val2' });
    expect(e.headers.cookie).toBe('name2=value2');
  });

  it('reports the target unavailable while health checks are disabled', async () => {
    const health = (await tb.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;
    expect(health).toHaveLength(1);
    expect(health[0].TargetHealth).toEqual({ State: 'unavailable', Reason: 'Target.HealthCheckDisabled', Description: 'Health checks disabled' });
  });
});

tb.describeIf('alb')('Respond to the load balancer', () => {
  let lb: LoadBalancer;
  beforeAll(async () => {
    const { functions } = await albStack();
    lb = await loadBalancer({ functionName: functions.target.name, functionArn: functions.target.arn });
  });

  it('sends the status code, the reason phrase of statusDescription, the headers and the body', async () => {
    const r = await directing(lb.url, { respond: { statusCode: 201, statusDescription: '201 Created', headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' }, body: 'made', isBase64Encoded: false } });
    expect([r.status, r.statusMessage, r.text, r.headers['x-custom'], r.headers['content-type']]).toEqual([201, 'Created', 'made', 'yes', 'text/plain']);
  });

  it('decodes a base64 body into binary content', async () => {
    const png = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
    const r = await directing(lb.url, { respond: { statusCode: 200, headers: { 'content-type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true } });
    expect(r.body).toEqual(png);
  });
});

tb.describeIf('alb')('Multi-value headers', () => {
  let lb: LoadBalancer;
  beforeAll(async () => {
    const { functions } = await albStack();
    lb = await loadBalancer({ functionName: functions.target.name, functionArn: functions.target.arn, multiValueHeaders: true });
  });

  it('sends every value of repeated headers and query parameters as arrays', async () => {
    const e = eventOf(await get(`${lb.url}/?myKey=val1&myKey=val2`, { headers: [['cookie', 'name1=value1'], ['cookie', 'name2=value2']] }));
    expect(e.multiValueQueryStringParameters).toEqual({ myKey: ['val1', 'val2'] });
    expect(e.multiValueHeaders.cookie).toEqual(['name1=value1', 'name2=value2']);
    expect(e.headers).toBeUndefined();
    expect(e.queryStringParameters).toBeUndefined();
  });

  it('sends each value of a multiValueHeaders response header on its own line', async () => {
    const r = await directing(lb.url, { respond: { statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1; Secure', 'b=2; HttpOnly'], 'Content-Type': ['text/plain'] }, body: 'ok' } });
    expect(r.headerLines.filter(([k]) => k === 'set-cookie').map(([, v]) => v)).toEqual(['a=1; Secure', 'b=2; HttpOnly']);
  });
});

tb.describeIf('alb')('Listener rules', () => {
  let lb: LoadBalancer;
  const fixed = (body: string, StatusCode = '200'): Action[] => [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode, ContentType: 'text/plain', MessageBody: body } }];
  beforeAll(async () => {
    const { functions } = await albStack();
    lb = await loadBalancer({ functionName: functions.target.name, functionArn: functions.target.arn });
    const rule = (Priority: number, Conditions: unknown[], Actions: Action[]) =>
      tb.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: lb.listenerArn, Priority, Conditions: Conditions as never, Actions }));
    await rule(10, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/img/*'] } }], fixed('images'));
    await rule(5, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/img/*'] } }, { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } }], fixed('no uploads', '403'));
    await rule(20, [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'User-Agent', Values: ['*Chrome*', '*Safari*'] } }], fixed('browser'));
    await rule(30, [{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'version', Value: 'v1' }, { Value: 'example' }] } }], fixed('query'));
    await rule(40, [{ Field: 'host-header', HostHeaderConfig: { Values: ['*.elb.localhost'] } }, { Field: 'path-pattern', PathPatternConfig: { Values: ['/moved/*'] } }], [
      { Type: 'redirect', RedirectConfig: { Path: '/new/#{path}', Query: '#{query}&from=alb', StatusCode: 'HTTP_302' } },
    ]);
  });

  it('evaluates rules in priority order and falls back to the default action', async () => {
    expect((await get(`${lb.url}/img/cat.png`)).text).toBe('images');
    const upload = await get(`${lb.url}/img/cat.png`, { method: 'POST', body: 'x' });
    expect([upload.status, upload.text]).toEqual([403, 'no uploads']);
    expect((await get(`${lb.url}/IMG/cat.png`)).headers['content-type']).toBe('application/json');
    expect(eventOf(await get(`${lb.url}/api`)).path).toBe('/api');
  });

  it('matches HTTP header and query string conditions case-insensitively with wildcards', async () => {
    expect((await get(`${lb.url}/x`, { headers: { 'user-agent': 'Mozilla/5.0 (Macintosh) Safari/605' } })).text).toBe('browser');
    expect((await get(`${lb.url}/x?Version=V1`)).text).toBe('query');
    expect((await get(`${lb.url}/x?any=example`)).text).toBe('query');
  });

  it('answers a fixed response with its content type', async () => {
    const r = await get(`${lb.url}/img/a`);
    expect([r.status, r.headers['content-type'], r.headers.server]).toEqual([200, 'text/plain; charset=utf-8', 'awselb/2.0']);
  });

  it('redirects with the components it does not change kept from the request', async () => {
    const r = await get(`${lb.url}/moved/page?id=7`);
    expect([r.status, r.statusMessage]).toEqual([302, 'Found']);
    expect(r.headers.location).toBe(`${lb.url}/new/moved/page?id=7&from=alb`);
  });
});
