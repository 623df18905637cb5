//! Reading a function's monthly traffic from CloudWatch: the `AWS/Lambda` `Invocations` metric
//! summed over the last 30 days, with one signed `GetMetricStatistics` call and no CloudWatch
//! SDK (which would add to the browser download for a single call).
//!
//! The call uses CloudWatch's Query protocol (a form-encoded POST, an XML answer: API reference
//! "GetMetricStatistics", version 2010-08-01), signed with aws-sigv4 for the service
//! `monitoring`. CloudWatch accepts calls from browsers (aws-sdk-js `apis/metadata.json` marks
//! it CORS-capable); if a browser's call fails anyway, the error says to type the number. The
//! IAM action is `cloudwatch:GetMetricStatistics`, which CloudWatch does not scope to
//! resources.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::SigningSettings;
use aws_smithy_types::date_time::{DateTime, Format};
use powertune_tuner::FunctionArn;

use crate::signing::{self, Unsigned, percent_encode};

/// The IAM action the call needs.
pub const ACTION: &str = "cloudwatch:GetMetricStatistics";

/// The days summed.
pub const DAYS: u64 = 30;

/// Why the monthly invocations could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum CloudWatchError {
    /// 403, or an access-denied error.
    #[error(
        "permission denied reading the Invocations metric of {0}: the credentials need {ACTION} (optional: or give monthlyInvocations as a number)"
    )]
    Forbidden(String),
    /// No datapoint in the window.
    #[error(
        "CloudWatch has no Invocations for {0} in the last {DAYS} days (a new or unused function): give monthlyInvocations as a number"
    )]
    NoData(String),
    /// The request did not reach CloudWatch.
    #[error("{0}")]
    Network(String),
    /// Anything else.
    #[error("CloudWatch answered HTTP {status} for {function}: {detail}")]
    Other {
        /// The function.
        function: String,
        /// HTTP status.
        status: u16,
        /// CloudWatch's error text.
        detail: String,
    },
}

