/**
 * Delivery policies: the topic's and the subscription's DeliveryPolicy attribute (HTTP/S only), the
 * EffectiveDeliveryPolicy AWS answers, and the retry schedule a policy stands for.
 *
 * Stored forms [rec]: a topic's policy is kept as given, members in AWS's order, with
 * `disableSubscriptionOverrides` (default false) added and null members dropped; a subscription's
 * always has its five members (`healthyRetryPolicy`, `sicklyRetryPolicy`, `throttlePolicy`,
 * `requestPolicy` null when not given, `guaranteed` false). Effective forms fill the defaults
 * (20 s, 20 s, 3 retries, linear; text/plain; charset=UTF-8).
 *
 * Retry phases [doc]: immediate retries (no delay), pre-backoff (at minDelayTarget), backoff (from
 * min to max by the backoff function), post-backoff (at maxDelayTarget); numRetries counts them all.
 * AWS-managed endpoints (SQS, Lambda): 3 immediate, 2 at 1 s, 10 backing off 1 -> 20 s, then
 * 100,000 at 20 s [doc]. AWS adds jitter; delays here are exact so tests can assert them.
 */
import { jsonProblem } from '../../protocols/jackson';
import { invalidParameter } from './errors';

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

const RETRY_KEYS = ['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries', 'backoffFunction'] as const;
const BACKOFF = ['linear', 'arithmetic', 'geometric', 'exponential'];

export const DEFAULT_HTTP_RETRY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
}; // [rec] EffectiveDeliveryPolicy of a new topic

/** SQS and Lambda endpoints [doc]. */
export const MANAGED_RETRY: RetryPolicy = {
  minDelayTarget: 1,
  maxDelayTarget: 20,
  numRetries: 100_015,
  numMaxDelayRetries: 100_000,
  numNoDelayRetries: 3,
  numMinDelayRetries: 2,
  backoffFunction: 'exponential',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "Invalid parameter: DeliveryPolicy: <text>" ([obs] wording; the checks below follow the documented limits). */
const bad = (text: string) => invalidParameter(`DeliveryPolicy: ${text}`);

function parse(text: string): Json {
  const problem = jsonProblem(Buffer.from(text, 'utf8'));
  if (problem) throw bad(`failed to parse JSON. ${problem}`);
  const v = JSON.parse(text) as unknown;
  if (!isObject(v)) throw bad('Delivery policy must be a JSON object');
  return v;
}

function onlyMembers(obj: Json, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw bad(`Unexpected JSON member: ${k}`); // [obs]
}

function integer(obj: Json, key: string, path: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`${path}.${key} must be an integer`);
  return v;
}

/** A healthy/sickly retry policy as given (members in AWS's order), validated [doc limits]. */
function retryPolicy(v: unknown, path: string): Json | null {
  if (v === null || v === undefined) return null;
  if (!isObject(v)) throw bad(`${path} must be an object`);
  onlyMembers(v, RETRY_KEYS);
  const out: Json = {};
  for (const key of ['minDelayTarget', 'maxDelayTarget', 'numRetries'] as const) {
    const n = integer(v, key, path);
    if (n === undefined) throw bad(`${path}.${key} must be specified`); // [obs]
    out[key] = n;
  }
  for (const key of ['numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries'] as const) {
    const n = integer(v, key, path);
    if (n !== undefined) {
      if (n < 0) throw bad(`${path}.${key} must be greater than or equal to 0`);
      out[key] = n;
    }
  }
  if (v.backoffFunction !== undefined && v.backoffFunction !== null) {
    if (typeof v.backoffFunction !== 'string' || !BACKOFF.includes(v.backoffFunction)) {
      throw bad(`${path}.backoffFunction must be one of: ${BACKOFF.join(', ')}`);
    }
    out.backoffFunction = v.backoffFunction;
  }
  const p = fillRetry(out);
  if (p.numRetries > 100) throw bad(`${path}.numRetries must be less than or equal to 100`); // [obs]
  if (p.numRetries < 0) throw bad(`${path}.numRetries must be greater than or equal to 0`);
  if (p.minDelayTarget < 1) throw bad(`${path}.minDelayTarget must be greater than or equal to 1`);
  if (p.maxDelayTarget > 3600) throw bad(`${path}.maxDelayTarget must be less than or equal to 3600`);
  if (p.minDelayTarget > p.maxDelayTarget) throw bad(`${path}.minDelayTarget must be less than or equal to maxDelayTarget`);
  if (p.numNoDelayRetries + p.numMinDelayRetries + p.numMaxDelayRetries > p.numRetries) {
    throw bad(`${path}.numRetries must be greater than or equal to the sum of numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries`);
  }
  let total = 0;
  for (let k = 1; k <= p.numRetries; k++) total += retryDelayMs(p, k) ?? 0;
  if (total > 3_600_000) throw bad(`${path}: the total retry time must be less than or equal to 3600 seconds`); // [doc] hard limit
  return out;
}

