//! The link format's tests: round trips, every older version, damaged links.

use super::*;
use crate::{
    result::{SamplingSummary, Unmeasured},
    stats::confidence::Interval,
    traffic::TrafficSource,
};

pub(crate) fn sample_run() -> RunResult {
    let size = |mb: u32, d: f64, c: f64| SizeResult {
        memory: MemoryMb::new(mb).unwrap(),
        average_duration_ms: d,
        average_cost: c,
        detail: Some(SizeDetail {
            stats: SizeStats {
                invocations: 50,
                errors: 1,
                average_duration_ms: d,
                average_billed_ms: d.ceil(),
                total_billed_ms: d.ceil() * 50.0,
                duration: Spread {
                    min: d * 0.8,
                    max: d * 1.5,
                    mean: d,
                    p50: d,
                    p90: d * 1.2,
                    p99: d * 1.4,
                    std_dev: d / 10.0,
                },
                cold_starts: 1,
                mean_init_ms: 180.5,
                mean_restore_ms: 95.25,
                max_memory_used_mb: Some(77),
                duration_interval: Some(Interval {
                    low: d * 0.95,
                    high: d * 1.05,
                }),
            },
            total_cost: c * 50.0,
            cost_interval: Some(Interval {
                low: c * 0.9,
                high: c * 1.1,
            }),
        }),
        error: None,
        unmeasured: None,
    };
    RunResult {
        function_name: Some("orders-api".into()),
        region: Some("eu-west-1".into()),
        architecture: Architecture::Arm64,
        currency: Currency::Usd,
        current_memory: Some(MemoryMb::new(1024).unwrap()),
        strategy: Strategy::Balanced,
        balanced_weight: 0.25,
        sizes: vec![
            size(128, 812.5, 1.7e-6),
            size(256, 401.25, 1.69e-6),
            size(512, 203.0, 1.7e-6),
            size(1024, 104.0, 1.75e-6),
            size(1536, 80.0, 2.0e-6),
            SizeResult {
                error: Some(crate::failure::SizeFailure::new(
                    crate::failure::FailureKind::OutOfMemory,
                    "Runtime.OutOfMemory",
                )),
                detail: None,
                ..size(3008, 0.0, 0.0)
            },
        ],
        tolerance: 0.05,
        sampling: Some(SamplingSummary {
            mode: crate::sampling::SamplingMode::Adaptive,
            invocations: 120,
            published: 5,
            grid_invocations: 300,
            grid_published: 6,
        }),
        traffic: Some(Traffic {
            invocations: 30_000_000,
            source: TrafficSource::Cloudwatch,
            free_tier: true,
            other_gb_seconds: Some(1.5e9),
            cold_start_rate: Some(0.25),
        }),
    }
}

#[test]
fn pt3_links_carry_the_monthly_traffic_and_pt2_links_still_open() {
    let run = sample_run();
    let back = decode(&encode(&run)).unwrap();
    assert_eq!(back.traffic, run.traffic);
    assert_eq!(back.monthly().unwrap().sizes.len(), 5);
    let restore = |r: &RunResult| r.sizes[1].detail.as_ref().unwrap().stats.mean_restore_ms;
    assert_eq!(restore(&back), 95.25);
    // A pt2 link: the same content without the traffic.
    let bytes = postcard::to_allocvec(&(Wire::from(&run), Extras::from(&run))).unwrap();
    let pt2 = format!(
        "pt2.{}",
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bytes, 10))
    );
    let old = decode(&pt2).unwrap();
    assert_eq!(old.traffic, None);
    assert_eq!(old.tolerance, 0.05);
    assert_eq!(old.sizes.len(), 6);
    // A rate out of range is refused, not shown.
    let mut bad = TrafficWire::from(run.traffic.as_ref().unwrap());
    bad.cold_start_rate = Some(7.0);
    let bytes = postcard::to_allocvec(&(
        Wire::from(&run),
        Extras::from(&run),
        Some(bad),
        vec![0f32; 6],
    ))
    .unwrap();
    let link = format!(
        "pt3.{}",
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bytes, 10))
    );
    assert!(matches!(decode(&link), Err(ShareLinkError::Corrupt(_))));
}

#[test]
fn pt4_links_carry_the_kind_of_each_failure_and_pt3_links_keep_its_text() {
    let run = sample_run();
    let failed = |r: &RunResult| r.sizes[5].error.clone().unwrap();
    assert_eq!(failed(&decode(&encode(&run)).unwrap()), failed(&run));
    assert_eq!(failed(&run).short(), "out of memory");
    let bytes = postcard::to_allocvec(&(
        Wire::from(&run),
        Extras::from(&run),
        run.traffic.as_ref().map(TrafficWire::from),
        vec![0f32; 6],
    ))
    .unwrap();
    let pt3 = format!(
        "pt3.{}",
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&bytes, 10))
    );
    let old = decode(&pt3).unwrap();
    assert_eq!(
        failed(&old),
        SizeFailure::new(FailureKind::Unknown, failed(&run).message)
    );
    assert_eq!(old.traffic, run.traffic);
}

