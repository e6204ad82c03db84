/** Function URL configs: Create/Get/Update/Delete/ListFunctionUrlConfigs (2021-10-31). */
import type { RestRoute } from '../protocols/types';
import type { LambdaService } from './service';

export function urlRoutes(_lambda: LambdaService): RestRoute[] {
  return [];
}
