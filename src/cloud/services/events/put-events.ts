/**
 * PutEvents and TestEventPattern.
 *
 * PutEvents takes 1-10 entries. The request fails as a whole for the model's constraints (more than
 * 10 entries: AWS prints the entries as Java objects [rec]) and when the entries are over 256 KB
 * together [rec], sized as AWS documents: 14 bytes for a Time, plus the UTF-8 bytes of Source,
 * DetailType, Detail and each Resource [doc]. Each other problem fails only its entry, with its
 * code and text in the answer, in request order [rec]. An accepted entry gets an EventId even when
 * its bus does not exist (the event then goes nowhere [rec]). Delivery starts after the answer.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../errors';
import type { Operation, RequestContext } from '../../protocols/types';
import { expectType } from '../../protocols/validation';
import { invalidEvent, requestTooLarge } from './errors';
import { compilePattern } from './rules';
import { eventTime, type EventsStore } from './store';
import type { EventEnvelope } from './types';
import { busRefName, checkBusNameOrArn, checkStringList, parseBusArn, types, validator, type In } from './validate';

/** [doc] the PutEvents request size limit (the entries together). */
export const MAX_REQUEST_BYTES = 256 * 1024;
export const MAX_ENTRIES = 10;
const ENDPOINT_ID_RE = /^[A-Za-z0-9-]+[.][A-Za-z0-9-]+$/;

type Result = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const bytes = (s: unknown) => (typeof s === 'string' ? Buffer.byteLength(s, 'utf8') : 0);

/** [doc] "Calculating PutEvents event entry size". */
export function entrySize(e: In): number {
  let n = e.Time !== undefined && e.Time !== null ? 14 : 0;
  n += bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail);
  if (Array.isArray(e.Resources)) for (const r of e.Resources) n += bytes(r);
  return n;
}

/** Java's Date.toString in UTC, as AWS prints an entry's time in validation messages (unconfirmed). */
function javaDate(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (x: number) => String(x).padStart(2, '0');
  return `${day} ${mon} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** [rec] an entry as AWS's frontend prints it: PutEventsRequestEntry(time=null, source=..., ...). */
function javaEntry(e: In): string {
  const s = (x: unknown) => (x === undefined || x === null ? 'null' : String(x));
  const time = e.Time === undefined || e.Time === null ? 'null' : javaDate(timeMs(e.Time) ?? 0);
  const resources = Array.isArray(e.Resources) ? `[${e.Resources.join(', ')}]` : 'null';
  return (
    `PutEventsRequestEntry(time=${time}, source=${s(e.Source)}, resources=${resources}, detailType=${s(e.DetailType)}, ` +
    `detail=${s(e.Detail)}, eventBusName=${s(e.EventBusName)}, traceHeader=${s(e.TraceHeader)}, kmsKeyIdentifier=null, internalMetadata=null)`
  );
}

/** An entry's Time (epoch seconds, as the SDKs send it, or an ISO text) in ms; undefined if unreadable. */
function timeMs(t: unknown): number | undefined {
  if (typeof t === 'number' && Number.isFinite(t)) return t * 1000;
  if (typeof t === 'string') {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

const invalidArgument = (name: string) => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.` });

/** One entry's own problem, if it has one. */
function entryProblem(e: In): Result | undefined {
  if (typeof e.Source !== 'string' || e.Source === '') return invalidArgument('Source'); // [rec]
  if (typeof e.DetailType !== 'string' || e.DetailType === '') return invalidArgument('DetailType'); // [rec]
  if (typeof e.Detail !== 'string' || e.Detail === '') return invalidArgument('Detail'); // [rec]
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }; // [rec]
  // [obs] sources starting with "aws." belong to AWS services
  if (e.Source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  if ([...e.DetailType].length > 128) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is longer than 128 characters.' }; // unconfirmed text
  }
  return undefined;
}

export function putEventsOperations(store: EventsStore): Record<string, Operation> {
  return {
    PutEvents(input: In, ctx: RequestContext) {
      types(input, { Entries: 'array', EndpointId: 'string' });
      const v = validator();
      const raw = input.Entries as unknown[] | undefined;
      const entries: In[] = [];
      if (v.required(raw, 'entries')) {
        raw!.forEach((x, i) => {
          const at = `entries.${i + 1}.member`;
          expectType(x, at, 'object');
          const e = (x ?? {}) as In;
          types(e, { Source: 'string', DetailType: 'string', Detail: 'string', EventBusName: 'string', TraceHeader: 'string', Resources: 'array' });
          if (e.Time !== undefined && e.Time !== null && timeMs(e.Time) === undefined) {
            throw new AwsError('SerializationException', `${typeof e.Time === 'string' ? 'STRING_VALUE' : 'VALUE'} can not be converted to a Timestamp (at ${at}.time)`, 400, { messageKey: 'Message' });
          }
          checkBusNameOrArn(v, e.EventBusName, `${at}.eventBusName`, true);
          v.length(e.TraceHeader as string | undefined, `${at}.traceHeader`, 1, 500);
          checkStringList(v, e.Resources, `${at}.resources`, { max: 2048 });
          entries.push(e);
        });
        if (entries.length === 0) v.fail(entries, 'entries', 'Member must have length greater than or equal to 1');
        if (entries.length > MAX_ENTRIES) {
          v.problems.push(`Value '[${entries.map(javaEntry).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`);
        }
      }
      const endpointId = input.EndpointId as string | undefined;
      v.length(endpointId, 'endpointId', 1, 50).pattern(endpointId, 'endpointId', ENDPOINT_ID_RE, '^[A-Za-z0-9\\-]+[\\.][A-Za-z0-9\\-]+$');
      v.check();
      if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_REQUEST_BYTES) throw requestTooLarge();

      const now = ctx.clock.now();
      const results: Result[] = entries.map((e) => {
        const problem = entryProblem(e);
        if (problem) return problem;
        const event: EventEnvelope = {
          version: '0',
          id: randomUUID(),
          'detail-type': e.DetailType as string,
          source: e.Source as string,
          account: ctx.accountId,
          time: eventTime(e.Time !== undefined && e.Time !== null ? (timeMs(e.Time) as number) : now),
          region: ctx.region,
          resources: (e.Resources as string[] | undefined) ?? [],
          detail: JSON.parse(e.Detail as string),
        };
        const ref = e.EventBusName as string | undefined;
        const arn = ref === undefined ? undefined : parseBusArn(ref);
        const bus = arn ? store.bus(arn.accountId, arn.region, arn.name) : store.bus(ctx.accountId, ctx.region, busRefName(ref, ctx).name);
        if (bus) store.ingest(bus, { event, ingestedAt: now, traceHeader: (e.TraceHeader as string | undefined) ?? ctx.traceHeader });
        return { EventId: event.id };
      });
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    },

    TestEventPattern(input: In) {
      types(input, { EventPattern: 'string', Event: 'string' });
      const v = validator();
      if (v.required(input.EventPattern, 'eventPattern')) v.length(input.EventPattern as string, 'eventPattern', 0, 4096);
      v.required(input.Event, 'event');
      v.check();
      let event: unknown;
      try {
        event = JSON.parse(input.Event as string);
      } catch {
        throw invalidEvent(); // [rec]
      }
      // [rec] an event needs these fields (not `resources`, whatever the API reference says)
      const required = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
      if (event === null || typeof event !== 'object' || Array.isArray(event) || !required.every((k) => k in (event as object))) throw invalidEvent();
      const pattern = compilePattern(input.EventPattern as string);
      return { Result: pattern.matches(event) };
    },
  };
}
