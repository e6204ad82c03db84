/**
 * alb-target: a Lambda target for an Application Load Balancer whose answer the request chooses.
 *
 * The request body (JSON, base64-decoded when the load balancer encoded it) may hold:
 *   respond   return this value as it is (any JSON: a valid ALB response, or garbage)
 *   throw     throw new Error(throw)
 *   bigBody   answer 200 with a body of that many characters
 *   sleepMs   wait first
 * Anything else (or no body): 200 with `{ event }` as JSON, the headers in the form the event came in
 * (`multiValueHeaders` when the target group has multi-value headers enabled, else `headers`).
 */
import type { ALBEvent, ALBResult } from 'aws-lambda';

interface Directive {
  respond?: unknown;
  throw?: string;
  bigBody?: number;
  sleepMs?: number;
}

function directive(event: ALBEvent): Directive {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Directive) : {};
  } catch {
    return {};
  }
}

export async function handler(event: ALBEvent): Promise<unknown> {
  const d = directive(event);
  if (typeof d.sleepMs === 'number') await new Promise((resolve) => setTimeout(resolve, d.sleepMs));
  if (typeof d.throw === 'string') throw new Error(d.throw);
  if ('respond' in d) return d.respond;
  if (typeof d.bigBody === 'number') return { statusCode: 200, body: 'x'.repeat(d.bigBody) };
  const out: ALBResult = { statusCode: 200, statusDescription: '200 OK', isBase64Encoded: false, body: JSON.stringify({ event }) };
  if (event.multiValueHeaders) out.multiValueHeaders = { 'content-type': ['application/json'] };
  else out.headers = { 'content-type': 'application/json' };
  return out;
}
