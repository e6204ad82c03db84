/**
 * EventBridge state: buses per account and region (the `default` bus exists in every account and
 * region: made on first use), their rules and targets, tags by ARN, and the schedule of every
 * enabled schedule rule on the virtual clock. State lives in memory for the life of the cloud.
 *
 * It is also the deliverer's EventBusPublisher: `putInternal` puts one event on a bus for a
 * bus-to-bus target or a Lambda destination.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import type { Deliverer, DeliveryContext, DeliveryEvent, DeliveryFailureKind, DeliveryOutcome, EventBusPublisher } from '../../deliver/types';
import { Dispatcher } from './dispatch';
import { DEFAULT_BUS, type BusRecord, type EventEnvelope, type IngestedEvent, type RuleRecord } from './types';
import { parseBusArn } from './validate';

/** A bus-to-bus event is dropped after this many hops (a rule loop must not spin forever). */
export const MAX_BUS_HOPS = 10;

/** ISO-8601 to the second, as event envelopes carry it: 2019-11-14T18:16:05Z. */
export function eventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function failure(kind: DeliveryFailureKind, code: string, message: string): DeliveryOutcome {
  return { ok: false, kind, code, message, retryable: kind === 'throttled' || kind === 'internal' };
}

export class EventsStore implements EventBusPublisher {
  /** `<account>/<region>` -> bus name -> bus. */
  private readonly regions = new Map<string, Map<string, BusRecord>>();
  /** Resource ARN -> tag key -> value (in the order keys were first set). */
  private readonly tags = new Map<string, Map<string, string>>();
  /** Event id -> bus hops so far, for events forwarded bus to bus. */
  private readonly hops = new Map<string, number>();
  readonly dispatcher: Dispatcher;

  constructor(
    readonly clock: Clock,
    deliverer: Deliverer,
  ) {
    this.dispatcher = new Dispatcher(clock, deliverer);
  }

  busArn(accountId: string, region: string, name: string): string {
    return `arn:aws:events:${region}:${accountId}:event-bus/${name}`;
  }

  /** Rules of the default bus are `rule/<name>`, others `rule/<bus>/<name>` [rec]. */
  ruleArn(bus: BusRecord, name: string): string {
    const path = bus.name === DEFAULT_BUS ? name : `${bus.name}/${name}`;
    return `arn:aws:events:${bus.region}:${bus.accountId}:rule/${path}`;
  }

  /** Every bus of an account and region, the default one included. */
  buses(accountId: string, region: string): Map<string, BusRecord> {
    const key = `${accountId}/${region}`;
    let buses = this.regions.get(key);
    if (!buses) {
      buses = new Map();
      this.regions.set(key, buses);
      const now = this.clock.now();
      buses.set(DEFAULT_BUS, this.newBus(accountId, region, DEFAULT_BUS, now));
    }
    return buses;
  }

  bus(accountId: string, region: string, name: string): BusRecord | undefined {
    return this.buses(accountId, region).get(name);
  }

  private newBus(accountId: string, region: string, name: string, now: number): BusRecord {
    return { name, arn: this.busArn(accountId, region, name), accountId, region, creationTime: now, lastModifiedTime: now, rules: new Map() };
  }

  addBus(accountId: string, region: string, name: string, extra: Partial<BusRecord> = {}): BusRecord {
    const bus = { ...this.newBus(accountId, region, name, this.clock.now()), ...extra };
    this.buses(accountId, region).set(name, bus);
    return bus;
  }

  /** Delete a bus with its rules (their schedules stop) and their tags. */
  removeBus(bus: BusRecord): void {
    for (const rule of [...bus.rules.values()]) this.removeRule(rule);
    this.buses(bus.accountId, bus.region).delete(bus.name);
    this.tags.delete(bus.arn);
  }

  removeRule(rule: RuleRecord): void {
    this.disarm(rule);
    if (rule.bus.rules.get(rule.name) === rule) rule.bus.rules.delete(rule.name);
    this.tags.delete(rule.arn);
  }

