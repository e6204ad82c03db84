/**
 * The console page's JSON endpoints (under /_testbed/console/api). Every answer is JSON; a bad
 * request (not JSON, a missing or wrong field, an unknown function, template or event) is a 4xx
 * `{"error": "...", "code"?: "..."}` and changes nothing.
 *
 *   GET    functions                              functions with runtime, memory, timeout, last invocations
 *   GET    templates                              the event templates (src/events) and their options
 *   POST   templates/<name>                       {options?} -> {event}: a template's event for this cloud
 *   POST   invoke                                 {functionName, region?, qualifier?, invocationType?, payload}
 *                                                 -> the result, status, error, log tail and REPORT numbers
 *   GET    invocations/<requestId>?functionName=&region=   an invocation's attempts, log and REPORT numbers
 *   GET    functions/<name>/events?region=        shareable test events
 *   PUT    functions/<name>/events/<event>?region= {event}: save one (JSON text or value)
 *   DELETE functions/<name>/events/<event>?region= forget one
 */
import { randomUUID } from 'node:crypto';
import type { Cloud } from '../../cloud';
import { AwsError } from '../../errors';
import { invoke } from '../../lambda/invoke';
import type { LambdaFunction } from '../../lambda/model';
import { ACCOUNT_ID, DEFAULT_REGION, type RawRequest, type RawResponse, type RequestContext } from '../../protocols/types';
import { describeTemplates, generateEvent, TemplateError } from '../../../events';
import { parseReport, requestLog } from './report';
import { deleteShared, EVENT_NAME, listShared, MAX_EVENT_BYTES, saveShared } from './shared-events';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): RawResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

