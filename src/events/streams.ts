/**
 * Kinesis Data Streams batch from an event source mapping [doc] (lambda/pollers/kinesis-event.ts):
 *   Records[] {kinesis {kinesisSchemaVersion, partitionKey, sequenceNumber, data (base64),
 *   approximateArrivalTimestamp (epoch seconds with ms as a fraction)}, eventSource, eventVersion,
 *   eventID "<shardId>:<sequenceNumber>", eventName, invokeIdentityArn, awsRegion, eventSourceARN}
 * With a tumbling window the event also carries window {start, end}, state, shardId,
 * eventSourceARN, isFinalInvokeForWindow and isWindowTerminatedEarly [doc].
 */
import { resolve, type Resolved } from './context';
import { bool, int, list, str } from './options';
import type { EventTemplate } from './types';

/** [doc] Window bounds print without milliseconds. */
function windowTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function kinesis(o: Record<string, unknown>, r: Resolved): Record<string, unknown> {
  const stream = str(o, 'stream', 'example-stream');
  const streamArn = `arn:aws:kinesis:${r.region}:${r.accountId}:stream/${stream}`;
  const shardId = str(o, 'shardId', 'shardId-000000000000');
  const role = `arn:aws:iam::${r.accountId}:role/${str(o, 'role', 'lambda-kinesis-role')}`;
  const count = int(o, 'batchSize', 1);
  const given = list(o, 'data');
  const datas = given?.length ? given : ['Hello from Kinesis!'];
  const partitionKey = str(o, 'partitionKey', 'partition-key-1');
  // 56 digits, increasing within the shard, as Kinesis writes them
  const base = BigInt(`4959${r.digits(24)}`) * 10n ** 28n + BigInt(r.now) * 10n ** 9n;
  const records = Array.from({ length: Math.max(count, datas.length) }, (_, i) => {
    const sequenceNumber = (base + BigInt(i) * 2n ** 10n).toString().slice(0, 56).padEnd(56, '0');
    const arrival = r.now - 1000 + i;
    return {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey,
        sequenceNumber,
        data: Buffer.from(datas[i % datas.length], 'utf8').toString('base64'),
        approximateArrivalTimestamp: arrival / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: role,
      awsRegion: r.region,
      eventSourceARN: streamArn,
    };
  });
  const event: Record<string, unknown> = { Records: records };
  const windowSeconds = int(o, 'windowSeconds', 0);
  if (windowSeconds > 0) {
    const start = Math.floor(r.now / (windowSeconds * 1000)) * windowSeconds * 1000;
    event.window = { start: windowTime(start), end: windowTime(start + windowSeconds * 1000) };
    event.state = o.state ?? {};
    event.shardId = shardId;
    event.eventSourceARN = streamArn;
    event.isFinalInvokeForWindow = bool(o, 'finalInvoke', false);
    event.isWindowTerminatedEarly = false;
  }
  return event;
}

export const STREAM_TEMPLATES: EventTemplate[] = [
  {
    name: 'kinesis',
    family: 'streams',
    title: 'Kinesis Data Streams batch from an event source mapping',
    options: [
      { name: 'data', type: 'list', description: "record data as text (base64-encoded in the event); repeat for one record each", default: 'Hello from Kinesis!' },
      { name: 'partitionKey', type: 'string', description: 'partition key', default: 'partition-key-1' },
      { name: 'batchSize', type: 'integer', description: 'number of records', default: '1', min: 1, max: 10_000 },
      { name: 'stream', type: 'string', description: 'stream name', default: 'example-stream' },
      { name: 'shardId', type: 'string', description: 'shard id', default: 'shardId-000000000000' },
      { name: 'role', type: 'string', description: "the function's execution role name (invokeIdentityArn)", default: 'lambda-kinesis-role' },
      { name: 'windowSeconds', type: 'integer', description: 'tumbling window length: adds window, state and the window flags', default: '0 (none)', min: 0, max: 900 },
      { name: 'state', type: 'json', description: "the window's state so far (with --window-seconds)", default: '{}' },
      { name: 'finalInvoke', type: 'boolean', description: 'isFinalInvokeForWindow (with --window-seconds)', default: 'false' },
    ],
    mapPaths: [],
    freePaths: ['state'],
    build: (o, ctx) => kinesis(o, resolve(ctx)),
  },
];
