/**
 * What the SQS tests share about the API itself, independent of our implementation: the list of
 * its operations (each test checks that it covers them all) and AWS's digests, computed here by the
 * reference algorithm to check the ones the cloud answers.
 */
import { createHash } from 'node:crypto';

/** Every operation of the SQS API (2012-11-05). */
export const SQS_OPERATIONS = [
  'CreateQueue',
  'DeleteQueue',
  'GetQueueUrl',
  'ListQueues',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'PurgeQueue',
  'TagQueue',
  'UntagQueue',
  'ListQueueTags',
  'AddPermission',
  'RemovePermission',
  'ListDeadLetterSourceQueues',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
];

/** MD5 in hex (MD5OfMessageBody / MD5OfBody). */
export const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** MD5OfMessageAttributes as AWS computes it (reference §6). */
export function md5OfAttributes(attrs: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }>): string {
  const parts: Buffer[] = [];
  const withLength = (b: Buffer) => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    parts.push(l, b);
  };
  for (const name of Object.keys(attrs).sort()) {
    const a = attrs[name];
    withLength(Buffer.from(name, 'utf8'));
    withLength(Buffer.from(a.DataType, 'utf8'));
    parts.push(Buffer.from([a.BinaryValue ? 2 : 1]));
    withLength(a.BinaryValue ?? Buffer.from(a.StringValue ?? '', 'utf8'));
  }
  return md5(Buffer.concat(parts));
}
