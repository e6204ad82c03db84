/** Layers: PublishLayerVersion, Get/List/Delete, layer version permissions (2018-10-31). */
import type { RestRoute } from '../protocols/types';
import type { LambdaService } from './service';

export function layerRoutes(_lambda: LambdaService): RestRoute[] {
  return [];
}
