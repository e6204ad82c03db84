/**
 * ELBv2 through the SDK (query protocol) on a started cloud: load balancers, target groups, Lambda
 * targets and the permission AWS checks, attributes, tags, and the XML as sent.
 * The SDK names a modeled error `<Code>Exception` (the wire's `<Code>TargetGroupNotFound</Code>` is
 * TargetGroupNotFoundException to it, as the raw XML test shows); unmodeled ones (ValidationError,
 * AccessDenied) keep their code.
 */
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ACCOUNT, failure, rawQuery, REGION, uniq, useElbEnv } from './elbv2-helpers';

const env = useElbEnv();
const elb = () => env.elbv2;
const createLb = async (Name = uniq('lb'), extra: Record<string, unknown> = {}) =>
  (await elb().send(new CreateLoadBalancerCommand({ Name, ...extra }))).LoadBalancers![0];
const createTg = async (Name = uniq('tg'), extra: Record<string, unknown> = {}) =>
  (await elb().send(new CreateTargetGroupCommand({ Name, TargetType: 'lambda', ...extra }))).TargetGroups![0];

describe('load balancers', () => {
  test('CreateLoadBalancer answers the new ALB provisioning; DescribeLoadBalancers then finds it active', async () => {
    const name = uniq('web');
    const lb = await createLb(name);
    expect(lb.LoadBalancerArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${name}/[0-9a-f]{16}$`));
    expect(lb.DNSName).toMatch(new RegExp(`^${name}-\\d+\\.${REGION}\\.elb\\.localhost$`));
    expect(lb).toMatchObject({ LoadBalancerName: name, Scheme: 'internet-facing', Type: 'application', IpAddressType: 'ipv4', State: { Code: 'provisioning' }, CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K' });
    expect(lb.AvailabilityZones).toHaveLength(2);
    expect(lb.CreatedTime).toBeInstanceOf(Date);
    const [found] = (await elb().send(new DescribeLoadBalancersCommand({ Names: [name] }))).LoadBalancers!;
    expect(found).toMatchObject({ LoadBalancerArn: lb.LoadBalancerArn, DNSName: lb.DNSName, State: { Code: 'active' } });
  });

  test('an internal scheme puts internal- in front of the DNS name', async () => {
    const lb = await createLb(uniq('in'), { Scheme: 'internal' });
    expect(lb.DNSName).toMatch(/^internal-in-/);
  });

  test('is idempotent for the same settings; another scheme under the name is DuplicateLoadBalancerName', async () => {
    const name = uniq('dup');
    const a = await createLb(name);
    const b = await createLb(name);
    expect(b.LoadBalancerArn).toBe(a.LoadBalancerArn);
    expect(await failure(createLb(name, { Scheme: 'internal' }))).toEqual({ name: 'DuplicateLoadBalancerNameException', status: 400, message: 'A load balancer with the specified name already exists.' });
  });

  test('refuses bad names, one subnet, and types other than application', async () => {
    expect(await failure(createLb('-bad'))).toEqual({ name: 'ValidationError', status: 400, message: "Load balancer name '-bad' cannot begin or end with '-'" });
    expect((await failure(createLb('a'.repeat(33)))).message).toBe(`Load balancer name '${'a'.repeat(33)}' cannot be longer than '32' characters`);
    expect((await failure(createLb('a_b'))).message).toMatch(/can only contain characters that are alphanumeric characters or hyphens/);
    expect((await failure(createLb('internal-x'))).message).toMatch(/cannot begin with 'internal-'/);
    expect((await failure(createLb(uniq('one'), { Subnets: ['subnet-1'] }))).message).toBe('At least two subnets in two different Availability Zones must be specified');
    expect((await failure(createLb(uniq('nlb'), { Type: 'network' }))).name).toBe('ValidationError');
    expect((await failure(createLb(uniq('x'), { Scheme: 'public' }))).message).toBe(
      "1 validation error detected: Value 'public' at 'scheme' failed to satisfy constraint: Member must satisfy enum value set: [internet-facing, internal]",
    );
  });

  test('DescribeLoadBalancers: names or ARNs that do not exist, and a malformed ARN', async () => {
    expect(await failure(elb().send(new DescribeLoadBalancersCommand({ Names: ['nope-1', 'nope-2'] })))).toEqual({
      name: 'LoadBalancerNotFoundException',
      status: 400,
      message: "Load balancers '[nope-1, nope-2]' not found",
    });
    const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/gone/0123456789abcdef`;
    expect((await failure(elb().send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })))).message).toBe('One or more load balancers not found');
    expect(await failure(elb().send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: 'nope' })))).toEqual({
      name: 'ValidationError',
      status: 400,
      message: "'nope' is not a valid load balancer ARN",
    });
  });

  test('pages with PageSize and Marker', async () => {
    const all = (await elb().send(new DescribeLoadBalancersCommand({}))).LoadBalancers!;
    const first = await elb().send(new DescribeLoadBalancersCommand({ PageSize: 1 }));
    expect(first.LoadBalancers).toHaveLength(1);
    expect(first.NextMarker).toBeDefined();
    const second = await elb().send(new DescribeLoadBalancersCommand({ PageSize: 400, Marker: first.NextMarker }));
    expect(second.LoadBalancers).toHaveLength(all.length - 1);
    expect(second.NextMarker).toBeUndefined();
    expect((await failure(elb().send(new DescribeLoadBalancersCommand({ PageSize: 401 })))).name).toBe('ValidationError');
  });

  test('DeleteLoadBalancer: takes its listeners along, succeeds for one already gone, refuses with deletion protection', async () => {
    const lb = await createLb();
    await elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] }));
    await elb().send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }] }));
    expect(await failure(elb().send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })))).toEqual({
      name: 'OperationNotPermittedException',
      status: 400,
      message: `Load balancer '${lb.LoadBalancerArn}' cannot be deleted because deletion protection is enabled`,
    });
    await elb().send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }] }));
    await elb().send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await elb().send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    expect((await failure(elb().send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn })))).name).toBe('LoadBalancerNotFoundException');
  });

  test('attributes: the ALB defaults, changes kept, unknown keys and bad values refused', async () => {
    const lb = await createLb();
    const attrs = (await elb().send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Attributes!;
    const get = (list: typeof attrs, k: string) => list.find((a) => a.Key === k)?.Value;
    expect(get(attrs, 'idle_timeout.timeout_seconds')).toBe('60');
    expect(get(attrs, 'routing.http2.enabled')).toBe('true');
    expect(get(attrs, 'routing.http.xff_header_processing.mode')).toBe('append');
    expect(get(attrs, 'deletion_protection.enabled')).toBe('false');
    const out = await elb().send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '120' }] }));
    expect(get(out.Attributes!, 'idle_timeout.timeout_seconds')).toBe('120');
    expect(await failure(elb().send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'no.such', Value: '1' }] })))).toEqual({
      name: 'ValidationError',
      status: 400,
      message: "Load balancer attribute key 'no.such' is not recognized",
    });
    const bad = await failure(elb().send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '0' }] })));
    expect(bad.name).toBe('InvalidConfigurationRequestException');
  });
});

