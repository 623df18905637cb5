//! Reading `payloadS3` objects: one signed `GetObject`, without the S3 SDK (which would triple
//! the browser download for a single call).
//!
//! The request is signed with aws-sigv4 as S3 expects (single URI encoding, no path
//! normalisation, `x-amz-content-sha256`). It goes through the browser's `fetch` on wasm and
//! reqwest natively. Addressing is virtual-hosted (`bucket.s3.region.amazonaws.com`), path style
//! for bucket names with dots (TLS) and for custom endpoints (moto, LocalStack).

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SigningSettings, UriPathNormalizationMode,
};
use powertune_tuner::input::S3Location;
use serde_json::Value;

use crate::signing::{Unsigned, percent_encode, signed_headers as signed_headers_for};

/// Lambda's limit on a synchronous invocation's payload.
pub const MAX_PAYLOAD_BYTES: usize = 6 * 1024 * 1024;

/// Why the payload object could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum S3Error {
    /// 403.
    #[error(
        "permission denied reading {0}: the credentials need s3:GetObject on arn:aws:s3:::{1} (and s3:ListBucket on the bucket, so that a missing object is reported as missing)"
    )]
    Forbidden(String, String),
    /// 404.
    #[error("{0} does not exist: check the bucket and the key")]
    NotFound(String),
    /// The bucket lives in another region.
    #[error(
        "the bucket of {0} is not in {1}: payloadS3 is read in the function's region, so copy the object to a bucket there"
    )]
    WrongRegion(String, String),
    /// Over 6 MB.
    #[error(
        "{0} is {1} bytes; a synchronous Lambda invocation accepts at most 6 MB (6291456 bytes)"
    )]
    TooLarge(String, usize),
    /// The request did not reach S3 (in a browser: usually CORS).
    #[error("{0}")]
    Network(String),
    /// Anything else.
    #[error("unexpected answer reading {location}: HTTP {status}: {detail}")]
    Other {
        /// The object.
        location: String,
        /// HTTP status.
        status: u16,
        /// S3's error text.
        detail: String,
    },
}

/// The CORS rule a bucket needs so that a browser page may read payload objects from it.
pub const BUCKET_CORS_RULE: &str = r#"[{"AllowedOrigins": ["<this page's origin>"], "AllowedMethods": ["GET"], "AllowedHeaders": ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "x-amz-user-agent"], "MaxAgeSeconds": 3000}]"#;

/// Where to send the request for `location`: (URL, Host header).
pub fn object_url(
    location: &S3Location,
    region: &str,
    endpoint_url: Option<&str>,
) -> (String, String) {
    let key: String = location
        .key
        .split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/");
    match endpoint_url {
        Some(endpoint) => {
            let endpoint = endpoint.trim_end_matches('/');
            let host = endpoint.split("://").nth(1).unwrap_or(endpoint).to_owned();
            (format!("{endpoint}/{}/{key}", location.bucket), host)
        }
        None if location.bucket.contains('.') => {
            let host = format!("s3.{region}.amazonaws.com");
            (format!("https://{host}/{}/{key}", location.bucket), host)
        }
        None => {
            let host = format!("{}.s3.{region}.amazonaws.com", location.bucket);
            (format!("https://{host}/{key}"), host)
        }
    }
}

