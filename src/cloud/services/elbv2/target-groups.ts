/**
 * CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup,
 * Describe/ModifyTargetGroupAttributes.
 *
 * Target groups of type `lambda` only (instances and IPs need an EC2 this cloud does not have). A
 * lambda target group takes no Protocol, Port or VpcId [obs: "Port cannot be specified for target
 * groups with target type 'lambda'"]; its health checks are disabled by default, every 35 s with a
 * 30 s timeout, 5 healthy / 2 unhealthy, path "/", matcher 200 [model docs]. Its one attribute is
 * `lambda.multi_value_headers.enabled` (default false) [model]. CreateTargetGroup is idempotent
 * [model]: the same name and settings answer the existing group.
 */
import { AwsError } from '../../errors';
import type { Operation, RequestContext } from '../../protocols/types';
import { hexId, targetGroupArn } from './arns';
import { invalidConfiguration, duplicateTargetGroupName, targetGroupInUse, targetGroupNotFound, targetGroupsNamedNotFound, validationError, validator } from './errors';
import { bool, int, page, record, required, str, strings, type In } from './input';
import { checkName } from './load-balancers';
import type { Elbv2Store } from './store';
import { checkTags } from './tags';
import type { HealthCheck, TargetGroupRecord } from './types';

export const MULTI_VALUE_HEADERS = 'lambda.multi_value_headers.enabled';

/** Attributes other target types have: a lambda target group refuses them [obs]. */
const OTHER_TYPES_ATTRIBUTES = new Set([
  'deregistration_delay.timeout_seconds',
  'deregistration_delay.connection_termination.enabled',
  'stickiness.enabled',
  'stickiness.type',
  'stickiness.app_cookie.cookie_name',
  'stickiness.app_cookie.duration_seconds',
  'stickiness.lb_cookie.duration_seconds',
  'load_balancing.algorithm.type',
  'load_balancing.algorithm.anomaly_mitigation',
  'load_balancing.cross_zone.enabled',
  'slow_start.duration_seconds',
  'preserve_client_ip.enabled',
  'proxy_protocol_v2.enabled',
  'target_group_health.dns_failover.minimum_healthy_targets.count',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage',
  'target_health_state.unhealthy.connection_termination.enabled',
  'target_health_state.unhealthy.draining_interval_seconds',
  'target_failover.on_deregistration',
  'target_failover.on_unhealthy',
]);

export const LAMBDA_HEALTH_CHECK: HealthCheck = {
  enabled: false,
  path: '/',
  intervalSeconds: 35,
  timeoutSeconds: 30,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  matcher: '200',
};

export function multiValueHeaders(tg: TargetGroupRecord): boolean {
  return tg.attributes[MULTI_VALUE_HEADERS] === 'true';
}

export function targetGroupOut(store: Elbv2Store, tg: TargetGroupRecord) {
  const h = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    HealthCheckEnabled: h.enabled,
    HealthCheckIntervalSeconds: h.intervalSeconds,
    HealthCheckTimeoutSeconds: h.timeoutSeconds,
    HealthyThresholdCount: h.healthyThreshold,
    UnhealthyThresholdCount: h.unhealthyThreshold,
    HealthCheckPath: h.path,
    Matcher: { HttpCode: h.matcher },
    LoadBalancerArns: store.loadBalancersUsing(tg).map((lb) => lb.arn),
    TargetType: tg.targetType,
    IpAddressType: tg.ipAddressType,
  };
}

