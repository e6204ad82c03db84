/**
 * The load balancer's rule evaluation (frontdoors/alb/match.ts) and rule conditions as the ELBv2 API
 * checks them (services/elbv2/conditions.ts): AWS's condition semantics, priorities, the default rule.
 */
import { conditionMatches, firstMatch, wildcard, type MatchRequest } from '../../../src/cloud/frontdoors/alb/match';
import { checkConditions, conditionOut } from '../../../src/cloud/services/elbv2/conditions';
import type { RuleCondition, RuleRecord } from '../../../src/cloud/services/elbv2/types';

const base: MatchRequest = {
  method: 'GET',
  path: '/img/cat.png',
  host: 'shop.example.com',
  headers: [
    ['user-agent', 'Mozilla/5.0 Chrome/120'],
    ['x-tenant', 'blue'],
    ['x-tenant', 'Green'],
  ],
  query: [
    ['version', 'v1'],
    ['q', 'a%20b'],
    ['flag', ''],
  ],
  sourceIp: '192.0.2.10',
};
const req = (over: Partial<MatchRequest> = {}): MatchRequest => ({ ...base, ...over });
const cond = (c: unknown) => checkConditions([c])[0];
const matches = (c: unknown, over: Partial<MatchRequest> = {}) => conditionMatches(cond(c), req(over));

describe('wildcards', () => {
  test('* matches any run (also an empty one), ? exactly one character, the rest literally', () => {
    expect(wildcard('/img/*', false).test('/img/')).toBe(true);
    expect(wildcard('/img/*', false).test('/img/a/b.png')).toBe(true);
    expect(wildcard('/a?c', false).test('/abc')).toBe(true);
    expect(wildcard('/a?c', false).test('/ac')).toBe(false);
    expect(wildcard('/a.c', false).test('/abc')).toBe(false);
    expect(wildcard('/a+(b)', false).test('/a+(b)')).toBe(true);
  });

  test('the whole string must match', () => {
    expect(wildcard('/img', false).test('/img/x')).toBe(false);
    expect(wildcard('img/*', false).test('/img/x')).toBe(false);
  });

  test('escaped \\* and \\? are literal where escapes are allowed (query strings)', () => {
    expect(wildcard('a\\*', true, true).test('a*')).toBe(true);
    expect(wildcard('a\\*', true, true).test('ab')).toBe(false);
    expect(wildcard('a\\?', true, true).test('a?')).toBe(true);
  });
});

describe('path-pattern', () => {
  test('is case-sensitive and looks at the path only, not the query', () => {
    expect(matches({ Field: 'path-pattern', PathPatternConfig: { Values: ['/img/*'] } })).toBe(true);
    expect(matches({ Field: 'path-pattern', PathPatternConfig: { Values: ['/IMG/*'] } })).toBe(false);
    expect(matches({ Field: 'path-pattern', Values: ['/img/cat.png'] })).toBe(true);
    expect(matches({ Field: 'path-pattern', Values: ['*version*'] })).toBe(false);
  });

  test('matches when any of its values does', () => {
    expect(matches({ Field: 'path-pattern', PathPatternConfig: { Values: ['/js/*', '/img/*'] } })).toBe(true);
  });
});

describe('host-header', () => {
  test('is case-insensitive with wildcards; *.example.com does not match example.com', () => {
    expect(matches({ Field: 'host-header', HostHeaderConfig: { Values: ['*.EXAMPLE.com'] } })).toBe(true);
    expect(matches({ Field: 'host-header', Values: ['*.example.com'] }, { host: 'example.com' })).toBe(false);
    expect(matches({ Field: 'host-header', Values: ['sho?.example.com'] })).toBe(true);
  });
});

describe('http-header', () => {
  test('name and values are case-insensitive; any line of a repeated header may match', () => {
    expect(matches({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'User-Agent', Values: ['*chrome*'] } })).toBe(true);
    expect(matches({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Tenant', Values: ['green'] } })).toBe(true);
    expect(matches({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Tenant', Values: ['red'] } })).toBe(false);
  });

  test('a header that was not sent does not match, even with *', () => {
    expect(matches({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Missing', Values: ['*'] } })).toBe(false);
  });
});

describe('http-request-method', () => {
  test('is exact and case-sensitive', () => {
    expect(matches({ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET', 'HEAD'] } })).toBe(true);
    expect(matches({ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } })).toBe(false);
    expect(matches({ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['CUSTOM-METHOD'] } }, { method: 'CUSTOM-METHOD' })).toBe(true);
  });
});

describe('query-string', () => {
  test('key/value pairs match case-insensitively with wildcards; a pair without key matches any key', () => {
    expect(matches({ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'VERSION', Value: 'V1' }] } })).toBe(true);
    expect(matches({ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'version', Value: 'v2' }] } })).toBe(false);
    expect(matches({ Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'v?' }] } })).toBe(true);
    expect(matches({ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'flag', Value: '*' }] } })).toBe(true);
  });

  test('a percent-encoded value matches its decoded form too', () => {
    expect(matches({ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'q', Value: 'a b' }] } })).toBe(true);
  });

  test('no query string matches no pair', () => {
    expect(matches({ Field: 'query-string', QueryStringConfig: { Values: [{ Value: '*' }] } }, { query: [] })).toBe(false);
  });
});

