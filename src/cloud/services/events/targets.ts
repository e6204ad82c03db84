/**
 * Target operations: PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget.
 *
 * A rule has at most 5 targets [doc quota; LimitExceededException text obs]; putting a target
 * with an Id the rule has replaces it (the last of repeated Ids in one call wins [rec]). Targets
 * list in the order their Ids were first put.
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import type { Operation, RequestContext } from '../../protocols/types';
import { resolveBus } from './buses';
import { limitExceeded } from './errors';
import { resolveRule } from './rules';
import type { EventsStore } from './store';
import { checkTargetModel, checkTargetRules } from './target-check';
import {
  checkBusNameOrArn,
  checkLimit,
  checkNextToken,
  checkRuleName,
  checkStringList,
  page,
  types,
  validator,
  type In,
} from './validate';

export const MAX_TARGETS_PER_RULE = 5;
/** Targets in one PutTargets call (the model allows 100; AWS refuses more than 10, text unconfirmed). */
export const MAX_TARGETS_PER_CALL = 10;

export function targetOperations(store: EventsStore): Record<string, Operation> {
  return {
    PutTargets(input: In, ctx: RequestContext) {
      types(input, { Rule: 'string', EventBusName: 'string', Targets: 'array' });
      const v = validator();
      checkRuleName(v, input.Rule, 'rule');
      checkBusNameOrArn(v, input.EventBusName, 'eventBusName');
      const raw = input.Targets as unknown[] | undefined;
      const targets: Target[] = [];
      if (v.required(raw, 'targets')) {
        v.length(raw, 'targets', 1, 100);
        raw!.forEach((t, i) => targets.push(checkTargetModel(v, t, `targets.${i + 1}.member`)));
      }
      v.check();
      const rule = resolveRule(store, ctx, input.Rule as string, input.EventBusName as string | undefined);
      for (const t of targets) checkTargetRules(t);
      const ids = new Set([...rule.targets.keys(), ...targets.map((t) => t.Id as string)]);
      if (targets.length > MAX_TARGETS_PER_CALL || ids.size > MAX_TARGETS_PER_RULE) throw limitExceeded();
      for (const t of targets) rule.targets.set(t.Id as string, t);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    RemoveTargets(input: In, ctx: RequestContext) {
      types(input, { Rule: 'string', EventBusName: 'string', Ids: 'array', Force: 'boolean' });
      const v = validator();
      checkRuleName(v, input.Rule, 'rule');
      checkBusNameOrArn(v, input.EventBusName, 'eventBusName');
      let ids: string[] = [];
      if (v.required(input.Ids, 'ids')) {
        ids = checkStringList(v, input.Ids, 'ids', { min: 1, max: 64, minItems: 1, maxItems: 100, re: /^[.\-_A-Za-z0-9]+$/, reText: '[\\.\\-_A-Za-z0-9]+' });
      }
      v.check();
      const rule = resolveRule(store, ctx, input.Rule as string, input.EventBusName as string | undefined);
      // Ids the rule does not have are not an error (unconfirmed: LocalStack reports them as failed entries)
      for (const id of ids) rule.targets.delete(id);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    ListTargetsByRule(input: In, ctx: RequestContext) {
      types(input, { Rule: 'string', EventBusName: 'string', NextToken: 'string', Limit: 'number' });
      const v = validator();
      checkRuleName(v, input.Rule, 'rule');
      checkBusNameOrArn(v, input.EventBusName, 'eventBusName');
      checkNextToken(v, input.NextToken);
      checkLimit(v, input.Limit);
      v.check();
      const rule = resolveRule(store, ctx, input.Rule as string, input.EventBusName as string | undefined);
      const p = page([...rule.targets.values()], input.NextToken, input.Limit);
      return { Targets: p.items, NextToken: p.nextToken };
    },

    ListRuleNamesByTarget(input: In, ctx: RequestContext) {
      types(input, { TargetArn: 'string', EventBusName: 'string', NextToken: 'string', Limit: 'number' });
      const v = validator();
      if (v.required(input.TargetArn, 'targetArn')) v.length(input.TargetArn as string, 'targetArn', 1, 1600);
      checkBusNameOrArn(v, input.EventBusName, 'eventBusName');
      checkNextToken(v, input.NextToken);
      checkLimit(v, input.Limit);
      v.check();
      const bus = resolveBus(store, ctx, input.EventBusName as string | undefined);
      const names = [...bus.rules.values()]
        .filter((r) => [...r.targets.values()].some((t) => t.Arn === input.TargetArn))
        .map((r) => r.name)
        .sort();
      const p = page(names, input.NextToken, input.Limit);
      return { RuleNames: p.items, NextToken: p.nextToken };
    },
  };
}
