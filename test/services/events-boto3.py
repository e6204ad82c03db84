"""Drive every EventBridge operation through boto3 against a running testbed cloud, and check the answers.

    python3 test/services/events-boto3.py http://127.0.0.1:4566

Used by test/services/events-clients.test.ts (once per python3 with boto3 found); also runs by hand
against `testbed serve`. Prints one JSON line (boto3_common.Checklist): the versions, the protocol,
the operations that passed. Exits 1 with the failed check on stderr. Deliveries are read back from
SQS queues.
"""

import datetime
import json
import sys

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from boto3_common import ACCOUNT, REGION, Checklist, check, client, eq, error_of, queue, unique_suffix  # noqa: E402

events, sqs = client("events"), client("sqs")
ops = Checklist(events)
done = ops.done


def receive(url, n=1, polls=3):
    out = []
    empty = 0
    while len(out) < n and empty < polls:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=20, MessageAttributeNames=["All"]).get("Messages", [])
        if not got:
            empty += 1
            continue
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        out.extend(got)
    return out


suffix = unique_suffix()
bus = f"boto3-bus-{suffix}"
bus_arn = f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{bus}"
rule = f"boto3-rule-{suffix}"
pattern = json.dumps({"source": ["boto3.test"]})

# ---- buses
# (Description on buses came to botocore in 2024; older ones, e.g. Debian's, do not have it)
has_description = "Description" in ops.model.operation_model("CreateEventBus").input_shape.members
created = events.create_event_bus(Name=bus, Tags=[{"Key": "k", "Value": "v"}], **({"Description": "from boto3"} if has_description else {}))
eq(created["EventBusArn"], bus_arn, "CreateEventBus arn")
done("CreateEventBus")
d = events.describe_event_bus(Name=bus)
eq((d["Name"], d["Arn"], d.get("Description")), (bus, bus_arn, "from boto3" if has_description else None), "DescribeEventBus")
if "CreationTime" in ops.model.operation_model("DescribeEventBus").output_shape.members:  # (2024, like Description)
    check(isinstance(d["CreationTime"], datetime.datetime), "CreationTime is a timestamp")
eq(events.describe_event_bus()["Name"], "default", "DescribeEventBus without a name")
done("DescribeEventBus")
eq([b["Name"] for b in events.list_event_buses(NamePrefix=bus)["EventBuses"]], [bus], "ListEventBuses")
done("ListEventBuses")
eq(error_of(events.delete_event_bus, Name="default"), ("ValidationException", "Cannot delete event bus default.", 400), "DeleteEventBus default")

