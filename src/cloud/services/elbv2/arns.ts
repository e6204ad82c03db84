/**
 * ARNs, ids and DNS names of load balancers, listeners, rules and target groups, as AWS makes them
 * [doc]:
 *   arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<16 hex>
 *   arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<lb name>/<lb id>/<16 hex>
 *   arn:aws:elasticloadbalancing:<region>:<account>:listener-rule/app/<lb name>/<lb id>/<listener id>/<16 hex>
 *   arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>
 * DNS names are `<name>-<number>.<region>.elb.amazonaws.com` on AWS (`internal-` in front for an
 * internal scheme); here the suffix is `.elb.localhost`, which resolves to loopback without DNS.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { invalidArn } from './errors';

export const DNS_SUFFIX = '.elb.localhost';

export const hexId = () => randomBytes(8).toString('hex');

export function loadBalancerArn(region: string, account: string, name: string, id: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${name}/${id}`;
}

export function listenerArn(lbArn: string, id: string): string {
  return `${lbArn.replace(':loadbalancer/', ':listener/')}/${id}`;
}

export function ruleArn(listenerArn: string, id: string): string {
  return `${listenerArn.replace(':listener/', ':listener-rule/')}/${id}`;
}

export function targetGroupArn(region: string, account: string, name: string, id: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}/${id}`;
}

export function dnsNameOf(name: string, region: string, internal: boolean): string {
  return `${internal ? 'internal-' : ''}${name}-${randomInt(100_000_000, 2_000_000_000)}.${region}${DNS_SUFFIX}`.toLowerCase();
}

export type ArnKind = 'load balancer' | 'target group' | 'listener' | 'listener rule';

const SHAPES: Record<ArnKind, RegExp> = {
  'load balancer': /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(app|net|gwy)\/[^/]+\/[0-9a-f]+$/,
  'target group': /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[^/]+\/[0-9a-f]+$/,
  listener: /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/(app|net|gwy)\/[^/]+\/[0-9a-f]+\/[0-9a-f]+$/,
  'listener rule': /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener-rule\/(app|net|gwy)\/[^/]+\/[0-9a-f]+\/[0-9a-f]+\/[0-9a-f]+$/,
};

/** An ARN parameter of this kind, or ValidationError "'x' is not a valid <kind> ARN" [obs]. */
export function checkArn(value: string, kind: ArnKind): string {
  if (!SHAPES[kind].test(value)) throw invalidArn(value, kind);
  return value;
}

/** Which kind of resource an ARN names (for the tag operations), if any. */
export function arnKind(value: string): ArnKind | undefined {
  return (Object.keys(SHAPES) as ArnKind[]).find((k) => SHAPES[k].test(value));
}
