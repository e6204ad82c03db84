/**
 * CloudWatch Logs (JSON 1.1, X-Amz-Target: Logs_20140328.<Operation>).
 */
import { AwsError } from '../../errors';
import type { JsonServiceDef, Operation, RequestContext } from '../../protocols/types';
import { Validator, expectType } from '../../protocols/validation';
import { compileFilterPattern } from './filter-pattern';
import { EVENT_OVERHEAD, LogGroup, LogStream, LogsStore, StoredEvent, groupStoredBytes, logGroupArn, logStreamArn } from './store';
import { decodeOffsetToken, encodeOffsetToken, eventWindow, parseEventToken, eventToken } from './paging';

export { LogsStore } from './store';

const GROUP_NAME_RE = /^[.\-_/#A-Za-z0-9]+$/;
const GROUP_NAME_TEXT = '[\\.\\-_/#A-Za-z0-9]+';
const STREAM_NAME_RE = /^[^:*]*$/;
const STREAM_NAME_TEXT = '[^:*]*';
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const;
const MAX_BATCH_BYTES = 1_048_576;
const MAX_BATCH_EVENTS = 10_000;
const DAY = 24 * 3600 * 1000;

type In = Record<string, unknown>;

const groupNotFound = () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
const streamNotFound = () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);
const invalidParam = (m: string) => new AwsError('InvalidParameterException', m, 400);

function v(): Validator {
  return new Validator('InvalidParameterException');
}

function types(input: In, spec: Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array'>): void {
  for (const [k, t] of Object.entries(spec)) expectType(input[k], k, t);
}

function validateGroupName(val: Validator, name: unknown, member = 'logGroupName', required = true): void {
  if (required && !val.required(name, member)) return;
  if (typeof name !== 'string') return;
  val.length(name, member, 1, 512).pattern(name, member, GROUP_NAME_RE, GROUP_NAME_TEXT);
}

function validateStreamName(val: Validator, name: unknown, member = 'logStreamName', required = true): void {
  if (required && !val.required(name, member)) return;
  if (typeof name !== 'string') return;
  val.length(name, member, 1, 512).pattern(name, member, STREAM_NAME_RE, STREAM_NAME_TEXT);
}

function validateTags(val: Validator, tags: unknown, member = 'tags'): void {
  if (tags === undefined || tags === null) return;
  expectType(tags, member, 'object');
  const entries = Object.entries(tags as Record<string, unknown>);
  val.length(entries, member, 1, 50);
  for (const [k, value] of entries) {
    expectType(value, `${member}.${k}`, 'string');
    val.length(k, `${member}.${k}.member.key`, 1, 128).length(value as string, `${member}.${k}.member.value`, 0, 256);
  }
}

