"""Drive every SQS operation through boto3 against a running testbed cloud, and check the answers.

    python3 test/services/sqs-boto3.py http://127.0.0.1:4566

Used by test/services/sqs-clients.test.ts (once per python3 with boto3 found); also runs by hand
against `testbed serve`. Prints one JSON line (boto3_common.Checklist): the versions, the protocol
botocore speaks for SQS, the operations that passed, and those this botocore does not have (with the
reason). Exits 1 with the failed check on stderr.
"""

import hashlib
import json
import struct
import sys

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from boto3_common import ACCOUNT, ENDPOINT, REGION, Checklist, check, eq, error_of, unique_suffix  # noqa: E402
from boto3_common import client as boto3_client  # noqa: E402

client = boto3_client("sqs")
ops = Checklist(client)
done = ops.done


def md5(b):
    return hashlib.md5(b).hexdigest()


def md5_of_attributes(attrs):
    out = b""
    for name in sorted(attrs):
        a = attrs[name]
        for part in (name.encode(), a["DataType"].encode()):
            out += struct.pack(">I", len(part)) + part
        if "BinaryValue" in a:
            out += b"\x02" + struct.pack(">I", len(a["BinaryValue"])) + a["BinaryValue"]
        else:
            v = a["StringValue"].encode()
            out += b"\x01" + struct.pack(">I", len(v)) + v
    return md5(out)


suffix = unique_suffix()
name = f"boto3-{suffix}"
dlq = f"{name}-dlq"
url = f"{ENDPOINT}/{ACCOUNT}/{name}"
dlq_url = f"{ENDPOINT}/{ACCOUNT}/{dlq}"
arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
dlq_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{dlq}"