/** The health check members of Create/ModifyTargetGroup over `base`, checked [model]. */
function healthCheckFrom(input: In, base: HealthCheck): HealthCheck {
  const h: HealthCheck = {
    enabled: bool(input, 'HealthCheckEnabled') ?? base.enabled,
    path: str(input, 'HealthCheckPath') ?? base.path,
    intervalSeconds: int(input, 'HealthCheckIntervalSeconds') ?? base.intervalSeconds,
    timeoutSeconds: int(input, 'HealthCheckTimeoutSeconds') ?? base.timeoutSeconds,
    healthyThreshold: int(input, 'HealthyThresholdCount') ?? base.healthyThreshold,
    unhealthyThreshold: int(input, 'UnhealthyThresholdCount') ?? base.unhealthyThreshold,
    matcher: str(record(input, 'Matcher') ?? {}, 'HttpCode') ?? base.matcher,
  };
  validator()
    .length(str(input, 'HealthCheckPath'), 'healthCheckPath', 1, 1024)
    .range(int(input, 'HealthCheckIntervalSeconds'), 'healthCheckIntervalSeconds', 5, 300)
    .range(int(input, 'HealthCheckTimeoutSeconds'), 'healthCheckTimeoutSeconds', 2, 120)
    .range(int(input, 'HealthyThresholdCount'), 'healthyThresholdCount', 2, 10)
    .range(int(input, 'UnhealthyThresholdCount'), 'unhealthyThresholdCount', 2, 10)
    .check();
  if (h.timeoutSeconds >= h.intervalSeconds) {
    throw validationError(`Health check timeout '${h.timeoutSeconds}' must be smaller than the interval '${h.intervalSeconds}'`); // [obs]
  }
  if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(h.matcher)) throw validationError('HttpCode must be like 200 | 200-399 | 200,201 ...'); // [obs]
  if (!h.path.startsWith('/')) throw validationError('Health check path must begin with a \'/\' character'); // unconfirmed text
  return h;
}

const sameHealthCheck = (a: HealthCheck, b: HealthCheck) => (Object.keys(a) as (keyof HealthCheck)[]).every((k) => a[k] === b[k]);

