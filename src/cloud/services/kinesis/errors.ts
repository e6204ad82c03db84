/**
 * Kinesis's errors (JSON 1.1: `__type` is the bare code, `message` the text, every client error 400).
 * [rec] = AWS-recorded (LocalStack's snapshots); [obs] = kinesalite's tests, which ran against AWS;
 * [doc] = AWS docs; unconfirmed = our best guess at AWS's words.
 */
import { AwsError } from '../../errors';

const err = (code: string, message: string) => new AwsError(code, message, 400);

export const invalidArgument = (message: string) => err('InvalidArgumentException', message);

// [rec]
export const streamNotFound = (name: string, accountId: string) => err('ResourceNotFoundException', `Stream ${name} under account ${accountId} not found.`);

// [obs]
export const streamExists = (name: string, accountId: string) => err('ResourceInUseException', `Stream ${name} under account ${accountId} already exists.`);

// [obs]
export const streamNotActive = (name: string, accountId: string, status: string) =>
  err('ResourceInUseException', `Stream ${name} under account ${accountId} not ACTIVE, instead in state ${status}`);

// [obs] a ShardId that is not a shard number
export const shardUnparseable = (shardId: string, stream: string, accountId: string) =>
  err('ResourceNotFoundException', `Could not find shard ${shardId} in stream ${stream} under account ${accountId}.`);

// [obs] SplitShard / MergeShards on a shard number the stream does not have
export const shardNotFoundForReshard = (shardId: string, stream: string, accountId: string) =>
  err('ResourceNotFoundException', `Could not find shard ${shardId} in stream ${stream} under account ${accountId}.`);

// [obs] GetShardIterator / GetRecords
export const shardDoesNotExist = (shardId: string, stream: string, accountId: string) =>
  err('ResourceNotFoundException', `Shard ${shardId} in stream ${stream} under account ${accountId} does not exist`);

// unconfirmed: neither StreamName nor StreamARN
export const streamRequired = () => invalidArgument('Either StreamName or StreamARN should be provided.');

// unconfirmed: StreamName and StreamARN naming different streams
export const streamNameArnMismatch = () => invalidArgument('StreamARN and StreamName must refer to the same stream.');

// [obs]
export const shardLimitExceeded = (accountId: string, region: string, current: number, limit: number, adding: number) =>
  err(
    'LimitExceededException',
    `This request would exceed the shard limit for the account ${accountId} in ${region}. Current shard count for the account: ${current}. ` +
      `Limit: ${limit}. Number of additional shards that would have resulted from this request: ${adding}. ` +
      'Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.',
  );

// [obs]
export const invalidExplicitHashKey = (value: string) =>
  invalidArgument(`Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${value}`);

// [obs]
export const invalidSequenceForOrdering = (seq: string, stream: string, accountId: string) =>
  invalidArgument(`ExclusiveMinimumSequenceNumber ${seq} used in PutRecord on stream ${stream} under account ${accountId} is invalid.`);

// [doc] (PutRecords' example failure entry; PutRecord throws it)
export const rateExceededMessage = (shardId: string, stream: string, accountId: string) =>
  `Rate exceeded for shard ${shardId} in stream ${stream} under account ${accountId}.`;

export const throughputExceeded = (shardId: string, stream: string, accountId: string) =>
  err('ProvisionedThroughputExceededException', rateExceededMessage(shardId, stream, accountId));

// unconfirmed: a record larger than the stream's maximum record size (MaxRecordSizeInKiB, 1024 by default)
export const recordTooLarge = (size: number, maxKiB: number) =>
  invalidArgument(`Record size ${size} bytes exceeds the maximum record size of ${maxKiB * 1024} bytes for this stream.`);

// unconfirmed: a PutRecords request over 10 MiB in all [model: "up to a limit of 10 MiB for the entire request"]
export const requestTooLarge = (size: number) => invalidArgument(`Records size ${size} bytes exceeds the maximum request size of 10485760 bytes.`);

// [obs] GetShardIterator
export const iteratorTypeMismatch = (type: string, hasSequence: boolean) =>
  invalidArgument(
    'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ' +
      `Request specified ${type} and ${hasSequence ? 'also a' : 'no'} StartingSequenceNumber.`,
  );

// [obs]
export const invalidStartingSequence = (seq: string, shardId: string, stream: string, accountId: string, notFromStream = false) =>
  invalidArgument(
    `StartingSequenceNumber ${seq} used in GetShardIterator on shard ${shardId} in stream ${stream} under account ${accountId} is invalid` +
      (notFromStream ? ' because it did not come from this stream.' : '.'),
  );

