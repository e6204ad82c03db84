/**
 * The Python bootstrap (an awslambdaric work-alike, see its docstring) as text: tsc copies no .py
 * files into dist/, and the container image ships dist/ only, so the source lives here and
 * install.ts writes it under the data folder on first use. Edit it as Python: it is a String.raw
 * template, so it must contain no backquote and no dollar-brace.
 */
export const PYTHON_BOOTSTRAP = String.raw`"""
lambda-testbed's Python runtime: a small re-implementation of the AWS Lambda Python runtime
interface client (awslambdaric), run as "python3 bootstrap.py <clock offset ms>" with cwd =
LAMBDA_TASK_ROOT. It speaks the Runtime API 2018-06-01 at AWS_LAMBDA_RUNTIME_API, loads _HANDLER
("module.function", "pkg/module.function") and loops: next -> handler -> response/error, with the
error shapes, log lines and JSON rules of the AWS Python runtimes.

Private headers for the testbed (prefixed X-Testbed-): Out "<stdout bytes>,<stderr bytes>" written
so far (so logs are complete before END), Rss the peak resident set size in bytes, Exiting "1"
when the process exits after this post. Received: X-Testbed-Clock-Offset (virtual minus real ms),
which time.time() follows. The memory size caps the data segment (RLIMIT_DATA); running out of it
ends the process as the kernel would on AWS (SIGKILL -> Runtime.OutOfMemory).
"""
import http.client
import importlib
import io
import json
import urllib.parse
import logging
import math
import os
import re
import resource
import signal
import sys
import time
import traceback
import uuid
import decimal

_HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    del sys.path[0]  # the handler module is looked up in the task root, never next to this file

BASE = "/2018-06-01/runtime"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"
LAMBDA_WARNING = "LAMBDA_WARNING"
UNHANDLED_EXCEPTION_WARNING = (
    LAMBDA_WARNING + ": "
    "Unhandled exception. "
    "The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the INIT_START log entry. "
    "If this error correlates with a change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous runtime version. "
    "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)


# ---------------------------------------------------------------- output accounting
class _Bytes(object):
    """sys.stdout.buffer: bytes written straight to the fd, counted."""

    def __init__(self, owner):
        self._owner = owner

    def write(self, b):
        b = bytes(b)
        self._owner._write_bytes(b)
        return len(b)

    def flush(self):
        pass

    def fileno(self):
        return self._owner.fileno()

    def writable(self):
        return True


class _Out(io.TextIOBase):
    """An unbuffered text stream on fd 1 or 2 that counts the bytes it writes."""

    def __init__(self, fd, name):
        super().__init__()
        self._fd = fd
        self._name = name
        self.count = 0
        self.at_line_start = True
        self.buffer = _Bytes(self)

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "backslashreplace"

    @property
    def line_buffering(self):
        return True

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd

    def flush(self):
        pass

    def close(self):
        pass

    def reconfigure(self, *args, **kwargs):
        pass

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        self._write_bytes(s.encode("utf-8", "backslashreplace"))
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def _write_bytes(self, b):
        if not b:
            return
        view = memoryview(b)
        try:
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
        except (BrokenPipeError, OSError):
            return
        self.count += len(b)
        self.at_line_start = b[-1:] == b"\n"


_stdout = _Out(1, "<stdout>")
_stderr = _Out(2, "<stderr>")
sys.stdout = _stdout
sys.stderr = _stderr


# ---------------------------------------------------------------- clock (virtual time)
_real_time = time.time
_real_time_ns = time.time_ns
_offset_ms = 0


def _virtual_time():
    return _real_time() + _offset_ms / 1000.0


def _virtual_time_ns():
    return _real_time_ns() + _offset_ms * 1000000


def _set_clock_offset(ms):
    global _offset_ms
    if ms == _offset_ms:
        return
    _offset_ms = ms
    if ms != 0:
        time.time = _virtual_time
        time.time_ns = _virtual_time_ns


if len(sys.argv) > 1:
    try:
        _set_clock_offset(int(sys.argv[1]))
    except ValueError:
        pass
    del sys.argv[1:]


# ---------------------------------------------------------------- memory
def _limit_memory():
    try:
        mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") or "0")
    except ValueError:
        return
    if mb <= 0:
        return
    limit = mb * 1024 * 1024
    try:
        hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
        if hard != resource.RLIM_INFINITY and hard < limit:
            limit = hard
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    except (ValueError, OSError, AttributeError):
        pass


def _out_of_memory():
    # On AWS the kernel kills a sandbox over its memory size: no exception reaches anyone.
    os.kill(os.getpid(), signal.SIGKILL)


# ---------------------------------------------------------------- errors
class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        Exception.__init__(self, msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _user_frames(tb):
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i in range(len(frames)):
        if "/bootstrap.py" not in frames[i][0]:
            return frames[i:]
    return frames


def build_fault_result(exc_info, msg, invoke_id=None):
    etype, value, tb = exc_info
    return make_error(msg if msg else str(value), etype.__name__, traceback.format_list(_user_frames(tb)), invoke_id)


def _replace_indentation(line, indent_char, new_indent_char):
    n = 0
    for c in line:
        if c != indent_char:
            break
        n += 1
    return (new_indent_char * n) + line[n:]


def _log_event(text):
    """One log event: inner newlines become carriage returns (as the telemetry log frames keep them)."""
    if text.endswith("\n"):
        text = text[:-1]
    line = text.replace("\n", "\r") + "\n"
    _stdout.write(line if _stdout.at_line_start else "\n" + line)


def log_error(error_result):
    description = "[ERROR]"
    etype = error_result.get("errorType")
    if etype:
        description += " " + etype
    emsg = error_result.get("errorMessage")
    if emsg:
        if etype:
            description += ":"
        description += " " + emsg
    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
            else:
                for trace_line in element.splitlines():
                    lines.append(_replace_indentation(trace_line, " ", ERROR_LOG_IDENT))
    line = ERROR_LOG_LINE_TERMINATE.join(lines) + "\n"
    _stdout.write(line if _stdout.at_line_start else "\n" + line)


# ---------------------------------------------------------------- logging (the RIC's text format)
_request_id = None


class _LambdaLoggerHandler(logging.Handler):
    def emit(self, record):
        try:
            msg = self.format(record)
        except Exception:
            self.handleError(record)
            return
        _log_event(msg)


class _LambdaLoggerFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        record.tenant_id = None
        return True


def _setup_logging():
    logging.Formatter.converter = time.gmtime
    logger = logging.getLogger()
    handler = _LambdaLoggerHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    level = {None: "", "TRACE": "DEBUG"}.get(level, level).upper()
    if level in logging._nameToLevel:
        logger.setLevel(level)
    handler.addFilter(_LambdaLoggerFilter())
    logger.addHandler(handler)


# ---------------------------------------------------------------- JSON (the RIC's marshaller)
_RAW = "\u0000raw" + uuid.uuid4().hex + ":"
_RAW_RE = re.compile(re.escape(json.dumps(_RAW)[:-1]) + r'([^"\\]*)\\u0000"')
_ENSURE_ASCII = os.environ.get("AWS_EXECUTION_ENV") not in {
    "AWS_Lambda_python3.12",
    "AWS_Lambda_python3.13",
    "AWS_Lambda_python3.14",
    "AWS_Lambda_python3.15",
}


class _Encoder(json.JSONEncoder):
    def __init__(self):
        super().__init__(ensure_ascii=_ENSURE_ASCII, allow_nan=True)

    def default(self, obj):
        if isinstance(obj, decimal.Decimal):
            if obj.is_nan():
                return math.nan
            # simplejson's RawJSON: the decimal's digits as they are.
            return _RAW + str(obj) + "\u0000"
        return super().default(obj)


def to_json(obj):
    text = _Encoder().encode(obj)
    if "\\u0000raw" in text:
        text = _RAW_RE.sub(lambda m: m.group(1), text)
    return text


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except MemoryError:
        raise
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)), None)


def unmarshal_request(body, content_type):
    if content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)), None)


# ---------------------------------------------------------------- the context
class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id={},cognito_identity_pool_id={}])".format(
            self.cognito_identity_id, self.cognito_identity_pool_id
        )


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]

    def __repr__(self):
        return "Client([installation_id={},app_title={},app_version_name={},app_version_code={},app_package_name={}])".format(
            self.installation_id, self.app_title, self.app_version_name, self.app_version_code, self.app_package_name
        )


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return "ClientContext([custom={},env={},client={}])".format(self.custom, self.env, self.client)


def _from_dict(cls, d):
    if d is None:
        return None
    o = cls()
    for field in cls.__slots__:
        setattr(o, field, d.get(field, None))
    return o


class LambdaContext(object):
    def __init__(self, invoke_id, client_context, cognito_identity, epoch_deadline_time_in_ms, invoked_function_arn=None, tenant_id=None):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self.client_context = _from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _from_dict(Client, self.client_context.client)
        self.identity = _from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self):
        epoch_now_in_ms = int(time.time() * 1000)
        delta_ms = self._epoch_deadline_time_in_ms - epoch_now_in_ms
        return delta_ms if delta_ms > 0 else 0

    def log(self, msg):
        _log_event(str(msg))

    def __repr__(self):
        return (
            "LambdaContext(["
            "aws_request_id={},log_group_name={},log_stream_name={},function_name={},memory_limit_in_mb={},"
            "function_version={},invoked_function_arn={},client_context={},identity={},tenant_id={}])"
        ).format(
            self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name, self.memory_limit_in_mb,
            self.function_version, self.invoked_function_arn, self.client_context, self.identity, self.tenant_id,
        )


def _parse_json_header(header, name):
    try:
        return json.loads(header)
    except Exception as e:
        raise FaultException(FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, "Unable to parse {} JSON: {}".format(name, str(e)), None)


# ---------------------------------------------------------------- the Runtime API
class RuntimeApi(object):
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self._host = host
        self._port = int(port)
        self._conn = None

    def _call(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self._host, self._port)
            try:
                self._conn.request(method, path, body=body, headers=headers or {})
                response = self._conn.getresponse()
                data = response.read()
                return response.status, response.headers, data
            except (http.client.HTTPException, OSError):
                self._conn.close()
                self._conn = None
                if attempt:
                    raise

    def _post(self, path, body, headers, exiting=False):
        h = {
            "Content-Type": "application/json",
            "X-Testbed-Out": "%d,%d" % (_stdout.count, _stderr.count),
            "X-Testbed-Rss": str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024),
        }
        h.update(headers)
        if exiting:
            h["X-Testbed-Exiting"] = "1"
        return self._call("POST", path, body, h)

    def next(self):
        status, headers, body = self._call("GET", BASE + "/invocation/next")
        if status != 200:
            sys.exit(1)  # the Runtime API is gone or broken: give up, as the RIC does
        return headers, body

    def post_init_error(self, error_result):
        self._post(BASE + "/init/error", to_json(error_result).encode("utf-8"), {ERROR_TYPE_HEADER: error_result["errorType"]}, exiting=True)

    def post_result(self, invoke_id, result, content_type):
        status, _, _ = self._post(BASE + "/invocation/" + invoke_id + "/response", result, {"Content-Type": content_type})
        if status != 202:
            raise RuntimeError("Failed to post invocation response")

    def post_error(self, invoke_id, error_result):
        self._post(
            BASE + "/invocation/" + invoke_id + "/error",
            to_json(error_result).encode("utf-8"),
            {ERROR_TYPE_HEADER: error_result["errorType"]},
        )


# ---------------------------------------------------------------- loading the handler
def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        m = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, "Unable to import module '{}': {}".format(modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR, "Syntax error in module '{}': {}".format(modname, str(e)), trace)
    try:
        return getattr(m, fname)
    except AttributeError:
        raise FaultException(FaultException.HANDLER_NOT_FOUND, "Handler '{}' missing on module '{}'".format(fname, modname), None)


# ---------------------------------------------------------------- the invoke loop
def handle_event(api, request_handler, headers, body):
    global _request_id
    invoke_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    _request_id = invoke_id
    offset = headers.get("X-Testbed-Clock-Offset")
    if offset is not None:
        try:
            _set_clock_offset(int(offset))
        except ValueError:
            pass
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    elif "_X_AMZN_TRACE_ID" in os.environ:
        del os.environ["_X_AMZN_TRACE_ID"]
    path_id = urllib.parse.quote(invoke_id or "", safe="")

    error_result = None
    result = content_type = None
    try:
        client_context_json = headers.get("Lambda-Runtime-Client-Context")
        cognito_identity_json = headers.get("Lambda-Runtime-Cognito-Identity")
        context = LambdaContext(
            invoke_id,
            _parse_json_header(client_context_json, "Client Context") if client_context_json else None,
            _parse_json_header(cognito_identity_json, "Cognito Identity") if cognito_identity_json else None,
            int(headers.get("Lambda-Runtime-Deadline-Ms") or "0"),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
            headers.get("Lambda-Runtime-Aws-Tenant-Id"),
        )
        event = unmarshal_request(body, headers.get("Content-Type") or "application/json")
        response = request_handler(event, context)
        result, content_type = marshal_response(response)
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except MemoryError:
        _out_of_memory()
    except Exception:
        error_result = build_fault_result(sys.exc_info(), None, invoke_id)

    if error_result is not None:
        log_error(error_result)
        api.post_error(path_id, error_result)
    else:
        api.post_result(path_id, result, content_type)


def main():
    _limit_memory()
    api = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])
    error_result = None
    request_handler = None
    try:
        _setup_logging()
        request_handler = get_handler(os.environ.get("_HANDLER", ""))
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace)
    except MemoryError:
        _out_of_memory()
    except Exception:
        error_result = build_fault_result(sys.exc_info(), None)

    if error_result is not None:
        logging.warning(UNHANDLED_EXCEPTION_WARNING)
        log_error(error_result)
        api.post_init_error(error_result)
        sys.exit(1)

    while True:
        headers, body = api.next()
        handle_event(api, request_handler, headers, body)


if __name__ == "__main__":
    try:
        main()
    except MemoryError:
        _out_of_memory()
`;
