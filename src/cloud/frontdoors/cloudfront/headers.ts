/**
 * Headers as Lambda@Edge sees them: `{ 'lower-case-name': [{ key: 'Original-Case', value }] }`,
 * one entry per header line [doc: "Lambda@Edge event structure"]; and the headers CloudFront keeps
 * from functions [doc: "Restrictions on edge functions", HTTP headers]: disallowed ones are never
 * exposed and may not be added; read-only ones (per event type) may not be added, removed or changed.
 */
import type { EdgeEventType } from '../../services/cloudfront/types';

export interface CfHeader {
  key?: string;
  value: string;
}
export type CfHeaders = Record<string, CfHeader[]>;

/** [doc] Disallowed headers (exact names). */
const DISALLOWED = new Set([
  'connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'trailer', 'upgrade',
  'x-accel-buffering', 'x-accel-charset', 'x-accel-limit-rate', 'x-accel-redirect', 'x-amzn-auth', 'x-amzn-cf-billing',
  'x-amzn-cf-id', 'x-amzn-cf-xff', 'x-amzn-errortype', 'x-amzn-fle-profile', 'x-amzn-header-count', 'x-amzn-header-order',
  'x-amzn-lambda-integration-tag', 'x-amzn-requestid', 'x-cache', 'x-forwarded-proto', 'x-real-ip',
]);

/** [doc] Disallowed headers: also every `X-Amz-Cf-*` and `X-Edge-*`. */
export function isDisallowed(name: string): boolean {
  return DISALLOWED.has(name) || name.startsWith('x-amz-cf-') || name.startsWith('x-edge-');
}

/** [doc] Read-only headers per event type. */
export const READ_ONLY: Record<EdgeEventType, ReadonlySet<string>> = {
  'viewer-request': new Set(['content-length', 'host', 'transfer-encoding', 'via']),
  'origin-request': new Set([
    'accept-encoding', 'content-length', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'transfer-encoding', 'via',
  ]),
  'origin-response': new Set(['transfer-encoding', 'via']),
  'viewer-response': new Set(['warning', 'via']),
};

/** [doc] Headers a viewer-request function may not add: CloudFront adds them after that event. */
export const VIEWER_REQUEST_FORBIDDEN_ADDS = new Set(['cloudfront-viewer-country']);

/** `x-custom-header` -> `X-Custom-Header`: the key Lambda@Edge inserts when a function gives none [doc]. */
export function canonicalKey(name: string): string {
  return name
    .split('-')
    .map((part) => (part ? part.charAt(0).toUpperCase() + part.slice(1).toLowerCase() : part))
    .join('-');
}

/** Header lines (original casing) to the event's form, leaving out what `keep` refuses. */
export function cfHeadersFromLines(lines: [string, string][], keep: (name: string) => boolean = (n) => !isDisallowed(n)): CfHeaders {
  const out: CfHeaders = {};
  for (const [key, value] of lines) {
    const name = key.toLowerCase();
    if (!keep(name)) continue;
    (out[name] ??= []).push({ key, value });
  }
  return out;
}

/** The event's form back to header lines, one casing per name (the first entry's key, or the canonical one). */
export function linesFromCf(headers: CfHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, entries] of Object.entries(headers)) {
    const key = entries.find((e) => e.key)?.key ?? canonicalKey(name);
    for (const e of entries) out.push([key, e.value]);
  }
  return out;
}

/** The values of one header, in order. */
export function valuesOf(headers: CfHeaders, name: string): string[] {
  return (headers[name] ?? []).map((e) => e.value);
}

/** Set a header to one value (keeping the existing key's casing when there is one). */
export function setHeader(headers: CfHeaders, name: string, value: string, key = canonicalKey(name)): void {
  headers[name] = [{ key: headers[name]?.[0]?.key ?? key, value }];
}

/** A request's header lines with their original casing (HTTP/2 pseudo-headers left out). */
export function rawLines(rawHeaders: string[] | undefined, fallback: Record<string, string>): [string, string][] {
  if (!rawHeaders) return Object.entries(fallback);
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].charCodeAt(0) === 58 /* ':' */) continue;
    out.push([rawHeaders[i], rawHeaders[i + 1]]);
  }
  return out;
}
