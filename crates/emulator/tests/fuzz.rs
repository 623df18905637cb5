//! Fuzzing every parser of untrusted text with structure-aware mutation, on stable Rust: each
//! target starts from valid samples and derives inputs by byte and character mutations (flips,
//! inserts of bytes that matter to the format, deletions, duplications, truncation, splices of
//! two samples, extreme numbers, huge repetitions) and, for JSON, by replacing a random node of
//! the parsed tree with a value of another kind. No input may panic; formats that round-trip
//! must give back what they encoded.
//!
//! Targets: the execution input JSON, credential pastes, REPORT log tails (text and JSON,
//! base64 too), CloudWatch's metric answer, share links (powertune's and the chart site's 3- and 8-part hashes, with and
//! without query strings), ARNs, S3 locations, and lambda-emulator's request handling (SigV4
//! `Authorization` headers, paths, query strings and bodies through its router).
//!
//! `scripts/fuzz.sh [INPUTS_PER_PARSER]` runs many (`FUZZ_INPUTS`, default 100,000); the test here
//! runs 2,000 per target.

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{Router, body::Body, http::Request};
use base64::Engine as _;
use lambda_emulator::{
    actor::SimHandle,
    routes::{AppState, app},
    sigv4::IssuedCredentials,
};
use powertune_tuner::{
    FunctionArn,
    fixtures::{README_SAMPLE_HASH, measured_run},
    input::{S3Location, parse_input},
    logs,
    share::{self, compact},
    sim::{Faults, sample_functions},
};
use serde_json::Value;
use tower::ServiceExt as _;

/// Byte strings that matter to the formats fuzzed.
const TOKENS: [&[u8]; 28] = [
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b";",
    b"=",
    b"&",
    b"%",
    b"%ff",
    b"\\u0000",
    b"\n",
    b"\t",
    b"\xff\xfe",
    b"\xc3",
    b"1e309",
    b"-0",
    b"99999999999999999999",
    b"null",
    b"REPORT RequestId: ",
    b"Duration: ",
    b"pt2.",
    b"pt3.",
    b"pt4.",
    b"${",
    b"<Sum>",
];

struct Mutator {
    rng: fastrand::Rng,
}

impl Mutator {
    fn mutate(&mut self, seeds: &[Vec<u8>]) -> Vec<u8> {
        let rng = &mut self.rng;
        let mut out = seeds[rng.usize(..seeds.len())].clone();
        for _ in 0..rng.usize(1..=4) {
            let len = out.len();
            let at = rng.usize(..=len);
            match rng.u8(..9) {
                0 if len > 0 => {
                    let i = rng.usize(..len);
                    out[i] ^= 1 << rng.u8(..8);
                }
                1 if len > 0 => {
                    let i = rng.usize(..len);
                    out[i] = rng.u8(..);
                }
                2 => {
                    let token = TOKENS[rng.usize(..TOKENS.len())];
                    out.splice(at..at, token.iter().copied());
                }
                3 if len > 0 => {
                    let end = (at + rng.usize(1..=16)).min(len);
                    out.drain(at.min(end)..end);
                }
                4 if len > 0 => {
                    let end = (at + rng.usize(1..=32)).min(len);
                    let piece: Vec<u8> = out[at.min(end)..end].to_vec();
                    out.splice(at..at, piece);
                }
                5 => out.truncate(at),
                6 => {
                    let other = &seeds[rng.usize(..seeds.len())];
                    let from = rng.usize(..=other.len());
                    out.truncate(at);
                    out.extend_from_slice(&other[from..]);
                }
                7 if rng.u8(..20) == 0 => {
                    // A huge repetition: no quadratic blow-up, no stack overflow.
                    let token = TOKENS[rng.usize(..TOKENS.len())];
                    let piece: Vec<u8> = token.repeat(rng.usize(1000..20_000));
                    out.splice(at..at, piece);
                }
                _ => {
                    let digits = rng.u64(..).to_string();
                    out.splice(at..at, digits.bytes());
                }
            }
        }
        out
    }

