//! The demo account's measured functions: lambda-benchmark's real measurements (MIT), shipped
//! next to the page by Trunk (`dist/lambda-benchmark/`, notice included) and fetched only when
//! the demo account is shown, so they cost the wasm nothing. The page reads them for the list of
//! functions, the engine's worker for its demo account.

use powertune_tuner::sim::{BenchmarkFunction, lambda_benchmark};

/// The demo account's region.
pub const DEMO_REGION: &str = "us-east-1";

/// Where the data set sits, relative to the page.
pub const DATA_PATH: &str = "lambda-benchmark/lambda-benchmark-s3-writer.json";

/// Why the measured functions are not offered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the demo account's measured functions could not be loaded ({0}); its modelled ones still work"
)]
pub struct DemoDataError(String);

/// Fetches and reads the data set, found at [`DATA_PATH`] under `base` (the page's address, or
/// the worker's: both sit in the same directory).
///
/// # Errors
/// [`DemoDataError`] when the file cannot be fetched or read.
pub async fn load(base: &str) -> Result<Vec<BenchmarkFunction>, DemoDataError> {
    let url = web_sys::Url::new_with_base(DATA_PATH, base)
        .map(|u| u.href())
        .map_err(|_| DemoDataError(format!("{DATA_PATH} is not an address under {base}")))?;
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| DemoDataError(format!("{url}: {e}")))?;
    if !response.ok() {
        return Err(DemoDataError(format!("{url}: HTTP {}", response.status())));
    }
    let text = response
        .text()
        .await
        .map_err(|e| DemoDataError(format!("{url}: {e}")))?;
    lambda_benchmark(&text, DEMO_REGION).map_err(DemoDataError)
}

/// [`load`] from the page's address.
///
/// # Errors
/// As [`load`].
pub async fn load_for_page() -> Result<Vec<BenchmarkFunction>, DemoDataError> {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    load(&base).await
}
