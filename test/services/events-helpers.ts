/**
 * What the EventBridge wire tests share: the operations this cloud serves (each client test checks
 * it drove them all) and a raw JSON 1.1 call. (The SDK's view of a failed call is helpers.ts's `failure`.)
 */

/** The EventBridge operations of the embedded cloud. */
export const EVENTS_OPERATIONS = [
  'CreateEventBus',
  'DeleteEventBus',
  'DescribeEventBus',
  'ListEventBuses',
  'PutRule',
  'DescribeRule',
  'ListRules',
  'EnableRule',
  'DisableRule',
  'DeleteRule',
  'PutTargets',
  'RemoveTargets',
  'ListTargetsByRule',
  'ListRuleNamesByTarget',
  'PutEvents',
  'TestEventPattern',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
] as const;

/** A raw JSON 1.1 call (no SDK), to see the body and headers as sent. */
export async function rawEvents(endpoint: string, op: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; errorType: string | null }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSEvents.${op}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, errorType: res.headers.get('x-amzn-errortype') };
}
