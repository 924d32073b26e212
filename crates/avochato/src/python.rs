//! Python conversions for core types (the `python` feature): the value types become
//! Python values, models are frozen classes with `to_dict()` and a `repr`, pages are a
//! `Page` class, events their variant's class.

use std::convert::Infallible;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyList, PyString};
use pyo3::{IntoPyObjectExt, PyErr};
use serde::Serialize;
use serde_json::Value;

use crate::models::*;
use crate::page::Page;
use crate::types::{JsonMap, JsonValue, Timestamp};

/// JSON as Python values: `None`, `bool`, `int`, `float`, `str`, `list`, `dict`.
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py)?,
            (None, Some(u)) => u.into_bound_py_any(py)?,
            _ => PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A serializable value as Python values (through JSON).
pub fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let v = serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    json_to_py(py, &v)
}

impl<'py> IntoPyObject<'py> for Timestamp {
    type Target = PyFloat;
    type Output = Bound<'py, PyFloat>;
    type Error = Infallible;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        (&self).into_pyobject(py)
    }
}

impl<'py> IntoPyObject<'py> for &Timestamp {
    type Target = PyFloat;
    type Output = Bound<'py, PyFloat>;
    type Error = Infallible;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        Ok(PyFloat::new(py, self.0))
    }
}

impl<'py> IntoPyObject<'py> for &JsonMap {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        let dict = PyDict::new(py);
        for (k, v) in self.iter() {
            dict.set_item(k, json_to_py(py, v)?)?;
        }
        Ok(dict.into_any())
    }
}

impl<'py> IntoPyObject<'py> for JsonMap {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        (&self).into_pyobject(py)
    }
}

impl<'py> IntoPyObject<'py> for &JsonValue {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        json_to_py(py, &self.0)
    }
}

impl<'py> IntoPyObject<'py> for JsonValue {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        json_to_py(py, &self.0)
    }
}

/// An event is its variant's class (`StatusChange`, `Message`, ...); unknown ones a `dict`.
impl<'py> IntoPyObject<'py> for Event {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        match self {
            Event::CustomEvent(e) => e.into_bound_py_any(py),
            Event::StatusChange(e) => e.into_bound_py_any(py),
            Event::OwnerChange(e) => e.into_bound_py_any(py),
            Event::Call(e) => e.into_bound_py_any(py),
            Event::SmsMessage(e) => e.into_bound_py_any(py),
            Event::PendingMessage(e) => e.into_bound_py_any(py),
            Event::Unknown(m) => m.into_pyobject(py),
        }
    }
}

/// One page of a list: `items` and what the API said about it. Iterating a page goes over
/// its items.
#[pyclass(name = "Page", module = "avochato", frozen, sequence)]
pub struct PyPage {
    /// The items on this page.
    items: Py<PyList>,
    /// The metadata fields (the core's, `for_each_page_field!`).
    meta: Page<()>,
}

macro_rules! py_page_methods {
    ([] $(($name:ident, $ty:ty, $doc:literal))*) => {
        #[pymethods]
        impl PyPage {
            /// The items on this page.
            #[getter]
            fn items(&self, py: Python<'_>) -> Py<PyList> {
                self.items.clone_ref(py)
            }

            $(
                #[doc = $doc]
                #[getter]
                fn $name(&self) -> Option<$ty> {
                    self.meta.$name.clone()
                }
            )*

            fn __len__(&self, py: Python<'_>) -> usize {
                self.items.bind(py).len()
            }

            fn __getitem__<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyAny>> {
                let list = self.items.bind(py);
                let len = list.len() as isize;
                let i = if index < 0 { index + len } else { index };
                if i < 0 || i >= len {
                    return Err(pyo3::exceptions::PyIndexError::new_err(
                        "page index out of range",
                    ));
                }
                list.get_item(i as usize)
            }

            fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(self.items.bind(py).try_iter()?.into_any())
            }

            /// Makes `Page[Contact]` valid at runtime (the stubs declare the class generic).
            #[classmethod]
            fn __class_getitem__(
                cls: &Bound<'_, pyo3::types::PyType>,
                item: &Bound<'_, PyAny>,
            ) -> Py<pyo3::types::PyType> {
                let _ = item;
                cls.clone().unbind()
            }

            /// Pickles as its items and its metadata (the items pickle as models do).
            fn __reduce__<'py>(
                &self,
                py: Python<'py>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyList>, Bound<'py, PyDict>))> {
                let restore = RESTORE_PAGE
                    .get(py)
                    .map(|f| f.bind(py).clone())
                    .ok_or_else(|| {
                        pyo3::exceptions::PyRuntimeError::new_err("avochato is not initialised")
                    })?;
                Ok((restore, (self.items.bind(py).clone(), self.meta_dict(py)?)))
            }

            /// The page as plain Python values.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let d = PyDict::new(py);
                let items = PyList::empty(py);
                for item in self.items.bind(py).iter() {
                    match item.call_method0("to_dict") {
                        Ok(v) => items.append(v)?,
                        Err(_) => items.append(item)?,
                    }
                }
                d.set_item("items", items)?;
                d.update(self.meta_dict(py)?.as_mapping())?;
                Ok(d)
            }

            fn __repr__(&self, py: Python<'_>) -> String {
                let n = self.items.bind(py).len();
                let mut parts = vec![format!("{n} item{}", if n == 1 { "" } else { "s" })];
                if let Some(p) = self.meta.page {
                    parts.push(format!("page={p}"));
                }
                if let Some(c) = &self.meta.next_page {
                    parts.push(format!("next_page={c:?}"));
                }
                if let Some(k) = &self.meta.last_key {
                    parts.push(format!("last_key={k:?}"));
                }
                format!("Page({})", parts.join(", "))
            }
        }

        impl PyPage {
            fn meta_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let d = PyDict::new(py);
                $(d.set_item(stringify!($name), self.meta.$name.clone())?;)*
                Ok(d)
            }
        }

        /// Makes a page again from what its pickle holds.
        #[pyfunction]
        fn _restore_page(
            py: Python<'_>,
            items: Bound<'_, PyList>,
            meta: Bound<'_, PyDict>,
        ) -> PyResult<Py<PyPage>> {
            let mut page = Page::<()>::default();
            $(
                if let Some(v) = meta.get_item(stringify!($name))? {
                    page.$name = v.extract()?;
                }
            )*
            Py::new(py, PyPage { items: items.unbind(), meta: page })
        }
    };
}

