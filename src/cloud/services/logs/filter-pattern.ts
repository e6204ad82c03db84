/**
 * CloudWatch Logs filter patterns (FilterLogEvents, metric and subscription filters).
 *
 * Supported:
 *  - text patterns: `ERROR Exception` (all terms), `"quoted phrase"`, `?ERROR ?WARN` (any),
 *    `ERROR -Debug` (exclusion); matching is case-sensitive substring matching.
 *  - regular expressions: `%ERR(OR)?%`
 *  - JSON patterns: `{ $.level = "ERROR" }`, `{ $.a.b[0] != 5 }`, numeric `< <= > >=`, string
 *    wildcards `"err*"`, `&&`, `||`, parentheses, `IS TRUE|FALSE|NULL`, `NOT EXISTS`.
 *  - space-delimited patterns: `[ip, user, ..., status = 404, size > 1000]`.
 *
 * `compileFilterPattern` throws InvalidParameterException "Invalid filter pattern" on syntax errors.
 */
import { AwsError } from '../../errors';

export type Matcher = (message: string) => boolean;

function invalid(): AwsError {
  return new AwsError('InvalidParameterException', 'Invalid filter pattern', 400);
}

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? '').trim();
  if (p === '' || p === '""') return () => true;
  if (p.startsWith('{')) return compileJsonPattern(p);
  if (p.startsWith('[')) return compileSpacePattern(p);
  if (p.length >= 2 && p.startsWith('%') && p.endsWith('%')) {
    let re: RegExp;
    try {
      re = new RegExp(p.slice(1, -1));
    } catch {
      throw invalid();
    }
    return (m) => re.test(m);
  }
  return compileTextPattern(p);
}

// ---------------------------------------------------------------- text patterns

interface Term {
  text: string;
  kind: 'and' | 'or' | 'not';
}

export function parseTextTerms(p: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < p.length) {
    while (i < p.length && /\s/.test(p[i])) i++;
    if (i >= p.length) break;
    let kind: Term['kind'] = 'and';
    if (p[i] === '?') {
      kind = 'or';
      i++;
    } else if (p[i] === '-' && i + 1 < p.length && !/\s/.test(p[i + 1])) {
      kind = 'not';
      i++;
    }
    let text = '';
    if (p[i] === '"') {
      i++;
      while (i < p.length && p[i] !== '"') {
        if (p[i] === '\\' && i + 1 < p.length) i++;
        text += p[i++];
      }
      if (p[i] !== '"') throw invalid();
      i++;
    } else {
      while (i < p.length && !/\s/.test(p[i])) text += p[i++];
    }
    if (text !== '') terms.push({ text, kind });
  }
  return terms;
}

function compileTextPattern(p: string): Matcher {
  const terms = parseTextTerms(p);
  const and = terms.filter((t) => t.kind === 'and').map((t) => t.text);
  const or = terms.filter((t) => t.kind === 'or').map((t) => t.text);
  const not = terms.filter((t) => t.kind === 'not').map((t) => t.text);
  return (m) =>
    and.every((t) => m.includes(t)) && (or.length === 0 || or.some((t) => m.includes(t))) && !not.some((t) => m.includes(t));
}

// ---------------------------------------------------------------- JSON patterns

type Tok = { t: 'sel' | 'op' | 'str' | 'num' | 'word' | '(' | ')' | '&&' | '||'; v: string };