export function apiError(status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): RawResponse {
  return json(status, { error, ...extra }, headers);
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body as a JSON object, or a 400. */
function bodyObject(req: RawRequest): Record<string, unknown> {
  const text = req.body.toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(text === '' ? '{}' : text);
  } catch (e) {
    throw new BadRequest(400, `the request body is not valid JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new BadRequest(400, 'the request body must be a JSON object');
  return v as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new BadRequest(400, `${name} must be a string`);
  return v;
}

function regionOf(value: string | null | undefined): string {
  const region = value || DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new BadRequest(400, `not a region: ${JSON.stringify(region)}`);
  return region;
}

function context(cloud: Cloud, region: string): RequestContext {
  return { requestId: randomUUID(), region, accountId: ACCOUNT_ID, endpoint: cloud.endpoint, path: '', clock: cloud.clock };
}

/** The function a request names (404 as Lambda words it when there is none). */
function findFunction(cloud: Cloud, name: string, region: string): LambdaFunction {
  return cloud.lambda.ref(context(cloud, region), name).fn;
}

function invocationsOf(cloud: Cloud, fn: LambdaFunction, limit: number) {
  const all = cloud.lambda.invocations.list({ functionName: fn.name }).filter((r) => r.functionArn === fn.arn);
  return all
    .slice(-limit)
    .reverse()
    .map((r) => ({
      requestId: r.requestId,
      trigger: r.trigger,
      outcome: r.outcome,
      errorType: r.errorType,
      executedVersion: r.executedVersion,
      coldStart: r.coldStart,
      attempt: r.attempt,
      start: new Date(r.start).toISOString(),
      durationMs: r.end === null ? null : r.end - r.start,
    }));
}

// ---------------------------------------------------------------- handlers

function listFunctions(cloud: Cloud): RawResponse {
  const functions = [...cloud.lambda.functions.values()]
    .filter((fn) => fn.accountId === ACCOUNT_ID)
    .sort((a, b) => a.name.localeCompare(b.name) || a.region.localeCompare(b.region))
    .map((fn) => {
      const c = fn.latest.config;
      return {
        name: fn.name,
        region: fn.region,
        arn: fn.arn,
        runtime: c.runtime,
        handler: c.handler,
        memorySize: c.memorySize,
        timeout: c.timeout,
        state: fn.latest.state,
        lastModified: new Date(fn.latest.lastModified).toISOString(),
        lastInvocations: invocationsOf(cloud, fn, 5),
      };
    });
  return json(200, { functions });
}

function templateEvent(cloud: Cloud, req: RawRequest, name: string): RawResponse {
  const body = bodyObject(req);
  const options = body.options ?? {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new BadRequest(400, 'options must be a JSON object');
  const region = regionOf(optionalString(body, 'region'));
  try {
    const event = generateEvent(name, options as Record<string, unknown>, { now: cloud.clock.now(), region, accountId: ACCOUNT_ID });
    return json(200, { name, event });
  } catch (e) {
    if (e instanceof TemplateError) return apiError(/^unknown trigger/.test(e.message) ? 404 : 400, e.message);
    throw e;
  }
}

async function invokeFunction(cloud: Cloud, req: RawRequest): Promise<RawResponse> {
  const body = bodyObject(req);
  const functionName = optionalString(body, 'functionName');
  if (!functionName) throw new BadRequest(400, 'functionName is required');
  const region = regionOf(optionalString(body, 'region'));
  const invocationType = optionalString(body, 'invocationType') ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'Event') throw new BadRequest(400, 'invocationType must be RequestResponse or Event');
  const payload = body.payload === undefined ? (body.event === undefined ? '{}' : JSON.stringify(body.event)) : body.payload;
  if (typeof payload !== 'string') throw new BadRequest(400, 'payload must be the event as JSON text (or send event as a JSON value)');
  const ctx = context(cloud, region);
  const out = await invoke(cloud.lambda, ctx, {
    functionName,
    qualifier: optionalString(body, 'qualifier'),
    invocationType,
    logType: invocationType === 'RequestResponse' ? 'Tail' : 'None',
    payload: Buffer.from(payload, 'utf8'),
    trigger: 'console',
  });
  if (invocationType === 'Event') return json(200, { requestId: ctx.requestId, status: out.status });
  const logTail = Buffer.from(out.headers['x-amz-log-result'] ?? '', 'base64').toString('utf8');
  return json(200, {
    requestId: ctx.requestId,
    status: out.status,
    executedVersion: out.headers['x-amz-executed-version'] ?? null,
    functionError: out.headers['x-amz-function-error'] ?? null,
    payload: (out.payload ?? Buffer.alloc(0)).toString('utf8'),
    logTail,
    report: parseReport(logTail) ?? null,
  });
}

function invocationDetails(cloud: Cloud, req: RawRequest, requestId: string): RawResponse {
  const name = req.query.get('functionName');
  if (!name) throw new BadRequest(400, 'functionName is required');
  const fn = findFunction(cloud, name, regionOf(req.query.get('region')));
  const attempts = invocationsOf(cloud, fn, Number.MAX_SAFE_INTEGER).filter((r) => r.requestId === requestId).reverse();
  const log = requestLog(cloud.logs, { accountId: fn.accountId, region: fn.region, group: fn.latest.config.logGroup }, requestId);
  return json(200, { requestId, attempts, log, report: parseReport(log) ?? null });
}

function sharedEvents(cloud: Cloud, req: RawRequest, name: string, eventName: string | undefined): RawResponse {
  const fn = findFunction(cloud, name, regionOf(req.query.get('region')));
  if (eventName === undefined) {
    if (req.method !== 'GET') return apiError(405, `${req.method} is not allowed on ${req.path}`, {}, { allow: 'GET' });
    return json(200, { functionName: fn.name, events: listShared(cloud.lambda, fn.arn) });
  }
  if (!EVENT_NAME.test(eventName)) throw new BadRequest(400, 'an event name has 1 to 25 letters, digits, ".", "-" or "_"');
  if (req.method === 'DELETE') {
    if (!deleteShared(cloud.lambda, fn.arn, eventName)) return apiError(404, `no shareable test event "${eventName}" for ${fn.name}`);
    return json(200, { deleted: eventName });
  }
  if (req.method !== 'PUT') return apiError(405, `${req.method} is not allowed on ${req.path}`, {}, { allow: 'PUT, DELETE' });
  const body = bodyObject(req);
  if (body.event === undefined) throw new BadRequest(400, 'event is required (the event as JSON text or a JSON value)');
  const text = typeof body.event === 'string' ? body.event : JSON.stringify(body.event);
  try {
    JSON.parse(text);
  } catch (e) {
    throw new BadRequest(400, `the event is not valid JSON: ${(e as Error).message}`);
  }
  if (Buffer.byteLength(text) > MAX_EVENT_BYTES) throw new BadRequest(413, `the event is larger than ${MAX_EVENT_BYTES} bytes`);
  const saved = saveShared(cloud.lambda, fn.arn, { name: eventName, event: text, savedAt: cloud.clock.now() });
  if (!saved.ok) return apiError(saved.status, saved.error);
  return json(saved.created ? 201 : 200, { saved: eventName });
}

/** One API request (path is what follows /_testbed/console/api/). */
export async function handleApi(cloud: Cloud, req: RawRequest, path: string): Promise<RawResponse> {
  const parts = path.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const method = req.method;
  const only = (allowed: string) => apiError(405, `${method} is not allowed on ${req.path}`, {}, { allow: allowed });
  try {
    if (parts.length === 1 && parts[0] === 'functions') return method === 'GET' ? listFunctions(cloud) : only('GET');
    if (parts.length === 1 && parts[0] === 'templates') return method === 'GET' ? json(200, { templates: describeTemplates() }) : only('GET');
    if (parts.length === 2 && parts[0] === 'templates' && parts[1]) return method === 'POST' ? templateEvent(cloud, req, parts[1]) : only('POST');
    if (parts.length === 1 && parts[0] === 'invoke') return method === 'POST' ? await invokeFunction(cloud, req) : only('POST');
    if (parts.length === 2 && parts[0] === 'invocations' && parts[1]) return method === 'GET' ? invocationDetails(cloud, req, parts[1]) : only('GET');
    if ((parts.length === 3 || parts.length === 4) && parts[0] === 'functions' && parts[1] && parts[2] === 'events') {
      if (parts.length === 4 && !parts[3]) return apiError(404, `unknown console endpoint ${req.path}`);
      return sharedEvents(cloud, req, parts[1], parts[3]);
    }
    return apiError(404, `unknown console endpoint ${req.path}`);
  } catch (e) {
    if (e instanceof BadRequest) return apiError(e.status, e.message);
    if (e instanceof AwsError) return apiError(e.status, e.message, { code: e.code });
    throw e;
  }
}
