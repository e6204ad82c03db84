/**
 * API keys at the door, for methods with apiKeyRequired [doc: "API keys and usage plans"]: the key
 * comes from the `x-api-key` header (apiKeySource HEADER) or from the Lambda authorizer's
 * `usageIdentifierKey` (AUTHORIZER); it must exist, be enabled and belong to a usage plan that
 * lists this API and stage, else 403 {"message":"Forbidden"}. A plan's quota counts requests per
 * key per UTC day, week (from Monday) or month on the cloud's clock; past it, 429 Limit Exceeded.
 * Throttling (rate/burst) is not enforced.
 */
import type { ApiGatewayStore } from '../../services/apigateway/store';
import type { ApiKey, DeployedApi, QuotaSettings } from '../../services/apigateway/types';

export type KeyCheck = { ok: true; key: ApiKey } | { ok: false; reason: 'forbidden' | 'limit' };

/** When the quota period that holds `now` started (virtual epoch ms, UTC). */
export function periodStart(period: QuotaSettings['period'], now: number): number {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'WEEK') return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function checkApiKey(store: ApiGatewayStore, api: DeployedApi, stage: string, value: string | undefined): KeyCheck {
  if (!value) return { ok: false, reason: 'forbidden' };
  const region = store.region({ accountId: api.accountId, region: api.region });
  const key = [...region.apiKeys.values()].find((k) => k.value === value);
  if (!key || !key.enabled) return { ok: false, reason: 'forbidden' };
  const plans = [...region.usagePlans.values()].filter((p) => p.keys.includes(key.id) && p.apiStages.some((s) => s.apiId === api.id && s.stage === stage));
  if (plans.length === 0) return { ok: false, reason: 'forbidden' };
  const now = store.clock.now();
  for (const plan of plans) {
    if (!plan.quota) continue;
    const start = periodStart(plan.quota.period, now);
    const usage = plan.usage.get(key.id);
    const used = usage && usage.periodStart === start ? usage.used : 0;
    if (used >= plan.quota.limit) return { ok: false, reason: 'limit' };
  }
  for (const plan of plans) {
    if (!plan.quota) continue;
    const start = periodStart(plan.quota.period, now);
    const usage = plan.usage.get(key.id);
    plan.usage.set(key.id, { periodStart: start, used: (usage && usage.periodStart === start ? usage.used : 0) + 1 });
  }
  return { ok: true, key };
}
