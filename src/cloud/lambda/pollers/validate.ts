/**
 * The checks of Create/UpdateEventSourceMapping, in the order AWS makes them:
 *   1. the model's constraints (types, ranges, enums, lengths): ValidationException with Coral's text
 *      (`parseSettings`) [model][rec];
 *   2. the rules: InvalidParameterValueException with Lambda's texts: OnSuccess destinations, the
 *      source kind, parameters that do not belong to it, the batching window, FIFO limits, filters
 *      (`sourceOf`, `checkKindParams`, `checkMerged`, `compileFilters`) [rec][obs];
 * then operations.ts checks the function, the source's existence and duplicates.
 */
import { AwsError, validationMessage } from '../../errors';
import { compileLambdaFilter, INVALID_FILTER, PatternError } from '../../patterns';
import { fail, optBool, optInt, optObject, optStringMap, typeError } from '../validate';
import type { CompiledFilter, EventSourceMapping, MappingSettings, SourceKind } from './types';

type In = Record<string, unknown>;

/** The model's pattern for EventSourceArn and destinations [model]. */
const ARN_PATTERN = 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const ARN_RE = new RegExp(`^${ARN_PATTERN}$`);
const DESTINATION_PATTERN = `$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|${ARN_PATTERN}`;
/** [rec] the enum as AWS prints it (not the model's order). */
const STARTING_POSITIONS = ['LATEST', 'AT_TIMESTAMP', 'TRIM_HORIZON'] as const;
const FUNCTION_RESPONSE_TYPES = ['ReportBatchItemFailures'];
/** Filters per mapping (a quota AWS can raise to 10) and a pattern's length [doc][model]. */
export const MAX_FILTERS = 5;
export const MAX_PATTERN_LENGTH = 4096;
/** FIFO queues take batches of at most 10 [doc]. */
export const FIFO_MAX_BATCH_SIZE = 10;
/** The settings only stream sources take, by request member. */
const STREAM_ONLY: [keyof MappingSettings, string][] = [
  ['parallelizationFactor', 'ParallelizationFactor'],
  ['maximumRecordAgeInSeconds', 'MaximumRecordAgeInSeconds'],
  ['maximumRetryAttempts', 'MaximumRetryAttempts'],
  ['bisectBatchOnFunctionError', 'BisectBatchOnFunctionError'],
  ['tumblingWindowInSeconds', 'TumblingWindowInSeconds'],
];

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message);
}

/** [rec] an OnSuccess destination, or any destination on an SQS mapping. */
const UNSUPPORTED_DESTINATION = 'Unsupported DestinationConfig parameter for given event source mapping type.';

// ---------------------------------------------------------------------- 1. the model's constraints

/** The settings a Create or Update request gives, checked against the model; `given` names the members present. */
export function parseSettings(input: In, op: 'create' | 'update'): { settings: MappingSettings; given: Set<keyof MappingSettings>; onSuccess: boolean } {
  const s: MappingSettings = {};
  s.enabled = optBool(input, 'Enabled');
  s.batchSize = optInt(input, 'BatchSize', 'batchSize', 1, 10_000);
  s.maximumBatchingWindowInSeconds = optInt(input, 'MaximumBatchingWindowInSeconds', 'maximumBatchingWindowInSeconds', 0, 300);
  s.parallelizationFactor = optInt(input, 'ParallelizationFactor', 'parallelizationFactor', 1, 10);
  s.maximumRecordAgeInSeconds = optInt(input, 'MaximumRecordAgeInSeconds', 'maximumRecordAgeInSeconds', -1, 604_800);
  s.maximumRetryAttempts = optInt(input, 'MaximumRetryAttempts', 'maximumRetryAttempts', -1, 10_000);
  s.tumblingWindowInSeconds = optInt(input, 'TumblingWindowInSeconds', 'tumblingWindowInSeconds', 0, 900);
  s.bisectBatchOnFunctionError = optBool(input, 'BisectBatchOnFunctionError');
  if (op === 'create') {
    const position = input.StartingPosition;
    if (position !== undefined && position !== null) {
      if (typeof position !== 'string') typeError('StartingPosition', 'a string');
      if (!(STARTING_POSITIONS as readonly string[]).includes(position)) {
        fail('startingPosition', position, `Member must satisfy enum value set: [${STARTING_POSITIONS.join(', ')}]`); // [rec]
      }
      s.startingPosition = position as MappingSettings['startingPosition'];
    }
    const ts = input.StartingPositionTimestamp;
    if (ts !== undefined && ts !== null) {
      if (typeof ts !== 'number' || !Number.isFinite(ts)) typeError('StartingPositionTimestamp', 'a timestamp');
      s.startingPositionTimestamp = ts;
    }
  }
  s.functionResponseTypes = functionResponseTypes(input.FunctionResponseTypes);
  s.scalingConfig = scalingConfig(input);
  s.filters = filterPatterns(input);
  const destinations = destinationConfig(input);
  if (destinations.onFailure !== undefined) s.onFailure = destinations.onFailure;
  const given = new Set<keyof MappingSettings>();
  for (const [k, v] of Object.entries(s) as [keyof MappingSettings, unknown][]) {
    if (v === undefined) delete s[k];
    else given.add(k);
  }
  return { settings: s, given, onSuccess: destinations.onSuccess };
}