export function targetGroupOperations(store: Elbv2Store): Record<string, Operation> {
  const CreateTargetGroup: Operation = (input: In, ctx: RequestContext) => {
    const name = required(input, 'Name');
    const targetType = str(input, 'TargetType') ?? 'instance';
    validator()
      .oneOf(targetType, 'targetType', ['instance', 'ip', 'lambda', 'alb'])
      .oneOf(str(input, 'Protocol'), 'protocol', ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'])
      .range(int(input, 'Port'), 'port', 1, 65535)
      .oneOf(str(input, 'IpAddressType'), 'ipAddressType', ['ipv4', 'ipv6'])
      .check();
    checkName(name, 'Target group');
    if (targetType !== 'lambda') {
      throw new AwsError('ValidationError', `Target groups of type '${targetType}' are not supported by this cloud: only 'lambda'`);
    }
    for (const [member, label] of [
      ['Protocol', 'Protocol'],
      ['Port', 'Port'],
      ['VpcId', 'VPC ID'],
      ['ProtocolVersion', 'Protocol version'],
      ['HealthCheckProtocol', 'Health check protocol'],
      ['HealthCheckPort', 'Health check port'],
    ]) {
      if (input[member] !== undefined) throw validationError(`${label} cannot be specified for target groups with target type 'lambda'`); // [obs]
    }
    const healthCheck = healthCheckFrom(input, LAMBDA_HEALTH_CHECK);
    const ipAddressType = str(input, 'IpAddressType') ?? 'ipv4';
    const tags = checkTags(input, 'tags');
    const existing = store.targetGroupsOf(ctx).find((tg) => tg.name === name);
    if (existing) {
      if (!sameHealthCheck(existing.healthCheck, healthCheck) || existing.ipAddressType !== ipAddressType) throw duplicateTargetGroupName();
      return { TargetGroups: [targetGroupOut(store, existing)] };
    }
    const tg: TargetGroupRecord = {
      arn: targetGroupArn(ctx.region, ctx.accountId, name, hexId()),
      name,
      accountId: ctx.accountId,
      region: ctx.region,
      targetType: 'lambda',
      healthCheck,
      ipAddressType,
      attributes: {},
      tags: new Map(tags),
    };
    store.targetGroups.set(tg.arn, tg);
    return { TargetGroups: [targetGroupOut(store, tg)] };
  };

  const DescribeTargetGroups: Operation = (input: In, ctx: RequestContext) => {
    const lbArn = str(input, 'LoadBalancerArn');
    const arns = strings(input, 'TargetGroupArns');
    const names = strings(input, 'Names');
    if ([lbArn !== undefined, !!arns?.length, !!names?.length].filter(Boolean).length > 1) {
      throw validationError('Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time'); // [obs]
    }
    let found = store.targetGroupsOf(ctx).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (lbArn !== undefined) {
      const lb = store.requireLoadBalancer(ctx, lbArn);
      found = found.filter((tg) => store.loadBalancersUsing(tg).includes(lb));
    } else if (arns?.length) {
      const wanted = new Set(arns);
      found = found.filter((tg) => wanted.has(tg.arn));
      if (found.length < wanted.size) throw targetGroupNotFound();
    } else if (names?.length) {
      found = found.filter((tg) => names.includes(tg.name));
      const missing = names.filter((n) => !found.some((tg) => tg.name === n));
      if (missing.length) throw targetGroupsNamedNotFound(missing);
    }
    const p = page(found, input);
    return { TargetGroups: p.items.map((tg) => targetGroupOut(store, tg)), NextMarker: p.next };
  };

  const ModifyTargetGroup: Operation = (input: In, ctx: RequestContext) => {
    const tg = store.requireTargetGroup(ctx, required(input, 'TargetGroupArn'));
    for (const [member, label] of [
      ['HealthCheckProtocol', 'Health check protocol'],
      ['HealthCheckPort', 'Health check port'],
    ]) {
      if (input[member] !== undefined) throw validationError(`${label} cannot be specified for target groups with target type 'lambda'`); // [obs]
    }
    tg.healthCheck = healthCheckFrom(input, tg.healthCheck);
    return { TargetGroups: [targetGroupOut(store, tg)] };
  };

  /** A target group no rule uses can go; one that does not exist is no error [model: no NotFound]. */
  const DeleteTargetGroup: Operation = (input: In, ctx: RequestContext) => {
    const arn = required(input, 'TargetGroupArn');
    let tg: TargetGroupRecord;
    try {
      tg = store.requireTargetGroup(ctx, arn);
    } catch (e) {
      if (e instanceof AwsError && e.code === 'TargetGroupNotFound') return {};
      throw e;
    }
    if (store.rulesUsing(tg).length > 0) throw targetGroupInUse(arn);
    store.targetGroups.delete(arn);
    return {};
  };

  const attributesOut = (tg: TargetGroupRecord) => [{ Key: MULTI_VALUE_HEADERS, Value: tg.attributes[MULTI_VALUE_HEADERS] ?? 'false' }];

  const DescribeTargetGroupAttributes: Operation = (input: In, ctx: RequestContext) => {
    const tg = store.requireTargetGroup(ctx, required(input, 'TargetGroupArn'));
    return { Attributes: attributesOut(tg) };
  };

  const ModifyTargetGroupAttributes: Operation = (input: In, ctx: RequestContext) => {
    const tg = store.requireTargetGroup(ctx, required(input, 'TargetGroupArn'));
    const list = input.Attributes;
    if (list === undefined) validator().fail(null, 'attributes', 'Member must not be null').check();
    const changes: Record<string, string> = {};
    for (const a of Array.isArray(list) ? list : []) {
      const attr = (a ?? {}) as In;
      const key = str(attr, 'Key') ?? '';
      const value = str(attr, 'Value') ?? '';
      if (OTHER_TYPES_ATTRIBUTES.has(key)) throw invalidConfiguration('The provided target group attribute is not supported'); // [obs]
      if (key !== MULTI_VALUE_HEADERS) throw validationError(`Target group attribute key '${key}' is not recognized`); // unconfirmed text
      if (value !== 'true' && value !== 'false') throw invalidConfiguration(`'${value}' is not a valid value for target group attribute '${key}'`); // unconfirmed text
      changes[key] = value;
    }
    Object.assign(tg.attributes, changes);
    return { Attributes: attributesOut(tg) };
  };

  return { CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup, DescribeTargetGroupAttributes, ModifyTargetGroupAttributes };
}