function tokenizeJson(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      toks.push({ t: c, v: c });
      i++;
    } else if (src.startsWith('&&', i) || src.startsWith('||', i)) {
      toks.push({ t: src.slice(i, i + 2) as '&&' | '||', v: src.slice(i, i + 2) });
      i += 2;
    } else if (c === '$') {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_.\[\]\-*]/.test(src[j])) j++;
      toks.push({ t: 'sel', v: src.slice(i, j) });
      i = j;
    } else if (/[=!<>]/.test(c)) {
      const two = src.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        toks.push({ t: 'op', v: two });
        i += 2;
      } else if (c === '=' || c === '<' || c === '>') {
        toks.push({ t: 'op', v: c });
        i++;
      } else throw invalid();
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j++];
      }
      if (src[j] !== '"') throw invalid();
      toks.push({ t: 'str', v: s });
      i = j + 1;
    } else if (/[-0-9.]/.test(c)) {
      let j = i;
      while (j < src.length && /[-0-9.eE+]/.test(src[j])) j++;
      const v = src.slice(i, j);
      if (Number.isNaN(Number(v))) throw invalid();
      toks.push({ t: 'num', v });
      i = j;
    } else if (/[A-Za-z_*]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_*\-.:/]/.test(src[j])) j++;
      toks.push({ t: 'word', v: src.slice(i, j) });
      i = j;
    } else throw invalid();
  }
  return toks;
}

type JsonExpr = (doc: unknown) => boolean;

/** Resolve `$.a.b[0].c` in a parsed JSON document; `undefined` when the path does not exist. */
export function selectPath(doc: unknown, selector: string): unknown {
  if (selector === '$') return doc;
  const path = selector.slice(1);
  const parts: (string | number)[] = [];
  const re = /\.([A-Za-z0-9_\-*]+)|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(path))) {
    if (m.index !== last) throw invalid();
    parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
    last = re.lastIndex;
  }
  if (last !== path.length) throw invalid();
  let cur: unknown = doc;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (typeof part === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[part];
    } else {
      if (Array.isArray(cur)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
  }
  return cur;
}

