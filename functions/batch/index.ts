/**
 * batch: a poll-based consumer (SQS and Kinesis event source mappings) driven by its records. Each
 * record's content (an SQS body, or a Kinesis record's base64 data) may be JSON with:
 *   {"fail": true}      this record fails: it is listed in batchItemFailures
 *   {"throw": true}     the whole batch fails: the handler throws
 *   {"sleepMs": n}      wait n ms before answering (the longest in the batch)
 *   {"answer": <json>}  answer exactly this value instead (to exercise how Lambda reads answers)
 * Logs one line per invocation, `BATCH {"source","ids","bodies","window","mode"}`, readable through
 * CloudWatch Logs, and the whole event as `EVENT <json>` when the function's LOG_EVENT variable is "1".
 *
 * Chaos (the reliability property test): with the CHAOS variable set to a probability p, each
 * invocation fails with probability p, in a way picked at random and named in the BATCH line's `mode`:
 * "throw", "timeout" (outlives the function's timeout), "crash" (the process exits) or "partial" (a
 * random half of the records reported in batchItemFailures, listed in `failed`); otherwise "ok".
 * Returns `{ batchItemFailures: [{ itemIdentifier }] }` (messageId for SQS, sequenceNumber for
 * Kinesis); in a Kinesis tumbling window it also carries `state` ({count, ids}) from invoke to invoke.
 */

interface SqsRecord {
  messageId: string;
  body: string;
  eventSource: 'aws:sqs';
}
interface KinesisRecord {
  kinesis: { data: string; sequenceNumber: string; partitionKey: string };
  eventSource: 'aws:kinesis';
  /** `<shardId>:<sequenceNumber>` */
  eventID: string;
}
interface BatchEvent {
  Records?: (SqsRecord | KinesisRecord)[];
  window?: { start: string; end: string };
  state?: { count?: number; ids?: string[] };
  isFinalInvokeForWindow?: boolean;
  isWindowTerminatedEarly?: boolean;
  shardId?: string;
}

interface Instruction {
  fail?: boolean;
  throw?: boolean;
  sleepMs?: number;
  answer?: unknown;
}

function content(r: SqsRecord | KinesisRecord): string {
  return r.eventSource === 'aws:kinesis' ? Buffer.from((r as KinesisRecord).kinesis.data, 'base64').toString('utf8') : (r as SqsRecord).body;
}

function idOf(r: SqsRecord | KinesisRecord): string {
  return r.eventSource === 'aws:kinesis' ? (r as KinesisRecord).kinesis.sequenceNumber : (r as SqsRecord).messageId;
}

function instruction(text: string): Instruction {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Instruction) : {};
  } catch {
    return {};
  }
}

type Mode = 'ok' | 'throw' | 'timeout' | 'crash' | 'partial';

function chaosMode(): Mode {
  const p = Number(process.env.CHAOS ?? 0);
  if (!(p > 0) || Math.random() >= p) return 'ok';
  const modes: Mode[] = ['throw', 'timeout', 'crash', 'partial'];
  return modes[Math.floor(Math.random() * modes.length)];
}

export const handler = async (event: BatchEvent): Promise<unknown> => {
  const records = event.Records ?? [];
  const bodies = records.map(content);
  const ids = records.map(idOf);
  const mode = chaosMode();
  const failed = mode === 'partial' ? ids.filter(() => Math.random() < 0.5) : [];
  if (process.env.LOG_EVENT === '1') console.log(`EVENT ${JSON.stringify(event)}`);
  console.log(
    `BATCH ${JSON.stringify({
      source: records[0]?.eventSource ?? null,
      ids,
      bodies,
      // Kinesis: the shard of each record (from its eventID)
      shards: records.map((r) => (r.eventSource === 'aws:kinesis' ? (r as KinesisRecord).eventID.split(':')[0] : undefined)),
      shardId: event.shardId,
      window: event.window,
      state: event.state,
      final: event.isFinalInvokeForWindow,
      mode,
      failed,
    })}`,
  );
  if (mode === 'throw') throw new Error('chaos: throw');
  if (mode === 'crash') process.exit(1);
  if (mode === 'timeout') await new Promise(() => setInterval(() => undefined, 60_000));
  if (mode === 'partial') return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  const steps = bodies.map(instruction);
  const sleep = Math.max(0, ...steps.map((s) => s.sleepMs ?? 0));
  if (sleep > 0) await new Promise((r) => setTimeout(r, sleep));
  const answer = steps.find((s) => 'answer' in s);
  if (answer) return answer.answer;
  if (steps.some((s) => s.throw)) throw new Error(`batch of ${records.length} failed on purpose`);
  const batchItemFailures = records.filter((_, i) => steps[i].fail).map((r) => ({ itemIdentifier: idOf(r) }));
  if (event.window) {
    const state = { count: (event.state?.count ?? 0) + records.length, ids: [...(event.state?.ids ?? []), ...ids] };
    return { state, batchItemFailures };
  }
  return { batchItemFailures };
};
