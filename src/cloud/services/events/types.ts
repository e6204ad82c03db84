/**
 * The shapes shared by the EventBridge files. No behaviour here, so every file can import it.
 *
 *   store.ts       buses per account and region (the `default` bus made on first use), rules,
 *                  tags; `putInternal` for the deliverer (bus-to-bus targets, Lambda destinations)
 *   buses.ts       Create/Delete/Describe/ListEventBuses
 *   rules.ts       PutRule, DescribeRule, ListRules, Enable/DisableRule, DeleteRule
 *   targets.ts     PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget;
 *                  target-check.ts what PutTargets checks in one target
 *   put-events.ts  PutEvents and TestEventPattern
 *   tags.ts        TagResource, UntagResource, ListTagsForResource
 *   dispatch.ts    matching events to rules, delivery to targets through the deliverer, retries, DLQ
 *   input.ts       what a target receives: the event, Input, InputPath or InputTransformer;
 *                  jsonpath.ts the JSONPath subset EventBridge evaluates
 *   schedule.ts    rate() and cron() expressions; cron.ts the cron parser and its next-time search
 *   validate.ts    model constraints (names, lengths, patterns) in AWS's validation texts; paging
 *   errors.ts      AWS's error codes and texts
 *   index.ts       the JSON 1.1 service definition (X-Amz-Target: AWSEvents.<Op>)
 *
 * Operations take and return the shapes of @aws-sdk/client-eventbridge.
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import type { TimerHandle } from '../../clock';
import type { Pattern } from '../../patterns';
import type { Schedule } from './schedule';

export const DEFAULT_BUS = 'default';

/** One event bus of an account and region. */
export interface BusRecord {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterConfig?: { Arn?: string };
  logConfig?: { IncludeDetail?: string; Level?: string };
  /** Virtual epoch ms. */
  creationTime: number;
  lastModifiedTime: number;
  /** Rules by name. */
  rules: Map<string, RuleRecord>;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** One rule of a bus, and its targets. */
export interface RuleRecord {
  name: string;
  arn: string;
  bus: BusRecord;
  eventPattern?: string;
  /** The compiled EventPattern. */
  pattern?: Pattern;
  scheduleExpression?: string;
  schedule?: Schedule;
  state: RuleState;
  description?: string;
  roleArn?: string;
  createdBy: string;
  /** Targets by Id, in the order they were first put. */
  targets: Map<string, Target>;
  /** The pending firing of a schedule rule. */
  timer?: TimerHandle;
  /** Rate rules: when the period started (virtual ms). */
  scheduleStart?: number;
}

/** An event as EventBridge hands it to targets (JSON key order as AWS prints it). */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** To the second, e.g. 2019-11-14T18:16:05Z. */
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** An event on its way to the rules of a bus: the envelope and what travels with it. */
export interface IngestedEvent {
  event: EventEnvelope;
  /** When EventBridge received it (virtual ms): aws.events.event.ingestion-time, event age. */
  ingestedAt: number;
  traceHeader?: string;
}
