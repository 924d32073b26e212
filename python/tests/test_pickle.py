"""Models and pages pickle and copy: `pickle`, `copy.copy`, `copy.deepcopy`, and a model
returned from a `multiprocessing` worker. (Every model class is also round-tripped with an
added field by test_unknown_fields.py.)"""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import avochato
from conftest import Mock


def test_models_and_pages_pickle_and_copy(client: avochato.Client, mock: Mock) -> None:
    contact = client.contacts.upsert(phone="+14155550100", name="Ada", tags=["vip"], plan="gold")
    message = client.messages.send(phone="+14155550100", message="hi", from_="+15105551234")
    page = client.events.fetch(ids=message.ticket_id)
    for value in (contact, message, client.verify(), *page):
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(value, protocol=protocol))
            assert type(again) is type(value) and again == value and again is not value
        assert copy.copy(value) == value and copy.deepcopy(value) == value
    back = pickle.loads(pickle.dumps(contact))
    assert back.custom_fields == {"plan": "gold"} and back.tag_details[0].name == "vip"
    assert pickle.loads(pickle.dumps(message)).from_ == "+15105551234"

    again = pickle.loads(pickle.dumps(page))
    assert isinstance(again, avochato.Page) and list(again) == list(page) and again.to_dict() == page.to_dict()
    shallow, deep = copy.copy(page), copy.deepcopy(page)
    assert list(shallow) == list(page) == list(deep)
    assert shallow.items is page.items, "a shallow copy shares the items"
    assert deep.items is not page.items and deep.items[0] is not page.items[0]
    # A pickle names the package's classes, not its internals' addresses.
    assert b"avochato" in pickle.dumps(message) and b"_restore_model" in pickle.dumps(message)


def test_a_model_comes_back_from_a_multiprocessing_worker(mock: Mock, tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import multiprocessing, os
        import avochato

        def send(text):
            with avochato.Client() as client:
                return client.messages.send(phone="+14155550101", message=text)

        if __name__ == "__main__":
            for method in ("spawn", "forkserver"):
                with multiprocessing.get_context(method).Pool(2) as pool:
                    got = pool.map(send, ["one", "two"])
                    echoed = pool.map(repr, got)  # and back to a worker
                assert [type(m).__name__ for m in got] == ["Message", "Message"], got
                assert [m.message.split()[0] for m in got] == ["one", "two"], got
                print(method, got[0].to == "+14155550101", echoed == [repr(m) for m in got])
        """
    )
    env = {"AVOCHATO_BASE_URL": mock.url, "AVOCHATO_AUTH_ID": mock.auth_id, "AVOCHATO_AUTH_SECRET": mock.auth_secret}
    path = tmp_path / "worker.py"
    path.write_text(script)
    done = subprocess.run([sys.executable, str(path)], env={**os.environ, **env}, capture_output=True, text=True, timeout=120, cwd="/")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["spawn", "True", "True", "forkserver", "True", "True"], done.stdout