function functionResponseTypes(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) typeError('FunctionResponseTypes', 'a list');
  for (const t of v) if (typeof t !== 'string') typeError('FunctionResponseTypes', 'a list of strings');
  const list = v as string[];
  const shown = `[${list.join(', ')}]`;
  if (list.length > 1) fail('functionResponseTypes', shown, 'Member must have length less than or equal to 1');
  if (list.some((t) => !FUNCTION_RESPONSE_TYPES.includes(t))) {
    fail('functionResponseTypes', shown, `Member must satisfy constraint: [Member must satisfy enum value set: [${FUNCTION_RESPONSE_TYPES.join(', ')}]]`);
  }
  return [...list];
}

function scalingConfig(input: In): { maximumConcurrency?: number } | undefined {
  const c = optObject(input, 'ScalingConfig');
  if (!c) return undefined;
  return { maximumConcurrency: optInt(c, 'MaximumConcurrency', 'scalingConfig.maximumConcurrency', 2, 1000) };
}

/** The Pattern texts; `{}` or an empty Filters list removes the filters. Patterns are compiled later (rules). */
function filterPatterns(input: In): { patterns: string[]; compiled: CompiledFilter[] } | undefined {
  const fc = optObject(input, 'FilterCriteria');
  if (!fc) return undefined;
  const filters = fc.Filters;
  if (filters === undefined || filters === null) return { patterns: [], compiled: [] };
  if (!Array.isArray(filters)) typeError('FilterCriteria.Filters', 'a list');
  const patterns: string[] = [];
  (filters as unknown[]).forEach((f, i) => {
    if (f === null || typeof f !== 'object' || Array.isArray(f)) typeError(`FilterCriteria.Filters.${i + 1}`, 'an object');
    const p = (f as In).Pattern;
    if (p !== undefined && p !== null && typeof p !== 'string') typeError('Pattern', 'a string');
    if (typeof p === 'string' && p.length > MAX_PATTERN_LENGTH) {
      fail(`filterCriteria.filters.${i + 1}.member.pattern`, p, `Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`);
    }
    // A missing Pattern is refused by the rules with the filter text [rec].
    patterns.push(typeof p === 'string' ? p : '');
  });
  return { patterns, compiled: [] };
}

/** DestinationConfig: the OnFailure ARN (`null`: remove it) and whether OnSuccess was given. */
function destinationConfig(input: In): { onFailure?: string | null; onSuccess: boolean } {
  const dc = optObject(input, 'DestinationConfig');
  if (!dc) return { onSuccess: false };
  const onSuccess = dc.OnSuccess !== undefined && dc.OnSuccess !== null;
  const of = optObject(dc, 'OnFailure');
  const dest = of?.Destination;
  if (dest !== undefined && dest !== null) {
    if (typeof dest !== 'string') typeError('Destination', 'a string');
    if (dest.length > 350) fail('destinationConfig.onFailure.destination', dest, 'Member must have length less than or equal to 350');
    if (dest !== '' && !new RegExp(`^(${DESTINATION_PATTERN})$`).test(dest)) {
      fail('destinationConfig.onFailure.destination', dest, `Member must satisfy regular expression pattern: ${DESTINATION_PATTERN}`);
    }
  }
  return { onFailure: typeof dest === 'string' && dest !== '' ? dest : null, onSuccess };
}

/** Tags at create: a map of strings. */
export function parseTags(input: In): Record<string, string> {
  return { ...(optStringMap(input, 'Tags') ?? {}) };
}

// ---------------------------------------------------------------------- 2. the rules

/** The source kind an EventSourceArn names; refuses a missing or unsupported one [rec]. */
export function sourceOf(arn: unknown): { kind: SourceKind; arn: string } {
  if (arn === undefined || arn === null) throw invalidParameter('Unrecognized event source.'); // [rec]
  if (typeof arn !== 'string') typeError('EventSourceArn', 'a string');
  if (arn.length > 10_000 || !ARN_RE.test(arn)) {
    fail('eventSourceArn', arn, `Member must satisfy regular expression pattern: ${ARN_PATTERN}`);
  }
  const service = arn.split(':')[2];
  if (service === 'sqs') return { kind: 'sqs', arn };
  if (service === 'kinesis' && /:stream\/[^/]+/.test(arn)) return { kind: 'kinesis', arn };
  // DynamoDB streams, Kafka, MQ and DocumentDB are not served by this cloud (text unconfirmed).
  throw invalidParameter('Unrecognized event source.');
}

