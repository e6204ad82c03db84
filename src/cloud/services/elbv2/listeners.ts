/**
 * CreateListener, DescribeListeners, ModifyListener, DeleteListener.
 *
 * HTTP listeners (HTTPS needs a certificate from ACM, which this cloud does not have). Each listener
 * has a default rule holding its default actions (DescribeRules shows it as Priority "default",
 * IsDefault true). CreateListener is idempotent [model]: the same port with the same settings
 * answers the existing listener; a different one on that port is DuplicateListener.
 *
 * The listener port is a fiction here: every listener is served on the cloud's one port, and the
 * front door picks the listener a request reaches (frontdoors/alb/index.ts says how).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Operation, RequestContext } from '../../protocols/types';
import { hexId, listenerArn, ruleArn } from './arns';
import { checkActions } from './actions';
import { certificateNotFound, duplicateListener, listenerNotFound, tooManyListeners, validationError, validator } from './errors';
import { int, page, records, required, str, strings, type In } from './input';
import type { Elbv2Store } from './store';
import { checkTags } from './tags';
import type { Action, ListenerRecord, LoadBalancerRecord, RuleRecord } from './types';

export const MAX_LISTENERS = 50; // [doc] quotas: listeners per Application Load Balancer

export function listenerOut(l: ListenerRecord) {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.loadBalancer.arn,
    Port: l.port,
    Protocol: l.protocol,
    DefaultActions: l.defaultRule.actions,
  };
}

/** Protocol and port of Create/ModifyListener for an Application Load Balancer [obs]. */
function checkProtocolPort(input: In, creating: boolean): { protocol?: string; port?: number } {
  const protocol = str(input, 'Protocol');
  const port = int(input, 'Port');
  validator()
    .oneOf(protocol, 'protocol', ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'])
    .range(port, 'port', 1, 65535)
    .check();
  if (creating && port === undefined) throw validationError('A listener port must be specified'); // [obs]
  if (creating && protocol === undefined) throw validationError('A listener protocol must be specified'); // [obs]
  if (protocol !== undefined && protocol !== 'HTTP' && protocol !== 'HTTPS') throw validationError(`Listener protocol '${protocol}' must be one of 'HTTPS, HTTP'`); // [obs]
  if (protocol === 'HTTPS') {
    const certs = records(input, 'Certificates') ?? [];
    if (certs.length === 0) throw validationError('A certificate must be specified for HTTPS listeners'); // [obs]
    // No ACM here: no certificate can be found.
    throw certificateNotFound(str(certs[0], 'CertificateArn') ?? '');
  }
  return { protocol, port };
}

export function listenerOperations(store: Elbv2Store): Record<string, Operation> {
  const sameAs = (l: ListenerRecord, actions: Action[]) => isDeepStrictEqual(l.defaultRule.actions, actions);

  const CreateListener: Operation = (input: In, ctx: RequestContext) => {
    const lb = store.requireLoadBalancer(ctx, required(input, 'LoadBalancerArn'));
    const { port } = checkProtocolPort(input, true);
    const actions = checkActions(store, ctx, input.DefaultActions, 'defaultActions', lb);
    const tags = checkTags(input, 'tags');
    const existing = [...lb.listeners.values()].find((l) => l.port === port);
    if (existing) {
      if (!sameAs(existing, actions)) throw duplicateListener();
      return { Listeners: [listenerOut(existing)] };
    }
    if (lb.listeners.size >= MAX_LISTENERS) throw tooManyListeners();
    const arn = listenerArn(lb.arn, hexId());
    const listener: ListenerRecord = { arn, loadBalancer: lb, port: port as number, protocol: 'HTTP', defaultRule: undefined as unknown as RuleRecord, rules: new Map(), tags: new Map(tags) };
    listener.defaultRule = { arn: ruleArn(arn, hexId()), listener, conditions: [], actions, tags: new Map() };
    store.addListener(listener);
    return { Listeners: [listenerOut(listener)] };
  };

  const DescribeListeners: Operation = (input: In, ctx: RequestContext) => {
    const lbArn = str(input, 'LoadBalancerArn');
    const arns = strings(input, 'ListenerArns');
    let found: ListenerRecord[];
    if (arns?.length) {
      if (lbArn !== undefined) throw validationError('Listener ARNs and a load balancer ARN cannot be specified at the same time'); // [obs]
      found = arns.map((a) => {
        const l = store.listeners.get(a);
        if (!l || l.loadBalancer.accountId !== ctx.accountId || l.loadBalancer.region !== ctx.region) throw listenerNotFound();
        return l;
      });
    } else if (lbArn !== undefined) {
      found = [...store.requireLoadBalancer(ctx, lbArn).listeners.values()];
    } else {
      throw validationError('You must specify either listener ARNs or a load balancer ARN'); // [obs]
    }
    const p = page(found, input);
    return { Listeners: p.items.map(listenerOut), NextMarker: p.next };
  };

  const ModifyListener: Operation = (input: In, ctx: RequestContext) => {
    const l = store.requireListener(ctx, required(input, 'ListenerArn'));
    const lb: LoadBalancerRecord = l.loadBalancer;
    const { port } = checkProtocolPort(input, false);
    const actions = input.DefaultActions !== undefined ? checkActions(store, ctx, input.DefaultActions, 'defaultActions', lb) : undefined;
    if (port !== undefined && port !== l.port && [...lb.listeners.values()].some((o) => o !== l && o.port === port)) throw duplicateListener();
    if (port !== undefined) l.port = port;
    if (actions) l.defaultRule.actions = actions;
    return { Listeners: [listenerOut(l)] };
  };

  const DeleteListener: Operation = (input: In, ctx: RequestContext) => {
    store.removeListener(store.requireListener(ctx, required(input, 'ListenerArn')));
    return {};
  };

  return { CreateListener, DescribeListeners, ModifyListener, DeleteListener };
}
