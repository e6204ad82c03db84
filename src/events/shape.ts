/**
 * Comparing the structure of two events: the same keys, the same JSON types, the same nesting;
 * values may differ. This is the drift check between a template and the event a trigger really
 * produces (scenarios/templates.test.ts).
 *
 *   shapeDiff(a, b, { maps: ['headers'], free: ['body'] })  -> ["requestContext.stage: missing on the right", ...]
 *
 * Arrays: every element of one side is compared with the first element of the other (events'
 * arrays hold one kind of thing); an empty array matches any array. Map paths (header names,
 * attribute names) compare only their values' shapes, not their keys; free paths are skipped.
 * Paths are written with dots and `[]` for array elements: "Records[].Sns.MessageAttributes".
 */

export interface ShapeOptions {
  /** Objects whose keys are data: only the shapes of their values are compared. */
  maps?: readonly string[];
  /** Anything goes under these paths (bodies, payloads, detail). */
  free?: readonly string[];
}

export type JsonKind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export function kindOf(v: unknown): JsonKind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'boolean' || t === 'number' || t === 'string') return t;
  return 'object';
}

/** Every difference in structure between a and b, one line each ("path: what"). Empty = same shape. */
export function shapeDiff(a: unknown, b: unknown, opts: ShapeOptions = {}): string[] {
  const out: string[] = [];
  const maps = new Set(opts.maps ?? []);
  const free = new Set(opts.free ?? []);
  walk(a, b, '', out, maps, free);
  return out;
}

/** Whether a and b have the same structure (see shapeDiff). */
export function sameShape(a: unknown, b: unknown, opts: ShapeOptions = {}): boolean {
  return shapeDiff(a, b, opts).length === 0;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function walk(a: unknown, b: unknown, path: string, out: string[], maps: Set<string>, free: Set<string>): void {
  if (free.has(path)) return;
  const ka = kindOf(a);
  const kb = kindOf(b);
  const where = path || '(root)';
  if (ka !== kb) {
    out.push(`${where}: ${ka} on the left, ${kb} on the right`);
    return;
  }
  if (ka === 'array') {
    const xa = a as unknown[];
    const xb = b as unknown[];
    if (xa.length === 0 || xb.length === 0) return;
    const el = `${path}[]`;
    const before = out.length;
    for (const x of xa) {
      walk(x, xb[0], el, out, maps, free);
      if (out.length > before) return; // one report per array is enough
    }
    for (const y of xb) {
      walk(xa[0], y, el, out, maps, free);
      if (out.length > before) return;
    }
    return;
  }
  if (ka !== 'object') return;
  const oa = a as Record<string, unknown>;
  const ob = b as Record<string, unknown>;
  if (maps.has(path)) {
    // Keys are data: compare every value with the first value of the other side.
    const va = Object.values(oa);
    const vb = Object.values(ob);
    if (va.length === 0 || vb.length === 0) return;
    const el = `${path}.*`;
    const before = out.length;
    for (const x of va) {
      walk(x, vb[0], el, out, maps, free);
      if (out.length > before) return;
    }
    for (const y of vb) {
      walk(va[0], y, el, out, maps, free);
      if (out.length > before) return;
    }
    return;
  }
  for (const k of Object.keys(oa)) {
    if (!(k in ob)) out.push(`${join(path, k)}: missing on the right`);
    else walk(oa[k], ob[k], join(path, k), out, maps, free);
  }
  for (const k of Object.keys(ob)) if (!(k in oa)) out.push(`${join(path, k)}: missing on the left`);
}
