/**
 * What the Kinesis poller unit tests share: a real Kinesis store and clock (moved by hand), a fake
 * Lambda host whose `run` the test scripts (every call is recorded with its decoded event), and an
 * OnFailure deliverer that keeps what it gets.
 */
import { Clock } from '../../src/cloud/clock';
import { AwsError } from '../../src/cloud/errors';
import { InvocationLog } from '../../src/cloud/lambda/invocations';
import type { FunctionVersion, LambdaFunction } from '../../src/cloud/lambda/model';
import { KinesisPoller } from '../../src/cloud/lambda/pollers/kinesis';
import { applySettings, newMapping } from '../../src/cloud/lambda/pollers/mapping';
import type { EventSourceMapping, MappingHost, MappingSettings } from '../../src/cloud/lambda/pollers/types';
import { compileFilters } from '../../src/cloud/lambda/pollers/validate';
import type { InvokeResult } from '../../src/cloud/lambda/runtime/types';
import { partitionHashKey } from '../../src/cloud/services/kinesis/hashing';
import { KinesisStore } from '../../src/cloud/services/kinesis/store';
import type { Stream } from '../../src/cloud/services/kinesis/stream';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const FN_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`;
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/consumer`;
export const DEST = `arn:aws:sqs:${REGION}:${ACCOUNT}:on-failure`;

export interface KRecord {
  kinesis: { partitionKey: string; sequenceNumber: string; data: string; approximateArrivalTimestamp: number };
  eventID: string;
  [k: string]: unknown;
}
export interface KEvent {
  Records: KRecord[];
  window?: { start: string; end: string };
  state?: unknown;
  shardId?: string;
  isFinalInvokeForWindow?: boolean;
  isWindowTerminatedEarly?: boolean;
}
export interface Call {
  event: KEvent;
  /** Each record's data as text. */
  data: string[];
  seqs: string[];
  shardId: string;
  bytes: number;
  at: number;
}

export const ok = (payload: unknown = {}): InvokeResult => ({
  requestId: 'r',
  payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  log: '',
  environmentId: 'e',
  coldStart: false,
  durationMs: 1,
  start: 0,
  end: 0,
});
export const failed = (): InvokeResult => ({ ...ok({ errorMessage: 'x', errorType: 'Error' }), functionError: 'Unhandled' });
export const throttle = () => new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429);

/** The test's world; reset by `useWorld()` before each test. */
export interface World {
  clock: Clock;
  store: KinesisStore;
  calls: Call[];
  /** OnFailure records received (parsed bodies). */
  failures: Record<string, unknown>[];
  /** What `run` does (default: succeed with `{}`, or carry a window's state). */
  behave: (call: Call) => Promise<InvokeResult> | InvokeResult;
  /** The function exists (functionByArn finds it). */
  fnPresent: boolean;
  fnState: 'Active' | 'Pending';
  pollers: KinesisPoller[];
  host: MappingHost;
}

/** A window-aware default: counts records into `state.count`. */
export function defaultBehave(call: Call): InvokeResult {
  if (call.event.window) {
    const prev = (call.event.state as { count?: number } | undefined)?.count ?? 0;
    return ok({ state: { count: prev + call.event.Records.length } });
  }
  return ok();
}

export function useWorld(): World {
  const w = {} as World;
  beforeEach(() => {
    w.clock = new Clock('real');
    w.store = new KinesisStore(w.clock);
    w.calls = [];
    w.failures = [];
    w.behave = defaultBehave;
    w.fnPresent = true;
    w.fnState = 'Active';
    w.pollers = [];
    const fn = { name: 'f', arn: FN_ARN, accountId: ACCOUNT, region: REGION } as LambdaFunction;
    const version = () => ({ version: '$LATEST', state: w.fnState, config: { timeout: 3, role: ROLE } }) as FunctionVersion;
    w.host = {
      clock: w.clock,
      invocations: new InvocationLog(),
      kinesis: w.store,
      functions: new Map([[`${ACCOUNT}/${REGION}/f`, fn]]),
      async: { recursiveLoop: () => 'Terminate' },
      deliverer: {
        deliver: async (_ctx, arn, msg) => {
          if (arn === DEST) w.failures.push(JSON.parse(msg.body) as Record<string, unknown>);
          return { ok: true };
        },
        lost: () => undefined,
      },
      key: (ctx, name) => `${ctx.accountId}/${ctx.region}/${name}`,
      functionByArn: (_ctx, arn) => (w.fnPresent && arn.split(':').slice(0, 7).join(':') === FN_ARN ? fn : undefined),
      resolveVersion: () => ({ version: version() }),
      run: async (_fn, _v, req) => {
        const event = JSON.parse(req.payload.toString()) as KEvent;
        const call: Call = {
          event,
          data: event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString()),
          seqs: event.Records.map((r) => r.kinesis.sequenceNumber),
          shardId: event.shardId ?? event.Records[0]?.eventID.split(':')[0] ?? '',
          bytes: req.payload.length,
          at: w.clock.now(),
        };
        w.calls.push(call);
        return w.behave(call);
      },
    };
  });
  afterEach(() => {
    for (const p of w.pollers) p.stop();
    w.store.clear();
    w.clock.clear();
  });
  return w;
}

export function createStream(w: World, name: string, shards = 1): { arn: string; s: Stream } {
  const s = w.store.create(ACCOUNT, REGION, name, 'PROVISIONED', shards, {});
  return { arn: s.arn, s };
}

/** Put one record (routed by its partition key); returns its sequence number and shard. */
export function put(w: World, name: string, key: string, data: string | Buffer): { seq: string; shardId: string } {
  const s = w.store.get(ACCOUNT, REGION, name)!;
  const shard = s.route(partitionHashKey(key));
  const r = shard.append(key, typeof data === 'string' ? Buffer.from(data) : data, w.clock.now());
  w.store.notify(s, shard.shardId);
  return { seq: r.sequenceNumber, shardId: shard.shardId };
}

/** A mapping of the stream to the test function (not started). */
export function mapping(w: World, arn: string, settings: MappingSettings = {}): EventSourceMapping {
  const m = newMapping({ uuid: 'u', accountId: ACCOUNT, region: REGION, kind: 'kinesis', eventSourceArn: arn, functionArn: FN_ARN, functionName: 'f', now: w.clock.now(), tags: {} });
  if (settings.filters) compileFilters(settings.filters);
  applySettings(m, { startingPosition: 'TRIM_HORIZON', ...settings });
  m.state = 'Enabled';
  return m;
}

export function startPoller(w: World, m: EventSourceMapping): KinesisPoller {
  const p = new KinesisPoller(w.host, m);
  w.pollers.push(p);
  p.start();
  return p;
}

export const filters = (...patterns: unknown[]) => ({ patterns: patterns.map((p) => JSON.stringify(p)), compiled: [] });

/** Let promise chains and queued microtasks settle. */
export async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

/** Move the clock by `ms` (firing what falls due), then settle. */
export async function advance(w: World, ms: number): Promise<void> {
  w.clock.advance(ms);
  await settle();
}

/** Advance in steps until `cond` holds (or fail after `maxSteps`). */
export async function advanceUntil(w: World, cond: () => boolean, stepMs = 1_000, maxSteps = 2_000): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (cond()) return;
    await advance(w, stepMs);
  }
  if (!cond()) throw new Error('condition not met');
}

/** Every call's data, in call order. */
export const sent = (w: World) => w.calls.flatMap((c) => c.data);
