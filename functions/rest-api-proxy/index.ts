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
import { controlEventIn } from '../_shared/http-body';
import { handler as control } from '../control';

export const handler = (event: unknown, context: Context, callback: Callback<unknown>): Promise<unknown> | void => {
  const ev = controlEventIn(event);
  if (ev) return control(ev, context, callback);
  return Promise.resolve({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event }) });
};
