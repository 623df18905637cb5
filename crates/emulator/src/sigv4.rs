//! Checks AWS Signature Version 4 on incoming requests, as Lambda does.
//!
//! The request is signed again with the secret of the access key it names, over exactly the
//! headers it says it signed, and the two signatures are compared. Errors use AWS's codes and
//! messages, so clients report them as they would for the real service.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::{
    http_request::{SignableBody, SignableRequest, SigningSettings, sign},
    sign::v4,
};
use http::{HeaderMap, Method, Uri};

/// A set of credentials the emulator accepts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedCredentials {
    /// Access key id (`ASIA…`).
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
    /// Session token.
    pub session_token: String,
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    /// AWS error code.
    pub code: &'static str,
    /// AWS's message.
    pub message: String,
}

fn refuse(code: &'static str, message: &str) -> AuthError {
    AuthError {
        code,
        message: message.to_owned(),
    }
}

/// Verifies the SigV4 signature of a request.
pub fn verify(
    credentials: &[IssuedCredentials],
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), AuthError> {
    let authorization = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            refuse(
                "MissingAuthenticationTokenException",
                "Missing Authentication Token",
            )
        })?;
    let fields = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or_else(|| {
            refuse(
                "IncompleteSignatureException",
                "Authorization header requires AWS4-HMAC-SHA256",
            )
        })?;
    let field = |name: &str| {
        fields
            .split(',')
            .map(str::trim)
            .find_map(|f| f.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .ok_or_else(|| {
                refuse(
                    "IncompleteSignatureException",
                    &format!("Authorization header requires '{name}' parameter"),
                )
            })
    };
    let credential = field("Credential")?;
    let signed_headers = field("SignedHeaders")?;
    let signature = field("Signature")?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, _date, region, service, "aws4_request"] = scope[..] else {
        return Err(refuse(
            "IncompleteSignatureException",
            "Credential is not of the form AKID/date/region/service/aws4_request",
        ));
    };
    let issued = credentials
        .iter()
        .find(|c| c.access_key_id == access_key_id)
        .ok_or_else(|| {
            refuse(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            )
        })?;
    let token = headers
        .get("x-amz-security-token")
        .and_then(|v| v.to_str().ok());
    if token != Some(issued.session_token.as_str()) {
        return Err(refuse(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ));
    }
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refuse("IncompleteSignatureException", "Missing X-Amz-Date"))?;
    let time = parse_amz_date(amz_date)
        .ok_or_else(|| refuse("IncompleteSignatureException", "X-Amz-Date is malformed"))?;

    let signed: Vec<(&str, &str)> = signed_headers
        .split(';')
        .filter_map(|name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| (name, v))
        })
        .collect();
    // The SDK always signs the host; without it (or with a URI that has no authority) there is
    // nothing to check the signature against.
    if !signed
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"))
        && uri.authority().is_none()
    {
        return Err(refuse(
            "IncompleteSignatureException",
            "SignedHeaders must include host, with a Host header",
        ));
    }
    let identity = Credentials::new(
        &issued.access_key_id,
        &issued.secret_access_key,
        Some(issued.session_token.clone()),
        None,
        "emulator",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| refuse("IncompleteSignatureException", &e.to_string()))?
        .into();
    let request = SignableRequest::new(
        method.as_str(),
        uri.to_string(),
        signed.into_iter(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| refuse("InvalidSignatureException", &e.to_string()))?;
    let expected =
        sign(request, &params).map_err(|e| refuse("InvalidSignatureException", &e.to_string()))?;
    if expected.signature() != signature {
        return Err(refuse(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(())
}

/// `20261201T031500Z` as a time.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, s) = (
        num(0..4)?,
        num(4..6)?,
        num(6..8)?,
        num(9..11)?,
        num(11..13)?,
        num(13..15)?,
    );
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (mo + if mo > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + s;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates() {
        let t = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_440_938_160
        );
        assert!(parse_amz_date("2015-08-30").is_none());
    }

    /// Found by `scripts/fuzz.sh`: a signed request without a Host header (and a URI without an
    /// authority, as servers see one) made aws-sigv4 panic instead of being refused.
    #[test]
    fn a_request_without_a_host_is_refused_not_a_panic() {
        let issued = [IssuedCredentials {
            access_key_id: "ASIAEXAMPLE000000000".into(),
            secret_access_key: "secret".into(),
            session_token: "token".into(),
        }];
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE000000000/20261201/us-east-1/lambda/aws4_request, SignedHeaders=x-amz-date, Signature=00"
                .parse()
                .unwrap(),
        );
        headers.insert("x-amz-date", "20261201T100000Z".parse().unwrap());
        headers.insert("x-amz-security-token", "token".parse().unwrap());
        let uri: Uri = "/2015-03-31/functions".parse().unwrap();
        let refused = verify(&issued, &Method::GET, &uri, &headers, b"").unwrap_err();
        assert_eq!(refused.code, "IncompleteSignatureException");
        assert!(refused.message.contains("host"), "{}", refused.message);
    }
}
