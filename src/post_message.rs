//! Bytes across the worker boundary, for both sides: `postMessage` with the buffer moved rather
//! than copied ([`post`]), and [`Deliver`], how the in-page stand-in for the worker
//! (`engine_worker::use_in_page`) hands them over instead.

use std::rc::Rc;

use wasm_bindgen::JsValue;

/// Delivers a message's bytes to the other side.
pub type Deliver = Rc<dyn Fn(Vec<u8>)>;

/// Posts a message's bytes, moving (not copying) their buffer to the other side.
pub fn post(to: &impl PostMessage, bytes: &[u8]) -> Result<(), JsValue> {
    let array = js_sys::Uint8Array::from(bytes);
    to.post(&array, &js_sys::Array::of1(&array.buffer()))
}

/// What can be posted a message: the page's worker, the worker's global scope.
pub trait PostMessage {
    /// `postMessage(message, transfer)`.
    fn post(&self, message: &JsValue, transfer: &js_sys::Array) -> Result<(), JsValue>;
}

impl PostMessage for web_sys::Worker {
    fn post(&self, message: &JsValue, transfer: &js_sys::Array) -> Result<(), JsValue> {
        self.post_message_with_transfer(message, transfer)
    }
}

impl PostMessage for web_sys::DedicatedWorkerGlobalScope {
    fn post(&self, message: &JsValue, transfer: &js_sys::Array) -> Result<(), JsValue> {
        self.post_message_with_transfer(message, transfer)
    }
}
