/**
 * Listener rule evaluation, with AWS's condition semantics [doc: listener rules, condition types]:
 *   path-pattern        the path only (no query), case-sensitive, `*` (0 or more) and `?` (exactly 1)
 *   host-header         the Host header's name (no port), case-insensitive, wildcards
 *   http-header         the named header, case-insensitive name and values, wildcards; a header sent
 *                       several times matches if any of its lines does
 *   http-request-method exact and case-sensitive
 *   query-string        key/value pairs (key optional), case-insensitive, wildcards, `\*` and `\?`
 *                       literal; compared with the pair as sent and percent-decoded
 *   source-ip           the peer's address in one of the CIDR blocks (not X-Forwarded-For)
 * A rule matches when all its conditions do; a condition when one of its values does. Rules are
 * tried by priority, the default rule (no conditions) last.
 */
import net from 'node:net';
import { parseCidr } from '../../services/elbv2/conditions';
import type { RuleCondition, RuleRecord } from '../../services/elbv2/types';
import { safeDecode } from '../../protocols/url';

/** What the conditions look at, taken from the request once. */
export interface MatchRequest {
  method: string;
  /** The path as sent (percent-encoding kept), without the query. */
  path: string;
  /** The Host header's name, lower-case, without the port. */
  host: string;
  /** Header lines, lower-case names, in order, repeats kept. */
  headers: [string, string][];
  /** Query pairs as sent (not decoded). */
  query: [string, string][];
  sourceIp?: string;
}

const compiled = new Map<string, RegExp>();

/**
 * A wildcard pattern as a RegExp matching the whole string: `*` any run, `?` one character; with
 * `escapes`, `\*` and `\?` stand for the characters themselves (query-string conditions).
 */
export function wildcard(pattern: string, caseInsensitive: boolean, escapes = false): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${escapes ? 'e' : 'n'}${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i];
      if (escapes && ch === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '?')) {
        src += `\\${pattern[++i]}`;
      } else if (ch === '*') src += '.*';
      else if (ch === '?') src += '.';
      else src += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, caseInsensitive ? 'is' : 's');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

function sourceIpMatches(cidrs: string[], ip: string | undefined): boolean {
  if (!ip) return false;
  const family = net.isIP(ip);
  if (!family) return false;
  const list = new net.BlockList();
  for (const c of cidrs) {
    const b = parseCidr(c);
    if (b) list.addSubnet(b.address, b.prefix, b.family);
  }
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export function conditionMatches(c: RuleCondition, r: MatchRequest): boolean {
  switch (c.Field) {
    case 'path-pattern':
      return c.Values.some((v) => wildcard(v, false).test(r.path));
    case 'host-header':
      return c.Values.some((v) => wildcard(v, true).test(r.host));
    case 'http-header': {
      const name = c.HttpHeaderName.toLowerCase();
      const lines = r.headers.filter(([k]) => k === name).map(([, v]) => v);
      return lines.some((line) => c.Values.some((v) => wildcard(v, true).test(line)));
    }
    case 'http-request-method':
      return c.Values.includes(r.method);
    case 'query-string':
      return c.Pairs.some((p) =>
        r.query.some(([k, v]) => {
          const valueRe = wildcard(p.Value, true, true);
          const valueOk = valueRe.test(v) || valueRe.test(safeDecode(v));
          if (!valueOk) return false;
          if (p.Key === undefined) return true;
          const keyRe = wildcard(p.Key, true, true);
          return keyRe.test(k) || keyRe.test(safeDecode(k));
        }),
      );
    case 'source-ip':
      return sourceIpMatches(c.Values, r.sourceIp);
  }
}

export function ruleMatches(rule: RuleRecord, r: MatchRequest): boolean {
  return rule.conditions.every((c) => conditionMatches(c, r));
}

/** The first rule, in evaluation order, whose conditions all hold (the default rule always does). */
export function firstMatch(rules: RuleRecord[], r: MatchRequest): RuleRecord | undefined {
  return rules.find((rule) => ruleMatches(rule, r));
}
