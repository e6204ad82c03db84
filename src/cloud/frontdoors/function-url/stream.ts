/**
 * Function URLs with InvokeMode RESPONSE_STREAM: the function's stream (awslambda.streamifyResponse,
 * with the HttpResponseStream prelude) passed on to the HTTP client as it is produced.
 */
import type { LambdaService } from '../../lambda/service';
import type { RawResponse } from '../../protocols/types';
import type { DoorInvocation } from '../invoke';

/**
 * The HTTP answer of a RESPONSE_STREAM Function URL for one request whose v2.0 event is
 * `o.event`: status and headers from the prelude, then the body streamed (`RawResponse.stream`).
 * `extraHeaders` (CORS) are added to the head.
 */
export async function answerStreaming(_lambda: LambdaService, _o: DoorInvocation, _extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
  // Filled in by the response-streaming work (runtime streaming mode); until then, as AWS answers
  // a function that fails before responding.
  return { status: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: 'Internal Server Error' }) };
}
