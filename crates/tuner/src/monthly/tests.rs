use super::*;
use crate::{
    fixtures::run_of_rows,
    pricing::{Architecture, Currency},
    stats::SizeStats,
    strategy::Strategy,
};

fn mb(m: u32) -> MemoryMb {
    MemoryMb::new(m).unwrap()
}

/// A run in `region` whose sizes were billed `billed_ms` on average, priced as the engine
/// prices them; `cold` of each size's 10 calls were cold starts with 200 ms of init.
fn run(region: &str, sizes: &[(u32, f64)], cold: u32, traffic: Traffic) -> RunResult {
    let price = Price::for_function(region, Architecture::X86_64);
    let mut r = run_of_rows(&[], Strategy::Cost, 0.5);
    r.region = Some(region.into());
    r.currency = Currency::of_region(region);
    r.traffic = Some(traffic);
    r.sizes = sizes
        .iter()
        .map(|&(m, billed)| SizeResult {
            memory: mb(m),
            average_duration_ms: billed - 0.5,
            average_cost: price.invocation(mb(m), billed, 512),
            detail: Some(crate::result::SizeDetail {
                stats: SizeStats {
                    invocations: 10,
                    average_billed_ms: billed,
                    cold_starts: cold,
                    mean_init_ms: 200.0,
                    ..SizeStats::default()
                },
                ..Default::default()
            }),
            error: None,
            unmeasured: None,
        })
        .collect();
    r
}

fn traffic(invocations: u64) -> Traffic {
    Traffic {
        invocations,
        source: TrafficSource::Input,
        free_tier: false,
        other_gb_seconds: None,
        cold_start_rate: None,
    }
}

#[test]
fn the_pricing_pages_example_costs_what_aws_says() {
    // aws.amazon.com/lambda/pricing, example 1 (x86, us-east-1): 512 MB, 3 million
    // invocations a month of 1 s each, with the free tier: 1.1 million billable GB-s at
    // $0.00001667 is $18.34, plus 2 million billable requests at $0.20 per million: $18.74.
    let t = Traffic {
        free_tier: true,
        ..traffic(3_000_000)
    };
    let month = run("us-east-1", &[(512, 1000.0)], 0, t).monthly().unwrap();
    let size = month.of(mb(512)).unwrap();
    assert_eq!(size.gb_seconds, 1_500_000.0);
    assert!((size.cost - 18.74).abs() < 0.01, "{}", size.cost);
}

#[test]
fn without_the_free_tier_every_request_and_gb_second_is_billed() {
    let month = run("us-east-1", &[(512, 1000.0)], 0, traffic(3_000_000))
        .monthly()
        .unwrap();
    let expected = 1_500_000.0 * 0.000_016_666_7 + 3.0 * 0.20;
    assert!((month.sizes[0].cost - expected).abs() < 1e-9);
    assert!(month.assumptions().contains("no free tier"));
    assert!(
        month
            .assumptions()
            .contains("3,000,000 invocations a month (as given)")
    );
}

#[test]
fn tiers_count_the_accounts_other_usage() {
    // 10 GB at 1 s, 100 million times: 1 billion GB-s.
    let sizes = [(10_240, 1000.0)];
    let alone = run("us-east-1", &sizes, 0, traffic(100_000_000))
        .monthly()
        .unwrap();
    let on_top = run(
        "us-east-1",
        &sizes,
        0,
        Traffic {
            other_gb_seconds: Some(20e9),
            ..traffic(100_000_000)
        },
    )
    .monthly()
    .unwrap();
    let requests = 100.0 * 0.20;
    let duration_alone = alone.sizes[0].cost - requests;
    let duration_on_top = on_top.sizes[0].cost - requests;
    assert!((duration_alone - 1e9 * 0.000_016_666_7).abs() < 1e-3);
    // Above 15 billion GB-s the account pays 80 % of the first tier's price.
    assert!((duration_on_top / duration_alone - 0.8).abs() < 1e-9);
    assert!(
        on_top
            .assumptions()
            .contains("other 20,000,000,000 GB-seconds")
    );
    assert!(
        alone
            .assumptions()
            .contains("as if this function were the account's only usage")
    );
}

#[test]
fn china_regions_bill_in_yuan() {
    let month = run("cn-north-1", &[(1024, 100.0)], 0, traffic(1_000_000))
        .monthly()
        .unwrap();
    assert_eq!(month.currency, Currency::Cny);
    assert!(month.statement(mb(1024)).unwrap().starts_with("1024 MB: ¥"));
}

#[test]
fn each_size_is_compared_with_the_current_one() {
    let mut r = run(
        "us-east-1",
        &[(512, 400.0), (1024, 240.0)],
        0,
        traffic(10_000_000),
    );
    r.current_memory = Some(mb(1024));
    let month = r.monthly().unwrap();
    let at_512 = month.of(mb(512)).unwrap().cost;
    let at_1024 = month.of(mb(1024)).unwrap().cost;
    let saved = at_1024 - at_512;
    assert!(saved > 0.0);
    let text = month.statement(mb(512)).unwrap();
    assert_eq!(
        text,
        format!(
            "512 MB: {}/month, {}/month less than the current 1024 MB, {} a year",
            cents(at_512, Currency::Usd),
            cents(saved, Currency::Usd),
            cents(saved * 12.0, Currency::Usd)
        )
    );
    assert!(
        month
            .statement(mb(1024))
            .unwrap()
            .ends_with("the current 1024 MB")
    );
    let cell = |m: u32| month.change_from_current(month.of(mb(m)).unwrap());
    assert_eq!(
        cell(512),
        Some(format!("{} less", cents(saved, Currency::Usd)))
    );
    assert_eq!(cell(1024).as_deref(), Some("–"), "the current size itself");
    r.current_memory = Some(mb(512));
    let month = r.monthly().unwrap();
    assert_eq!(
        month.change_from_current(month.of(mb(1024)).unwrap()),
        Some(format!("{} more", cents(saved, Currency::Usd)))
    );
    r.current_memory = Some(mb(2048));
    let month = r.monthly().unwrap();
    let unmeasured = month.statement(mb(512)).unwrap();
    assert!(
        unmeasured.contains("the current 2048 MB was not measured"),
        "{unmeasured}"
    );
    assert_eq!(
        month.change_from_current(month.of(mb(512)).unwrap()),
        None,
        "no change against a size that was not measured"
    );
}

