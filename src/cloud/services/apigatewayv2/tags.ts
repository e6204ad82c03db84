/**
 * Tags: GetTags, TagResource, UntagResource on APIs (`arn:aws:apigateway:<region>::/apis/<id>`)
 * and stages (`.../apis/<id>/stages/<name>`) [doc: CLI reference tag-resource].
 */
import type { RequestContext } from '../../protocols/types';
import { badRequest, notFound } from './errors';
import { getStage } from './stages';
import type { ApiGatewayV2Store } from './store';
import { optStringMap } from './validate';

function tagsOf(store: ApiGatewayV2Store, ctx: RequestContext, arn: string): Record<string, string> {
  const m = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/apis\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(arn);
  if (!m) throw notFound(`Invalid resource identifier specified: ${arn}`);
  if (m[1] !== ctx.region) throw notFound(`Invalid resource identifier specified: ${arn}`);
  const api = store.get(ctx, m[2]);
  return m[3] === undefined ? api.tags : getStage(store, ctx, api.apiId, m[3]).tags;
}

export function getTags(store: ApiGatewayV2Store, ctx: RequestContext, arn: string): Record<string, string> {
  return tagsOf(store, ctx, arn);
}

export function tagResource(store: ApiGatewayV2Store, ctx: RequestContext, arn: string, input: Record<string, unknown>): void {
  const tags = tagsOf(store, ctx, arn);
  const add = optStringMap(input, 'tags') ?? {};
  for (const [k, v] of Object.entries(add)) {
    // [model] tag keys 1-128 characters, values up to 256.
    if (k.length < 1 || k.length > 128) throw badRequest(`Invalid tag key: ${k}`);
    if (v.length > 256) throw badRequest(`Invalid tag value for key ${k}`);
  }
  Object.assign(tags, add);
}

export function untagResource(store: ApiGatewayV2Store, ctx: RequestContext, arn: string, keys: string[]): void {
  const tags = tagsOf(store, ctx, arn);
  for (const k of keys) delete tags[k];
}
