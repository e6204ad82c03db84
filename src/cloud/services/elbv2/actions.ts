/**
 * Listener default actions and rule actions, checked and stored as AWS echoes them: forward (to one
 * target group, echoed with TargetGroupArn and ForwardConfig; or weighted ForwardConfig), fixed-response
 * and redirect (every component echoed, defaults `#{protocol}`, `#{port}`, `#{host}`, `/#{path}`,
 * `#{query}` filled in) [doc]. The authenticate and jwt-validation actions need an HTTPS listener,
 * which this cloud does not serve.
 */
import type { RequestContext } from '../../protocols/types';
import { checkArn } from './arns';
import { invalidAction, targetGroupAssociationLimit, validationError, validator } from './errors';
import { bool, int, isRecord, record, str, type In } from './input';
import type { Elbv2Store } from './store';
import type { Action, FixedResponseConfig, LoadBalancerRecord, RedirectConfig, TargetGroupTuple } from './types';

const ACTION_TYPES = ['forward', 'authenticate-oidc', 'authenticate-cognito', 'redirect', 'fixed-response', 'jwt-validation'];
const FIXED_CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];

/** The actions of CreateListener (member "defaultActions"), CreateRule and ModifyRule ("actions"). */
export function checkActions(store: Elbv2Store, ctx: RequestContext, list: unknown, member: string, lb: LoadBalancerRecord): Action[] {
  if (list === undefined) validator().fail(null, member, 'Member must not be null').check();
  const items = list === '' ? [] : Array.isArray(list) ? list : [list];
  if (items.length === 0) throw validationError('At least one action must be specified'); // unconfirmed text
  const v = validator();
  items.forEach((a, i) => {
    const at = `${member}.${i + 1}.member`;
    const item = isRecord(a) ? a : {};
    if (v.required(str(item, 'Type'), `${at}.type`)) v.oneOf(str(item, 'Type'), `${at}.type`, ACTION_TYPES);
    v.range(int(item, 'Order', `${at}.order`), `${at}.order`, 1, 50000);
  });
  v.check();
  const actions = items.map((a, i) => checkAction(store, ctx, a as In, `${member}.${i + 1}.member`, lb));
  if (actions.length > 1) throw invalidAction('A rule can have only one forward, redirect or fixed-response action'); // [doc] unconfirmed text
  return actions;
}

function checkAction(store: Elbv2Store, ctx: RequestContext, a: In, at: string, lb: LoadBalancerRecord): Action {
  const type = str(a, 'Type') as string;
  const order = int(a, 'Order', `${at}.order`);
  const base = order === undefined ? {} : { Order: order };
  if (type === 'forward') return { Type: 'forward', ...base, ...forward(store, ctx, a, lb) };
  if (type === 'fixed-response') return { Type: 'fixed-response', ...base, FixedResponseConfig: fixedResponse(a, at) };
  if (type === 'redirect') return { Type: 'redirect', ...base, RedirectConfig: redirect(a, at) };
  throw invalidAction(`The action type '${type}' is supported only on HTTPS listeners`); // unconfirmed text
}

function forward(store: Elbv2Store, ctx: RequestContext, a: In, lb: LoadBalancerRecord): Pick<Action, 'TargetGroupArn' | 'ForwardConfig'> {
  const single = str(a, 'TargetGroupArn');
  const config = record(a, 'ForwardConfig');
  const listed = config?.TargetGroups;
  const tuples: TargetGroupTuple[] = (Array.isArray(listed) ? listed : []).map((t) => {
    const tuple = isRecord(t) ? t : {};
    return { TargetGroupArn: str(tuple, 'TargetGroupArn') ?? '', Weight: int(tuple, 'Weight', 'weight') ?? 1 };
  });
  if (single === undefined && tuples.length === 0) throw validationError('A target group ARN must be specified'); // unconfirmed text
  if (single !== undefined && tuples.length > 0 && (tuples.length !== 1 || tuples[0].TargetGroupArn !== single)) {
    throw invalidAction('You can specify both a top-level target group ARN and a target group ARN within the forward config only if the ARNs are the same'); // [model] unconfirmed text
  }
  if (tuples.length > 5) throw invalidAction('You can specify up to 5 target groups in a forward action'); // [doc] unconfirmed text
  const groups = tuples.length ? tuples : [{ TargetGroupArn: single as string, Weight: 1 }];
  for (const t of groups) {
    checkArn(t.TargetGroupArn, 'target group');
    validator().range(t.Weight, 'weight', 0, 999).check();
    const tg = store.requireTargetGroup(ctx, t.TargetGroupArn);
    if (store.loadBalancersUsing(tg).some((other) => other !== lb)) throw targetGroupAssociationLimit(tg.arn);
  }
  const stickiness = record(config ?? {}, 'TargetGroupStickinessConfig') ?? {};
  const enabled = bool(stickiness, 'Enabled') ?? false;
  const duration = int(stickiness, 'DurationSeconds');
  return {
    TargetGroupArn: groups.length === 1 ? groups[0].TargetGroupArn : undefined,
    ForwardConfig: { TargetGroups: groups, TargetGroupStickinessConfig: { Enabled: enabled, ...(duration !== undefined ? { DurationSeconds: duration } : {}) } },
  };
}