crate::for_each_page_field!(py_page_methods);

impl<'py, T> IntoPyObject<'py> for Page<T>
where
    T: IntoPyObject<'py>,
{
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(mut self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        let items = PyList::empty(py);
        for item in std::mem::take(&mut self.items) {
            items.append(item.into_bound_py_any(py)?)?;
        }
        let page = PyPage {
            items: items.unbind(),
            meta: self.map(|_| ()),
        };
        page.into_bound_py_any(py)
    }
}

/// Every model class: the core's list of record models (`crate::models::for_each_record_model!`).
use crate::models::for_each_record_model as with_models;

/// `to_dict()`, a `repr` listing the fields, and pickling and copying, for every model
/// class. A model pickles as its JSON (unknown fields included) and the name of its class:
/// `_restore_model(name, json)` makes it again, so a pickle made by one version of the
/// package loads in another.
macro_rules! model_methods {
    ($($T:ident),* $(,)?) => {$(
        #[pymethods]
        impl $T {
            /// The object as plain Python values (`dict`, `list`, `str`, numbers), with the
            /// API's field names; fields the SDK does not list are included as they came.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_py(py, self)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let fields = to_py(py, self)?;
                let dict = fields.cast::<PyDict>()?;
                let mut parts = Vec::with_capacity(dict.len());
                for (k, v) in dict.iter() {
                    parts.push(format!("{}={}", k.str()?, v.repr()?));
                }
                Ok(format!("{}({})", stringify!($T), parts.join(", ")))
            }

            fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (&'static str, Bound<'py, PyBytes>))> {
                Ok((restore_fn(py)?, (stringify!($T), json_bytes(py, self)?)))
            }

            fn __copy__(&self) -> Self {
                self.clone()
            }

            fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
                self.clone()
            }
        }
    )*};
}

/// A model's JSON, for its pickle.
fn json_bytes<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok(PyBytes::new(py, &bytes))
}

/// `_restore_model`, as the module holds it (pickles name it by its module and name).
static RESTORE: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
static RESTORE_PAGE: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

fn restore_fn(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    RESTORE
        .get(py)
        .map(|f| f.bind(py).clone())
        .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("avochato is not initialised"))
}

/// Makes a model again from its class name and JSON (what a pickle holds).
#[pyfunction]
fn _restore_model<'py>(py: Python<'py>, name: &str, data: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    fn decode<'py, T: serde::de::DeserializeOwned + IntoPyObject<'py>>(
        py: Python<'py>,
        data: &[u8],
    ) -> PyResult<Bound<'py, PyAny>> {
        let value: T = serde_json::from_slice(data)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        value.into_bound_py_any(py)
    }
    macro_rules! by_name {
        ($($T:ident),* $(,)?) => {
            return match name {
                $(stringify!($T) => decode::<$T>(py, data),)*
                _ => Err(pyo3::exceptions::PyValueError::new_err(format!("no model named {name:?}"))),
            }
        };
    }
    with_models!(by_name);
}

with_models!(model_methods);

/// Every model class, for the module to register.
pub fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
    macro_rules! add {
        ($($T:ident),* $(,)?) => {$( m.add_class::<$T>()?; )*};
    }
    with_models!(add);
    m.add_class::<PyPage>()?;
    let restore = wrap_pyfunction!(_restore_model, m)?;
    let restore_page = wrap_pyfunction!(_restore_page, m)?;
    let py = m.py();
    let _ = RESTORE.set(py, restore.clone().into_any().unbind());
    let _ = RESTORE_PAGE.set(py, restore_page.clone().into_any().unbind());
    m.add_function(restore)?;
    m.add_function(restore_page)?;
    Ok(())
}
