/**
 * Option values as a template receives them, whatever gave them: the command line (strings,
 * repeated flags), the console page (JSON) or code (native values). Each value is checked against
 * its OptionDef; a bad one is a TemplateError naming the option and what it takes.
 */
import { TemplateError, type OptionDef, type Pairs } from './types';

/** --partition-key for partitionKey. */
export function flagOf(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function bad(def: OptionDef, what: string): TemplateError {
  return new TemplateError(`${flagOf(def.name)}: ${what}`);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** One text into pairs: "a=1&b=2" (query) or "Name: value" / "name=value" (header). */
function textPairs(def: OptionDef, text: string): Pairs {
  if (def.pairs === 'query') {
    return [...new URLSearchParams(text.startsWith('?') ? text.slice(1) : text)];
  }
  const colon = text.indexOf(':');
  const eq = text.indexOf('=');
  const at = colon > 0 && (eq < 0 || colon < eq) ? colon : eq;
  if (at <= 0) throw bad(def, `expected name=value${def.pairs === 'header' ? ' or "Name: value"' : ''} or a JSON object, got ${JSON.stringify(text)}`);
  return [[text.slice(0, at).trim(), text.slice(at + 1).trim()]];
}

/** A map value (object of strings or string lists, pairs, or text) as pairs. */
export function toPairs(def: OptionDef, value: unknown): Pairs {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    // Repeated command-line options, or pairs given in code.
    const out: Pairs = [];
    for (const item of value) {
      if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'string') out.push([item[0], scalarText(def, item[1])]);
      else out.push(...toPairs(def, item));
    }
    return out;
  }
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('{')) {
      const parsed = parseJson(trimmed);
      if (!parsed.ok || !isObject(parsed.value)) throw bad(def, 'is not a valid JSON object');
      return toPairs(def, parsed.value);
    }
    return textPairs(def, value);
  }
  if (isObject(value)) {
    const out: Pairs = [];
    for (const [k, v] of Object.entries(value)) {
      if (Array.isArray(v)) for (const item of v) out.push([k, scalarText(def, item)]);
      else out.push([k, scalarText(def, v)]);
    }
    return out;
  }
  throw bad(def, 'expected name=value pairs or a JSON object');
}

function scalarText(def: OptionDef, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw bad(def, `values must be strings, got ${JSON.stringify(v)}`);
}

/** A raw value checked and converted to the option's type. */
export function coerceOption(def: OptionDef, raw: unknown): unknown {
  const last = Array.isArray(raw) && def.type !== 'list' && def.type !== 'map' && def.type !== 'json' ? raw[raw.length - 1] : raw;
  switch (def.type) {
    case 'string': {
      if (typeof last !== 'string') {
        if (typeof last === 'number' || typeof last === 'boolean') return checkChoice(def, String(last));
        throw bad(def, 'expected a string');
      }
      return checkChoice(def, last);
    }
    case 'integer': {
      const n = typeof last === 'string' && /^-?\d+$/.test(last.trim()) ? Number(last) : last;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw bad(def, `expected a whole number, got ${JSON.stringify(last)}`);
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
        throw bad(def, `must be from ${def.min ?? '-∞'} to ${def.max ?? '∞'}, got ${n}`);
      }
      return n;
    }
    case 'boolean': {
      if (typeof last === 'boolean') return last;
      if (typeof last === 'string') {
        const t = last.trim().toLowerCase();
        if (['true', 'yes', '1'].includes(t)) return true;
        if (['false', 'no', '0'].includes(t)) return false;
      }
      throw bad(def, `expected true or false, got ${JSON.stringify(last)}`);
    }
    case 'json': {
      if (typeof raw !== 'string') return raw;
      const parsed = parseJson(raw);
      return parsed.ok ? parsed.value : raw;
    }
    case 'map':
      return toPairs(def, raw);
    case 'list': {
      if (typeof raw === 'string') {
        const t = raw.trim();
        if (t.startsWith('[')) {
          const parsed = parseJson(t);
          if (!parsed.ok || !Array.isArray(parsed.value)) throw bad(def, 'is not a valid JSON array');
          return parsed.value.map(listItem);
        }
        return [raw];
      }
      if (Array.isArray(raw)) return raw.flatMap((v) => (typeof v === 'string' && v.trim().startsWith('[') ? (coerceOption(def, v) as string[]) : [listItem(v)]));
      if (raw !== null && typeof raw === 'object') return [JSON.stringify(raw)];
      if (typeof raw === 'number' || typeof raw === 'boolean') return [String(raw)];
      throw bad(def, 'expected a list of strings');
    }
  }
}

/** A list element as text: strings as they are, other JSON values as their JSON text. */
function listItem(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function checkChoice(def: OptionDef, v: string): string {
  if (def.choices && !def.choices.includes(v)) throw bad(def, `must be one of ${def.choices.join(', ')}, got ${JSON.stringify(v)}`);
  return v;
}

/** Every option checked: unknown names refused (with the template's list), values coerced. */
export function coerceOptions(defs: readonly OptionDef[], raw: Record<string, unknown>, templateName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const def = defs.find((d) => d.name === name);
    if (!def) {
      const known = defs.map((d) => flagOf(d.name)).join(', ');
      throw new TemplateError(`unknown option ${flagOf(name)} for ${templateName} (its options: ${known || 'none'})`);
    }
    out[name] = coerceOption(def, value);
  }
  return out;
}

// ---------------------------------------------------------------- reading options inside templates

export function str(o: Record<string, unknown>, name: string, fallback: string): string {
  const v = o[name];
  return typeof v === 'string' ? v : fallback;
}

export function int(o: Record<string, unknown>, name: string, fallback: number): number {
  const v = o[name];
  return typeof v === 'number' ? v : fallback;
}

export function bool(o: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = o[name];
  return typeof v === 'boolean' ? v : fallback;
}

/** A map option (already coerced to pairs by coerceOptions). */
export function pairs(o: Record<string, unknown>, name: string): Pairs | undefined {
  const v = o[name];
  return Array.isArray(v) ? (v as Pairs) : undefined;
}

export function list(o: Record<string, unknown>, name: string): string[] | undefined {
  const v = o[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** A body/message option: text as given, any other JSON value as its JSON text. */
export function text(o: Record<string, unknown>, name: string, fallback: string): string {
  const v = o[name];
  if (v === undefined) return fallback;
  return typeof v === 'string' ? v : JSON.stringify(v);
}
