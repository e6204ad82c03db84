/**
 * SQS state: queues per account and region, queue URLs and ARNs, and lookup from any queue URL form
 * a client may send. State lives in memory for the life of the cloud.
 *
 * Queue URLs are answered as `<endpoint the client used>/<account>/<name>`, so SDK v3 (which sends
 * to the QueueUrl's host) stays on this endpoint. On input, any host is accepted with the paths
 * `/<account>/<name>` and LocalStack's `/queue/<region>/<account>/<name>`; the region comes from
 * the path, from a `sqs.<region>.` host (LocalStack's `sqs.<region>.localhost.localstack.cloud`,
 * AWS's `sqs.<region>.amazonaws.com`), or else from the request's signature.
 */
import type { Clock } from '../../clock';
import type { RequestContext } from '../../protocols/types';
import { expectType } from '../../protocols/validation';
import { missingParameter, queueDoesNotExist } from './errors';
import { createMessageQueue } from './model';
import type { MessageQueue, QueueLookup, QueueRecord } from './types';
import { safeDecode } from '../../protocols/url';

/** How long a deleted queue's name stays taken (QueueDeletedRecently). */
export const QUEUE_DELETED_RECENTLY_MS = 60_000;
/** How many QueueUrl strings `resolve` remembers (all are forgotten when the limit is reached). */
export const QUEUE_URL_CACHE_LIMIT = 1024;

export interface QueueAddress {
  accountId: string;
  region: string;
  name: string;
}

const key = (a: QueueAddress) => `${a.accountId}/${a.region}/${a.name}`;

export class SqsStore implements QueueLookup {
  private readonly queues = new Map<string, QueueRecord>();
  private readonly arns = new Map<string, QueueRecord>();
  /** key -> virtual ms of deletion. */
  private readonly deleted = new Map<string, number>();
  /**
   * What `resolve` found: region the request was signed for -> QueueUrl as sent -> queue (the
   * region is part of the key since a URL without one names a queue of the request's region).
   * Emptied whenever a queue is added or removed; at most QUEUE_URL_CACHE_LIMIT URLs.
   */
  private readonly resolved = new Map<string, Map<string, QueueRecord>>();
  private resolvedCount = 0;

  constructor(readonly clock: Clock) {}

  arnOf(a: QueueAddress): string {
    return `arn:aws:sqs:${a.region}:${a.accountId}:${a.name}`;
  }

  /** The URL to answer with: the endpoint the caller used, so it works as returned. */
  urlOf(ctx: Pick<RequestContext, 'endpoint'>, q: QueueAddress): string {
    return `${ctx.endpoint}/${q.accountId}/${q.name}`;
  }

  get(a: QueueAddress): QueueRecord | undefined {
    return this.queues.get(key(a));
  }

  byArn(arn: string): QueueRecord | undefined {
    return this.arns.get(arn);
  }

  /** Every queue of an account and region, in creation order. */
  list(accountId: string, region: string): QueueRecord[] {
    return [...this.queues.values()].filter((q) => q.accountId === accountId && q.region === region);
  }

  /** Every queue of every account and region. */
  all(): QueueRecord[] {
    return [...this.queues.values()];
  }

  /** Deleted within the last 60 s (virtual), so the name cannot be reused yet. */
  deletedRecently(a: QueueAddress): boolean {
    const at = this.deleted.get(key(a));
    if (at === undefined) return false;
    if (this.clock.now() - at >= QUEUE_DELETED_RECENTLY_MS) {
      this.deleted.delete(key(a));
      return false;
    }
    return true;
  }

  /** Register a new queue; `messages` is created here. */
  add(record: Omit<QueueRecord, 'messages'>): QueueRecord {
    const q = record as QueueRecord;
    q.messages = createMessageQueue(q, this);
    this.queues.set(key(q), q);
    this.arns.set(q.arn, q);
    this.deleted.delete(key(q));
    this.forgetUrls();
    return q;
  }

  remove(q: QueueRecord): void {
    if (this.queues.get(key(q)) !== q) return;
    this.queues.delete(key(q));
    this.arns.delete(q.arn);
    this.deleted.set(key(q), this.clock.now());
    this.forgetUrls();
    q.messages.close();
  }

  /** The queue an operation's input names by its QueueUrl member (type-checked, required). */
  resolveInput(ctx: Pick<RequestContext, 'region' | 'accountId'>, input: Record<string, unknown>): QueueRecord {
    expectType(input.QueueUrl, 'QueueUrl', 'string');
    if (input.QueueUrl === undefined || input.QueueUrl === null) throw missingParameter('QueueUrl');
    return this.resolve(ctx, input.QueueUrl as string);
  }

  /** The queue a QueueUrl names (any accepted form); QueueDoesNotExist when there is none. */
  resolve(ctx: Pick<RequestContext, 'region' | 'accountId'>, queueUrl: string): QueueRecord {
    let byUrl = this.resolved.get(ctx.region);
    const known = byUrl?.get(queueUrl);
    if (known) return known;
    const a = parseQueueUrl(queueUrl, ctx.region);
    const q = a && this.get(a);
    if (!q) throw queueDoesNotExist();
    if (typeof queueUrl === 'string') {
      if (this.resolvedCount >= QUEUE_URL_CACHE_LIMIT) {
        this.forgetUrls();
        byUrl = undefined;
      }
      if (!byUrl) {
        byUrl = new Map();
        this.resolved.set(ctx.region, byUrl);
      }
      byUrl.set(queueUrl, q);
      this.resolvedCount++;
    }
    return q;
  }

  /** Forget everything (cancel every queue's timers). */
  clear(): void {
    for (const q of this.queues.values()) q.messages.close();
    this.queues.clear();
    this.arns.clear();
    this.deleted.clear();
    this.forgetUrls();
  }

  private forgetUrls(): void {
    this.resolved.clear();
    this.resolvedCount = 0;
  }
}

/**
 * Parse a queue URL in any accepted form into account, region and name; undefined when it names no
 * queue. `defaultRegion` is used when neither the host nor the path carries one.
 */
export function parseQueueUrl(queueUrl: string, defaultRegion: string): QueueAddress | undefined {
  let path: string;
  let host = '';
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)([^?#]*)/.exec(queueUrl);
  if (m) {
    host = m[1].toLowerCase();
    path = m[2];
  } else if (queueUrl.startsWith('/')) {
    path = queueUrl.split(/[?#]/, 1)[0];
  } else {
    return undefined;
  }
  const parts = path.split('/').filter((p) => p !== '').map(safeDecode);
  let region = /^sqs\.([a-z0-9-]+)\./.exec(host)?.[1] ?? /^([a-z]{2}(?:-gov)?-[a-z]+-\d)\.queue\./.exec(host)?.[1] ?? defaultRegion;
  if (parts.length === 4 && parts[0] === 'queue') {
    region = parts[1];
    parts.splice(0, 2);
  }
  if (parts.length !== 2) return undefined;
  const [accountId, name] = parts;
  if (!/^\d{12}$/.test(accountId) || name === '') return undefined;
  return { accountId, region, name };
}

export type { MessageQueue, QueueRecord };