  // ---------------------------------------------------------------- tags

  tagsOf(arn: string): Map<string, string> {
    let t = this.tags.get(arn);
    if (!t) {
      t = new Map();
      this.tags.set(arn, t);
    }
    return t;
  }

  // ---------------------------------------------------------------- schedules

  /** (Re)start a rule's schedule: a rate restarts its period now; a disabled rule has none. */
  arm(rule: RuleRecord): void {
    this.disarm(rule);
    if (!rule.schedule || rule.state === 'DISABLED') return;
    rule.scheduleStart = this.clock.now();
    this.armNext(rule, rule.scheduleStart);
  }

  disarm(rule: RuleRecord): void {
    rule.timer?.cancel();
    rule.timer = undefined;
  }

  private armNext(rule: RuleRecord, after: number): void {
    const due = rule.schedule?.next(after, rule.scheduleStart ?? after);
    if (due === undefined) return;
    rule.timer = this.clock.setTimeout(() => this.fire(rule, due), due - this.clock.now());
  }

  /** A schedule rule's firing: a "Scheduled Event" to every target, then the next firing. */
  private fire(rule: RuleRecord, due: number): void {
    rule.timer = undefined;
    if (rule.bus.rules.get(rule.name) !== rule || rule.state === 'DISABLED' || !rule.schedule) return;
    const event: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: rule.bus.accountId,
      time: eventTime(due),
      region: rule.bus.region,
      resources: [rule.arn],
      detail: {},
    };
    this.dispatcher.toTargets(rule, { event, ingestedAt: this.clock.now() });
    this.armNext(rule, due);
  }

  // ---------------------------------------------------------------- events

  /** Hand an accepted event to the bus's rules, after the request that put it has been answered. */
  ingest(bus: BusRecord, ingested: IngestedEvent): void {
    this.clock.setTimeout(() => this.dispatcher.route(bus, ingested), 0);
  }

  /** The deliverer's entry: put one event on a bus (bus-to-bus targets, Lambda destinations). */
  putInternal(dctx: DeliveryContext, busArn: string, ev: DeliveryEvent): DeliveryOutcome {
    const parts = parseBusArn(busArn);
    if (!parts) return failure('not-found', 'ResourceNotFoundException', `Invalid event bus ARN: ${busArn}`);
    const bus = this.bus(parts.accountId, parts.region, parts.name);
    if (!bus) return failure('not-found', 'ResourceNotFoundException', `Event bus ${parts.name} does not exist.`);
    let detail: unknown;
    try {
      detail = JSON.parse(ev.detail);
    } catch {
      detail = undefined;
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return failure('invalid', 'MalformedDetail', 'Detail is malformed.');
    const id = ev.id ?? randomUUID();
    if (ev.id !== undefined) {
      const hops = (this.hops.get(id) ?? 0) + 1;
      if (hops > MAX_BUS_HOPS) return failure('invalid', 'LoopDetected', `Event ${id} was forwarded bus to bus more than ${MAX_BUS_HOPS} times`);
      this.hops.set(id, hops);
      if (hops === 1) this.clock.setTimeout(() => this.hops.delete(id), 300_000);
    }
    const now = this.clock.now();
    const event: EventEnvelope = {
      version: '0',
      id,
      'detail-type': ev.detailType,
      source: ev.source,
      account: ev.account ?? bus.accountId,
      time: eventTime(ev.time ? ev.time.getTime() : now),
      region: ev.region ?? bus.region,
      resources: ev.resources ?? [],
      detail,
    };
    this.ingest(bus, { event, ingestedAt: now, traceHeader: dctx.traceHeader });
    return { ok: true, id };
  }

  /** Forget everything (cancel every schedule and retry). */
  clear(): void {
    for (const buses of this.regions.values()) for (const bus of buses.values()) for (const rule of bus.rules.values()) this.disarm(rule);
    this.regions.clear();
    this.tags.clear();
    this.hops.clear();
    this.dispatcher.clear();
  }
}
