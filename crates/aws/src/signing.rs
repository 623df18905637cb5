//! SigV4 for the two calls made without an SDK (S3 `GetObject`, CloudWatch
//! `GetMetricStatistics`): the headers to send, computed by aws-sigv4.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::{
    http_request::{SignableBody, SignableRequest, SigningSettings, sign},
    sign::v4,
};

/// One request to sign.
pub struct Unsigned<'a> {
    /// `GET`, `POST`.
    pub method: &'a str,
    /// The full URL.
    pub url: &'a str,
    /// Headers sent besides the signature's (`host` first); all are signed and returned.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
    /// The signing name: `s3`, `monitoring`.
    pub service: &'a str,
    /// The region.
    pub region: &'a str,
}

/// The request's headers with the signature's (`authorization`, `x-amz-date`, and the session
/// token and content hash where `settings` ask for them).
///
/// # Errors
/// A message when signing fails (malformed URL).
pub fn signed_headers(
    request: &Unsigned<'_>,
    credentials: &Credentials,
    time: SystemTime,
    settings: SigningSettings,
) -> Result<Vec<(String, String)>, String> {
    let identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(request.region)
        .name(request.service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        request.method,
        request.url,
        request.headers.iter().copied(),
        SignableBody::Bytes(request.body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let mut headers: Vec<(String, String)> = instructions
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    headers.extend(
        request
            .headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
    );
    Ok(headers)
}

/// Percent-encodes a path segment or form value (RFC 3986 unreserved characters kept), as
/// SigV4's canonical form expects.
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
