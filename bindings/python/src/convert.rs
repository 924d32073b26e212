//! Python values to parameters, and errors to the package's exception classes.

use avochato::{Error, RequestOptions};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// Exception classes by kind (`authentication`, ...), given by `avochato/__init__.py`.
static ERROR_CLASSES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

/// Called once by the package with `{kind: class}`.
#[pyfunction]
pub fn _register_errors(py: Python<'_>, classes: Bound<'_, PyDict>) -> PyResult<()> {
    let _ = ERROR_CLASSES.set(py, classes.unbind());
    Ok(())
}

/// An SDK error as an instance of its exception class.
pub fn py_err(py: Python<'_>, e: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let classes = ERROR_CLASSES
            .get(py)
            .ok_or_else(|| PyRuntimeError::new_err("import avochato, not avochato._avochato"))?
            .bind(py);
        let class = match classes.get_item(e.kind().as_str())? {
            Some(c) => c,
            None => return Err(PyRuntimeError::new_err(e.to_string())),
        };
        let kwargs = PyDict::new(py);
        kwargs.set_item("kind", e.kind().as_str())?;
        kwargs.set_item("status", e.status())?;
        kwargs.set_item("request_id", e.request_id())?;
        kwargs.set_item("errors", PyList::new(py, e.errors())?)?;
        kwargs.set_item("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
        kwargs.set_item("param", e.param())?;
        kwargs.set_item("body", e.body_excerpt())?;
        let instance = class.call((e.to_string(),), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|err| err)
}

/// Python keywords that parameters are named after: `from_=` means `from`.
const KEYWORDS: &[&str] = &[
    "from", "in", "is", "class", "global", "import", "lambda", "not", "or", "and", "as", "def",
    "del", "pass",
];

fn key_name(key: &str) -> &str {
    match key.strip_suffix('_') {
        Some(base) if KEYWORDS.contains(&base) => base,
        _ => key,
    }
}

/// A Python value as JSON: `None`, `bool`, `int`, `float`, `str`, lists and tuples, dicts
/// with string keys, and `datetime` (as a Unix timestamp).
pub fn py_to_json(value: &Bound<'_, PyAny>, path: &str) -> Result<Value, Error> {
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = value.cast::<PyInt>() {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Value::from(n));
        }
        if let Ok(n) = i.extract::<u64>() {
            return Ok(Value::from(n));
        }
        return Err(Error::validation(path, "this integer is too large"));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| Error::validation(path, "must be a finite number"));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|_| Error::validation(path, "is not valid text"));
    }
    if let Ok(d) = value.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| Error::validation(path, "dict keys must be strings"))?;
            let key = key
                .to_cow()
                .map_err(|_| Error::validation(path, "is not valid text"))?;
            map.insert(key.to_string(), py_to_json(&v, &format!("{path}.{key}"))?);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut items = Vec::with_capacity(value.len().unwrap_or(0));
        for (i, v) in value
            .try_iter()
            .map_err(|_| Error::validation(path, "is not a list"))?
            .enumerate()
        {
            let v = v.map_err(|_| Error::validation(path, "could not be read"))?;
            items.push(py_to_json(&v, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(items));
    }
    // datetime.datetime (and anything else with a POSIX `timestamp()`).
    if let Ok(ts) = value.call_method0("timestamp")
        && let Ok(secs) = ts.extract::<f64>()
    {
        return Number::from_f64(secs)
            .map(Value::Number)
            .ok_or_else(|| Error::validation(path, "is not a valid time"));
    }
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    Err(Error::validation(
        path,
        format!("values of type {type_name} cannot be sent"),
    ))
}

fn option_f64(v: &Bound<'_, PyAny>, name: &str) -> Result<f64, Error> {
    match v.extract::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(Error::validation(name, "must be a non-negative number")),
    }
}

/// Keyword arguments as JSON parameters (checked by the core when the call is made) and
/// per-call options (`subdomain`, `timeout` in seconds, `max_retries`, `extra_headers`);
/// `None` means "not given".
pub fn prepare(kwargs: Option<&Bound<'_, PyDict>>) -> Result<(Value, RequestOptions), Error> {
    let mut params = Map::new();
    let mut options = RequestOptions::default();
    if let Some(kw) = kwargs {
        for (k, v) in kw.iter() {
            let key: String = k
                .extract()
                .map_err(|_| Error::validation("", "keyword names must be strings"))?;
            if v.is_none() {
                continue;
            }
            match key.as_str() {
                "subdomain" => {
                    options.subdomain = Some(
                        v.extract()
                            .map_err(|_| Error::validation("subdomain", "must be a string"))?,
                    )
                }
                "timeout" => {
                    options.timeout = Some(avochato::config::duration_from_secs(
                        "timeout",
                        option_f64(&v, "timeout")?,
                    )?)
                }
                "max_retries" => {
                    options.max_retries = Some(v.extract().map_err(|_| {
                        Error::validation("max_retries", "must be a non-negative integer")
                    })?)
                }
                "extra_headers" => options.headers = crate::options::extra_headers(&v)?,
                _ => {
                    let name = key_name(&key).to_string();
                    let value = py_to_json(&v, &name)?;
                    params.insert(name, value);
                }
            }
        }
    }
    Ok((Value::Object(params), options))
}