describe('source-ip', () => {
  test('matches the peer address against IPv4 and IPv6 CIDR blocks', () => {
    expect(matches({ Field: 'source-ip', SourceIpConfig: { Values: ['192.0.2.0/24'] } })).toBe(true);
    expect(matches({ Field: 'source-ip', SourceIpConfig: { Values: ['198.51.100.0/24'] } })).toBe(false);
    expect(matches({ Field: 'source-ip', SourceIpConfig: { Values: ['2001:db8::/32'] } }, { sourceIp: '2001:db8::1' })).toBe(true);
    expect(matches({ Field: 'source-ip', SourceIpConfig: { Values: ['127.0.0.1/32'] } }, { sourceIp: undefined })).toBe(false);
  });
});

describe('rule order', () => {
  const rule = (priority: number | undefined, conditions: RuleCondition[]): RuleRecord =>
    ({ arn: `r${priority ?? 'default'}`, priority, conditions, actions: [], tags: new Map() }) as unknown as RuleRecord;

  test('the first rule in priority order whose conditions all hold wins; the default rule always holds', () => {
    const img = rule(5, [cond({ Field: 'path-pattern', Values: ['/img/*'] })]);
    const imgPost = rule(1, [cond({ Field: 'path-pattern', Values: ['/img/*'] }), cond({ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } })]);
    const dflt = rule(undefined, []);
    expect(firstMatch([imgPost, img, dflt], req())?.arn).toBe('r5');
    expect(firstMatch([imgPost, img, dflt], req({ method: 'POST' }))?.arn).toBe('r1');
    expect(firstMatch([imgPost, img, dflt], req({ path: '/other' }))?.arn).toBe('rdefault');
  });
});

describe('conditions as the API checks them', () => {
  const refused = (c: unknown[]) => {
    try {
      checkConditions(c);
    } catch (e) {
      return { code: (e as { code: string }).code, message: (e as Error).message };
    }
    throw new Error('expected a refusal');
  };

  test('an unknown field, Values on a field that takes a config, both forms at once', () => {
    expect(refused([{ Field: 'cookie', Values: ['a'] }])).toEqual({
      code: 'ValidationError',
      message: "Condition field 'cookie' must be one of '[path-pattern, host-header, http-header, http-request-method, query-string, source-ip]'",
    });
    expect(refused([{ Field: 'http-header', Values: ['a'] }]).message).toBe("The 'Values' field is not compatible with 'http-header'");
    expect(refused([{ Field: 'path-pattern', Values: ['/a'], PathPatternConfig: { Values: ['/b'] } }]).message).toBe(
      "You cannot provide both Values and 'PathPatternConfig' for a condition of type 'path-pattern'",
    );
    expect(refused([{ Field: 'path-pattern', Values: ['/a', '/b'] }]).message).toBe("The 'path-pattern' field contains too many values; the limit is '1'");
  });

  test('missing configs and values, too long values, bad methods and CIDRs', () => {
    expect(refused([{ Field: 'http-header' }]).message).toBe("A 'HttpHeaderConfig' must be specified with 'http-header'");
    expect(refused([{ Field: 'path-pattern', PathPatternConfig: { Values: [] } }]).message).toBe('A condition value must be specified');
    expect(refused([{ Field: 'path-pattern', Values: ['/' + 'a'.repeat(128)] }]).message).toBe("The 'path-pattern' value is too long; the limit is '128'");
    expect(refused([{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['get'] } }]).message).toBe(
      "The 'http-request-method' value is invalid; the allowed characters are A-Z, hyphen and underscore",
    );
    expect(refused([{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'a' }] } }]).message).toBe("A 'Value' must be specified in 'QueryStringKeyValuePair'");
    expect(refused([{ Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/33'] } }]).code).toBe('ValidationError');
    expect(refused([{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Host', Values: ['a'] } }]).code).toBe('ValidationError');
  });

  test('one path-pattern per rule, five match evaluations, five wildcards', () => {
    expect(refused([{ Field: 'path-pattern', Values: ['/a'] }, { Field: 'path-pattern', Values: ['/b'] }]).message).toMatch(/only have one 'path-pattern'/);
    expect(refused([{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'a', Values: ['1', '2', '3', '4', '5', '6'] } }]).message).toMatch(/'5' condition values/);
    expect(refused([{ Field: 'path-pattern', Values: ['/*/*/*/*/*/*'] }]).message).toMatch(/'5' wildcards/);
    expect(() => checkConditions([{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'a', Values: ['1'] } }, { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'b', Values: ['2'] } }])).not.toThrow();
  });

  test('echoed as AWS answers: path and host with Values and their config, others with their config', () => {
    expect(conditionOut(cond({ Field: 'path-pattern', Values: ['/a'] }))).toEqual({ Field: 'path-pattern', Values: ['/a'], PathPatternConfig: { Values: ['/a'] } });
    expect(conditionOut(cond({ Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com'] } }))).toEqual({
      Field: 'host-header',
      Values: ['a.example.com'],
      HostHeaderConfig: { Values: ['a.example.com'] },
    });
    expect(conditionOut(cond({ Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'x' }] } }))).toEqual({ Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'x' }] } });
  });
});
