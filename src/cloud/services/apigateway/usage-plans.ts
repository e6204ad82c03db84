/**
 * Usage plans (Create, Get, GetUsagePlans, Update, Delete) and usage plan keys (Create, Get,
 * GetUsagePlanKeys, Delete). A plan names API stages; a key in a plan opens the methods with
 * apiKeyRequired on those stages (checked in the front door), within the plan's quota.
 * Texts [rec: test_apigateway_common/extended.snapshot.json].
 */
import type { RequestContext } from '../../protocols/types';
import { Validator } from '../../protocols/validation';
import { badRequest, conflict, invalidApiKey, invalidStage, invalidUsagePlan, notFound } from './errors';
import { findApiKey } from './api-keys';
import { type Body, optString, optStringMap, page } from './input';
import { usagePlanOut } from './output';
import { patchOperations, pointerParts } from './patch';
import type { ApiGatewayStore } from './store';
import type { ApiStage, QuotaSettings, UsagePlan } from './types';

const PERIODS = ['DAY', 'WEEK', 'MONTH'];

function apiStageExists(store: ApiGatewayStore, ctx: RequestContext, apiId: string, stage: string): boolean {
  return !!store.region(ctx).apis.get(apiId)?.stages.has(stage);
}

function numberIn(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw badRequest(`Invalid ${key} specified`);
  return v;
}

function quotaOf(raw: unknown, input: string): QuotaSettings | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const q = raw as Record<string, unknown>;
  const v = new Validator();
  v.oneOf(q.period, `${input}.quota.period`, PERIODS);
  v.check();
  const limit = numberIn(q, 'limit');
  if (limit === undefined || limit < 0) throw badRequest('Quota limit must be a non-negative integer');
  if (!q.period) throw badRequest('Quota period must be specified');
  return { limit, offset: numberIn(q, 'offset') ?? 0, period: q.period as QuotaSettings['period'] };
}

function throttleOf(raw: unknown): UsagePlan['throttle'] {
  if (!raw || typeof raw !== 'object') return undefined;
  const t = raw as Record<string, unknown>;
  const out: NonNullable<UsagePlan['throttle']> = {};
  const burst = numberIn(t, 'burstLimit');
  const rate = numberIn(t, 'rateLimit');
  if (burst !== undefined) out.burstLimit = burst;
  if (rate !== undefined) out.rateLimit = rate;
  return out;
}

export function createUsagePlan(store: ApiGatewayStore, ctx: RequestContext, body: Body) {
  const name = optString(body, 'name');
  const v = new Validator();
  v.required(name, 'createUsagePlanInput.name');
  v.check();
  const apiStages: ApiStage[] = [];
  for (const raw of Array.isArray(body.apiStages) ? (body.apiStages as Record<string, unknown>[]) : []) {
    const apiId = String(raw?.apiId ?? '');
    const stage = String(raw?.stage ?? '');
    if (!apiStageExists(store, ctx, apiId, stage)) throw invalidStage();
    const s: ApiStage = { apiId, stage };
    if (raw.throttle && typeof raw.throttle === 'object') s.throttle = structuredClone(raw.throttle) as ApiStage['throttle'];
    apiStages.push(s);
  }
  const plan: UsagePlan = {
    id: store.newId(),
    name: name!,
    apiStages,
    tags: (optStringMap(body, 'tags') ?? {}) as Record<string, string>,
    keys: [],
    usage: new Map(),
  };
  const description = optString(body, 'description');
  if (description) plan.description = description;
  const throttle = throttleOf(body.throttle);
  if (throttle) plan.throttle = throttle;
  const quota = quotaOf(body.quota, 'createUsagePlanInput');
  if (quota) plan.quota = quota;
  store.region(ctx).usagePlans.set(plan.id, plan);
  return usagePlanOut(plan, 'nonEmpty');
}

function findPlan(store: ApiGatewayStore, ctx: RequestContext, id: string): UsagePlan {
  const p = store.region(ctx).usagePlans.get(id);
  if (!p) throw invalidUsagePlan();
  return p;
}

export function getUsagePlan(store: ApiGatewayStore, ctx: RequestContext, id: string) {
  return usagePlanOut(findPlan(store, ctx, id), 'always');
}

export function getUsagePlans(store: ApiGatewayStore, ctx: RequestContext, query: URLSearchParams) {
  const keyId = query.get('keyId');
  const plans = [...store.region(ctx).usagePlans.values()].filter((p) => !keyId || p.keys.includes(keyId)).map((p) => usagePlanOut(p, 'nonEmpty'));
  return page(plans, query);
}

