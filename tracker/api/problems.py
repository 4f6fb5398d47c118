"""One JSON shape for every error of the API: RFC 9457 problem details
(``application/problem+json``), with titles and details in the user's language. The handlers are
registered on the API blueprint only; the web pages keep their HTML error pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, json
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from tracker.extensions import db

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: _l("Bad request"),
    401: _l("Not authenticated"),
    403: _l("Forbidden"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    412: _l("Precondition failed"),
    413: _l("Request too large"),
    415: _l("Unsupported media type"),
    422: _l("Invalid input"),
    428: _l("Precondition required"),
    429: _l("Too many requests"),
    500: _l("Internal server error"),
    503: _l("Service unavailable"),
}

DETAILS = {
    400: _l("The request could not be read."),
    401: _l("Send a valid personal access token: Authorization: Bearer <token>."),
    403: _l("You may not do this."),
    404: _l("There is nothing at this address, or you may not see it."),
    405: _l("This method is not allowed here."),
    413: _l("The request is too large."),
    415: _l("Send JSON (Content-Type: application/json)."),
    429: _l("Too many requests with this token; wait a moment."),
    500: _l("Something went wrong on our side; nothing was changed."),
    503: _l("The service cannot check its request limits right now; try again later."),
}


class Problem(Exception):
    """Raised by API views to answer with a problem document."""

    def __init__(
        self, status: int, detail: str | None = None, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers, self.extra = status, detail, headers or {}, extra


def problem(
    status: int, detail: str | None = None, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(TITLES.get(status, TITLES[500])),
        "status": status,
        "detail": detail if detail is not None else str(DETAILS.get(status, "")),
    }
    body.update(extra)
    response = current_app.response_class(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    response.headers.update(headers or {})
    return response


def register(bp: Blueprint) -> None:
    @bp.errorhandler(Problem)
    def on_problem(error: Problem):
        return problem(error.status, error.detail, error.headers, **error.extra)

    @bp.errorhandler(HTTPException)
    def on_http(error: HTTPException):
        status = error.code or 500
        response = problem(status)
        allowed = getattr(error, "valid_methods", None)
        if status == 405 and allowed:
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @bp.errorhandler(Exception)
    def on_error(error: Exception):
        db.session.rollback()
        current_app.logger.exception("api_error")
        return problem(500)
