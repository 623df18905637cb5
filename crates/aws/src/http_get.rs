//! Plain HTTP calls on either side: reqwest natively, the browser's fetch in wasm (the same
//! transport the SDK's calls use). For the S3 payload download, the CloudWatch metric read and
//! the demo account's data.

/// `GET url` with `headers`: the status and the body.
///
/// # Errors
/// The transport's error, as text, when no response arrived.
pub async fn get(url: &str, headers: Vec<(String, String)>) -> Result<(u16, Vec<u8>), String> {
    send("GET", url, headers, Vec::new()).await
}

/// `POST url` with `headers` and `body`: the status and the body.
///
/// # Errors
/// The transport's error, as text, when no response arrived.
pub async fn post(
    url: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), String> {
    send("POST", url, headers, body).await
}

#[cfg(not(target_arch = "wasm32"))]
async fn send(
    method: &str,
    url: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), String> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    let mut request = reqwest::Client::new().request(method, url);
    // reqwest sets Host from the URL.
    for (name, value) in headers.iter().filter(|(n, _)| n != "host") {
        request = request.header(name, value);
    }
    if !body.is_empty() {
        request = request.body(body);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    Ok((status, body.to_vec()))
}

#[cfg(target_arch = "wasm32")]
async fn send(
    method: &str,
    url: &str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), String> {
    use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
    let mut builder = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let request = builder
        .body(aws_smithy_types::body::SdkBody::from(body))
        .map_err(|e| e.to_string())?;
    let request = HttpRequest::try_from(request).map_err(|e| e.to_string())?;
    let response = crate::fetch::send(request)
        .await
        .map_err(|e| e.to_string())?;
    let body = response.body().bytes().unwrap_or_default().to_vec();
    Ok((response.status().as_u16(), body))
}
