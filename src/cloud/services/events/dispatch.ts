/**
 * Delivery of events to targets, through the cloud's one deliverer [doc: "Event retry policy and
 * using dead-letter queues"]:
 *
 *   - every enabled rule of the bus whose pattern matches gets the event; each of its targets gets
 *     its own input (input.ts) and is tried on its own;
 *   - a retryable failure (throttled, internal) is tried again with exponential backoff on the
 *     virtual clock (1 s, 2 s, 4 s, ... at most 5 min apart; AWS adds jitter, we do not, so runs
 *     repeat) until the target's RetryPolicy runs out: MaximumRetryAttempts (0-185, default 185)
 *     retries, or MaximumEventAgeInSeconds (60-86400, default 86400) since ingestion. A retry that
 *     would come after the age limit is not waited for (as Lambda does with its event age [rec]);
 *   - a failure that retrying cannot fix (no such resource, no permission, refused message, an
 *     InputTemplate that is not valid JSON) goes to the DLQ at once;
 *   - the DLQ (DeadLetterConfig.Arn, a standard SQS queue) gets the event with the attributes
 *     RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS and, when retries ran out,
 *     EXHAUSTED_RETRY_CONDITION [doc]; without a DLQ the event is dropped (the deliverer logs why).
 *
 * Targets by service: a queue gets the input as the message body (a FIFO queue with
 * SqsParameters.MessageGroupId and the event id as deduplication id [doc]); a topic as the Message;
 * a function is invoked asynchronously (principal events.amazonaws.com, SourceArn the rule); a bus
 * gets the event itself, id and all (input settings do not apply to bus targets).
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import type { Clock, TimerHandle } from '../../clock';
import {
  arnParts,
  type Deliverer,
  type DeliveryAttribute,
  type DeliveryContext,
  type DeliveryFailureKind,
  type DeliveryMessage,
  type DeliveryOutcome,
} from '../../deliver/types';
import { targetInput, type RuleRef } from './input';
import type { BusRecord, IngestedEvent, RuleRecord } from './types';

export const DEFAULT_MAX_RETRIES = 185;
export const DEFAULT_MAX_AGE_SECONDS = 86_400;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 300_000;

/** The delay before retry number `n` (1-based). */
export function backoffMs(n: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(n - 1, 30));
}

/** [doc] ERROR_CODE values of EventBridge DLQ messages, by failure kind. */
const ERROR_CODES: Record<DeliveryFailureKind, string> = {
  'not-found': 'NO_RESOURCE',
  permission: 'NO_PERMISSIONS',
  invalid: 'INVALID_PARAMETER',
  throttled: 'THROTTLING',
  internal: 'INTERNAL_ERROR',
};

type Failure = Extract<DeliveryOutcome, { ok: false }>;

/** One event on its way to one target. */
interface Job {
  rule: RuleRef;
  /** A copy of the target as it was when the event matched. */
  target: Target;
  ingested: IngestedEvent;
  accountId: string;
  region: string;
  /** Retries made so far. */
  retries: number;
}

export class Dispatcher {
  private readonly timers = new Set<TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly deliverer: Deliverer,
  ) {}

  /** Every enabled rule of the bus whose pattern matches the event sends it to its targets. */
  route(bus: BusRecord, ingested: IngestedEvent): void {
    for (const rule of [...bus.rules.values()]) {
      if (rule.state === 'DISABLED' || !rule.pattern) continue;
      let matched = false;
      try {
        matched = rule.pattern.matches(ingested.event);
      } catch (e) {
        if (process.env.TESTBED_DEBUG) console.error(`[testbed] events: pattern of ${rule.arn} threw:`, e);
      }
      if (matched) this.toTargets(rule, ingested);
    }
  }

  /** Send an event to every target of a rule (a matched event, or a schedule's firing). */
  toTargets(rule: RuleRecord, ingested: IngestedEvent): void {
    const ref = { name: rule.name, arn: rule.arn };
    for (const target of rule.targets.values()) {
      this.attempt({ rule: ref, target: structuredClone(target), ingested, accountId: rule.bus.accountId, region: rule.bus.region, retries: 0 });
    }
  }

  /** Cancel every pending retry. */
  clear(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private context(job: Job, what = ''): DeliveryContext {
    return { accountId: job.accountId, region: job.region, traceHeader: job.ingested.traceHeader, source: `events:${what}${job.rule.arn}` };
  }

  private attempt(job: Job): void {
    const arn = job.target.Arn ?? '';
    const service = arnParts(arn)?.service;
    const event = job.ingested.event;
    let msg: DeliveryMessage;
    if (service === 'events') {
      msg = {
        body: JSON.stringify(event),
        event: {
          id: event.id,
          account: event.account,
          region: event.region,
          source: event.source,
          detailType: event['detail-type'],
          detail: JSON.stringify(event.detail),
          resources: event.resources,
          time: new Date(event.time),
        },
      };
    } else {
      const input = targetInput(job.target, job.ingested, job.rule);
      if (!input.ok) {
        this.deadLetter(job, { ok: false, kind: 'invalid', code: 'INVALID_JSON', message: input.reason, retryable: false }, undefined, 'INVALID_JSON');
        return;
      }
      msg = { body: input.body };
      if (service === 'sqs') {
        const groupId = job.target.SqsParameters?.MessageGroupId;
        if (groupId !== undefined) msg.groupId = groupId;
        if (arn.endsWith('.fifo')) msg.dedupId = event.id;
      } else if (service === 'lambda') {
        msg.trigger = 'events';
        msg.principal = 'events.amazonaws.com';
        msg.sourceArn = job.rule.arn;
      }
    }
    void this.deliverer.deliver(this.context(job), arn, msg).then((outcome) => {
      if (!outcome.ok) this.failed(job, outcome);
    });
  }

  private failed(job: Job, outcome: Failure): void {
    if (!outcome.retryable) return this.deadLetter(job, outcome);
    const policy = job.target.RetryPolicy;
    const maxRetries = policy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRIES;
    const maxAgeMs = (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
    if (job.retries >= maxRetries) return this.deadLetter(job, outcome, 'MaximumRetryAttempts');
    const delay = backoffMs(job.retries + 1);
    if (this.clock.now() + delay - job.ingested.ingestedAt > maxAgeMs) return this.deadLetter(job, outcome, 'MaximumEventAgeInSeconds');
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.attempt({ ...job, retries: job.retries + 1 });
    }, delay);
    this.timers.add(timer);
  }

  private deadLetter(job: Job, outcome: Failure, exhausted?: string, errorCode = ERROR_CODES[outcome.kind]): void {
    const dlq = job.target.DeadLetterConfig?.Arn;
    if (!dlq) {
      this.deliverer.lost(this.context(job, ''), job.target.Arn ?? '', outcome.code, `event ${job.ingested.event.id} of ${job.rule.arn} dropped: ${outcome.message} (no DeadLetterConfig)`);
      return;
    }
    const s = (StringValue: string): DeliveryAttribute => ({ DataType: 'String', StringValue });
    const attributes: Record<string, DeliveryAttribute> = {
      RULE_ARN: s(job.rule.arn),
      TARGET_ARN: s(job.target.Arn ?? ''),
      ERROR_CODE: s(errorCode),
      ERROR_MESSAGE: s(outcome.message || outcome.code),
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(job.retries) },
    };
    if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = s(exhausted);
    void this.deliverer.deliver(this.context(job, 'DLQ '), dlq, { body: JSON.stringify(job.ingested.event), attributes });
  }
}
