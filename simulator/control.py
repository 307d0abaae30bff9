"""Control requests: what a test or an operator changes in a running simulator over HTTP, at
the AWS endpoint's `/_simulator/...` paths (no AWS service uses them).

    POST /_simulator/load   {"cname": "<cname>", "rps": 600}   the load on a CNAME
    POST /_simulator/load   {"environment": "<name>", "rps": 600}   on the CNAME it holds now
    GET  /_simulator/load   every CNAME's load and one instance's capacity

A bad request gets 400 and one line saying why; nothing changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from simulator.load import Load

PREFIX = "/_simulator/"
CnameOf = Callable[[str], str | None]  # a live environment's name -> the CNAME it holds


class ControlApp:
    """The WSGI app behind `/_simulator/`."""

    def __init__(self, load: Load, cname_of: CnameOf) -> None:
        self.load, self.cname_of = load, cname_of

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        try:
            status, body = self._answer(request)
        except ValueError as error:
            status, body = 400, {"error": str(error)}
        response = Response(json.dumps(body), status, content_type="application/json")
        return response(environ, start_response)

    def _answer(self, request: Request) -> tuple[int, dict[str, Any]]:
        if request.path != PREFIX + "load":
            return 404, {"error": f"no control request at {request.path}"}
        if request.method == "POST":
            cname, rps = self._load_request(request)
            self.load.set(cname, rps)
        elif request.method != "GET":
            return 405, {"error": "use GET or POST"}
        return 200, {"loads": self.load.loads(), "instance_rps": self.load.instance_rps}

    def _load_request(self, request: Request) -> tuple[str, float]:
        try:
            body = json.loads(request.get_data(as_text=True) or "{}")
        except json.JSONDecodeError as error:
            raise ValueError(f"the body is not JSON: {error}") from None
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        rps = body.get("rps")
        if isinstance(rps, bool) or not isinstance(rps, int | float) or rps < 0:
            raise ValueError("rps must be a number of requests per second, 0 or more")
        cname = body.get("cname")
        if cname is None and isinstance(body.get("environment"), str):
            cname = self.cname_of(body["environment"])
            if cname is None:
                raise ValueError(f"no live environment named {body['environment']!r}")
        if not isinstance(cname, str) or not cname:
            raise ValueError("name the CNAME (cname) or the environment (environment)")
        return cname, float(rps)
