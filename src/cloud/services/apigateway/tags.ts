/**
 * TagResource, UntagResource, GetTags on REST APIs, stages, API keys and usage plans, by ARN
 * (`arn:aws:apigateway:<region>::/restapis/<id>[/stages/<name>]`, `::/apikeys/<id>`,
 * `::/usageplans/<id>`).
 */
import type { RequestContext } from '../../protocols/types';
import { badRequest, notFound } from './errors';
import { type Body, optStringMap } from './input';
import type { ApiGatewayStore } from './store';

function tagsOf(store: ApiGatewayStore, ctx: RequestContext, arn: string): Record<string, string> {
  const m = /^arn:[^:]+:apigateway:([^:]*)::\/(restapis|apikeys|usageplans)\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(arn);
  if (!m) throw badRequest('Invalid ARN specified in the request');
  const [, region, kind, id, stage] = m;
  const scope = { accountId: ctx.accountId, region: region || ctx.region };
  const r = store.region(scope);
  if (kind === 'restapis') {
    const api = r.apis.get(id);
    if (!api) throw notFound(`Invalid API identifier specified ${ctx.accountId}:${id}`);
    if (!stage) return api.tags;
    const s = api.stages.get(stage);
    if (!s) throw notFound('Invalid Stage identifier specified');
    return s.tags;
  }
  const owner = kind === 'apikeys' ? r.apiKeys.get(id) : r.usagePlans.get(id);
  if (!owner) throw notFound(kind === 'apikeys' ? 'Invalid API Key identifier specified' : 'Invalid Usage Plan ID specified');
  return owner.tags;
}

export function tagResource(store: ApiGatewayStore, ctx: RequestContext, arn: string, body: Body): void {
  const tags = tagsOf(store, ctx, arn);
  Object.assign(tags, optStringMap(body, 'tags') ?? {});
}

export function untagResource(store: ApiGatewayStore, ctx: RequestContext, arn: string, query: URLSearchParams): void {
  const tags = tagsOf(store, ctx, arn);
  for (const key of query.getAll('tagKeys').flatMap((k) => k.split(','))) delete tags[key];
}

export function getTags(store: ApiGatewayStore, ctx: RequestContext, arn: string) {
  return { tags: { ...tagsOf(store, ctx, arn) } };
}
