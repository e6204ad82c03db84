"""Drive every SNS operation the cloud has through boto3 against a running testbed cloud, and check the answers.

    python3 test/services/sns-boto3.py http://127.0.0.1:4566

Used by test/services/sns-clients.test.ts (once per python3 with boto3 found); also runs by hand
against `testbed serve`. Starts a small HTTP server on 127.0.0.1 for an HTTP subscription (the
confirmation token arrives there). Prints one JSON line (boto3_common.Checklist): the versions, the
protocol botocore speaks for SNS, and the operations that passed. Exits 1 with the failed check on
stderr.
"""

import base64
import http.server
import json
import sys
import threading

sys.dont_write_bytecode = True  # (no __pycache__ in the source tree)
from boto3_common import ACCOUNT, REGION, Checklist, check, client, eq, error_of, queue, unique_suffix  # noqa: E402

sns, sqs = client("sns"), client("sqs")
ops = Checklist(sns)
done = ops.done


def receive(url, wait=5):
    """Receive and delete (a FIFO queue hands out a group's next message only after the last is deleted)."""
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait, MessageAttributeNames=["All"], AttributeNames=["All"]).get("Messages", [])
    for m in got:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return got


def verify(envelope):
    """The envelope's signature against the served certificate, when `cryptography` is installed (else None)."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
    except ImportError:
        return None
    import urllib.request

    with urllib.request.urlopen(envelope["SigningCertURL"]) as r:
        cert = x509.load_pem_x509_certificate(r.read())
    fields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    text = "".join(f"{f}\n{envelope[f]}\n" for f in fields if f in envelope)
    algorithm = hashes.SHA1() if envelope["SignatureVersion"] == "1" else hashes.SHA256()
    try:
        cert.public_key().verify(base64.b64decode(envelope["Signature"]), text.encode(), padding.PKCS1v15(), algorithm)
        return True
    except Exception:
        return False


# ---- an HTTP endpoint on loopback, for the confirmation token
received = []
arrived = threading.Condition()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
        with arrived:
            received.append((dict(self.headers), body))
            arrived.notify_all()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
http_endpoint = f"http://127.0.0.1:{server.server_address[1]}/sns"

check(ops.protocol == "query", f"botocore speaks {ops.protocol!r} to SNS")
suffix = unique_suffix()
name = f"boto3-{suffix}"
arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"

# ---- topics
eq(sns.create_topic(Name=name, Attributes={"DisplayName": "D"}, Tags=[{"Key": "team", "Value": "a"}])["TopicArn"], arn, "CreateTopic")
eq(sns.create_topic(Name=name)["TopicArn"], arn, "CreateTopic again")
fifo = sns.create_topic(Name=f"{name}.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
code, message, status = error_of(sns.create_topic, Name=name, Attributes={"DisplayName": "other"})
eq((code, message, status), ("InvalidParameter", "Invalid parameter: Attributes Reason: Topic already exists with different attributes", 400), "CreateTopic different")
done("CreateTopic")
topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
check(arn in topics and fifo in topics, f"ListTopics: {topics}")
done("ListTopics")
attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
eq((attrs["DisplayName"], attrs["TopicArn"], attrs["Owner"], attrs["SubscriptionsConfirmed"]), ("D", arn, ACCOUNT, "0"), "GetTopicAttributes")
eq(json.loads(attrs["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]["numRetries"], 3, "EffectiveDeliveryPolicy")
eq(sns.get_topic_attributes(TopicArn=fifo)["Attributes"]["FifoTopic"], "true", "GetTopicAttributes FIFO")
eq(error_of(sns.get_topic_attributes, TopicArn=arn + "x"), ("NotFound", "Topic does not exist", 404), "GetTopicAttributes missing")
done("GetTopicAttributes")
sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="E")
eq(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"], "E", "SetTopicAttributes")
eq(error_of(sns.set_topic_attributes, TopicArn=arn, AttributeName="FifoTopic", AttributeValue="true")[:2], ("InvalidParameter", "Invalid parameter: AttributeName"), "SetTopicAttributes FifoTopic")
done("SetTopicAttributes")
sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
done("TagResource")
eq(sns.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "dev"}], "ListTagsForResource")
done("ListTagsForResource")
sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
eq(sns.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "env", "Value": "dev"}], "UntagResource")
done("UntagResource")
sns.add_permission(TopicArn=arn, Label="p1", AWSAccountId=["111122223333"], ActionName=["Publish"])
statement = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"][-1]
eq((statement["Sid"], statement["Action"], statement["Principal"]), ("p1", "SNS:Publish", {"AWS": "arn:aws:iam::111122223333:root"}), "AddPermission")
done("AddPermission")
sns.remove_permission(TopicArn=arn, Label="p1")
eq([s["Sid"] for s in json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]], ["__default_statement_ID"], "RemovePermission")
done("RemovePermission")

# ---- subscriptions
raw_url, raw_arn = queue(sqs, f"{name}-raw")
env_url, env_arn = queue(sqs, f"{name}-env")
fifo_url, fifo_arn = queue(sqs, f"{name}-q.fifo", {"FifoQueue": "true"})
raw_sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=raw_arn, Attributes={"RawMessageDelivery": "true"}, ReturnSubscriptionArn=True)["SubscriptionArn"]
check(raw_sub.startswith(arn + ":"), f"Subscribe: {raw_sub}")
env_sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=env_arn)["SubscriptionArn"]
fifo_sub = sns.subscribe(TopicArn=fifo, Protocol="sqs", Endpoint=fifo_arn)["SubscriptionArn"]
eq(sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=http_endpoint)["SubscriptionArn"], "pending confirmation", "Subscribe http")
eq(error_of(sns.subscribe, TopicArn=arn, Protocol="carrier-pigeon", Endpoint="x")[:2], ("InvalidParameter", "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon"), "Subscribe protocol")
done("Subscribe")
with arrived:
    arrived.wait_for(lambda: len(received) >= 1, timeout=30)
check(received, "no SubscriptionConfirmation arrived")
headers, body = received[0]
confirmation = json.loads(body)
eq((confirmation["Type"], headers.get("x-amz-sns-message-type")), ("SubscriptionConfirmation", "SubscriptionConfirmation"), "SubscriptionConfirmation")
http_sub = sns.confirm_subscription(TopicArn=arn, Token=confirmation["Token"])["SubscriptionArn"]
check(http_sub.startswith(arn + ":"), f"ConfirmSubscription: {http_sub}")
eq(error_of(sns.confirm_subscription, TopicArn=arn, Token="randomtoken")[:2], ("InvalidParameter", "Invalid token"), "ConfirmSubscription bad token")
done("ConfirmSubscription")
sub_attrs = sns.get_subscription_attributes(SubscriptionArn=raw_sub)["Attributes"]
eq((sub_attrs["RawMessageDelivery"], sub_attrs["Protocol"], sub_attrs["Endpoint"], sub_attrs["PendingConfirmation"]), ("true", "sqs", raw_arn, "false"), "GetSubscriptionAttributes")
eq(sns.get_subscription_attributes(SubscriptionArn=http_sub)["Attributes"]["PendingConfirmation"], "false", "GetSubscriptionAttributes http")
done("GetSubscriptionAttributes")
sns.set_subscription_attributes(SubscriptionArn=raw_sub, AttributeName="FilterPolicy", AttributeValue=json.dumps({"colour": ["red"]}))
eq(json.loads(sns.get_subscription_attributes(SubscriptionArn=raw_sub)["Attributes"]["FilterPolicy"]), {"colour": ["red"]}, "SetSubscriptionAttributes")
code, message, _ = error_of(sns.set_subscription_attributes, SubscriptionArn=raw_sub, AttributeName="RawMessageDelivery", AttributeValue="maybe")
eq((code, message), ("InvalidParameter", "Invalid parameter: RawMessageDelivery: Invalid value [maybe]. Must be true or false."), "SetSubscriptionAttributes bad")
done("SetSubscriptionAttributes")
listed = {s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]}
check({raw_sub, env_sub, fifo_sub, http_sub} <= listed, f"ListSubscriptions: {listed}")
done("ListSubscriptions")
by_topic = sorted((s["Protocol"], s["Endpoint"]) for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"])
eq(by_topic, sorted([("sqs", raw_arn), ("sqs", env_arn), ("http", http_endpoint)]), "ListSubscriptionsByTopic")
done("ListSubscriptionsByTopic")

# ---- publish
blob = bytes([0, 1, 2, 250])
red = sns.publish(TopicArn=arn, Message="red one", Subject="hello", MessageAttributes={"colour": {"DataType": "String", "StringValue": "red"}, "blob": {"DataType": "Binary", "BinaryValue": blob}})
sns.publish(TopicArn=arn, Message="blue one", MessageAttributes={"colour": {"DataType": "String", "StringValue": "blue"}})
eq(error_of(sns.publish, TopicArn=arn, Message="")[:2], ("InvalidParameter", "Invalid parameter: Empty message"), "Publish empty")
eq(error_of(sns.publish, TopicArn="nope", Message="m")[:2], ("InvalidParameter", "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1"), "Publish bad ARN")
done("Publish")
raw = receive(raw_url)
eq([m["Body"] for m in raw], ["red one"], "raw delivery (filtered)")
eq(raw[0]["MessageAttributes"]["colour"], {"StringValue": "red", "DataType": "String"}, "raw attributes")
eq(raw[0]["MessageAttributes"]["blob"], {"BinaryValue": blob, "DataType": "Binary"}, "raw binary attribute")
envelopes = [json.loads(m["Body"]) for m in receive(env_url)]
while len(envelopes) < 2:
    more = receive(env_url)
    check(more, f"envelope deliveries: {envelopes}")
    envelopes += [json.loads(m["Body"]) for m in more]
first = next(e for e in envelopes if e["MessageId"] == red["MessageId"])
eq((first["Type"], first["Subject"], first["Message"], first["TopicArn"]), ("Notification", "hello", "red one", arn), "envelope")
eq(first["MessageAttributes"]["blob"], {"Type": "Binary", "Value": base64.b64encode(blob).decode()}, "envelope binary attribute")
check(verify(first) in (True, None), "envelope signature")
with arrived:
    arrived.wait_for(lambda: len(received) >= 3, timeout=30)
eq(sorted(json.loads(b)["Message"] for _, b in received[1:3]), ["blue one", "red one"], "http notifications")
result = sns.publish_batch(TopicArn=fifo, PublishBatchRequestEntries=[{"Id": f"e{i}", "Message": f"m{i}", "MessageGroupId": "g"} for i in range(3)])
eq([e["Id"] for e in result["Successful"]], ["e0", "e1", "e2"], "PublishBatch")
eq(result.get("Failed", []), [], "PublishBatch Failed")
check(all(int(e["SequenceNumber"]) > 0 for e in result["Successful"]), "PublishBatch SequenceNumber")
code, message, _ = error_of(sns.publish_batch, TopicArn=fifo, PublishBatchRequestEntries=[{"Id": "x", "Message": "m", "MessageGroupId": "g"}] * 2)
eq((code, message), ("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id."), "PublishBatch same ids")
done("PublishBatch")
got = receive(fifo_url)
while len(got) < 3:
    more = receive(fifo_url)
    check(more, f"FIFO deliveries: {got}")
    got += more
eq([json.loads(m["Body"])["Message"] for m in got], ["m0", "m1", "m2"], "FIFO order")
eq(got[0]["Attributes"]["MessageGroupId"], "g", "FIFO group")

# ---- unsubscribe, delete
sns.unsubscribe(SubscriptionArn=env_sub)
sns.unsubscribe(SubscriptionArn=env_sub)
eq(error_of(sns.unsubscribe, SubscriptionArn="randomstring")[:2], ("InvalidParameter", "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1"), "Unsubscribe bad")
done("Unsubscribe")
sns.delete_topic(TopicArn=arn)
sns.delete_topic(TopicArn=arn)
sns.delete_topic(TopicArn=fifo)
eq(error_of(sns.get_topic_attributes, TopicArn=arn)[0], "NotFound", "DeleteTopic")
done("DeleteTopic")
server.shutdown()

ops.finish()
