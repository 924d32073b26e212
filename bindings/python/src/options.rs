//! Per-call options given as keyword arguments that are not plain JSON.

use avochato::Error;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// `extra_headers=`: a mapping of header names to strings, each checked as the client's
/// `headers` are (`avochato::config::check_header`).
pub fn extra_headers(value: &Bound<'_, PyAny>) -> Result<Vec<(String, String)>, Error> {
    let refuse = |why: String| Error::validation("extra_headers", why);
    let items = match value.cast::<PyDict>() {
        Ok(d) => d.items(),
        Err(_) => value
            .call_method0("items")
            .and_then(|i| i.try_iter()?.collect::<PyResult<Vec<_>>>())
            .map(|v| pyo3::types::PyList::new(value.py(), v))
            .and_then(|l| l)
            .map_err(|_| refuse("must be a mapping of header names to strings".into()))?,
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items.iter() {
        let Ok((k, v)) = item.extract::<(String, String)>() else {
            return Err(refuse("must map header names to strings".into()));
        };
        avochato::config::check_header(&k, &v)
            .map_err(|_| refuse(format!("invalid header {k:?}")))?;
        out.push((k, v));
    }
    Ok(out)
}
