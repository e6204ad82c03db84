/**
 * control: behaviour driven entirely by the event, for exercising every way an invocation can go.
 *
 * The event may come wrapped by the service that delivered it: an SNS record's Message, an SQS
 * record's body or an EventBridge event's detail holding a control event (with `action`) drives it.
 *
 * Steps, each optional, in this order:
 *   1. probe      record a probe (unless `noProbe`)
 *   2. log        console.log each string
 *   3. logBytes   log that many characters in console.log lines of up to 1024 characters
 *   4. sleepMs    wait on a timer
 *   5. action     see ControlAction (default "return")
 *
 * The handler has the 3-argument signature. It returns a Promise (or throws synchronously for
 * "throw" without sleepMs) for every action except "callback-error", where it returns undefined and
 * reports through the callback, as the Node.js runtimes (nodejs18.x-22.x) allow.
 */
import type { Callback, Context } from 'aws-lambda';
import { beginInvocation, type InvocationInfo } from '../_shared/instance';
import { recordProbe } from '../_shared/probe';

export type ControlAction =
  | 'return' // resolve with event.value (default {ok:true})
  | 'throw' // throw new Error(message ?? 'boom'), name = errorName when given
  | 'reject' // return Promise.reject(that error)
  | 'callback-error' // callback(that error)
  | 'exit' // process.exit(code ?? 1)
  | 'oom' // allocate and retain heap memory until the process dies
  | 'large' // resolve with a string of `bytes` characters
  | 'hang' // never resolve (for timeouts)
  | 'state' // increment a module-level counter, resolve with { count, instanceId, coldStart }
  | 'throw-non-error' // throw the plain string message ?? 'boom'
  | 'whoami'; // call STS GetCallerIdentity with the runtime's AWS SDK v3 (AWS_ENDPOINT_URL, credentials from the environment)

export interface ControlEvent {
  action?: ControlAction;
  value?: unknown;
  message?: string;
  errorName?: string;
  code?: number;
  bytes?: number;
  log?: string[];
  logBytes?: number;
  sleepMs?: number;
  noProbe?: boolean;
  probeTag?: string;
  [key: string]: unknown;
}

export interface ControlStateResult {
  count: number;
  instanceId: string;
  coldStart: boolean;
}

const LOG_LINE_CHARS = 1024;
let stateCount = 0;
/** Memory retained by the "oom" action; module-level so nothing can collect it. */
const retained: number[][] = [];

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parsed(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The control event: the event itself, or, when a service wrapped it, the control event inside:
 * an SNS record's Message, an SQS record's body, an EventBridge event's detail (JSON with `action`).
 */
function asControlEvent(event: unknown): ControlEvent {
  if (!isObject(event)) return {};
  const record = Array.isArray(event.Records) && isObject(event.Records[0]) ? (event.Records[0] as Record<string, unknown>) : undefined;
  const inner = record
    ? isObject(record.Sns)
      ? parsed(record.Sns.Message)
      : parsed(record.body)
    : event.source !== undefined && isObject(event.detail) && 'action' in event.detail
      ? event.detail
      : undefined;
  if (isObject(inner) && typeof inner.action === 'string') return inner as ControlEvent;
  return event as ControlEvent;
}

function makeError(ev: ControlEvent): Error {
  const error = new Error(ev.message ?? 'boom');
  if (typeof ev.errorName === 'string') error.name = ev.errorName;
  return error;
}

function logBytes(total: number): void {
  for (let left = Math.floor(total); left > 0; left -= LOG_LINE_CHARS) {
    console.log('x'.repeat(Math.min(LOG_LINE_CHARS, left)));
  }
}

function exhaustMemory(): never {
  for (;;) {
    const chunk = new Array<number>(1 << 20); // 8 MB of doubles on the JS heap
    for (let i = 0; i < chunk.length; i++) chunk[i] = i + 0.5;
    retained.push(chunk);
  }
}

/** STS GetCallerIdentity through the runtime's SDK (external in the bundle; loaded only when asked). */
async function whoami(): Promise<{ Account?: string; Arn?: string; UserId?: string }> {
  // require, not import(): CommonJS resolution finds the runtime's SDK through NODE_PATH, as on AWS.
  const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
  const { Account, Arn, UserId } = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  return { Account, Arn, UserId };
}

function act(ev: ControlEvent, info: InvocationInfo): unknown {
  switch (ev.action ?? 'return') {
    case 'return':
      return 'value' in ev ? ev.value : { ok: true };
    case 'throw':
      throw makeError(ev);
    case 'reject':
      return Promise.reject(makeError(ev));
    case 'exit':
      return process.exit(ev.code ?? 1);
    case 'oom':
      return exhaustMemory();
    case 'large':
      return 'x'.repeat(Math.max(0, Math.floor(ev.bytes ?? 0)));
    case 'hang':
      // A pending timer keeps the event loop alive, so the process waits for the timeout rather
      // than draining its event loop.
      return new Promise<never>(() => {
        setInterval(() => undefined, 60_000);
      });
    case 'state':
      stateCount += 1;
      return { count: stateCount, instanceId: info.instanceId, coldStart: info.coldStart } satisfies ControlStateResult;
    case 'whoami':
      return whoami();
    case 'throw-non-error':
      // eslint-disable-next-line no-throw-literal
      throw ev.message ?? 'boom';
    default:
      throw new Error(`control: unknown action ${JSON.stringify(ev.action)}`);
  }
}

export const handler = (event: unknown, context: Context, callback: Callback<unknown>): Promise<unknown> | void => {
  const ev = asControlEvent(event);
  const info = beginInvocation();
  if (!ev.noProbe) recordProbe(event, context, info);
  if (Array.isArray(ev.log)) for (const line of ev.log) console.log(line);
  if (typeof ev.logBytes === 'number') logBytes(ev.logBytes);
  const sleepMs = typeof ev.sleepMs === 'number' && ev.sleepMs > 0 ? ev.sleepMs : 0;

  if (ev.action === 'callback-error') {
    const fire = () => callback(makeError(ev));
    if (sleepMs > 0) setTimeout(fire, sleepMs);
    else fire();
    return;
  }
  if (sleepMs > 0) {
    return new Promise<void>((resolve) => setTimeout(resolve, sleepMs)).then(() => act(ev, info));
  }
  // act() runs before Promise.resolve, so "throw" throws synchronously from the handler.
  return Promise.resolve(act(ev, info));
};