/** Resolve a group by logGroupName or logGroupIdentifier (name or ARN). */
function groupRef(input: In, ctx: RequestContext): string {
  types(input, { logGroupName: 'string', logGroupIdentifier: 'string' });
  const name = input.logGroupName as string | undefined;
  const ident = input.logGroupIdentifier as string | undefined;
  if (name !== undefined && ident !== undefined) throw invalidParam('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (name === undefined && ident === undefined) throw invalidParam('Should provide either name or ARN of the log group');
  if (name !== undefined) {
    const val = v();
    validateGroupName(val, name);
    val.check();
    return name;
  }
  const id = ident as string;
  const val = v();
  val.length(id, 'logGroupIdentifier', 1, 2048).pattern(id, 'logGroupIdentifier', /^[\w#+=/:,.@-]*$/, '[\\w#+=/:,.@-]*');
  val.check();
  if (id.startsWith('arn:')) {
    const m = /^arn:aws[\w-]*:logs:([^:]*):([^:]*):log-group:([^:]+)(?::\*)?$/.exec(id);
    if (!m) throw invalidParam('Invalid ARN specified for log group');
    if (m[1] !== ctx.region || m[2] !== ctx.accountId) throw groupNotFound();
    return m[3];
  }
  return id;
}

function limitOf(input: In, max: number): number | undefined {
  expectType(input.limit, 'limit', 'number');
  const limit = input.limit as number | undefined;
  const val = v();
  if (limit !== undefined && !Number.isInteger(limit)) val.fail(limit, 'limit', 'Member must be an integer');
  val.range(limit, 'limit', 1, max).check();
  return limit;
}

function groupView(g: LogGroup, ctx: RequestContext) {
  const arn = logGroupArn(ctx.region, ctx.accountId, g.name);
  return {
    logGroupName: g.name,
    creationTime: g.creationTime,
    retentionInDays: g.retentionInDays,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: groupStoredBytes(g),
    kmsKeyId: g.kmsKeyId,
    logGroupClass: g.logGroupClass,
    logGroupArn: arn,
  };
}

function streamView(g: LogGroup, s: LogStream, ctx: RequestContext) {
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    firstEventTimestamp: s.firstEventTimestamp,
    lastEventTimestamp: s.lastEventTimestamp,
    lastIngestionTime: s.lastIngestionTime,
    uploadSequenceToken: sequenceToken(s),
    arn: logStreamArn(ctx.region, ctx.accountId, g.name, s.name),
    storedBytes: 0, // AWS has reported 0 here since 2019
  };
}

function sequenceToken(s: LogStream): string {
  return String(s.sequence + 1).padStart(56, '4');
}

export function logsService(store: LogsStore): JsonServiceDef {
  const groupOf = (input: In, ctx: RequestContext): LogGroup => {
    const name = groupRef(input, ctx);
    const g = store.getGroup(ctx.accountId, ctx.region, name);
    if (!g) throw groupNotFound();
    return g;
  };
  const namedGroup = (input: In, ctx: RequestContext): LogGroup => {
    types(input, { logGroupName: 'string' });
    const val = v();
    validateGroupName(val, input.logGroupName);
    val.check();
    const g = store.getGroup(ctx.accountId, ctx.region, input.logGroupName as string);
    if (!g) throw groupNotFound();
    return g;
  };
  const groupByArn = (input: In, ctx: RequestContext): LogGroup => {
    types(input, { resourceArn: 'string' });
    const val = v();
    if (val.required(input.resourceArn, 'resourceArn')) val.length(input.resourceArn as string, 'resourceArn', 1, 1011);
    val.check();
    const arn = input.resourceArn as string;
    const m = /^arn:aws[\w-]*:logs:([^:]*):([^:]*):log-group:([^:]+)(?::\*)?$/.exec(arn);
    if (!m) throw invalidParam(`Invalid resource arn: ${arn}`);
    const g = m[1] === ctx.region && m[2] === ctx.accountId ? store.getGroup(ctx.accountId, ctx.region, m[3]) : undefined;
    if (!g) throw groupNotFound();
    return g;
  };

  const CreateLogGroup: Operation = (input: In, ctx) => {
    types(input, { logGroupName: 'string', kmsKeyId: 'string', logGroupClass: 'string' });
    const val = v();
    validateGroupName(val, input.logGroupName);
    val.length(input.kmsKeyId as string | undefined, 'kmsKeyId', 0, 256);
    val.oneOf(input.logGroupClass, 'logGroupClass', GROUP_CLASSES);
    validateTags(val, input.tags);
    val.check();
    const name = input.logGroupName as string;
    if (store.getGroup(ctx.accountId, ctx.region, name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
    store.createGroup(ctx.accountId, ctx.region, name, {
      kmsKeyId: input.kmsKeyId as string | undefined,
      logGroupClass: input.logGroupClass as string | undefined,
      tags: input.tags as Record<string, string> | undefined,
    });
    return {};
  };

  const DeleteLogGroup: Operation = (input: In, ctx) => {
    const g = namedGroup(input, ctx);
    store.groups(ctx.accountId, ctx.region).delete(g.name);
    return {};
  };

  const DescribeLogGroups: Operation = (input: In, ctx) => {
    types(input, { logGroupNamePrefix: 'string', logGroupNamePattern: 'string', nextToken: 'string', accountIdentifiers: 'array' });
    const val = v();
    validateGroupName(val, input.logGroupNamePrefix, 'logGroupNamePrefix', false);
    val.length(input.logGroupNamePattern as string | undefined, 'logGroupNamePattern', 0, 512);
    val.check();
    const limit = limitOf(input, 50) ?? 50;
    const prefix = input.logGroupNamePrefix as string | undefined;
    const pattern = input.logGroupNamePattern as string | undefined;
    if (prefix !== undefined && pattern !== undefined) {
      throw invalidParam('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    }
    let groups = [...store.groups(ctx.accountId, ctx.region).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (prefix !== undefined) groups = groups.filter((g) => g.name.startsWith(prefix));
    if (pattern) groups = groups.filter((g) => g.name.toLowerCase().includes(pattern.toLowerCase()));
    const start = decodeOffsetToken(input.nextToken as string | undefined);
    const page = groups.slice(start, start + limit);
    const end = start + page.length;
    return {
      logGroups: page.map((g) => groupView(g, ctx)),
      nextToken: end < groups.length ? encodeOffsetToken(end) : undefined,
    };
  };

  const CreateLogStream: Operation = (input: In, ctx) => {
    types(input, { logGroupName: 'string', logStreamName: 'string' });
    const val = v();
    validateGroupName(val, input.logGroupName);
    validateStreamName(val, input.logStreamName);
    val.check();
    const g = store.getGroup(ctx.accountId, ctx.region, input.logGroupName as string);
    if (!g) throw groupNotFound();
    const name = input.logStreamName as string;
    if (g.streams.has(name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
    store.createStream(g, name);
    return {};
  };

  const DeleteLogStream: Operation = (input: In, ctx) => {
    types(input, { logStreamName: 'string' });
    const val = v();
    validateGroupName(val, input.logGroupName);
    validateStreamName(val, input.logStreamName);
    val.check();
    const g = namedGroup(input, ctx);
    if (!g.streams.delete(input.logStreamName as string)) throw streamNotFound();
    return {};
  };

  const DescribeLogStreams: Operation = (input: In, ctx) => {
    types(input, { logStreamNamePrefix: 'string', orderBy: 'string', descending: 'boolean', nextToken: 'string' });
    const g = groupOf(input, ctx);
    const val = v();
    validateStreamName(val, input.logStreamNamePrefix, 'logStreamNamePrefix', false);
    val.oneOf(input.orderBy, 'orderBy', ['LogStreamName', 'LastEventTime']);
    val.check();
    const limit = limitOf(input, 50) ?? 50;
    const prefix = input.logStreamNamePrefix as string | undefined;
    const orderBy = (input.orderBy as string | undefined) ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalidParam('Cannot order by LastEventTime with a logStreamNamePrefix.');
    let streams = [...g.streams.values()];
    if (prefix !== undefined) streams = streams.filter((s) => s.name.startsWith(prefix));
    const byName = (a: LogStream, b: LogStream) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    streams.sort(orderBy === 'LastEventTime' ? (a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || byName(a, b) : byName);
    if (input.descending === true) streams.reverse();
    const start = decodeOffsetToken(input.nextToken as string | undefined);
    const page = streams.slice(start, start + limit);
    const end = start + page.length;
    return {
      logStreams: page.map((s) => streamView(g, s, ctx)),
      nextToken: end < streams.length ? encodeOffsetToken(end) : undefined,
    };
  };

  const PutLogEvents: Operation = (input: In, ctx) => {
    types(input, { logGroupName: 'string', logStreamName: 'string', logEvents: 'array', sequenceToken: 'string' });
    const val = v();
    validateGroupName(val, input.logGroupName);
    validateStreamName(val, input.logStreamName);
    const events = input.logEvents as unknown[] | undefined;
    if (val.required(events, 'logEvents')) val.length(events, 'logEvents', 1, MAX_BATCH_EVENTS);
    (events ?? []).forEach((e, i) => {
      expectType(e, `logEvents.${i + 1}`, 'object');
      const ev = e as In;
      expectType(ev.timestamp, 'timestamp', 'number');
      expectType(ev.message, 'message', 'string');
      val.required(ev.timestamp, `logEvents.${i + 1}.member.timestamp`);
      if (val.required(ev.message, `logEvents.${i + 1}.member.message`)) val.length(ev.message as string, `logEvents.${i + 1}.member.message`, 1);
    });
    val.check();
    const g = store.getGroup(ctx.accountId, ctx.region, input.logGroupName as string);
    if (!g) throw groupNotFound();
    const s = g.streams.get(input.logStreamName as string);
    if (!s) throw streamNotFound();
    const evs = (events as In[]).map((e) => ({ timestamp: Math.trunc(e.timestamp as number), message: e.message as string }));
    let bytes = 0;
    for (let i = 0; i < evs.length; i++) {
      if (i > 0 && evs[i].timestamp < evs[i - 1].timestamp) throw invalidParam('Log events in a single PutLogEvents request must be in chronological order.');
      bytes += Buffer.byteLength(evs[i].message, 'utf8') + EVENT_OVERHEAD;
    }
    if (evs[evs.length - 1].timestamp - evs[0].timestamp > DAY) {
      throw invalidParam('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }
    if (bytes > MAX_BATCH_BYTES) throw invalidParam(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
    const now = ctx.clock.now();
    const tooOldBefore = now - 14 * DAY;
    const expiredBefore = g.retentionInDays !== undefined ? now - g.retentionInDays * DAY : undefined;
    const tooNewAfter = now + 2 * 3600 * 1000;
    let tooOldEnd = 0; // exclusive
    let expiredEnd = 0; // exclusive
    let tooNewStart = evs.length; // inclusive
    evs.forEach((e, i) => {
      if (e.timestamp < tooOldBefore) tooOldEnd = i + 1;
      if (expiredBefore !== undefined && e.timestamp < expiredBefore) expiredEnd = i + 1;
      if (e.timestamp > tooNewAfter && tooNewStart === evs.length) tooNewStart = i;
    });
    const accepted = evs.slice(Math.max(tooOldEnd, expiredEnd), tooNewStart);
    store.append(s, accepted);
    const rejected: Record<string, number> = {};
    if (tooOldEnd > 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
    if (expiredEnd > 0) rejected.expiredLogEventEndIndex = expiredEnd;
    if (tooNewStart < evs.length) rejected.tooNewLogEventStartIndex = tooNewStart;
    return { nextSequenceToken: sequenceToken(s), rejectedLogEventsInfo: Object.keys(rejected).length ? rejected : undefined };
  };

  const GetLogEvents: Operation = (input: In, ctx) => {
    types(input, { logStreamName: 'string', startTime: 'number', endTime: 'number', nextToken: 'string', startFromHead: 'boolean', unmask: 'boolean' });
    const g = groupOf(input, ctx);
    const val = v();
    validateStreamName(val, input.logStreamName);
    val.range(input.startTime as number | undefined, 'startTime', 0).range(input.endTime as number | undefined, 'endTime', 0);
    val.check();
    const limit = limitOf(input, 10_000) ?? 10_000;
    const s = g.streams.get(input.logStreamName as string);
    if (!s) throw streamNotFound();
    const startTime = input.startTime as number | undefined;
    const endTime = input.endTime as number | undefined;
    const evs = s.events.filter((e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime));
    const token = input.nextToken === undefined ? undefined : parseEventToken(input.nextToken as string);
    const { from, to } = eventWindow(
      evs.map((e) => Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD),
      limit,
      MAX_BATCH_BYTES,
      token ?? { direction: input.startFromHead === true ? 'f' : 'b', index: input.startFromHead === true ? 0 : evs.length },
    );
    return {
      events: evs.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: eventToken('f', to),
      nextBackwardToken: eventToken('b', from),
    };
  };

  const FilterLogEvents: Operation = (input: In, ctx) => {
    types(input, {
      logStreamNames: 'array',
      logStreamNamePrefix: 'string',
      startTime: 'number',
      endTime: 'number',
      filterPattern: 'string',
      nextToken: 'string',
      interleaved: 'boolean',
      unmask: 'boolean',
    });
    const g = groupOf(input, ctx);
    const val = v();
    const names = input.logStreamNames as unknown[] | undefined;
    val.length(names, 'logStreamNames', 1, 100);
    (names ?? []).forEach((n, i) => {
      expectType(n, 'logStreamNames', 'string');
      validateStreamName(val, n, `logStreamNames.${i + 1}.member`);
    });
    validateStreamName(val, input.logStreamNamePrefix, 'logStreamNamePrefix', false);
    val.range(input.startTime as number | undefined, 'startTime', 0).range(input.endTime as number | undefined, 'endTime', 0);
    val.length(input.filterPattern as string | undefined, 'filterPattern', 0, 1024);
    val.check();
    const limit = limitOf(input, 10_000) ?? 10_000;
    if (names !== undefined && input.logStreamNamePrefix !== undefined) {
      throw invalidParam('logStreamNames and logStreamNamePrefix are mutually exclusive');
    }
    const match = compileFilterPattern(input.filterPattern as string | undefined);
    let streams = [...g.streams.values()];
    if (names) {
      const wanted = new Set(names as string[]);
      streams = streams.filter((s) => wanted.has(s.name));
    }
    const prefix = input.logStreamNamePrefix as string | undefined;
    if (prefix !== undefined) streams = streams.filter((s) => s.name.startsWith(prefix));
    const startTime = input.startTime as number | undefined;
    const endTime = input.endTime as number | undefined;
    const hits: { stream: string; e: StoredEvent }[] = [];
    for (const s of streams) {
      for (const e of s.events) {
        if (startTime !== undefined && e.timestamp < startTime) continue;
        if (endTime !== undefined && e.timestamp > endTime) continue;
        if (match(e.message)) hits.push({ stream: s.name, e });
      }
    }
    hits.sort((a, b) => a.e.timestamp - b.e.timestamp || (a.e.eventId < b.e.eventId ? -1 : 1));
    const start = decodeOffsetToken(input.nextToken as string | undefined);
    let bytes = 0;
    let end = start;
    while (end < hits.length && end - start < limit) {
      bytes += Buffer.byteLength(hits[end].e.message, 'utf8') + EVENT_OVERHEAD;
      if (bytes > MAX_BATCH_BYTES && end > start) break;
      end++;
    }
    return {
      events: hits.slice(start, end).map(({ stream, e }) => ({
        logStreamName: stream,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      searchedLogStreams: [],
      nextToken: end < hits.length ? encodeOffsetToken(end) : undefined,
    };
  };

  const PutRetentionPolicy: Operation = (input: In, ctx) => {
    types(input, { retentionInDays: 'number' });
    const g = namedGroup(input, ctx);
    const val = v();
    if (val.required(input.retentionInDays, 'retentionInDays')) val.oneOf(input.retentionInDays, 'retentionInDays', RETENTION_DAYS);
    val.check();
    g.retentionInDays = input.retentionInDays as number;
    return {};
  };

  const DeleteRetentionPolicy: Operation = (input: In, ctx) => {
    namedGroup(input, ctx).retentionInDays = undefined;
    return {};
  };

  /** TagLogGroup and TagResource take the same `tags` member. */
  const tagGroup = (g: LogGroup, input: In) => {
    const val = v();
    if (val.required(input.tags, 'tags')) validateTags(val, input.tags);
    val.check();
    addTags(g, input.tags as Record<string, string>);
    return {};
  };
  const TagLogGroup: Operation = (input: In, ctx) => tagGroup(namedGroup(input, ctx), input);
  const UntagLogGroup: Operation = (input: In, ctx) => {
    const g = namedGroup(input, ctx);
    removeTags(g, input.tags, 'tags');
    return {};
  };
  const ListTagsLogGroup: Operation = (input: In, ctx) => ({ tags: { ...namedGroup(input, ctx).tags } });

  const TagResource: Operation = (input: In, ctx) => tagGroup(groupByArn(input, ctx), input);
  const UntagResource: Operation = (input: In, ctx) => {
    const g = groupByArn(input, ctx);
    removeTags(g, input.tagKeys, 'tagKeys');
    return {};
  };
  const ListTagsForResource: Operation = (input: In, ctx) => ({ tags: { ...groupByArn(input, ctx).tags } });

  return {
    protocol: 'json',
    signingName: 'logs',
    targetPrefix: 'Logs_20140328',
    jsonVersion: '1.1',
    operations: {
      CreateLogGroup,
      DeleteLogGroup,
      DescribeLogGroups,
      CreateLogStream,
      DeleteLogStream,
      DescribeLogStreams,
      PutLogEvents,
      GetLogEvents,
      FilterLogEvents,
      PutRetentionPolicy,
      DeleteRetentionPolicy,
      TagLogGroup,
      UntagLogGroup,
      ListTagsLogGroup,
      TagResource,
      UntagResource,
      ListTagsForResource,
    },
  };
}

function addTags(g: LogGroup, tags: Record<string, string>): void {
  const merged = { ...g.tags, ...tags };
  if (Object.keys(merged).length > 50) throw invalidParam('A resource can have no more than 50 tags.');
  g.tags = merged;
}

function removeTags(g: LogGroup, keys: unknown, member: string): void {
  expectType(keys, member, 'array');
  const val = v();
  if (val.required(keys, member)) val.length(keys as unknown[], member, 1, 50);
  val.check();
  for (const k of keys as unknown[]) {
    expectType(k, member, 'string');
    delete g.tags[k as string];
  }
}
