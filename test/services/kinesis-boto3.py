"""Drive every Kinesis operation the cloud has through boto3 against a running testbed cloud, and check the answers.

    python3 test/services/kinesis-boto3.py http://127.0.0.1:4566

Used by test/services/kinesis-clients.test.ts (once per python3 with boto3 found); also runs by hand
against `testbed serve`. botocore speaks JSON 1.1 over HTTP/1.1 to Kinesis and sends AT_TIMESTAMP in
whole epoch seconds. Prints one JSON line (boto3_common.Checklist): the versions, the protocol, the
operations that passed. Exits 1 with the failed check on stderr.
"""

import datetime
import hashlib
import sys

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from boto3_common import ACCOUNT, REGION, Checklist, check, client, eq, error_of, unique_suffix  # noqa: E402

kinesis = client("kinesis")
ops = Checklist(kinesis)
done = ops.done

suffix = unique_suffix()
name = f"boto3-stream-{suffix}"
arn = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}"


def by_arn(op):
    """StreamARN where this botocore has it (2022 on; Debian's older one has only StreamName)."""
    has = "StreamARN" in ops.model.operation_model(op).input_shape.members
    return {"StreamARN": arn} if has else {"StreamName": name}


# ---- streams
kinesis.create_stream(StreamName=name, ShardCount=2)
done("CreateStream")
kinesis.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
d = kinesis.describe_stream(StreamName=name)["StreamDescription"]
eq((d["StreamName"], d["StreamARN"], d["StreamStatus"], len(d["Shards"])), (name, arn, "ACTIVE", 2), "DescribeStream")
eq(d["Shards"][0]["HashKeyRange"]["EndingHashKey"], str(2**127 - 1), "first shard's range")
done("DescribeStream")
s = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
eq((s["OpenShardCount"], s["RetentionPeriodHours"], s["StreamModeDetails"]["StreamMode"]), (2, 24, "PROVISIONED"), "DescribeStreamSummary")
done("DescribeStreamSummary")
check(name in kinesis.list_streams(Limit=10000)["StreamNames"], "ListStreams lists the stream")
done("ListStreams")
limits = kinesis.describe_limits()
check(limits["OpenShardCount"] >= 2 and limits["ShardLimit"] == 500, f"DescribeLimits: {limits}")
done("DescribeLimits")
eq(error_of(kinesis.describe_stream, StreamName=f"{name}-nope"), ("ResourceNotFoundException", f"Stream {name}-nope under account {ACCOUNT} not found.", 400), "DescribeStream missing")
eq(error_of(kinesis.create_stream, StreamName=name, ShardCount=1), ("ResourceInUseException", f"Stream {name} under account {ACCOUNT} already exists.", 400), "CreateStream twice")

