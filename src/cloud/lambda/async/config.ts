/**
 * Event invoke config (`/2019-09-25/functions/{name}/event-invoke-config`): the retry policy and
 * destinations of asynchronous invocation, per function, version or alias. Put replaces, Update
 * merges, Get, Delete, List; the texts and codes are AWS's [rec] (LocalStack's recording of
 * test_lambda_eventinvokeconfig_exceptions / _lifecycle against AWS).
 */
import type { Clock } from '../../clock';
import { AwsError, validationMessage } from '../../errors';
import type { RequestContext } from '../../protocols/types';
import { arnParts } from '../../deliver/types';
import type { Alias, FunctionVersion, LambdaFunction } from '../model';
import type { FunctionRef } from '../names';

/** Defaults when a setting is absent [model][doc]. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

export interface EventInvokeConfig {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  /** Virtual epoch ms. */
  lastModified: number;
}

/** What the config operations need from the Lambda service. */
export interface ConfigHost {
  readonly clock: Clock;
  ref(
    ctx: RequestContext,
    functionName: unknown,
    qualifier?: string | null,
    notFound?: (unqualifiedArn: string, qualifier: string | undefined) => AwsError,
  ): { fn: LambdaFunction; qualifier?: string; ref: FunctionRef };
  resolveVersion(fn: LambdaFunction, qualifier: string | undefined): { version: FunctionVersion; alias?: Alias };
  /** The function an (optionally qualified) ARN names, in the caller's account and region. */
  functionByArn(ctx: { accountId: string; region: string }, arn: string): LambdaFunction | undefined;
}

const DESTINATION_PATTERN =
  '$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const DESTINATION_RE = /^(|kafka:\/\/([^.]([a-zA-Z0-9\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*))$/;

const functionMissing = () => new AwsError('ResourceNotFoundException', "The function doesn't exist.", 404, { fields: { Type: 'User' } });
const noConfig = (arn: string) => new AwsError('ResourceNotFoundException', `The function ${arn} doesn't have an EventInvokeConfig`, 404, { fields: { Type: 'User' } });
const invalid = (message: string) => new AwsError('InvalidParameterValueException', message, 400, { fields: { Type: 'User' }, messageKey: 'message' });

type In = Record<string, unknown>;

/** The configs of every function, per qualifier ($LATEST, a version, an alias); gone with the function. */
export class EventInvokeConfigs {
  private readonly byFunction = new WeakMap<LambdaFunction, Map<string, EventInvokeConfig>>();

  constructor(private readonly host: ConfigHost) {}

  /** The config that applies to an invoke of `fn` with this qualifier (none = $LATEST). */
  effective(fn: LambdaFunction, qualifier: string | undefined): EventInvokeConfig | undefined {
    return this.byFunction.get(fn)?.get(qualifier ?? '$LATEST');
  }

  put(ctx: RequestContext, name: unknown, qualifier: string | null, input: In) {
    const settings = parseSettings(input);
    const { fn, q } = this.target(ctx, name, qualifier, 'put');
    this.checkDestinations(ctx, fn, settings);
    const config: EventInvokeConfig = { ...settings, lastModified: this.host.clock.now() };
    this.configs(fn).set(q, config);
    return out(fn, q, config);
  }

  update(ctx: RequestContext, name: unknown, qualifier: string | null, input: In) {
    const settings = parseSettings(input);
    const { fn, q } = this.target(ctx, name, qualifier, 'update');
    const existing = this.configs(fn).get(q);
    if (!existing) throw noConfig(`${fn.arn}:${q}`);
    this.checkDestinations(ctx, fn, settings);
    const merged: EventInvokeConfig = { ...existing, lastModified: this.host.clock.now() };
    if ('maximumRetryAttempts' in settings) merged.maximumRetryAttempts = settings.maximumRetryAttempts;
    if ('maximumEventAgeInSeconds' in settings) merged.maximumEventAgeInSeconds = settings.maximumEventAgeInSeconds;
    if ('onSuccess' in settings) merged.onSuccess = settings.onSuccess;
    if ('onFailure' in settings) merged.onFailure = settings.onFailure;
    this.configs(fn).set(q, merged);
    return out(fn, q, merged);
  }

