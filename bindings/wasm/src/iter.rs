//! `for await (const item of client.contacts.iter(params))`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use avochato::JsonPager;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::convert::{js_error, to_js, validation};

struct State {
    /// Taken out while a page is being fetched.
    pager: Option<JsonPager>,
    buffer: VecDeque<serde_json::Value>,
    done: bool,
}

/// An async iterator over every item of every page (the package adds
/// `[Symbol.asyncIterator]`).
#[wasm_bindgen]
pub struct PageIterator {
    state: Rc<RefCell<State>>,
}

impl PageIterator {
    pub(crate) fn new(pager: JsonPager) -> PageIterator {
        PageIterator {
            state: Rc::new(RefCell::new(State {
                pager: Some(pager),
                buffer: VecDeque::new(),
                done: false,
            })),
        }
    }
}

fn result(value: Option<JsValue>) -> JsValue {
    let r = Object::new();
    let done = value.is_none();
    let _ = Reflect::set(&r, &JsValue::from_str("done"), &JsValue::from_bool(done));
    let _ = Reflect::set(
        &r,
        &JsValue::from_str("value"),
        &value.unwrap_or(JsValue::UNDEFINED),
    );
    r.into()
}

fn busy() -> JsValue {
    validation("next() was called again before the previous call finished")
}

#[wasm_bindgen]
impl PageIterator {
    /// The next item: `{ done, value }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<unknown>>")]
    pub fn next(&self) -> Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            loop {
                let mut pager = {
                    let mut s = state.try_borrow_mut().map_err(|_| busy())?;
                    if let Some(item) = s.buffer.pop_front() {
                        return Ok(result(Some(to_js(&item)?)));
                    }
                    if s.done {
                        return Ok(result(None));
                    }
                    s.pager.take().ok_or_else(busy)?
                };
                let page = pager.next_page().await;
                let mut s = state.try_borrow_mut().map_err(|_| busy())?;
                s.pager = Some(pager);
                match page {
                    Ok(Some(mut page)) => {
                        if let Some(serde_json::Value::Array(items)) =
                            page.get_mut("items").map(serde_json::Value::take)
                        {
                            s.buffer.extend(items);
                        }
                    }
                    Ok(None) => s.done = true,
                    Err(e) => {
                        s.done = true;
                        return Err(js_error(&e));
                    }
                }
            }
        })
    }

    /// Stops early (`break` in a `for await` loop calls it).
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<unknown>>"
    )]
    pub fn stop(&self) -> Promise {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.done = true;
            s.buffer.clear();
        }
        Promise::resolve(&result(None))
    }
}