# ---- records
key = "user-42"
h = int(hashlib.md5(key.encode()).hexdigest(), 16)
expected_shard = "shardId-000000000000" if h < 2**127 else "shardId-000000000001"
r = kinesis.put_record(StreamName=name, PartitionKey=key, Data=b"one")
eq(r["ShardId"], expected_shard, "PutRecord routes by MD5")
check(len(r["SequenceNumber"]) == 56, f"56-digit sequence number: {r['SequenceNumber']}")
done("PutRecord")
out = kinesis.put_records(**by_arn("PutRecords"), Records=[{"PartitionKey": key, "Data": b"two"}, {"PartitionKey": key, "Data": b"three"}])
eq((out["FailedRecordCount"], [x["ShardId"] for x in out["Records"]]), (0, [expected_shard, expected_shard]), "PutRecords")
done("PutRecords")
it = kinesis.get_shard_iterator(StreamName=name, ShardId=expected_shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
done("GetShardIterator")
got = kinesis.get_records(ShardIterator=it, Limit=10)
eq([x["Data"] for x in got["Records"]], [b"one", b"two", b"three"], "GetRecords")
check(isinstance(got["Records"][0]["ApproximateArrivalTimestamp"], datetime.datetime), "arrival is a timestamp")
eq(got["MillisBehindLatest"], 0, "caught up")
done("GetRecords")
# botocore sends AT_TIMESTAMP in whole seconds: a second back from the first record finds it.
first = got["Records"][0]["ApproximateArrivalTimestamp"] - datetime.timedelta(seconds=1)
at = kinesis.get_shard_iterator(StreamName=name, ShardId=expected_shard, ShardIteratorType="AT_TIMESTAMP", Timestamp=first)["ShardIterator"]
eq([x["Data"] for x in kinesis.get_records(ShardIterator=at)["Records"]], [b"one", b"two", b"three"], "AT_TIMESTAMP")
after = kinesis.get_shard_iterator(StreamName=name, ShardId=expected_shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=r["SequenceNumber"])["ShardIterator"]
eq([x["Data"] for x in kinesis.get_records(ShardIterator=after)["Records"]], [b"two", b"three"], "AFTER_SEQUENCE_NUMBER")
eq(error_of(kinesis.get_records, ShardIterator="AAAAAAAAAAGbogus")[:2], ("InvalidArgumentException", "Invalid ShardIterator."), "GetRecords bogus iterator")

# ---- shards
shards = kinesis.list_shards(StreamName=name, MaxResults=1)
eq([x["ShardId"] for x in shards["Shards"]], ["shardId-000000000000"], "ListShards page 1")
eq([x["ShardId"] for x in kinesis.list_shards(NextToken=shards["NextToken"])["Shards"]], ["shardId-000000000001"], "ListShards page 2")
done("ListShards")
kinesis.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**126))
done("SplitShard")
kinesis.merge_shards(StreamName=name, ShardToMerge="shardId-000000000002", AdjacentShardToMerge="shardId-000000000003")
done("MergeShards")
u = kinesis.update_shard_count(StreamName=name, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
eq((u["CurrentShardCount"], u["TargetShardCount"]), (2, 4), "UpdateShardCount")
done("UpdateShardCount")
eq(kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["OpenShardCount"], 4, "open shards after scaling")
closed = kinesis.get_records(ShardIterator=kinesis.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON")["ShardIterator"])
check("NextShardIterator" not in closed and [c["ShardId"] for c in closed["ChildShards"]] == ["shardId-000000000002", "shardId-000000000003"], f"closed shard: {closed}")

# ---- retention
kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=48)
done("IncreaseStreamRetentionPeriod")
kinesis.decrease_stream_retention_period(**by_arn("DecreaseStreamRetentionPeriod"), RetentionPeriodHours=24)
done("DecreaseStreamRetentionPeriod")
eq(error_of(kinesis.decrease_stream_retention_period, StreamName=name, RetentionPeriodHours=23)[:2], ("InvalidArgumentException", "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short."), "retention too short")

# ---- tags
kinesis.add_tags_to_stream(StreamName=name, Tags={"env": "dev", "team": "a"})
done("AddTagsToStream")
eq(kinesis.list_tags_for_stream(StreamName=name)["Tags"], [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "a"}], "ListTagsForStream")
done("ListTagsForStream")
kinesis.remove_tags_from_stream(StreamName=name, TagKeys=["team"])
done("RemoveTagsFromStream")
for op in ["TagResource", "UntagResource", "ListTagsForResource"]:
    if not ops.has(op):
        ops.lacks(op)
if ops.has("TagResource"):
    kinesis.tag_resource(ResourceARN=arn, Tags={"x": "1"})
    done("TagResource")
    kinesis.untag_resource(ResourceARN=arn, TagKeys=["env"])
    done("UntagResource")
    eq(kinesis.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "x", "Value": "1"}], "ListTagsForResource")
    done("ListTagsForResource")

# ---- clean up
kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
done("DeleteStream")
eq(error_of(kinesis.describe_stream_summary, **by_arn("DescribeStreamSummary"))[0], "ResourceNotFoundException", "gone after DeleteStream")

ops.finish()