#[test]
fn round_trip_keeps_everything_at_f32_precision() {
    let run = sample_run();
    let link = encode(&run);
    assert!(link.starts_with("pt4."));
    assert!(link.len() < 700, "{} chars", link.len());
    let back = decode(&link).unwrap();
    assert_eq!(back.function_name.as_deref(), Some("orders-api"));
    assert_eq!(back.architecture, Architecture::Arm64);
    assert_eq!(back.strategy, Strategy::Balanced);
    assert_eq!(back.balanced_weight, 0.25);
    assert_eq!(back.current_memory, run.current_memory);
    assert_eq!(back.sizes.len(), 6);
    assert_eq!(
        back.sizes[5].error, run.sizes[5].error,
        "the kind travels too"
    );
    let (a, b) = (&run.sizes[1], &back.sizes[1]);
    assert_eq!(b.average_duration_ms, 401.25);
    assert!((b.average_cost - a.average_cost).abs() / a.average_cost < 1e-7);
    let detail = b.detail.as_ref().unwrap();
    assert_eq!(detail.stats.invocations, 50);
    assert_eq!(detail.stats.max_memory_used_mb, Some(77));
    assert_eq!(detail.stats.mean_init_ms, 180.5);
    let interval = detail.stats.duration_interval.unwrap();
    assert!((interval.low - 401.25 * 0.95).abs() < 1e-3);
    assert!(detail.cost_interval.is_some());
    assert_eq!(back.tolerance, 0.05);
    assert_eq!(back.sampling, run.sampling);
    // Encoding what was decoded gives the same link.
    assert_eq!(encode(&back), link);
}

/// A link made by the previous release (`pt1`), with 1536 MB skipped by adaptive sampling.
const PT1: &str = "pt1.VY4xSwNBEEa_FdEoaURQBAlLChuJqCQgKSTenrEIIWBlG3K7ZiGXO27v0FhtL6S-BISQwl4b25RqFfAXKFZWNhZ2bk4OceDBDDNvZsiyFzg8UIWmL8kSjwoXXIWFPQKiM3OAPlzQBLRm97ffS2SfoFKz8Zw7gc7bOIvtWSthomzs9m3osUWgi4zUF637A-g5jB7Z18tbIuOJIXNThR4xXK7Zs1bC5JPBzxqZpnJcujPyPFBj6WWTIs5VhcgzVGKW1IbhQLHhRp8JMT76dzkDTK3r149feWqZ146FuLWATZbUhuHg27Bi5K1ULuoHI2eRBil3vZC6vKmigDtlGrY5VU3X78juOfW9jmz1qCMdOptqtT1PcTMiFVXyik_W_9asnkbdULp8pxGFDVHnrhf0fgA";

#[test]
fn links_of_the_first_version_still_open() {
    let old = decode(PT1).unwrap();
    assert_eq!(old.function_name.as_deref(), Some("orders-api"));
    assert_eq!(old.sizes.len(), 6);
    assert_eq!(old.tolerance, DEFAULT_TOLERANCE);
    assert_eq!(old.sampling, None);
    assert!(
        old.sizes[0]
            .detail
            .as_ref()
            .unwrap()
            .stats
            .duration_interval
            .is_none()
    );
    // The skipped size's reason, once error text, is typed now; the failed one stays failed.
    assert_eq!(old.sizes[4].unmeasured, Some(Unmeasured::NotChosen));
    assert_eq!(old.sizes[4].error, None);
    assert_eq!(
        old.sizes[5].error,
        Some(SizeFailure::new(
            FailureKind::Unknown,
            "Runtime.OutOfMemory"
        )),
        "an older link keeps the text, without a kind"
    );
    assert!(encode(&old).starts_with("pt4."));
}

#[test]
fn a_size_never_measured_stays_unmeasured_through_a_link() {
    let mut run = sample_run();
    run.sizes[4] = SizeResult {
        detail: None,
        unmeasured: Some(Unmeasured::Stopped),
        average_duration_ms: 0.0,
        average_cost: 0.0,
        ..run.sizes[4].clone()
    };
    let back = decode(&encode(&run)).unwrap();
    assert_eq!(back.sizes[4].unmeasured, Some(Unmeasured::Stopped));
    assert!(!back.sizes[4].is_usable());
}

#[test]
fn no_function_name_unless_set() {
    let mut run = sample_run();
    run.function_name = None;
    let link = encode(&run);
    assert_eq!(decode(&link).unwrap().function_name, None);
}

#[test]
fn damaged_links_are_explained() {
    let link = encode(&sample_run());
    let cut = &link[..link.len() / 2];
    assert!(matches!(decode(cut), Err(ShareLinkError::Corrupt(_))));
    assert!(
        matches!(decode("pt1.!!!"), Err(ShareLinkError::Corrupt(m)) if m.starts_with("base64"))
    );
    assert!(matches!(decode("pt5.AAAA"), Err(ShareLinkError::UnknownVersion(v)) if v == "5"));
    assert!(is_compact("pt1.x") && !is_compact("pt.x") && !is_compact("gAAAAQAC;x;y"));
}