/** [rec] DestinationConfig.OnSuccess: no mapping takes one (checked before the source). */
export function refuseOnSuccess(p: { onSuccess: boolean }): void {
  if (p.onSuccess) throw invalidParameter(UNSUPPORTED_DESTINATION);
}

/** The parameters a source kind does not take, and the ones it needs (create). */
export function checkKindParams(
  kind: SourceKind,
  op: 'create' | 'update',
  p: { settings: MappingSettings; given: Set<keyof MappingSettings>; onSuccess: boolean },
  now: number,
): void {
  refuseOnSuccess(p);
  const s = p.settings;
  if (kind === 'sqs') {
    // [obs] AWS's text (CloudFormation shows it as "Invalid request provided: ...").
    if (p.given.has('startingPosition')) throw invalidParameter('StartingPosition is not valid for SQS event sources.');
    if (typeof s.onFailure === 'string') throw invalidParameter(UNSUPPORTED_DESTINATION);
    for (const [key, member] of STREAM_ONLY) {
      // The text follows the recorded DestinationConfig one (unconfirmed for these members).
      if (p.given.has(key)) throw invalidParameter(`Unsupported ${member} parameter for given event source mapping type.`);
    }
    return;
  }
  if (p.given.has('scalingConfig')) throw invalidParameter('Unsupported ScalingConfig parameter for given event source mapping type.');
  if (op === 'create') {
    if (!s.startingPosition) {
      // [rec] InvalidParameterValueException with the validation wording (and its final period).
      throw invalidParameter(validationMessage(["Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."]));
    }
    if (s.startingPosition === 'AT_TIMESTAMP' && s.startingPositionTimestamp === undefined) {
      throw invalidParameter('StartingPositionTimestamp must be provided when StartingPosition is AT_TIMESTAMP.'); // (text unconfirmed)
    }
    if (s.startingPositionTimestamp !== undefined && s.startingPositionTimestamp * 1000 > now) {
      throw invalidParameter('StartingPositionTimestamp cannot be in the future.'); // (text unconfirmed)
    }
  }
  const age = s.maximumRecordAgeInSeconds;
  if (age !== undefined && age >= 0 && age < 60) {
    // [doc] -1 or 60-604,800 (text unconfirmed)
    throw invalidParameter(`Invalid MaximumRecordAgeInSeconds value: ${age}. It must be -1 or between 60 and 604800.`);
  }
  if (typeof s.onFailure === 'string') {
    const service = s.onFailure.startsWith('kafka://') ? 'kafka' : s.onFailure.split(':')[2];
    if (service !== 'sqs' && service !== 'sns' && service !== 's3') {
      // The text of Lambda's destination check (event invoke configs); unconfirmed for mappings.
      throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${s.onFailure})) is invalid.`);
    }
  }
}

/** The rules over the settings as they will be (create: defaults + request; update: current + request). */
export function checkMerged(m: Pick<EventSourceMapping, 'kind' | 'fifo' | 'batchSize' | 'maximumBatchingWindowInSeconds'>): void {
  if (m.kind !== 'sqs') return;
  if (m.fifo) {
    if (m.maximumBatchingWindowInSeconds > 0) throw invalidParameter('Batching window is not supported for FIFO queues'); // [obs]
    // [obs] Lambda's text from when every SQS mapping was limited to 10 (unconfirmed for FIFO today).
    if (m.batchSize > FIFO_MAX_BATCH_SIZE) throw invalidParameter('Maximum batch size must be between 1 and 10 inclusive');
    return;
  }
  if (m.batchSize > 10 && m.maximumBatchingWindowInSeconds === 0) {
    throw invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'); // [rec]
  }
}

/** Compile the filters (patterns engine, Lambda dialect) [rec]. */
export function compileFilters(filters: { patterns: string[]; compiled: CompiledFilter[] }): void {
  if (filters.patterns.length > MAX_FILTERS) {
    throw invalidParameter(`The number of filters in FilterCriteria (${filters.patterns.length}) exceeds the limit of ${MAX_FILTERS}.`); // (text unconfirmed)
  }
  filters.compiled = filters.patterns.map((p) => {
    if (p === '') throw invalidParameter(INVALID_FILTER); // [rec] a missing Pattern
    try {
      return compileLambdaFilter(p);
    } catch (e) {
      // [rec] "Invalid filter pattern definition." for every refusal
      throw invalidParameter(e instanceof PatternError ? e.message : INVALID_FILTER);
    }
  });
}
