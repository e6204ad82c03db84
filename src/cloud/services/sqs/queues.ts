/**
 * Queue operations: CreateQueue, DeleteQueue, GetQueueUrl, ListQueues, GetQueueAttributes,
 * SetQueueAttributes, PurgeQueue, TagQueue, UntagQueue, ListQueueTags, AddPermission,
 * RemovePermission, ListDeadLetterSourceQueues. Each takes and returns the JSON protocol's shapes.
 * Attribute rules live in attributes.ts, the permission policy in permissions.ts.
 */
import type { Operation, RequestContext } from '../../protocols/types';
import { expectType } from '../../protocols/validation';
import {
  applyAttributes,
  attributeMap,
  attributeView,
  checkAttributeNames,
  checkCombination,
  currentValue,
  defaultAttributes,
  normalizeAttributes,
  parseRedrivePolicy,
  type AttributeContext,
} from './attributes';
import {
  invalidParameterValue,
  missingParameter,
  purgeQueueInProgress,
  queueDeletedRecently,
  queueDoesNotExist,
  queueNameExists,
} from './errors';
import { addPermission, checkPermissionInput, removePermission } from './permissions';
import type { SqsStore } from './store';
import type { QueueRecord } from './types';

type In = Record<string, unknown>;
type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/** One PurgeQueue per queue per this many virtual ms. */
export const PURGE_INTERVAL_MS = 60_000;
/** ListQueues / ListDeadLetterSourceQueues answer at most this many URLs per call. */
export const MAX_LIST_RESULTS = 1000;
export const MAX_TAGS = 50;

const QUEUE_NAME_RE = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME_RE = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const TAG_KEY_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function types(input: In, spec: Record<string, JsonType>): void {
  for (const [k, t] of Object.entries(spec)) expectType(input[k], k, t);
}

/** Queue name rules (the `.fifo` suffix counts towards the 80 characters). */
export function checkQueueName(name: string, fifo: boolean): void {
  if (fifo) {
    if (!FIFO_QUEUE_NAME_RE.test(name)) {
      throw invalidParameterValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length',
      );
    }
  } else if (!QUEUE_NAME_RE.test(name)) {
    throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}

/** Tag keys: 1-128 Unicode letters, digits, whitespace or `_ . : / = + - @`; values up to 256. */
export function checkTagKey(key: string): void {
  const n = [...key].length;
  if (n < 1 || n > 128) throw invalidParameterValue('Tag keys must be between 1 and 128 characters in length.');
  if (!TAG_KEY_RE.test(key)) {
    throw invalidParameterValue('Tag keys may only contain unicode letters, digits, whitespace, or one of these symbols: _ . : / = + - @');
  }
}

export function checkTags(raw: unknown, member: string): Record<string, string> {
  expectType(raw, member, 'object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    expectType(v, `${member}.${k}`, 'string');
    checkTagKey(k);
    const value = typeof v === 'string' ? v : '';
    if ([...value].length > 256) throw invalidParameterValue('Tag values must be between 0 and 256 characters in length.');
    out[k] = value;
  }
  return out;
}

// ------------------------------------------------------------------ paging

interface PageToken {
  /** What the listing was of (the prefix, or the dead-letter queue): a token only continues its own listing. */
  scope: string;
  /** The last name answered. */
  after: string;
}

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64');
}

function decodeToken(token: string): PageToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown;
    if (typeof t === 'object' && t !== null && typeof (t as PageToken).scope === 'string' && typeof (t as PageToken).after === 'string') return t as PageToken;
  } catch {
    /* not ours */
  }
  return undefined;
}

/**
 * One page of `queues` (sorted by name). Without MaxResults: at most 1000 and no NextToken (as AWS
 * documents); with MaxResults (1-1000): a NextToken while more remain.
 */
export function page(queues: QueueRecord[], input: In, scope: string): { items: QueueRecord[]; next?: string } {
  types(input, { MaxResults: 'number', NextToken: 'string' });
  const max = input.MaxResults as number | undefined | null;
  const token = input.NextToken as string | undefined | null;
  if (max !== undefined && max !== null && (!Number.isInteger(max) || max < 1 || max > MAX_LIST_RESULTS)) {
    throw invalidParameterValue('Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.');
  }
  let start = 0;
  if (token !== undefined && token !== null && token !== '') {
    if (max === undefined || max === null) throw invalidParameterValue('MaxResults is a mandatory parameter when you provide a value for NextToken.');
    const t = decodeToken(token);
    if (!t) throw invalidParameterValue('Invalid NextToken value.');
    if (t.scope !== scope) {
      throw invalidParameterValue('Invalid NextToken value. If you are passing in NextToken, you must not change the other request parameters.');
    }
    start = queues.findIndex((q) => q.name > t.after);
    if (start < 0) start = queues.length;
  }
  const limit = max ?? MAX_LIST_RESULTS;
  const items = queues.slice(start, start + limit);
  const more = max !== undefined && max !== null && start + limit < queues.length;
  return { items, next: more ? encodeToken({ scope, after: items[items.length - 1].name }) : undefined };
}

