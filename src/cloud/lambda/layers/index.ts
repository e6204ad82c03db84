/**
 * Lambda layers (2018-10-31): the route table over the layer operations, one file per API area:
 *   store.ts     layers and versions per account and region, their zips
 *   versions.ts  PublishLayerVersion, Get/GetByArn/List/Delete LayerVersion(s), ListLayers
 *   policy.ts    Add/RemoveLayerVersionPermission, GetLayerVersionPolicy
 *   attach.ts    the Layers member of CreateFunction / UpdateFunctionConfiguration, the 250 MB limit
 * The folder that stands in for /opt is built on the runtime side (runtime/opt.ts).
 */
import type { RestRoute } from '../../protocols/types';
import type { LambdaService } from '../service';
import { addLayerVersionPermission, getLayerVersionPolicy, removeLayerVersionPermission } from './policy';
import {
  type LayerContext,
  deleteLayerVersion,
  getLayerVersion,
  getLayerVersionByArn,
  listLayerVersions,
  listLayers,
  publishLayerVersion,
} from './versions';

export { LayerStore } from './store';

function context(lambda: LambdaService): LayerContext {
  return { layers: lambda.layers, dataDir: lambda.dataDir, now: () => lambda.clock.now(), codeSource: lambda.codeSource };
}

export function layerRoutes(lambda: LambdaService): RestRoute[] {
  const base = '/2018-10-31/layers';
  const version = `${base}/{LayerName}/versions/{VersionNumber}`;
  return [
    {
      // ListLayers, and GetLayerVersionByArn at the same path with ?find=LayerVersion [model]
      method: 'GET',
      path: base,
      operation: 'ListLayers',
      handler: (r, ctx) =>
        r.query.get('find') === 'LayerVersion'
          ? { body: getLayerVersionByArn(context(lambda), ctx, r.query.get('Arn')) }
          : { body: listLayers(context(lambda), ctx, r.query) },
    },
    {
      method: 'POST',
      path: `${base}/{LayerName}/versions`,
      operation: 'PublishLayerVersion',
      handler: (r, ctx) => publishLayerVersion(context(lambda), ctx, r.params.LayerName, r.json),
    },
    {
      method: 'GET',
      path: `${base}/{LayerName}/versions`,
      operation: 'ListLayerVersions',
      handler: (r, ctx) => ({ body: listLayerVersions(context(lambda), ctx, r.params.LayerName, r.query) }),
    },
    {
      method: 'GET',
      path: version,
      operation: 'GetLayerVersion',
      handler: (r, ctx) => ({ body: getLayerVersion(context(lambda), ctx, r.params.LayerName, r.params.VersionNumber) }),
    },
    {
      method: 'DELETE',
      path: version,
      operation: 'DeleteLayerVersion',
      handler: (r, ctx) => deleteLayerVersion(context(lambda), ctx, r.params.LayerName, r.params.VersionNumber),
    },
    {
      method: 'POST',
      path: `${version}/policy`,
      operation: 'AddLayerVersionPermission',
      handler: (r, ctx) => addLayerVersionPermission(context(lambda), ctx, r.params.LayerName, r.params.VersionNumber, r.query.get('RevisionId'), r.json),
    },
    {
      method: 'GET',
      path: `${version}/policy`,
      operation: 'GetLayerVersionPolicy',
      handler: (r, ctx) => ({ body: getLayerVersionPolicy(context(lambda), ctx, r.params.LayerName, r.params.VersionNumber) }),
    },
    {
      method: 'DELETE',
      path: `${version}/policy/{StatementId}`,
      operation: 'RemoveLayerVersionPermission',
      handler: (r, ctx) =>
        removeLayerVersionPermission(context(lambda), ctx, r.params.LayerName, r.params.VersionNumber, r.params.StatementId, r.query.get('RevisionId')),
    },
  ];
}
