/**
 * CreateEventSourceMapping (202), GetEventSourceMapping, UpdateEventSourceMapping (202),
 * DeleteEventSourceMapping (202, State "Deleting", then gone), ListEventSourceMappings [model][rec].
 *
 * Create checks, in AWS's order: the model's constraints, an OnSuccess destination, the source
 * (missing or unknown: "Unrecognized event source."), the parameters of its kind, the batching rules,
 * the filters, then the function ("Function does not exist"), the source's existence, the queue's
 * visibility timeout against the function's timeout, and duplicates (409) [rec][obs].
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../errors';
import type { RequestContext } from '../../protocols/types';
import type { LambdaFunction } from '../model';
import { checkRegion, parseFunctionName } from '../names';
import { fail, maxItems, paginate } from '../validate';
import { applySettings, newMapping, toConfiguration } from './mapping';
import type { MappingStore } from './store';
import type { EventSourceMapping, MappingHost, MappingSettings, MappingState } from './types';
import { checkKindParams, checkMerged, compileFilters, invalidParameter, parseSettings, parseTags, refuseOnSuccess, sourceOf } from './validate';

type In = Record<string, unknown>;

/** What the operations need of EventSourceMappings (index.ts). */
export interface OperationsHost {
  readonly host: MappingHost;
  readonly store: MappingStore;
  /** The mapping entered a transitional state (Creating, Enabling, Disabling, Updating, Deleting): end it later. */
  begin(m: EventSourceMapping): void;
}

/** ListEventSourceMappings' page size when MaxItems is not given. */
const DEFAULT_PAGE = 100;
const TRANSITIONAL: MappingState[] = ['Creating', 'Enabling', 'Disabling', 'Updating', 'Deleting'];
/** FunctionName's longest form [model]. */
const FUNCTION_NAME_MAX = 256;

function notFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404); // [rec]
}

function inUse(what: 'update' | 'delete'): AwsError {
  // [model] ResourceInUseException; the text is unconfirmed.
  return new AwsError('ResourceInUseException', `Cannot ${what} the event source mapping because it is in use.`, 400);
}

/** The function a FunctionName names, and the FunctionArn AWS shows for it (qualified as named) [rec]. */
function resolveFunction(host: MappingHost, ctx: RequestContext, value: unknown): { fn: LambdaFunction; functionArn: string; qualifier?: string } {
  if (value === undefined || value === null) fail('functionName', null, 'Member must not be null');
  const ref = parseFunctionName(value, 'functionName', FUNCTION_NAME_MAX);
  checkRegion(ctx, ref);
  const fn = ref.accountId && ref.accountId !== ctx.accountId ? undefined : host.functions.get(host.key(ctx, ref.name));
  if (!fn) throw invalidParameter('Function does not exist'); // [rec]
  const q = ref.qualifier;
  if (q && q !== '$LATEST' && !fn.versions.has(q) && !fn.aliases.has(q)) throw invalidParameter('Function does not exist'); // (unconfirmed for a qualifier)
  return { fn, functionArn: q ? `${fn.arn}:${q}` : fn.arn, qualifier: q };
}

/** The source must exist when the mapping is created [rec]. */
function checkSourceExists(host: MappingHost, m: EventSourceMapping): void {
  if (m.kind === 'sqs') {
    if (!host.sqs?.byArn(m.eventSourceArn)) {
      throw invalidParameter(
        'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.',
      ); // [rec]
    }
    return;
  }
  const stream = /^(arn:[^:]+:kinesis:[^:]+:\d{12}:stream\/[^/]+)/.exec(m.eventSourceArn)?.[1] ?? m.eventSourceArn;
  if (!host.kinesis?.byArn(stream)) throw invalidParameter(`Stream not found: ${m.eventSourceArn}`); // [rec]
}

/** [obs] The function's timeout may not exceed the queue's visibility timeout [doc]. */
function checkVisibility(host: MappingHost, m: EventSourceMapping, fn: LambdaFunction, qualifier: string | undefined): void {
  if (m.kind !== 'sqs') return;
  const queue = host.sqs?.byArn(m.eventSourceArn);
  if (!queue) return;
  let timeout: number;
  try {
    timeout = host.resolveVersion(fn, qualifier).version.config.timeout;
  } catch {
    return;
  }
  const visibility = Number(queue.attributes.VisibilityTimeout ?? 30);
  if (visibility < timeout) throw invalidParameter(`Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${timeout} seconds`);
}

/** [rec] two texts: SQS's and the streams'. */
function duplicateError(existing: EventSourceMapping, functionName: string): AwsError {
  const message =
    existing.kind === 'sqs'
      ? `An event source mapping with SQS arn (" ${existing.eventSourceArn} ") and function (" ${functionName} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`
      : `The event source arn (" ${existing.eventSourceArn} ") and function (" ${functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`;
  return new AwsError('ResourceConflictException', message, 409);
}

/** The settings' filters compiled, and the merged rules checked, on a copy of `base`. */
function checked(base: EventSourceMapping, settings: MappingSettings): void {
  const draft = { ...base };
  applySettings(draft, settings);
  checkMerged(draft);
  if (settings.filters) compileFilters(settings.filters);
}

