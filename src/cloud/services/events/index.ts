/**
 * Amazon EventBridge (API version 2015-10-07) over JSON 1.1: `X-Amz-Target: AWSEvents.<Op>`,
 * signing name `events`. Buses, rules, targets, PutEvents, schedules; delivery through the
 * cloud's deliverer (see types.ts for the file map).
 */
import type { JsonServiceDef, Operation } from '../../protocols/types';
import { busOperations } from './buses';
import { putEventsOperations } from './put-events';
import { ruleOperations } from './rules';
import type { EventsStore } from './store';
import { tagOperations } from './tags';
import { targetOperations } from './targets';

export { EventsStore } from './store';

/** Every operation, taking and returning the shapes of @aws-sdk/client-eventbridge. */
export function eventsOperations(store: EventsStore): Record<string, Operation> {
  return {
    ...busOperations(store),
    ...ruleOperations(store),
    ...targetOperations(store),
    ...putEventsOperations(store),
    ...tagOperations(store),
  };
}

export function eventsService(store: EventsStore): JsonServiceDef {
  return {
    protocol: 'json',
    signingName: 'events',
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    operations: eventsOperations(store),
  };
}
