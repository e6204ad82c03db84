/**
 * Rule conditions: checked as AWS checks them, stored in one normalized form, echoed as AWS answers
 * them (path-pattern and host-header with both `Values` and their config; the others with their
 * config only) [doc].
 *
 * Limits [doc: listener rules]: at most one each of host-header, http-request-method, path-pattern
 * and source-ip per rule, any number of http-header and query-string; five match evaluations and
 * five wildcards per rule; strings of at most 128 characters (header names 40). Texts of the errors
 * follow those AWS gives for conditions [obs], unconfirmed where marked. RegexValues are not served.
 */
import net from 'node:net';
import { invalidConfiguration, validationError } from './errors';
import { isRecord, record, strings, type In } from './input';
import type { ConditionField, RuleCondition } from './types';

const FIELDS: ConditionField[] = ['path-pattern', 'host-header', 'http-header', 'http-request-method', 'query-string', 'source-ip'];
const ONCE: ConditionField[] = ['host-header', 'http-request-method', 'path-pattern', 'source-ip'];
const CONFIG_OF: Record<ConditionField, string> = {
  'path-pattern': 'PathPatternConfig',
  'host-header': 'HostHeaderConfig',
  'http-header': 'HttpHeaderConfig',
  'http-request-method': 'HttpRequestMethodConfig',
  'query-string': 'QueryStringConfig',
  'source-ip': 'SourceIpConfig',
};
export const MAX_EVALUATIONS = 5;
export const MAX_WILDCARDS = 5;

const tooLong = (what: string, limit = 128) => validationError(`The '${what}' value is too long; the limit is '${limit}'`); // [obs]

