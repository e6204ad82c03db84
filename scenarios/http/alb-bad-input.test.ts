/**
 * Bad input at an Application Load Balancer: functions that fail or return garbage, bodies past the
 * 1 MB limits, WebSocket upgrades, a target group without a target, a registration without the
 * permission, duplicate rule priorities and bad conditions. Each gets AWS's answer, the load
 * balancer keeps serving, and a function's own error is in its logs.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRuleCommand, CreateTargetGroupCommand, DeregisterTargetsCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { eventually, getTestbed, rejection, unique } from '../_support/testbed';
import { albStack, BAD_GATEWAY_PAGE, directing, get, loadBalancer, type LoadBalancer } from './_alb-helpers';

const tb = getTestbed();

tb.describeIf('alb')('A function that fails or answers garbage', () => {
  let lb: LoadBalancer;
  let functionName: string;
  beforeAll(async () => {
    const { functions } = await albStack();
    functionName = functions.target.name;
    lb = await loadBalancer({ functionName, functionArn: functions.target.arn });
  });

  it.each([
    ['a plain string', 'hello'],
    ['an object without statusCode', { body: 'no status' }],
    ['a body that is not a string', { statusCode: 200, body: { nested: true } }],
    ['a status code out of range', { statusCode: 700 }],
    ['a header with a line break', { statusCode: 200, headers: { 'x-a': 'one\r\ntwo' } }],
  ])('answers 502 Bad Gateway for %s', async (_what, respond) => {
    const r = await directing(lb.url, { respond });
    expect([r.status, r.statusMessage, r.headers.server, r.headers['content-type'], r.text]).toEqual([502, 'Bad Gateway', 'awselb/2.0', 'text/html', BAD_GATEWAY_PAGE]);
  });

  it('answers 502 when the function throws, and the error is in the function logs', async () => {
    const marker = unique('alb-boom');
    const r = await directing(lb.url, { throw: marker });
    expect(r.status).toBe(502);
    const events = await eventually(
      async () => (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: `"${marker}"` }))).events ?? [],
      (e) => e.length > 0,
    );
    expect(events.map((e) => e.message).join('\n')).toContain(marker);
  });

  it('answers 502 when the response JSON is over 1 MB, and 413 for a request body over 1 MB', async () => {
    expect((await directing(lb.url, { bigBody: 1024 * 1024 + 1 })).status).toBe(502);
    const big = await get(`${lb.url}/`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
  });

  it('rejects WebSocket upgrade requests with 400', async () => {
    const r = await get(`${lb.url}/`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    expect(r.status).toBe(400);
  });

  it('keeps serving after all of that', async () => {
    expect((await get(`${lb.url}/ok`)).status).toBe(200);
  });
});

tb.describeIf('alb')('Targets and rules the API refuses or cannot serve', () => {
  let lb: LoadBalancer;
  let functionArn: string;
  let otherArn: string;
  beforeAll(async () => {
    const { functions } = await albStack();
    functionArn = functions.target.arn;
    otherArn = functions.other.arn;
    lb = await loadBalancer({ functionName: functions.target.name, functionArn });
  });

  it('answers 503 while the target group has no registered target', async () => {
    await tb.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: lb.tgArn, Targets: [{ Id: functionArn }] }));
    try {
      const r = await get(`${lb.url}/`);
      expect([r.status, r.statusMessage, r.headers.server]).toEqual([503, 'Service Temporarily Unavailable', 'awselb/2.0']);
    } finally {
      await tb.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: lb.tgArn, Targets: [{ Id: functionArn }] }));
    }
    expect((await get(`${lb.url}/`)).status).toBe(200);
  });

  it('refuses to register a function whose policy does not allow elasticloadbalancing.amazonaws.com', async () => {
    const tg = (await tb.clients.elbv2.send(new CreateTargetGroupCommand({ Name: unique('tg'), TargetType: 'lambda' }))).TargetGroups![0];
    const e = await rejection(tb.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: otherArn }] })));
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toBe(`elasticloadbalancing principal does not have permission to invoke ${otherArn} from target group ${tg.TargetGroupArn}`);
  });

  it('refuses a priority already in use and conditions AWS does not accept', async () => {
    const rule = (Priority: number, Conditions: unknown[]) =>
      tb.clients.elbv2.send(
        new CreateRuleCommand({ ListenerArn: lb.listenerArn, Priority, Conditions: Conditions as never, Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] }),
      );
    await rule(7, [{ Field: 'path-pattern', Values: ['/seven'] }]);
    const dup = await rejection(rule(7, [{ Field: 'path-pattern', Values: ['/other'] }]));
    expect([dup.name, dup.message]).toEqual(['PriorityInUseException', "Priority '7' is currently in use"]);
    const field = await rejection(rule(8, [{ Field: 'cookie', Values: ['x'] }]));
    expect(field.name).toBe('ValidationError');
    const method = await rejection(rule(9, [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['get'] } }]));
    expect(method.message).toBe("The 'http-request-method' value is invalid; the allowed characters are A-Z, hyphen and underscore");
  });
});
