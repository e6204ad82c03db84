/**
 * Admin endpoints on the cloud's port:
 *   GET  /_localstack/health        LocalStack's health shape, so LocalStack tooling works
 *   GET  /_testbed/health           {status, services, capabilities}
 *   GET  /_testbed/invocations      what ran: ?functionName=&trigger=&since=
 *   GET  /_testbed/environments     the execution environments alive now
 *   POST /_testbed/reset            forget every resource, stop every environment
 *   GET|POST /_testbed/config       runtime knobs: {"stateTransitionMs": n} for every function, or
 *                                   {"functionStateTransitionMs": {"<name>": n | null}} for some;
 *                                   {"accountConcurrency": n}: the account's concurrency limit;
 *                                   {"asyncConcurrencyPerFunction": n}: asynchronous attempts of one
 *                                   function in flight at once (default 16; the rest wait in the queue);
 *                                   {"kinesisShardLimits": true}: Kinesis per-shard write limits (1 MiB
 *                                   and 1,000 records per second, else ProvisionedThroughputExceeded);
 *                                   {"mappingConcurrentBatches": n}: batches one event source mapping
 *                                   has with its function at once (default 16, 1-1000);
 *                                   {"mappingTransitionMs": n}: how long a mapping stays Creating,
 *                                   Enabling, Updating, Disabling or Deleting (virtual ms, default 0)
 *   GET  /_testbed/code/<region>/<fn>/<version>.zip   the code behind GetFunction's Code.Location
 *   GET  /_testbed/layers/<region>/<layer>/<version>.zip   a layer version's zip (GetLayerVersion's Content.Location)
 *   GET  /_testbed/sns/SimpleNotificationService-<hash>.pem   the certificate SNS messages are signed with
 *   GET|POST /_testbed/clock        {"now", "nowMs", "mode"}; POST {"mode": "real" | "compressed"} switches
 *   GET  /_testbed/deliveries       deliveries that failed (a destination, DLQ, subscription or target
 *                                   that was gone or refused), newest last: why a record was lost
 *   POST /_testbed/clock/advance    {"ms": n}: run everything scheduled in the next n virtual ms and
 *                                   answer once virtual time has reached now + n
 *   /_testbed/console               the console test page and its JSON endpoints (console/)
 */
import fs from 'node:fs';
import type { Cloud } from '../cloud';
import { snsCertificateResponse } from '../services/sns/signing';
import { handleConsole, isConsolePath } from './console';
import { ACCOUNT_ID, type RawRequest, type RawResponse } from '../protocols/types';

const VERSION = '0.1.0';

function json(status: number, body: unknown): RawResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function adminError(status: number, message: string): RawResponse {
  return json(status, { error: message });
}

/** A POST body as a JSON object (empty = {}), or the 400 to answer. */
function jsonObject(req: RawRequest): { body: Record<string, unknown> } | { error: RawResponse } {
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8') || '{}');
  } catch {
    return { error: adminError(400, 'body must be JSON') };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { error: adminError(400, 'body must be a JSON object') };
  return { body: body as Record<string, unknown> };
}