const byName = (a: QueueRecord, b: QueueRecord) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

// ------------------------------------------------------------------ operations

export function queueOperations(store: SqsStore): Record<string, Operation> {

  const attributeContext = (q: { fifo: boolean; arn: string; accountId: string; region: string }): AttributeContext => ({
    fifo: q.fifo,
    queueArn: q.arn,
    accountId: q.accountId,
    region: q.region,
    byArn: (arn) => store.byArn(arn),
  });

  const touch = (q: QueueRecord) => {
    q.lastModifiedMs = store.clock.now();
  };

  /** Replace a queue's attributes in place (the message model reads them live). */
  const replaceAttributes = (q: QueueRecord, next: Record<string, string>) => {
    for (const k of Object.keys(q.attributes)) if (!(k in next)) delete q.attributes[k];
    Object.assign(q.attributes, next);
  };

  return {
    CreateQueue(input: In, ctx: RequestContext) {
      types(input, { QueueName: 'string' });
      const name = input.QueueName as string | undefined | null;
      if (name === undefined || name === null) {
        throw invalidParameterValue('Value for parameter QueueName is invalid. Reason: Must specify a queue name.');
      }
      const attrs = attributeMap(input.Attributes);
      const fifo = (attrs.FifoQueue ?? '').toLowerCase() === 'true';
      checkAttributeNames(attrs, fifo);
      if (name === '') throw invalidParameterValue('Queue name cannot be empty');
      checkQueueName(name, fifo);
      const address = { accountId: ctx.accountId, region: ctx.region, name };
      const arn = store.arnOf(address);
      const changes = normalizeAttributes(attrs, attributeContext({ fifo, arn, ...address }));
      const tags = input.tags === undefined || input.tags === null ? {} : checkTags(input.tags, 'tags');
      if (Object.keys(tags).length > MAX_TAGS) throw invalidParameterValue(`Too many tags added for queue ${name}.`);

      const existing = store.get(address);
      if (existing) {
        // Same name: the same queue if every given attribute has the queue's current value.
        for (const [k, v] of Object.entries(changes)) {
          if (!sameAttributeValue(k, v, currentValue(existing.attributes, k))) throw queueNameExists(k);
        }
        return { QueueUrl: store.urlOf(ctx, existing) };
      }
      if (store.deletedRecently(address)) throw queueDeletedRecently();

      const attributes = defaultAttributes(fifo);
      applyAttributes(attributes, changes);
      checkCombination(attributes);
      const now = store.clock.now();
      const q = store.add({ ...address, arn, fifo, attributes, tags, createdMs: now, lastModifiedMs: now });
      return { QueueUrl: store.urlOf(ctx, q) };
    },

    DeleteQueue(input: In, ctx: RequestContext) {
      store.remove(store.resolveInput(ctx, input));
      return {};
    },

    GetQueueUrl(input: In, ctx: RequestContext) {
      types(input, { QueueName: 'string', QueueOwnerAWSAccountId: 'string' });
      const name = input.QueueName as string | undefined | null;
      if (name === undefined || name === null) throw missingParameter('QueueName');
      const owner = (input.QueueOwnerAWSAccountId as string | undefined | null) ?? ctx.accountId;
      const q = store.get({ accountId: owner, region: ctx.region, name });
      if (!q) throw queueDoesNotExist();
      return { QueueUrl: store.urlOf(ctx, q) };
    },

    ListQueues(input: In, ctx: RequestContext) {
      types(input, { QueueNamePrefix: 'string' });
      const prefix = (input.QueueNamePrefix as string | undefined | null) ?? '';
      const queues = store
        .list(ctx.accountId, ctx.region)
        .filter((q) => q.name.startsWith(prefix))
        .sort(byName);
      const { items, next } = page(queues, input, `prefix:${prefix}`);
      if (items.length === 0) return {};
      return { QueueUrls: items.map((q) => store.urlOf(ctx, q)), NextToken: next };
    },

    GetQueueAttributes(input: In, ctx: RequestContext) {
      const q = store.resolveInput(ctx, input);
      expectType(input.AttributeNames, 'AttributeNames', 'array');
      const names = ((input.AttributeNames as unknown[] | undefined | null) ?? []).map((n) => {
        expectType(n, 'AttributeNames.member', 'string');
        return n as string;
      });
      const attrs = attributeView(q, names);
      return Object.keys(attrs).length > 0 ? { Attributes: attrs } : {};
    },

    SetQueueAttributes(input: In, ctx: RequestContext) {
      const q = store.resolveInput(ctx, input);
      if (input.Attributes === undefined || input.Attributes === null) throw missingParameter('Attributes');
      const attrs = attributeMap(input.Attributes);
      checkAttributeNames(attrs, q.fifo);
      const changes = normalizeAttributes(attrs, attributeContext(q));
      if (Object.keys(changes).length === 0) return {};
      const next = { ...q.attributes };
      applyAttributes(next, changes);
      checkCombination(next);
      replaceAttributes(q, next);
      touch(q);
      q.messages.attributesChanged();
      return {};
    },

    PurgeQueue(input: In, ctx: RequestContext) {
      const q = store.resolveInput(ctx, input);
      const now = store.clock.now();
      if (q.lastPurgeMs !== undefined && now - q.lastPurgeMs < PURGE_INTERVAL_MS) throw purgeQueueInProgress(q.name);
      q.lastPurgeMs = now;
      q.messages.purge();
      return {};
    },

    TagQueue(input: In, ctx: RequestContext) {
      const q = store.resolveInput(ctx, input);
      if (input.Tags === undefined || input.Tags === null) throw missingParameter('Tags');
      const tags = checkTags(input.Tags, 'Tags');
      if (Object.keys(tags).length === 0) throw missingParameter('Tags');
      if (Object.keys({ ...q.tags, ...tags }).length > MAX_TAGS) throw invalidParameterValue(`Too many tags added for queue ${q.name}.`);
      Object.assign(q.tags, tags);
      return {};
    },

    UntagQueue(input: In, ctx: RequestContext) {
      const q = store.resolveInput(ctx, input);
      expectType(input.TagKeys, 'TagKeys', 'array');
      const keys = (input.TagKeys as unknown[] | undefined | null) ?? [];
      if (keys.length === 0) throw invalidParameterValue('Tag keys must be between 1 and 128 characters in length.');
      for (const k of keys) {
        expectType(k, 'TagKeys.member', 'string');
        checkTagKey(k as string);
      }
      for (const k of keys) delete q.tags[k as string];
      return {};
    },

    ListQueueTags(input: In, ctx: RequestContext) {
      const q = store.resolveInput(ctx, input);
      return Object.keys(q.tags).length > 0 ? { Tags: { ...q.tags } } : {};
    },

    AddPermission(input: In, ctx: RequestContext) {
      const q = store.resolveInput(ctx, input);
      types(input, { Label: 'string', AWSAccountIds: 'array', Actions: 'array' });
      const { label, accountIds, actions } = checkPermissionInput(input.Label, input.AWSAccountIds, input.Actions);
      q.attributes.Policy = addPermission(q.attributes.Policy, q.arn, label, accountIds, actions);
      touch(q);
      return {};
    },

    RemovePermission(input: In, ctx: RequestContext) {
      const q = store.resolveInput(ctx, input);
      types(input, { Label: 'string' });
      if (input.Label === undefined || input.Label === null) throw missingParameter('Label');
      const policy = removePermission(q.attributes.Policy, input.Label as string);
      if (policy === '') delete q.attributes.Policy;
      else q.attributes.Policy = policy;
      touch(q);
      return {};
    },

    ListDeadLetterSourceQueues(input: In, ctx: RequestContext) {
      const dlq = store.resolveInput(ctx, input);
      const sources = store
        .list(dlq.accountId, dlq.region)
        .filter((q) => parseRedrivePolicy(q.attributes.RedrivePolicy)?.deadLetterTargetArn === dlq.arn)
        .sort(byName);
      const { items, next } = page(sources, input, `dlq:${dlq.arn}`);
      return { queueUrls: items.map((q) => store.urlOf(ctx, q)), NextToken: next };
    },
  };
}

/** CreateQueue's comparison: a Policy compares as JSON, everything else as its normalized text. */
function sameAttributeValue(name: string, given: string, current: string): boolean {
  if (given === current) return true;
  if (name === 'Policy' && given !== '' && current !== '') {
    try {
      return JSON.stringify(JSON.parse(given)) === JSON.stringify(JSON.parse(current));
    } catch {
      return false;
    }
  }
  return false;
}
