//! The demo account's measured functions: lambda-benchmark's real measurements (MIT), shipped
//! next to the page by Trunk (`dist/lambda-benchmark/`, notice included) and fetched only when
//! the demo account is shown, so they cost the wasm nothing.

use powertune_tuner::sim::{BenchmarkFunction, lambda_benchmark};

use crate::backend::DEMO_REGION;

/// Where the data set sits, relative to the page.
pub const DATA_PATH: &str = "lambda-benchmark/lambda-benchmark-s3-writer.json";

/// Why the measured functions are not offered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the demo account's measured functions could not be loaded ({0}); its modelled ones still work"
)]
pub struct DemoDataError(String);

/// Fetches and reads the data set.
///
/// # Errors
/// [`DemoDataError`] when the file cannot be fetched or read.
pub async fn load() -> Result<Vec<BenchmarkFunction>, DemoDataError> {
    let url = page_relative(DATA_PATH).ok_or_else(|| DemoDataError("no page address".into()))?;
    let (status, body) = powertune_aws::http_get::get(&url, Vec::new())
        .await
        .map_err(|e| DemoDataError(format!("{url}: {e}")))?;
    if status != 200 {
        return Err(DemoDataError(format!("{url}: HTTP {status}")));
    }
    lambda_benchmark(&String::from_utf8_lossy(&body), DEMO_REGION).map_err(DemoDataError)
}

/// `path` resolved against the page's address, as fetch needs an absolute URL here.
fn page_relative(path: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    Some(web_sys::Url::new_with_base(path, &base).ok()?.href())
}
