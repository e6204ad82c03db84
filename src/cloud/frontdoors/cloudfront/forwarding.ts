/**
 * The request CloudFront sends to the origin (and shows origin-request functions), from the
 * viewer's request and the cache behavior's forwarding settings: the legacy ForwardedValues
 * (Headers whitelist or `*`, Cookies, QueryString), or the managed cache and origin request
 * policies [doc: "HTTP request headers and CloudFront behavior (custom and Amazon S3 origins)"]:
 *   - headers not chosen for forwarding: Host becomes the origin's domain name, User-Agent
 *     `Amazon CloudFront`, Accept-Encoding is normalized to gzip/br, and Accept, Accept-Charset,
 *     Accept-Language, Referer, TE, X-HTTP-Method-Override, Cookie (unless cookies are forwarded)
 *     and Authorization (GET/HEAD) are removed; every other header is forwarded
 *   - X-Forwarded-For gets the viewer's address appended; Via gets CloudFront's hop
 *   - the query string only when forwarded
 */
import type { CacheBehavior, DefaultCacheBehavior } from '@aws-sdk/client-cloudfront';
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES, type ForwardRule } from '../../services/cloudfront/policies';
import { setHeader, valuesOf, type CfHeaders } from './headers';

interface Forwarding {
  headers: 'all' | 'allExceptHost' | Set<string>;
  /** true = all, false = none, a set = those cookie names. */
  cookies: boolean | Set<string>;
  queryStrings: boolean;
}

const REMOVED_UNLESS_FORWARDED = new Set(['accept', 'accept-charset', 'accept-language', 'referer', 'te', 'x-http-method-override']);

export function forwardingOf(b: DefaultCacheBehavior | CacheBehavior): Forwarding {
  const fv = b.ForwardedValues;
  if (fv) {
    const names = (fv.Headers?.Items ?? []).map((h) => h.toLowerCase());
    const cookies = fv.Cookies?.Forward === 'all' ? true : fv.Cookies?.Forward === 'whitelist' ? new Set(fv.Cookies.WhitelistedNames?.Items ?? []) : false;
    return { headers: names.includes('*') ? 'all' : new Set(names), cookies, queryStrings: fv.QueryString === true };
  }
  const rules: ForwardRule[] = [];
  if (b.CachePolicyId && MANAGED_CACHE_POLICIES[b.CachePolicyId]) rules.push(MANAGED_CACHE_POLICIES[b.CachePolicyId].forward);
  if (b.OriginRequestPolicyId && MANAGED_ORIGIN_REQUEST_POLICIES[b.OriginRequestPolicyId]) rules.push(MANAGED_ORIGIN_REQUEST_POLICIES[b.OriginRequestPolicyId].forward);
  const all = rules.find((r) => r.headers === 'all') ? 'all' : rules.find((r) => r.headers === 'allExceptHost') ? 'allExceptHost' : undefined;
  const listed = new Set(rules.flatMap((r) => (Array.isArray(r.headers) ? r.headers : [])));
  return { headers: all ?? listed, cookies: rules.some((r) => r.cookies), queryStrings: rules.some((r) => r.queryStrings) };
}

export interface OriginRequestParts {
  headers: CfHeaders;
  querystring: string;
}

/**
 * The origin request's headers and query string. `originHost` is the origin's domain name;
 * `via` CloudFront's hop (`2.0 <id>.cloudfront.net (CloudFront)`).
 */
export function originRequestParts(
  viewer: { headers: CfHeaders; querystring: string; method: string; clientIp: string },
  b: DefaultCacheBehavior | CacheBehavior,
  originHost: string,
  via: string,
): OriginRequestParts {
  const f = forwardingOf(b);
  const forwarded = (name: string) => f.headers === 'all' || (f.headers === 'allExceptHost' ? name !== 'host' : f.headers.has(name));
  const out: CfHeaders = {};
  for (const [name, entries] of Object.entries(viewer.headers)) {
    if (name === 'x-forwarded-for' || name === 'via') continue; // rebuilt below
    if (name === 'cookie') {
      const cookie = cookiesForwarded(entries.map((e) => e.value), f.cookies);
      if (cookie !== undefined) out.cookie = [{ key: entries[0].key ?? 'Cookie', value: cookie }];
      continue;
    }
    if (forwarded(name)) {
      out[name] = entries.map((e) => ({ ...e }));
      continue;
    }
    if (REMOVED_UNLESS_FORWARDED.has(name)) continue;
    if (name === 'authorization' && (viewer.method === 'GET' || viewer.method === 'HEAD')) continue;
    if (name === 'host' || name === 'user-agent') continue; // replaced below
    if (name === 'accept-encoding') {
      const normalized = normalizeEncoding(entries.map((e) => e.value).join(','));
      if (normalized) out[name] = [{ key: entries[0].key ?? 'Accept-Encoding', value: normalized }];
      continue;
    }
    out[name] = entries.map((e) => ({ ...e }));
  }
  if (!out.host) setHeader(out, 'host', originHost);
  if (!out['user-agent']) setHeader(out, 'user-agent', 'Amazon CloudFront');
  const xff = valuesOf(viewer.headers, 'x-forwarded-for');
  setHeader(out, 'x-forwarded-for', [...xff, viewer.clientIp].join(', '));
  const viewerVia = valuesOf(viewer.headers, 'via');
  setHeader(out, 'via', [...viewerVia, via].join(', '));
  return { headers: out, querystring: f.queryStrings ? viewer.querystring : '' };
}

function cookiesForwarded(values: string[], rule: boolean | Set<string>): string | undefined {
  if (rule === false) return undefined;
  const pairs = values.flatMap((v) => v.split(';')).map((p) => p.trim()).filter((p) => p.length > 0);
  const kept = rule === true ? pairs : pairs.filter((p) => rule.has(p.slice(0, p.indexOf('=') < 0 ? p.length : p.indexOf('='))));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

/** [doc] CloudFront forwards a normalized Accept-Encoding when the viewer's accepts gzip or br. */
function normalizeEncoding(value: string): string | undefined {
  const tokens = value.split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  const out = ['br', 'gzip'].filter((t) => tokens.includes(t));
  return out.length > 0 ? out.join(',') : undefined;
}
