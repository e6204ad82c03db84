/**
 * CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities.
 *
 * Priorities are 1-50000 and unique per listener [model]; rules are evaluated from the lowest
 * priority, the default rule last [doc]. The default rule can be neither deleted nor modified here
 * (ModifyListener changes its actions). Up to 100 rules per load balancer, default rules not
 * counted [doc: quotas].
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { checkActions } from './actions';
import { hexId, ruleArn } from './arns';
import { checkConditions, conditionOut } from './conditions';
import { defaultRuleNotPermitted, priorityInUse, ruleNotFound, tooManyRules, validationError, validator } from './errors';
import { int, page, records, required, str, strings, type In } from './input';
import type { Elbv2Store } from './store';
import { checkTags } from './tags';
import type { ListenerRecord, RuleRecord } from './types';

export const MAX_RULES = 100;

export function ruleOut(r: RuleRecord) {
  const isDefault = r.priority === undefined;
  return {
    RuleArn: r.arn,
    Priority: isDefault ? 'default' : String(r.priority),
    Conditions: r.conditions.map(conditionOut),
    Actions: r.actions,
    IsDefault: isDefault,
  };
}

/** A listener's rules in evaluation order: by priority, the default rule last. */
export function rulesInOrder(l: ListenerRecord): RuleRecord[] {
  return [...[...l.rules.values()].sort((a, b) => (a.priority as number) - (b.priority as number)), l.defaultRule];
}

function checkPriority(value: number | undefined, member: string): number {
  const v = validator();
  if (v.required(value, member)) v.range(value, member, 1, 50000);
  v.check();
  return value as number;
}

export function ruleOperations(store: Elbv2Store): Record<string, Operation> {
  const CreateRule: Operation = (input: In, ctx: RequestContext) => {
    const listener = store.requireListener(ctx, required(input, 'ListenerArn'));
    if (input.Conditions === undefined) validator().fail(null, 'conditions', 'Member must not be null').check();
    const priority = checkPriority(int(input, 'Priority'), 'priority');
    const conditions = checkConditions(input.Conditions);
    const actions = checkActions(store, ctx, input.Actions, 'actions', listener.loadBalancer);
    const tags = checkTags(input, 'tags');
    if ([...listener.rules.values()].some((r) => r.priority === priority)) throw priorityInUse(priority);
    const count = [...listener.loadBalancer.listeners.values()].reduce((n, l) => n + l.rules.size, 0);
    if (count >= MAX_RULES) throw tooManyRules();
    const rule: RuleRecord = { arn: ruleArn(listener.arn, hexId()), listener, priority, conditions, actions, tags: new Map(tags) };
    store.addRule(rule);
    return { Rules: [ruleOut(rule)] };
  };

  const DescribeRules: Operation = (input: In, ctx: RequestContext) => {
    const listenerArn = str(input, 'ListenerArn');
    const arns = strings(input, 'RuleArns');
    let found: RuleRecord[];
    if (arns?.length) {
      if (listenerArn !== undefined) throw validationError('Listener rule ARNs and a listener ARN cannot be specified at the same time'); // [obs]
      found = arns.map((a) => {
        const r = store.rules.get(a);
        if (!r || r.listener.loadBalancer.accountId !== ctx.accountId || r.listener.loadBalancer.region !== ctx.region) throw ruleNotFound();
        return r;
      });
    } else if (listenerArn !== undefined) {
      found = rulesInOrder(store.requireListener(ctx, listenerArn));
    } else {
      throw validationError('You must specify either listener rule ARNs or a listener ARN'); // [obs]
    }
    const p = page(found, input);
    return { Rules: p.items.map(ruleOut), NextMarker: p.next };
  };

  const ModifyRule: Operation = (input: In, ctx: RequestContext) => {
    const rule = store.requireRule(ctx, required(input, 'RuleArn'));
    if (input.Conditions === undefined && input.Actions === undefined) throw validationError('Either conditions or actions must be specified'); // [obs]
    if (rule.priority === undefined) throw defaultRuleNotPermitted(rule.arn, 'modified');
    const conditions = input.Conditions !== undefined ? checkConditions(input.Conditions) : undefined;
    const actions = input.Actions !== undefined ? checkActions(store, ctx, input.Actions, 'actions', rule.listener.loadBalancer) : undefined;
    if (conditions) rule.conditions = conditions;
    if (actions) rule.actions = actions;
    return { Rules: [ruleOut(rule)] };
  };

  const DeleteRule: Operation = (input: In, ctx: RequestContext) => {
    const rule = store.requireRule(ctx, required(input, 'RuleArn'));
    if (rule.priority === undefined) throw defaultRuleNotPermitted(rule.arn, 'deleted');
    store.removeRule(rule);
    return {};
  };

  /** New priorities for some rules; the others keep theirs and may not collide [model]. */
  const SetRulePriorities: Operation = (input: In, ctx: RequestContext) => {
    const list = records(input, 'RulePriorities');
    if (list === undefined) validator().fail(null, 'rulePriorities', 'Member must not be null').check();
    const changes = (list ?? []).map((p, i) => ({
      arn: str(p, 'RuleArn') ?? '',
      priority: checkPriority(int(p, 'Priority', `rulePriorities.${i + 1}.member.priority`), `rulePriorities.${i + 1}.member.priority`),
    }));
    const seen = new Set<number>();
    for (const c of changes) {
      if (seen.has(c.priority)) throw validationError(`Priority '${c.priority}' was provided multiple times`); // [obs]
      seen.add(c.priority);
    }
    const rules = changes.map((c) => store.requireRule(ctx, c.arn));
    for (const r of rules) if (r.priority === undefined) throw defaultRuleNotPermitted(r.arn, 'modified');
    const moving = new Set(rules);
    changes.forEach((c, i) => {
      const clash = [...rules[i].listener.rules.values()].find((o) => !moving.has(o) && o.priority === c.priority);
      if (clash) throw priorityInUse(c.priority);
    });
    changes.forEach((c, i) => (rules[i].priority = c.priority));
    return { Rules: rules.map(ruleOut) };
  };

  return { CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities };
}
