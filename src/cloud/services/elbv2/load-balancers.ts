/**
 * CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer, Describe/ModifyLoadBalancerAttributes.
 *
 * Only Application Load Balancers exist here (Type application, the default); the front door serves
 * them. There is no EC2 in this cloud: Subnets and SecurityGroups are taken as given (two made-up
 * subnets in a made-up VPC when none are), one subnet is refused as AWS refuses it for an ALB.
 * CreateLoadBalancer is idempotent [model]: the same name with the same settings answers the
 * existing load balancer; different settings are DuplicateLoadBalancerName.
 */
import { AwsError } from '../../errors';
import type { Operation, RequestContext } from '../../protocols/types';
import { dnsNameOf, hexId, loadBalancerArn } from './arns';
import { deletionProtected, duplicateLoadBalancerName, invalidConfiguration, loadBalancerNotFound, loadBalancersNamedNotFound, validationError, validator } from './errors';
import { page, records, required, str, strings, type In } from './input';
import type { Elbv2Store } from './store';
import { checkTags } from './tags';
import type { LoadBalancerRecord } from './types';

/** Route 53 hosted zone ids of ALBs per region [doc]; other regions get us-east-1's. */
const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65',
};

/** An ALB's attributes and their defaults [model: LoadBalancerAttribute docs]. */
const ATTRIBUTE_DEFAULTS: [string, string | ((lb: LoadBalancerRecord) => string)][] = [
  ['access_logs.s3.enabled', 'false'],
  ['access_logs.s3.bucket', ''],
  ['access_logs.s3.prefix', ''],
  ['client_keep_alive.seconds', '3600'],
  ['connection_logs.s3.enabled', 'false'],
  ['connection_logs.s3.bucket', ''],
  ['connection_logs.s3.prefix', ''],
  ['deletion_protection.enabled', 'false'],
  ['health_check_logs.s3.enabled', 'false'],
  ['health_check_logs.s3.bucket', ''],
  ['health_check_logs.s3.prefix', ''],
  ['idle_timeout.timeout_seconds', '60'],
  ['ipv6.deny_all_igw_traffic', (lb) => String(lb.scheme === 'internal')],
  ['load_balancing.cross_zone.enabled', 'true'],
  ['routing.http.desync_mitigation_mode', 'defensive'],
  ['routing.http.drop_invalid_header_fields.enabled', 'false'],
  ['routing.http.preserve_host_header.enabled', 'false'],
  ['routing.http.x_amzn_tls_version_and_cipher_suite.enabled', 'false'],
  ['routing.http.xff_client_port.enabled', 'false'],
  ['routing.http.xff_header_processing.mode', 'append'],
  ['routing.http2.enabled', 'true'],
  ['waf.fail_open.enabled', 'false'],
  ['zonal_shift.config.enabled', 'false'],
];
const ATTRIBUTE_KEYS = new Set(ATTRIBUTE_DEFAULTS.map(([k]) => k));

/** The value checks per attribute [model]; texts unconfirmed. */
function checkAttribute(key: string, value: string): void {
  const bad = () => invalidConfiguration(`'${value}' is not a valid value for load balancer attribute '${key}'`);
  const int = (min: number, max: number) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw bad();
  };
  if (key.endsWith('.enabled') || key === 'ipv6.deny_all_igw_traffic') {
    if (value !== 'true' && value !== 'false') throw bad();
    if (key === 'load_balancing.cross_zone.enabled' && value !== 'true') {
      throw invalidConfiguration('Cross-zone load balancing cannot be disabled for Application Load Balancers'); // [model] "can't be changed"
    }
  } else if (key === 'idle_timeout.timeout_seconds') int(1, 4000);
  else if (key === 'client_keep_alive.seconds') int(60, 604800);
  else if (key === 'routing.http.desync_mitigation_mode' && !['monitor', 'defensive', 'strictest'].includes(value)) throw bad();
  else if (key === 'routing.http.xff_header_processing.mode' && !['append', 'preserve', 'remove'].includes(value)) throw bad();
}