    /// For a JSON seed: a random node replaced by a value of another kind.
    fn mutate_json(&mut self, seed: &Value) -> Value {
        let mut value = seed.clone();
        let replacement = match self.rng.u8(..8) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.bool()),
            2 => serde_json::json!(self.rng.i64(..)),
            3 => serde_json::json!(f64::from_bits(self.rng.u64(..)).clamp(-1e300, 1e300)),
            4 => Value::String("x".repeat(self.rng.usize(0..3000))),
            5 => serde_json::json!([]),
            6 => serde_json::json!({}),
            _ => serde_json::json!([[[[{"a": [1, "2", null]}]]]]),
        };
        let depth = self.rng.usize(0..4);
        replace_at(&mut value, depth, &mut self.rng, replacement);
        value
    }
}

/// Replaces a node `depth` levels down a random path (or the deepest reached) by `replacement`.
fn replace_at(node: &mut Value, depth: usize, rng: &mut fastrand::Rng, replacement: Value) {
    if depth > 0 {
        match node {
            Value::Object(map) if !map.is_empty() => {
                let i = rng.usize(..map.len());
                if let Some(child) = map.values_mut().nth(i) {
                    return replace_at(child, depth - 1, rng, replacement);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.usize(..items.len());
                return replace_at(&mut items[i], depth - 1, rng, replacement);
            }
            _ => {}
        }
    }
    *node = replacement;
}

/// What one target did.
struct Report {
    inputs: usize,
    panics: Vec<String>,
    slowest: Duration,
}

/// Runs `target` on `inputs` mutations of `seeds` (JSON-tree mutations for half of them when the
/// seeds are JSON); a panic is recorded with the input that caused it.
fn fuzz(
    name: &str,
    seeds: &[&str],
    inputs: usize,
    seed: u64,
    target: &mut dyn FnMut(&[u8]) -> Result<(), String>,
) -> Report {
    let seeds: Vec<Vec<u8>> = seeds.iter().map(|s| s.as_bytes().to_vec()).collect();
    let json: Vec<Value> = seeds
        .iter()
        .filter_map(|s| serde_json::from_slice(s).ok())
        .collect();
    let mut mutator = Mutator {
        rng: fastrand::Rng::with_seed(seed),
    };
    let mut report = Report {
        inputs,
        panics: Vec::new(),
        slowest: Duration::ZERO,
    };
    for i in 0..inputs {
        let input = if !json.is_empty() && i % 2 == 0 {
            let tree = &json[mutator.rng.usize(..json.len())];
            mutator.mutate_json(tree).to_string().into_bytes()
        } else {
            mutator.mutate(&seeds)
        };
        let started = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| target(&input))) {
            Ok(Ok(())) => {}
            Ok(Err(broken)) => report
                .panics
                .push(format!("{name}: {broken}: {:?}", lossy(&input))),
            Err(panic) => {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                report
                    .panics
                    .push(format!("{name}: panicked ({why}) on {:?}", lossy(&input)));
            }
        }
        report.slowest = report.slowest.max(started.elapsed());
    }
    report
}

fn lossy(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(input);
    text.chars().take(300).collect()
}

fn text(input: &[u8]) -> String {
    String::from_utf8_lossy(input).into_owned()
}

fn router() -> Router {
    app(AppState {
        sim: SimHandle::start(sample_functions("us-east-1"), 1, Faults::default()),
        credentials: Arc::new(vec![IssuedCredentials {
            access_key_id: "ASIAEXAMPLE000000000".into(),
            secret_access_key: "secret".into(),
            session_token: "token".into(),
        }]),
        cloudwatch_invocations: None,
    })
}

const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE000000000/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=3f1c6a2c5a0e6e3b7d7d2b0b9f2f0c8e6a1d4b2c9e7f5a3b1c0d9e8f7a6b5c4d";

