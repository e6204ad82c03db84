/**
 * What the Function URL suites share: a URL config made fresh for a suite (deleted after it), the
 * two resource-policy statements a public URL needs (lambda:InvokeFunctionUrl with
 * FunctionUrlAuthType NONE, and lambda:InvokeFunction with InvokedViaFunctionUrl since Oct 2025),
 * and requests that drive the `function-url-control` function through its body.
 */
import {
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  type CreateFunctionUrlConfigCommandInput,
} from '@aws-sdk/client-lambda';
import { httpRequest, type HttpResponse } from '../../src/testbed/http';
export { Sha256 } from '../../src/testbed/sha256';
export { allowPublicAccess } from './_permissions';
import { getTestbed } from '../_support/testbed';

const tb = getTestbed();

/** Delete any URL config left by an earlier run, create this one, and delete it after the suite. */
export async function freshUrl(input: CreateFunctionUrlConfigCommandInput): Promise<string> {
  const key = { FunctionName: input.FunctionName, Qualifier: input.Qualifier };
  await tb.clients.lambda.send(new DeleteFunctionUrlConfigCommand(key)).catch(() => undefined);
  const out = await tb.clients.lambda.send(new CreateFunctionUrlConfigCommand(input));
  return out.FunctionUrl!;
}

/** POST a control event (see functions/control) as the JSON body: the function acts on it. */
export function control(url: string, event: Record<string, unknown>): Promise<HttpResponse> {
  return httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
}

/** Make the function return `value` as its result. */
export function returning(url: string, value: unknown): Promise<HttpResponse> {
  return control(url, { action: 'return', value, noProbe: true });
}

/** The v2.0 event the function received (it answers `{ event }` to any request without an action). */
export function eventOf(r: HttpResponse): Record<string, any> {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${r.text}`);
  return r.json<{ event: Record<string, any> }>().event;
}

/** The same URL with another (never created) url id: 32 lower-case alphanumerics. */
export function unknownUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[a-z0-9]+\./, '$10123456789abcdefghijklmnopqrstuv.');
}
