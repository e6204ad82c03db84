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
  return Promise.resolve({ event });
};
