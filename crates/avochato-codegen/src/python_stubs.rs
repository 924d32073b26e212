//! `python/avochato/_avochato.pyi`, written from the operation list and the type
//! descriptions: the stubs of the native module, for mypy and IDEs.

use std::collections::BTreeSet;
use std::fmt::Write;

use avochato::describe::{FieldInfo, TypeInfo, TypeRef};
use avochato::{OperationSpec, Shape};

/// Python keywords used as field names: `from` is passed and read as `from_`.
const KEYWORDS: &[&str] = &[
    "from", "in", "is", "class", "global", "import", "lambda", "not", "or", "and", "as", "def",
    "del", "pass",
];

fn py_name(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// A described type as a Python type: `output` for what the SDK returns, else what it
/// accepts.
fn py_type(ty: &TypeRef, output: bool) -> String {
    match ty {
        TypeRef::Text => "str".into(),
        TypeRef::Integer { .. } => "int".into(),
        TypeRef::Number => "float".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Time if output => "float".into(),
        TypeRef::Time => "float | datetime".into(),
        TypeRef::TimeRange => "TimeRange".into(),
        TypeRef::Ids | TypeRef::CsvList => "str | Sequence[str]".into(),
        TypeRef::Any => "Any".into(),
        TypeRef::Map(_) => "dict[str, Any]".into(),
        TypeRef::List(inner) if output => format!("list[{}]", py_type(inner, output)),
        TypeRef::List(inner) => format!("Sequence[{}]", py_type(inner, output)),
        TypeRef::Enum(info) => format!(
            "Literal[{}]",
            info.variants
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TypeRef::Model(info) if !output && info.name == "ContactInput" => {
            "ContactInput | Mapping[str, object]".into()
        }
        TypeRef::Model(info) => info.name.to_string(),
    }
}

/// The page class's metadata properties: the core's page fields (`Page::FIELDS`).
fn page_properties() -> String {
    let mut out = String::new();
    for (name, ty, _) in avochato::Page::<()>::FIELDS {
        let _ = writeln!(
            out,
            "    @property\n    def {name}(self) -> {} | None: ...",
            py_type(ty, true)
        );
    }
    out
}

/// A field's Python type (`| None` where the field may be absent).
fn field_type(f: &FieldInfo, output: bool) -> String {
    let t = py_type(&f.ty, output);
    if f.required || f.flatten {
        t
    } else {
        format!("{t} | None")
    }
}

fn docline(out: &mut String, indent: &str, doc: &str) {
    if !doc.is_empty() {
        let _ = writeln!(
            out,
            "{indent}\"\"\"{}\"\"\"",
            doc.replace('\\', "\\\\").replace("\"\"\"", "'''")
        );
    }
}

fn model_class(out: &mut String, t: &TypeInfo) {
    let _ = writeln!(out, "@final\nclass {}:", t.name);
    docline(out, "    ", t.doc);
    for f in t.fields {
        let ty = field_type(f, true);
        let _ = writeln!(
            out,
            "    @property\n    def {}(self) -> {ty}:",
            py_name(f.name)
        );
        if !f.doc.is_empty() {
            docline(out, "        ", f.doc);
        } else {
            let _ = writeln!(out, "        ...");
        }
    }
    let _ = writeln!(
        out,
        "    def to_dict(self) -> dict[str, Any]:\n        \"\"\"The object as plain Python values, with the API's field names; fields the SDK does not list are included as they came.\"\"\""
    );
    let _ = writeln!(out, "    def __eq__(self, other: object, /) -> bool: ...");
    let _ = writeln!(
        out,
        "    def __reduce__(self) -> tuple[Any, tuple[str, bytes]]: ...\n    def __copy__(self) -> {0}: ...\n    def __deepcopy__(self, memo: Any, /) -> {0}: ...",
        t.name
    );
    let _ = writeln!(
        out,
        "    __hash__: ClassVar[None]  # type: ignore[assignment]\n"
    );
}

/// A TypedDict that runs on Python 3.9: the functional form (with string types) when a key
/// is a Python keyword (`from`), else classes, required keys in a base class.
fn typed_dict(out: &mut String, t: &TypeInfo) {
    let ty = |f: &FieldInfo| py_type(&f.ty, false);
    let required: Vec<&FieldInfo> = t
        .fields
        .iter()
        .filter(|f| f.required && !f.flatten)
        .collect();
    let optional: Vec<&FieldInfo> = t
        .fields
        .iter()
        .filter(|f| !f.required && !f.flatten)
        .collect();
    if t.fields.iter().any(|f| KEYWORDS.contains(&f.name)) && required.is_empty() {
        let fields: Vec<String> = optional
            .iter()
            .map(|f| format!("{:?}: {:?}", f.name, ty(f)))
            .collect();
        let _ = writeln!(
            out,
            "{} = TypedDict({:?}, {{{}}}, total=False)",
            t.name,
            t.name,
            fields.join(", ")
        );
        docline(out, "", t.doc);
        out.push('\n');
        return;
    }
    let mut base = "TypedDict".to_string();
    if !required.is_empty() && !optional.is_empty() {
        let _ = writeln!(out, "class _{}Required(TypedDict):", t.name);
        for f in &required {
            let _ = writeln!(out, "    {}: {}", f.name, ty(f));
        }
        out.push_str("\n\n");
        base = format!("_{}Required", t.name);
    }
    let total = if optional.is_empty() {
        ""
    } else {
        ", total=False"
    };
    let _ = writeln!(out, "class {}({base}{total}):", t.name);
    docline(out, "    ", t.doc);
    let own = if optional.is_empty() {
        &required
    } else {
        &optional
    };
    for f in own {
        let _ = writeln!(out, "    {}: {}", f.name, ty(f));
    }
    out.push_str("\n\n");
}

const TYPES_HEADER: &str = r#"# Generated by `cargo run -p avochato-codegen -- python-stubs` from the core's type
# descriptions. Do not edit: `make test` checks that it is current.
"""Plain-Python types of the API: dicts passed as parameters, the operation list, events."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Mapping, Sequence, TypedDict, Union

from ._avochato import CallEvent, CustomEvent, Message, OwnerChange, ScheduledMessage, StatusChange

__all__ = ["ContactInput", "Event", "FieldMatch", "Operation", "TimeRange"]


class Operation(TypedDict):
    """One operation of the API, as ``operations()`` lists it."""

    resource: str
    method: str
    js_method: str
    http_method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    title: str
    paginated: bool


Event = Union[CustomEvent, StatusChange, OwnerChange, CallEvent, Message, ScheduledMessage, "dict[str, Any]"]
"""An entry of a conversation's event stream, by its element_type (unknown ones: a dict)."""


"#;

/// `python/avochato/_types.py`: the plain-Python types, importable at runtime.
pub fn render_types() -> String {
    let mut out = String::from(TYPES_HEADER);
    // `TypeRef::TimeRange`: a window of two optional times.
    out.push_str(
        "TimeRange = TypedDict(\"TimeRange\", {\"from\": \"float | datetime\", \"to\": \"float | datetime\"}, total=False)\n\"\"\"A time window, sent as `name[from]` / `name[to]` (`created_at[from]=...`).\"\"\"\n\n",
    );
    for t in avochato::params::INPUTS {
        if t.variants.is_empty() {
            typed_dict(&mut out, t);
        }
    }
    let trimmed = out.trim_end().to_string();
    trimmed + "\n"
}

fn output_type(op: &OperationSpec) -> String {
    let item = py_type(&op.item, true);
    match op.shape {
        Shape::One => item,
        // `builtins.list`: resource classes have a method named `list`.
        Shape::List => format!("builtins.list[{item}]"),
        Shape::Page => format!("Page[{item}]"),
    }
}

/// The keyword parameters of an operation, then the per-call options.
fn kwargs(op: &OperationSpec) -> String {
    let info = op.params_info();
    let mut parts: Vec<String> = Vec::new();
    let mut required: Vec<&FieldInfo> = info
        .fields
        .iter()
        .filter(|f| f.required && !f.flatten)
        .collect();
    let optional: Vec<&FieldInfo> = info
        .fields
        .iter()
        .filter(|f| !f.required && !f.flatten)
        .collect();
    required.sort_by_key(|f| info.fields.iter().position(|g| g.name == f.name));
    for f in required {
        parts.push(format!("{}: {}", py_name(f.name), py_type(&f.ty, false)));
    }
    for f in optional {
        parts.push(format!(
            "{}: {} | None = None",
            py_name(f.name),
            py_type(&f.ty, false)
        ));
    }
    parts.push("subdomain: str | None = None".into());
    parts.push("timeout: float | None = None".into());
    parts.push("max_retries: int | None = None".into());
    parts.push("extra_headers: Mapping[str, str] | None = None".into());
    let mut s = format!("self, *, {}", parts.join(", "));
    if info.fields.iter().any(|f| f.flatten) {
        s.push_str(", **custom_fields: Any");
    }
    s
}

/// The per-call options every method takes, with what they do.
pub const CALL_OPTIONS: &[(&str, &str, &str)] = &[
    (
        "subdomain",
        "str",
        "This call's inbox (default: the client's `subdomain`, else the credential's inbox).",
    ),
    (
        "timeout",
        "float",
        "Seconds allowed per attempt of this call (default: the client's `timeout`).",
    ),
    (
        "max_retries",
        "int",
        "How many times this call may be resent (default: the client's `max_retries`).",
    ),
    (
        "extra_headers",
        "Mapping[str, str]",
        "Headers added to this call's requests, replacing the client's `headers` of the same name.",
    ),
];

/// An operation's parameters as a text signature (what `inspect.signature` reads):
/// `send($self, /, *, phone, message, from_=None, ..., extra_headers=None)`.
pub fn text_signature(name: &str, params: &TypeInfo) -> String {
    let mut parts: Vec<String> = vec!["$self".into(), "/".into(), "*".into()];
    for f in params.fields.iter().filter(|f| f.required && !f.flatten) {
        parts.push(py_name(f.name));
    }
    for f in params.fields.iter().filter(|f| !f.required && !f.flatten) {
        parts.push(format!("{}=None", py_name(f.name)));
    }
    for (o, _, _) in CALL_OPTIONS {
        parts.push(format!("{o}=None"));
    }
    if params.fields.iter().any(|f| f.flatten) {
        parts.push("**custom_fields".into());
    }
    format!("{name}({})", parts.join(", "))
}

/// The `Args:` section of a method's docstring: each parameter with its description from
/// the core's descriptions, then the per-call options.
fn args_section(params: &TypeInfo) -> String {
    let mut out = String::from("Args:\n");
    let mut arg = |name: &str, ty: &str, doc: &str| {
        let doc = if doc.is_empty() {
            "See the API reference."
        } else {
            doc
        };
        let _ = writeln!(out, "    {name} ({ty}): {}", one_line(doc));
    };
    for f in params.fields.iter().filter(|f| f.required && !f.flatten) {
        arg(&py_name(f.name), &py_type(&f.ty, false), f.doc);
    }
    for f in params.fields.iter().filter(|f| !f.required && !f.flatten) {
        arg(
            &py_name(f.name),
            &format!("{}, optional", py_type(&f.ty, false)),
            f.doc,
        );
    }
    for (name, ty, doc) in CALL_OPTIONS {
        arg(name, &format!("{ty}, optional"), doc);
    }
    if let Some(f) = params.fields.iter().find(|f| f.flatten) {
        arg("**custom_fields", "Any", f.doc);
    }
    out
}

fn one_line(doc: &str) -> String {
    doc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What an operation returns, in words for its docstring.
fn returns_words(op: &OperationSpec) -> String {
    let item = py_type(&op.item, true);
    match op.shape {
        Shape::One => item,
        Shape::List => format!("list[{item}]"),
        Shape::Page => format!("Page[{item}]"),
    }
}

/// An operation method's docstring (without its signature): title, route, what the
/// parameter type says, every argument, what it returns and raises. The same text for the
/// blocking and the asyncio client (one copy in the module).
pub fn method_doc(op: &OperationSpec) -> String {
    let params = op.params_info();
    let mut out = format!(
        "{}: `{} {}`.\n\n",
        op.title,
        op.http_method.as_str(),
        op.path
    );
    let about = one_line(params.doc);
    if !about.is_empty() && about != op.title {
        let _ = write!(out, "{about}\n\n");
    }
    out.push_str(&args_section(params));
    let more = if op.shape == Shape::Page {
        " One page; `iter()` walks them all where the resource has it."
    } else {
        ""
    };
    let _ = write!(
        out,
        "\nReturns:\n    {} (awaited, with AsyncClient).{more} `with_raw_response.{}(...)` gives the raw answer instead.\n",
        returns_words(op),
        op.name
    );
    out.push_str(
        "\nRaises:\n    ValidationError: bad parameters, before anything is sent.\n    AvochatoError: a subclass per failure, with status, request_id and errors.",
    );
    out
}

/// The docstring of `iter`: every item of every page of the resource's list operation.
pub fn iter_doc(op: &OperationSpec) -> String {
    let mut out = format!(
        "Every item of every page of `{}.{}` (`{} {}`), fetched a page at a time.\n\n",
        op.resource,
        op.name,
        op.http_method.as_str(),
        op.path
    );
    out.push_str(&args_section(op.params_info()));
    let _ = write!(
        out,
        "\nReturns:\n    An iterator of {} (`for`; `async for` with AsyncClient).",
        py_type(&op.item, true)
    );
    out
}

/// The docstring of a method of `with_raw_response`.
pub fn raw_method_doc(op: &OperationSpec) -> String {
    format!(
        "{}: `{} {}`, answered with the raw response.\n\nTakes the arguments of `{}.{}` (see its docstring).\n\nReturns:\n    RawResponse[{}] (awaited, with AsyncClient): `status_code`, `headers`, `request_id`, `attempts`, `content`, `text`, `json()`, and `parse()` for the {}. An answer that is not a success is raised as for `{}.{}`.",
        op.title,
        op.http_method.as_str(),
        op.path,
        op.resource,
        op.name,
        returns_words(op),
        returns_words(op),
        op.resource,
        op.name,
    )
}

/// The clients' options, in the order of their signature.
pub const CLIENT_OPTIONS: &[(&str, &str, &str)] = &[
    (
        "auth_id",
        "str | None",
        "The credential's id (default: AVOCHATO_AUTH_ID).",
    ),
    (
        "auth_secret",
        "str | None",
        "The credential's secret (default: AVOCHATO_AUTH_SECRET); never printed.",
    ),
    (
        "base_url",
        "str | None",
        "The API's address (default: AVOCHATO_BASE_URL, else https://www.avochato.com); plain http only for loopback hosts.",
    ),
    (
        "subdomain",
        "str | None",
        "The inbox calls are scoped to (default: AVOCHATO_SUBDOMAIN, else the credential's inbox).",
    ),
    (
        "timeout",
        "float | None",
        "Seconds allowed per attempt (default 30).",
    ),
    (
        "max_retries",
        "int | None",
        "How many times a call may be resent (default 2, at most 100).",
    ),
    (
        "max_retry_wait",
        "float | None",
        "The longest Retry-After waited for, in seconds (default 60); a longer one is raised as RateLimitError.",
    ),
    (
        "headers",
        "Mapping[str, str] | None",
        "Headers added to every request (for a proxy of yours).",
    ),
];

/// The client classes' docstring: what they are and their options.
pub fn client_doc(asynchronous: bool) -> String {
    let what = if asynchronous {
        "The Avochato client for asyncio: every method returns a coroutine (nothing is sent until it is awaited; cancelling it cancels the request)."
    } else {
        "The Avochato client, blocking (the GIL is released while it waits; Ctrl-C interrupts a call)."
    };
    let mut out = format!("{what}\n\nArgs:\n");
    for (name, ty, doc) in CLIENT_OPTIONS {
        let ty = ty.trim_end_matches(" | None");
        let _ = writeln!(out, "    {name} ({ty}, optional): {doc}");
    }
    out.push_str(
        "\nEvery operation is a method of a resource (`client.messages.send(...)`) taking keyword arguments named as in the API (`from_` for `from`) and the per-call options `subdomain`, `timeout`, `max_retries` and `extra_headers`.",
    );
    out
}

/// `verify`'s text signature.
pub const VERIFY_SIGNATURE: &str =
    "verify($self, /, *, subdomain=None, timeout=None, max_retries=None, extra_headers=None)";

/// `verify`'s docstring.
pub fn verify_doc() -> String {
    let mut out = String::from(
        "Confirms the credential (`GET /v1/whoami`, as `accounts.whoami`): its inbox and user.\n\n",
    );
    out.push_str(&args_section(
        <avochato::params::WhoamiAccountsParams as avochato::describe::Describe>::INFO,
    ));
    out.push_str("\nReturns:\n    Whoami (awaited, with AsyncClient).");
    out
}

/// `bindings/python/src/docs.rs`: the docstrings of the native module's methods, each
/// starting with its text signature, as macros the binding's expansion uses
/// (`method_doc!(messages send)`).
pub fn render_docs() -> String {
    let mut out = String::from(
        "// Generated by `cargo run -p avochato-codegen` from the operation list and the core's\n\
         // type descriptions. Do not edit: `make test` checks that it is current.\n\
         //! The docstrings of the native module's methods. Each starts with the method's text\n\
         //! signature (`send($self, /, *, phone, message, ...)` then `--`), which Python reads\n\
         //! for `inspect.signature` and `help()`.\n\n",
    );
    let lit = |s: &str| format!("{s:?}");
    let ops = avochato::operations();
    // One arm per operation: `(resource name) => { "signature\n--\n\ndoc" };`.
    let arms = |out: &mut String, doc: fn(&OperationSpec) -> String| {
        for op in ops {
            let text = format!(
                "{}\n--\n\n{}",
                text_signature(op.name, op.params_info()),
                doc(op)
            );
            let _ = writeln!(
                out,
                "    ({} {}) => {{ {} }};",
                op.resource,
                op.name,
                lit(&text)
            );
        }
    };
    out.push_str("macro_rules! method_doc {\n");
    arms(&mut out, method_doc);
    let mut seen = BTreeSet::new();
    for op in ops {
        if seen.insert(op.resource)
            && let Some(it) = iter_op(op.resource)
        {
            let text = format!(
                "{}\n--\n\n{}",
                text_signature("iter", it.params_info()),
                iter_doc(it)
            );
            let _ = writeln!(out, "    ({} iter) => {{ {} }};", op.resource, lit(&text));
        }
    }
    out.push_str("}\n\nmacro_rules! raw_method_doc {\n");
    arms(&mut out, raw_method_doc);
    out.push_str("}\n\nmacro_rules! client_doc {\n");
    let _ = writeln!(out, "    (sync) => {{ {} }};", lit(&client_doc(false)));
    let _ = writeln!(out, "    (async) => {{ {} }};", lit(&client_doc(true)));
    out.push_str("}\n\nmacro_rules! verify_doc {\n");
    let _ = writeln!(
        out,
        "    () => {{ {} }};",
        lit(&format!("{VERIFY_SIGNATURE}\n--\n\n{}", verify_doc()))
    );
    out.push_str("}\n");
    out
}

/// A docstring in a stub, at `indent`.
fn stub_doc(out: &mut String, indent: &str, doc: &str) {
    let doc = doc.replace('\\', "\\\\").replace("\"\"\"", "'''");
    let mut lines = doc.lines();
    let first = lines.next().unwrap_or("");
    let _ = write!(out, "{indent}\"\"\"{first}");
    let rest: Vec<&str> = lines.collect();
    if rest.is_empty() {
        out.push_str("\"\"\"\n");
        return;
    }
    out.push('\n');
    for l in rest {
        if l.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{l}");
        }
    }
    let _ = writeln!(out, "{indent}\"\"\"");
}

fn resource_class(
    out: &mut String,
    name: &str,
    ops: &[&OperationSpec],
    iter: Option<&OperationSpec>,
    asynchronous: bool,
) {
    let prefix = if asynchronous { "Async" } else { "" };
    let class = format!("{prefix}{name}");
    let resource = ops.first().map(|o| o.resource).unwrap_or("");
    let kind = if asynchronous {
        "coroutines"
    } else {
        "blocking"
    };
    let wrap = |ret: String| {
        if asynchronous {
            format!("Coroutine[Any, Any, {ret}]")
        } else {
            ret
        }
    };
    let _ = writeln!(out, "@final\nclass {class}:");
    let _ = writeln!(out, "    \"\"\"The `{resource}` operations ({kind}).\"\"\"");
    for op in ops {
        let ret = wrap(output_type(op));
        let _ = writeln!(out, "    def {}({}) -> {ret}:", op.name, kwargs(op));
        stub_doc(out, "        ", &method_doc(op));
    }
    if let Some(op) = iter {
        let it = if asynchronous {
            "AsyncPageIterator"
        } else {
            "PageIterator"
        };
        let _ = writeln!(
            out,
            "    def iter({}) -> {it}[{}]:",
            kwargs(op),
            py_type(&op.item, true)
        );
        stub_doc(out, "        ", &iter_doc(op));
    }
    let _ = writeln!(
        out,
        "    @property\n    def with_raw_response(self) -> {class}WithRawResponse:\n        \"\"\"The same operations, answered with the raw response (`RawResponse`).\"\"\"\n"
    );
    let _ = writeln!(out, "@final\nclass {class}WithRawResponse:");
    let _ = writeln!(
        out,
        "    \"\"\"The `{resource}` operations ({kind}), each answered with a `RawResponse`.\"\"\""
    );
    for op in ops {
        let ret = wrap(format!("RawResponse[{}]", output_type(op)));
        let _ = writeln!(out, "    def {}({}) -> {ret}:", op.name, kwargs(op));
        stub_doc(out, "        ", &raw_method_doc(op));
    }
    out.push('\n');
}

fn client_class(out: &mut String, resources: &[(String, String)], asynchronous: bool) {
    let class = if asynchronous {
        "AsyncClient"
    } else {
        "Client"
    };
    let _ = writeln!(out, "@final\nclass {class}:");
    stub_doc(out, "    ", &client_doc(asynchronous));
    let options: Vec<String> = CLIENT_OPTIONS
        .iter()
        .map(|(name, ty, _)| format!("{name}: {ty} = None"))
        .collect();
    let _ = writeln!(
        out,
        "    def __new__(cls, *, {}) -> {class}: ...",
        options.join(", ")
    );
    for (res, name) in resources {
        let rc = if asynchronous {
            format!("Async{name}")
        } else {
            name.clone()
        };
        let _ = writeln!(out, "    @property\n    def {res}(self) -> {rc}: ...");
    }
    let verify_args = "self, *, subdomain: str | None = None, timeout: float | None = None, max_retries: int | None = None, extra_headers: Mapping[str, str] | None = None";
    if asynchronous {
        let _ = writeln!(
            out,
            "    def verify({verify_args}) -> Coroutine[Any, Any, Whoami]:"
        );
        stub_doc(out, "        ", &verify_doc());
        let _ = writeln!(
            out,
            "    def with_subdomain(self, subdomain: str) -> AsyncClient:\n        \"\"\"The same client scoped to inbox `subdomain`, sharing its connections.\"\"\""
        );
        let _ = writeln!(
            out,
            "    def close(self) -> Coroutine[Any, Any, None]:\n        \"\"\"Closes the connections; the client cannot be used afterwards.\"\"\""
        );
        let _ = writeln!(
            out,
            "    def __aenter__(self) -> Coroutine[Any, Any, AsyncClient]: ..."
        );
        let _ = writeln!(
            out,
            "    def __aexit__(self, *_args: object) -> Coroutine[Any, Any, bool]: ..."
        );
    } else {
        let _ = writeln!(out, "    def verify({verify_args}) -> Whoami:");
        stub_doc(out, "        ", &verify_doc());
        let _ = writeln!(
            out,
            "    def with_subdomain(self, subdomain: str) -> Client:\n        \"\"\"The same client scoped to inbox `subdomain`, sharing its connections.\"\"\""
        );
        let _ = writeln!(
            out,
            "    def close(self) -> None:\n        \"\"\"Closes the connections; the client cannot be used afterwards.\"\"\""
        );
        let _ = writeln!(out, "    def __enter__(self) -> Client: ...");
        let _ = writeln!(out, "    def __exit__(self, *_args: object) -> bool: ...");
    }
    out.push('\n');
}

const HEADER: &str = r#"# Generated by `cargo run -p avochato-codegen -- python-stubs` from the operation list and
# the core's type descriptions. Do not edit: `make test` checks that it is current.
"""The native module of the avochato package (see ``avochato``)."""

import builtins
from datetime import datetime
from typing import Any, ClassVar, Coroutine, Generic, Iterator, Literal, Mapping, Sequence, TypeVar, Union, final

from ._types import ContactInput as ContactInput
from ._types import Event as Event
from ._types import FieldMatch as FieldMatch
from ._types import Operation as Operation
from ._types import TimeRange as TimeRange

__version__: str

_T = TypeVar("_T")

def operations() -> list[Operation]:
    """Every operation: resource, method name, HTTP method, path, documented title."""

def normalize_phone(phone: str, default_country: str = "US") -> str:
    """A phone number in E.164 (``(415) 555-1234`` -> ``+14155551234``)."""

def _register_errors(classes: dict[str, Any]) -> None: ...
def _restore_model(name: str, data: bytes) -> Any: ...
def _restore_page(items: list[Any], meta: dict[str, Any]) -> Page[Any]: ...
def _shutdown() -> None: ...
def _panic_for_tests(where_: str) -> Any: ...

@final
class _Waker:
    pid: int
    def __new__(cls) -> _Waker: ...
    def fileno(self) -> int: ...
    def drain(self) -> None: ...

@final
class _PendingCall:
    def start(self, waker: _Waker, future: Any) -> None: ...
    def cancel(self) -> None: ...

@final
class Page(Generic[_T]):
    """One page of a list: ``items`` and what the API said about it."""
    @property
    def items(self) -> list[_T]: ...
@PAGE_FIELDS@    def __len__(self) -> int: ...
    def __getitem__(self, index: int, /) -> _T: ...
    def __class_getitem__(cls, item: Any) -> Any: ...
    def __iter__(self) -> Iterator[_T]: ...
    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class RawResponse(Generic[_T]):
    """A call's answer as it came (from ``resource.with_raw_response.method(...)``)."""
    @property
    def status_code(self) -> int:
        """The HTTP status (a success: other answers are raised as errors)."""
    @property
    def headers(self) -> dict[str, str]:
        """The response headers, names in lower case (repeated headers joined by ``, ``)."""
    @property
    def request_id(self) -> str | None:
        """The ``X-Request-Id`` header."""
    @property
    def attempts(self) -> int:
        """How many times the request was sent (resends included)."""
    @property
    def operation(self) -> str:
        """The operation (``messages.send``)."""
    @property
    def content(self) -> bytes:
        """The body, as it came."""
    @property
    def text(self) -> str:
        """The body as text (UTF-8)."""
    def json(self) -> Any:
        """The body parsed as JSON, into plain Python values."""
    def parse(self) -> _T:
        """The body decoded as the operation's result (what the call returns without ``with_raw_response``); raises ``DecodeError`` if it is not the documented shape."""
    def __class_getitem__(cls, item: Any) -> Any: ...

@final
class PageIterator(Generic[_T]):
    """Every item of every page (blocking)."""
    def __iter__(self) -> PageIterator[_T]: ...
    def __next__(self) -> _T: ...

@final
class AsyncPageIterator(Generic[_T]):
    """Every item of every page, for ``async for``."""
    def __aiter__(self) -> AsyncPageIterator[_T]: ...
    def __anext__(self) -> Coroutine[Any, Any, _T]: ...

"#;

/// The module's `__all__`, in the order the module adds its names.
fn all_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "__version__",
        "operations",
        "normalize_phone",
        "_register_errors",
        "_panic_for_tests",
        "Client",
        "AsyncClient",
        "PageIterator",
        "AsyncPageIterator",
        "RawResponse",
        "_Waker",
        "_PendingCall",
        "_shutdown",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut seen = BTreeSet::new();
    for op in avochato::operations() {
        if seen.insert(op.resource) {
            let class = class_name(op.resource);
            names.push(class.clone());
            names.push(format!("Async{class}"));
            names.push(format!("{class}WithRawResponse"));
            names.push(format!("Async{class}WithRawResponse"));
        }
    }
    names.extend(
        avochato::models::describe_all()
            .iter()
            .filter(|t| t.name != "Event")
            .map(|t| t.name.to_string()),
    );
    names.push("Page".into());
    names.push("_restore_model".into());
    names.push("_restore_page".into());
    names
}

/// The whole stub file.
pub fn render() -> String {
    let mut out = HEADER.replace("@PAGE_FIELDS@", &page_properties());
    let _ = writeln!(
        out,
        "__all__ = [\n{}]\n",
        all_names()
            .iter()
            .map(|n| format!("    {n:?},\n"))
            .collect::<String>()
    );
    out.push_str("# Models.\n\n");
    for t in avochato::models::describe_all() {
        if t.name == "Event" {
            continue;
        }
        model_class(&mut out, t);
    }
    out.push_str("# Resources.\n\n");
    let ops = avochato::operations();
    let mut resources: Vec<(String, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    for op in ops {
        if seen.insert(op.resource) {
            let class = class_name(op.resource);
            resources.push((op.resource.to_string(), class));
        }
    }
    for (res, class) in &resources {
        let list: Vec<&OperationSpec> = ops.iter().filter(|o| o.resource == res).collect();
        let iter = iter_op(res);
        for asynchronous in [false, true] {
            resource_class(&mut out, class, &list, iter, asynchronous);
        }
    }
    client_class(&mut out, &resources, false);
    client_class(&mut out, &resources, true);
    out
}

fn class_name(resource: &str) -> String {
    let mut c = resource.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The operation behind `resource.iter()`: the list's own `iter(Params -> Item)`.
fn iter_op(resource: &str) -> Option<&'static OperationSpec> {
    avochato::iter_operation(resource)
}

/// `python/avochato/_errors.py`: a class per core error kind (the base class's body is
/// the package's; each kind's class, its doc and the builtin it also derives from, here).
pub fn render_errors() -> String {
    use avochato::ErrorKind;
    let mut out = String::from(ERRORS_HEADER);
    for kind in ErrorKind::ALL {
        let builtin = match kind {
            ErrorKind::Timeout => ", builtins.TimeoutError",
            ErrorKind::Connection => ", builtins.ConnectionError",
            ErrorKind::Validation => ", ValueError",
            _ => "",
        };
        let also = match kind {
            ErrorKind::Timeout => " (also a builtin ``TimeoutError``)",
            ErrorKind::Connection => " (also a builtin ``ConnectionError``)",
            ErrorKind::Validation => " (also a ``ValueError``)",
            _ => "",
        };
        let _ = writeln!(
            out,
            "\n\nclass {}(AvochatoError{builtin}):\n    \"\"\"{}{also}.\"\"\"",
            kind.class_name(),
            kind.doc().trim_end_matches('.').replace('`', "``")
        );
    }
    out.push_str("\n\nERROR_CLASSES: Dict[str, Type[AvochatoError]] = {\n");
    for kind in ErrorKind::ALL {
        let _ = writeln!(out, "    \"{}\": {},", kind.as_str(), kind.class_name());
    }
    out.push_str("}\n");
    out
}

const ERRORS_HEADER: &str = r#"# Generated by `cargo run -p avochato-codegen` from the core's error kinds. Do not edit:
# `make test` checks that it is current.
"""The exceptions of the package. Their messages never contain the secret."""

from __future__ import annotations

import builtins

TYPE_CHECKING = False  # `typing` costs milliseconds of import time; type checkers read this as True
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Type


class AvochatoError(Exception):
    """Base class: ``status``, ``request_id``, the API's ``errors``, and the ``kind``."""

    kind: str
    """What went wrong: ``authentication``, ``rate_limited``, ``validation``, ... (see the classes)."""
    status: Optional[int]
    """The HTTP status, when a response arrived."""
    request_id: Optional[str]
    """The ``X-Request-Id`` header, when a response arrived."""
    errors: List[str]
    """The API's messages (its ``errors`` field), or the validation message."""
    retry_after: Optional[float]
    """For rate limiting: seconds the API asked to wait."""
    param: Optional[str]
    """For validation errors: the parameter at fault."""
    body: Optional[str]
    """The start of an unexpected response body."""

    def __init__(
        self,
        message: str,
        *,
        kind: str = "unknown",
        status: Optional[int] = None,
        request_id: Optional[str] = None,
        errors: Optional[List[str]] = None,
        retry_after: Optional[float] = None,
        param: Optional[str] = None,
        body: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status = status
        self.request_id = request_id
        self.errors = list(errors or [])
        self.retry_after = retry_after
        self.param = param
        self.body = body

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r}, request_id={self.request_id!r})"
"#;