function fixedResponse(a: In, at: string): FixedResponseConfig {
  const c = record(a, 'FixedResponseConfig');
  if (!c) throw validationError('A fixed response config must be specified for fixed-response actions'); // unconfirmed text
  const status = str(c, 'StatusCode');
  const v = validator();
  if (v.required(status, `${at}.fixedResponseConfig.statusCode`)) v.pattern(status, `${at}.fixedResponseConfig.statusCode`, /^(2|4|5)\d\d$/, '^(2|4|5)\\d\\d$');
  v.length(str(c, 'MessageBody'), `${at}.fixedResponseConfig.messageBody`, 0, 1024);
  v.length(str(c, 'ContentType'), `${at}.fixedResponseConfig.contentType`, 0, 32);
  v.check();
  const contentType = str(c, 'ContentType');
  if (contentType && !FIXED_CONTENT_TYPES.includes(contentType)) {
    throw invalidAction("The ContentType must be one of:'text/html', 'application/json', 'application/javascript', 'text/css', 'text/plain'"); // [obs]
  }
  return {
    StatusCode: status as string,
    ...(contentType ? { ContentType: contentType } : {}),
    ...(str(c, 'MessageBody') !== undefined ? { MessageBody: str(c, 'MessageBody') } : {}),
  };
}

function redirect(a: In, at: string): RedirectConfig {
  const c = record(a, 'RedirectConfig');
  if (!c) throw validationError('A redirect config must be specified for redirect actions'); // unconfirmed text
  const m = `${at}.redirectConfig`;
  const r: RedirectConfig = {
    Protocol: str(c, 'Protocol') ?? '#{protocol}',
    Port: str(c, 'Port') ?? '#{port}',
    Host: str(c, 'Host') ?? '#{host}',
    Path: str(c, 'Path') ?? '/#{path}',
    Query: str(c, 'Query') ?? '#{query}',
    StatusCode: str(c, 'StatusCode') as RedirectConfig['StatusCode'],
  };
  const v = validator();
  if (v.required(str(c, 'StatusCode'), `${m}.statusCode`)) v.oneOf(r.StatusCode, `${m}.statusCode`, ['HTTP_301', 'HTTP_302']);
  v.pattern(r.Protocol, `${m}.protocol`, /^(HTTPS?|#\{protocol\})$/, '^(HTTPS?|#\\{protocol\\})$');
  v.length(r.Host, `${m}.host`, 1, 128).length(r.Path, `${m}.path`, 1, 128).length(r.Query, `${m}.query`, 0, 128);
  v.check();
  if (r.Port !== '#{port}' && !(/^\d{1,5}$/.test(r.Port) && Number(r.Port) >= 1 && Number(r.Port) <= 65535)) {
    throw invalidAction(`The redirect port '${r.Port}' is not valid`); // unconfirmed text
  }
  if (!r.Path.startsWith('/')) throw invalidAction("The redirect path must begin with a '/' character"); // unconfirmed text
  for (const [k, v] of [['host', r.Host], ['path', r.Path], ['query', r.Query]]) {
    // [doc] the components take printable characters only (a Location header must be sendable).
    if (!/^[\x21-\x7e]*$/.test(v)) throw invalidAction(`The redirect ${k} '${v}' contains characters that are not valid`); // unconfirmed text
  }
  if (r.Protocol === '#{protocol}' && r.Port === '#{port}' && r.Host === '#{host}' && r.Path === '/#{path}') {
    throw invalidAction('The redirect configuration is not valid because it creates a loop.'); // [obs]
  }
  return r;
}

/** The action as Describe* answers it. */
export function actionOut(a: Action) {
  return { ...a };
}