export function createMapping(ops: OperationsHost, ctx: RequestContext, input: In) {
  const { host, store } = ops;
  const parsed = parseSettings(input, 'create');
  if (input.FunctionName === undefined || input.FunctionName === null) fail('functionName', null, 'Member must not be null');
  parseFunctionName(input.FunctionName, 'functionName', FUNCTION_NAME_MAX);
  const tags = parseTags(input);
  refuseOnSuccess(parsed); // before the source [rec]
  const source = sourceOf(input.EventSourceArn);
  checkKindParams(source.kind, 'create', parsed, host.clock.now());
  const uuid = randomUUID();
  const draft = newMapping({
    uuid,
    accountId: ctx.accountId,
    region: ctx.region,
    kind: source.kind,
    eventSourceArn: source.arn,
    functionArn: '',
    functionName: '',
    now: host.clock.now(),
    tags,
  });
  checked(draft, parsed.settings);
  const { fn, functionArn, qualifier } = resolveFunction(host, ctx, input.FunctionName);
  const m = draft;
  m.functionArn = functionArn;
  m.functionName = fn.name;
  applySettings(m, parsed.settings);
  checkSourceExists(host, m);
  checkVisibility(host, m, fn, qualifier);
  const dup = store.duplicate(m);
  if (dup) throw duplicateError(dup, fn.name);
  store.add(m);
  if (m.enabled) {
    m.state = 'Creating';
    ops.begin(m);
  } else {
    m.state = 'Disabled'; // [rec] created disabled: Disabled at once
  }
  return { status: 202, body: toConfiguration(m) };
}

export function getMapping(ops: OperationsHost, ctx: RequestContext, uuid: string) {
  const m = ops.store.get(ctx, uuid);
  if (!m) throw notFound();
  return toConfiguration(m);
}

export function updateMapping(ops: OperationsHost, ctx: RequestContext, uuid: string, input: In) {
  const { host, store } = ops;
  const m = store.get(ctx, uuid);
  if (!m) throw notFound(); // [rec]
  const parsed = parseSettings(input, 'update');
  checkKindParams(m.kind, 'update', parsed, host.clock.now());
  checked(m, parsed.settings);
  let fnChange: ReturnType<typeof resolveFunction> | undefined;
  if (input.FunctionName !== undefined && input.FunctionName !== null) {
    fnChange = resolveFunction(host, ctx, input.FunctionName);
    const dup = store.duplicate({ ...m, functionArn: fnChange.functionArn }, m);
    if (dup) throw duplicateError(dup, fnChange.fn.name);
    checkVisibility(host, m, fnChange.fn, fnChange.qualifier);
  }
  if (TRANSITIONAL.includes(m.state)) throw inUse('update');
  const wasEnabled = m.enabled;
  applySettings(m, parsed.settings);
  if (fnChange) {
    m.functionArn = fnChange.functionArn;
    m.functionName = fnChange.fn.name;
  }
  const changed = fnChange !== undefined || [...parsed.given].some((k) => k !== 'enabled');
  let next: MappingState | undefined;
  if (m.enabled && !wasEnabled) next = 'Enabling'; // [rec]
  else if (!m.enabled && wasEnabled) next = 'Disabling'; // [rec]
  else if (changed) next = 'Updating'; // [rec]
  m.lastModified = host.clock.now();
  if (next) {
    m.state = next;
    ops.begin(m);
  }
  return { status: 202, body: toConfiguration(m) };
}

export function deleteMapping(ops: OperationsHost, ctx: RequestContext, uuid: string) {
  const m = ops.store.get(ctx, uuid);
  if (!m) throw notFound(); // [rec]
  if (TRANSITIONAL.includes(m.state)) throw inUse('delete');
  m.state = 'Deleting';
  ops.begin(m);
  return { status: 202, body: toConfiguration(m) }; // [rec] State "Deleting"
}

/**
 * ListEventSourceMappings: by EventSourceArn (exact) and FunctionName (a qualified name or ARN
 * matches that qualifier; an unqualified one every mapping of the function). Unknown sources and
 * functions give an empty list, not an error [rec].
 */
export function listMappings(ops: OperationsHost, ctx: RequestContext, query: URLSearchParams) {
  const source = query.get('EventSourceArn');
  const name = query.get('FunctionName');
  const max = maxItems(query) ?? DEFAULT_PAGE;
  let byFunction: ((m: EventSourceMapping) => boolean) | undefined;
  if (name !== null) {
    const ref = parseFunctionName(name, 'functionName', FUNCTION_NAME_MAX);
    const account = ref.accountId ?? ctx.accountId;
    const region = ref.region ?? ctx.region;
    byFunction = (m) => m.functionName === ref.name && m.accountId === account && m.region === region && (!ref.qualifier || m.functionArn.endsWith(`:function:${ref.name}:${ref.qualifier}`));
  }
  const list = ops.store.list(ctx, (m) => (source === null || m.eventSourceArn === source) && (!byFunction || byFunction(m)));
  return paginate(list.map(toConfiguration), query.get('Marker'), max, 'EventSourceMappings');
}
