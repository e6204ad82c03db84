"""
python-echo: the Python counterpart of functions/echo and functions/control, for the runtime
scenarios (scenarios/runtimes/). Runtime python3.x, handler handler.handler; zipped as it is.

Event: anything. With `action` (at the top, or in the first SQS record's JSON body):
  (none)   return the event, the context fields, Lambda environment variables and this
           environment's identity (cold start, invocation count, instance id)
  state    {"count": n, "instanceId": ..., "coldStart": ...}
  throw    raise an exception (`errorName` names its class, `message` its text)
  exit     os._exit(`code`)
  hang     sleep until the timeout
  sdk      call STS GetCallerIdentity with boto3 (the cloud's endpoint, from AWS_ENDPOINT_URL)
  return   return `value`
`log`: lines to print first; `sleepMs`: sleep first; `envKeys`: more variables to return. Every invocation writes the portable probe line
(TESTBED_PROBE {...}, see src/testbed/probe-record.ts) unless `noProbe` is true, and an SQS
batch a `PY_RECORDS [<bodies>]` line.
"""
import hashlib
import json
import logging
import os
import sys
import time
import uuid

logger = logging.getLogger()
logger.setLevel(logging.INFO)

INSTANCE_ID = uuid.uuid4().hex
_count = 0
_state = 0

ENV_KEYS = [
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_REGION",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_EXECUTION_ENV",
    "_HANDLER",
    "TZ",
]


def _control(event):
    if isinstance(event, dict) and isinstance(event.get("Records"), list) and event["Records"]:
        first = event["Records"][0]
        try:
            inner = json.loads(first.get("body") or first.get("Sns", {}).get("Message") or "")
        except (ValueError, TypeError, AttributeError):
            inner = None
        if isinstance(inner, dict) and isinstance(inner.get("action"), str):
            return inner
    return event if isinstance(event, dict) else {}


def _probe(event, context, cold):
    digest = hashlib.sha256(json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()[:16]
    tag = event.get("probeTag") if isinstance(event, dict) and isinstance(event.get("probeTag"), str) else None
    line = {
        "v": 1,
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "functionVersion": context.function_version,
        "invokedFunctionArn": context.invoked_function_arn,
        "instanceId": INSTANCE_ID,
        "coldStart": cold,
        "invocationCount": _count,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z",
        "eventDigest": digest,
        "tag": tag,
    }
    print("TESTBED_PROBE " + json.dumps(line, separators=(",", ":")))


def handler(event, context):
    global _count, _state
    _count += 1
    cold = _count == 1
    ev = _control(event)
    if not ev.get("noProbe"):
        _probe(event, context, cold)
    if isinstance(event, dict) and isinstance(event.get("Records"), list):
        print("PY_RECORDS " + json.dumps([r.get("body") for r in event["Records"] if isinstance(r, dict)]))
    for line in ev.get("log") or []:
        print(line)
    if ev.get("sleepMs"):
        time.sleep(ev["sleepMs"] / 1000.0)
    action = ev.get("action")
    if action == "state":
        _state += 1
        return {"count": _state, "instanceId": INSTANCE_ID, "coldStart": cold}
    if action == "throw":
        error = type(ev.get("errorName") or "PythonEchoError", (Exception,), {})
        raise error(ev.get("message", "boom"))
    if action == "exit":
        sys.stdout.flush()
        os._exit(int(ev.get("code", 1)))
    if action == "hang":
        logger.info("hanging until the timeout")
        time.sleep(3600)
    if action == "sdk":
        import boto3

        who = boto3.client("sts").get_caller_identity()
        return {"Account": who["Account"], "Arn": who["Arn"], "endpoint": os.environ.get("AWS_ENDPOINT_URL")}
    if action == "return":
        return ev.get("value")
    return {
        "event": event,
        "context": {
            "functionName": context.function_name,
            "functionVersion": context.function_version,
            "invokedFunctionArn": context.invoked_function_arn,
            "memoryLimitInMB": context.memory_limit_in_mb,
            "awsRequestId": context.aws_request_id,
            "logGroupName": context.log_group_name,
            "logStreamName": context.log_stream_name,
            "remainingTimeInMillis": context.get_remaining_time_in_millis(),
        },
        "env": {k: os.environ.get(k) for k in ENV_KEYS + [k for k in ev.get("envKeys") or [] if isinstance(k, str)]},
        "python": "%d.%d" % sys.version_info[:2],
        "coldStart": cold,
        "invocationCount": _count,
        "instanceId": INSTANCE_ID,
    }
