/** InvokeWithResponseStream (2021-11-15): the event-stream encoded answer of a RESPONSE_STREAM invocation. */
import type { RestRoute } from '../protocols/types';
import type { LambdaService } from './service';

export function streamRoutes(_lambda: LambdaService): RestRoute[] {
  return [];
}