export function updateUsagePlan(store: ApiGatewayStore, ctx: RequestContext, id: string, body: Body) {
  const ops = patchOperations(body, 'updateUsagePlanInput');
  const plan = findPlan(store, ctx, id);
  const next = { ...structuredClone({ ...plan, usage: undefined }), usage: plan.usage } as UsagePlan;
  for (const o of ops) {
    const parts = pointerParts(o.path);
    const [head, sub] = parts;
    if ((head === 'name' || head === 'description' || head === 'productCode') && parts.length === 1) {
      if (head === 'name') {
        if (!o.value) throw badRequest('Usage plan name must be non-empty');
        next.name = o.value;
      } else if (o.op === 'remove' || !o.value) delete next[head];
      else next[head] = o.value;
    } else if (head === 'apiStages' && parts.length === 1) {
      // value "<apiId>:<stage>" [rec]
      const m = /^([^:]+):(.+)$/.exec(o.value ?? '');
      if (!m) throw badRequest('Invalid API Stage specified');
      const [, apiId, stage] = m;
      if (o.op === 'add') {
        if (!apiStageExists(store, ctx, apiId, stage)) throw notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${id}`);
        if (!next.apiStages.some((s) => s.apiId === apiId && s.stage === stage)) next.apiStages.push({ apiId, stage });
      } else if (o.op === 'remove') {
        if (!next.apiStages.some((s) => s.apiId === apiId && s.stage === stage)) {
          throw notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${id}`);
        }
        next.apiStages = next.apiStages.filter((s) => !(s.apiId === apiId && s.stage === stage));
      } else throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'`);
    } else if (head === 'throttle' && (sub === 'burstLimit' || sub === 'rateLimit') && parts.length === 2) {
      const t = { ...(next.throttle ?? {}) };
      if (o.op === 'remove') delete t[sub];
      else t[sub] = Number(o.value);
      next.throttle = Object.keys(t).length ? t : undefined;
    } else if (head === 'throttle' && parts.length === 1 && o.op === 'remove') {
      delete next.throttle;
    } else if (head === 'quota' && parts.length === 1 && o.op === 'remove') {
      delete next.quota;
    } else if (head === 'quota' && (sub === 'limit' || sub === 'offset' || sub === 'period') && parts.length === 2) {
      const q: QuotaSettings = { limit: 0, offset: 0, period: 'DAY', ...(next.quota ?? {}) };
      if (sub === 'period') {
        if (!PERIODS.includes(o.value ?? '')) throw badRequest(`Invalid quota period specified: ${o.value}`);
        q.period = o.value as QuotaSettings['period'];
      } else q[sub] = Number(o.value);
      next.quota = q;
    } else {
      throw badRequest(`Invalid patch path ${o.path}`);
    }
  }
  for (const k of Object.keys(next) as (keyof UsagePlan)[]) if (next[k] === undefined) delete next[k];
  store.region(ctx).usagePlans.set(id, next);
  return usagePlanOut(next, 'always');
}

export function deleteUsagePlan(store: ApiGatewayStore, ctx: RequestContext, id: string): void {
  findPlan(store, ctx, id);
  store.region(ctx).usagePlans.delete(id);
}

// ------------------------------------------------------------------ usage plan keys

function planKeyOut(store: ApiGatewayStore, ctx: RequestContext, keyId: string) {
  const k = findApiKey(store, ctx, keyId);
  return { id: k.id, type: 'API_KEY', value: k.value, ...(k.name ? { name: k.name } : {}) };
}

export function createUsagePlanKey(store: ApiGatewayStore, ctx: RequestContext, planId: string, body: Body) {
  const keyId = optString(body, 'keyId');
  const keyType = optString(body, 'keyType');
  const v = new Validator();
  v.required(keyId, 'createUsagePlanKeyInput.keyId');
  v.required(keyType, 'createUsagePlanKeyInput.keyType');
  v.check();
  if (keyType !== 'API_KEY') throw badRequest(`Invalid key type specified: ${keyType}`);
  const plan = findPlan(store, ctx, planId);
  if (!store.region(ctx).apiKeys.has(keyId!)) throw invalidApiKey();
  if (plan.keys.includes(keyId!)) throw conflict(`Usage Plan ${planId} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage`);
  plan.keys.push(keyId!);
  return planKeyOut(store, ctx, keyId!);
}

/** An unknown plan lists no keys (200, empty) [rec]. Newest first. */
export function getUsagePlanKeys(store: ApiGatewayStore, ctx: RequestContext, planId: string, query: URLSearchParams) {
  const plan = store.region(ctx).usagePlans.get(planId);
  const name = query.get('name');
  const keys = [...(plan?.keys ?? [])]
    .reverse()
    .map((id) => planKeyOut(store, ctx, id))
    .filter((k) => !name || (k.name ?? '').startsWith(name));
  return page(keys, query);
}

export function getUsagePlanKey(store: ApiGatewayStore, ctx: RequestContext, planId: string, keyId: string) {
  const plan = findPlan(store, ctx, planId);
  if (!plan.keys.includes(keyId)) throw notFound('Invalid Usage Plan Key identifier specified');
  return planKeyOut(store, ctx, keyId);
}

export function deleteUsagePlanKey(store: ApiGatewayStore, ctx: RequestContext, planId: string, keyId: string): void {
  const plan = findPlan(store, ctx, planId);
  if (!plan.keys.includes(keyId)) throw notFound('Invalid Usage Plan Key identifier specified');
  plan.keys = plan.keys.filter((k) => k !== keyId);
  plan.usage.delete(keyId);
}
