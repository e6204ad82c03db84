/**
 * Rule operations: PutRule, DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule.
 *
 * PutRule on an existing rule replaces its settings (what is left out is cleared [doc]) and keeps
 * its targets and tags. A rule has an EventPattern, a ScheduleExpression (default bus only [rec]),
 * or both (then it fires on matching events and on its schedule [doc]).
 */
import { AwsError } from '../../errors';
import { compileEventPattern, PatternError, type Pattern } from '../../patterns';
import type { Operation, RequestContext } from '../../protocols/types';
import type { Validator } from '../../protocols/validation';
import { resolveBus } from './buses';
import { invalidEventPattern, invalidSchedule, limitExceeded, patternOrScheduleRequired, ruleHasTargets, ruleNotFound, scheduleOnlyOnDefaultBus } from './errors';
import { parseSchedule, type Schedule } from './schedule';
import type { EventsStore } from './store';
import { DEFAULT_BUS, type BusRecord, type RuleRecord, type RuleState } from './types';
import { checkBusNameOrArn, checkLimit, checkNextToken, checkRuleName, checkTagList, page, types, validator, type In } from './validate';

export const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const;
/** Rules per event bus [doc: EventBridge quotas]. */
export const MAX_RULES_PER_BUS = 300;

/** Compile an EventPattern; the engine's refusal (InvalidEventPatternException, or ValidationException for its length) with its text. */
export function compilePattern(text: string): Pattern {
  try {
    return compileEventPattern(text);
  } catch (e) {
    if (e instanceof PatternError) throw e.code === 'InvalidEventPatternException' ? invalidEventPattern(e.message) : new AwsError(e.code, e.message, 400);
    throw e;
  }
}

/** The rule a Name/Rule member and EventBusName name; ResourceNotFoundException with AWS's text when there is none. */
export function resolveRule(store: EventsStore, ctx: RequestContext, name: string, busRef: string | undefined): RuleRecord {
  const bus = resolveBus(store, ctx, busRef);
  const rule = bus.rules.get(name);
  if (!rule) throw ruleNotFound(name, bus.name);
  return rule;
}

/** Name (or Rule) + EventBusName, the key of every single-rule operation. */
function checkRuleRef(input: In, nameKey: 'Name' | 'Rule'): Validator {
  types(input, { [nameKey]: 'string', EventBusName: 'string' });
  const v = validator();
  checkRuleName(v, input[nameKey], nameKey === 'Name' ? 'name' : 'rule');
  checkBusNameOrArn(v, input.EventBusName, 'eventBusName');
  return v;
}

/** A rule as ListRules shows it; DescribeRule adds CreatedBy. */
function ruleView(rule: RuleRecord) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: rule.bus.name,
  };
}

interface RuleSettings {
  eventPattern?: string;
  pattern?: Pattern;
  scheduleExpression?: string;
  schedule?: Schedule;
}

/** The pattern and schedule of a PutRule, checked in AWS's order. */
function ruleSettings(input: In, bus: BusRecord): RuleSettings {
  const eventPattern = input.EventPattern as string | undefined;
  const scheduleExpression = input.ScheduleExpression as string | undefined;
  if (!eventPattern && !scheduleExpression) throw patternOrScheduleRequired();
  const out: RuleSettings = {};
  if (scheduleExpression) {
    if (bus.name !== DEFAULT_BUS) throw scheduleOnlyOnDefaultBus();
    const schedule = parseSchedule(scheduleExpression);
    if (!schedule) throw invalidSchedule();
    Object.assign(out, { scheduleExpression, schedule });
  }
  if (eventPattern) Object.assign(out, { eventPattern, pattern: compilePattern(eventPattern) });
  return out;
}

