"""Drive every event source mapping operation through boto3 against a running testbed cloud, and check the answers.

    python3 test/services/esm-boto3.py http://127.0.0.1:4566

Used by test/services/esm-clients.test.ts (once per python3 with boto3 found); also runs by hand
against `testbed serve`. Creates a Node.js function from a small zip, an SQS queue (and a second one
for a stream's OnFailure destination) and a Kinesis stream, then drives Create/Get/Update/Delete/
ListEventSourceMappings and TagResource/UntagResource/ListTags on the mapping ARN, checking the state
transitions, the settings as answered and AWS's errors. botocore speaks rest-json to Lambda and sends
StartingPositionTimestamp as whole epoch seconds. An older botocore (Debian's 1.29) has no Tags at
create, no ScalingConfig and no EventSourceMappingArn in answers: those checks adapt. Prints one JSON
line (boto3_common.Checklist). Exits 1 with the failed check on stderr.
"""

import datetime
import io
import json
import sys
import time
import zipfile

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from boto3_common import ACCOUNT, REGION, Checklist, check, client, eq, error_of, queue, unique_suffix  # noqa: E402

lam, sqs, kinesis = client("lambda"), client("sqs"), client("kinesis")
ops = Checklist(lam)
done = ops.done

ROLE = f"arn:aws:iam::{ACCOUNT}:role/r"
NOT_FOUND = ("ResourceNotFoundException", "The resource you requested does not exist.", 404)
WINDOW_RULE = "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"


def has_member(op, member):
    return member in ops.model.operation_model(op).input_shape.members


def answers(op, member):
    return member in ops.model.operation_model(op).output_shape.members