// [obs]
export const sequenceOfOtherShard = (encodes: string, shardId: string) =>
  invalidArgument(`Invalid StartingSequenceNumber. It encodes ${encodes}, while it was used in a call to a shard with ${shardId}`);

// [obs]
export const timestampRequired = () =>
  invalidArgument('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.');

// [obs]
export const timestampInFuture = (ts: number, now: number) =>
  invalidArgument(`The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${ts}, currentTimestampInMillis: ${now}`);

// [obs]
export const invalidIterator = () => invalidArgument('Invalid ShardIterator.');

// [obs] Java's Date.toString: "Thu Jan 22 01:22:02 UTC 2015"
export function amzUtc(ms: number): string {
  const m = /^(\w{3}), (\d{2}) (\w{3}) (\d{4}) (\d{2}:\d{2}:\d{2}) GMT$/.exec(new Date(ms).toUTCString());
  return m ? `${m[1]} ${m[3]} ${m[2]} ${m[5]} UTC ${m[4]}` : new Date(ms).toUTCString();
}

// [obs]
export const iteratorExpired = (createdAt: number, now: number) =>
  err(
    'ExpiredIteratorException',
    `Iterator expired. The iterator was created at time ${amzUtc(createdAt)} while right now it is ${amzUtc(now)} which is further in the future than the tolerated delay of 300000 milliseconds.`,
  );

// [obs]
export const badSplitKey = (key: string, shardId: string, stream: string, accountId: string, start: bigint, end: bigint) =>
  invalidArgument(
    `NewStartingHashKey ${key} used in SplitShard() on shard ${shardId} in stream ${stream} under account ${accountId} ` +
      `is not both greater than one plus the shard's StartingHashKey ${start} and less than the shard's EndingHashKey ${end}.`,
  );

// [obs]
export const notAdjacent = (a: string, b: string, stream: string, accountId: string) =>
  invalidArgument(`Shards ${a} and ${b} in stream ${stream} under account ${accountId} are not an adjacent pair of shards eligible for merging`);

// [obs] (a shard already closed by a split or merge)
export const shardClosed = (shardId: string, stream: string, accountId: string) =>
  invalidArgument(`Shard ${shardId} in stream ${stream} under account ${accountId} has already been merged or split, and thus is not eligible for merging or splitting.`);

// unconfirmed: resharding an on-demand stream ("only supported for the data streams with the provisioned capacity mode" [model])
export const onDemandReshard = (op: string) => new AwsError('ValidationException', `${op} is not supported for a stream in ON_DEMAND capacity mode.`, 400);

// unconfirmed texts for UpdateShardCount's documented limits [doc]
export const scaleLimit = (message: string) => err('LimitExceededException', message);

// [obs]
export const retentionTooShort = (hours: number) =>
  invalidArgument(`Minimum allowed retention period is 24 hours. Requested retention period (${hours} hours) is too short.`);

// unconfirmed (the maximum is 8760 hours [model]; the text mirrors the minimum's)
export const retentionTooLong = (hours: number) =>
  invalidArgument(`Maximum allowed retention period is 8760 hours. Requested retention period (${hours} hours) is too long.`);

// [obs]
export const retentionNotIncrease = (hours: number, stream: string, current: number) =>
  invalidArgument(
    `Requested retention period (${hours} hours) for stream ${stream} can not be shorter than existing retention period (${current} hours). Use DecreaseRetentionPeriod API.`,
  );

// [obs]
export const retentionNotDecrease = (hours: number, stream: string, current: number) =>
  invalidArgument(
    `Requested retention period (${hours} hours) for stream ${stream} can not be longer than existing retention period (${current} hours). Use IncreaseRetentionPeriod API.`,
  );

// [obs]
export const tagCharacters = () =>
  invalidArgument('Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.');

// [obs]
export const tagPercent = (verb: 'add tags to' | 'remove tags from', stream: string, accountId: string) =>
  invalidArgument(
    `Failed to ${verb} stream ${stream} under account ${accountId} because some tags contained illegal characters. ` +
      "The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.",
  );

// [obs] (the text says 10; the limit is 50 [doc])
export const tooManyTags = (stream: string, accountId: string) =>
  invalidArgument(`Failed to add tags to stream ${stream} under account ${accountId} because a given stream cannot have more than 10 tags associated with it.`);

// [obs] ListShards
export const listShardsNeedsStream = () => invalidArgument('Either NextToken or StreamName should be provided.');
export const listShardsTokenAndStream = () => invalidArgument('NextToken and StreamName cannot be provided together.');

// unconfirmed
export const invalidNextToken = () => invalidArgument('The NextToken provided is not valid.');
export const expiredNextToken = () => err('ExpiredNextTokenException', 'The NextToken provided has expired.');