  get(ctx: RequestContext, name: unknown, qualifier: string | null) {
    const { fn, q, arn } = this.lookup(ctx, name, qualifier);
    const config = fn && this.configs(fn).get(q);
    if (!fn || !config) throw noConfig(arn);
    return out(fn, q, config);
  }

  delete(ctx: RequestContext, name: unknown, qualifier: string | null): void {
    const { fn, q, arn } = this.lookup(ctx, name, qualifier);
    if (!fn || !this.configs(fn).delete(q)) throw noConfig(arn);
  }

  list(ctx: RequestContext, name: unknown, query: URLSearchParams) {
    const { fn } = this.host.ref(ctx, name, undefined, functionMissing);
    const maxRaw = query.get('MaxItems');
    const max = maxRaw === null ? 50 : Number(maxRaw);
    if (!Number.isInteger(max) || max < 1 || max > 50) {
      throw new AwsError('ValidationException', validationMessage([`Value '${maxRaw}' at 'maxItems' failed to satisfy constraint: Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 50'}`]));
    }
    const all = [...this.configs(fn)].filter(([q]) => this.exists(fn, q)).map(([q, c]) => out(fn, q, c));
    const marker = query.get('Marker');
    let start = 0;
    if (marker) {
      start = Number(Buffer.from(marker, 'base64').toString('utf8'));
      if (!Number.isInteger(start) || start < 0 || start > all.length) throw invalid('Invalid marker');
    }
    const page: Record<string, unknown> = { FunctionEventInvokeConfigs: all.slice(start, start + max) };
    if (start + max < all.length) page.NextMarker = Buffer.from(String(start + max)).toString('base64');
    return page;
  }

  private configs(fn: LambdaFunction): Map<string, EventInvokeConfig> {
    let m = this.byFunction.get(fn);
    if (!m) this.byFunction.set(fn, (m = new Map()));
    return m;
  }

  private exists(fn: LambdaFunction, q: string): boolean {
    return q === '$LATEST' || fn.versions.has(q) || fn.aliases.has(q);
  }

  /** Put / Update: the function and qualifier must exist ("The function doesn't exist." otherwise). */
  private target(ctx: RequestContext, name: unknown, qualifier: string | null, _op: string): { fn: LambdaFunction; q: string } {
    const { fn, qualifier: q } = this.host.ref(ctx, name, qualifier, functionMissing);
    const qual = q ?? '$LATEST';
    if (!this.exists(fn, qual)) throw functionMissing();
    return { fn, q: qual };
  }

  /** Get / Delete: a missing function or qualifier is "doesn't have an EventInvokeConfig" [rec]. */
  private lookup(ctx: RequestContext, name: unknown, qualifier: string | null): { fn?: LambdaFunction; q: string; arn: string } {
    let missingArn = '';
    try {
      const { fn, qualifier: q } = this.host.ref(ctx, name, qualifier, (arn, q2) => {
        missingArn = `${arn}:${q2 ?? '$LATEST'}`;
        return noConfig(missingArn);
      });
      const qual = q ?? '$LATEST';
      return { fn: this.exists(fn, qual) ? fn : undefined, q: qual, arn: `${fn.arn}:${qual}` };
    } catch (e) {
      if (missingArn) return { q: '', arn: missingArn };
      throw e;
    }
  }

