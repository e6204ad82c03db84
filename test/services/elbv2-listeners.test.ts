/**
 * ELBv2 listeners and rules through the SDK on a started cloud: default actions (forward,
 * fixed-response, redirect) and their checks, rules with conditions and priorities, SetRulePriorities,
 * the default rule. (SDK error names: modeled codes get an `Exception` suffix.)
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  SetRulePrioritiesCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ACCOUNT, failure, REGION, uniq, useElbEnv } from './elbv2-helpers';

const env = useElbEnv();
const elb = () => env.elbv2;
const fixed = (StatusCode = '200', MessageBody = 'ok'): Action => ({ Type: 'fixed-response', FixedResponseConfig: { StatusCode, ContentType: 'text/plain', MessageBody } });

async function lbWithListener(actions: Action[] = [fixed()], Port = 80) {
  const lb = (await elb().send(new CreateLoadBalancerCommand({ Name: uniq('lb') }))).LoadBalancers![0];
  const l = (await elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port, DefaultActions: actions }))).Listeners![0];
  return { lb, l };
}
const path = (p: string) => [{ Field: 'path-pattern', PathPatternConfig: { Values: [p] } }];
const rule = (ListenerArn: string, Priority: number, p = '/x') => elb().send(new CreateRuleCommand({ ListenerArn, Priority, Conditions: path(p), Actions: [fixed('204', '')] }));

describe('listeners', () => {
  test('CreateListener answers the listener with its default actions; DescribeListeners finds it', async () => {
    const { lb, l } = await lbWithListener();
    expect(l.ListenerArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/${lb.LoadBalancerName}/[0-9a-f]{16}/[0-9a-f]{16}$`));
    expect(l).toEqual({ ListenerArn: l.ListenerArn, LoadBalancerArn: lb.LoadBalancerArn, Port: 80, Protocol: 'HTTP', DefaultActions: [fixed()] });
    expect((await elb().send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners).toEqual([l]);
    expect((await elb().send(new DescribeListenersCommand({ ListenerArns: [l.ListenerArn!] }))).Listeners).toEqual([l]);
  });

  test('the same port: idempotent with the same settings, DuplicateListener otherwise', async () => {
    const { lb, l } = await lbWithListener();
    const again = (await elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [fixed()] }))).Listeners![0];
    expect(again.ListenerArn).toBe(l.ListenerArn);
    expect(await failure(elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [fixed('404')] })))).toEqual({
      name: 'DuplicateListenerException',
      status: 400,
      message: 'A listener with the specified port already exists.',
    });
  });

  test('protocol and port are required; an ALB listens on HTTP or HTTPS, HTTPS needs a certificate', async () => {
    const { lb } = await lbWithListener();
    const create = (extra: Record<string, unknown>) => failure(elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, DefaultActions: [fixed()], ...extra })));
    expect((await create({ Protocol: 'HTTP' })).message).toBe('A listener port must be specified');
    expect((await create({ Port: 81 })).message).toBe('A listener protocol must be specified');
    expect((await create({ Protocol: 'TCP', Port: 81 })).message).toBe("Listener protocol 'TCP' must be one of 'HTTPS, HTTP'");
    expect((await create({ Protocol: 'HTTPS', Port: 443 })).message).toBe('A certificate must be specified for HTTPS listeners');
    expect((await create({ Protocol: 'HTTP', Port: 70000 })).message).toMatch(/Value '70000' at 'port' failed to satisfy constraint: Member must have value less than or equal to 65535/);
  });

  test('actions are checked: type, fixed-response status and content type, forward target groups, redirect loops', async () => {
    const { lb } = await lbWithListener();
    const create = (a: Action[]) => failure(elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8080, DefaultActions: a })));
    expect((await create([{ Type: 'bogus' as never }])).message).toBe(
      "1 validation error detected: Value 'bogus' at 'defaultActions.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [forward, authenticate-oidc, authenticate-cognito, redirect, fixed-response, jwt-validation]",
    );
    expect((await create([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '302' } }])).message).toBe(
      "1 validation error detected: Value '302' at 'defaultActions.1.member.fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$",
    );
    expect(await create([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'image/png' } }])).toEqual({
      name: 'InvalidLoadBalancerActionException',
      status: 400,
      message: "The ContentType must be one of:'text/html', 'application/json', 'application/javascript', 'text/css', 'text/plain'",
    });
    const gone = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/gone/0123456789abcdef`;
    expect(await create([{ Type: 'forward', TargetGroupArn: gone }])).toEqual({ name: 'TargetGroupNotFoundException', status: 400, message: `Target group '${gone}' not found` });
    expect((await create([{ Type: 'forward', TargetGroupArn: 'not-an-arn' }])).message).toBe("'not-an-arn' is not a valid target group ARN");
    expect((await create([{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_301' } }])).message).toBe('The redirect configuration is not valid because it creates a loop.');
    expect((await create([{ Type: 'authenticate-oidc' }])).name).toBe('InvalidLoadBalancerActionException');
    expect((await create([{ Type: 'redirect', RedirectConfig: { Host: 'a\r\nset-cookie: x', StatusCode: 'HTTP_301' } }])).name).toBe('InvalidLoadBalancerActionException');
  });

  test('a forward action is echoed with TargetGroupArn and ForwardConfig; a redirect with every component', async () => {
    const tg = (await elb().send(new CreateTargetGroupCommand({ Name: uniq('tg'), TargetType: 'lambda' }))).TargetGroups![0];
    const { l } = await lbWithListener([{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }]);
    expect(l.DefaultActions).toEqual([
      {
        Type: 'forward',
        TargetGroupArn: tg.TargetGroupArn,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg.TargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
      },
    ]);
    const r = await lbWithListener([{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_302' } }]);
    expect(r.l.DefaultActions).toEqual([
      { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_302' } },
    ]);
  });

  test('a target group serves one load balancer only', async () => {
    const tg = (await elb().send(new CreateTargetGroupCommand({ Name: uniq('tg'), TargetType: 'lambda' }))).TargetGroups![0];
    await lbWithListener([{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }]);
    expect(await failure(lbWithListener([{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }]))).toEqual({
      name: 'TargetGroupAssociationLimitException',
      status: 400,
      message: `Target group '${tg.TargetGroupArn}' cannot be associated with more than one load balancer`,
    });
  });

  test('ModifyListener changes port and default actions; DeleteListener removes it', async () => {
    const { lb, l } = await lbWithListener();
    await elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 81, DefaultActions: [fixed()] }));
    const [m] = (await elb().send(new ModifyListenerCommand({ ListenerArn: l.ListenerArn, Port: 8080, DefaultActions: [fixed('503', 'down')] }))).Listeners!;
    expect(m).toMatchObject({ Port: 8080, DefaultActions: [fixed('503', 'down')] });
    expect((await failure(elb().send(new ModifyListenerCommand({ ListenerArn: l.ListenerArn, Port: 81 })))).name).toBe('DuplicateListenerException');
    await elb().send(new DeleteListenerCommand({ ListenerArn: l.ListenerArn }));
    expect(await failure(elb().send(new DeleteListenerCommand({ ListenerArn: l.ListenerArn })))).toEqual({
      name: 'ListenerNotFoundException',
      status: 400,
      message: `Listener '${l.ListenerArn}' not found`,
    });
  });
});

describe('rules', () => {
  test('CreateRule answers the rule; DescribeRules lists by priority with the default rule last', async () => {
    const { l } = await lbWithListener();
    const [r10] = (await rule(l.ListenerArn!, 10, '/b/*')).Rules!;
    await rule(l.ListenerArn!, 2, '/a/*');
    expect(r10.RuleArn).toMatch(/:listener-rule\/app\/[^/]+\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(r10).toEqual({
      RuleArn: r10.RuleArn,
      Priority: '10',
      Conditions: [{ Field: 'path-pattern', Values: ['/b/*'], PathPatternConfig: { Values: ['/b/*'] } }],
      Actions: [fixed('204', '')],
      IsDefault: false,
    });
    const rules = (await elb().send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn }))).Rules!;
    expect(rules.map((r) => r.Priority)).toEqual(['2', '10', 'default']);
    expect(rules[2]).toMatchObject({ IsDefault: true, Conditions: [], Actions: [fixed()] });
  });

  test('priorities are 1-50000 and unique per listener', async () => {
    const { l } = await lbWithListener();
    await rule(l.ListenerArn!, 5);
    expect(await failure(rule(l.ListenerArn!, 5, '/other'))).toEqual({ name: 'PriorityInUseException', status: 400, message: "Priority '5' is currently in use" });
    expect((await failure(rule(l.ListenerArn!, 0))).message).toBe(
      "1 validation error detected: Value '0' at 'priority' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect((await failure(rule(l.ListenerArn!, 50001))).message).toMatch(/Member must have value less than or equal to 50000/);
    const other = await lbWithListener();
    await rule(other.l.ListenerArn!, 5);
  });

  test('bad conditions answer ValidationError', async () => {
    const { l } = await lbWithListener();
    const create = (Conditions: unknown) => failure(elb().send(new CreateRuleCommand({ ListenerArn: l.ListenerArn, Priority: 1, Conditions: Conditions as never, Actions: [fixed()] })));
    expect(await create([{ Field: 'cookie', Values: ['x'] }])).toEqual({
      name: 'ValidationError',
      status: 400,
      message: "Condition field 'cookie' must be one of '[path-pattern, host-header, http-header, http-request-method, query-string, source-ip]'",
    });
    expect((await create([{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['get'] } }])).message).toBe(
      "The 'http-request-method' value is invalid; the allowed characters are A-Z, hyphen and underscore",
    );
    expect((await create([{ Field: 'source-ip', SourceIpConfig: { Values: ['nope'] } }])).name).toBe('ValidationError');
    expect((await create([])).name).toBe('ValidationError');
  });

  test('SetRulePriorities swaps priorities; duplicates and clashes are refused', async () => {
    const { l } = await lbWithListener();
    const [a] = (await rule(l.ListenerArn!, 1, '/a')).Rules!;
    const [b] = (await rule(l.ListenerArn!, 2, '/b')).Rules!;
    const [c] = (await rule(l.ListenerArn!, 3, '/c')).Rules!;
    const out = await elb().send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a.RuleArn, Priority: 2 }, { RuleArn: b.RuleArn, Priority: 1 }] }));
    expect(out.Rules!.map((r) => [r.RuleArn, r.Priority])).toEqual([
      [a.RuleArn, '2'],
      [b.RuleArn, '1'],
    ]);
    expect((await failure(elb().send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a.RuleArn, Priority: 7 }, { RuleArn: b.RuleArn, Priority: 7 }] })))).message).toBe(
      "Priority '7' was provided multiple times",
    );
    expect((await failure(elb().send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: a.RuleArn, Priority: 3 }] })))).name).toBe('PriorityInUseException');
    const rules = (await elb().send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn }))).Rules!;
    expect(rules.map((r) => r.RuleArn)).toEqual([b.RuleArn, a.RuleArn, c.RuleArn, rules[3].RuleArn]);
  });

  test('ModifyRule replaces conditions or actions; the default rule can be neither modified nor deleted', async () => {
    const { l } = await lbWithListener();
    const [r] = (await rule(l.ListenerArn!, 1)).Rules!;
    const [m] = (await elb().send(new ModifyRuleCommand({ RuleArn: r.RuleArn, Conditions: [{ Field: 'host-header', Values: ['api.example.com'] }] }))).Rules!;
    expect(m.Conditions).toEqual([{ Field: 'host-header', Values: ['api.example.com'], HostHeaderConfig: { Values: ['api.example.com'] } }]);
    expect(m.Actions).toEqual([fixed('204', '')]);
    expect((await failure(elb().send(new ModifyRuleCommand({ RuleArn: r.RuleArn })))).message).toBe('Either conditions or actions must be specified');
    const dflt = (await elb().send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn }))).Rules!.find((x) => x.IsDefault)!;
    expect((await failure(elb().send(new DeleteRuleCommand({ RuleArn: dflt.RuleArn })))).name).toBe('OperationNotPermittedException');
    expect((await failure(elb().send(new ModifyRuleCommand({ RuleArn: dflt.RuleArn, Actions: [fixed()] })))).name).toBe('OperationNotPermittedException');
    await elb().send(new DeleteRuleCommand({ RuleArn: r.RuleArn }));
    expect(await failure(elb().send(new DeleteRuleCommand({ RuleArn: r.RuleArn })))).toEqual({ name: 'RuleNotFoundException', status: 400, message: `Rule '${r.RuleArn}' not found` });
  });

  test('DescribeRules needs a listener or rule ARNs', async () => {
    expect((await failure(elb().send(new DescribeRulesCommand({})))).message).toBe('You must specify either listener rule ARNs or a listener ARN');
  });
});
