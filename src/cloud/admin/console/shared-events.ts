/**
 * Shareable test events, per function. The AWS console keeps them as schemas in the EventBridge
 * Schemas registry `lambda-testevent-schemas` [doc]; this cloud keeps them in memory, beside the
 * Lambda service they belong to (a WeakMap keyed by it), so /_testbed/reset forgets them with the
 * functions. Private events stay in the browser (the page's localStorage).
 */
import type { LambdaService } from '../../lambda/service';

/** [doc] The console saves up to 10 test events per function. */
export const MAX_EVENTS_PER_FUNCTION = 10;
/** The console's rule for a test event's name: letters, digits, "." "-" "_", 1 to 25 characters. */
export const EVENT_NAME = /^[A-Za-z0-9._-]{1,25}$/;
/** A saved event's JSON text, at most (the Invoke payload limit). */
export const MAX_EVENT_BYTES = 6_291_456;

export interface SharedEvent {
  name: string;
  /** The event's JSON text as it was saved. */
  event: string;
  /** Virtual epoch ms. */
  savedAt: number;
}

type Store = Map<string, Map<string, SharedEvent>>;
const stores = new WeakMap<LambdaService, Store>();

function store(lambda: LambdaService): Store {
  let s = stores.get(lambda);
  if (!s) stores.set(lambda, (s = new Map()));
  return s;
}

/** Key of a function: its unqualified ARN. */
export function listShared(lambda: LambdaService, functionArn: string): SharedEvent[] {
  return [...(store(lambda).get(functionArn)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
}

export type SaveResult = { ok: true; created: boolean } | { ok: false; status: number; error: string };

export function saveShared(lambda: LambdaService, functionArn: string, e: SharedEvent): SaveResult {
  const s = store(lambda);
  let events = s.get(functionArn);
  if (!events) s.set(functionArn, (events = new Map()));
  const created = !events.has(e.name);
  if (created && events.size >= MAX_EVENTS_PER_FUNCTION) {
    return { ok: false, status: 409, error: `a function keeps at most ${MAX_EVENTS_PER_FUNCTION} shareable test events; delete one first` };
  }
  events.set(e.name, e);
  return { ok: true, created };
}

export function deleteShared(lambda: LambdaService, functionArn: string, name: string): boolean {
  return store(lambda).get(functionArn)?.delete(name) ?? false;
}