def until(probe, accept, what, timeout=20):
    """Call `probe` until `accept` holds of its value (no sleeping: each call is a round trip); its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if accept(value):
            return value
        check(time.monotonic() < deadline, f"{what}: not reached in {timeout} s; last: {value!r}")


def status(response):
    return response["ResponseMetadata"]["HTTPStatusCode"]


def mapping_arn(uuid):
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{uuid}"


def get(uuid):
    return lam.get_event_source_mapping(UUID=uuid)


def settles(uuid, state):
    """The mapping once it reaches `state` (Creating, Enabling, Disabling and Updating end on their own)."""
    return until(lambda: get(uuid), lambda m: m["State"] == state, f"{uuid} {state}")


def lookup(uuid):
    """The mapping, or None once it is gone."""
    try:
        return get(uuid)
    except lam.exceptions.ResourceNotFoundException:
        return None


def code_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("index.js", "exports.handler = async (event) => ({ batchItemFailures: [] });\n")
    return buf.getvalue()


check(ops.protocol == "rest-json", f"botocore speaks {ops.protocol!r} to Lambda")
suffix = unique_suffix()

# ---- the function, the queues, the stream
fn = f"boto3-esm-{suffix}"
fn_arn = lam.create_function(FunctionName=fn, Runtime="nodejs20.x", Handler="index.handler", Role=ROLE, Code={"ZipFile": code_zip()}, Timeout=3)["FunctionArn"]
eq(fn_arn, f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{fn}", "CreateFunction")
until(lambda: lam.get_function_configuration(FunctionName=fn), lambda c: c["State"] == "Active", "function Active")
q_url, q_arn = queue(sqs, f"{fn}-q")
other_url, other_arn = queue(sqs, f"{fn}-other")
dlq_url, dlq_arn = queue(sqs, f"{fn}-dlq")
fifo_url, fifo_arn = queue(sqs, f"{fn}-q.fifo", {"FifoQueue": "true"})
stream = f"{fn}-stream"
stream_arn = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{stream}"
kinesis.create_stream(StreamName=stream, ShardCount=1)
until(lambda: kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamStatus"], lambda s: s == "ACTIVE", "stream ACTIVE")

# ---- an SQS mapping: Creating, then Enabled
tags = {"Tags": {"team": "a"}} if has_member("CreateEventSourceMapping", "Tags") else {}
r = lam.create_event_source_mapping(EventSourceArn=q_arn, FunctionName=fn, BatchSize=5, **tags)
sqs_uuid = r["UUID"]
eq(status(r), 202, "CreateEventSourceMapping status")
eq(
    (r["State"], r["StateTransitionReason"], r["BatchSize"], r["MaximumBatchingWindowInSeconds"], r["FunctionResponseTypes"], r["EventSourceArn"], r["FunctionArn"]),
    ("Creating", "USER_INITIATED", 5, 0, [], q_arn, fn_arn),
    "CreateEventSourceMapping (SQS)",
)
check(not {"StartingPosition", "DestinationConfig", "ParallelizationFactor", "FilterCriteria"} & r.keys(), f"stream members on an SQS mapping: {sorted(r)}")
check(isinstance(r["LastModified"], datetime.datetime), f"LastModified: {r['LastModified']!r}")
if answers("CreateEventSourceMapping", "EventSourceMappingArn"):
    eq(r["EventSourceMappingArn"], mapping_arn(sqs_uuid), "EventSourceMappingArn")
code, message, http = error_of(lam.create_event_source_mapping, EventSourceArn=q_arn, FunctionName=fn)
eq(
    (code, message, http),
    (
        "ResourceConflictException",
        f'An event source mapping with SQS arn (" {q_arn} ") and function (" {fn} ") already exists. Please update or delete the existing mapping with UUID {sqs_uuid}',
        409,
    ),
    "CreateEventSourceMapping duplicate",
)
eq(error_of(lam.create_event_source_mapping, EventSourceArn=other_arn, FunctionName=fn, BatchSize=100), ("InvalidParameterValueException", WINDOW_RULE, 400), "batching-window rule")
eq(error_of(lam.create_event_source_mapping, EventSourceArn=fifo_arn, FunctionName=fn, MaximumBatchingWindowInSeconds=1)[:2], ("InvalidParameterValueException", "Batching window is not supported for FIFO queues"), "FIFO window")
eq(
    error_of(lam.create_event_source_mapping, EventSourceArn=other_arn, FunctionName=fn, FilterCriteria={"Filters": [{"Pattern": "simple string"}]})[:2],
    ("InvalidParameterValueException", "Invalid filter pattern definition."),
    "bad filter",
)
eq(error_of(lam.create_event_source_mapping, EventSourceArn=other_arn, FunctionName=f"{fn}-nope")[:2], ("InvalidParameterValueException", "Function does not exist"), "unknown function")
eq(
    error_of(lam.create_event_source_mapping, EventSourceArn=other_arn, FunctionName=fn, StartingPosition="LATEST")[:2],
    ("InvalidParameterValueException", "StartingPosition is not valid for SQS event sources."),
    "StartingPosition on a queue",
)
done("CreateEventSourceMapping")
m = settles(sqs_uuid, "Enabled")
eq((m["UUID"], m["BatchSize"], m["FunctionArn"]), (sqs_uuid, 5, fn_arn), "GetEventSourceMapping")
eq(error_of(lam.get_event_source_mapping, UUID="a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"), NOT_FOUND, "GetEventSourceMapping unknown")
done("GetEventSourceMapping")

# The mapping polls: a message sent is handed to the function and deleted.
sqs.send_message(QueueUrl=q_url, MessageBody=json.dumps({"colour": "red"}))


def in_queue(url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]) + int(a["ApproximateNumberOfMessagesNotVisible"])


until(lambda: in_queue(q_url), lambda n: n == 0, "message consumed by the mapping", timeout=60)

# ---- updates: Disabling, Enabling, Updating
r = lam.update_event_source_mapping(UUID=sqs_uuid, Enabled=False)
eq((status(r), r["State"]), (202, "Disabling"), "UpdateEventSourceMapping disable")
settles(sqs_uuid, "Disabled")
r = lam.update_event_source_mapping(UUID=sqs_uuid, Enabled=True)
eq(r["State"], "Enabling", "UpdateEventSourceMapping enable")
settles(sqs_uuid, "Enabled")
red = json.dumps({"body": {"colour": ["red"]}})
r = lam.update_event_source_mapping(
    UUID=sqs_uuid, BatchSize=100, MaximumBatchingWindowInSeconds=2, FunctionResponseTypes=["ReportBatchItemFailures"], FilterCriteria={"Filters": [{"Pattern": red}]}
)
eq(
    (r["State"], r["BatchSize"], r["MaximumBatchingWindowInSeconds"], r["FunctionResponseTypes"], r["FilterCriteria"]),
    ("Updating", 100, 2, ["ReportBatchItemFailures"], {"Filters": [{"Pattern": red}]}),
    "UpdateEventSourceMapping settings",
)
m = settles(sqs_uuid, "Enabled")
eq((m["BatchSize"], m["MaximumBatchingWindowInSeconds"], m["FilterCriteria"]["Filters"][0]["Pattern"]), (100, 2, red), "settings kept")
# The rule holds over the merged settings: the window back to 0 with a batch of 100 is refused.
eq(error_of(lam.update_event_source_mapping, UUID=sqs_uuid, MaximumBatchingWindowInSeconds=0), ("InvalidParameterValueException", WINDOW_RULE, 400), "update batching-window rule")
if has_member("UpdateEventSourceMapping", "ScalingConfig"):
    r = lam.update_event_source_mapping(UUID=sqs_uuid, ScalingConfig={"MaximumConcurrency": 3})
    eq(r["ScalingConfig"], {"MaximumConcurrency": 3}, "ScalingConfig")
    settles(sqs_uuid, "Enabled")
r = lam.update_event_source_mapping(UUID=sqs_uuid, BatchSize=10, MaximumBatchingWindowInSeconds=0, FunctionResponseTypes=[], FilterCriteria={})
check("FilterCriteria" not in r, f"FilterCriteria {{}} removes the filters: {r.get('FilterCriteria')}")
eq((r["BatchSize"], r["MaximumBatchingWindowInSeconds"], r["FunctionResponseTypes"]), (10, 0, []), "UpdateEventSourceMapping back")
settles(sqs_uuid, "Enabled")
eq(error_of(lam.update_event_source_mapping, UUID="a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", Enabled=False), NOT_FOUND, "UpdateEventSourceMapping unknown")
# Created disabled: Disabled at once; moved to a qualified function name, it keeps the qualifier.
r = lam.create_event_source_mapping(EventSourceArn=other_arn, FunctionName=fn, Enabled=False)
off_uuid = r["UUID"]
eq(r["State"], "Disabled", "created disabled")
r = lam.update_event_source_mapping(UUID=off_uuid, FunctionName=f"{fn}:$LATEST")
eq((r["State"], r["FunctionArn"]), ("Updating", f"{fn_arn}:$LATEST"), "UpdateEventSourceMapping FunctionName")
settles(off_uuid, "Disabled")
lam.delete_event_source_mapping(UUID=off_uuid)
until(lambda: lookup(off_uuid), lambda x: x is None, "disabled mapping gone")
done("UpdateEventSourceMapping")

# ---- a Kinesis mapping: AT_TIMESTAMP (whole seconds on the wire), stream settings, OnFailure
at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=700_000) - datetime.timedelta(minutes=5)
r = lam.create_event_source_mapping(
    EventSourceArn=stream_arn,
    FunctionName=fn,
    StartingPosition="AT_TIMESTAMP",
    StartingPositionTimestamp=at,
    BatchSize=50,
    MaximumRetryAttempts=2,
    MaximumRecordAgeInSeconds=3600,
    BisectBatchOnFunctionError=True,
    ParallelizationFactor=2,
    FunctionResponseTypes=["ReportBatchItemFailures"],
    DestinationConfig={"OnFailure": {"Destination": dlq_arn}},
)
k_uuid = r["UUID"]
eq(
    (r["State"], r["StateTransitionReason"], r["LastProcessingResult"], r["StartingPosition"], r["StartingPositionTimestamp"]),
    ("Creating", "User action", "No records processed", "AT_TIMESTAMP", at.replace(microsecond=0)),
    "CreateEventSourceMapping (Kinesis)",
)
eq(
    (r["BatchSize"], r["MaximumRetryAttempts"], r["MaximumRecordAgeInSeconds"], r["BisectBatchOnFunctionError"], r["ParallelizationFactor"], r["TumblingWindowInSeconds"]),
    (50, 2, 3600, True, 2, 0),
    "stream settings",
)
eq((r["FunctionResponseTypes"], r["DestinationConfig"]), (["ReportBatchItemFailures"], {"OnFailure": {"Destination": dlq_arn}}), "FunctionResponseTypes, DestinationConfig")
eq(
    error_of(lam.create_event_source_mapping, EventSourceArn=stream_arn, FunctionName=fn)[:2],
    ("InvalidParameterValueException", "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."),
    "stream without StartingPosition",
)
eq(
    error_of(lam.create_event_source_mapping, EventSourceArn=stream_arn, FunctionName=fn, StartingPosition="LATEST", DestinationConfig={"OnSuccess": {"Destination": dlq_arn}})[:2],
    ("InvalidParameterValueException", "Unsupported DestinationConfig parameter for given event source mapping type."),
    "OnSuccess",
)
m = settles(k_uuid, "Enabled")
eq((m["StartingPositionTimestamp"], m["DestinationConfig"]), (at.replace(microsecond=0), {"OnFailure": {"Destination": dlq_arn}}), "Get (Kinesis)")
r = lam.update_event_source_mapping(UUID=k_uuid, DestinationConfig={"OnFailure": {}}, MaximumRetryAttempts=-1, BisectBatchOnFunctionError=False)
eq((r["State"], r["DestinationConfig"], r["MaximumRetryAttempts"], r["BisectBatchOnFunctionError"]), ("Updating", {"OnFailure": {}}, -1, False), "Update (Kinesis)")
settles(k_uuid, "Enabled")
eq(
    error_of(lam.update_event_source_mapping, UUID=k_uuid, MaximumRecordAgeInSeconds=30)[:2],
    ("InvalidParameterValueException", "Invalid MaximumRecordAgeInSeconds value: 30. It must be -1 or between 60 and 604800."),
    "record age 30",
)

# ---- lists
by_fn = lam.list_event_source_mappings(FunctionName=fn)["EventSourceMappings"]
eq([x["UUID"] for x in by_fn], [sqs_uuid, k_uuid], "ListEventSourceMappings by function")
eq([x["UUID"] for x in lam.list_event_source_mappings(EventSourceArn=stream_arn)["EventSourceMappings"]], [k_uuid], "by source")
eq([x["UUID"] for x in lam.list_event_source_mappings(FunctionName=fn_arn, EventSourceArn=q_arn)["EventSourceMappings"]], [sqs_uuid], "by both")
eq(lam.list_event_source_mappings(FunctionName=f"{fn}-nope")["EventSourceMappings"], [], "unknown function: empty")
page = lam.list_event_source_mappings(FunctionName=fn, MaxItems=1)
eq([x["UUID"] for x in page["EventSourceMappings"]], [sqs_uuid], "page 1")
check(page.get("NextMarker"), f"NextMarker: {page}")
page2 = lam.list_event_source_mappings(FunctionName=fn, MaxItems=1, Marker=page["NextMarker"])
eq(([x["UUID"] for x in page2["EventSourceMappings"]], page2.get("NextMarker")), ([k_uuid], None), "page 2")
pages = lam.get_paginator("list_event_source_mappings").paginate(FunctionName=fn, PaginationConfig={"PageSize": 1})
eq([x["UUID"] for p in pages for x in p["EventSourceMappings"]], [sqs_uuid, k_uuid], "paginator")
done("ListEventSourceMappings")

# ---- tags on the mapping ARN
arn = mapping_arn(sqs_uuid)
lam.tag_resource(Resource=arn, Tags={"env": "dev"})
done("TagResource")
eq(lam.list_tags(Resource=arn)["Tags"], {**tags.get("Tags", {}), "env": "dev"}, "ListTags")
eq(error_of(lam.list_tags, Resource=mapping_arn("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")), ("ResourceNotFoundException", f"Event source mapping not found: {mapping_arn('a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d')}", 404), "ListTags unknown")
done("ListTags")
lam.untag_resource(Resource=arn, TagKeys=["env", "team"])
eq(lam.list_tags(Resource=arn)["Tags"], {}, "UntagResource")
done("UntagResource")

# ---- disable, then delete: Deleting, then gone
r = lam.update_event_source_mapping(UUID=k_uuid, Enabled=False)
eq(r["State"], "Disabling", "disable (Kinesis)")
settles(k_uuid, "Disabled")
for uuid in (sqs_uuid, k_uuid):
    r = lam.delete_event_source_mapping(UUID=uuid)
    eq((status(r), r["State"], r["UUID"]), (202, "Deleting", uuid), "DeleteEventSourceMapping")
    until(lambda: lookup(uuid), lambda x: x is None, f"{uuid} gone after Delete")
    eq(error_of(lam.get_event_source_mapping, UUID=uuid), NOT_FOUND, "Get after Delete")
eq(error_of(lam.delete_event_source_mapping, UUID=sqs_uuid), NOT_FOUND, "DeleteEventSourceMapping again")
eq(lam.list_event_source_mappings(FunctionName=fn)["EventSourceMappings"], [], "no mappings left")
done("DeleteEventSourceMapping")

# ---- clean up
lam.delete_function(FunctionName=fn)
kinesis.delete_stream(StreamName=stream)
for url in (q_url, other_url, dlq_url, fifo_url):
    sqs.delete_queue(QueueUrl=url)

ops.finish()