/// The signed headers of a `GET` of `url`.
///
/// # Errors
/// A message when signing fails (malformed URL).
pub fn signed_headers(
    url: &str,
    host: &str,
    region: &str,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<Vec<(String, String)>, String> {
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    let request = Unsigned {
        method: "GET",
        url,
        headers: &[("host", host)],
        body: &[],
        service: "s3",
        region,
    };
    signed_headers_for(&request, credentials, time, settings)
}

/// Reads the payload object: its JSON value, or its text as a string when it is not JSON (as the
/// original tool does).
///
/// # Errors
/// [`S3Error`] with what to do about it.
pub async fn fetch_payload(
    location: &S3Location,
    region: &str,
    credentials: &Credentials,
    endpoint_url: Option<&str>,
) -> Result<Value, S3Error> {
    let (url, host) = object_url(location, region, endpoint_url);
    let now = std::time::UNIX_EPOCH
        + std::time::Duration::from_secs(u64::try_from(crate::runtime::unix_now()).unwrap_or(0));
    let headers =
        signed_headers(&url, &host, region, credentials, now).map_err(S3Error::Network)?;
    let (status, body) = crate::http_get::get(&url, headers)
        .await
        .map_err(|e| network_error(location, &e))?;
    let name = location.to_string();
    match status {
        200 if body.len() > MAX_PAYLOAD_BYTES => Err(S3Error::TooLarge(name, body.len())),
        200 => {
            let text = String::from_utf8_lossy(&body);
            Ok(serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.into_owned())))
        }
        403 => Err(S3Error::Forbidden(
            name,
            format!("{}/{}", location.bucket, location.key),
        )),
        404 => Err(S3Error::NotFound(name)),
        301 | 307 => Err(S3Error::WrongRegion(name, region.to_owned())),
        400 if String::from_utf8_lossy(&body).contains("AuthorizationHeaderMalformed") => {
            Err(S3Error::WrongRegion(name, region.to_owned()))
        }
        status => Err(S3Error::Other {
            location: name,
            status,
            detail: String::from_utf8_lossy(&body).chars().take(300).collect(),
        }),
    }
}

fn network_error(location: &S3Location, detail: &str) -> S3Error {
    if cfg!(target_arch = "wasm32") {
        S3Error::Network(format!(
            "could not read {location} ({detail}). A browser page may read an S3 object only if its bucket has a CORS rule allowing it; add this one to the bucket (Permissions → CORS): {BUCKET_CORS_RULE}"
        ))
    } else {
        S3Error::Network(format!("could not read {location}: {detail}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(bucket: &str, key: &str) -> S3Location {
        S3Location {
            bucket: bucket.into(),
            key: key.into(),
        }
    }

    #[test]
    fn addressing_styles() {
        assert_eq!(
            object_url(&loc("payloads", "dir/my file.json"), "eu-west-1", None),
            (
                "https://payloads.s3.eu-west-1.amazonaws.com/dir/my%20file.json".into(),
                "payloads.s3.eu-west-1.amazonaws.com".into()
            )
        );
        assert_eq!(
            object_url(&loc("my.bucket", "k"), "us-east-1", None).0,
            "https://s3.us-east-1.amazonaws.com/my.bucket/k"
        );
        assert_eq!(
            object_url(
                &loc("b-1", "k.json"),
                "us-east-1",
                Some("http://127.0.0.1:5000/")
            ),
            (
                "http://127.0.0.1:5000/b-1/k.json".into(),
                "127.0.0.1:5000".into()
            )
        );
    }

    #[test]
    fn signing_adds_the_s3_headers() {
        let creds = Credentials::new(
            "ASIAEXAMPLEKEY123456",
            "secret",
            Some("token".into()),
            None,
            "test",
        );
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_083_200);
        let headers = signed_headers(
            "https://b.s3.us-east-1.amazonaws.com/k",
            "b.s3.us-east-1.amazonaws.com",
            "us-east-1",
            &creds,
            time,
        )
        .unwrap();
        let get = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("x-amz-date"), Some("20261201T000000Z"));
        assert_eq!(get("x-amz-security-token"), Some("token"));
        // SHA-256 of the empty body.
        assert_eq!(
            get("x-amz-content-sha256"),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        let auth = get("authorization").unwrap();
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY123456/20261201/us-east-1/s3/aws4_request"), "{auth}");
        assert!(
            auth.contains(
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token"
            ),
            "{auth}"
        );
    }

    #[test]
    fn errors_say_what_to_do() {
        let forbidden = S3Error::Forbidden("s3://b/k".into(), "b/k".into()).to_string();
        assert!(forbidden.contains("s3:GetObject on arn:aws:s3:::b/k"));
        assert!(
            S3Error::TooLarge("s3://b/k".into(), 7_000_000)
                .to_string()
                .contains("at most 6 MB")
        );
    }
}
