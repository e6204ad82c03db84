/**
 * What a scenario suite uses: the target started by globalSetup (or `testbed run`), SDK clients
 * pointed at it, a memoized deploy, invocation introspection where the target offers it, and
 * capability-gated tests that are skipped with the reason printed, never silently passed.
 *
 *   const tb = getTestbed();
 *   const stack = await tb.deploy({ name: 'sync', functions: { echo: { code: 'echo' } } });
 *   const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: stack.functions.echo.name }));
 *   expect(decode(out.Payload)).toEqual(...);
 */
import { makeClients, type Clients } from '../../src/testbed/clients';
import { deployStack, type DeployedStack, type StackSpec } from '../../src/testbed/deploy';
import type { Capability, TargetCapabilities, TargetKind } from '../../src/testbed/targets';
import { importTarget } from '../../src/testbed/target-env';

/** One record of GET /_testbed/invocations. */
export interface InvocationRecord {
  requestId: string;
  functionName: string;
  qualifier: string;
  executedVersion: string;
  trigger: string;
  coldStart: boolean;
  environmentId: string;
  start: string | number;
  end: string | number | null;
  outcome: string;
  [extra: string]: unknown;
}

export type InvocationFilter =
  | Partial<Pick<InvocationRecord, 'requestId' | 'functionName' | 'qualifier' | 'executedVersion' | 'trigger' | 'outcome' | 'coldStart'>>
  | ((record: InvocationRecord) => boolean);

export type TestFn = (name: string, fn?: jest.ProvidesCallback, timeout?: number) => void;

export interface Testbed {
  target: { kind: TargetKind; endpoint: string; region: string; capabilities: TargetCapabilities };
  clients: Clients;
  /** Applies a stack once per worker (memoized by stack name) and returns what was deployed. */
  deploy(spec: StackSpec): Promise<DeployedStack>;
  /** Invocation records from the target's introspection endpoint (capability "invocations"). */
  invocations(filter?: InvocationFilter): Promise<InvocationRecord[]>;
  /** POST /_testbed/reset (capability "reset"). */
  reset(): Promise<void>;
  /**
   * Let `ms` of the target's time pass: on a target with the clock capability, POST
   * /_testbed/clock/advance (everything scheduled in that span runs at its own virtual time, and the
   * call returns when the target's clock has reached now + ms, in compressed time at once); on any
   * other target, wait `ms` of real time.
   */
  advance(ms: number): Promise<void>;
  /** The target's current time in epoch ms: GET /_testbed/clock where there is one, else Date.now(). */
  now(): Promise<number>;
  has(capability: Capability): boolean;
  /** Why a capability is missing ("target localstack has no invocations capability"), or undefined. */
  skipReason(capability: Capability): string | undefined;
  /** `it` when the target has the capability; otherwise a skipped test whose title carries the reason. */
  itIf(capability: Capability): TestFn;
  /** `describe` when the target has the capability; otherwise a skipped block whose title carries the reason. */
  describeIf(capability: Capability): (name: string, fn: () => void) => void;
}

let instance: Testbed | undefined;

export function getTestbed(): Testbed {
  if (!instance) instance = createTestbed();
  return instance;
}

