//! The SDK's HTTP transport in the browser: `fetch`, in CORS mode, aborted when dropped.
//!
//! Forbidden request headers (`host`, `content-length`, …) are left to the browser, which sets
//! the same values, so the SigV4 signature still matches. Only the response headers Lambda
//! exposes to browsers are readable (not `X-Amz-Executed-Version`).

use aws_smithy_runtime_api::{
    client::{
        http::{
            HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings,
            SharedHttpConnector,
        },
        orchestrator::{HttpRequest, HttpResponse},
        result::ConnectorError,
        runtime_components::RuntimeComponents,
    },
    http::StatusCode,
};
use aws_smithy_types::body::SdkBody;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The fetch transport as an SDK HTTP client.
#[derive(Debug, Clone, Default)]
pub struct FetchClient;

impl HttpClient for FetchClient {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(FetchConnector)
    }
}

#[derive(Debug)]
struct FetchConnector;

impl HttpConnector for FetchConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        // SendWrapper is sound: browser wasm runs on one thread.
        HttpConnectorFuture::new(SendWrapper::new(send(request)))
    }
}

/// Headers the browser sets itself and refuses from scripts.
const FORBIDDEN: [&str; 6] = [
    "host",
    "content-length",
    "user-agent",
    "connection",
    "expect",
    "transfer-encoding",
];

fn js_error(context: &str, value: JsValue) -> String {
    let detail = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"));
    format!("{context}: {detail}")
}

/// Aborts the request if the future is dropped before it finishes (a cancelled run).
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

/// Sends one request with `fetch` (also used directly for S3 payloads).
pub(crate) async fn send(request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
    let user = |context: &str, e: JsValue| ConnectorError::user(js_error(context, e).into());
    let init = web_sys::RequestInit::new();
    init.set_method(request.method());
    init.set_mode(web_sys::RequestMode::Cors);
    if let Some(bytes) = request.body().bytes()
        && !bytes.is_empty()
    {
        init.set_body(&js_sys::Uint8Array::from(bytes).into());
    }
    let headers = web_sys::Headers::new().map_err(|e| user("creating headers", e))?;
    for (name, value) in request.headers() {
        if !FORBIDDEN.contains(&name.to_ascii_lowercase().as_str()) {
            headers
                .append(name, value)
                .map_err(|e| user("setting a header", e))?;
        }
    }
    init.set_headers(&headers);
    let controller =
        web_sys::AbortController::new().map_err(|e| user("creating an AbortController", e))?;
    init.set_signal(Some(&controller.signal()));
    let mut abort = AbortOnDrop(Some(controller));
    let req = web_sys::Request::new_with_str_and_init(request.uri(), &init)
        .map_err(|e| user("building the request", e))?;
    let response: web_sys::Response = JsFuture::from(global_fetch(&req))
        .await
        .map_err(|e| ConnectorError::io(js_error("fetch failed", e).into()))?
        .unchecked_into();
    let body = JsFuture::from(
        response
            .array_buffer()
            .map_err(|e| ConnectorError::io(js_error("reading the body", e).into()))?,
    )
    .await
    .map_err(|e| ConnectorError::io(js_error("reading the body", e).into()))?;
    // Finished: nothing left to abort.
    abort.0 = None;
    let bytes = js_sys::Uint8Array::new(&body).to_vec();
    let status = StatusCode::try_from(response.status())
        .map_err(|e| ConnectorError::other(e.to_string().into(), None))?;
    let mut out = HttpResponse::new(status, SdkBody::from(bytes));
    if let Ok(Some(entries)) = js_sys::try_iter(&response.headers()) {
        for entry in entries.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.headers_mut().append(name, value);
            }
        }
    }
    Ok(out)
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The global `fetch`: the page's and a worker's alike (`window.fetch` exists only in a
    /// page, and the engine runs in a worker).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> js_sys::Promise;
}
