/**
 * The Python bootstrap (an awslambdaric work-alike, see its docstring) as text: tsc copies no .py
 * files into dist/, and the container image ships dist/ only, so the source lives here and
 * install.ts writes it under the data folder on first use. Edit it as Python: it is a String.raw
 * template, so it must contain no backquote and no dollar-brace. One Python file in two parts: the
 * setup (output accounting, clock, memory, errors, logging, JSON) here, the rest in source-loop.ts.
 */
import { PYTHON_LOOP } from './source-loop';

const SETUP = String.raw`"""
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
`;

/** The bootstrap: setup (source.ts) then the context, the Runtime API and the invoke loop (source-loop.ts). */
export const PYTHON_BOOTSTRAP = SETUP + PYTHON_LOOP;
