"""Models: attributes, to_dict, equality, repr, custom fields, events, pages."""

from __future__ import annotations

import avochato
from conftest import Mock, assert_no_secret


def test_model_attributes_dicts_equality_and_repr(client: avochato.Client, mock: Mock) -> None:
    c = client.contacts.upsert(phone="+14155550100", name="Ada", tags=["vip"], plan="gold", score=7)
    assert (c.name, c.tags, c.opted_out) == ("Ada", ["vip"], False)
    assert c.tag_details[0].name == "vip"
    assert c.custom_fields == {"plan": "gold", "score": 7}
    d = c.to_dict()
    assert d["plan"] == "gold" and d["tags"] == ["vip"] and d["id"] == c.id
    same = client.contacts.fetch(ids=c.id)[0]
    assert same == c and same is not c
    assert c != client.contacts.upsert(phone="+14155550100", name="Ada L.")
    assert repr(c).startswith("Contact(id=") and "plan='gold'" in repr(c)
    m = client.messages.send(phone="+14155550100", message="hi")
    assert m.from_ == "+15105551234" and "from" in m.to_dict()
    e = client.events.add_by_phone(phone="+14155550100", type="sale", revenue=2.5)
    assert (e.type, e.revenue) == ("sale", 2.5)
    assert_no_secret(c, m, e)


def test_pages_and_events_are_typed(client: avochato.Client, mock: Mock) -> None:
    m = client.messages.send(phone="+14155550100", message="hi")
    mock.control("POST", "/__mock/calls", {"phone": "+14155550100", "duration": 75})
    page = client.events.fetch(ids=m.ticket_id)
    assert isinstance(page, avochato.Page)
    assert {type(x) for x in page} >= {avochato.Message, avochato.CallEvent}
    call = next(x for x in page if isinstance(x, avochato.CallEvent))
    assert call.duration == 75
    assert page.to_dict()["items"][0]["element_type"] in {"Call", "SmsMessage"}
    assert len(page) == len(page.items) and page[0] == page.items[0] and page[-1] == page.items[-1]
    assert avochato.Page[avochato.Message] is avochato.Page
    assert repr(page).startswith("Page(")


def test_normalize_phone() -> None:
    assert avochato.normalize_phone("(415) 555-1234") == "+14155551234"
    assert avochato.normalize_phone("020 7946 0958", "GB") == "+442079460958"
    try:
        avochato.normalize_phone("1-800-FLOWERS")
    except avochato.ValidationError as e:
        assert e.param == "phone"
    else:
        raise AssertionError("letters are refused")
