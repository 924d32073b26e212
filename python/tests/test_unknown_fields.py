"""Fields the API adds after this SDK was built: each of the 64 documented responses, with
one more field in every object, through every method of both clients. Every model keeps
the field and shows it (`extra`, `custom_fields` for contacts, `to_dict()`, `repr`), and
pickles and copies with it."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

import avochato
from conftest import Mock
from reference import ADDED, ADDED_VALUE, Documented, documented, models_in, with_added_field

DOCUMENTED = list(documented())


def test_the_reference_documents_64_operations_one_per_method() -> None:
    assert len(DOCUMENTED) == 64
    assert len({(d.resource, d.method) for d in DOCUMENTED}) == 64


def canned_path(mock: Mock, client: avochato.Client, d: Documented) -> str:
    """The path the SDK sends this call to (recorded by the mock from one real call)."""
    mock.control("POST", "/__mock/reset")
    try:
        getattr(getattr(client, d.resource), d.method)(**d.kwargs, max_retries=0)
    except avochato.AvochatoError as e:
        assert not isinstance(e, avochato.ValidationError), (d.title, e)
    recorded = mock.requests()
    assert recorded, d.title
    return str(recorded[-1]["path"]).split("?")[0]


def check_kept(d: Documented, result: Any) -> list[Any]:
    models = list(models_in(result))
    if isinstance(result, dict):  # an unknown event
        assert result[ADDED] == ADDED_VALUE
    assert models or isinstance(result, (list, avochato.Page)), (d.title, result)
    for m in models:
        name = type(m).__name__
        kept = m.custom_fields if isinstance(m, avochato.Contact) else m.extra
        assert kept.get(ADDED) == ADDED_VALUE, (d.title, name, kept)
        assert m.to_dict()[ADDED] == ADDED_VALUE, (d.title, name)
        assert f"{ADDED}=" in repr(m), (d.title, name)
        for again in (pickle.loads(pickle.dumps(m)), copy.copy(m), copy.deepcopy(m)):
            assert type(again) is type(m) and again == m and again is not m, (d.title, name)
    return models


@pytest.mark.parametrize("d", DOCUMENTED, ids=[f"{d.resource}.{d.method}" for d in DOCUMENTED])
async def test_every_documented_response_keeps_an_added_field(mock: Mock, d: Documented) -> None:
    client = avochato.Client(**mock.options())
    aclient = avochato.AsyncClient(**mock.options())
    path = canned_path(mock, client, d)
    body = with_added_field(d.response["body"])
    mock.control("POST", "/__mock/canned", {"method": d.http_method, "path": path, "body": body})

    blocking = getattr(getattr(client, d.resource), d.method)(**d.kwargs)
    awaited = await getattr(getattr(aclient, d.resource), d.method)(**d.kwargs)
    raw = getattr(getattr(client, d.resource).with_raw_response, d.method)(**d.kwargs)
    assert raw.json() == body
    parsed = raw.parse()
    for result in (blocking, awaited, parsed):
        check_kept(d, result)
    assert blocking == awaited == parsed or (isinstance(blocking, avochato.Page) and list(blocking) == list(awaited) == list(parsed))
    if isinstance(blocking, avochato.Page):
        for again in (pickle.loads(pickle.dumps(blocking)), copy.deepcopy(blocking)):
            assert list(again) == list(blocking) and again.to_dict() == blocking.to_dict()