# ---- rules
rule_arn = events.put_rule(Name=rule, EventBusName=bus, EventPattern=pattern, Description="d")["RuleArn"]
eq(rule_arn, f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{bus}/{rule}", "PutRule arn")
done("PutRule")
r = events.describe_rule(Name=rule, EventBusName=bus)
eq((r["Name"], r["EventPattern"], r["State"], r["EventBusName"], r["CreatedBy"]), (rule, pattern, "ENABLED", bus, ACCOUNT), "DescribeRule")
done("DescribeRule")
eq([x["Name"] for x in events.list_rules(EventBusName=bus)["Rules"]], [rule], "ListRules")
done("ListRules")
events.disable_rule(Name=rule, EventBusName=bus)
eq(events.describe_rule(Name=rule, EventBusName=bus)["State"], "DISABLED", "DisableRule")
done("DisableRule")
events.enable_rule(Name=rule, EventBusName=bus)
eq(events.describe_rule(Name=rule, EventBusName=bus)["State"], "ENABLED", "EnableRule")
done("EnableRule")
eq(error_of(events.describe_rule, Name=f"{rule}-missing"), ("ResourceNotFoundException", f"Rule {rule}-missing does not exist on EventBus default.", 400), "DescribeRule missing")
eq(error_of(events.put_rule, Name=f"{rule}-s", EventBusName=bus, ScheduleExpression="rate(1 minute)")[:2], ("ValidationException", "ScheduleExpression is supported only on the default event bus."), "schedule on a custom bus")

# ---- targets and delivery
url, arn = queue(sqs, f"boto3-q-{suffix}")
dlq_url, dlq_arn = queue(sqs, f"boto3-dlq-{suffix}")
gone_url, gone_arn = queue(sqs, f"boto3-gone-{suffix}")
out = events.put_targets(
    Rule=rule,
    EventBusName=bus,
    Targets=[
        {"Id": "q", "Arn": arn, "InputTransformer": {"InputPathsMap": {"v": "$.detail.v"}, "InputTemplate": '{"got": <v>}'}},
        {"Id": "gone", "Arn": gone_arn, "DeadLetterConfig": {"Arn": dlq_arn}, "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 600}},
    ],
)
eq((out["FailedEntryCount"], out["FailedEntries"]), (0, []), "PutTargets")
done("PutTargets")
eq([t["Id"] for t in events.list_targets_by_rule(Rule=rule, EventBusName=bus)["Targets"]], ["q", "gone"], "ListTargetsByRule")
done("ListTargetsByRule")
eq(events.list_rule_names_by_target(TargetArn=arn, EventBusName=bus)["RuleNames"], [rule], "ListRuleNamesByTarget")
done("ListRuleNamesByTarget")
eq(
    error_of(events.put_targets, Rule=rule, EventBusName=bus, Targets=[{"Id": "!bad", "Arn": arn}])[1],
    "1 validation error detected: Value '!bad' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    "PutTargets bad id",
)
eq(error_of(events.delete_rule, Name=rule, EventBusName=bus)[:2], ("ValidationException", "Rule can't be deleted since it has targets."), "DeleteRule with targets")

sqs.delete_queue(QueueUrl=gone_url)
res = events.put_events(
    Entries=[
        {"Source": "boto3.test", "DetailType": "t", "Detail": json.dumps({"v": 42}), "EventBusName": bus, "Time": datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)},
        {"Source": "boto3.test", "DetailType": "t", "EventBusName": bus},
    ]
)
eq(res["FailedEntryCount"], 1, "PutEvents FailedEntryCount")
eq(res["Entries"][1], {"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter Detail is not valid. Reason: Detail is a required argument."}, "PutEvents entry error")
done("PutEvents")
got = receive(url)
eq([json.loads(m["Body"]) for m in got], [{"got": 42}], "delivered through the InputTransformer")
dead = receive(dlq_url)
eq(len(dead), 1, "one DLQ message")
body = json.loads(dead[0]["Body"])
eq((body["id"], body["time"], body["detail"]), (res["Entries"][0]["EventId"], "2024-05-01T12:00:00Z", {"v": 42}), "DLQ body is the event")
attrs = {k: v["StringValue"] for k, v in dead[0]["MessageAttributes"].items()}
eq((attrs["RULE_ARN"], attrs["TARGET_ARN"], attrs["ERROR_CODE"], attrs["RETRY_ATTEMPTS"]), (rule_arn, gone_arn, "NO_RESOURCE", "0"), "DLQ attributes")

ev = {"id": "1", "source": "boto3.test", "detail-type": "t", "account": ACCOUNT, "region": REGION, "time": "2024-01-01T00:00:00Z", "detail": {"n": 300.0}}
eq(events.test_event_pattern(EventPattern=json.dumps({"detail": {"n": [300]}}), Event=json.dumps(ev))["Result"], True, "TestEventPattern 300.0 vs [300]")
eq(events.test_event_pattern(EventPattern=json.dumps({"source": ["other"]}), Event=json.dumps(ev))["Result"], False, "TestEventPattern no match")
eq(error_of(events.test_event_pattern, EventPattern=pattern, Event="plain string")[:2], ("ValidationException", "Parameter Event is not valid."), "TestEventPattern bad event")
done("TestEventPattern")

# ---- tags
events.tag_resource(ResourceARN=rule_arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
done("TagResource")
eq(events.list_tags_for_resource(ResourceARN=rule_arn)["Tags"], [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}], "ListTagsForResource")
done("ListTagsForResource")
events.untag_resource(ResourceARN=rule_arn, TagKeys=["a"])
eq(events.list_tags_for_resource(ResourceARN=rule_arn)["Tags"], [{"Key": "b", "Value": "2"}], "UntagResource")
eq(events.list_tags_for_resource(ResourceARN=bus_arn)["Tags"], [{"Key": "k", "Value": "v"}], "tags given at CreateEventBus")
done("UntagResource")

# ---- clean up
out = events.remove_targets(Rule=rule, EventBusName=bus, Ids=["q", "gone"])
eq(out["FailedEntryCount"], 0, "RemoveTargets")
done("RemoveTargets")
events.delete_rule(Name=rule, EventBusName=bus)
done("DeleteRule")
events.delete_event_bus(Name=bus)
done("DeleteEventBus")
eq(error_of(events.describe_event_bus, Name=bus), ("ResourceNotFoundException", f"Event bus {bus} does not exist.", 400), "DescribeEventBus after delete")
sqs.delete_queue(QueueUrl=url)
sqs.delete_queue(QueueUrl=dlq_url)

ops.finish()
