/**
 * rest-api-proxy: the control function (../control) behind an API Gateway REST API's Lambda proxy
 * integration (payload format 1.0).
 *
 * The request body (base64-decoded when isBase64Encoded) is read as a control event: with an
 * `action` it runs as the control function would, so a scenario can make it return a chosen proxy
 * response (`{"action":"return","value":{"statusCode":201,...}}`), throw, hang or crash. Any other
 * request is answered 200 with `{ "event": <the event> }` as a JSON body.
 */
import type { Callback, Context } from 'aws-lambda';
import { handler as control } from '../control';

function bodyOf(event: unknown): unknown {
  if (event === null || typeof event !== 'object') return undefined;
  const { body, isBase64Encoded } = event as { body?: unknown; isBase64Encoded?: unknown };
  if (typeof body !== 'string') return undefined;
  const text = isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const handler = (event: unknown, context: Context, callback: Callback<unknown>): Promise<unknown> | void => {
  const ev = bodyOf(event);
  if (ev !== null && typeof ev === 'object' && typeof (ev as { action?: unknown }).action === 'string') {
    return control(ev, context, callback);
  }
  return Promise.resolve({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event }) });
};