  private checkDestinations(ctx: RequestContext, fn: LambdaFunction, s: Settings): void {
    const describe = () =>
      `DestinationConfig(onSuccess=${'onSuccess' in s && s.onSuccess !== undefined ? `OnSuccess(destination=${s.onSuccess})` : 'null'}, onFailure=${'onFailure' in s && s.onFailure !== undefined ? `OnFailure(destination=${s.onFailure})` : 'null'})`;
    for (const [kind, arn] of [['onSuccess', s.onSuccess], ['onFailure', s.onFailure]] as const) {
      if (!arn) continue;
      const parts = arnParts(arn);
      const allowed = kind === 'onFailure' ? ['sqs', 'sns', 'lambda', 'events', 's3'] : ['sqs', 'sns', 'lambda', 'events'];
      if (!parts || !allowed.includes(parts.service)) throw invalid(`The provided destination config ${describe()} is invalid.`);
      if (parts.service !== 's3' && (parts.region !== ctx.region || (parts.account !== '' && parts.account !== ctx.accountId))) {
        throw invalid(`The provided destination config ${describe()} is invalid.`);
      }
      if (parts.service === 'lambda') {
        const target = this.host.functionByArn(ctx, arn);
        if (!target) throw invalid(`The destination ARN ${arn} is invalid.`);
        if (target === fn) throw invalid("You can't specify the function as a destination for itself.");
      }
    }
  }
}

type Settings = Partial<Pick<EventInvokeConfig, 'maximumRetryAttempts' | 'maximumEventAgeInSeconds' | 'onSuccess' | 'onFailure'>>;

function parseSettings(input: In): Settings {
  const s: Settings = {};
  const problems: string[] = [];
  const num = (key: string, field: string, min: number, max: number): number | undefined => {
    const v = input[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new AwsError('SerializationException', `Cannot deserialize value of type int from ${typeof v}`, 400);
    }
    if (v < min) problems.push(`Value '${v}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
    else if (v > max) problems.push(`Value '${v}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    return v;
  };
  const retries = num('MaximumRetryAttempts', 'maximumRetryAttempts', 0, 2);
  const age = num('MaximumEventAgeInSeconds', 'maximumEventAgeInSeconds', 60, 21_600);
  if (retries !== undefined) s.maximumRetryAttempts = retries;
  if (age !== undefined) s.maximumEventAgeInSeconds = age;
  const dc = input.DestinationConfig;
  if (dc !== undefined && dc !== null) {
    if (typeof dc !== 'object' || Array.isArray(dc)) throw new AwsError('SerializationException', 'DestinationConfig must be an object', 400);
    for (const [member, key, field] of [['OnSuccess', 'onSuccess', 'destinationConfig.onSuccess.destination'], ['OnFailure', 'onFailure', 'destinationConfig.onFailure.destination']] as const) {
      const d = (dc as In)[member];
      if (d === undefined || d === null) continue;
      const arn = (d as In).Destination;
      if (arn === undefined || arn === null || arn === '') {
        s[key] = undefined;
        continue;
      }
      if (typeof arn !== 'string' || arn.length > 350 || !DESTINATION_RE.test(arn)) {
        problems.push(`Value '${String(arn)}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${DESTINATION_PATTERN}`);
        continue;
      }
      s[key] = arn;
    }
  }
  if (problems.length) throw new AwsError('ValidationException', validationMessage(problems));
  if (retries === undefined && age === undefined && (dc === undefined || dc === null)) {
    throw invalid('You must specify at least one of error handling or destination setting.');
  }
  return s;
}

function out(fn: LambdaFunction, q: string, c: EventInvokeConfig): Record<string, unknown> {
  const o: Record<string, unknown> = { LastModified: c.lastModified / 1000, FunctionArn: `${fn.arn}:${q}` };
  if (c.maximumRetryAttempts !== undefined) o.MaximumRetryAttempts = c.maximumRetryAttempts;
  if (c.maximumEventAgeInSeconds !== undefined) o.MaximumEventAgeInSeconds = c.maximumEventAgeInSeconds;
  o.DestinationConfig = {
    OnSuccess: c.onSuccess ? { Destination: c.onSuccess } : {},
    OnFailure: c.onFailure ? { Destination: c.onFailure } : {},
  };
  return o;
}