/** The attribute's value as DescribeLoadBalancerAttributes answers it. */
export function lbAttribute(lb: LoadBalancerRecord, key: string): string {
  if (key in lb.attributes) return lb.attributes[key];
  const d = ATTRIBUTE_DEFAULTS.find(([k]) => k === key)?.[1];
  return typeof d === 'function' ? d(lb) : (d ?? '');
}

function attributesOut(lb: LoadBalancerRecord) {
  return ATTRIBUTE_DEFAULTS.map(([Key]) => ({ Key, Value: lbAttribute(lb, Key) }));
}

export function loadBalancerOut(lb: LoadBalancerRecord, now: number) {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: HOSTED_ZONES[lb.region] ?? HOSTED_ZONES['us-east-1'],
    CreatedTime: new Date(lb.createdTime),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: now >= lb.activeAt ? 'active' : 'provisioning' },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((SubnetId, i) => ({ ZoneName: `${lb.region}${String.fromCharCode(97 + (i % 6))}`, SubnetId, LoadBalancerAddresses: [] })),
    SecurityGroups: lb.securityGroups,
    IpAddressType: lb.ipAddressType,
  };
}

/**
 * Name rules [model: "unique per region per account, can have a maximum of 32 characters, must
 * contain only alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not
 * begin with internal-"]; texts as AWS words them for target groups [obs].
 */
export function checkName(name: string, what: 'Load balancer' | 'Target group'): void {
  if (name.length > 32) throw validationError(`${what} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw validationError(`${what} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) throw validationError(`${what} name '${name}' cannot begin or end with '-'`);
  if (what === 'Load balancer' && name.startsWith('internal-')) throw validationError(`${what} name '${name}' cannot begin with 'internal-'`);
}