export async function handleAdmin(cloud: Cloud, req: RawRequest): Promise<RawResponse | undefined> {
  const { method, path } = req;
  const services = ['lambda', 'logs', 'iam', 'sts', 'sqs', 'sns', 'events', 'kinesis', 's3', 'apigateway', 'apigatewayv2', 'elbv2', 'cloudfront'];
  if (path === '/_localstack/health' || path === '/_localstack/health/') {
    return json(200, {
      services: Object.fromEntries(services.map((s) => [s, 'running'])),
      edition: 'community',
      version: `lambda-testbed-${VERSION}`,
    });
  }
  if (path === '/_testbed/health') {
    return json(200, {
      status: 'ok',
      version: VERSION,
      services,
      capabilities: {
        invocations: true,
        reset: true,
        environments: true,
        config: true,
        clock: true,
        eventbridgeRetryPolicy: true,
        recursionDetection: true,
        mappingExtras: true,
        functionUrlFidelity: true,
        responseStreaming: true,
        restApiFidelity: true,
        httpApis: true,
        alb: true,
        cloudfront: true,
        s3VirtualHosts: true,
      },
    });
  }
  if (path === '/_testbed/invocations' && method === 'GET') {
    const since = req.query.get('since');
    return json(200, {
      invocations: cloud.lambda.invocations.list({
        functionName: req.query.get('functionName') ?? undefined,
        trigger: req.query.get('trigger') ?? undefined,
        since: since === null ? undefined : Number(since),
      }),
    });
  }
  if (path === '/_testbed/environments' && method === 'GET') {
    return json(200, { environments: cloud.environments.list() });
  }
  if (path === '/_testbed/reset' && method === 'POST') {
    await cloud.reset();
    return json(200, { reset: true });
  }
  if (path === '/_testbed/config') {
    if (method === 'POST') {
      const parsed = jsonObject(req);
      if ('error' in parsed) return parsed.error;
      const { body } = parsed;
      const validMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 600_000;
      const ms = body.stateTransitionMs;
      if (ms !== undefined && !validMs(ms)) return adminError(400, 'stateTransitionMs must be a number from 0 to 600000');
      const perFunction = body.functionStateTransitionMs;
      if (perFunction !== undefined) {
        if (perFunction === null || typeof perFunction !== 'object' || Array.isArray(perFunction)) {
          return adminError(400, 'functionStateTransitionMs must be an object of function name to milliseconds (null removes one)');
        }
        for (const v of Object.values(perFunction)) {
          if (v !== null && !validMs(v)) return adminError(400, 'functionStateTransitionMs values must be numbers from 0 to 600000, or null');
        }
        for (const [name, v] of Object.entries(perFunction as Record<string, number | null>)) {
          if (v === null) cloud.lambda.stateTransitionOverrides.delete(name);
          else cloud.lambda.stateTransitionOverrides.set(name, v);
        }
      }
      const limit = body.accountConcurrency;
      if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100_000)) {
        return adminError(400, 'accountConcurrency must be an integer from 1 to 100000');
      }
      const asyncPerFunction = body.asyncConcurrencyPerFunction;
      if (asyncPerFunction !== undefined && (typeof asyncPerFunction !== 'number' || !Number.isInteger(asyncPerFunction) || asyncPerFunction < 1 || asyncPerFunction > 1000)) {
        return adminError(400, 'asyncConcurrencyPerFunction must be an integer from 1 to 1000');
      }
      const kinesisShardLimits = body.kinesisShardLimits;
      if (kinesisShardLimits !== undefined && typeof kinesisShardLimits !== 'boolean') return adminError(400, 'kinesisShardLimits must be true or false');
      const mappingBatches = body.mappingConcurrentBatches;
      if (mappingBatches !== undefined && (typeof mappingBatches !== 'number' || !Number.isInteger(mappingBatches) || mappingBatches < 1 || mappingBatches > 1000)) {
        return adminError(400, 'mappingConcurrentBatches must be an integer from 1 to 1000');
      }
      const mappingMs = body.mappingTransitionMs;
      if (mappingMs !== undefined && !validMs(mappingMs)) return adminError(400, 'mappingTransitionMs must be a number from 0 to 600000');
      if (asyncPerFunction !== undefined) cloud.lambda.async.queue.concurrencyPerFunction = asyncPerFunction as number;
      if (kinesisShardLimits !== undefined) cloud.kinesis.shardLimits = kinesisShardLimits;
      if (mappingBatches !== undefined) cloud.lambda.mappings.maxConcurrentBatches = mappingBatches as number;
      if (mappingMs !== undefined) cloud.lambda.mappings.transitionMs = mappingMs;
      if (ms !== undefined) cloud.lambda.stateTransitionMs = ms;
      if (limit !== undefined) cloud.lambda.accountConcurrency = limit as number;
    }
    return json(200, {
      stateTransitionMs: cloud.lambda.stateTransitionMs,
      functionStateTransitionMs: Object.fromEntries(cloud.lambda.stateTransitionOverrides),
      accountConcurrency: cloud.lambda.accountConcurrency,
      asyncConcurrencyPerFunction: cloud.lambda.async.queue.concurrencyPerFunction,
      kinesisShardLimits: cloud.kinesis.shardLimits,
      mappingConcurrentBatches: cloud.lambda.mappings.maxConcurrentBatches,
      mappingTransitionMs: cloud.lambda.mappings.transitionMs,
    });
  }
  if (path === '/_testbed/clock' || path === '/_testbed/clock/advance') return clockEndpoint(cloud, req);
  const code = /^\/_testbed\/code\/([a-z0-9-]+)\/([^/]+)\/([^/]+)\.zip$/.exec(path);
  if (code && method === 'GET') {
    const zip = cloud.lambda.codeZipPath({ accountId: ACCOUNT_ID, region: code[1] }, decodeURIComponent(code[2]), decodeURIComponent(code[3]));
    if (!zip || !fs.existsSync(zip)) return adminError(404, 'no such code');
    return { status: 200, headers: { 'content-type': 'application/zip' }, body: fs.readFileSync(zip) };
  }
  const layer = /^\/_testbed\/layers\/([a-z0-9-]+)\/([^/]+)\/(\d+)\.zip$/.exec(path);
  if (layer && method === 'GET') {
    const zip = cloud.lambda.layers.zipPath({ accountId: ACCOUNT_ID, region: layer[1] }, decodeURIComponent(layer[2]), Number(layer[3]));
    if (!zip || !fs.existsSync(zip)) return adminError(404, 'no such layer version');
    return { status: 200, headers: { 'content-type': 'application/zip' }, body: fs.readFileSync(zip) };
  }
  if (path === '/_testbed/deliveries' && method === 'GET') return json(200, { failures: cloud.deliverer.failures });
  if (path.startsWith('/_testbed/sns/') && method === 'GET') {
    const cert = await snsCertificateResponse(path);
    if (cert) return cert;
  }
  if (isConsolePath(path)) return handleConsole(cloud, req);
  if (path.startsWith('/_testbed/')) return adminError(404, `unknown admin path ${path}`);
  return undefined;
}

/** Virtual time longer than this in one advance is refused (a year): it guards against typos. */
const MAX_ADVANCE_MS = 366 * 24 * 3600 * 1000;

function clockState(cloud: Cloud): RawResponse {
  const now = cloud.clock.now();
  return json(200, { now: new Date(now).toISOString(), nowMs: now, mode: cloud.clock.mode });
}

async function clockEndpoint(cloud: Cloud, req: RawRequest): Promise<RawResponse> {
  if (req.method === 'GET' && req.path === '/_testbed/clock') return clockState(cloud);
  if (req.method !== 'POST') return adminError(405, `${req.method} is not allowed on ${req.path}`);
  const parsed = jsonObject(req);
  if ('error' in parsed) return parsed.error;
  const { body } = parsed;
  if (req.path === '/_testbed/clock') {
    if (body.mode !== undefined) {
      if (body.mode !== 'real' && body.mode !== 'compressed') return adminError(400, 'mode must be "real" or "compressed"');
      cloud.clock.mode = body.mode;
    }
    return clockState(cloud);
  }
  const ms = body.ms;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_ADVANCE_MS) {
    return adminError(400, `ms must be a number from 0 to ${MAX_ADVANCE_MS}`);
  }
  await cloud.clock.advanceBy(ms, { releasesBusy: true });
  return clockState(cloud);
}
