/**
 * Matches compiled rules against events the way aws/event-ruler's rulesForJSONEvent does [obs:
 * event-ruler README, "JSON Array Matching"; rec: EventBridge TestEventPattern recordings]:
 *  - field paths are dot-joined on both sides ({"a": {"b": ..}} and {"a.b": ..} are the same field);
 *  - arrays are "crushed": every element is a value of the field, objects in arrays contribute their
 *    fields, but one match may not take two fields from different elements of the same array;
 *  - only leaves (strings, numbers, booleans, null) are values; an object is not, an empty array has none;
 *  - a branch matches when every field matches; a rule when any branch does.
 */
import { JsonNumber } from './json-value';
import { inIpRange } from './ip';
import { inRange, numberKey } from './numbers';
import type { Branch, Dialect, ValuePattern } from './types';
import { globMatch } from './wildcard';

/** A leaf value of the event: string, number (text and comparable key) or literal. */
export type Leaf = { t: 's'; v: string } | { t: 'n'; text: string; key: number | undefined } | { t: 'l'; v: boolean | null };

interface Entry {
  leaf: Leaf;
  /** (array id, element index) pairs from the root down. */
  arrays: number[];
}

function codePoints(s: string): string[] {
  return [...s];
}

function sameIgnoringCase(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/** Code point by code point, as event-ruler folds case. */
function equalsIgnoreCase(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((c, i) => sameIgnoringCase(c, b[i]));
}

function startsWithIgnoreCase(s: string, prefix: string): boolean {
  const p = codePoints(prefix);
  return equalsIgnoreCase(codePoints(s).slice(0, p.length), p);
}

function endsWithIgnoreCase(s: string, suffix: string): boolean {
  const p = codePoints(suffix);
  const c = codePoints(s);
  return c.length >= p.length && equalsIgnoreCase(c.slice(c.length - p.length), p);
}

function matchesValue(p: ValuePattern, leaf: Leaf, d: Dialect): boolean {
  const s = leaf.t === 's' ? leaf.v : undefined;
  switch (p.kind) {
    case 'exact-string':
      return s === p.value;
    case 'exact-number':
      if (leaf.t !== 'n') return false;
      if (d.exactNumbersByText) return leaf.text === p.text;
      if (p.key !== undefined && leaf.key !== undefined) return p.key === leaf.key;
      return p.key === undefined && leaf.key === undefined && leaf.text === p.text;
    case 'exact-literal':
      return leaf.t === 'l' && leaf.v === p.value;
    case 'ip':
      return s !== undefined && inIpRange(s, p.range);
    case 'prefix':
      return s !== undefined && (p.ignoreCase ? startsWithIgnoreCase(s, p.value) : s.startsWith(p.value));
    case 'suffix':
      return s !== undefined && (p.ignoreCase ? endsWithIgnoreCase(s, p.value) : s.endsWith(p.value));
    case 'equals-ignore-case':
      return s !== undefined && equalsIgnoreCase(codePoints(s), codePoints(p.value));
    case 'wildcard':
      return s !== undefined && globMatch(p.glob, s);
    case 'numeric':
      return leaf.t === 'n' && leaf.key !== undefined && inRange(leaf.key, p.range);
    case 'exists':
      if (!p.exists) return false;
      return !d.existsNeedsValue || !((leaf.t === 'l' && leaf.v === null) || s === '');
    case 'anything-but':
      if (s !== undefined) return !p.strings.has(s);
      if (leaf.t === 'n' && p.keys && leaf.key !== undefined) return !p.keys.has(leaf.key);
      return true;
    case 'anything-but-prefix':
      return s === undefined || !p.values.some((v) => s.startsWith(v));
    case 'anything-but-suffix':
      return s === undefined || !p.values.some((v) => s.endsWith(v));
    case 'anything-but-ignore-case':
      return s === undefined || !p.values.some((v) => equalsIgnoreCase(codePoints(s), codePoints(v)));
    case 'anything-but-wildcard':
      return s === undefined || !p.globs.some((g) => globMatch(g, s));
  }
}

/** Two values can be used together unless they sit in different elements of the same array. */
function consistent(a: number[], b: number[]): boolean {
  for (let i = 0; i + 1 < a.length && i + 1 < b.length; i += 2) {
    if (a[i] !== b[i]) return true;
    if (a[i + 1] !== b[i + 1]) return false;
  }
  return true;
}

/** A compiled rule: branches plus the paths they look at. */
export class RuleMatcher {
  private readonly leafPaths = new Set<string>();
  private readonly wanted = new Set<string>();

  constructor(
    readonly branches: Branch[],
    private readonly dialect: Dialect,
  ) {
    for (const b of branches) {
      for (const path of b.keys()) {
        this.leafPaths.add(path);
        const parts = path.split('.');
        for (let i = 1; i <= parts.length; i++) this.wanted.add(parts.slice(0, i).join('.'));
      }
    }
  }

  /** True when the event (a JSON object; numbers may be JsonNumber) matches any branch. */
  matches(event: unknown): boolean {
    if (!isObject(event)) return false;
    const values = this.flatten(event);
    return this.branches.some((b) => this.matchBranch(b, values));
  }

  private leaf(v: unknown): Leaf | undefined {
    if (typeof v === 'string') return { t: 's', v };
    if (v === null || typeof v === 'boolean') return { t: 'l', v };
    if (typeof v === 'number' || v instanceof JsonNumber) {
      const text = v instanceof JsonNumber ? v.text : Object.is(v, -0) ? '0' : String(v);
      return { t: 'n', text, key: numberKey(text, this.dialect.numbers) };
    }
    if (typeof v === 'bigint') return { t: 'n', text: v.toString(), key: numberKey(v.toString(), this.dialect.numbers) };
    return undefined;
  }

  private flatten(event: Record<string, unknown>): Map<string, Entry[]> {
    const out = new Map<string, Entry[]>();
    let nextArray = 0;
    const walk = (value: unknown, path: string, arrays: number[]): void => {
      if (Array.isArray(value)) {
        const id = nextArray++;
        value.forEach((v, i) => walk(v, path, [...arrays, id, i]));
        return;
      }
      if (isObject(value)) {
        for (const [k, v] of Object.entries(value)) {
          const p = path === '' ? k : `${path}.${k}`;
          if (this.wanted.has(p)) walk(v, p, arrays);
        }
        return;
      }
      if (!this.leafPaths.has(path)) return;
      const leaf = this.leaf(value);
      if (!leaf) return;
      let list = out.get(path);
      if (!list) out.set(path, (list = []));
      list.push({ leaf, arrays });
    };
    walk(event, '', []);
    return out;
  }

  private matchBranch(branch: Branch, values: Map<string, Entry[]>): boolean {
    const fields: Entry[][] = [];
    for (const [path, patterns] of branch) {
      const entries = values.get(path) ?? [];
      const candidates = entries.filter((e) => patterns.some((p) => matchesValue(p, e.leaf, this.dialect)));
      if (candidates.length > 0) fields.push(candidates);
      else if (!(entries.length === 0 && patterns.some((p) => p.kind === 'exists' && !p.exists))) return false;
    }
    fields.sort((a, b) => a.length - b.length);
    const chosen: Entry[] = [];
    const assign = (i: number): boolean => {
      if (i === fields.length) return true;
      for (const c of fields[i]) {
        if (!chosen.every((x) => consistent(x.arrays, c.arrays))) continue;
        chosen.push(c);
        if (assign(i + 1)) return true;
        chosen.pop();
      }
      return false;
    };
    return assign(0);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}