export function loadBalancerOperations(store: Elbv2Store): Record<string, Operation> {
  const CreateLoadBalancer: Operation = (input: In, ctx: RequestContext) => {
    const name = required(input, 'Name');
    const type = str(input, 'Type') ?? 'application';
    const scheme = str(input, 'Scheme') ?? 'internet-facing';
    const ipAddressType = str(input, 'IpAddressType') ?? 'ipv4';
    validator()
      .oneOf(type, 'type', ['application', 'network', 'gateway'])
      .oneOf(scheme, 'scheme', ['internet-facing', 'internal'])
      .oneOf(ipAddressType, 'ipAddressType', ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'])
      .check();
    checkName(name, 'Load balancer');
    if (type !== 'application') {
      throw new AwsError('ValidationError', `Load balancers of type '${type}' are not supported by this cloud: only 'application'`);
    }
    if (scheme === 'internal' && ipAddressType !== 'ipv4') throw validationError('Internal load balancers must use ipv4'); // [model] unconfirmed text
    const subnetIds = strings(input, 'Subnets');
    const mappings = records(input, 'SubnetMappings');
    if (subnetIds && mappings) throw validationError('You can specify subnets or subnet mappings, not both'); // unconfirmed text
    const subnets = subnetIds ?? mappings?.map((m) => str(m, 'SubnetId') ?? '') ?? [`subnet-${hexId()}`, `subnet-${hexId()}`];
    if (subnets.length < 2) throw validationError('At least two subnets in two different Availability Zones must be specified'); // [obs]
    const tags = checkTags(input, 'tags');

    const existing = store.loadBalancersOf(ctx).find((lb) => lb.name === name);
    if (existing) {
      if (existing.scheme !== scheme || existing.ipAddressType !== ipAddressType) throw duplicateLoadBalancerName();
      return { LoadBalancers: [loadBalancerOut(existing, store.clock.now())] };
    }
    const id = hexId();
    const now = store.clock.now();
    const lb: LoadBalancerRecord = {
      arn: loadBalancerArn(ctx.region, ctx.accountId, name, id),
      name,
      id,
      dnsName: dnsNameOf(name, ctx.region, scheme === 'internal'),
      accountId: ctx.accountId,
      region: ctx.region,
      type: 'application',
      scheme: scheme as LoadBalancerRecord['scheme'],
      ipAddressType,
      securityGroups: strings(input, 'SecurityGroups') ?? [`sg-${hexId()}`],
      subnets,
      vpcId: `vpc-${hexId()}`,
      createdTime: now,
      activeAt: now + store.provisioningMs,
      attributes: {},
      listeners: new Map(),
      tags: new Map(tags),
    };
    store.addLoadBalancer(lb);
    // AWS answers "provisioning" here and "active" minutes later [doc].
    return { LoadBalancers: [{ ...loadBalancerOut(lb, now), State: { Code: 'provisioning' } }] };
  };

  const DescribeLoadBalancers: Operation = (input: In, ctx: RequestContext) => {
    const arns = strings(input, 'LoadBalancerArns');
    const names = strings(input, 'Names');
    if (arns?.length && names?.length) throw validationError('Load balancer names and load balancer ARNs cannot be specified at the same time'); // [obs]
    let found = store.loadBalancersOf(ctx);
    if (arns?.length) {
      const wanted = new Set(arns);
      found = found.filter((lb) => wanted.has(lb.arn));
      if (found.length < wanted.size) throw loadBalancerNotFound();
    } else if (names?.length) {
      found = found.filter((lb) => names.includes(lb.name));
      const missing = names.filter((n) => !found.some((lb) => lb.name === n));
      if (missing.length) throw loadBalancersNamedNotFound(missing);
    }
    const p = page(found, input);
    const now = store.clock.now();
    return { LoadBalancers: p.items.map((lb) => loadBalancerOut(lb, now)), NextMarker: p.next };
  };

  /** Deleting one that does not exist succeeds [model]; deletion protection refuses [obs]. */
  const DeleteLoadBalancer: Operation = (input: In, ctx: RequestContext) => {
    const arn = required(input, 'LoadBalancerArn');
    let lb: LoadBalancerRecord;
    try {
      lb = store.requireLoadBalancer(ctx, arn);
    } catch (e) {
      if (e instanceof AwsError && e.code === 'LoadBalancerNotFound') return {};
      throw e;
    }
    if (lbAttribute(lb, 'deletion_protection.enabled') === 'true') throw deletionProtected(arn);
    store.removeLoadBalancer(lb);
    return {};
  };

  const DescribeLoadBalancerAttributes: Operation = (input: In, ctx: RequestContext) => {
    const lb = store.requireLoadBalancer(ctx, required(input, 'LoadBalancerArn'));
    return { Attributes: attributesOut(lb) };
  };

  const ModifyLoadBalancerAttributes: Operation = (input: In, ctx: RequestContext) => {
    const lb = store.requireLoadBalancer(ctx, required(input, 'LoadBalancerArn'));
    const attrs = records(input, 'Attributes');
    if (attrs === undefined) validator().fail(null, 'attributes', 'Member must not be null').check();
    validator().length(attrs, 'attributes', undefined, 20).check();
    const changes: Record<string, string> = {};
    for (const a of attrs ?? []) {
      const key = str(a, 'Key') ?? '';
      const value = str(a, 'Value') ?? '';
      if (!ATTRIBUTE_KEYS.has(key)) throw validationError(`Load balancer attribute key '${key}' is not recognized`); // [obs]
      checkAttribute(key, value);
      changes[key] = value;
    }
    for (const kind of ['access_logs', 'connection_logs', 'health_check_logs']) {
      const enabled = changes[`${kind}.s3.enabled`] ?? lbAttribute(lb, `${kind}.s3.enabled`);
      const bucket = changes[`${kind}.s3.bucket`] ?? lbAttribute(lb, `${kind}.s3.bucket`);
      if (enabled === 'true' && !bucket) throw invalidConfiguration(`The value of '${kind}.s3.bucket' cannot be empty`); // unconfirmed text
    }
    Object.assign(lb.attributes, changes);
    return { Attributes: attributesOut(lb) };
  };

  return { CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer, DescribeLoadBalancerAttributes, ModifyLoadBalancerAttributes };
}
