"""The clients' methods are the core's operation list, one to one."""

from __future__ import annotations

import json

import avochato
from conftest import ROOT

REFERENCE = json.loads((ROOT / "tests/fixtures/avochato-v1.json").read_text())


def test_operations_is_the_core_list_of_the_documented_operations() -> None:
    ops = avochato.operations()
    assert len(ops) == len(REFERENCE["operations"])
    assert {o["title"] for o in ops} == {o["title"] for o in REFERENCE["operations"]}
    for doc in REFERENCE["operations"]:
        op = next(o for o in ops if o["title"] == doc["title"])
        assert (op["http_method"], op["path"]) == (doc["method"], doc["path"])


def test_every_operation_is_a_method_of_both_clients() -> None:
    client = avochato.Client(auth_id="id", auth_secret="secret-value", base_url="http://127.0.0.1:9")
    aclient = avochato.AsyncClient(auth_id="id", auth_secret="secret-value", base_url="http://127.0.0.1:9")
    for op in avochato.operations():
        for c in (client, aclient):
            assert callable(getattr(getattr(c, op["resource"]), op["method"])), (c, op)


def test_no_public_resource_method_is_missing_from_the_list() -> None:
    ops = avochato.operations()
    resources = {o["resource"] for o in ops}
    for cls in (avochato.Client, avochato.AsyncClient):
        props = {n for n, v in vars(cls).items() if not n.startswith("_") and type(v).__name__ == "getset_descriptor"}
        assert props == resources, cls
    client = avochato.Client(auth_id="id", auth_secret="secret-value", base_url="http://127.0.0.1:9")
    aclient = avochato.AsyncClient(auth_id="id", auth_secret="secret-value", base_url="http://127.0.0.1:9")
    for resource in resources:
        listed = {o["method"] for o in ops if o["resource"] == resource}
        for c in (client, aclient):
            handle = getattr(c, resource)
            public = {n for n in dir(handle) if not n.startswith("_")} - {"iter", "with_raw_response"}
            assert public == listed, (resource, public ^ listed)
            raw = {n for n in dir(handle.with_raw_response) if not n.startswith("_")}
            assert raw == listed, (resource, raw ^ listed)