# ---- queues
eq(client.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40"}, tags={"team": "a"})["QueueUrl"], url, "CreateQueue")
eq(client.create_queue(QueueName=dlq)["QueueUrl"], dlq_url, "CreateQueue dlq")
done("CreateQueue")
eq(client.get_queue_url(QueueName=name)["QueueUrl"], url, "GetQueueUrl")
done("GetQueueUrl")
eq(client.list_queues(QueueNamePrefix=name).get("QueueUrls"), [url, dlq_url], "ListQueues")
page = client.list_queues(QueueNamePrefix=name, MaxResults=1)
eq(page.get("QueueUrls"), [url], "ListQueues page 1")
eq(client.list_queues(QueueNamePrefix=name, MaxResults=1, NextToken=page["NextToken"]).get("QueueUrls"), [dlq_url], "ListQueues page 2")
done("ListQueues")
attrs = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
eq(attrs.get("VisibilityTimeout"), "40", "GetQueueAttributes VisibilityTimeout")
eq(attrs.get("QueueArn"), arn, "GetQueueAttributes QueueArn")
eq(client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"], {"QueueArn": arn}, "GetQueueAttributes named")
eq(error_of(client.get_queue_attributes, QueueUrl=url, AttributeNames=["Foobar"]), ("InvalidAttributeName", "Unknown Attribute Foobar.", 400), "GetQueueAttributes unknown")
done("GetQueueAttributes")
# maxReceiveCount 5: the messages below are received twice and must stay in the queue.
redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})
client.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": redrive, "VisibilityTimeout": "45"})
got = client.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy", "VisibilityTimeout"])["Attributes"]
eq(got["VisibilityTimeout"], "45", "SetQueueAttributes")
eq(json.loads(got["RedrivePolicy"]), {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}, "SetQueueAttributes RedrivePolicy")
done("SetQueueAttributes")
eq(client.list_dead_letter_source_queues(QueueUrl=dlq_url)["queueUrls"], [url], "ListDeadLetterSourceQueues")
done("ListDeadLetterSourceQueues")
client.tag_queue(QueueUrl=url, Tags={"env": "dev"})
done("TagQueue")
eq(client.list_queue_tags(QueueUrl=url).get("Tags"), {"team": "a", "env": "dev"}, "ListQueueTags")
done("ListQueueTags")
client.untag_queue(QueueUrl=url, TagKeys=["team"])
eq(client.list_queue_tags(QueueUrl=url).get("Tags"), {"env": "dev"}, "UntagQueue")
done("UntagQueue")
client.add_permission(QueueUrl=url, Label="p1", AWSAccountIds=["111122223333"], Actions=["SendMessage", "ReceiveMessage"])
policy = json.loads(client.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"])
eq([s["Sid"] for s in policy["Statement"]], ["p1"], "AddPermission")
done("AddPermission")
client.remove_permission(QueueUrl=url, Label="p1")
check("Policy" not in client.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"]).get("Attributes", {}), "RemovePermission")
done("RemovePermission")

# ---- messages
body = 'héllo <world> & "you"\r\nline2\ttab'
blob = bytes([0, 1, 2, 250, 255])
mattrs = {"colour": {"DataType": "String", "StringValue": "red"}, "blob": {"DataType": "Binary", "BinaryValue": blob}}
sent = client.send_message(
    QueueUrl=url,
    MessageBody=body,
    MessageAttributes=mattrs,
    MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}},
)
eq(sent["MD5OfMessageBody"], md5(body.encode()), "SendMessage MD5OfMessageBody")
eq(sent["MD5OfMessageAttributes"], md5_of_attributes(mattrs), "SendMessage MD5OfMessageAttributes")
done("SendMessage")
batch = client.send_message_batch(
    QueueUrl=url,
    Entries=[{"Id": "a", "MessageBody": "one"}, {"Id": "b", "MessageBody": "two"}, {"Id": "c", "MessageBody": "bad \x01"}],
)
eq([e["Id"] for e in batch.get("Successful", [])], ["a", "b"], "SendMessageBatch Successful")
eq(batch["Successful"][0]["MD5OfMessageBody"], md5(b"one"), "SendMessageBatch MD5")
eq([(e["Id"], e["SenderFault"], e["Code"]) for e in batch.get("Failed", [])], [("c", True, "InvalidMessageContents")], "SendMessageBatch Failed")
done("SendMessageBatch")
got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"], VisibilityTimeout=60)["Messages"]
eq(sorted(m["Body"] for m in got), sorted([body, "one", "two"]), "ReceiveMessage bodies")
first = next(m for m in got if m["MessageId"] == sent["MessageId"])
eq(first["Body"], body, "ReceiveMessage body (CR kept)")
eq(first["MD5OfBody"], md5(body.encode()), "ReceiveMessage MD5OfBody")
eq(first["Attributes"]["ApproximateReceiveCount"], "1", "ReceiveMessage ApproximateReceiveCount")
eq(first["Attributes"]["AWSTraceHeader"], "Root=1-5759e988-bd862e3fe1be46a994272793", "ReceiveMessage AWSTraceHeader")
eq(first["MessageAttributes"], mattrs, "ReceiveMessage MessageAttributes")
eq(first["MD5OfMessageAttributes"], md5_of_attributes(mattrs), "ReceiveMessage MD5OfMessageAttributes")
eq(client.receive_message(QueueUrl=url).get("Messages"), None, "ReceiveMessage empty")
done("ReceiveMessage")
by_body = {m["Body"]: m for m in got}
client.change_message_visibility(QueueUrl=url, ReceiptHandle=by_body["one"]["ReceiptHandle"], VisibilityTimeout=0)
done("ChangeMessageVisibility")
cv = client.change_message_visibility_batch(
    QueueUrl=url,
    Entries=[{"Id": "c1", "ReceiptHandle": by_body["two"]["ReceiptHandle"], "VisibilityTimeout": 0}, {"Id": "c2", "ReceiptHandle": "garbage", "VisibilityTimeout": 0}],
)
eq([e["Id"] for e in cv.get("Successful", [])], ["c1"], "ChangeMessageVisibilityBatch Successful")
eq([(e["Id"], e["Code"]) for e in cv.get("Failed", [])], [("c2", "ReceiptHandleIsInvalid")], "ChangeMessageVisibilityBatch Failed")
done("ChangeMessageVisibilityBatch")
again = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["ApproximateReceiveCount"])["Messages"]
eq(sorted(m["Body"] for m in again), ["one", "two"], "ReceiveMessage again")
client.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
done("DeleteMessage")
dm = client.delete_message_batch(QueueUrl=url, Entries=[{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(again)])
eq(sorted(e["Id"] for e in dm.get("Successful", [])), ["d0", "d1"], "DeleteMessageBatch")
done("DeleteMessageBatch")
counts = client.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
eq(counts, {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}, "counts after deletes")
code, _, status = error_of(client.send_message_batch, QueueUrl=url, Entries=[])
eq((code, status), ("AWS.SimpleQueueService.EmptyBatchRequest", 400), "SendMessageBatch empty")
eq(
    error_of(client.receive_message, QueueUrl=url, WaitTimeSeconds=50)[:2],
    ("InvalidParameterValue", "Value 50 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."),
    "ReceiveMessage WaitTimeSeconds 50",
)

# ---- message move tasks (not in botocore before mid-2023)
MOVE = ["StartMessageMoveTask", "ListMessageMoveTasks", "CancelMessageMoveTask"]
if all(ops.has(op) for op in MOVE):
    # At 1 message a second, 30 messages keep the task RUNNING while it is listed and cancelled.
    for b in range(3):
        client.send_message_batch(QueueUrl=dlq_url, Entries=[{"Id": f"e{i}", "MessageBody": f"m{b}{i}"} for i in range(10)])
    handle = client.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn, MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    done("StartMessageMoveTask")
    tasks = client.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"]
    eq([(t["TaskHandle"], t["Status"], t["SourceArn"], t["DestinationArn"]) for t in tasks], [(handle, "RUNNING", dlq_arn, arn)], "ListMessageMoveTasks")
    done("ListMessageMoveTasks")
    moved = client.cancel_message_move_task(TaskHandle=handle)["ApproximateNumberOfMessagesMoved"]
    check(isinstance(moved, int) and moved >= 0, f"CancelMessageMoveTask moved {moved!r}")
    done("CancelMessageMoveTask")
else:
    for op in MOVE:
        ops.lacks(op)

# ---- purge, delete, errors
client.purge_queue(QueueUrl=dlq_url)
code, _, status = error_of(client.purge_queue, QueueUrl=dlq_url)
eq((code, status), ("AWS.SimpleQueueService.PurgeQueueInProgress", 403), "PurgeQueue twice")
done("PurgeQueue")
client.delete_queue(QueueUrl=dlq_url)
client.delete_queue(QueueUrl=url)
done("DeleteQueue")
expected_message = "The specified queue does not exist for this wsdl version." if ops.protocol == "query" else "The specified queue does not exist."
eq(error_of(client.get_queue_url, QueueName=name), ("AWS.SimpleQueueService.NonExistentQueue", expected_message, 400), "GetQueueUrl after DeleteQueue")

ops.finish()
