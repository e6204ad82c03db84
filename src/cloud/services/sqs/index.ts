/**
 * SQS (API version 2012-11-05) on two protocols over the same operations:
 *   JSON 1.0   X-Amz-Target: AmazonSQS.<Op> (SDK v3, recent botocore / AWS CLI), query-compatible
 *              errors (`__type: com.amazonaws.sqs#<Name>` plus `x-amzn-query-error: <legacy>;Sender`)
 *   query      Action=<Op>&Version=2012-11-05 form posts, XML answers (older SDKs and CLIs), also
 *              posted to a queue's own URL without a QueueUrl parameter
 */
import type { JsonServiceDef, Operation, QueryServiceDef } from '../../protocols/types';
import { messageOperations } from './messages';
import { moveTaskOperations } from './move-tasks';
import { queryOperations, SQS_QUERY_FRONTEND } from './query';
import { queueOperations } from './queues';
import { parseQueueUrl, SqsStore } from './store';

export { SqsStore } from './store';

export const SQS_VERSION = '2012-11-05';
export const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Every operation, taking and returning the JSON protocol's shapes. */
export function sqsOperations(store: SqsStore): Record<string, Operation> {
  return { ...queueOperations(store), ...messageOperations(store), ...moveTaskOperations(store) };
}

export function sqsJsonService(store: SqsStore, ops = sqsOperations(store)): JsonServiceDef {
  return {
    protocol: 'json',
    signingName: 'sqs',
    targetPrefix: 'AmazonSQS',
    jsonVersion: '1.0',
    awsQueryCompatible: true,
    errorTypePrefix: 'com.amazonaws.sqs#',
    operations: ops,
  };
}

export function sqsQueryService(store: SqsStore, ops = sqsOperations(store)): QueryServiceDef {
  return {
    protocol: 'query',
    signingName: 'sqs',
    version: SQS_VERSION,
    xmlNamespace: SQS_NAMESPACE,
    operations: queryOperations(ops, store),
    ...SQS_QUERY_FRONTEND,
    ownsPath: (path) => parseQueueUrl(path, 'us-east-1') !== undefined,
  };
}