describe('target groups', () => {
  test('a lambda target group has health checks off with the lambda defaults and no protocol, port or VPC', async () => {
    const name = uniq('tg');
    const tg = await createTg(name);
    expect(tg.TargetGroupArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/[0-9a-f]{16}$`));
    expect(tg).toEqual({
      TargetGroupArn: tg.TargetGroupArn,
      TargetGroupName: name,
      HealthCheckEnabled: false,
      HealthCheckIntervalSeconds: 35,
      HealthCheckTimeoutSeconds: 30,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      HealthCheckPath: '/',
      Matcher: { HttpCode: '200' },
      LoadBalancerArns: [],
      TargetType: 'lambda',
      IpAddressType: 'ipv4',
    });
  });

  test('refuses a port, protocol or VPC for lambda, and is idempotent on the same settings', async () => {
    expect(await failure(createTg(uniq('tg'), { Port: 80 }))).toEqual({ name: 'ValidationError', status: 400, message: "Port cannot be specified for target groups with target type 'lambda'" });
    expect((await failure(createTg(uniq('tg'), { VpcId: 'vpc-1' }))).message).toBe("VPC ID cannot be specified for target groups with target type 'lambda'");
    const name = uniq('same');
    const a = await createTg(name);
    expect((await createTg(name)).TargetGroupArn).toBe(a.TargetGroupArn);
    expect((await failure(createTg(name, { HealthCheckEnabled: true }))).name).toBe('DuplicateTargetGroupNameException');
  });

  test('ModifyTargetGroup changes health checks within the limits', async () => {
    const tg = await createTg();
    const [out] = (await elb().send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, HealthCheckEnabled: true, HealthCheckPath: '/health' }))).TargetGroups!;
    expect(out).toMatchObject({ HealthCheckEnabled: true, HealthCheckPath: '/health' });
    expect((await failure(elb().send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, HealthCheckIntervalSeconds: 30 })))).message).toBe(
      "Health check timeout '30' must be smaller than the interval '30'",
    );
    expect((await failure(elb().send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, HealthyThresholdCount: 11 })))).message).toMatch(
      /Value '11' at 'healthyThresholdCount' failed to satisfy constraint: Member must have value less than or equal to 10/,
    );
  });

  test('the lambda.multi_value_headers.enabled attribute; attributes of other target types are refused', async () => {
    const tg = await createTg();
    expect((await elb().send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }))).Attributes).toEqual([{ Key: 'lambda.multi_value_headers.enabled', Value: 'false' }]);
    const out = await elb().send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] }));
    expect(out.Attributes).toEqual([{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }]);
    expect(await failure(elb().send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'stickiness.enabled', Value: 'true' }] })))).toEqual({
      name: 'InvalidConfigurationRequestException',
      status: 400,
      message: 'The provided target group attribute is not supported',
    });
    expect((await failure(elb().send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'x.y', Value: '1' }] })))).name).toBe('ValidationError');
  });

  test('DescribeTargetGroups by name, by ARN, by load balancer; missing ones', async () => {
    const tg = await createTg();
    expect((await elb().send(new DescribeTargetGroupsCommand({ Names: [tg.TargetGroupName!] }))).TargetGroups![0].TargetGroupArn).toBe(tg.TargetGroupArn);
    expect((await elb().send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.TargetGroupArn!] }))).TargetGroups).toHaveLength(1);
    expect((await failure(elb().send(new DescribeTargetGroupsCommand({ Names: ['nope'] })))).message).toBe("Target groups '[nope]' not found");
    const lb = await createLb();
    expect((await elb().send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).TargetGroups).toEqual([]);
  });

  test('DeleteTargetGroup: in use by a listener is ResourceInUse; one that does not exist is no error', async () => {
    const lb = await createLb();
    const tg = await createTg();
    await elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
    expect((await elb().send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.TargetGroupArn!] }))).TargetGroups![0].LoadBalancerArns).toEqual([lb.LoadBalancerArn]);
    expect(await failure(elb().send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })))).toEqual({
      name: 'ResourceInUseException',
      status: 400,
      message: `Target group '${tg.TargetGroupArn}' is currently in use by a listener or a rule`,
    });
    await elb().send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await elb().send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
    await elb().send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
  });
});

describe('Lambda targets', () => {
  test('RegisterTargets needs a resource policy letting elasticloadbalancing invoke the function for this target group', async () => {
    const fn = await env.createFunction();
    const tg = await createTg();
    expect(await failure(elb().send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] })))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `elasticloadbalancing principal does not have permission to invoke ${fn.arn} from target group ${tg.TargetGroupArn}`,
    });
    const other = await createTg();
    await env.allowElb(fn.name, other.TargetGroupArn!);
    expect((await failure(elb().send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] })))).name).toBe('AccessDenied');
    await env.allowElb(fn.name, tg.TargetGroupArn!);
    await elb().send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] }));
    await elb().send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] }));
  });

  test('one function per target group; the function must exist in the same account and region', async () => {
    const a = await env.createFunction();
    const b = await env.createFunction();
    const tg = await createTg();
    await env.allowElb(a.name, tg.TargetGroupArn!);
    await env.allowElb(b.name, tg.TargetGroupArn!);
    await elb().send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: a.arn }] }));
    expect((await failure(elb().send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: b.arn }] })))).name).toBe('TooManyTargetsException');
    expect((await failure(elb().send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: a.arn }, { Id: b.arn }] })))).name).toBe('TooManyTargetsException');
    const other = await createTg();
    expect((await failure(elb().send(new RegisterTargetsCommand({ TargetGroupArn: other.TargetGroupArn, Targets: [{ Id: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:none` }] })))).name).toBe('InvalidTargetException');
    expect((await failure(elb().send(new RegisterTargetsCommand({ TargetGroupArn: other.TargetGroupArn, Targets: [{ Id: 'i-0123456789' }] })))).name).toBe('InvalidTargetException');
    expect((await failure(elb().send(new RegisterTargetsCommand({ TargetGroupArn: other.TargetGroupArn, Targets: [{ Id: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${a.name}` }] })))).message).toBe(
      'The Lambda function and target group must be in the same account and in the same Region',
    );
  });

  test('DescribeTargetHealth: unused until a listener forwards to the group, then unavailable with health checks off', async () => {
    const fn = await env.createFunction();
    const tg = await createTg();
    await env.allowElb(fn.name, tg.TargetGroupArn!);
    await elb().send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] }));
    const health = async () => (await elb().send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions!;
    expect(await health()).toEqual([
      { Target: { Id: fn.arn, AvailabilityZone: 'all' }, TargetHealth: { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' } },
    ]);
    const lb = await createLb();
    await elb().send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
    expect((await health())[0].TargetHealth).toEqual({ State: 'unavailable', Reason: 'Target.HealthCheckDisabled', Description: 'Health checks disabled' });
    await elb().send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] }));
    await elb().send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] }));
    expect(await health()).toEqual([]);
    const asked = (await elb().send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: fn.arn }] }))).TargetHealthDescriptions!;
    expect(asked[0].TargetHealth).toEqual({ State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' });
  });

  test('a target group that does not exist', async () => {
    const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/gone/0123456789abcdef`;
    expect(await failure(elb().send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })))).toEqual({ name: 'TargetGroupNotFoundException', status: 400, message: `Target group '${arn}' not found` });
  });
});

describe('tags', () => {
  test('AddTags, DescribeTags, RemoveTags on a load balancer and a target group', async () => {
    const lb = await createLb(uniq('tagged'), { Tags: [{ Key: 'team', Value: 'a' }] });
    const tg = await createTg();
    await elb().send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!], Tags: [{ Key: 'env', Value: 'test' }] }));
    const out = await elb().send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!] }));
    expect(out.TagDescriptions).toEqual([
      { ResourceArn: lb.LoadBalancerArn, Tags: [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'test' }] },
      { ResourceArn: tg.TargetGroupArn, Tags: [{ Key: 'env', Value: 'test' }] },
    ]);
    await elb().send(new RemoveTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], TagKeys: ['team'] }));
    expect((await elb().send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!] }))).TagDescriptions![0].Tags).toEqual([{ Key: 'env', Value: 'test' }]);
  });

  test('duplicate keys, more than 50 tags, a resource that does not exist', async () => {
    const lb = await createLb();
    expect(await failure(elb().send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })))).toEqual({
      name: 'DuplicateTagKeysException',
      status: 400,
      message: 'Tag key was specified more than once: a',
    });
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await failure(elb().send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], Tags: many })))).name).toBe('TooManyTagsException');
    const gone = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/gone/0123456789abcdef`;
    expect((await failure(elb().send(new DescribeTagsCommand({ ResourceArns: [gone] })))).name).toBe('TargetGroupNotFoundException');
  });
});

describe('the query protocol as sent', () => {
  test('answers XML in the 2015-12-01 namespace with an <OpResult> and the request id', async () => {
    const r = await rawQuery(env, { Action: 'DescribeLoadBalancers', PageSize: '1' });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^<DescribeLoadBalancersResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><DescribeLoadBalancersResult><LoadBalancers><member>/);
    expect(r.text).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DescribeLoadBalancersResponse>$/);
  });

  test('errors are <ErrorResponse> with Type Sender; an unknown action is InvalidAction', async () => {
    const r = await rawQuery(env, { Action: 'DescribeTargetGroups', 'Names.member.1': 'nope' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>Target groups &apos;[nope]&apos; not found</Message></Error>');
    const u = await rawQuery(env, { Action: 'DescribeUnicorns' });
    expect(u.status).toBe(400);
    expect(u.text).toContain('<Code>InvalidAction</Code>');
    const empty = await rawQuery(env, { Action: 'DeleteLoadBalancer', LoadBalancerArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/x/0123456789abcdef` });
    expect(empty.text).toContain('<DeleteLoadBalancerResult></DeleteLoadBalancerResult>');
  });
});