/// The request for `function`'s invocations in the 30 days before `now`: (URL, Host, body).
pub fn request(
    function: &FunctionArn,
    endpoint_url: Option<&str>,
    now: SystemTime,
) -> (String, String, String) {
    let region = function.region();
    let (url, host) = match endpoint_url {
        Some(endpoint) => {
            let endpoint = endpoint.trim_end_matches('/');
            let host = endpoint.split("://").nth(1).unwrap_or(endpoint).to_owned();
            (format!("{endpoint}/"), host)
        }
        None => {
            let suffix = if region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            let host = format!("monitoring.{region}.{suffix}");
            (format!("https://{host}/"), host)
        }
    };
    let end = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let start = end.saturating_sub(DAYS * 86_400);
    let iso = |secs: u64| {
        DateTime::from_secs(i64::try_from(secs).unwrap_or(0))
            .fmt(Format::DateTime)
            .unwrap_or_default()
    };
    let body = [
        ("Action", "GetMetricStatistics".to_owned()),
        ("Version", "2010-08-01".to_owned()),
        ("Namespace", "AWS/Lambda".to_owned()),
        ("MetricName", "Invocations".to_owned()),
        ("Dimensions.member.1.Name", "FunctionName".to_owned()),
        ("Dimensions.member.1.Value", function.name().to_owned()),
        ("StartTime", iso(start)),
        ("EndTime", iso(end)),
        ("Period", "86400".to_owned()),
        ("Statistics.member.1", "Sum".to_owned()),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", percent_encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    (url, host, body)
}

/// The signed headers of the POST of `body` to `url`.
///
/// # Errors
/// A message when signing fails (malformed URL).
pub fn signed_headers(
    url: &str,
    host: &str,
    body: &str,
    region: &str,
    credentials: &Credentials,
    time: SystemTime,
) -> Result<Vec<(String, String)>, String> {
    const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";
    let request = Unsigned {
        method: "POST",
        url,
        headers: &[("host", host), ("content-type", FORM)],
        body: body.as_bytes(),
        service: "monitoring",
        region,
    };
    signing::signed_headers(&request, credentials, time, SigningSettings::default())
}

/// The sum of the `<Sum>` values of a `GetMetricStatisticsResponse`; `None` when it has no
/// datapoint.
pub fn parse_sum(xml: &str) -> Option<f64> {
    let datapoints = xml.split_once("<Datapoints>")?.1;
    let datapoints = datapoints
        .split_once("</Datapoints>")
        .map_or(datapoints, |(inside, _)| inside);
    let mut total = None;
    for piece in datapoints.split("<Sum>").skip(1) {
        let value = piece.split_once("</Sum>")?.0.trim().parse::<f64>().ok()?;
        if value.is_finite() && value >= 0.0 {
            total = Some(total.unwrap_or(0.0) + value);
        }
    }
    total
}

/// `function`'s invocations over the last 30 days.
///
/// # Errors
/// [`CloudWatchError`] with what to do about it.
pub async fn monthly_invocations(
    function: &FunctionArn,
    credentials: &Credentials,
    endpoint_url: Option<&str>,
) -> Result<u64, CloudWatchError> {
    let now =
        UNIX_EPOCH + Duration::from_secs(u64::try_from(crate::runtime::unix_now()).unwrap_or(0));
    let (url, host, body) = request(function, endpoint_url, now);
    let headers = signed_headers(&url, &host, &body, function.region(), credentials, now)
        .map_err(CloudWatchError::Network)?;
    let name = function.name().to_owned();
    let (status, answer) = crate::http_get::post(&url, headers, body.into_bytes())
        .await
        .map_err(|e| network_error(&name, &e))?;
    let text = String::from_utf8_lossy(&answer);
    match status {
        200 => match parse_sum(&text) {
            Some(sum) if sum >= 1.0 => Ok(sum.round() as u64),
            _ => Err(CloudWatchError::NoData(name)),
        },
        403 => Err(CloudWatchError::Forbidden(name)),
        _ if text.contains("AccessDenied") || text.contains("not authorized") => {
            Err(CloudWatchError::Forbidden(name))
        }
        status => Err(CloudWatchError::Other {
            function: name,
            status,
            detail: text.chars().take(300).collect(),
        }),
    }
}

fn network_error(function: &str, detail: &str) -> CloudWatchError {
    if cfg!(target_arch = "wasm32") {
        CloudWatchError::Network(format!(
            "could not reach CloudWatch from this page for {function} ({detail}); type the monthly invocations instead (CloudWatch console: Lambda → the function → Monitor → Invocations, sum of the last 30 days)"
        ))
    } else {
        CloudWatchError::Network(format!(
            "could not reach CloudWatch for {function}: {detail}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(region: &str) -> FunctionArn {
        format!("arn:aws:lambda:{region}:123456789012:function:orders-api")
            .parse()
            .unwrap()
    }

    #[test]
    fn the_request_asks_for_30_daily_sums_of_the_functions_invocations() {
        let now = UNIX_EPOCH + Duration::from_secs(1_796_083_200); // 2026-12-01
        let (url, host, body) = request(&arn("eu-west-1"), None, now);
        assert_eq!(url, "https://monitoring.eu-west-1.amazonaws.com/");
        assert_eq!(host, "monitoring.eu-west-1.amazonaws.com");
        for part in [
            "Action=GetMetricStatistics",
            "Namespace=AWS%2FLambda",
            "MetricName=Invocations",
            "Dimensions.member.1.Value=orders-api",
            "StartTime=2026-11-01T00%3A00%3A00Z",
            "EndTime=2026-12-01T00%3A00%3A00Z",
            "Period=86400",
            "Statistics.member.1=Sum",
        ] {
            assert!(body.contains(part), "{part} in {body}");
        }
        assert_eq!(
            request(&arn("cn-north-1"), None, now).1,
            "monitoring.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            request(&arn("us-east-1"), Some("http://127.0.0.1:5000"), now).0,
            "http://127.0.0.1:5000/"
        );
    }

    #[test]
    fn signing_covers_the_form_body() {
        let creds = Credentials::new("ASIAEXAMPLEKEY123456", "secret", None, None, "test");
        let now = UNIX_EPOCH + Duration::from_secs(1_796_083_200);
        let (url, host, body) = request(&arn("us-east-1"), None, now);
        let headers = signed_headers(&url, &host, &body, "us-east-1", &creds, now).unwrap();
        let auth = &headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .unwrap()
            .1;
        assert!(
            auth.contains("/us-east-1/monitoring/aws4_request"),
            "{auth}"
        );
        assert!(
            auth.contains("SignedHeaders=content-type;host;x-amz-date"),
            "{auth}"
        );
    }

    #[test]
    fn sums_are_added_over_the_datapoints() {
        let xml = r#"<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <GetMetricStatisticsResult>
    <Datapoints>
      <member><Timestamp>2026-11-02T00:00:00Z</Timestamp><Sum>1000000.0</Sum><Unit>Count</Unit></member>
      <member><Timestamp>2026-11-03T00:00:00Z</Timestamp><Sum>250.5</Sum><Unit>Count</Unit></member>
    </Datapoints>
    <Label>Invocations</Label>
  </GetMetricStatisticsResult>
</GetMetricStatisticsResponse>"#;
        assert_eq!(parse_sum(xml), Some(1_000_250.5));
        assert_eq!(parse_sum("<Datapoints/>"), None);
        assert_eq!(parse_sum("<Datapoints></Datapoints>"), None);
        assert_eq!(parse_sum("<Datapoints><member><Sum>1e3"), None);
        assert_eq!(parse_sum("garbage"), None);
    }

    #[test]
    fn errors_say_what_to_do() {
        let e = CloudWatchError::Forbidden("f".into()).to_string();
        assert!(e.contains(ACTION));
        let e = CloudWatchError::NoData("f".into()).to_string();
        assert!(e.contains("give monthlyInvocations as a number"));
    }
}