/** A CIDR block as source-ip takes it ("192.0.2.0/24", "2001:db8::/32"). */
export function parseCidr(value: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const v = net.isIP(address);
  if (!v || !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > (v === 4 ? 32 : 128)) return undefined;
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

function checkOne(c: In): RuleCondition {
  const field = typeof c.Field === 'string' ? c.Field : undefined;
  if (field === undefined) throw validationError('A condition field must be specified'); // unconfirmed text
  if (!FIELDS.includes(field as ConditionField)) throw validationError(`Condition field '${field}' must be one of '[${FIELDS.join(', ')}]'`); // [obs]
  const f = field as ConditionField;
  const configName = CONFIG_OF[f];
  const config = record(c, configName);
  const legacy = strings(c, 'Values');
  if (c.RegexValues !== undefined || (config && config.RegexValues !== undefined)) {
    throw invalidConfiguration('Regular expression conditions (RegexValues) are not supported by this cloud');
  }
  if (legacy !== undefined && f !== 'host-header' && f !== 'path-pattern') throw validationError(`The 'Values' field is not compatible with '${f}'`); // [obs]
  if (legacy !== undefined && config) throw validationError(`You cannot provide both Values and '${configName}' for a condition of type '${f}'`); // [obs]
  if (!config && f !== 'host-header' && f !== 'path-pattern') throw validationError(`A '${configName}' must be specified with '${f}'`); // [obs]
  if (legacy && legacy.length > 1) throw validationError(`The '${f}' field contains too many values; the limit is '1'`); // [obs]

  switch (f) {
    case 'path-pattern':
    case 'host-header': {
      const values = legacy ?? strings(config ?? {}, 'Values') ?? [];
      if (values.length === 0) throw validationError('A condition value must be specified'); // [obs]
      for (const value of values) {
        if (value.length > 128) throw tooLong(f);
        if (f === 'path-pattern' && !/^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/.test(value)) {
          throw validationError(`The 'path-pattern' value '${value}' contains characters that are not valid`); // [doc] unconfirmed text
        }
        if (f === 'host-header') {
          const tail = value.slice(value.lastIndexOf('.') + 1);
          if (!/^[A-Za-z0-9\-.*?]+$/.test(value) || !value.includes('.') || !/^[A-Za-z*?]+$/.test(tail)) {
            throw validationError(`The 'host-header' value '${value}' is not valid`); // [doc] unconfirmed text
          }
        }
      }
      return { Field: f, Values: values };
    }
    case 'http-header': {
      const name = typeof config?.HttpHeaderName === 'string' ? config.HttpHeaderName : '';
      if (name === '') throw validationError("A 'HttpHeaderName' must be specified with 'http-header'"); // unconfirmed text
      if (name.length > 40) throw tooLong('HttpHeaderName', 40);
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw validationError(`The 'HttpHeaderName' value '${name}' is not a valid header name`); // [doc: RFC 7230] unconfirmed text
      if (name.toLowerCase() === 'host') throw validationError("You can't use an HTTP header condition to specify the host header"); // [model]
      const values = strings(config ?? {}, 'Values') ?? [];
      if (values.length === 0) throw validationError('A condition value must be specified'); // [obs]
      for (const v of values) if (v.length > 128) throw tooLong('http-header');
      return { Field: f, HttpHeaderName: name, Values: values };
    }
    case 'http-request-method': {
      const values = strings(config ?? {}, 'Values') ?? [];
      if (values.length === 0) throw validationError('A condition value must be specified'); // [obs]
      for (const v of values) {
        if (v.length > 40) throw tooLong('http-request-method', 40);
        if (!/^[A-Z_-]+$/.test(v)) throw validationError("The 'http-request-method' value is invalid; the allowed characters are A-Z, hyphen and underscore"); // [obs]
      }
      return { Field: f, Values: values };
    }
    case 'query-string': {
      const list = config?.Values;
      const pairs = (Array.isArray(list) ? list : list === undefined || list === '' ? [] : [list]).map((p) => {
        const pair = isRecord(p) ? p : {};
        const Key = typeof pair.Key === 'string' ? pair.Key : undefined;
        const Value = typeof pair.Value === 'string' ? pair.Value : undefined;
        if (Value === undefined) throw validationError("A 'Value' must be specified in 'QueryStringKeyValuePair'"); // [obs]
        if (Key !== undefined && Key.length > 128) throw tooLong('Key');
        if (Value.length > 128) throw tooLong('Value');
        return Key === undefined ? { Value } : { Key, Value };
      });
      if (pairs.length === 0) throw validationError('A condition value must be specified'); // [obs]
      return { Field: f, Pairs: pairs };
    }
    case 'source-ip': {
      const values = strings(config ?? {}, 'Values') ?? [];
      if (values.length === 0) throw validationError("A 'source-ip' value must be specified"); // [obs]
      for (const v of values) if (!parseCidr(v)) throw validationError(`The 'source-ip' value '${v}' is not a valid CIDR block`); // unconfirmed text
      return { Field: f, Values: values };
    }
  }
}

const wildcards = (s: string) => (s.replace(/\\[*?]/g, '').match(/[*?]/g) ?? []).length;

/** The Conditions member of CreateRule / ModifyRule, checked as a whole rule's conditions. */
export function checkConditions(list: unknown): RuleCondition[] {
  const items = list === undefined || list === '' ? [] : Array.isArray(list) ? list : [list];
  if (items.length === 0) throw validationError('A rule must have at least one condition'); // unconfirmed text
  const out = items.map((c) => checkOne(isRecord(c) ? c : {}));
  for (const f of ONCE) {
    if (out.filter((c) => c.Field === f).length > 1) throw validationError(`A rule can only have one '${f}' condition`); // unconfirmed text
  }
  const values = out.flatMap((c) => (c.Field === 'query-string' ? c.Pairs.map((p) => `${p.Key ?? ''}${p.Value}`) : c.Values));
  if (values.length > MAX_EVALUATIONS) throw validationError(`A rule can only have '${MAX_EVALUATIONS}' condition values`); // unconfirmed text
  const wild = out
    .filter((c) => c.Field !== 'http-request-method' && c.Field !== 'source-ip')
    .flatMap((c) => (c.Field === 'query-string' ? c.Pairs.flatMap((p) => [p.Key ?? '', p.Value]) : c.Values))
    .reduce((n, s) => n + wildcards(s), 0);
  if (wild > MAX_WILDCARDS) throw validationError(`A rule can only have '${MAX_WILDCARDS}' wildcards`); // unconfirmed text
  return out;
}

/** The condition as DescribeRules answers it [doc]. */
export function conditionOut(c: RuleCondition) {
  switch (c.Field) {
    case 'path-pattern':
      return { Field: c.Field, Values: c.Values, PathPatternConfig: { Values: c.Values } };
    case 'host-header':
      return { Field: c.Field, Values: c.Values, HostHeaderConfig: { Values: c.Values } };
    case 'http-header':
      return { Field: c.Field, HttpHeaderConfig: { HttpHeaderName: c.HttpHeaderName, Values: c.Values } };
    case 'http-request-method':
      return { Field: c.Field, HttpRequestMethodConfig: { Values: c.Values } };
    case 'query-string':
      return { Field: c.Field, QueryStringConfig: { Values: c.Pairs } };
    case 'source-ip':
      return { Field: c.Field, SourceIpConfig: { Values: c.Values } };
  }
}
