//! Property tests: link formats round-trip, and no parser panics on arbitrary input.

use powertune_tuner::{
    MemoryMb, Strategy as TuningStrategy,
    failure::{FailureKind, SizeFailure},
    input::{parse_input, parse_value},
    logs,
    monthly::{Traffic, TrafficSource},
    pricing::{Architecture, Currency},
    result::{RunResult, SamplingSummary, SizeDetail, SizeResult, Unmeasured},
    sampling::SamplingMode,
    share::{self, compact, original},
    stats::confidence::Interval,
    stats::{SizeStats, Spread},
};
use proptest::prelude::*;
use serde_json::Value;

fn memory() -> impl Strategy<Value = MemoryMb> {
    (128u32..=10_240).prop_map(|m| MemoryMb::new(m).unwrap())
}

/// Values exactly representable as f32, so a round trip must be exact.
fn f32_value() -> impl Strategy<Value = f64> {
    (0.0f32..1e6f32).prop_map(f64::from)
}

fn size_result() -> impl Strategy<Value = SizeResult> {
    (
        memory(),
        f32_value(),
        (0.0f32..1.0f32).prop_map(f64::from),
        proptest::option::of((
            0u32..1000,
            0u32..10,
            prop::array::uniform7(f32_value()),
            proptest::option::of(1u32..10_240),
        )),
        proptest::option::of(failure()),
        (
            proptest::option::of(interval()),
            proptest::option::of(interval()),
            proptest::option::of(prop::sample::select(vec![
                Unmeasured::NotChosen,
                Unmeasured::Stopped,
            ])),
        ),
    )
        .prop_map(
            |(memory, duration, cost, detail, error, (di, ci, unmeasured))| SizeResult {
                memory,
                average_duration_ms: duration,
                average_cost: cost,
                detail: detail.map(|(invocations, errors, s, max_mem)| SizeDetail {
                    stats: SizeStats {
                        invocations,
                        errors,
                        average_duration_ms: duration,
                        average_billed_ms: s[0],
                        total_billed_ms: s[1],
                        duration: Spread {
                            min: s[0],
                            max: s[1],
                            mean: s[2],
                            p50: s[3],
                            p90: s[4],
                            p99: s[5],
                            std_dev: s[6],
                        },
                        cold_starts: errors,
                        mean_init_ms: s[2],
                        mean_restore_ms: s[4],
                        max_memory_used_mb: max_mem,
                        duration_interval: di,
                    },
                    total_cost: s[3],
                    cost_interval: ci,
                }),
                error,
                unmeasured,
            },
        )
}

fn failure() -> impl Strategy<Value = SizeFailure> {
    let kind = prop_oneof![
        Just(FailureKind::OutOfMemory),
        Just(FailureKind::TimedOut),
        (1u64..900).prop_map(|after_s| FailureKind::NoAnswer { after_s }),
        proptest::option::of("[A-Za-z.]{1,20}")
            .prop_map(|error_type| FailureKind::FunctionError { error_type }),
        Just(FailureKind::PreProcessor),
        Just(FailureKind::PostProcessor),
        Just(FailureKind::NoReport),
        proptest::option::of(128u32..10_240).prop_map(|quota_mb| FailureKind::Refused { quota_mb }),
        Just(FailureKind::Unknown),
    ];
    (kind, "[a-zA-Z .:]{0,40}").prop_map(|(kind, message)| SizeFailure::new(kind, message))
}

fn interval() -> impl Strategy<Value = Interval> {
    (f32_value(), f32_value()).prop_map(|(a, b)| Interval {
        low: a.min(b),
        high: a.max(b),
    })
}

fn sampling_summary() -> impl Strategy<Value = SamplingSummary> {
    (
        prop::sample::select(vec![SamplingMode::Grid, SamplingMode::Adaptive]),
        prop::array::uniform4(0u32..100_000),
    )
        .prop_map(|(mode, [a, b, c, d])| SamplingSummary {
            mode,
            invocations: a,
            published: b,
            grid_invocations: c,
            grid_published: d,
        })
}

fn run_result() -> impl Strategy<Value = RunResult> {
    (
        proptest::option::of("[a-zA-Z0-9_-]{1,64}"),
        proptest::option::of(prop::sample::select(vec![
            "us-east-1",
            "eu-west-1",
            "cn-north-1",
        ])),
        prop::sample::select(vec![Architecture::X86_64, Architecture::Arm64]),
        prop::sample::select(TuningStrategy::ALL.to_vec()),
        (0u8..=100).prop_map(|w| f64::from(f32::from(w) / 100.0)),
        proptest::option::of(memory()),
        prop::collection::vec(size_result(), 1..50),
        (
            (0u8..=50).prop_map(|t| f64::from(t) / 100.0),
            proptest::option::of(sampling_summary()),
            proptest::option::of(traffic()),
        ),
    )
        .prop_map(
            |(
                function_name,
                region,
                architecture,
                strategy,
                balanced_weight,
                current_memory,
                sizes,
                (tolerance, sampling, traffic),
            )| RunResult {
                function_name,
                currency: region.map_or(Currency::Usd, Currency::of_region),
                region: region.map(str::to_owned),
                architecture,
                current_memory,
                strategy,
                balanced_weight,
                sizes,
                tolerance,
                sampling,
                traffic,
            },
        )
}

