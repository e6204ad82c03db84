/**
 * The AWS-managed cache policies and origin request policies a cache behavior can name by id, and
 * what each makes CloudFront forward to the origin [doc: "Use managed cache policies", "Use
 * managed origin request policies"]. Custom policies (CreateCachePolicy...) are not served here:
 * any other id is NoSuchCachePolicy / NoSuchOriginRequestPolicy.
 */

/** What a policy puts in the origin request. `headers`: 'all', 'allExceptHost', or a list (lower-case). */
export interface ForwardRule {
  headers: 'all' | 'allExceptHost' | string[];
  cookies: boolean;
  queryStrings: boolean;
}

export const MANAGED_CACHE_POLICIES: Record<string, { name: string; forward: ForwardRule }> = {
  // Neither caches on nor forwards headers, cookies or query strings.
  '658327ea-f89d-4fab-a63d-7e88639e58f6': { name: 'CachingOptimized', forward: { headers: [], cookies: false, queryStrings: false } },
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad': { name: 'CachingDisabled', forward: { headers: [], cookies: false, queryStrings: false } },
  'b2884449-e4de-46a7-ac36-70bc7f1ddd6d': { name: 'CachingOptimizedForUncompressedObjects', forward: { headers: [], cookies: false, queryStrings: false } },
};

export const MANAGED_ORIGIN_REQUEST_POLICIES: Record<string, { name: string; forward: ForwardRule }> = {
  '216adef6-5c7f-47e4-b989-5492eafa07d3': { name: 'AllViewer', forward: { headers: 'all', cookies: true, queryStrings: true } },
  'b689b0a8-53d0-40ab-baf2-68738e2966ac': { name: 'AllViewerExceptHostHeader', forward: { headers: 'allExceptHost', cookies: true, queryStrings: true } },
  'acba4595-bd28-49b8-b9fe-13317c0390fa': { name: 'UserAgentRefererHeaders', forward: { headers: ['user-agent', 'referer'], cookies: false, queryStrings: false } },
  '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf': {
    name: 'CORS-S3Origin',
    forward: { headers: ['origin', 'access-control-request-headers', 'access-control-request-method'], cookies: false, queryStrings: false },
  },
  '59781a5b-3903-41f3-afcb-af62929ccde1': { name: 'CORS-CustomOrigin', forward: { headers: ['origin'], cookies: false, queryStrings: false } },
};
