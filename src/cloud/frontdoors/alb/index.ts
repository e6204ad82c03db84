/**
 * The Application Load Balancer's front door: requests to a load balancer's DNS name
 * (`<name>-<number>.<region>.elb.localhost`, as DescribeLoadBalancers answers it) are routed by its
 * listener's rules and answered by their actions, as AWS's load balancer answers them.
 *
 *   index.ts     which load balancer and listener a request reaches; the checks the load balancer
 *                makes before routing; the actions (this file)
 *   match.ts     rule evaluation (AWS's condition semantics)
 *   event.ts     the event a Lambda target receives
 *   response.ts  the Lambda response mapping, fixed responses, redirects, the load balancer's pages
 *
 * Which listener: every listener is served on the cloud's one port, so the listener port is a
 * fiction. A request reaches the listener whose port is the Host header's port when there is one
 * (a user may call `http://<dns>:<listener port>/` through a proxy or with the cloud on that port);
 * otherwise the HTTP listener with the lowest port. The function sees that listener's port in
 * X-Forwarded-Port, as on AWS; a redirect's #{port} is the port the client actually used, so that
 * the Location works here.
 *
 * Where AWS gives no HTTP answer this door gives one: an unknown load balancer name (AWS: the name
 * does not resolve) is a 404 text answer; a load balancer without listeners (AWS: the connection is
 * refused) is the 503 page.
 */
import { randomBytes } from 'node:crypto';
import type { RawResponse } from '../../protocols/types';
import { DNS_SUFFIX } from '../../services/elbv2/arns';
import { lbAttribute } from '../../services/elbv2/load-balancers';
import { rulesInOrder } from '../../services/elbv2/rules';
import type { Elbv2Store } from '../../services/elbv2/store';
import { multiValueHeaders } from '../../services/elbv2/target-groups';
import { ELB_PRINCIPAL } from '../../services/elbv2/targets';
import type { Action, ListenerRecord, LoadBalancerRecord, TargetGroupRecord } from '../../services/elbv2/types';
import type { DoorRequest, FrontDoor } from '../index';
import { headerLines } from '../http';
import { invokeForDoor } from '../invoke';
import { buildAlbEvent, isTextContentType, isValidUtf8, rawQueryPairs } from './event';
import { firstMatch, type MatchRequest } from './match';
import { albPage, fixedResponse, LAMBDA_LIMIT_BYTES, mapLambdaResponse, redirectResponse } from './response';

/** More X-Forwarded-For addresses than this: HTTP 463 [doc: troubleshooting]. */
const MAX_XFF_ADDRESSES = 30;

export function albDoor(store: Elbv2Store): FrontDoor {
  return {
    name: 'alb',
    handle: (r) => (r.host.endsWith(DNS_SUFFIX) ? serve(store, r) : undefined),
  };
}

/** The listener a request reaches (see the file comment). */
export function pickListener(lb: LoadBalancerRecord, hostHeader: string | undefined): ListenerRecord | undefined {
  const listeners = [...lb.listeners.values()].sort((a, b) => a.port - b.port);
  const port = /:(\d+)$/.exec(hostHeader ?? '')?.[1];
  return listeners.find((l) => String(l.port) === port) ?? listeners[0];
}