function throttlePolicy(v: unknown, path: string): Json | null {
  if (v === null || v === undefined) return null;
  if (!isObject(v)) throw bad(`${path} must be an object`);
  onlyMembers(v, ['maxReceivesPerSecond']);
  const n = integer(v, 'maxReceivesPerSecond', path);
  if (n === undefined) throw bad(`${path}.maxReceivesPerSecond must be specified`);
  if (n < 1) throw bad(`${path}.maxReceivesPerSecond must be greater than or equal to 1`);
  return { maxReceivesPerSecond: n };
}

function requestPolicy(v: unknown, path: string): Json | null {
  if (v === null || v === undefined) return null;
  if (!isObject(v)) throw bad(`${path} must be an object`);
  onlyMembers(v, ['headerContentType']);
  const t = v.headerContentType;
  if (t === undefined || t === null) return {};
  if (typeof t !== 'string' || !/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(t)) throw bad(`${path}.headerContentType is not a valid content type`);
  return { headerContentType: t };
}

/** A topic's DeliveryPolicy as AWS stores it (JSON text), or "" to remove it. */
export function normalizeTopicDeliveryPolicy(text: string): string {
  if (text === '') return '';
  const v = parse(text);
  onlyMembers(v, ['http']);
  const http = v.http;
  if (http === undefined || http === null) return JSON.stringify({});
  if (!isObject(http)) throw bad('http must be an object');
  onlyMembers(http, ['defaultHealthyRetryPolicy', 'defaultSicklyRetryPolicy', 'defaultThrottlePolicy', 'disableSubscriptionOverrides', 'defaultRequestPolicy']);
  const out: Json = {};
  const healthy = retryPolicy(http.defaultHealthyRetryPolicy, 'http.defaultHealthyRetryPolicy');
  if (healthy) out.defaultHealthyRetryPolicy = healthy;
  const sickly = retryPolicy(http.defaultSicklyRetryPolicy, 'http.defaultSicklyRetryPolicy');
  if (sickly) out.defaultSicklyRetryPolicy = sickly;
  const throttle = throttlePolicy(http.defaultThrottlePolicy, 'http.defaultThrottlePolicy');
  if (throttle) out.defaultThrottlePolicy = throttle;
  const disable = http.disableSubscriptionOverrides;
  if (disable !== undefined && disable !== null && typeof disable !== 'boolean') throw bad('http.disableSubscriptionOverrides must be a boolean');
  out.disableSubscriptionOverrides = disable === true;
  const request = requestPolicy(http.defaultRequestPolicy, 'http.defaultRequestPolicy');
  if (request) out.defaultRequestPolicy = request;
  return JSON.stringify({ http: out });
}

/** A subscription's DeliveryPolicy as AWS stores it [rec], or "" to remove it. */
export function normalizeSubscriptionDeliveryPolicy(text: string): string {
  if (text === '') return '';
  const v = parse(text);
  onlyMembers(v, ['healthyRetryPolicy', 'sicklyRetryPolicy', 'throttlePolicy', 'requestPolicy', 'guaranteed']);
  if (v.guaranteed !== undefined && v.guaranteed !== null && typeof v.guaranteed !== 'boolean') throw bad('guaranteed must be a boolean');
  return JSON.stringify({
    healthyRetryPolicy: retryPolicy(v.healthyRetryPolicy, 'healthyRetryPolicy'),
    sicklyRetryPolicy: retryPolicy(v.sicklyRetryPolicy, 'sicklyRetryPolicy'),
    throttlePolicy: throttlePolicy(v.throttlePolicy, 'throttlePolicy'),
    requestPolicy: requestPolicy(v.requestPolicy, 'requestPolicy'),
    guaranteed: v.guaranteed === true,
  });
}

/** A stored retry policy with the defaults of its optional members. */
function fillRetry(v: Json | undefined | null): RetryPolicy {
  if (!v) return { ...DEFAULT_HTTP_RETRY };
  return {
    minDelayTarget: (v.minDelayTarget as number) ?? DEFAULT_HTTP_RETRY.minDelayTarget,
    maxDelayTarget: (v.maxDelayTarget as number) ?? DEFAULT_HTTP_RETRY.maxDelayTarget,
    numRetries: (v.numRetries as number) ?? DEFAULT_HTTP_RETRY.numRetries,
    numMaxDelayRetries: (v.numMaxDelayRetries as number) ?? 0,
    numNoDelayRetries: (v.numNoDelayRetries as number) ?? 0,
    numMinDelayRetries: (v.numMinDelayRetries as number) ?? 0,
    backoffFunction: ((v.backoffFunction as RetryPolicy['backoffFunction']) ?? 'linear'),
  };
}

