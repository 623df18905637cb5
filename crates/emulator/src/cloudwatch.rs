//! CloudWatch's `GetMetricStatistics` for the `AWS/Lambda` `Invocations` metric, as the Query
//! protocol answers it (a form-encoded POST to `/`, an XML answer), so that a client reading a
//! function's monthly traffic can be tested against the emulator like against moto. The sums
//! come from `--cloudwatch-invocations`: that many invocations a month for every function, as
//! 30 daily datapoints (none without the option, as for a function with no traffic).

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use crate::{errors::aws_error, state::AppState};

/// `POST /` with `Action=GetMetricStatistics`.
pub async fn get_metric_statistics(State(state): State<AppState>, body: Bytes) -> Response {
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if field("Action") != Some("GetMetricStatistics") {
        return aws_error(
            StatusCode::BAD_REQUEST,
            "InvalidAction",
            "the emulator answers only GetMetricStatistics on /",
        );
    }
    if field("Namespace") != Some("AWS/Lambda") || field("MetricName") != Some("Invocations") {
        return aws_error(
            StatusCode::BAD_REQUEST,
            "InvalidParameterValue",
            "the emulator has only AWS/Lambda Invocations",
        );
    }
    let datapoints: String = match state.cloudwatch_invocations {
        Some(monthly) => (1..=30)
            .map(|day| {
                // The month spread over 30 days, the remainder on the last.
                let sum = monthly / 30 + if day == 30 { monthly % 30 } else { 0 };
                format!(
                    "<member><Timestamp>2026-11-{day:02}T00:00:00Z</Timestamp><Sum>{sum}.0</Sum><Unit>Count</Unit></member>"
                )
            })
            .collect(),
        None => String::new(),
    };
    let xml = format!(
        r#"<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult><Label>Invocations</Label><Datapoints>{datapoints}</Datapoints></GetMetricStatisticsResult><ResponseMetadata><RequestId>emulated</RequestId></ResponseMetadata></GetMetricStatisticsResponse>"#
    );
    let mut response = (StatusCode::OK, xml).into_response();
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("text/xml"));
    response
}
