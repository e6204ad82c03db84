/**
 * Which cache behavior serves a request: the ordered CacheBehaviors in order, the first whose
 * PathPattern matches the request path, else the default one [doc: "Path pattern"]. A pattern is
 * case-sensitive; `*` matches zero or more characters, `?` exactly one; a leading `/` is optional
 * (CloudFront behaves the same with or without it); the query string is not part of the match.
 */
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';

const compiled = new Map<string, RegExp>();

function patternRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const p = pattern.startsWith('/') ? pattern : `/${pattern}`;
    const body = p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

export function pathPatternMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  return patternRegex(pattern).test(path.startsWith('/') ? path : `/${path}`);
}

export function selectBehavior(config: DistributionConfig, path: string): DefaultCacheBehavior | CacheBehavior {
  for (const b of config.CacheBehaviors?.Items ?? []) {
    if (pathPatternMatches(b.PathPattern ?? '', path)) return b;
  }
  return config.DefaultCacheBehavior!;
}

export function originOf(config: DistributionConfig, id: string | undefined): Origin | undefined {
  const direct = config.Origins?.Items?.find((o) => o.Id === id);
  if (direct) return direct;
  // An origin group: its first member (failover to the second is not modelled).
  const group = config.OriginGroups?.Items?.find((g) => g.Id === id);
  const first = group?.Members?.Items?.[0]?.OriginId;
  return first === undefined ? undefined : config.Origins?.Items?.find((o) => o.Id === first);
}