const parsed = (text: string | undefined): Json | undefined => {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
};

/** The topic's EffectiveDeliveryPolicy [rec]. */
export function effectiveTopicDeliveryPolicy(stored: string | undefined): string {
  const http = (parsed(stored)?.http as Json | undefined) ?? {};
  const out: Json = { defaultHealthyRetryPolicy: fillRetry(http.defaultHealthyRetryPolicy as Json | undefined) };
  if (http.defaultSicklyRetryPolicy) out.defaultSicklyRetryPolicy = fillRetry(http.defaultSicklyRetryPolicy as Json);
  if (http.defaultThrottlePolicy) out.defaultThrottlePolicy = http.defaultThrottlePolicy;
  out.disableSubscriptionOverrides = http.disableSubscriptionOverrides === true;
  out.defaultRequestPolicy = { headerContentType: DEFAULT_CONTENT_TYPE, ...((http.defaultRequestPolicy as Json | undefined) ?? {}) };
  return JSON.stringify({ http: out });
}

export interface HttpDelivery {
  retry: RetryPolicy;
  contentType: string;
}

/** What an HTTP/S subscription's deliveries follow: the subscription's policy over the topic's [rec]. */
export function httpDelivery(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): HttpDelivery {
  const http = (parsed(topicPolicy)?.http as Json | undefined) ?? {};
  const sub = http.disableSubscriptionOverrides === true ? {} : (parsed(subscriptionPolicy) ?? {});
  const retry = fillRetry((sub.healthyRetryPolicy as Json | null | undefined) ?? (http.defaultHealthyRetryPolicy as Json | undefined));
  const request = (sub.requestPolicy as Json | null | undefined) ?? (http.defaultRequestPolicy as Json | undefined);
  const contentType = typeof request?.headerContentType === 'string' ? request.headerContentType : DEFAULT_CONTENT_TYPE;
  return { retry, contentType };
}

/** An HTTP/S subscription's EffectiveDeliveryPolicy [rec]. */
export function effectiveSubscriptionDeliveryPolicy(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): string {
  const http = (parsed(topicPolicy)?.http as Json | undefined) ?? {};
  const sub = http.disableSubscriptionOverrides === true ? {} : (parsed(subscriptionPolicy) ?? {});
  const { retry, contentType } = httpDelivery(topicPolicy, subscriptionPolicy);
  const sickly = (sub.sicklyRetryPolicy as Json | null | undefined) ?? (http.defaultSicklyRetryPolicy as Json | undefined);
  return JSON.stringify({
    healthyRetryPolicy: retry,
    sicklyRetryPolicy: sickly ? fillRetry(sickly) : null,
    throttlePolicy: (sub.throttlePolicy as Json | null | undefined) ?? (http.defaultThrottlePolicy as Json | undefined) ?? null,
    requestPolicy: { headerContentType: contentType },
    guaranteed: sub.guaranteed === true,
  });
}

/**
 * The delay before retry number `k` (1 = the first retry) in ms, or undefined when the policy has
 * no retry `k`. Backoff: the delay goes from minDelayTarget (first backoff retry) to
 * maxDelayTarget (last) along the backoff function.
 */
export function retryDelayMs(p: RetryPolicy, k: number): number | undefined {
  if (k < 1 || k > p.numRetries) return undefined;
  const noDelay = p.numNoDelayRetries;
  const minDelay = p.numMinDelayRetries;
  const maxDelay = p.numMaxDelayRetries;
  const backoff = Math.max(0, p.numRetries - noDelay - minDelay - maxDelay);
  if (k <= noDelay) return 0;
  if (k <= noDelay + minDelay) return p.minDelayTarget * 1000;
  if (k <= noDelay + minDelay + backoff) {
    const j = k - noDelay - minDelay; // 1..backoff
    const t = backoff <= 1 ? 0 : (j - 1) / (backoff - 1);
    const min = p.minDelayTarget;
    const max = p.maxDelayTarget;
    let s: number;
    switch (p.backoffFunction) {
      case 'arithmetic':
        s = min + (max - min) * t * t;
        break;
      case 'geometric':
        s = min + (max - min) * t * t * t;
        break;
      case 'exponential':
        s = min * Math.pow(max / min, t);
        break;
      default:
        s = min + (max - min) * t;
    }
    return Math.round(s * 1000);
  }
  return p.maxDelayTarget * 1000;
}
