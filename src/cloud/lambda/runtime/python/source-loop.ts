/** The second part of the Python bootstrap (see source.ts): the context, the Runtime API, loading the handler and the invoke loop. */
export const PYTHON_LOOP = String.raw`# ---------------------------------------------------------------- the context
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
