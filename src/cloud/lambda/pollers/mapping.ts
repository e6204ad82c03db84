/**
 * One event source mapping: the defaults a new one gets per source kind, its ARN, applying settings,
 * and the EventSourceMappingConfiguration view the API answers with. The members shown differ by
 * source kind, as in AWS's recordings: an SQS mapping shows BatchSize, the batching window,
 * FunctionResponseTypes, FilterCriteria and ScalingConfig when set; a stream mapping adds
 * StartingPosition, the retry settings, DestinationConfig (`{"OnFailure": {}}` when none) and
 * LastProcessingResult [rec].
 */
import type { EventSourceMapping, MappingSettings, SourceKind } from './types';

/** Defaults [model][rec]. */
export const SQS_DEFAULT_BATCH_SIZE = 10;
export const STREAM_DEFAULT_BATCH_SIZE = 100;

/** arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid> [rec] */
export function mappingArn(region: string, accountId: string, uuid: string): string {
  return `arn:aws:lambda:${region}:${accountId}:event-source-mapping:${uuid}`;
}

export interface NewMapping {
  uuid: string;
  accountId: string;
  region: string;
  kind: SourceKind;
  eventSourceArn: string;
  functionArn: string;
  functionName: string;
  now: number;
  tags: Record<string, string>;
}

/** A mapping with its source kind's defaults, before the request's settings are applied. */
export function newMapping(n: NewMapping): EventSourceMapping {
  const sqs = n.kind === 'sqs';
  const m: EventSourceMapping = {
    uuid: n.uuid,
    arn: mappingArn(n.region, n.accountId, n.uuid),
    accountId: n.accountId,
    region: n.region,
    kind: n.kind,
    eventSourceArn: n.eventSourceArn,
    fifo: sqs && n.eventSourceArn.endsWith('.fifo'),
    functionArn: n.functionArn,
    functionName: n.functionName,
    state: 'Creating',
    stateTransitionReason: sqs ? 'USER_INITIATED' : 'User action', // [rec]
    lastModified: n.now,
    enabled: true,
    batchSize: sqs ? SQS_DEFAULT_BATCH_SIZE : STREAM_DEFAULT_BATCH_SIZE,
    maximumBatchingWindowInSeconds: 0,
    filterPatterns: [],
    filters: [],
    functionResponseTypes: [],
    tags: n.tags,
    version: 0,
  };
  if (!sqs) {
    // [rec] a stream mapping's defaults
    m.lastProcessingResult = 'No records processed';
    m.parallelizationFactor = 1;
    m.maximumRecordAgeInSeconds = -1;
    m.maximumRetryAttempts = -1;
    m.bisectBatchOnFunctionError = false;
    m.tumblingWindowInSeconds = 0;
  }
  return m;
}

/** Apply validated settings (those given; `null`/empty values remove optional ones). */
export function applySettings(m: EventSourceMapping, s: MappingSettings): void {
  if (s.enabled !== undefined) m.enabled = s.enabled;
  if (s.batchSize !== undefined) m.batchSize = s.batchSize;
  if (s.maximumBatchingWindowInSeconds !== undefined) m.maximumBatchingWindowInSeconds = s.maximumBatchingWindowInSeconds;
  if (s.filters) {
    m.filterPatterns = s.filters.patterns;
    m.filters = s.filters.compiled;
  }
  if (s.functionResponseTypes) m.functionResponseTypes = s.functionResponseTypes;
  if (s.scalingConfig) m.maximumConcurrency = s.scalingConfig.maximumConcurrency;
  if (s.onFailure !== undefined) m.onFailure = s.onFailure ?? undefined;
  if (s.startingPosition !== undefined) m.startingPosition = s.startingPosition;
  if (s.startingPositionTimestamp !== undefined) m.startingPositionTimestamp = s.startingPositionTimestamp;
  if (s.parallelizationFactor !== undefined) m.parallelizationFactor = s.parallelizationFactor;
  if (s.maximumRecordAgeInSeconds !== undefined) m.maximumRecordAgeInSeconds = s.maximumRecordAgeInSeconds;
  if (s.maximumRetryAttempts !== undefined) m.maximumRetryAttempts = s.maximumRetryAttempts;
  if (s.bisectBatchOnFunctionError !== undefined) m.bisectBatchOnFunctionError = s.bisectBatchOnFunctionError;
  if (s.tumblingWindowInSeconds !== undefined) m.tumblingWindowInSeconds = s.tumblingWindowInSeconds;
}

/** The EventSourceMappingConfiguration AWS answers with (members in the recordings' order). */
export function toConfiguration(m: EventSourceMapping): Record<string, unknown> {
  const out: Record<string, unknown> = { BatchSize: m.batchSize };
  const stream = m.kind !== 'sqs';
  if (stream) {
    out.BisectBatchOnFunctionError = m.bisectBatchOnFunctionError ?? false;
    out.DestinationConfig = { OnFailure: m.onFailure ? { Destination: m.onFailure } : {} }; // [rec]
  }
  out.EventSourceArn = m.eventSourceArn;
  out.EventSourceMappingArn = m.arn;
  // An empty Filters list leaves FilterCriteria out [rec].
  if (m.filterPatterns.length > 0) out.FilterCriteria = { Filters: m.filterPatterns.map((Pattern) => ({ Pattern })) };
  out.FunctionArn = m.functionArn;
  out.FunctionResponseTypes = [...m.functionResponseTypes];
  out.LastModified = m.lastModified / 1000;
  if (m.lastProcessingResult !== undefined) out.LastProcessingResult = m.lastProcessingResult;
  out.MaximumBatchingWindowInSeconds = m.maximumBatchingWindowInSeconds;
  if (stream) {
    out.MaximumRecordAgeInSeconds = m.maximumRecordAgeInSeconds;
    out.MaximumRetryAttempts = m.maximumRetryAttempts;
    out.ParallelizationFactor = m.parallelizationFactor;
  }
  if (m.maximumConcurrency !== undefined) out.ScalingConfig = { MaximumConcurrency: m.maximumConcurrency }; // [rec]
  if (stream) {
    out.StartingPosition = m.startingPosition;
    if (m.startingPositionTimestamp !== undefined) out.StartingPositionTimestamp = m.startingPositionTimestamp;
  }
  out.State = m.state;
  out.StateTransitionReason = m.stateTransitionReason;
  if (stream) out.TumblingWindowInSeconds = m.tumblingWindowInSeconds;
  out.UUID = m.uuid;
  return out;
}
