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
        "    def to_dict(self) -> dict[str, Any]:\n        \"\"\"The object as plain Python values.\"\"\""
    );
    let _ = writeln!(out, "    def __eq__(self, other: object, /) -> bool: ...");
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
    let mut s = format!("self, *, {}", parts.join(", "));
    if info.fields.iter().any(|f| f.flatten) {
        s.push_str(", **custom_fields: Any");
    }
    s
}

fn resource_class(
    out: &mut String,
    name: &str,
    ops: &[&OperationSpec],
    iter: Option<&OperationSpec>,
    asynchronous: bool,
) {
    let class = if asynchronous {
        format!("Async{name}")
    } else {
        name.to_string()
    };
    let _ = writeln!(out, "@final\nclass {class}:");
    let kind = if asynchronous {
        "coroutines"
    } else {
        "blocking"
    };
    let _ = writeln!(
        out,
        "    \"\"\"The `{}` operations ({kind}).\"\"\"",
        ops.first().map(|o| o.resource).unwrap_or("")
    );
    for op in ops {
        let ret = output_type(op);
        let ret = if asynchronous {
            format!("Coroutine[Any, Any, {ret}]")
        } else {
            ret
        };
        let _ = writeln!(out, "    def {}({}) -> {ret}:", op.name, kwargs(op));
        let _ = writeln!(
            out,
            "        \"\"\"{}: `{} {}`.\"\"\"",
            op.title,
            op.http_method.as_str(),
            op.path
        );
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
        let _ = writeln!(
            out,
            "        \"\"\"Every item of every page of `{}.{}`.\"\"\"",
            op.resource, op.name
        );
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
    if asynchronous {
        let _ = writeln!(
            out,
            "    \"\"\"The Avochato client for asyncio: every method returns a coroutine (nothing is sent until it is awaited).\"\"\""
        );
    } else {
        let _ = writeln!(
            out,
            "    \"\"\"The Avochato client, blocking (the GIL is released during I/O).\"\"\""
        );
    }
    let _ = writeln!(
        out,
        "    def __new__(cls, *, auth_id: str | None = None, auth_secret: str | None = None, base_url: str | None = None, \
         subdomain: str | None = None, timeout: float | None = None, max_retries: int | None = None, \
         max_retry_wait: float | None = None, headers: Mapping[str, str] | None = None) -> {class}:"
    );
    let _ = writeln!(
        out,
        "        \"\"\"Options default from AVOCHATO_AUTH_ID, AVOCHATO_AUTH_SECRET, AVOCHATO_BASE_URL, AVOCHATO_SUBDOMAIN.\"\"\""
    );
    for (res, name) in resources {
        let rc = if asynchronous {
            format!("Async{name}")
        } else {
            name.clone()
        };
        let _ = writeln!(out, "    @property\n    def {res}(self) -> {rc}: ...");
    }
    if asynchronous {
        let _ = writeln!(
            out,
            "    def verify(self) -> Coroutine[Any, Any, Whoami]:\n        \"\"\"Confirms the credential (`GET /v1/whoami`).\"\"\""
        );
        let _ = writeln!(
            out,
            "    def with_subdomain(self, subdomain: str) -> AsyncClient: ..."
        );
        let _ = writeln!(out, "    def close(self) -> Coroutine[Any, Any, None]: ...");
        let _ = writeln!(
            out,
            "    def __aenter__(self) -> Coroutine[Any, Any, AsyncClient]: ..."
        );
        let _ = writeln!(
            out,
            "    def __aexit__(self, *_args: object) -> Coroutine[Any, Any, bool]: ..."
        );
    } else {
        let _ = writeln!(
            out,
            "    def verify(self) -> Whoami:\n        \"\"\"Confirms the credential (`GET /v1/whoami`).\"\"\""
        );
        let _ = writeln!(
            out,
            "    def with_subdomain(self, subdomain: str) -> Client: ..."
        );
        let _ = writeln!(out, "    def close(self) -> None: ...");
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
    @property
    def page(self) -> int | None: ...
    @property
    def limit(self) -> int | None: ...
    @property
    def next_page(self) -> str | None: ...
    @property
    def after_page(self) -> str | None: ...
    @property
    def last_key(self) -> str | None: ...
    @property
    def size(self) -> int | None: ...
    @property
    def total_count(self) -> int | None: ...
    def __len__(self) -> int: ...
    def __getitem__(self, index: int, /) -> _T: ...
    def __class_getitem__(cls, item: Any) -> Any: ...
    def __iter__(self) -> Iterator[_T]: ...
    def to_dict(self) -> dict[str, Any]: ...

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
        }
    }
    names.extend(
        avochato::models::describe_all()
            .iter()
            .filter(|t| t.name != "Event")
            .map(|t| t.name.to_string()),
    );
    names.push("Page".into());
    names
}

/// The whole stub file.
pub fn render() -> String {
    let mut out = String::from(HEADER);
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
