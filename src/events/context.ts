/**
 * The deterministic parts of a template: its clock and its ids. Every id-like value in an event
 * (request ids, receipt handles, signatures, sequence numbers) is derived from the id source, so a
 * fixed `now` and `sequentialIds()` give the same event byte for byte.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IdSource, TemplateContext } from './types';

export const DEFAULT_REGION = 'us-east-1';
/** The account AWS's documentation uses in its examples. */
export const DEFAULT_ACCOUNT = '123456789012';

/** Deterministic UUID v4-shaped ids: the same seed gives the same sequence. */
export function sequentialIds(seed: string | number = 1): IdSource {
  let n = 0;
  return () => {
    n += 1;
    const h = createHash('sha256').update(`${seed}:${n}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

export interface Resolved {
  /** Epoch ms. */
  now: number;
  region: string;
  accountId: string;
  /** A UUID (from the context's id source). */
  uuid(): string;
  /** `n` lower-case hex characters derived from the next id. */
  hex(n: number): string;
  /** `n` characters of URL-unsafe base64 derived from the next id (no padding). */
  b64(n: number): string;
  /** `n` lower-case letters and digits derived from the next id. */
  alnum(n: number): string;
  /** `n` decimal digits derived from the next id. */
  digits(n: number): string;
}

function bytesFrom(id: string, n: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let i = 0; total < n; i++) {
    const b = createHash('sha256').update(`${id}/${i}`).digest();
    out.push(b);
    total += b.length;
  }
  return Buffer.concat(out).subarray(0, n);
}

export function resolve(ctx: TemplateContext = {}): Resolved {
  const ids = ctx.ids ?? randomUUID;
  const now = ctx.now === undefined ? Date.now() : ctx.now instanceof Date ? ctx.now.getTime() : ctx.now;
  const next = (n: number) => bytesFrom(ids(), n);
  return {
    now,
    region: ctx.region ?? DEFAULT_REGION,
    accountId: ctx.accountId ?? DEFAULT_ACCOUNT,
    uuid: ids,
    hex: (n) => next(Math.ceil(n / 2)).toString('hex').slice(0, n),
    b64: (n) => next(Math.ceil((n * 3) / 4) + 3).toString('base64').replace(/=+$/, '').slice(0, n),
    alnum: (n) => [...next(n)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join(''),
    digits: (n) => [...next(n)].map((b) => String(b % 10)).join(''),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's request time: "09/Apr/2015:12:34:56 +0000". */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (v: number) => String(v).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** ISO 8601 with milliseconds: "2019-01-02T12:45:07.000Z". */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO 8601 to the second, as EventBridge writes `time`: "2019-11-14T18:16:05Z". */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT". */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** An X-Ray trace header root: "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c". */
export function traceRoot(r: Resolved): string {
  return `Root=1-${Math.floor(r.now / 1000).toString(16).padStart(8, '0')}-${r.hex(24)}`;
}
