/**
 * Throughput slices for the bench: CALLERS callers repeat an operation for a slice of time while the
 * CPU of the server process (from /proc) and of this process is read; slices of several servers are
 * taken in rotation (A B C, C B A, ...) so that the machine's noise hits every server alike.
 */
import os from 'node:os';
import { cpuMs } from './common';

export const CALLERS = 16;
/** One slice of a throughput figure; each figure is ROUNDS slices per server. */
export const SLICE_MS = Number(process.env.BENCH_SQS_SLICE_MS ?? 500);
export const ROUNDS = 6;
export const WARM_MS = 300;
export const THROUGHPUT_GOAL = 1.5;

export interface Sample {
  count: number;
  errors: number;
  elapsedMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
  /** A receive found the queue empty: the figure is a lower bound. */
  dry: boolean;
  firstError?: unknown;
}

export function addSample(a: Sample | undefined, b: Sample): Sample {
  if (!a) return b;
  return {
    count: a.count + b.count,
    errors: a.errors + b.errors,
    elapsedMs: a.elapsedMs + b.elapsedMs,
    serverCpuMs: a.serverCpuMs + b.serverCpuMs,
    clientCpuMs: a.clientCpuMs + b.clientCpuMs,
    dry: a.dry || b.dry,
    firstError: a.firstError ?? b.firstError,
  };
}

export const DRY = -1;

/** `callers` callers running `op` (which returns how many messages or bytes it handled, or DRY) for durationMs. */
export async function slice(pid: number, durationMs: number, op: () => Promise<number>, callers = CALLERS): Promise<Sample> {
  let count = 0;
  let errors = 0;
  let dry = false;
  let firstError: unknown;
  const server0 = cpuMs(pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + durationMs;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        try {
          const n = await op();
          if (n === DRY) {
            dry = true;
            return;
          }
          count += n;
        } catch (e) {
          firstError ??= e;
          if (++errors > 100) return;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  const c = process.cpuUsage(client0);
  return { count, errors, elapsedMs, serverCpuMs: cpuMs(pid) - server0, clientCpuMs: (c.user + c.system) / 1000, dry, firstError };
}

/** A runner: before each slice (untimed) it prepares the operation the callers repeat. */
export interface Runner {
  label: string;
  pid: number;
  prepare(): Promise<() => Promise<number>>;
}

/** ROUNDS slices per runner in rotation (A B C, C B A, ...), after an untimed warm-up slice each. */
export async function rotate(runners: Runner[], o: { callers?: number; sliceMs?: number } = {}): Promise<Map<string, Sample>> {
  const callers = o.callers ?? CALLERS;
  const sliceMs = o.sliceMs ?? SLICE_MS;
  for (const r of runners) await slice(r.pid, WARM_MS, await r.prepare(), callers);
  const out = new Map<string, Sample>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? runners : [...runners].reverse();
    for (const r of order) {
      const op = await r.prepare();
      out.set(r.label, addSample(out.get(r.label), await slice(r.pid, sliceMs, op, callers)));
    }
  }
  return out;
}

export const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
export const rate = (s: Sample) => s.count / (s.elapsedMs / 1000);
export const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 200);
  return String(e);
}

export function describe(s: Sample | undefined, unit: string): string {
  if (!s) return 'n/a';
  const perMsg = s.count ? ` = ${((s.serverCpuMs * 1000) / s.count).toFixed(0)} us/${unit.split('/')[0]}` : '';
  let t = `${rate(s).toFixed(0)} ${unit} [server cpu ${((s.serverCpuMs / s.elapsedMs) * 100).toFixed(0)}%${perMsg}, bench cpu ${((s.clientCpuMs / s.elapsedMs) * 100).toFixed(0)}%]`;
  if (s.clientCpuMs / s.elapsedMs >= 0.85) t += ' (client-bound)';
  if (s.dry) t += ' (queue ran dry: a lower bound)';
  if (s.errors) t += ` (${s.errors} errors, first: ${errorText(s.firstError)})`;
  return t;
}

export function ratioText(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || !theirs) return 'n/a';
  return `${(ours / theirs).toFixed(2)}x`;
}

/** ours/fauxqs throughput, and fauxqs/ours server CPU per message (how much more the server could take if the load were not the limit). */
export function compare(m: Map<string, Sample>): string {
  const o = m.get('ours');
  const f = m.get('fauxqs')!;
  if (!o) return 'ours/fauxqs n/a';
  const cost = (s: Sample) => s.serverCpuMs / Math.max(1, s.count);
  return `ours/fauxqs ${ratioText(rate(o), rate(f))} (server cpu per message: fauxqs/ours ${ratioText(cost(f), cost(o))})`;
}

/** The throughput goal (ours >= 1.5x fauxqs), and whether this load could show it at all. */
export function throughputGoal(m: Map<string, Sample>): string {
  const o = m.get('ours');
  const f = m.get('fauxqs')!;
  const stub = m.get('stub');
  let t = `goal >= ${THROUGHPUT_GOAL}x: ${goalText(o ? rate(o) / rate(f) >= THROUGHPUT_GOAL : undefined)}`;
  const ceiling = stub ? rate(stub) / rate(f) : Infinity;
  if (ceiling < THROUGHPUT_GOAL) t += ` (even the stub server reaches only ${ceiling.toFixed(2)}x fauxqs here: this load cannot show ${THROUGHPUT_GOAL}x)`;
  return t;
}

export function goalText(met: boolean | undefined): string {
  return met === undefined ? 'not measured' : met ? 'met' : 'NOT met';
}
