/**
 * What a target receives [doc: "Amazon EventBridge input transformation"; texts and shapes from
 * AWS recordings, test_events_inputs.snapshot.json]:
 *
 *   no Input*         the event, as compact JSON
 *   Input             that fixed JSON text, as given
 *   InputPath         the JSON the path selects from the event (a string arrives quoted: "baz")
 *   InputTransformer  InputTemplate with each <var> replaced by what InputPathsMap selects, or by a
 *                     reserved variable:
 *                       aws.events.rule-arn, aws.events.rule-name, aws.events.event.ingestion-time,
 *                       aws.events.event (the event without detail), aws.events.event.json (whole)
 *
 * Substitution, as AWS does it [rec]:
 *   - outside a JSON string, a value is written as JSON ("a" quoted, 3, true, {...}, [...]);
 *   - inside a JSON string ("... <v> ..."), a string is written raw (not escaped [doc]), a number or
 *     boolean as its text; an object or array is written without its quotes ({a:1,b:x}, [A,B]) in a
 *     string template, and makes a JSON template (one starting with { or [) invalid;
 *   - a path that selects nothing gives an empty string: "" outside a string, nothing inside one;
 *   - a JSON template whose result does not parse is not delivered (AWS drops it silently [rec]).
 */
import type { InputTransformer, Target } from '@aws-sdk/client-eventbridge';
import { compileJsonPath } from './jsonpath';
import type { EventEnvelope, IngestedEvent } from './types';

export const RESERVED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
] as const;

const PLACEHOLDER = '<([A-Za-z0-9_.\\-]+)>';

/** The <placeholders> a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  const seen = new Set<string>();
  for (const m of template.matchAll(new RegExp(PLACEHOLDER, 'g'))) seen.add(m[1]);
  return [...seen];
}

export type TargetInput = { ok: true; body: string } | { ok: false; reason: string };

export interface RuleRef {
  name: string;
  arn: string;
}

/** The payload a target gets for an event. */
export function targetInput(target: Target, ingested: IngestedEvent, rule: RuleRef): TargetInput {
  const event = ingested.event;
  if (target.Input !== undefined) return { ok: true, body: target.Input };
  if (target.InputPath !== undefined) {
    const path = compileJsonPath(target.InputPath);
    const value = path?.select(event);
    if (value === undefined) return { ok: false, reason: `InputPath ${target.InputPath} selects nothing in the event` };
    return { ok: true, body: JSON.stringify(value) };
  }
  if (target.InputTransformer) return transform(target.InputTransformer, ingested, rule);
  return { ok: true, body: JSON.stringify(event) };
}

function reservedValue(name: string, ingested: IngestedEvent, rule: RuleRef): unknown {
  const e = ingested.event;
  switch (name) {
    case 'aws.events.rule-arn':
      return rule.arn;
    case 'aws.events.rule-name':
      return rule.name;
    case 'aws.events.event.ingestion-time':
      return new Date(ingested.ingestedAt).toISOString();
    case 'aws.events.event':
      // [rec] this key order and `detailType`; `time` is not the event's second-precision time
      return {
        id: e.id,
        account: e.account,
        detailType: e['detail-type'],
        time: new Date(ingested.ingestedAt).toISOString(),
        source: e.source,
        region: e.region,
        resources: e.resources,
        version: e.version,
      };
    case 'aws.events.event.json':
      return e;
    default:
      return undefined;
  }
}

/** Apply an InputTransformer to an event. */
export function transform(t: InputTransformer, ingested: IngestedEvent, rule: RuleRef): TargetInput {
  const template = t.InputTemplate ?? '';
  const values = new Map<string, unknown>();
  const known = new Set<string>(RESERVED_VARIABLES);
  for (const [name, path] of Object.entries(t.InputPathsMap ?? {})) {
    known.add(name);
    const value = compileJsonPath(path)?.select(ingested.event as EventEnvelope);
    if (value !== undefined) values.set(name, value);
  }
  for (const name of RESERVED_VARIABLES) values.set(name, reservedValue(name, ingested, rule));

  const json = /^\s*[{[]/.test(template);
  let out = '';
  let inString = false;
  let escaped = false;
  let invalid: string | undefined;
  const placeholder = new RegExp(PLACEHOLDER, 'y');
  for (let i = 0; i < template.length; ) {
    const c = template[i];
    if (c === '<') {
      placeholder.lastIndex = i;
      const m = placeholder.exec(template);
      if (m && known.has(m[1])) {
        const r = render(values.get(m[1]), inString, json);
        if (r === undefined) invalid ??= `<${m[1]}> is an object or array inside a JSON string`;
        else out += r;
        i += m[0].length;
        escaped = false;
        continue;
      }
    }
    if (inString && escaped) escaped = false;
    else if (inString && c === '\\') escaped = true;
    else if (c === '"') inString = !inString;
    out += c;
    i++;
  }
  if (invalid) return { ok: false, reason: `InputTemplate: ${invalid}` };
  if (json) {
    try {
      JSON.parse(out);
    } catch {
      return { ok: false, reason: 'InputTemplate did not produce valid JSON' };
    }
  }
  return { ok: true, body: out };
}

/** One value's text at its place in the template; undefined = not allowed there. */
function render(value: unknown, inString: boolean, jsonTemplate: boolean): string | undefined {
  if (value === undefined) return inString ? '' : '""';
  if (!inString) return JSON.stringify(value);
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  if (jsonTemplate) return undefined;
  return JSON.stringify(value).replace(/"/g, '');
}