fn run_all(inputs: usize) -> Vec<Report> {
    let compact_link = compact::encode(&measured_run());
    let mut reports = Vec::new();
    reports.push(fuzz(
        "execution input",
        &[
            r#"{"lambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:f", "num": 10, "powerValues": [128, 256, 512], "strategy": "balanced", "balancedWeight": 0.3, "payload": [{"payload": {"a": 1}, "weight": 2}, {"payload": "x", "weight": 1}], "sampling": "adaptive", "tolerance": 0.05}"#,
            r#"{"lambdaARN": "arn:aws:lambda:eu-west-1:123456789012:function:g:live", "num": 5, "powerValues": "ALL", "payloadS3": "s3://bucket/key.json", "preProcessorARN": "arn:aws:lambda:eu-west-1:123456789012:function:pre", "onlyColdStarts": true, "autoOptimize": true, "autoOptimizeAlias": "prod", "discardTopBottom": 0.4}"#,
            r#"{"lambdaARN": "arn:aws:lambda:cn-north-1:123456789012:function:h", "num": 20, "payload": {"id": "${index}-${mem}", "raw": "$${index}"}, "monthlyInvocations": "30,000,000", "freeTier": true, "otherMonthlyGbSeconds": 1.5e9, "coldStartRate": 0.02, "tenantId": "customer-42"}"#,
        ],
        inputs,
        1,
        &mut |input| {
            let _ = parse_input(&text(input));
            Ok(())
        },
    ));
    reports.push(fuzz(
        "credential paste",
        &[
            r#"{"Credentials": {"AccessKeyId": "ASIAEXAMPLE000000000", "SecretAccessKey": "abc/def+ghi", "SessionToken": "IQoJb3Jp", "Expiration": "2026-12-01T12:00:00Z"}}"#,
            "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE000000000\nexport AWS_SECRET_ACCESS_KEY=abc\nexport AWS_SESSION_TOKEN=tok\n",
            "[default]\naws_access_key_id = ASIAEXAMPLE000000000\naws_secret_access_key = abc\naws_session_token = tok\n",
            "$Env:AWS_ACCESS_KEY_ID=\"ASIAEXAMPLE000000000\"\n$Env:AWS_SECRET_ACCESS_KEY=\"abc\"\n$Env:AWS_SESSION_TOKEN=\"tok\"",
        ],
        inputs,
        2,
        &mut |input| {
            let pasted = text(input);
            if let Err(e) = powertune_aws::ParsedCredentials::parse(&pasted, 1_796_000_000, true) {
                // An error must never echo a secret it was given.
                let message = e.to_string();
                if message.contains("abc/def+ghi") || message.contains("IQoJb3Jp") {
                    return Err(format!("the error shows a secret: {message}"));
                }
            }
            Ok(())
        },
    ));
    let report_line = "START RequestId: 8f5d Version: 3\nEND RequestId: 8f5d\nREPORT RequestId: 8f5d\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\tInit Duration: 301.2 ms\t\n";
    let json_report = r#"{"time":"2026-12-01T10:00:00.000Z","type":"platform.report","record":{"requestId":"8f5d","metrics":{"durationMs":12.34,"billedDurationMs":13,"memorySizeMB":512,"maxMemoryUsedMB":80,"initDurationMs":301.2},"status":"success"}}"#;
    reports.push(fuzz(
        "REPORT log tail",
        &[report_line, json_report],
        inputs,
        3,
        &mut |input| {
            let tail = text(input);
            let _ = logs::parse(&tail);
            let encoded = base64::engine::general_purpose::STANDARD.encode(input);
            let _ = logs::parse_base64(Some(&encoded));
            let _ = logs::parse_base64(Some(&tail));
            Ok(())
        },
    ));
    let hash_url = format!("https://lambda-power-tuning.show/#{README_SAMPLE_HASH}");
    let cny = format!("https://lambda-power-tuning.show/?currency=CNY#{README_SAMPLE_HASH}");
    let comparison = format!("{README_SAMPLE_HASH};{README_SAMPLE_HASH};a%20b;c");
    let ours = format!("https://powertune.example/#{compact_link}");
    let many = format!("#{compact_link}~{compact_link}");
    reports.push(fuzz(
        "share link",
        &[&hash_url, &cny, &comparison, &ours, &many, &compact_link],
        inputs,
        4,
        &mut |input| {
            if let Ok(share::SharedLink::Compact(runs)) = share::decode(&text(input)) {
                // What decodes, re-encodes to a link that decodes to the same runs.
                for run in runs {
                    let again = compact::decode(&compact::encode(&run))
                        .map_err(|e| format!("a decoded run does not re-encode: {e}"))?;
                    if again != run {
                        return Err("a decoded run changes through a round trip".into());
                    }
                }
            }
            Ok(())
        },
    ));
    reports.push(fuzz(
        "ARN and S3 location",
        &[
            "arn:aws:lambda:us-east-1:123456789012:function:my-function",
            "arn:aws-cn:lambda:cn-north-1:123456789012:function:f:$LATEST",
            "s3://my-bucket/path/to/payload.json",
            "my-function",
        ],
        inputs,
        5,
        &mut |input| {
            let text = text(input);
            if let Ok(arn) = text.parse::<FunctionArn>() {
                let again: FunctionArn = arn
                    .to_string()
                    .parse()
                    .map_err(|e| format!("an ARN does not re-parse: {e}"))?;
                if again != arn {
                    return Err("an ARN changes through a round trip".into());
                }
            }
            let _ = S3Location::parse(&text);
            Ok(())
        },
    ));
    reports.push(fuzz(
        "CloudWatch answer",
        &[
            "<GetMetricStatisticsResponse><GetMetricStatisticsResult><Datapoints><member><Timestamp>2026-11-02T00:00:00Z</Timestamp><Sum>1000000.0</Sum><Unit>Count</Unit></member><member><Sum>250</Sum></member></Datapoints><Label>Invocations</Label></GetMetricStatisticsResult></GetMetricStatisticsResponse>",
            "<ErrorResponse><Errors><Error><Code>AccessDenied</Code></Error></Errors></ErrorResponse>",
        ],
        inputs,
        1,
        &mut |input| {
            if let Some(sum) = powertune_aws::cloudwatch::parse_sum(&text(input))
                && !(sum.is_finite() && sum >= 0.0)
            {
                return Err(format!("a sum of {sum} invocations"));
            }
            Ok(())
        },
    ));
    // The emulator: every request through the router, as its HTTP server hands them over.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let router = runtime.block_on(async { router() });
    reports.push(fuzz(
        "emulator request",
        &[
            "POST /2015-03-31/functions/image-resizer/invocations?Qualifier=RAM512\n{\"a\": 1}",
            "PUT /2015-03-31/functions/image-resizer/configuration\n{\"MemorySize\": 1024, \"Description\": \"x\"}",
            "GET /2015-03-31/functions?MaxItems=5&Marker=abc\n",
            "POST /2015-03-31/functions/image-resizer/aliases\n{\"Name\": \"RAM512\", \"FunctionVersion\": \"1\"}",
            "DELETE /2015-03-31/functions/image-resizer/versions/3\n",
        ],
        inputs,
        6,
        &mut |input| {
            let text = text(input);
            let (head, body) = text.split_once('\n').unwrap_or((&text, ""));
            let (method, path) = head.split_once(' ').unwrap_or(("GET", head));
            let authorization = if input.len() % 3 == 0 {
                AUTHORIZATION.to_owned()
            } else {
                text.chars().rev().take(200).collect()
            };
            let Ok(request) = Request::builder()
                .method(method)
                .uri(path)
                .header("authorization", authorization)
                .header("x-amz-date", "20261201T100000Z")
                .header("x-amz-security-token", "token")
                .body(Body::from(body.to_owned()))
            else {
                return Ok(()); // not an HTTP request: the server never sees it
            };
            let response = runtime
                .block_on(router.clone().oneshot(request))
                .map_err(|e| format!("the router failed: {e:?}"))?;
            if response.status().is_server_error() {
                return Err(format!("answered {}", response.status()));
            }
            Ok(())
        },
    ));
    reports
}

fn summarise(reports: &[Report], started: Instant) -> usize {
    let violations: usize = reports.iter().map(|r| r.panics.len()).sum();
    for r in reports {
        for p in r.panics.iter().take(5) {
            println!("{p}");
        }
    }
    let inputs: usize = reports.iter().map(|r| r.inputs).sum();
    let slowest = reports.iter().map(|r| r.slowest).max().unwrap_or_default();
    println!(
        "fuzz: {} targets, {inputs} inputs, {violations} violation(s), slowest input {:.1} ms, {:.1} s",
        reports.len(),
        slowest.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64()
    );
    violations
}

#[test]
fn every_parser_survives_mutated_inputs() {
    let started = Instant::now();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let reports = run_all(2_000);
    std::panic::set_hook(hook);
    assert_eq!(summarise(&reports, started), 0);
}

/// `scripts/fuzz.sh`: `FUZZ_INPUTS` inputs per target.
#[test]
#[ignore = "many inputs: scripts/fuzz.sh runs it"]
fn fuzz_inputs() {
    let inputs = std::env::var("FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let started = Instant::now();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let reports = run_all(inputs);
    std::panic::set_hook(hook);
    assert_eq!(summarise(&reports, started), 0);
}
