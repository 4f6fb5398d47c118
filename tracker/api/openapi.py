"""The OpenAPI 3.1 description, generated from the code: each API view declares its operation with
:func:`operation` (summary, query parameters, request and response schemas), the URL map gives the
paths and methods, the marshmallow schemas give the JSON (through apispec). Served as
``/api/openapi.json`` and as a page readable without JavaScript, ``/api/docs``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app, jsonify, render_template
from marshmallow import Schema

from tracker.access import public
from tracker.api.core import DEFAULT_LIMIT, MAX_LIMIT, bp
from tracker.api.problems import MEDIA_TYPE, TITLES
from tracker.api.schemas import ProblemSchema
from tracker.ids import MAX_ID

TAG_PATTERN = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
READ_ERRORS = (400, 401, 403, 404, 422, 429)
WRITE_ERRORS = (409, 415, 428)


@dataclass(frozen=True)
class Operation:
    summary: str
    response: type[Schema] | None = None
    paged: bool = False
    body: type[Schema] | None = None
    query: tuple[tuple[str, dict[str, Any], str], ...] = ()
    tag: str = "trajectories"
    status: int = 200
    extra: dict[str, Any] = field(default_factory=dict)


def operation(summary: str, **kwargs: Any) -> Callable[[Any], Any]:
    """Declare a view's operation for the description (put it above ``@rule``)."""

    def decorate(view: Any) -> Any:
        view.api_operation = Operation(summary, **kwargs)
        return view

    return decorate


def filter_param(name: str, description: str, schema: dict[str, Any] | None = None):
    return (name, schema or {"type": "string"}, description)


def enum_param(name: str, cls: Any, description: str):
    return filter_param(name, description, {"type": "string", "enum": [m.value for m in cls]})


PAGE_PARAMS = (
    filter_param(
        "after",
        "The id after which the page starts (the `next` link sets it)",
        {"type": "integer", "minimum": 0, "maximum": MAX_ID},
    ),
    filter_param(
        "limit",
        f"How many per page (default {DEFAULT_LIMIT})",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    ),
)


def _error(status: int) -> dict[str, Any]:
    return {"description": str(TITLES[status]), "content": {MEDIA_TYPE: {"schema": "Problem"}}}


def _response(op: Operation, spec: APISpec) -> dict[str, Any]:
    if op.response is None:
        return {"description": "HTML"}
    name = op.response.__name__.removesuffix("Schema")
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=op.response)
    ref = {"$ref": f"#/components/schemas/{name}"}
    schema: dict[str, Any] = ref
    if op.paged:
        schema = {
            "type": "object",
            "required": ["items", "next"],
            "properties": {"items": {"type": "array", "items": ref}, "next": {"type": ["string", "null"]}},
        }
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def _operation(method: str, rule: Any, op: Operation, spec: APISpec) -> dict[str, Any]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        }
        for name in TAG_PATTERN.findall(rule.rule)
    ]
    query = (*op.query, *PAGE_PARAMS) if op.paged else op.query
    params += [
        {"name": n, "in": "query", "required": False, "schema": s, "description": d} for n, s, d in query
    ]
    errors = READ_ERRORS + (WRITE_ERRORS if method != "get" else ())
    responses: dict[Any, Any] = {str(op.status): _response(op, spec)}
    responses.update({str(code): _error(code) for code in errors})
    responses["default"] = _error(500)
    result: dict[str, Any] = {
        "summary": op.summary,
        "operationId": rule.endpoint.removeprefix("api.") + ("" if method == "get" else f"_{method}"),
        "tags": [op.tag],
        "parameters": params,
        "responses": responses,
    }
    if method in ("patch", "put", "delete"):
        result["parameters"].append(
            {
                "name": "If-Match",
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
                "description": "The ETag of the record as you read it",
            }
        )
    if op.body is not None:
        result["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
    result.update(op.extra)
    return result


def build(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="BETER SAMEN tracker API",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Read the trajectories you are a member of; change what you may change "
            "in the web app. Every request carries a personal access token."
        },
    )
    spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Problem", schema=ProblemSchema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        op = getattr(app.view_functions[rule.endpoint], "api_operation", None)
        if op is None:
            continue
        methods = sorted(m.lower() for m in (rule.methods or ()) if m not in {"HEAD", "OPTIONS"})
        path = TAG_PATTERN.sub(r"{\1}", rule.rule)
        spec.path(path=path, operations={m: _operation(m, rule, op, spec) for m in methods})
    document = spec.to_dict()
    document["security"] = [{"token": []}]
    return document


@bp.route("/openapi.json")
@public
def description():
    return jsonify(build(current_app))


@bp.route("/docs")
@public
def docs():
    """Every operation, its parameters and answers, as a page (no script needed)."""
    return render_template("api/docs.html", spec=build(current_app))
