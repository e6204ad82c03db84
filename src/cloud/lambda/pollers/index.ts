/**
 * Lambda's event source mappings in one place (`lambda.mappings`): the API operations, the state
 * transitions, and one poller per enabled mapping. See types.ts for the file map.
 *
 * States [rec]: Create answers Creating (or Disabled when created with Enabled false) and becomes
 * Enabled after `transitionMs`; Update answers Enabling, Disabling or Updating and settles on
 * Enabled or Disabled; Delete answers Deleting and the mapping is gone after `transitionMs`.
 * A poller runs while the mapping is Enabled or Updating; Disabling and Deleting stop it at once
 * (messages stay in the queue). Deleting a function leaves its mappings in place [rec]: their
 * pollers find it gone and report a problem until it is back.
 */
import type { RequestContext } from '../../protocols/types';
import { KinesisPoller } from './kinesis';
import { createMapping, deleteMapping, getMapping, listMappings, updateMapping, type OperationsHost } from './operations';
import { SqsPoller } from './sqs';
import { MappingStore } from './store';
import type { EventSourceMapping, MappingHost, Poller } from './types';

/**
 * Batches one mapping has with the function at once, at most, on this machine. AWS scales a mapping
 * to 1,000; here every concurrent batch is an execution environment (a process), so past this many
 * the poller waits, as the async queue does (DEFAULT_ASYNC_CONCURRENCY_PER_FUNCTION).
 */
export const DEFAULT_MAX_CONCURRENT_BATCHES = 16;

export class EventSourceMappings implements OperationsHost {
  readonly store = new MappingStore();
  private readonly pollers = new Map<EventSourceMapping, Poller>();
  /** How long Creating, Enabling, Disabling, Updating and Deleting last (virtual ms; 0: until the next microtask). */
  transitionMs = 0;
  /** See DEFAULT_MAX_CONCURRENT_BATCHES. */
  maxConcurrentBatches = DEFAULT_MAX_CONCURRENT_BATCHES;
  private generation = 0;

  constructor(readonly host: MappingHost) {}

  // ------------------------------------------------------------ the API (routes.ts)

  create(ctx: RequestContext, input: Record<string, unknown>) {
    return createMapping(this, ctx, input);
  }

  get(ctx: RequestContext, uuid: string) {
    return getMapping(this, ctx, uuid);
  }

  update(ctx: RequestContext, uuid: string, input: Record<string, unknown>) {
    return updateMapping(this, ctx, uuid, input);
  }

  delete(ctx: RequestContext, uuid: string) {
    return deleteMapping(this, ctx, uuid);
  }

  list(ctx: RequestContext, query: URLSearchParams) {
    return listMappings(this, ctx, query);
  }

  /** The mapping an event-source-mapping ARN names (tags.ts). */
  byArn(arn: string): EventSourceMapping | undefined {
    return this.store.byArn(arn);
  }

  /** The poller of a mapping, if it has one running (tests, admin). */
  pollerOf(m: EventSourceMapping): Poller | undefined {
    return this.pollers.get(m);
  }

  /** Every poller has nothing received and unfinished. */
  idle(): boolean {
    return [...this.pollers.values()].every((p) => p.idle());
  }

  // ------------------------------------------------------------ states and pollers

  begin(m: EventSourceMapping): void {
    const version = ++m.version;
    const generation = this.generation;
    if (m.state === 'Disabling' || m.state === 'Deleting') this.stopPoller(m);
    const done = () => {
      if (generation !== this.generation || m.version !== version || !this.store.has(m)) return;
      if (m.state === 'Deleting') {
        this.store.remove(m);
        this.stopPoller(m);
        return;
      }
      m.state = m.enabled ? 'Enabled' : 'Disabled';
      m.lastModified = this.host.clock.now();
      this.sync(m);
    };
    if (this.transitionMs <= 0) queueMicrotask(done);
    else this.host.clock.setTimeout(done, this.transitionMs);
  }

  /** Run the poller of an enabled mapping, stop that of a disabled one. */
  private sync(m: EventSourceMapping): void {
    if (m.state !== 'Enabled' && m.state !== 'Updating') return this.stopPoller(m);
    let p = this.pollers.get(m);
    if (!p) {
      p = m.kind === 'sqs' ? new SqsPoller({ host: this.host, cap: () => this.maxConcurrentBatches }, m) : new KinesisPoller(this.host, m);
      this.pollers.set(m, p);
    }
    p.start();
  }

  private stopPoller(m: EventSourceMapping): void {
    this.pollers.get(m)?.stop();
    this.pollers.delete(m);
  }

  /** Stop every poller (the cloud stops); the mappings stay. */
  stopAll(): void {
    this.generation++;
    for (const p of this.pollers.values()) p.stop();
    this.pollers.clear();
  }

  /** Forget every mapping (admin reset). */
  clear(): void {
    this.stopAll();
    this.store.clear();
  }
}

export { toConfiguration } from './mapping';
export type { EventSourceMapping, QueueSource, StreamSource } from './types';
