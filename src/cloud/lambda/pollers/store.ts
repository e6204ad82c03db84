/**
 * The mappings of every account and region, by UUID (the API's key) and by ARN (tags), in creation
 * order (ListEventSourceMappings pages through them in that order).
 */
import type { EventSourceMapping } from './types';

export class MappingStore {
  private readonly byUuid = new Map<string, EventSourceMapping>();
  private readonly arns = new Map<string, EventSourceMapping>();

  add(m: EventSourceMapping): void {
    this.byUuid.set(m.uuid, m);
    this.arns.set(m.arn, m);
  }

  remove(m: EventSourceMapping): void {
    if (this.byUuid.get(m.uuid) !== m) return;
    this.byUuid.delete(m.uuid);
    this.arns.delete(m.arn);
  }

  /** The mapping with this UUID in the caller's account and region. */
  get(ctx: { accountId: string; region: string }, uuid: string): EventSourceMapping | undefined {
    const m = this.byUuid.get(uuid);
    return m && m.accountId === ctx.accountId && m.region === ctx.region ? m : undefined;
  }

  byArn(arn: string): EventSourceMapping | undefined {
    return this.arns.get(arn);
  }

  /** Whether this mapping object is still stored (not deleted or reset). */
  has(m: EventSourceMapping): boolean {
    return this.byUuid.get(m.uuid) === m;
  }

  /** A mapping of this source to this function ARN (as shown: qualified or not) other than `except`. */
  duplicate(m: Pick<EventSourceMapping, 'accountId' | 'region' | 'eventSourceArn' | 'functionArn'>, except?: EventSourceMapping): EventSourceMapping | undefined {
    for (const o of this.byUuid.values()) {
      if (o === except || o.accountId !== m.accountId || o.region !== m.region) continue;
      if (o.eventSourceArn === m.eventSourceArn && o.functionArn === m.functionArn) return o;
    }
    return undefined;
  }

  /** The mappings of an account and region, oldest first, that pass `filter`. */
  list(ctx: { accountId: string; region: string }, filter: (m: EventSourceMapping) => boolean = () => true): EventSourceMapping[] {
    return [...this.byUuid.values()].filter((m) => m.accountId === ctx.accountId && m.region === ctx.region && filter(m));
  }

  all(): EventSourceMapping[] {
    return [...this.byUuid.values()];
  }

  clear(): void {
    this.byUuid.clear();
    this.arns.clear();
  }
}
