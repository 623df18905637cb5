//! A plain HTTP GET on either side: reqwest natively, the browser's fetch in wasm (the same
//! transport the SDK's calls use). For the S3 payload download and the demo account's data.

/// `GET url` with `headers`: the status and the body.
///
/// # Errors
/// The transport's error, as text, when no response arrived.
#[cfg(not(target_arch = "wasm32"))]
pub async fn get(url: &str, headers: Vec<(String, String)>) -> Result<(u16, Vec<u8>), String> {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers.iter().filter(|(n, _)| n != "host") {
        request = request.header(name, value);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    Ok((status, body.to_vec()))
}

/// `GET url` with `headers`: the status and the body.
///
/// # Errors
/// The transport's error, as text, when no response arrived.
#[cfg(target_arch = "wasm32")]
pub async fn get(url: &str, headers: Vec<(String, String)>) -> Result<(u16, Vec<u8>), String> {
    use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
    let mut request = HttpRequest::new(aws_smithy_types::body::SdkBody::empty());
    request.set_uri(url).map_err(|e| e.to_string())?;
    for (name, value) in headers {
        request.headers_mut().insert(name, value);
    }
    let response = crate::fetch::send(request)
        .await
        .map_err(|e| e.to_string())?;
    let body = response.body().bytes().unwrap_or_default().to_vec();
    Ok((response.status().as_u16(), body))
}
