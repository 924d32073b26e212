"""Runtime signatures and docstrings: `inspect.signature` and `help()` show every method's
real parameters, and each docstring describes every argument (generated from the core's
descriptions, as the stubs are)."""

from __future__ import annotations

import inspect
import pydoc

import pytest

import avochato
from reference import REFERENCE

OPTIONS = ["subdomain", "timeout", "max_retries", "extra_headers"]
CLIENT_OPTIONS = ["auth_id", "auth_secret", "base_url", "subdomain", "timeout", "max_retries", "max_retry_wait", "headers"]
# Documented parameters that are not arguments: sent as constants by their own method
# (`recursive`, `all`, a closing `status`, an emptied `user_id`, the `query` of uncancelled
# scheduled messages), or custom contact fields.
NOT_ARGUMENTS = {
    "Recursively remove a contact from a campaign": {"recursive"},
    "Remove all contacts from a campaign step": {"all"},
    "Close a Ticket": {"status"},
    "Auto Assign": {"user_id"},
    "Unassign": {"user_id"},
    "Update Single Contact": {"custom_variable_name"},
    "Search Scheduled Uncancelled Messages": {"query"},
}

blocking = avochato.Client(auth_id="id", auth_secret="secret-value", base_url="http://127.0.0.1:9")
asynchronous = avochato.AsyncClient(auth_id="id", auth_secret="secret-value", base_url="http://127.0.0.1:9")
OPS = {o["title"]: o for o in avochato.operations()}


def methods(op: dict[str, str]) -> list[object]:
    out = []
    for c in (blocking, asynchronous):
        resource = getattr(c, op["resource"])
        out += [getattr(resource, op["method"]), getattr(resource.with_raw_response, op["method"])]
    return out


def test_the_clients_show_their_options() -> None:
    for cls in (avochato.Client, avochato.AsyncClient):
        sig = inspect.signature(cls)
        assert list(sig.parameters) == CLIENT_OPTIONS
        assert all(p.kind is p.KEYWORD_ONLY and p.default is None for p in sig.parameters.values())
        text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
        assert "**options" not in text
        for name in CLIENT_OPTIONS:
            assert f"{name} (" in (cls.__doc__ or ""), name
    with pytest.raises(TypeError, match="unexpected keyword argument 'auth_secrets'"):
        avochato.Client(auth_secrets="x")  # type: ignore[call-arg]


@pytest.mark.parametrize("doc", REFERENCE["operations"], ids=[d["title"] for d in REFERENCE["operations"]])
def test_every_method_has_its_documented_parameters_and_their_descriptions(doc: dict[str, object]) -> None:
    op = OPS[str(doc["title"])]
    documented = {str(p["name"]).split("[")[0] for p in doc["params"]} - {"auth_id", "auth_secret"}  # type: ignore[attr-defined,index]
    documented -= NOT_ARGUMENTS.get(str(doc["title"]), set())
    for method in methods(op):
        sig = inspect.signature(method)  # type: ignore[arg-type]
        names = [n for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY]
        assert names[-4:] == OPTIONS, (op, names)
        assert {n.rstrip("_") for n in names} >= documented, (op, documented - set(names))
        assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in sig.parameters.values())
        if doc["title"] == "Update Single Contact":
            assert "custom_fields" in sig.parameters
    sig = inspect.signature(methods(op)[0])  # type: ignore[arg-type]
    text = getattr(methods(op)[0], "__doc__") or ""
    assert text.startswith(f"{doc['title']}: `{doc['method']} {doc['path']}`."), text[:200]
    args = text.split("Args:\n", 1)[1].split("\n\n", 1)[0]
    described = [line.split(" (", 1)[0].strip() for line in args.splitlines() if line.startswith("    ") and not line.startswith("     ")]
    assert described == [n if p.kind is p.KEYWORD_ONLY else f"**{n}" for n, p in sig.parameters.items()], (described, list(sig.parameters))
    assert all(len(line.split("): ", 1)[1]) > 3 for line in args.splitlines()), args
    assert "Returns:" in text and "Raises:" in text
    raw = getattr(methods(op)[1], "__doc__") or ""
    assert "RawResponse[" in raw and op["method"] in raw


def test_help_shows_the_parameters_and_their_descriptions() -> None:
    text = pydoc.render_doc(blocking.messages.send, renderer=pydoc.plaintext)
    assert "send(*, phone, message, from_=None" in text and "extra_headers=None)" in text
    assert "phone (str): Phone number to send to." in text
    assert "timeout (float, optional): Seconds allowed per attempt of this call" in text
    assert "(**kwargs)" not in text
    it = inspect.signature(blocking.contacts.iter)
    assert "query" in it.parameters and list(it.parameters)[-4:] == OPTIONS
    assert list(inspect.signature(blocking.verify).parameters) == OPTIONS
    assert list(inspect.signature(asynchronous.verify).parameters) == OPTIONS
    assert "Confirms the credential" in (blocking.verify.__doc__ or "")
    assert inspect.signature(asynchronous.messages.send) == inspect.signature(blocking.messages.send)
