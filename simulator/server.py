"""The AWS endpoint: one HTTP server on 127.0.0.1 where Elastic Beanstalk requests (SigV4
credential scope `.../elasticbeanstalk/aws4_request`) go to the simulator's EB, and everything
else (S3, STS, Route 53, SSM, ...) to moto's server."""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from botocore.model import OperationModel, OperationNotFoundError
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from simulator.calls import CallLog
from simulator.calls import Request as ApiRequest
from simulator.eb.backend import HANDLERS, Beanstalk
from simulator.eb.model import service_model
from simulator.faults import ApiFault, Faults
from simulator.protocol import ApiError, parse_params, serialize_error, serialize_result, validate
from simulator.route53 import is_route53_change
from simulator.serving import Background

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Route53Factory = Callable[[WsgiApp], WsgiApp]  # wraps moto for Route 53's record changes

log = logging.getLogger(__name__)
SCOPE = re.compile(r"Credential=[^/]*/\d{8}/([^/]+)/([^/]+)/aws4_request")
EB_VERSION = b"Version=2010-12-01"


class BeanstalkApp:
    """WSGI app speaking EB's Query protocol: faults, parsing, validation, dispatch, XML."""

    def __init__(
        self, backend: Beanstalk, faults: Faults, default_region: str, calls: CallLog | None = None
    ) -> None:
        self.backend, self.faults, self.default_region = backend, faults, default_region
        self.calls = calls or CallLog()
        self.model = service_model()
        self.namespace = self.model.metadata["xmlNamespace"]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        request_id = str(uuid.uuid4())
        params = {**request.args.to_dict(), **request.form.to_dict()}
        try:
            body = self._answer(params, _region(environ, self.default_region), request_id)
            status = 200
        except ApiError as error:
            status, body = error.status, serialize_error(self.namespace, error, request_id)
        except Exception:
            log.exception("simulated Elastic Beanstalk failed on %s", params.get("Action"))
            failure = ApiError("InternalFailure", "The simulator failed; see its log.", 500)
            status, body = 500, serialize_error(self.namespace, failure, request_id)
        response = Response(body, status, content_type="text/xml")
        response.headers["x-amzn-RequestId"] = request_id
        return response(environ, start_response)

    def _answer(self, params: dict[str, str], region: str, request_id: str) -> bytes:
        operation = self._operation(params.get("Action", ""))
        action = operation.name
        self.calls.arrived(ApiRequest("elasticbeanstalk", action))
        fault = self.faults.api_fault(action)
        if fault is not None and not fault.after:
            self.calls.record(action, "faulted", {}, request_id, lost=False)
            raise _as_error(fault)
        try:
            parsed = parse_params(operation.input_shape, params)
            validate(operation.input_shape, parsed)
            data = self.backend.handle(region, action, parsed, request_id)
        except ApiError:
            self.calls.record(action, "refused", {}, request_id, lost=False)
            raise
        lost = fault or self.faults.lost_response(action)  # carried out, then answered 503
        self.calls.record(action, "performed", parsed, request_id, lost=lost is not None)
        if lost is not None:
            raise _as_error(lost)
        return serialize_result(operation, data, request_id)

    def _operation(self, action: str) -> OperationModel:
        try:
            operation = self.model.operation_model(action)
        except OperationNotFoundError:
            raise ApiError(
                "InvalidAction", f"The action {action} is not valid for this web service."
            ) from None
        if action not in HANDLERS:
            raise ApiError("InvalidAction", f"The simulator does not implement {action}.")
        return operation


def _as_error(fault: ApiFault) -> ApiError:
    return ApiError(fault.code, fault.message, fault.status)


def _region(environ: dict[str, Any], default: str) -> str:
    match = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else default


def is_beanstalk(environ: dict[str, Any]) -> bool:
    """Signed for service `elasticbeanstalk`, or an unsigned Query call with EB's API version."""
    match = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if match:
        return match.group(2) == "elasticbeanstalk"
    if environ.get("REQUEST_METHOD") != "POST" or "HTTP_AUTHORIZATION" in environ:
        return EB_VERSION.decode() in environ.get("QUERY_STRING", "")
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)  # put it back for whoever reads it next
    return EB_VERSION in body


class Front:
    """Routes each request to the simulated EB, to Route 53's record changes (moto, made more
    like real Route 53: simulator.route53), or to moto; an Elastic Load Balancing request
    (elb or elbv2) first lets `before_elb` bring EB's load balancers into moto."""

    def __init__(
        self,
        beanstalk: WsgiApp,
        calls: CallLog | None = None,
        route53: Route53Factory | None = None,
        before_elb: Callable[[], None] | None = None,
        control: WsgiApp | None = None,
    ) -> None:
        self.beanstalk = beanstalk
        self.control = control  # `/_simulator/...` requests (simulator.control)
        self.moto: WsgiApp = DomainDispatcherApplication(create_backend_app)
        self.calls = calls or CallLog()
        self.route53 = route53(self.moto) if route53 else None
        self.before_elb = before_elb

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if self.control is not None and str(environ.get("PATH_INFO", "")).startswith(
            "/_simulator/"
        ):
            return self.control(environ, start_response)
        if is_beanstalk(environ):
            return self.beanstalk(environ, start_response)  # it logs the operation it parses
        call = _other_call(environ)
        self.calls.arrived(call)
        if self.route53 is not None and is_route53_change(environ):
            return self.route53(environ, start_response)
        if self.before_elb is not None and call.service == "elasticloadbalancing":
            self.before_elb()
        return self.moto(environ, start_response)


def _other_call(environ: dict[str, Any]) -> ApiRequest:
    match = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    method = str(environ.get("REQUEST_METHOD", "GET"))
    path = str(environ.get("PATH_INFO", ""))
    # JSON-protocol clients (SSM, newer CloudWatch) name the action in X-Amz-Target
    # ("AmazonSSM.GetParameter"): the call log can then tell a read from a change.
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    operation = target.rsplit(".", 1)[-1] if target else f"{method} {path}"
    return ApiRequest(match.group(2) if match else "unknown", operation, method)


class _QuietHandler(MotoRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """No access log: one line per AWS call would drown tests and `serve` output."""


class HttpServer(Background[BaseWSGIServer]):
    """A threaded werkzeug server on 127.0.0.1 in a daemon thread."""

    def __init__(self, app: WsgiApp, host: str = "127.0.0.1", port: int = 0) -> None:
        server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
        super().__init__(server, "simulator-endpoint")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"
