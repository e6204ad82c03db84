/**
 * A DistributionConfig's checks, in the order CloudFront reports them:
 *   1. model constraints (required members, enums): MalformedXML with the `N validation errors
 *      detected: Value null at 'distributionConfig.enabled' ...` text, paths in lowerCamelCase and
 *      list members as `items.1.member`, enums as `Member must satisfy value set: [a, b]` [obs]
 *   2. every Quantity against its Items: InconsistentQuantities [obs]
 *   3. origins (custom or S3, domain names), then cache behaviors (target origin, ForwardedValues
 *      or a cache policy, policies that exist, CloudFront Functions)
 * Lambda@Edge associations are edge-rules.ts's (they need the Lambda service).
 */
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';
import {
  bothOriginConfigs,
  forwardedValuesRequired,
  forwardedValuesWithCachePolicy,
  inconsistentQuantities,
  malformedXml,
  noSuchCachePolicy,
  noSuchCloudFrontFunction,
  noSuchOrigin,
  noSuchOriginRequestPolicy,
  notAnS3Bucket,
  originNameColon,
  originNameNotDomain,
} from './errors';
import { MANAGED_CACHE_POLICIES, MANAGED_ORIGIN_REQUEST_POLICIES } from './policies';
import { EDGE_EVENT_TYPES } from './types';

// [model] enums
const VIEWER_PROTOCOL_POLICIES = ['allow-all', 'https-only', 'redirect-to-https'];
const ORIGIN_PROTOCOL_POLICIES = ['http-only', 'match-viewer', 'https-only'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'DELETE'];
const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All', 'None'];
const HTTP_VERSIONS = ['http1.1', 'http2', 'http3', 'http2and3'];
const ITEM_SELECTIONS = ['none', 'whitelist', 'all'];
const GEO_RESTRICTION_TYPES = ['blacklist', 'whitelist', 'none'];

type Obj = Record<string, unknown>;

/** Model member name as AWS's validation messages spell it: first letter lower-cased (`hTTPPort`). */
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

class Problems {
  readonly list: string[] = [];

  need(obj: unknown, members: string[], path: string): void {
    const o = (obj ?? {}) as Obj;
    for (const m of members) {
      if (o[m] === undefined || o[m] === null) this.list.push(`Value null at '${path}.${camel(m)}' failed to satisfy constraint: Member must not be null`);
    }
  }

  oneOf(value: unknown, set: readonly string[], path: string): void {
    if (value === undefined || value === null) return;
    if (!set.includes(String(value))) {
      this.list.push(`Value '${String(value)}' at '${path}' failed to satisfy constraint: Member must satisfy value set: [${set.join(', ')}]`);
    }
  }

  /** `{Quantity, Items}` lists: required members, then each item. */
  list_<T>(obj: unknown, path: string, requireItems: boolean, each?: (item: T, itemPath: string) => void): void {
    if (obj === undefined || obj === null) return;
    this.need(obj, requireItems ? ['Quantity', 'Items'] : ['Quantity'], path);
    const items = (obj as Obj).Items;
    if (Array.isArray(items) && each) items.forEach((item, i) => each(item as T, `${path}.items.${i + 1}.member`));
  }
}

/** 1. Required members and enums of the whole config (MalformedXML listing every problem). */
export function checkModel(config: DistributionConfig, root = 'distributionConfig'): void {
  const p = new Problems();
  p.need(config, ['CallerReference', 'Origins', 'DefaultCacheBehavior', 'Comment', 'Enabled'], root);
  p.oneOf(config.PriceClass, PRICE_CLASSES, `${root}.priceClass`);
  p.oneOf(config.HttpVersion, HTTP_VERSIONS, `${root}.httpVersion`);
  p.list_(config.Aliases, `${root}.aliases`, false);
  p.list_<Origin>(config.Origins, `${root}.origins`, true, (o, path) => {
    p.need(o, ['Id', 'DomainName'], path);
    if (o.CustomOriginConfig) {
      p.need(o.CustomOriginConfig, ['HTTPPort', 'HTTPSPort', 'OriginProtocolPolicy'], `${path}.customOriginConfig`);
      p.oneOf(o.CustomOriginConfig.OriginProtocolPolicy, ORIGIN_PROTOCOL_POLICIES, `${path}.customOriginConfig.originProtocolPolicy`);
    }
    if (o.S3OriginConfig) p.need(o.S3OriginConfig, ['OriginAccessIdentity'], `${path}.s3OriginConfig`);
    p.list_<Obj>(o.CustomHeaders, `${path}.customHeaders`, false, (h, hp) => p.need(h, ['HeaderName', 'HeaderValue'], hp));
  });
  if (config.DefaultCacheBehavior) checkBehaviorModel(p, config.DefaultCacheBehavior, `${root}.defaultCacheBehavior`, false);
  p.list_<CacheBehavior>(config.CacheBehaviors, `${root}.cacheBehaviors`, false, (b, path) => checkBehaviorModel(p, b, path, true));
  p.list_<Obj>(config.CustomErrorResponses, `${root}.customErrorResponses`, false, (r, path) => p.need(r, ['ErrorCode'], path));
  if (config.Restrictions) {
    p.need(config.Restrictions, ['GeoRestriction'], `${root}.restrictions`);
    const geo = config.Restrictions.GeoRestriction;
    if (geo) {
      p.need(geo, ['RestrictionType', 'Quantity'], `${root}.restrictions.geoRestriction`);
      p.oneOf(geo.RestrictionType, GEO_RESTRICTION_TYPES, `${root}.restrictions.geoRestriction.restrictionType`);
    }
  }
  if (p.list.length > 0) throw malformedXml(p.list);
}

