//! `for await (const item of client.contacts.iter(params))`.

use std::cell::RefCell;
use std::rc::Rc;

use avochato::JsonPager;
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::convert::{js_error, validation};

struct State {
    /// Taken out while a page is being fetched.
    pager: Option<JsonPager>,
    /// The current page's items, parsed once by `JSON.parse`, and the next one to give.
    buffer: Array,
    next: u32,
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
                buffer: Array::new(),
                next: 0,
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
                    if s.next < s.buffer.length() {
                        let item = s.buffer.get(s.next);
                        s.next += 1;
                        return Ok(result(Some(item)));
                    }
                    if s.done {
                        return Ok(result(None));
                    }
                    s.pager.take().ok_or_else(busy)?
                };
                let page = pager.next_page_text().await;
                let mut s = state.try_borrow_mut().map_err(|_| busy())?;
                s.pager = Some(pager);
                match page {
                    Ok(Some(text)) => {
                        let page = js_sys::JSON::parse(&text)?;
                        let items = Reflect::get(&page, &JsValue::from_str("items"))?;
                        s.buffer = items.dyn_into::<Array>().unwrap_or_default();
                        s.next = 0;
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
            s.buffer = Array::new();
        }
        Promise::resolve(&result(None))
    }
}