/** X-Amzn-Trace-Id as the load balancer passes it: a new Root, or `Self=` in front of the client's [doc: request tracing]. */
export function traceIdFor(sent: string | undefined, nowMs: number): string {
  const id = `1-${Math.floor(nowMs / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
  if (sent && /(^|;)\s*Root=1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24}/.test(sent)) return `Self=${id};${sent}`;
  return `Root=${id}`;
}

async function serve(store: Elbv2Store, r: DoorRequest): Promise<RawResponse> {
  const lb = store.loadBalancerByDns(r.host);
  if (!lb) {
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: `No load balancer has the DNS name ${r.host} (on AWS this name would not resolve).\n` };
  }
  const listener = pickListener(lb, r.req.headers.host);
  if (!listener) return albPage(503);
  const req = r.req;
  const headers = headerLines(req);

  // What the load balancer refuses before any rule [doc: troubleshooting].
  if (req.method === 'TRACE') return albPage(405);
  const te = req.headers['transfer-encoding'];
  if (te !== undefined && !te.split(',').every((v) => ['chunked', 'identity'].includes(v.trim().toLowerCase()))) return albPage(501);
  const xff = headers.filter(([k]) => k === 'x-forwarded-for').flatMap(([, v]) => v.split(','));
  if (xff.length > MAX_XFF_ADDRESSES) return albPage(463);

  const rawQuery = req.rawQuery ?? '';
  const query = rawQueryPairs(rawQuery);
  const match: MatchRequest = { method: req.method, path: req.path, host: r.host, headers, query, sourceIp: req.sourceIp };
  const rule = firstMatch(rulesInOrder(listener), match) ?? listener.defaultRule;
  const action = rule.actions[rule.actions.length - 1];
  switch (action.Type) {
    case 'fixed-response':
      return fixedResponse(action.FixedResponseConfig!);
    case 'redirect':
      return redirectResponse(action.RedirectConfig!, { protocol: 'http', host: r.host, port: r.port, path: req.path, query: rawQuery });
    case 'forward':
      return forward(store, r, lb, listener, action, headers, query);
  }
}

/** One target group of a forward action, by weight (weight 0 never) [doc]. */
function pickTargetGroup(store: Elbv2Store, action: Action): TargetGroupRecord | undefined {
  const groups = action.ForwardConfig?.TargetGroups ?? (action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : []);
  const total = groups.reduce((n, g) => n + g.Weight, 0);
  let pick = total > 0 ? Math.random() * total : 0;
  const chosen = groups.find((g) => g.Weight > 0 && (pick -= g.Weight) < 0) ?? groups[0];
  return chosen ? store.targetGroups.get(chosen.TargetGroupArn) : undefined;
}

async function forward(
  store: Elbv2Store,
  r: DoorRequest,
  lb: LoadBalancerRecord,
  listener: ListenerRecord,
  action: Action,
  headers: [string, string][],
  query: [string, string][],
): Promise<RawResponse> {
  const req = r.req;
  const tg = pickTargetGroup(store, action);
  // No registered target: 503 [doc].
  if (!tg?.target) return albPage(503);
  // Lambda targets take no WebSockets: upgrade requests are 400 [doc].
  if ((req.headers.upgrade ?? '').toLowerCase().includes('websocket')) return albPage(400);
  // A request body over 1 MB: 413 [doc].
  if (req.body.length > LAMBDA_LIMIT_BYTES) return albPage(413);
  const contentType = req.headers['content-type'];
  // A text body that is not UTF-8 cannot be put in the event: LambdaBadRequest, 502 [doc: access log reasons].
  if (req.body.length > 0 && isTextContentType(contentType) && !isValidUtf8(req.body)) return albPage(502);

  const multiValue = multiValueHeaders(tg);
  const mode = lbAttribute(lb, 'routing.http.xff_header_processing.mode') as 'append' | 'preserve' | 'remove';
  const event = buildAlbEvent({
    targetGroupArn: tg.arn,
    method: req.method,
    path: req.path,
    query,
    headers,
    body: req.body,
    multiValue,
    xffMode: mode,
    added: {
      forwardedFor: req.sourceIp,
      forwardedPort: String(listener.port),
      forwardedProto: 'http',
      traceId: traceIdFor(req.headers['x-amzn-trace-id'], store.clock.now()),
    },
  });
  const outcome = await invokeForDoor(store.lambda, {
    functionArn: tg.target.id,
    region: tg.region,
    accountId: tg.accountId,
    event,
    trigger: 'alb',
    endpoint: r.endpoint,
    traceHeader: (multiValue ? (event.multiValueHeaders as Record<string, string[]>)['x-amzn-trace-id'][0] : (event.headers as Record<string, string>)['x-amzn-trace-id']),
    caller: { principal: ELB_PRINCIPAL, sourceArn: tg.arn },
  });
  // A function error, a timeout, a refused invocation (throttled, gone, no permission): 502 [doc].
  if (outcome.kind !== 'response') return albPage(502);
  return mapLambdaResponse(outcome.payload, multiValue) ?? albPage(502);
}
