/**
 * Mapping templates (MOCK and AWS integrations, integration responses): a subset of API Gateway's
 * VTL, enough for the templates people write for mocks and simple mappings. Supported:
 *   references        $x / $!x / ${x}, member access (.a.b), indexes ([0], ['k']), calls
 *   $input            .body, .json('<jsonpath>'), .path('<jsonpath>'), .params('name') (path, then
 *                     query string, then header), .params() with .path / .querystring / .header
 *                     (and .get('name'))
 *   $context          every requestContext value ($context.requestId, $context.identity.sourceIp,
 *                     $context.authorizer.principalId, $context.stage, ...)
 *   $stageVariables   .name
 *   $util             .escapeJavaScript, .base64Encode, .base64Decode, .urlEncode, .urlDecode, .parseJson
 *   #set($context.responseOverride.status = 400), #set($context.responseOverride.header.Name = '...')
 *   ## line comments and #* block comments *#
 * JSONPath: $, $.a.b, $.a[0], $['a']. Not supported (left as written): #if/#else/#foreach, other
 * #set targets, arithmetic. An unknown reference stays as written, as VTL leaves it; `$!x` is empty.
 */

export interface TemplateInput {
  body: string;
  params: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> };
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface Rendered {
  text: string;
  /** #set($context.responseOverride.status = N) */
  statusOverride?: number;
  /** #set($context.responseOverride.header.Name = 'v') */
  headerOverrides: Record<string, string>;
}

type Fn = (...args: unknown[]) => unknown;
const CALLABLE = Symbol('callable');
type Callable = { [CALLABLE]: Fn };
const fn = (f: Fn): Callable => ({ [CALLABLE]: f });
const isCallable = (v: unknown): v is Callable => !!v && typeof v === 'object' && CALLABLE in (v as object);

