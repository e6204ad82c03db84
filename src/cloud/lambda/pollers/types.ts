/**
 * Lambda's event source mappings (the poll-based model): the shapes shared by the files of this
 * folder. No behaviour here, so every file can import it.
 *
 *   index.ts           EventSourceMappings: the store, the state transitions, one poller per enabled
 *                      mapping (hung on LambdaService as `lambda.mappings`)
 *   operations.ts      Create/Get/Update/Delete/ListEventSourceMappings
 *   validate.ts        the request checks, with AWS's codes and texts, per source kind
 *   mapping.ts         a new mapping's defaults, its ARN, and its EventSourceMappingConfiguration view
 *   store.ts           mappings by UUID and ARN, per account and region; duplicates; lists
 *   sqs.ts             the SQS poller: batches, windows, invokes, deletes, throttles, FIFO
 *   sqs-event.ts       the SQS event record Lambda sends, and what filters see of a message
 *   batch-response.ts  ReportBatchItemFailures: AWS's rules for reading a function's answer
 *   scaling.ts         how many batches an SQS mapping runs at once (5, +300 a minute, back-off)
 *   kinesis.ts         the Kinesis poller: shards in order (parents first), checkpoints, problems,
 *                      OnFailure delivery; kinesis-lane.ts one lane of a shard (batches, retries,
 *                      record age, bisect, partial responses, tumbling windows); kinesis-event.ts the
 *                      Kinesis event, the OnFailure record and what filters see
 *   target.ts          the function a mapping invokes, resolved at each batch
 *
 * Imports run one way: index -> operations -> validate/mapping/store -> types; index -> sqs ->
 * sqs-event/batch-response/scaling -> types. Nothing here imports service.ts: what the pollers need
 * of Lambda is `MappingHost`, which LambdaService satisfies.
 */
import type { Clock } from '../../clock';
import type { Deliverer } from '../../deliver/types';
import type { compileLambdaFilter } from '../../patterns';
import type { KinesisStreams } from '../../services/kinesis/types';
import type { QueueRecord } from '../../services/sqs/types';
import type { RecursiveLoop } from '../async/recursion';
import type { InvocationLog, RunRequest } from '../invocations';
import type { Alias, FunctionVersion, LambdaFunction } from '../model';
import type { InvokeResult } from '../runtime/types';

export type SourceKind = 'sqs' | 'kinesis';

/** One compiled FilterCriteria pattern (patterns engine, Lambda dialect). */
export type CompiledFilter = ReturnType<typeof compileLambdaFilter>;

/** [model][rec] Creating and Updating are left by a timer; Deleting ends in the mapping's removal. */
export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

/** The settings a request may give (validated); every member optional. */
export interface MappingSettings extends StreamSettings {
  enabled?: boolean;
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  /** The filters as given (Pattern texts) and compiled; an empty list removes them. */
  filters?: { patterns: string[]; compiled: CompiledFilter[] };
  functionResponseTypes?: string[];
  /** `{}` removes the maximum. */
  scalingConfig?: { maximumConcurrency?: number };
  /** `null` removes the destination (DestinationConfig {} or an empty Destination). */
  onFailure?: string | null;
}

/** The settings only stream mappings (Kinesis) have. */
export interface StreamSettings {
  startingPosition?: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  /** Epoch seconds (botocore sends whole seconds, SDK v3 a fraction). */
  startingPositionTimestamp?: number;
  parallelizationFactor?: number;
  maximumRecordAgeInSeconds?: number;
  maximumRetryAttempts?: number;
  bisectBatchOnFunctionError?: boolean;
  tumblingWindowInSeconds?: number;
}

/** One mapping as the store keeps it. */
export interface EventSourceMapping extends StreamSettings {
  uuid: string;
  /** arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid> [rec] */
  arn: string;
  accountId: string;
  region: string;
  kind: SourceKind;
  eventSourceArn: string;
  /** SQS: whether the queue is FIFO (its name ends in .fifo). */
  fifo: boolean;
  /** As AWS shows it: qualified when the caller named a version or alias ($LATEST included) [rec]. */
  functionArn: string;
  /** The function's name (unqualified): the duplicate-mapping message names it [rec]. */
  functionName: string;
  state: MappingState;
  /** "USER_INITIATED" for SQS, "User action" for streams [rec]. */
  stateTransitionReason: string;
  /** Virtual epoch ms. */
  lastModified: number;
  /**
   * Streams: "No records processed", "OK", "PROBLEM: ..." [rec][doc]. SQS mappings show none in
   * AWS's recordings; here they show one only while a problem lasts (the queue or function is gone,
   * the function fails).
   */
  lastProcessingResult?: string;
  /** What the user asked for: Enabled after Creating/Enabling/Updating, else Disabled. */
  enabled: boolean;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  filterPatterns: string[];
  filters: CompiledFilter[];
  functionResponseTypes: string[];
  maximumConcurrency?: number;
  onFailure?: string;
  tags: Record<string, string>;
  /** Bumped by every change of state: a pending transition of an older version does nothing. */
  version: number;
}

/** A poller: one per enabled mapping. It reads the mapping's settings live, so updates apply at once. */
export interface Poller {
  start(): void;
  /** Stop taking new work; batches already with the function finish (their results still count). */
  stop(): void;
  /** Nothing received and not yet finished (tests, admin). */
  idle(): boolean;
}

/** What the mappings need of SQS: queues by ARN (SqsStore). */
export interface QueueSource {
  byArn(arn: string): QueueRecord | undefined;
}

/**
 * What the mappings need of Kinesis: the Kinesis service's in-process API (KinesisStore). The mapping
 * API uses `byArn` (a stream that does not exist is refused); the Kinesis poller the rest.
 */
export type StreamSource = KinesisStreams;

/** What the mappings and their pollers need of the Lambda service (LambdaService satisfies it). */
export interface MappingHost {
  readonly clock: Clock;
  readonly invocations: InvocationLog;
  readonly sqs?: QueueSource;
  readonly kinesis?: StreamSource;
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly async: { recursiveLoop(fn: LambdaFunction): RecursiveLoop };
  /** Where OnFailure records of stream mappings go (the cloud's deliverer). */
  readonly deliverer?: Deliverer;
  key(ctx: { accountId: string; region: string }, name: string): string;
  functionByArn(ctx: { accountId: string; region: string }, arn: string): LambdaFunction | undefined;
  resolveVersion(fn: LambdaFunction, qualifier: string | undefined): { version: FunctionVersion; alias?: Alias };
  run(fn: LambdaFunction, version: FunctionVersion, req: RunRequest): Promise<InvokeResult>;
}

/** The largest synchronous invoke payload: a batch closes before its event would pass it [doc]. */
export const MAX_BATCH_PAYLOAD_BYTES = 6_291_456;