function createTestbed(): Testbed {
  const info = importTarget();
  if (!info) {
    throw new Error(
      'No testbed target: TESTBED_ENDPOINT/TESTBED_TARGET_KIND are unset. Run scenarios through ' +
        '`npm test`, `npm run test:scenarios` or `npx testbed run` (the scenarios project\'s globalSetup starts the target).',
    );
  }
  const clients = makeClients(info);
  const stacks = new Map<string, Promise<DeployedStack>>();
  const target = { kind: info.kind, endpoint: info.endpoint, region: info.region, capabilities: info.capabilities };

  const skipReason = (capability: Capability): string | undefined =>
    info.capabilities[capability] ? undefined : `target ${info.kind} has no ${capability} capability`;

  const requireCapability = (capability: Capability, what: string): void => {
    if (!info.capabilities[capability]) {
      throw new Error(`${what} is not supported on ${info.kind} (${info.endpoint}): it needs the ${capability} capability`);
    }
  };

  return {
    target,
    clients,
    deploy(spec) {
      let p = stacks.get(spec.name);
      if (!p) {
        p = deployStack(clients, spec);
        stacks.set(spec.name, p);
        p.catch(() => stacks.delete(spec.name)); // a failed deploy may be retried
      }
      return p;
    },
    async invocations(filter) {
      requireCapability('invocations', 'invocations()');
      const res = await fetch(new URL('/_testbed/invocations', info.endpoint));
      if (!res.ok) throw new Error(`GET /_testbed/invocations: HTTP ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { invocations?: InvocationRecord[] };
      return (body.invocations ?? []).filter(toPredicate(filter));
    },
    async reset() {
      requireCapability('reset', 'reset()');
      const res = await fetch(new URL('/_testbed/reset', info.endpoint), { method: 'POST' });
      if (!res.ok) throw new Error(`POST /_testbed/reset: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    },
    async advance(ms) {
      if (!info.capabilities.clock) {
        await new Promise((r) => setTimeout(r, ms));
        return;
      }
      const res = await fetch(new URL('/_testbed/clock/advance', info.endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms }),
      });
      if (!res.ok) throw new Error(`POST /_testbed/clock/advance: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    },
    async now() {
      if (!info.capabilities.clock) return Date.now();
      const res = await fetch(new URL('/_testbed/clock', info.endpoint));
      if (!res.ok) throw new Error(`GET /_testbed/clock: HTTP ${res.status} ${await res.text()}`);
      return ((await res.json()) as { nowMs: number }).nowMs;
    },
    has: (capability) => info.capabilities[capability],
    skipReason,
    itIf(capability) {
      const reason = skipReason(capability);
      if (!reason) return (name, fn, timeout) => it(name, fn, timeout);
      return (name, fn, timeout) => {
        announceSkip(name, reason);
        it.skip(skippedTitle(name, reason), fn ?? (() => undefined), timeout);
      };
    },
    describeIf(capability) {
      const reason = skipReason(capability);
      if (!reason) return (name, fn) => describe(name, fn);
      return (name, fn) => {
        announceSkip(name, reason);
        describe.skip(skippedTitle(name, reason), fn);
      };
    },
  };
}

/** The title of a test skipped for a missing capability; `testbed run` lists these with their reason. */
export function skippedTitle(name: string, reason: string): string {
  return `${name} [skipped: ${reason}]`;
}

function announceSkip(name: string, reason: string): void {
  // Written straight to stderr (not console.*) so it shows once, unbuffered and without a stack trace.
  process.stderr.write(`testbed: skipping "${name}": ${reason}\n`);
}

function toPredicate(filter: InvocationFilter | undefined): (r: InvocationRecord) => boolean {
  if (!filter) return () => true;
  if (typeof filter === 'function') return filter;
  const entries = Object.entries(filter).filter(([, v]) => v !== undefined);
  return (r) => entries.every(([k, v]) => r[k] === v);
}

/** A Lambda payload (Invoke's Payload) as JSON; undefined for an empty payload. */
export function decode(payload: Uint8Array | undefined): any {
  if (!payload || payload.length === 0) return undefined;
  const text = Buffer.from(payload).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`Payload is not JSON: ${text.slice(0, 200)}`);
  }
}

/** The text of X-Amz-Log-Result (Invoke's LogResult, base64); '' when absent. */
export function logTail(b64: string | undefined): string {
  return b64 ? Buffer.from(b64, 'base64').toString('utf8') : '';
}

/** An Invoke Payload: the value as JSON bytes. */
export function payload(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

/** A resource name unique to this run, so suites can rerun against a long-lived target. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
}

/**
 * Poll `read` until `accept` holds (CloudWatch Logs and other eventually consistent reads), backing
 * off from 20 ms to 500 ms; fails with the last value read once `timeoutMs` has passed.
 */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let wait = 20;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 500);
  }
}

/** The error a call rejects with; fails the test when the call succeeds. */
export async function rejection(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}
