/**
 * What the poll-based suites share: event source mappings created and deleted per suite, waiting for
 * a mapping's state, and the `BATCH` lines the `batch` function writes to CloudWatch Logs (one per
 * invocation: the ids and bodies it was given).
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  type EventSourceMappingConfiguration,
} from '@aws-sdk/client-lambda';
import { eventually, getTestbed } from '../_support/testbed';

export { queueTracker, receive, send, getAttributes, redrivePolicy } from '../sqs/_helpers';

const tb = getTestbed();

/** Tracks the mappings a suite creates, deleting them after it. */
export function mappingTracker() {
  const uuids = new Set<string>();
  afterAll(async () => {
    await Promise.all([...uuids].map((UUID) => tb.clients.lambda.send(new DeleteEventSourceMappingCommand({ UUID })).catch(() => undefined)));
  });
  return {
    /** CreateEventSourceMapping, then wait until it is Enabled (or Disabled when created so). */
    async create(input: CreateEventSourceMappingCommandInput): Promise<EventSourceMappingConfiguration> {
      const out = await tb.clients.lambda.send(new CreateEventSourceMappingCommand(input));
      uuids.add(out.UUID!);
      return waitForState(out.UUID!, input.Enabled === false ? 'Disabled' : 'Enabled');
    },
  };
}

export async function waitForState(uuid: string, state: string): Promise<EventSourceMappingConfiguration> {
  return eventually(
    () => tb.clients.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })),
    (m) => m.State === state,
    60_000,
  );
}

export interface BatchLine {
  source: string | null;
  ids: string[];
  bodies: string[];
  timestamp: number;
}

/** Every BATCH line of the function so far, oldest first. */
export async function batches(functionName: string): Promise<BatchLine[]> {
  const out: BatchLine[] = [];
  let nextToken: string | undefined;
  do {
    const page = await tb.clients.logs
      .send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: '"BATCH"', nextToken }))
      .catch(() => ({ events: [], nextToken: undefined }));
    for (const e of page.events ?? []) {
      const m = /BATCH (\{.*\})\s*$/.exec(e.message ?? '');
      if (m) out.push({ ...(JSON.parse(m[1]) as Omit<BatchLine, 'timestamp'>), timestamp: e.timestamp ?? 0 });
    }
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

/** Waits until the function's BATCH lines satisfy `accept`. */
export function awaitBatches(functionName: string, accept: (lines: BatchLine[]) => boolean, timeoutMs = 60_000): Promise<BatchLine[]> {
  return eventually(() => batches(functionName), accept, timeoutMs);
}

/** The bodies the function has been given so far, in order. */
export const bodiesOf = (lines: BatchLine[]) => lines.flatMap((l) => l.bodies);
