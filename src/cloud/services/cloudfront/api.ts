/**
 * CloudFront's distribution operations on their REST-XML routes [model]:
 *   POST   /2020-05-31/distribution              CreateDistribution (201, ETag, Location)
 *   POST   /2020-05-31/distribution?WithTags     CreateDistributionWithTags
 *   GET    /2020-05-31/distribution              ListDistributions (Marker, MaxItems)
 *   GET    /2020-05-31/distribution/{Id}         GetDistribution (ETag)
 *   GET    /2020-05-31/distribution/{Id}/config  GetDistributionConfig (ETag)
 *   PUT    /2020-05-31/distribution/{Id}/config  UpdateDistribution (If-Match)
 *   DELETE /2020-05-31/distribution/{Id}         DeleteDistribution (If-Match, 204)
 *   GET    /2020-05-31/tagging?Resource=<arn>    ListTagsForResource
 */
import { randomUUID } from 'node:crypto';
import type {
  Distribution,
  DistributionConfig,
  DistributionConfigWithTags,
  DistributionList,
  DistributionSummary,
  Tag,
} from '@aws-sdk/client-cloudfront';
import { AwsError } from '../../errors';
import type { LambdaService } from '../../lambda/service';
import type { RawRequest, RawResponse } from '../../protocols/types';
import { withDefaults } from './defaults';
import { checkEdgeAssociations } from './edge-rules';
import { cfError, invalidArgument, malformedXml } from './errors';
import type { CloudFrontStore } from './store';
import { CLOUDFRONT_VERSION, type DistributionRecord } from './types';
import { checkBehaviors, checkModel, checkOrigins, checkQuantities } from './validate';
import { readPayload, writePayload, xmlAnswer, xmlError } from './xml';

export interface CloudFrontDeps {
  store: CloudFrontStore;
  lambda: LambdaService;
}

type Op = (deps: CloudFrontDeps, req: RawRequest, id: string, requestId: string) => RawResponse;

const P = `/${CLOUDFRONT_VERSION}`;
const ROUTES: { method: string; path: RegExp; op: Op }[] = [
  { method: 'POST', path: new RegExp(`^${P}/distribution/?$`), op: (d, r, _id, rid) => (r.query.has('WithTags') ? createWithTags(d, r, rid) : create(d, r, rid)) },
  { method: 'GET', path: new RegExp(`^${P}/distribution/?$`), op: (d, r, _id, rid) => list(d, r, rid) },
  { method: 'GET', path: new RegExp(`^${P}/distribution/([^/]+)/?$`), op: (d, _r, id, rid) => get(d, id, rid) },
  { method: 'DELETE', path: new RegExp(`^${P}/distribution/([^/]+)/?$`), op: (d, r, id, rid) => remove(d, r, id, rid) },
  { method: 'GET', path: new RegExp(`^${P}/distribution/([^/]+)/config/?$`), op: (d, _r, id, rid) => getConfig(d, id, rid) },
  { method: 'PUT', path: new RegExp(`^${P}/distribution/([^/]+)/config/?$`), op: (d, r, id, rid) => update(d, r, id, rid) },
  { method: 'GET', path: new RegExp(`^${P}/tagging/?$`), op: (d, r, _id, rid) => listTags(d, r, rid) },
];

