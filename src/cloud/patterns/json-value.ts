/**
 * JSON values that keep what JavaScript's JSON.parse loses: the text of numbers (300.0 vs 300, big
 * integers) and the order of object keys. Events handed to the matchers may be plain JavaScript
 * values or values from parseEventJson (numbers as JsonNumber).
 */
import { JsonLexer, type SourceStyle } from './json-lexer';
import { javaDoubleString } from './numbers';

/** A JSON number with its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  valueOf(): number {
    return Number(this.text);
  }
  toJSON(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
}

/** An ordered JSON tree (duplicate keys: the last value wins, in the first key's place). */
export type JsonNode =
  | { t: 'object'; entries: [string, JsonNode][] }
  | { t: 'array'; items: JsonNode[] }
  | { t: 'string'; v: string }
  | { t: 'number'; text: string; float: boolean }
  | { t: 'literal'; v: boolean | null };

/** Parses one JSON value; throws JsonSyntaxError with Jackson's wording. Trailing text is ignored. */
export function parseJsonTree(text: string, style: SourceStyle = 'quoted'): JsonNode {
  const lx = new JsonLexer(text, style);
  const first = lx.nextToken();
  if (first === null) lx.fail('No content to map due to end-of-input');
  return readNode(lx);
}

function readNode(lx: JsonLexer): JsonNode {
  switch (lx.token) {
    case 'START_OBJECT': {
      const entries: [string, JsonNode][] = [];
      const index = new Map<string, number>();
      while (lx.nextToken() !== 'END_OBJECT') {
        const name = lx.currentName();
        lx.nextToken();
        const value = readNode(lx);
        const at = index.get(name);
        if (at === undefined) {
          index.set(name, entries.length);
          entries.push([name, value]);
        } else entries[at] = [name, value];
      }
      return { t: 'object', entries };
    }
    case 'START_ARRAY': {
      const items: JsonNode[] = [];
      while (lx.nextToken() !== 'END_ARRAY') items.push(readNode(lx));
      return { t: 'array', items };
    }
    case 'VALUE_STRING':
      return { t: 'string', v: lx.getText() };
    case 'VALUE_NUMBER_INT':
    case 'VALUE_NUMBER_FLOAT':
      return { t: 'number', text: lx.getText(), float: lx.token === 'VALUE_NUMBER_FLOAT' };
    case 'VALUE_TRUE':
      return { t: 'literal', v: true };
    case 'VALUE_FALSE':
      return { t: 'literal', v: false };
    default:
      return { t: 'literal', v: null };
  }
}

/** Converts a tree to JavaScript values, numbers as JsonNumber. */
export function toPlain(node: JsonNode): unknown {
  switch (node.t) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of node.entries) {
        Object.defineProperty(out, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return node.items.map(toPlain);
    case 'string':
      return node.v;
    case 'number':
      return new JsonNumber(node.text);
    default:
      return node.v;
  }
}

/** Parses JSON text keeping number texts (JsonNumber); throws JsonSyntaxError when it is not JSON. */
export function parseEventJson(text: string): unknown {
  return toPlain(parseJsonTree(text));
}

function escapeString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 32) {
      const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += named[c] ?? `\\u${c.toString(16).padStart(4, '0').toUpperCase()}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Compact JSON as Jackson's ObjectMapper writes a tree (floats in Java's Double.toString form). */
export function compactJson(node: JsonNode): string {
  switch (node.t) {
    case 'object':
      return `{${node.entries.map(([k, v]) => `${escapeString(k)}:${compactJson(v)}`).join(',')}}`;
    case 'array':
      return `[${node.items.map(compactJson).join(',')}]`;
    case 'string':
      return escapeString(node.v);
    case 'number':
      if (node.float) return javaDoubleString(Number(node.text));
      return BigInt(node.text).toString();
    default:
      return String(node.v);
  }
}