function wildcardRegex(s: string): RegExp {
  return new RegExp(`^${s.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function compare(actual: unknown, op: string, tok: Tok): boolean {
  if (tok.t === 'num') {
    const n = Number(tok.v);
    if (typeof actual !== 'number') return op === '!=' && actual !== undefined;
    switch (op) {
      case '=':
        return actual === n;
      case '!=':
        return actual !== n;
      case '<':
        return actual < n;
      case '<=':
        return actual <= n;
      case '>':
        return actual > n;
      case '>=':
        return actual >= n;
    }
    return false;
  }
  // string (quoted or bare word), wildcard-aware; only = and != apply.
  if (op !== '=' && op !== '!=') throw invalid();
  if (actual === undefined) return false;
  const text = typeof actual === 'string' ? actual : typeof actual === 'object' ? undefined : String(actual);
  const eq = text !== undefined && (tok.v.includes('*') ? wildcardRegex(tok.v).test(text) : text === tok.v);
  return op === '=' ? eq : !eq;
}

function compileJsonPattern(p: string): Matcher {
  if (!p.endsWith('}')) throw invalid();
  const toks = tokenizeJson(p.slice(1, -1));
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[pos++];

  function primary(): JsonExpr {
    const tok = next();
    if (!tok) throw invalid();
    if (tok.t === '(') {
      const e = orExpr();
      if (next()?.t !== ')') throw invalid();
      return e;
    }
    if (tok.t !== 'sel') throw invalid();
    const sel = tok.v;
    selectPath({}, sel); // validates the selector syntax
    const nt = next();
    if (!nt) throw invalid();
    if (nt.t === 'word' && nt.v.toUpperCase() === 'IS') {
      const what = next();
      if (!what || what.t !== 'word') throw invalid();
      const w = what.v.toUpperCase();
      if (w === 'TRUE') return (d) => selectPath(d, sel) === true;
      if (w === 'FALSE') return (d) => selectPath(d, sel) === false;
      if (w === 'NULL') return (d) => selectPath(d, sel) === null;
      throw invalid();
    }
    if (nt.t === 'word' && nt.v.toUpperCase() === 'NOT') {
      const what = next();
      if (!what || what.t !== 'word' || what.v.toUpperCase() !== 'EXISTS') throw invalid();
      return (d) => selectPath(d, sel) === undefined;
    }
    if (nt.t !== 'op') throw invalid();
    const val = next();
    if (!val || (val.t !== 'str' && val.t !== 'num' && val.t !== 'word')) throw invalid();
    if (val.t !== 'num' && nt.v !== '=' && nt.v !== '!=') throw invalid();
    return (d) => compare(selectPath(d, sel), nt.v, val);
  }
  function andExpr(): JsonExpr {
    let left = primary();
    while (peek()?.t === '&&') {
      next();
      const l = left;
      const r = primary();
      left = (d) => l(d) && r(d);
    }
    return left;
  }
  function orExpr(): JsonExpr {
    let left = andExpr();
    while (peek()?.t === '||') {
      next();
      const l = left;
      const r = andExpr();
      left = (d) => l(d) || r(d);
    }
    return left;
  }
  const expr = orExpr();
  if (pos !== toks.length) throw invalid();
  return (m) => {
    // As on AWS, only events whose whole message is a JSON object are matched by JSON patterns.
    let doc: unknown;
    try {
      doc = JSON.parse(m);
    } catch {
      return false;
    }
    if (doc === null || typeof doc !== 'object') return false;
    return expr(doc);
  };
}

// ---------------------------------------------------------------- space-delimited patterns

interface FieldSpec {
  ellipsis: boolean;
  cond?: { op: string; value: string; numeric: boolean };
}

function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const c of s) {
    if (c === '"') q = !q;
    if (!q && c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (q) throw invalid();
  out.push(cur);
  return out;
}

function tokenizeMessageFields(m: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < m.length) {
    while (i < m.length && m[i] === ' ') i++;
    if (i >= m.length) break;
    const open = m[i];
    const close = open === '"' ? '"' : open === '[' ? ']' : undefined;
    if (close) {
      const j = m.indexOf(close, i + 1);
      if (j > i) {
        out.push(m.slice(i + 1, j));
        i = j + 1;
        continue;
      }
    }
    let j = i;
    while (j < m.length && m[j] !== ' ') j++;
    out.push(m.slice(i, j));
    i = j;
  }
  return out;
}

function compileSpacePattern(p: string): Matcher {
  if (!p.endsWith(']')) throw invalid();
  const inner = p.slice(1, -1).trim();
  const fields: FieldSpec[] = (inner === '' ? [] : splitTopLevel(inner, ',')).map((raw) => {
    const f = raw.trim();
    if (f === '...') return { ellipsis: true };
    const m = /^([A-Za-z0-9_]*)\s*(!=|<=|>=|=|<|>)\s*(.+)$/.exec(f);
    if (!m) {
      if (!/^[A-Za-z0-9_]+$/.test(f)) throw invalid();
      return { ellipsis: false };
    }
    let value = m[3].trim();
    const quoted = value.startsWith('"') && value.endsWith('"') && value.length >= 2;
    if (quoted) value = value.slice(1, -1);
    const numeric = !quoted && value !== '' && !Number.isNaN(Number(value));
    if (!numeric && m[2] !== '=' && m[2] !== '!=') throw invalid();
    return { ellipsis: false, cond: { op: m[2], value, numeric } };
  });
  const test = (spec: FieldSpec, v: string | undefined): boolean => {
    if (!spec.cond) return true;
    if (v === undefined) return false;
    const { op, value, numeric } = spec.cond;
    if (numeric) return compare(Number.isNaN(Number(v)) ? v : Number(v), op, { t: 'num', v: value });
    return compare(v, op, { t: 'str', v: value });
  };
  const match = (fi: number, vals: string[], vi: number): boolean => {
    if (fi === fields.length) return vi === vals.length;
    const spec = fields[fi];
    if (spec.ellipsis) {
      for (let k = vi; k <= vals.length; k++) if (match(fi + 1, vals, k)) return true;
      return false;
    }
    if (vi >= vals.length) return false;
    // The last non-ellipsis field takes the rest of the line.
    if (fi === fields.length - 1) return test(spec, vals.slice(vi).join(' '));
    return test(spec, vals[vi]) && match(fi + 1, vals, vi + 1);
  };
  return (m) => match(0, tokenizeMessageFields(m.trim()), 0);
}