/** Serve one API request (any path under /2020-05-31/). */
export function serveApi(deps: CloudFrontDeps, req: RawRequest): RawResponse {
  const requestId = randomUUID();
  let pathMatched = false;
  try {
    for (const route of ROUTES) {
      const m = route.path.exec(req.path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      return route.op(deps, req, m[1] === undefined ? '' : decodeURIComponent(m[1]), requestId);
    }
    throw cfError('UnknownOperationException', `Unknown operation: ${req.method} ${req.path}`, pathMatched ? 405 : 404);
  } catch (e) {
    if (e instanceof AwsError) return xmlError(e, requestId);
    console.error('[testbed] cloudfront failed:', e);
    return xmlError(cfError('ServiceUnavailable', 'CloudFront is currently unavailable.', 503), requestId);
  }
}

// ------------------------------------------------------------------ shapes out

function distributionOf(d: DistributionRecord): Distribution {
  return {
    Id: d.id,
    ARN: d.arn,
    Status: d.status,
    LastModifiedTime: new Date(d.lastModified),
    InProgressInvalidationBatches: 0,
    DomainName: d.domainName,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    DistributionConfig: d.config,
  };
}

function summaryOf(d: DistributionRecord): DistributionSummary {
  const c = d.config;
  return {
    Id: d.id,
    ARN: d.arn,
    ETag: d.etag,
    Status: d.status,
    LastModifiedTime: new Date(d.lastModified),
    DomainName: d.domainName,
    Aliases: c.Aliases!,
    Origins: c.Origins!,
    OriginGroups: c.OriginGroups,
    DefaultCacheBehavior: c.DefaultCacheBehavior!,
    CacheBehaviors: c.CacheBehaviors!,
    CustomErrorResponses: c.CustomErrorResponses!,
    Comment: c.Comment!,
    PriceClass: c.PriceClass!,
    Enabled: c.Enabled!,
    ViewerCertificate: c.ViewerCertificate!,
    Restrictions: c.Restrictions!,
    WebACLId: c.WebACLId!,
    HttpVersion: c.HttpVersion!,
    IsIPV6Enabled: c.IsIPV6Enabled!,
    Staging: c.Staging!,
  };
}

const distributionAnswer = (d: DistributionRecord, status: number, requestId: string, headers: Record<string, string> = {}) =>
  xmlAnswer(status, requestId, writePayload('Distribution', distributionOf(d)), { etag: d.etag, ...headers });

// ------------------------------------------------------------------ operations

/** The checks after the model's (MalformedXML), in CloudFront's order. */
function checkConfig(deps: CloudFrontDeps, config: DistributionConfig): void {
  checkQuantities(config);
  checkOrigins(config);
  checkBehaviors(config);
  checkEdgeAssociations(deps.lambda, config, deps.store.accountId);
}

function create(deps: CloudFrontDeps, req: RawRequest, requestId: string): RawResponse {
  const config = readPayload<DistributionConfig>(req.body, 'DistributionConfig');
  checkModel(config);
  checkConfig(deps, config);
  const d = deps.store.create(withDefaults(config));
  return distributionAnswer(d, 201, requestId, { location: `https://cloudfront.amazonaws.com/${CLOUDFRONT_VERSION}/distribution/${d.id}` });
}

function createWithTags(deps: CloudFrontDeps, req: RawRequest, requestId: string): RawResponse {
  const input = readPayload<DistributionConfigWithTags>(req.body, 'DistributionConfigWithTags');
  const missing = (['DistributionConfig', 'Tags'] as const).filter((k) => !input[k]);
  if (missing.length > 0) {
    throw malformedXml(missing.map((k) => `Value null at 'distributionConfigWithTags.${k.charAt(0).toLowerCase()}${k.slice(1)}' failed to satisfy constraint: Member must not be null`));
  }
  const config = input.DistributionConfig!;
  checkModel(config, 'distributionConfigWithTags.distributionConfig');
  const tags = input.Tags?.Items ?? [];
  checkTags(tags);
  checkConfig(deps, config);
  const d = deps.store.create(withDefaults(config), tags);
  return distributionAnswer(d, 201, requestId, { location: `https://cloudfront.amazonaws.com/${CLOUDFRONT_VERSION}/distribution/${d.id}` });
}

/** [model] TagKey 1-128, TagValue 0-256 characters; InvalidTagging (text unconfirmed). */
function checkTags(tags: Tag[]): void {
  for (const t of tags) {
    if (!t.Key || t.Key.length > 128 || (t.Value ?? '').length > 256) throw cfError('InvalidTagging', 'The tagging specified is not valid.');
  }
}

function get(deps: CloudFrontDeps, id: string, requestId: string): RawResponse {
  return distributionAnswer(deps.store.get(id), 200, requestId);
}

function getConfig(deps: CloudFrontDeps, id: string, requestId: string): RawResponse {
  const d = deps.store.get(id);
  return xmlAnswer(200, requestId, writePayload('DistributionConfig', d.config), { etag: d.etag });
}

function update(deps: CloudFrontDeps, req: RawRequest, id: string, requestId: string): RawResponse {
  const config = readPayload<DistributionConfig>(req.body, 'DistributionConfig');
  checkModel(config);
  const d = deps.store.get(id);
  deps.store.checkIfMatch(d, req.headers['if-match']);
  checkConfig(deps, config);
  const updated = deps.store.update(id, withDefaults(config), req.headers['if-match']);
  return distributionAnswer(updated, 200, requestId);
}

function remove(deps: CloudFrontDeps, req: RawRequest, id: string, requestId: string): RawResponse {
  deps.store.delete(id, req.headers['if-match']);
  return xmlAnswer(204, requestId);
}

function list(deps: CloudFrontDeps, req: RawRequest, requestId: string): RawResponse {
  const marker = req.query.get('Marker') ?? '';
  const maxText = req.query.get('MaxItems');
  // Text unconfirmed: MaxItems is a string member CloudFront reads as a number.
  if (maxText !== null && !/^[0-9]+$/.test(maxText)) throw invalidArgument(`The parameter MaxItems is not a valid integer: ${maxText}`);
  const max = maxText === null ? 100 : Number(maxText);
  const page = deps.store.list(marker || undefined, max);
  const out: DistributionList = {
    Marker: marker,
    MaxItems: max,
    IsTruncated: page.truncated,
    Quantity: page.items.length,
    ...(page.truncated && page.items.length > 0 ? { NextMarker: page.items[page.items.length - 1].id } : {}),
    ...(page.items.length > 0 ? { Items: page.items.map(summaryOf) } : {}),
  };
  return xmlAnswer(200, requestId, writePayload('DistributionList', out));
}

function listTags(deps: CloudFrontDeps, req: RawRequest, requestId: string): RawResponse {
  const arn = req.query.get('Resource') ?? '';
  const d = [...deps.store.distributions.values()].find((x) => x.arn === arn);
  // [model] NoSuchResource 404; text unconfirmed.
  if (!d) throw cfError('NoSuchResource', 'The specified resource does not exist.', 404);
  return xmlAnswer(200, requestId, writePayload('Tags', { Items: d.tags }));
}
