"""What the boto3 scripts of this folder share (sqs-boto3.py, sns-boto3.py, events-boto3.py).

Each script runs as `python3 test/services/<service>-boto3.py <endpoint>`, so this folder is first on
sys.path and `import boto3_common` finds this file. Here: the endpoint argument, clients against it
(dummy credentials, no retries), the checks, AWS errors as (code, message, HTTP status), unique
names, and the operation checklist whose JSON line the script prints last (read by
test/services/real-clients.ts).
"""

import json
import sys
import time

import boto3
import botocore
import botocore.config
from botocore.exceptions import ClientError

ACCOUNT = "000000000000"
REGION = "us-east-1"

if len(sys.argv) != 2:
    sys.exit(f"usage: python3 {sys.argv[0]} <endpoint, e.g. http://127.0.0.1:4566>")
ENDPOINT = sys.argv[1].rstrip("/")


def client(service):
    """A boto3 client against the endpoint: dummy credentials, one attempt per call."""
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(actual, expected, what):
    check(actual == expected, f"{what}: expected {expected!r}, got {actual!r}")


def error_of(fn, **kwargs):
    """The AWS error of a call that must fail: (code, message, HTTP status)."""
    try:
        fn(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError(f"{fn.__name__} did not fail")


def unique_suffix():
    """A suffix for this run's names (runs against one `testbed serve` do not collide)."""
    return f"{int(time.time() * 1000) % 10**9}"


def queue(sqs, name, attributes=None):
    """A new SQS queue: (URL, ARN)."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes or {})["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


class Checklist:
    """The operations a script drove (each one must be in the client's model) and those its botocore lacks."""

    def __init__(self, service_client):
        self.model = service_client.meta.service_model
        self.protocol = self.model.metadata.get("protocol")
        self.passed = []
        self.missing = {}

    def has(self, op):
        return op in self.model.operation_names

    def done(self, op):
        check(self.has(op), f"{op} ran but is not in the model")
        if op not in self.passed:
            self.passed.append(op)

    def lacks(self, op):
        self.missing[op] = f"botocore {botocore.__version__} has no {op}"

    def finish(self):
        """The result line: versions, protocol, the operations that passed and those missing."""
        print(
            json.dumps(
                {
                    "boto3": boto3.__version__,
                    "botocore": botocore.__version__,
                    "python": sys.version.split()[0],
                    "protocol": self.protocol,
                    "passed": self.passed,
                    "missing": self.missing,
                }
            )
        )
