/**
 * ELBv2's state: load balancers (with their listeners and rules) and target groups per account and
 * region, found by ARN, and load balancers by DNS name for the front door. The Lambda service is here
 * for RegisterTargets' permission check and the door's invocations.
 */
import type { Clock } from '../../clock';
import type { LambdaService } from '../../lambda/service';
import type { RequestContext } from '../../protocols/types';
import { checkArn } from './arns';
import { listenerNotFound, loadBalancerNotFound, ruleNotFound, targetGroupNotFound } from './errors';
import type { Action, ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord } from './types';

type Scope = Pick<RequestContext, 'accountId' | 'region'>;

export class Elbv2Store {
  readonly loadBalancers = new Map<string, LoadBalancerRecord>();
  readonly targetGroups = new Map<string, TargetGroupRecord>();
  readonly listeners = new Map<string, ListenerRecord>();
  readonly rules = new Map<string, RuleRecord>();
  private readonly byDns = new Map<string, LoadBalancerRecord>();
  /** How long a new load balancer stays "provisioning" (virtual ms; AWS takes minutes, here none by default). */
  provisioningMs = 0;

  constructor(
    readonly clock: Clock,
    readonly lambda: LambdaService,
  ) {}

  // ------------------------------------------------------------------ load balancers

  addLoadBalancer(lb: LoadBalancerRecord): void {
    this.loadBalancers.set(lb.arn, lb);
    this.byDns.set(lb.dnsName, lb);
  }

  removeLoadBalancer(lb: LoadBalancerRecord): void {
    for (const l of [...lb.listeners.values()]) this.removeListener(l);
    this.loadBalancers.delete(lb.arn);
    this.byDns.delete(lb.dnsName);
  }

  /** The load balancer whose DNS name this host is (lower-case, no port): the front door's lookup. */
  loadBalancerByDns(host: string): LoadBalancerRecord | undefined {
    return this.byDns.get(host);
  }

  loadBalancersOf(s: Scope): LoadBalancerRecord[] {
    return [...this.loadBalancers.values()].filter((lb) => lb.accountId === s.accountId && lb.region === s.region);
  }

  requireLoadBalancer(s: Scope, arn: string | undefined): LoadBalancerRecord {
    checkArn(arn ?? '', 'load balancer');
    const lb = this.loadBalancers.get(arn as string);
    if (!lb || lb.accountId !== s.accountId || lb.region !== s.region) throw loadBalancerNotFound(arn);
    return lb;
  }

  // ------------------------------------------------------------------ listeners and rules

  addListener(l: ListenerRecord): void {
    l.loadBalancer.listeners.set(l.arn, l);
    this.listeners.set(l.arn, l);
    this.rules.set(l.defaultRule.arn, l.defaultRule);
  }

  removeListener(l: ListenerRecord): void {
    for (const r of [...l.rules.values()]) this.removeRule(r);
    this.rules.delete(l.defaultRule.arn);
    l.loadBalancer.listeners.delete(l.arn);
    this.listeners.delete(l.arn);
  }

  addRule(r: RuleRecord): void {
    r.listener.rules.set(r.arn, r);
    this.rules.set(r.arn, r);
  }

  removeRule(r: RuleRecord): void {
    r.listener.rules.delete(r.arn);
    this.rules.delete(r.arn);
  }

  requireListener(s: Scope, arn: string | undefined): ListenerRecord {
    checkArn(arn ?? '', 'listener');
    const l = this.listeners.get(arn as string);
    if (!l || !inScope(l.loadBalancer, s)) throw listenerNotFound(arn);
    return l;
  }

  requireRule(s: Scope, arn: string | undefined): RuleRecord {
    checkArn(arn ?? '', 'listener rule');
    const r = this.rules.get(arn as string);
    if (!r || !inScope(r.listener.loadBalancer, s)) throw ruleNotFound(arn);
    return r;
  }

  // ------------------------------------------------------------------ target groups

  targetGroupsOf(s: Scope): TargetGroupRecord[] {
    return [...this.targetGroups.values()].filter((tg) => inScope(tg, s));
  }

  requireTargetGroup(s: Scope, arn: string | undefined): TargetGroupRecord {
    checkArn(arn ?? '', 'target group');
    const tg = this.targetGroups.get(arn as string);
    if (!tg || !inScope(tg, s)) throw targetGroupNotFound(arn);
    return tg;
  }

  /** The rules (default rules included) whose actions forward to this target group. */
  rulesUsing(tg: TargetGroupRecord): RuleRecord[] {
    return [...this.rules.values()].filter((r) => r.actions.some((a) => forwardsTo(a).includes(tg.arn)));
  }

  /** The load balancers whose listeners or rules forward to this target group (its LoadBalancerArns). */
  loadBalancersUsing(tg: TargetGroupRecord): LoadBalancerRecord[] {
    const out = new Set<LoadBalancerRecord>();
    for (const r of this.rulesUsing(tg)) out.add(r.listener.loadBalancer);
    return [...out];
  }

  clear(): void {
    this.loadBalancers.clear();
    this.targetGroups.clear();
    this.listeners.clear();
    this.rules.clear();
    this.byDns.clear();
  }
}

/** The target group ARNs a forward action names (TargetGroupArn or ForwardConfig's). */
export function forwardsTo(a: Action): string[] {
  if (a.Type !== 'forward') return [];
  if (a.ForwardConfig) return a.ForwardConfig.TargetGroups.map((t) => t.TargetGroupArn);
  return a.TargetGroupArn ? [a.TargetGroupArn] : [];
}

function inScope(r: { accountId: string; region: string }, s: Scope): boolean {
  return r.accountId === s.accountId && r.region === s.region;
}