export function ruleOperations(store: EventsStore): Record<string, Operation> {
  const setState = (input: In, ctx: RequestContext, state: RuleState) => {
    checkRuleRef(input, 'Name').check();
    const rule = resolveRule(store, ctx, input.Name as string, input.EventBusName as string | undefined);
    if (rule.state !== state) {
      rule.state = state;
      store.arm(rule);
    }
    return {};
  };

  return {
    PutRule(input: In, ctx: RequestContext) {
      const v = checkRuleRef(input, 'Name');
      types(input, { ScheduleExpression: 'string', EventPattern: 'string', State: 'string', Description: 'string', RoleArn: 'string', Tags: 'array' });
      v.length(input.ScheduleExpression as string | undefined, 'scheduleExpression', 0, 256);
      v.length(input.EventPattern as string | undefined, 'eventPattern', 0, 4096);
      v.oneOf(input.State, 'state', RULE_STATES);
      v.length(input.Description as string | undefined, 'description', 0, 512);
      v.length(input.RoleArn as string | undefined, 'roleArn', 1, 1600);
      const tags = checkTagList(v, input.Tags, 'tags');
      v.check();
      const bus = resolveBus(store, ctx, input.EventBusName as string | undefined);
      const settings = ruleSettings(input, bus);
      const name = input.Name as string;
      let rule = bus.rules.get(name);
      if (!rule) {
        if (bus.rules.size >= MAX_RULES_PER_BUS) throw limitExceeded();
        rule = { name, arn: '', bus, state: 'ENABLED', createdBy: ctx.accountId, targets: new Map() };
        rule.arn = store.ruleArn(bus, name);
        bus.rules.set(name, rule);
      }
      Object.assign(rule, {
        eventPattern: settings.eventPattern,
        pattern: settings.pattern,
        scheduleExpression: settings.scheduleExpression,
        schedule: settings.schedule,
        state: (input.State as RuleState | undefined) ?? 'ENABLED',
        description: input.Description as string | undefined,
        roleArn: input.RoleArn as string | undefined,
      });
      const t = store.tagsOf(rule.arn);
      for (const tag of tags) t.set(tag.Key, tag.Value);
      store.arm(rule);
      return { RuleArn: rule.arn };
    },

    DescribeRule(input: In, ctx: RequestContext) {
      checkRuleRef(input, 'Name').check();
      const rule = resolveRule(store, ctx, input.Name as string, input.EventBusName as string | undefined);
      return { ...ruleView(rule), CreatedBy: rule.createdBy };
    },

    ListRules(input: In, ctx: RequestContext) {
      types(input, { NamePrefix: 'string', EventBusName: 'string', NextToken: 'string', Limit: 'number' });
      const v = validator();
      checkRuleName(v, input.NamePrefix, 'namePrefix', false);
      checkBusNameOrArn(v, input.EventBusName, 'eventBusName');
      checkNextToken(v, input.NextToken);
      checkLimit(v, input.Limit);
      v.check();
      const bus = resolveBus(store, ctx, input.EventBusName as string | undefined);
      const prefix = input.NamePrefix as string | undefined;
      const rules = [...bus.rules.values()]
        .filter((r) => prefix === undefined || r.name.startsWith(prefix))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const p = page(rules, input.NextToken, input.Limit);
      return { Rules: p.items.map(ruleView), NextToken: p.nextToken };
    },

    EnableRule: (input: In, ctx: RequestContext) => setState(input, ctx, 'ENABLED'),
    DisableRule: (input: In, ctx: RequestContext) => setState(input, ctx, 'DISABLED'),

    DeleteRule(input: In, ctx: RequestContext) {
      const v = checkRuleRef(input, 'Name');
      types(input, { Force: 'boolean' });
      v.check();
      const bus = resolveBus(store, ctx, input.EventBusName as string | undefined);
      // [obs] (LocalStack's AWS-validated provider) deleting a rule that does not exist succeeds
      const rule = bus.rules.get(input.Name as string);
      if (!rule) return {};
      if (rule.targets.size > 0) throw ruleHasTargets(); // [rec] (Force is for managed rules only [doc])
      store.removeRule(rule);
      return {};
    },
  };
}