/** JSONPath subset: $, .key, ['key'], [index]. */
export function jsonPath(doc: unknown, path: string): unknown {
  const p = path.trim();
  if (!p.startsWith('$')) return undefined;
  const re = /\.([A-Za-z0-9_$-]+)|\[\s*(\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/y;
  let cur: unknown = doc;
  re.lastIndex = 1;
  while (re.lastIndex < p.length) {
    const m = re.exec(p);
    if (!m) return undefined;
    const key = m[1] ?? m[3] ?? m[4];
    if (key !== undefined) cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[key] : undefined;
    else cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function roots(input: TemplateInput): Record<string, unknown> {
  const params = input.params;
  return {
    input: {
      body: input.body,
      json: fn((p) => {
        const v = jsonPath(parseBody(input.body), String(p ?? '$'));
        return v === undefined ? '' : JSON.stringify(v);
      }),
      path: fn((p) => jsonPath(parseBody(input.body), String(p ?? '$'))),
      params: fn((name) => {
        if (name === undefined) return params;
        const n = String(name);
        const header = Object.entries(params.header).find(([k]) => k.toLowerCase() === n.toLowerCase())?.[1];
        return params.path[n] ?? params.querystring[n] ?? header ?? '';
      }),
    },
    context: input.context,
    stageVariables: input.stageVariables,
    util: {
      escapeJavaScript: fn((s) => JSON.stringify(String(s ?? '')).slice(1, -1).replace(/'/g, "\\'")),
      base64Encode: fn((s) => Buffer.from(String(s ?? '')).toString('base64')),
      base64Decode: fn((s) => Buffer.from(String(s ?? ''), 'base64').toString('utf8')),
      urlEncode: fn((s) => encodeURIComponent(String(s ?? ''))),
      urlDecode: fn((s) => {
        try {
          return decodeURIComponent(String(s ?? ''));
        } catch {
          return String(s ?? '');
        }
      }),
      parseJson: fn((s) => parseBody(String(s ?? ''))),
    },
  };
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A reference parsed at `start` (the `$`): its end and value (`missing` when it does not resolve). */
class Reader {
  constructor(
    private readonly t: string,
    private readonly env: Record<string, unknown>,
  ) {}

  reference(start: number): { end: number; value: unknown; missing: boolean; quiet: boolean } | undefined {
    let i = start + 1;
    const quiet = this.t[i] === '!';
    if (quiet) i++;
    const braced = this.t[i] === '{';
    if (braced) i++;
    const id = /^[A-Za-z][A-Za-z0-9_-]*/.exec(this.t.slice(i));
    if (!id) return undefined;
    i += id[0].length;
    let missing = !(id[0] in this.env);
    let value: unknown = this.env[id[0]];
    for (;;) {
      const c = this.t[i];
      if (c === '.' && /[A-Za-z_]/.test(this.t[i + 1] ?? '')) {
        const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.t.slice(i + 1))!;
        const name = m[0];
        const afterName = i + 1 + name.length;
        if (this.t[afterName] === '(') {
          const call = this.args(afterName);
          if (!call) break;
          i = call.end;
          const target = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
          if (isCallable(target)) value = target[CALLABLE](...call.values);
          else if (name === 'get' && value && typeof value === 'object') value = (value as Record<string, unknown>)[String(call.values[0])];
          else missing = true;
        } else {
          i = afterName;
          value = value && typeof value === 'object' && !isCallable(value) ? (value as Record<string, unknown>)[name] : undefined;
          if (value === undefined) missing = true;
        }
      } else if (c === '[') {
        const m = /^\[\s*(?:(\d+)|'([^']*)'|"([^"]*)")\s*\]/.exec(this.t.slice(i));
        if (!m) break;
        i += m[0].length;
        const key = m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3]);
        value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
        if (value === undefined) missing = true;
      } else break;
    }
    if (braced) {
      if (this.t[i] !== '}') return undefined;
      i++;
    }
    return { end: i, value, missing, quiet };
  }

  /** "(a, 'b', $c)" at `open`: the values and the index after ")". */
  private args(open: number): { end: number; values: unknown[] } | undefined {
    let i = open + 1;
    const values: unknown[] = [];
    for (;;) {
      while (this.t[i] === ' ') i++;
      if (this.t[i] === ')') return { end: i + 1, values };
      const q = this.t[i];
      if (q === "'" || q === '"') {
        const close = this.t.indexOf(q, i + 1);
        if (close < 0) return undefined;
        values.push(this.t.slice(i + 1, close));
        i = close + 1;
      } else if (q === '$') {
        const r = this.reference(i);
        if (!r) return undefined;
        values.push(r.value);
        i = r.end;
      } else {
        const m = /^-?\d+(\.\d+)?/.exec(this.t.slice(i));
        if (!m) return undefined;
        values.push(Number(m[0]));
        i += m[0].length;
      }
      while (this.t[i] === ' ') i++;
      if (this.t[i] === ',') i++;
      else if (this.t[i] !== ')') return undefined;
    }
  }
}

const SET_OVERRIDE = /^[ \t]*#set\(\s*\$context\.responseOverride\.(status|header\.([A-Za-z0-9_-]+))\s*=\s*(.+?)\s*\)[ \t]*$/;

function renderLine(line: string, reader: Reader): string {
  let out = '';
  for (let i = 0; i < line.length; ) {
    if (line[i] === '$') {
      const r = reader.reference(i);
      if (r) {
        out += r.missing ? (r.quiet ? '' : line.slice(i, r.end)) : show(r.value);
        i = r.end;
        continue;
      }
    }
    out += line[i++];
  }
  return out;
}

export function renderTemplate(template: string, input: TemplateInput): Rendered {
  const env = roots(input);
  const headerOverrides: Record<string, string> = {};
  let statusOverride: number | undefined;
  const text = template.replace(/#\*[\s\S]*?\*#/g, '');
  const out: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/##.*$/, '');
    const set = SET_OVERRIDE.exec(line);
    if (set) {
      const valueText = set[3];
      const quoted = /^(['"])(.*)\1$/.exec(valueText);
      const value = quoted ? quoted[2] : renderLine(valueText, new Reader(valueText, env));
      if (set[1] === 'status') {
        const n = Number(value);
        if (Number.isInteger(n)) statusOverride = n;
      } else headerOverrides[set[2]] = renderLine(value, new Reader(value, env));
      continue;
    }
    if (line.trim() === '' && rawLine.trim().startsWith('##')) continue;
    out.push(renderLine(line, new Reader(line, env)));
  }
  return { text: out.join('\n'), statusOverride, headerOverrides };
}
