"""The reference's 64 documented operations as calls: which method, with which arguments, and
its example answer (tests/fixtures/avochato-v1.json)."""

from __future__ import annotations

import copy
import inspect
import json
from typing import Any, Iterator, NamedTuple
from urllib.parse import unquote

import avochato
from conftest import ROOT

REFERENCE = json.loads((ROOT / "tests/fixtures/avochato-v1.json").read_text())
ADDED = "field_added_after_this_sdk"
ADDED_VALUE = {"since": "2031-01-01", "n": [1, 2.5, None, True]}


class Documented(NamedTuple):
    title: str
    resource: str
    method: str
    http_method: str
    kwargs: dict[str, Any]
    response: dict[str, Any]


def path_params(template: str, route: str) -> dict[str, Any]:
    """`/v1/accounts/:ids` against `/v1/accounts/a%2Cb`: {"ids": ["a", "b"]}."""
    out: dict[str, Any] = {}
    for name, value in zip(template.split("/"), route.split("?")[0].split(" ", 1)[1].split("/")):
        if name.startswith(":"):
            value = unquote(value)
            out[name[1:]] = value.split(",") if name == ":ids" else value
    return out


def documented() -> Iterator[Documented]:
    ops = {o["title"]: o for o in avochato.operations()}
    probe = avochato.Client(auth_id="id", auth_secret="secret-value", base_url="http://127.0.0.1:9")
    for doc in REFERENCE["operations"]:
        op = ops[doc["title"]]
        sig = inspect.signature(getattr(getattr(probe, op["resource"]), op["method"]))
        example = doc["example_request"]
        given = dict(example["query"] if doc["method"] == "GET" else example["body"] or {})
        given.update(path_params(doc["path"], example["route"]))
        kwargs: dict[str, Any] = {}
        for name, p in sig.parameters.items():
            wire = name.rstrip("_")
            if p.kind is not p.KEYWORD_ONLY or (p.default is not p.empty and wire not in ("id", "ids")):
                continue
            if wire not in given:
                continue
            value = given[wire]
            if wire in ("created_at", "scheduled_for") and isinstance(value, str):
                value = {"from": 1774979740, "to": 1777571799}
            kwargs[name] = value
        yield Documented(doc["title"], op["resource"], op["method"], doc["method"], kwargs, doc["example_response"])


def with_added_field(body: Any) -> Any:
    """The body with one more field in every object (as the API may add after this SDK)."""
    body = copy.deepcopy(body)

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            for x in list(v.values()):
                walk(x)
            v[ADDED] = ADDED_VALUE
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(body)
    return body


def models_in(value: Any) -> Iterator[Any]:
    """Every model in a result: the value, its items, and the models its fields hold."""
    if isinstance(value, (list, avochato.Page)):
        for v in value:
            yield from models_in(v)
    elif hasattr(value, "to_dict") and not isinstance(value, dict):
        yield value
        for name, attr in vars(type(value)).items():
            if type(attr).__name__ == "getset_descriptor" and not name.startswith("_"):
                inner = getattr(value, name)
                if isinstance(inner, list) or hasattr(inner, "to_dict"):
                    yield from models_in(inner)
