"""The README's Python section says what is true: its example runs against the mock, the
options and attributes it lists are the ones the package has, and every other claim it
makes names the test that exercises it (checked to exist)."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import avochato
from conftest import ROOT, Mock

SECTION = ROOT.joinpath("README.md").read_text().split("## Python quickstart", 1)[1].split("\n## ", 1)[0]
TESTS = Path(__file__).resolve().parent


def bullet(start: str) -> str:
    """The README bullet that starts with `start`, as one line."""
    for item in SECTION.split("\n* ")[1:]:
        text = " ".join(item.split())
        if text.startswith(start):
            return text
    raise AssertionError(f"no bullet starts with {start!r}")


def ticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def test_the_readme_example_runs(mock: Mock, tmp_path: Path) -> None:
    code = SECTION.split("```python\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "readme.py"
    script.write_text(code)
    env = {**os.environ, "AVOCHATO_BASE_URL": mock.url, "AVOCHATO_AUTH_ID": mock.auth_id, "AVOCHATO_AUTH_SECRET": mock.auth_secret}
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60, cwd="/")
    assert done.returncode == 0, done.stderr
    assert re.match(r"200 mock-\S+ application/json; charset=utf-8 Hello!", done.stdout), done.stdout
    sent = [r for r in mock.requests("POST", "/v1/messages")]
    assert sent[-1]["headers"].get("x-trace-id") == "readme-1"
    assert mock.requests("GET", "/v1/messages")[-1]["query"].get("subdomain") == "second-inbox"


def test_the_client_options_the_readme_lists_are_the_clients_options() -> None:
    text = bullet("`avochato.Client` blocks")
    listed = ticked(text.split("Both take", 1)[1].split("as keyword arguments", 1)[0])
    for cls in (avochato.Client, avochato.AsyncClient):
        assert listed == list(inspect.signature(cls).parameters)


def test_every_method_takes_the_per_call_options_the_readme_lists() -> None:
    text = bullet("Methods have the Rust names")
    listed = [t.rstrip("=") for t in ticked(text.split("also takes", 1)[1].split("(headers", 1)[0])]
    assert listed == ["subdomain", "timeout", "max_retries", "extra_headers"]
    for c in (avochato.Client(auth_id="i", auth_secret="secret-value", base_url="http://127.0.0.1:9"),
              avochato.AsyncClient(auth_id="i", auth_secret="secret-value", base_url="http://127.0.0.1:9")):
        methods = [c.verify]
        for op in avochato.operations():
            resource = getattr(c, op["resource"])
            methods += [getattr(resource, op["method"]), getattr(resource.with_raw_response, op["method"])]
            if hasattr(resource, "iter"):
                methods.append(resource.iter)
        for m in methods:
            kw = [n for n, p in inspect.signature(m).parameters.items() if p.kind is p.KEYWORD_ONLY]
            assert kw[-4:] == listed, m


def test_the_raw_response_has_what_the_readme_lists() -> None:
    text = bullet("`client.<resource>.with_raw_response")
    names = [t.rstrip("()") for t in ticked(text) if re.fullmatch(r"[a-z_]+(\(\))?", t)]
    assert names == ["status_code", "headers", "request_id", "attempts", "content", "text", "json", "parse"], names
    for name in names:
        assert hasattr(avochato.RawResponse, name), name


def test_logging_is_quiet_unless_asked_for(mock: Mock) -> None:
    script = "import avochato; avochato.Client().verify(); print('ok')"
    env = {**os.environ, "AVOCHATO_BASE_URL": mock.url, "AVOCHATO_AUTH_ID": mock.auth_id, "AVOCHATO_AUTH_SECRET": mock.auth_secret}
    env.pop("AVOCHATO_LOG", None)
    quiet = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd="/")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "ok\n", "")
    loud = subprocess.run([sys.executable, "-c", script], env={**env, "AVOCHATO_LOG": "debug"}, capture_output=True, text=True, timeout=60, cwd="/")
    assert loud.returncode == 0 and "avochato DEBUG] GET /v1/whoami (attempt 1)" in loud.stderr, loud.stderr
    assert mock.auth_secret not in loud.stderr


# The README's other claims, each with the tests that exercise it.
CLAIMS = {
    "releases the GIL while it waits": ["test_runtime.py::test_a_python_thread_runs_while_a_blocking_call_waits"],
    "Ctrl-C interrupts a call": ["test_lifecycle.py::test_ctrl_c_interrupts_a_blocking_call_within_a_fifth_of_a_second"],
    "nothing is sent until one is awaited": ["test_lifecycle.py::test_nothing_is_sent_until_awaited_and_python_warns_about_a_call_never_awaited"],
    "cancelling it cancels the request": ["test_lifecycle.py::test_cancelling_the_awaiting_task_cancels_the_request"],
    "default from the `AVOCHATO_*` variables": ["test_errors.py::test_options_default_from_the_environment"],
    "are context managers": ["test_operations.py::test_every_operation_async", "test_operations.py::test_the_blocking_client_works_outside_any_event_loop"],
    "Methods have the Rust names": ["test_parity.py::test_no_public_resource_method_is_missing_from_the_list"],
    "`from_` for `from`": ["test_operations.py::test_every_operation_blocking"],
    "checked before sending": ["test_call_options.py::test_extra_headers_are_checked_before_anything_is_sent"],
    "replacing the client's `headers` of the same name": ["test_call_options.py::test_every_method_takes_the_four_per_call_options"],
    "Times accept `datetime` or Unix seconds": ["test_operations.py::test_every_operation_blocking"],
    "show each method's parameters": ["test_signatures.py::test_help_shows_the_parameters_and_their_descriptions"],
    "describes every argument": ["test_signatures.py::test_every_method_has_its_documented_parameters_and_their_descriptions"],
    "decoded on first use": ["test_raw_response.py::test_the_raw_response_of_a_call"],
    "`DecodeError` if the body is not the documented shape": ["test_raw_response.py::test_failures_are_raised_as_for_any_call"],
    "An answer that is not a success is raised as usual": ["test_raw_response.py::test_failures_are_raised_as_for_any_call"],
    "`to_dict()`, equality and a `repr`": ["test_models.py::test_model_attributes_dicts_equality_and_repr"],
    "by their `element_type`": ["test_models.py::test_pages_and_events_are_typed"],
    "Fields the API adds after this SDK was built are kept in `extra`": ["test_unknown_fields.py::test_every_documented_response_keeps_an_added_field"],
    "Models and pages pickle and copy": ["test_pickle.py::test_models_and_pages_pickle_and_copy"],
    "a `multiprocessing` worker's return value": ["test_pickle.py::test_a_model_comes_back_from_a_multiprocessing_worker"],
    "`mypy --strict` checks": ["test_typing.py::test_mypy_strict_passes_on_the_examples", "test_typing.py::test_stubtest_finds_the_stubs_equal_to_the_native_module"],
    "Works in a child after `os.fork()`": ["test_runtime.py::test_a_forked_child_gets_a_working_client", "test_runtime.py::test_a_forked_child_can_use_the_async_client"],
    "never with the secret": ["test_runtime.py::test_requests_and_retries_are_logged_without_the_secret"],
    "nothing is printed unless logging is configured": ["test_readme.py::test_logging_is_quiet_unless_asked_for"],
    "`manylinux2014` (glibc 2.17 or newer)": ["test_wheel.py::test_the_wheel_installs_into_a_fresh_venv_and_runs_the_quickstart", "test_wheel.py::test_every_platform_wheel_is_what_its_tag_says"],
    "`musllinux_1_2` (Alpine)": ["test_wheel.py::test_every_platform_wheel_is_what_its_tag_says"],
    "checks each against auditwheel's policies": ["test_wheel.py::test_every_platform_wheel_is_what_its_tag_says"],
}


@pytest.mark.parametrize("claim", sorted(CLAIMS))
def test_every_claim_of_the_readme_has_a_test(claim: str) -> None:
    assert claim in " ".join(SECTION.split()), f"the README no longer says {claim!r}: update CLAIMS"
    for node in CLAIMS[claim]:
        module, name = node.split("::")
        assert re.search(rf"^(async )?def {name}\(", (TESTS / module).read_text(), re.M), node