fn traffic() -> impl Strategy<Value = Traffic> {
    (
        1u64..=10u64.pow(13),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(0.0f64..1e12),
        // Rates travel as f32: pick values an f32 holds exactly.
        proptest::option::of((0u8..=100).prop_map(|r| f64::from(f32::from(r) / 100.0))),
    )
        .prop_map(
            |(invocations, cloudwatch, free_tier, other_gb_seconds, cold_start_rate)| Traffic {
                invocations,
                source: if cloudwatch {
                    TrafficSource::Cloudwatch
                } else {
                    TrafficSource::Input
                },
                free_tier,
                other_gb_seconds,
                cold_start_rate,
            },
        )
}

proptest! {
    #[test]
    fn compact_links_round_trip(run in run_result()) {
        let link = compact::encode(&run);
        let back = compact::decode(&link).unwrap();
        prop_assert_eq!(&back, &run);
        let via_url = share::decode(&format!("https://powertune.example/app/#{link}")).unwrap();
        prop_assert_eq!(via_url, share::SharedLink::Compact(vec![run]));
    }

    #[test]
    fn compact_comparison_links_round_trip(a in run_result(), b in run_result()) {
        let runs = vec![a, b];
        let link = compact::encode_many(&runs);
        let via_url = share::decode(&format!("https://powertune.example/#{link}")).unwrap();
        prop_assert_eq!(via_url, share::SharedLink::Compact(runs));
    }

    #[test]
    fn original_links_round_trip(points in prop::collection::vec((128u32..=10_240, f32_value(), (0.0f32..1.0f32).prop_map(f64::from)), 1..47)) {
        let points: Vec<original::Point> = points
            .into_iter()
            .map(|(power, duration, cost)| original::Point { power: f64::from(power), duration, cost })
            .collect();
        let hash = original::encode_hash(&points);
        let link = original::decode_hash(&hash).unwrap();
        let mut sorted = points.clone();
        sorted.sort_by(|a, b| a.power.total_cmp(&b.power));
        prop_assert_eq!(link.first.sizes.len(), sorted.len());
        for (i, p) in sorted.iter().enumerate() {
            prop_assert_eq!(f64::from(link.first.sizes[i]), p.power);
            prop_assert_eq!(f64::from(link.first.durations[i]), p.duration);
            prop_assert_eq!(f64::from(link.first.costs[i]), p.cost);
        }
        let hash2 = original::encode_hash(&points[..1]);
        let comparison = original::encode_comparison(&hash, &hash2, "a;b c", "é");
        let link = original::decode_hash(&comparison).unwrap();
        let cmp = link.comparison.unwrap();
        prop_assert_eq!(cmp.first_legend, "a;b c");
        prop_assert_eq!(cmp.second_legend, "é");
    }

    #[test]
    fn share_decoder_never_panics(text in ".{0,300}") {
        let _ = share::decode(&text);
    }

    #[test]
    fn share_decoder_never_panics_on_link_like_text(parts in prop::collection::vec("[A-Za-z0-9+/=%]{0,40}", 0..10), pt in any::<bool>()) {
        let text = if pt { format!("pt1.{}", parts.concat()) } else { parts.join(";") };
        let _ = share::decode(&text);
    }

    #[test]
    fn input_parser_never_panics_on_text(text in ".{0,300}") {
        let _ = parse_input(&text);
    }

    #[test]
    fn input_parser_never_panics_on_json(value in json_value()) {
        let _ = parse_value(&value);
        if let Value::Object(mut obj) = value {
            obj.insert("lambdaARN".into(), "arn:aws:lambda:us-east-1:123456789012:function:f".into());
            let _ = parse_value(&Value::Object(obj));
        }
    }

    #[test]
    fn log_parser_never_panics(text in ".{0,500}", bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = logs::parse(&text);
        let _ = logs::parse(&format!("REPORT RequestId: x\t{text}"));
        let _ = logs::parse(&format!("{{\"type\":\"platform.report\",{text}"));
        use base64::Engine as _;
        let _ = logs::parse_base64(Some(&base64::engine::general_purpose::STANDARD.encode(&bytes)));
        let _ = logs::parse_base64(Some(&text));
    }
}

/// Arbitrary JSON, biased towards the keys and shapes the input parser reads.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(
        powertune_tuner::input::KEYS
            .iter()
            .map(|k| k.name)
            .collect::<Vec<_>>(),
    )
    .prop_map(str::to_owned);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
        Just(Value::String("ALL".into())),
        Just(Value::String("s3://b/k".into())),
    ];
    leaf.prop_recursive(3, 40, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner.clone()), 0..10)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            prop::collection::vec((inner.clone(), inner), 0..4).prop_map(|pairs| {
                Value::Array(
                    pairs
                        .into_iter()
                        .map(|(p, w)| serde_json::json!({"payload": p, "weight": w}))
                        .collect(),
                )
            }),
        ]
    })
}