function checkBehaviorModel(p: Problems, b: DefaultCacheBehavior | CacheBehavior, path: string, ordered: boolean): void {
  p.need(b, ordered ? ['PathPattern', 'TargetOriginId', 'ViewerProtocolPolicy'] : ['TargetOriginId', 'ViewerProtocolPolicy'], path);
  p.oneOf(b.ViewerProtocolPolicy, VIEWER_PROTOCOL_POLICIES, `${path}.viewerProtocolPolicy`);
  if (b.AllowedMethods) {
    p.list_<string>(b.AllowedMethods, `${path}.allowedMethods`, true, (m, mp) => p.oneOf(m, METHODS, mp));
    p.list_<string>(b.AllowedMethods.CachedMethods, `${path}.allowedMethods.cachedMethods`, true, (m, mp) => p.oneOf(m, METHODS, mp));
  }
  p.list_<Obj>(b.LambdaFunctionAssociations, `${path}.lambdaFunctionAssociations`, false, (a, ap) => {
    p.need(a, ['LambdaFunctionARN', 'EventType'], ap);
    p.oneOf(a.EventType, EDGE_EVENT_TYPES, `${ap}.eventType`);
  });
  p.list_<Obj>(b.FunctionAssociations, `${path}.functionAssociations`, false, (a, ap) => {
    p.need(a, ['FunctionARN', 'EventType'], ap);
    p.oneOf(a.EventType, EDGE_EVENT_TYPES, `${ap}.eventType`);
  });
  for (const key of ['TrustedSigners', 'TrustedKeyGroups'] as const) if (b[key]) p.need(b[key], ['Enabled', 'Quantity'], `${path}.${camel(key)}`);
  const fv = b.ForwardedValues;
  if (fv) {
    p.need(fv, ['QueryString', 'Cookies'], `${path}.forwardedValues`);
    if (fv.Cookies) {
      p.need(fv.Cookies, ['Forward'], `${path}.forwardedValues.cookies`);
      p.oneOf(fv.Cookies.Forward, ITEM_SELECTIONS, `${path}.forwardedValues.cookies.forward`);
    }
    p.list_(fv.Headers, `${path}.forwardedValues.headers`, false);
    p.list_(fv.QueryStringCacheKeys, `${path}.forwardedValues.queryStringCacheKeys`, false);
  }
}

/** 2. Every `{Quantity, Items}` list: Quantity must be the number of Items (named by its member). */
export function checkQuantities(node: unknown, name = 'DistributionConfig'): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) checkQuantities(item, name);
    return;
  }
  const o = node as Obj;
  if (o.Quantity !== undefined && o.Quantity !== null) {
    const supplied = Array.isArray(o.Items) ? o.Items.length : 0;
    if (o.Quantity !== supplied) throw inconsistentQuantities(name, Number(o.Quantity), supplied);
  }
  for (const [k, v] of Object.entries(o)) if (v && typeof v === 'object') checkQuantities(v, k);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Bucket endpoints: `bucket.s3.amazonaws.com`, `bucket.s3.<region>.amazonaws.com`, `bucket.s3-<region>.amazonaws.com`. */
const S3_BUCKET_DOMAIN = /^[a-z0-9][a-z0-9.-]*\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

/** 3a. Origins: a custom origin or an S3 bucket, named by a domain name. */
export function checkOrigins(config: DistributionConfig): void {
  for (const o of config.Origins?.Items ?? []) {
    const name = o.DomainName ?? '';
    if (o.S3OriginConfig && o.CustomOriginConfig) throw bothOriginConfigs();
    if (name.includes(':')) throw originNameColon();
    if (IPV4.test(name) || name.startsWith('[')) throw originNameNotDomain();
    if (!o.CustomOriginConfig && !S3_BUCKET_DOMAIN.test(name.toLowerCase())) throw notAnS3Bucket();
  }
}

/** The default cache behavior first, then the ordered ones. */
export function behaviorsOf(config: DistributionConfig): (DefaultCacheBehavior | CacheBehavior)[] {
  return [...(config.DefaultCacheBehavior ? [config.DefaultCacheBehavior] : []), ...(config.CacheBehaviors?.Items ?? [])];
}

/** 3b. Cache behaviors: an existing target, ForwardedValues xor a (managed) cache policy. */
export function checkBehaviors(config: DistributionConfig): void {
  const targets = new Set<string>([
    ...(config.Origins?.Items ?? []).map((o) => o.Id ?? ''),
    ...(config.OriginGroups?.Items ?? []).map((g) => g.Id ?? ''),
  ]);
  const behaviors = behaviorsOf(config);
  for (const b of behaviors) if (!targets.has(b.TargetOriginId ?? '')) throw noSuchOrigin();
  for (const b of behaviors) {
    if (!b.ForwardedValues && !b.CachePolicyId) throw forwardedValuesRequired();
    if (b.ForwardedValues && b.CachePolicyId) throw forwardedValuesWithCachePolicy();
    if (b.CachePolicyId && !MANAGED_CACHE_POLICIES[b.CachePolicyId]) throw noSuchCachePolicy();
    if (b.OriginRequestPolicyId && !MANAGED_ORIGIN_REQUEST_POLICIES[b.OriginRequestPolicyId]) throw noSuchOriginRequestPolicy();
    const fn = b.FunctionAssociations?.Items?.[0];
    if (fn) throw noSuchCloudFrontFunction(fn.FunctionARN ?? '');
  }
}
