/**
 * Cache behaviors by path pattern [doc: "Path pattern"]: `*` any run of characters, `?` exactly
 * one, case-sensitive, a leading slash optional, first ordered match wins, else the default.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { originOf, pathPatternMatches, selectBehavior } from '../../../src/cloud/frontdoors/cloudfront/behaviors';

describe('pathPatternMatches', () => {
  it.each([
    ['/images/*.jpg', '/images/cat.jpg', true],
    ['images/*.jpg', '/images/cat.jpg', true],
    ['/images/*.jpg', '/images/a/b/cat.jpg', true],
    ['/images/*.jpg', '/images/cat.JPG', false],
    ['/images/*.jpg', '/images/cat.jpg.png', false],
    ['/images/?.jpg', '/images/a.jpg', true],
    ['/images/?.jpg', '/images/ab.jpg', false],
    ['*.gif', '/deep/path/anim.gif', true],
    ['/api/*', '/api/', true],
    ['/api/*', '/api', false],
    ['/api', '/api', true],
    ['/a.b', '/aXb', false],
    ['/(x)+', '/(x)+', true],
    ['*', '/anything/at/all', true],
  ])('%s against %s: %s', (pattern, path, expected) => {
    expect(pathPatternMatches(pattern, path)).toBe(expected);
  });
});

describe('selectBehavior and originOf', () => {
  const behavior = (PathPattern: string, TargetOriginId: string) => ({ PathPattern, TargetOriginId, ViewerProtocolPolicy: 'allow-all' as const });
  const config: DistributionConfig = {
    CallerReference: 'x',
    Comment: '',
    Enabled: true,
    Origins: { Quantity: 2, Items: [{ Id: 'a', DomainName: 'a.localhost' }, { Id: 'b', DomainName: 'b.localhost' }] },
    OriginGroups: { Quantity: 1, Items: [{ Id: 'group', FailoverCriteria: { StatusCodes: { Quantity: 1, Items: [500] } }, Members: { Quantity: 2, Items: [{ OriginId: 'b' }, { OriginId: 'a' }] } }] },
    DefaultCacheBehavior: { TargetOriginId: 'a', ViewerProtocolPolicy: 'allow-all' },
    CacheBehaviors: { Quantity: 2, Items: [behavior('/api/*', 'b'), behavior('/api/v2/*', 'group')] },
  };

  it('takes the first ordered behavior that matches, then the default', () => {
    expect(selectBehavior(config, '/api/v2/x').TargetOriginId).toBe('b');
    expect(selectBehavior(config, '/index.html')).toBe(config.DefaultCacheBehavior);
  });

  it('finds an origin by id, and an origin group by its first member', () => {
    expect(originOf(config, 'a')?.DomainName).toBe('a.localhost');
    expect(originOf(config, 'group')?.DomainName).toBe('b.localhost');
    expect(originOf(config, 'none')).toBeUndefined();
  });
});
