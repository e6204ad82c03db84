/**
 * What every front door shares: the host name, the request's header lines, and the plain HTTP
 * answers AWS's front doors give (their bodies differ per door; each door picks its own).
 */
import type { RawRequest } from '../protocols/types';
import { safeDecode } from '../protocols/url';

/** The Host header's name part, lower-case, without the port ("[::1]:80" -> "[::1]"). */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** The request's header lines in order, names lower-cased, repeats kept (HTTP/2 pseudo-headers left out). */
export function headerLines(req: RawRequest): [string, string][] {
  const raw = req.rawHeaders;
  if (!raw) return Object.entries(req.headers);
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i].toLowerCase();
    if (k.charCodeAt(0) === 58 /* ':' */) continue;
    out.push([k, raw[i + 1]]);
  }
  return out;
}

/** The request's header lines grouped by lower-case name: { name: [value, value...] }. */
export function multiValueHeaders(req: RawRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of headerLines(req)) (out[k] ??= []).push(v);
  return out;
}

/**
 * The query string as sent, split into [name, value] pairs in order, decoded as API Gateway and ALB
 * decode them ('+' stays a plus for ALB: callers that need raw pairs pass decode=false).
 */
export function queryPairs(req: RawRequest, decode = true): [string, string][] {
  const raw = req.rawQuery ?? req.query.toString();
  if (!raw) return [];
  return raw
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      const k = eq >= 0 ? p.slice(0, eq) : p;
      const v = eq >= 0 ? p.slice(eq + 1) : '';
      return decode ? [safeDecode(k.replace(/\+/g, ' ')), safeDecode(v.replace(/\+/g, ' '))] : [k, v];
    });
}