#[test]
fn cold_starts_are_priced_at_the_runs_share_or_the_given_rate() {
    let r = run("us-east-1", &[(1024, 100.0)], 1, traffic(1_000_000));
    let month = r.monthly().unwrap();
    assert_eq!(month.rate_source, RateSource::Run);
    assert!((month.cold_start_rate - 0.1).abs() < 1e-12);
    let size = month.of(mb(1024)).unwrap();
    // 200 ms of init at 1 GB.
    let one = 0.2 * 0.000_016_666_7;
    assert!((size.cold_start_cost.unwrap() - one).abs() < 1e-15);
    let (added, share) = month.cold_start_share(size).unwrap();
    assert!((added - one * 100_000.0).abs() < 1e-9);
    assert!((share - added / (added + size.cost)).abs() < 1e-12);
    let text = month.cold_start_statement(mb(1024)).unwrap();
    assert!(
        text.contains("at 10.0 % of invocations (the run's share)"),
        "{text}"
    );

    let given = run(
        "us-east-1",
        &[(1024, 100.0)],
        1,
        Traffic {
            cold_start_rate: Some(0.01),
            ..traffic(1_000_000)
        },
    )
    .monthly()
    .unwrap();
    assert_eq!(given.rate_source, RateSource::Input);
    assert!(
        given
            .cold_start_statement(mb(1024))
            .unwrap()
            .contains("1.0 % of invocations (coldStartRate)")
    );
    // No cold start seen, no line.
    let warm = run("us-east-1", &[(1024, 100.0)], 0, traffic(1_000_000))
        .monthly()
        .unwrap();
    assert_eq!(warm.cold_start_statement(mb(1024)), None);
}

#[test]
fn a_result_without_traffic_has_no_month_and_unusable_sizes_are_left_out() {
    let mut r = run("us-east-1", &[(128, 900.0), (256, 400.0)], 0, traffic(5));
    r.sizes[0].error = Some(crate::failure::SizeFailure::new(
        crate::failure::FailureKind::OutOfMemory,
        "out of memory",
    ));
    let month = r.monthly().unwrap();
    assert_eq!(month.sizes.len(), 1);
    assert!(month.of(mb(128)).is_none());
    r.traffic = None;
    assert!(r.monthly().is_none());
}

#[test]
fn a_chart_site_result_is_priced_from_its_duration() {
    let mut r = run("us-east-1", &[(1024, 100.5)], 0, traffic(1_000_000));
    r.sizes[0].detail = None;
    let size = r.monthly().unwrap().sizes[0];
    assert!((size.gb_seconds - 1_000_000.0 * 0.1).abs() < 1e-6);
}

#[test]
fn ephemeral_storage_is_billed_per_invocation() {
    let price = Price::for_function("us-east-1", Architecture::X86_64);
    let mut r = run("us-east-1", &[(1024, 1000.0)], 0, traffic(1_000_000));
    let plain = r.monthly().unwrap().sizes[0].cost;
    r.sizes[0].average_cost = price.invocation(mb(1024), 1000.0, 1536);
    let with_storage = r.monthly().unwrap().sizes[0].cost;
    assert!((with_storage - plain - 1_000_000.0 * price.storage_per_gb_s).abs() < 1e-9);
}

#[test]
fn a_view_prices_a_result_for_another_month() {
    let r = run("us-east-1", &[(1024, 100.0)], 0, traffic(1_000_000));
    let mut no_traffic = r.clone();
    no_traffic.traffic = None;
    assert_eq!(
        no_traffic.clone().with_monthly_invocations(None).traffic,
        None
    );
    let priced = no_traffic.with_monthly_invocations(Some(5));
    assert_eq!(priced.traffic.unwrap().invocations, 5);
    let mut from_cloudwatch = r.clone();
    from_cloudwatch.traffic = Some(Traffic {
        source: TrafficSource::Cloudwatch,
        free_tier: true,
        ..traffic(1_000_000)
    });
    // The same number keeps its source; another is the viewer's own.
    let same = from_cloudwatch
        .clone()
        .with_monthly_invocations(Some(1_000_000));
    assert_eq!(same.traffic.unwrap().source, TrafficSource::Cloudwatch);
    let other = from_cloudwatch
        .with_monthly_invocations(Some(2_000_000))
        .traffic
        .unwrap();
    assert_eq!(other.source, TrafficSource::Input);
    assert!(other.free_tier);
    assert_eq!(r.clone().with_monthly_invocations(Some(0)).traffic, None);
    assert_eq!(r.clone().with_monthly_invocations(Some(10u64.pow(14))), r);
}
