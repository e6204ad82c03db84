/**
 * function-url-control: the control function (../control) behind an HTTP front door.
 *
 * The request body of the payload v2.0 event it receives (base64-decoded when isBase64Encoded) is
 * read as a control event: with an `action` it runs as the control function would, so a scenario
 * can make it return a chosen value (`{"action":"return","value":{"statusCode":201,...}}`), throw,
 * hang or crash. Any other request is answered with the event it received: `{ "event": <event> }`
 * (a result without statusCode, so the front door sends it as a 200 application/json body).
 */
import type { Callback, Context } from 'aws-lambda';
import { controlEventIn } from '../_shared/http-body';
import { handler as control } from '../control';

export const handler = (event: unknown, context: Context, callback: Callback<unknown>): Promise<unknown> | void => {
  const ev = controlEventIn(event);
  if (ev) return control(ev, context, callback);
  return Promise.resolve({ event });
};
