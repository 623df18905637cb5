//! The price table and the original tool's pricing, pinned to published figures.

use super::*;

#[test]
fn estimate_prices_every_planned_invocation() {
    let sizes = [MemoryMb::new(128).unwrap(), MemoryMb::new(1024).unwrap()];
    let (cost, currency) = estimate("us-east-1", &sizes, 10, 1000.0);
    // 10 × (0.125 + 1) GB-s × $0.0000166667 + 20 requests × $0.0000002
    let expected = 10.0 * 1.125 * 0.000_016_666_7 + 20.0 * 0.000_000_2;
    assert!((cost - expected).abs() < 1e-12, "{cost} vs {expected}");
    assert_eq!(currency, Currency::Usd);
    assert_eq!(estimate("cn-north-1", &sizes, 10, 1000.0).1, Currency::Cny);
}

fn mb(m: u32) -> MemoryMb {
    MemoryMb::new(m).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    ((a - b) / b).abs() < 1e-10
}

#[test]
fn original_price_rounds_billed_ms_up() {
    assert_eq!(
        original::price(2.1e-9, 1024.0, 300.0),
        0.000005040000000000001
    );
    assert!(close(original::price(2.1e-9, 1024.0, 300.2), 5.0568e-6));
}

#[test]
fn original_total_sums_every_invocation() {
    assert!(close(
        original::total_cost(2.1e-9, 1024.0, &[100.0, 150.0, 200.0, 300.0, 400.0]),
        1.932e-5
    ));
    assert_eq!(original::total_cost(2.1e-9, 1024.0, &[]), 0.0);
}

#[test]
fn step_functions_cost_counts_transitions_and_rounds_to_five_decimals() {
    let gov = original::step_functions_base_cost("us-gov-west-1");
    assert_eq!(gov, 0.00003);
    assert_eq!(original::step_functions_base_cost("af-south-1"), 0.00002975);
    assert_eq!(original::step_functions_cost(gov, 10, false, 10), 0.00108);
    assert_eq!(original::step_functions_cost(gov, 10, true, 10), 0.00648);
    let us = original::step_functions_base_cost("us-east-1");
    assert_eq!(original::step_functions_cost(us, 3, false, 0), 0.00038);
    assert_eq!(original::step_functions_cost(us, 4, false, 0), 0.00045);
    assert_eq!(original::step_functions_cost(us, 6, false, 0), 0.0006);
    assert_eq!(original::step_functions_cost(us, 3, true, 10), 0.00173);
}

#[test]
fn original_base_costs_per_region_and_architecture() {
    assert_eq!(
        original::base_cost_named("eu-west-1", "x86_64").unwrap(),
        2.1e-9
    );
    assert_eq!(
        original::base_cost_named("eu-west-1", "arm64").unwrap(),
        1.7e-9
    );
    let err = original::base_cost_named("eu-west-1", "invalid_arch").unwrap_err();
    assert!(err.to_string().contains("invalid_arch"));
}

#[test]
fn original_executor_prices_per_size() {
    let billed = [1.0, 1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 10.0, 50.0, 200.0];
    let x86 = original::base_cost("us-east-1", Architecture::X86_64);
    assert!(close(original::price(x86, 128.0, 4.5), 1.05e-8));
    assert!(close(original::total_cost(x86, 128.0, &billed), 5.859e-7));
    assert!(close(original::price(x86, 128.0, 27.9), 5.88e-8));
    assert!(close(original::price(x86, 128.0, 3.5), 8.4e-9));
    assert!(close(original::price(x86, 1024.0, 4.5), 8.4e-8));
    assert!(close(original::total_cost(x86, 1024.0, &billed), 4.6872e-6));
    let arm = original::base_cost("us-east-1", Architecture::Arm64);
    assert!(close(original::price(arm, 1024.0, 4.5), 6.8e-8));
    assert!(close(original::total_cost(arm, 1024.0, &billed), 3.7944e-6));
    let af = original::base_cost("af-south-1", Architecture::X86_64);
    assert!(close(original::price(af, 512.0, 4.5), 5.6e-8));
    assert!(close(original::total_cost(af, 512.0, &billed), 3.1248e-6));
    assert!(close(original::total_cost(x86, 128.0, &[1.0; 10]), 2.1e-8));
    assert!(close(original::total_cost(af, 128.0, &[1.0; 10]), 2.8e-8));
}

#[test]
fn exact_prices_per_region_and_architecture() {
    let us = Price::for_function("us-east-1", Architecture::X86_64);
    assert_eq!(us.currency, Currency::Usd);
    // 1 s at 1 GB: exactly the GB-second price plus one request.
    assert!(close(
        us.invocation(mb(1024), 1000.0, 512),
        0.000_016_666_7 + 0.000_000_2
    ));
    let arm = Price::for_function("eu-west-1", Architecture::Arm64);
    assert_eq!(arm.per_gb_s, 0.000_013_333_4);
    let af = Price::for_function("af-south-1", Architecture::X86_64);
    assert_eq!(af.per_gb_s, 0.000_022_1);
    let cn = Price::for_function("cn-north-1", Architecture::X86_64);
    assert_eq!(cn.currency, Currency::Cny);
    assert!(cn.estimated);
    // The original's 2.1e-9 per ms at 128 MB is the same price rounded up.
    let per_ms_128 = us.duration(mb(128), 1.0, 512);
    assert!((per_ms_128 - 2.0833e-9).abs() < 1e-12);
}

#[test]
fn the_cost_line_prices_any_billed_duration_as_an_invocation_does() {
    let arm = Price::for_function("eu-west-1", Architecture::Arm64);
    let line = arm.cost_line(mb(1769), 2048);
    for billed in [0.0, 1.0, 37.0, 12_345.0] {
        let direct = arm.invocation(mb(1769), billed, 2048);
        assert!(
            (line.at(billed) - direct).abs() <= direct * 1e-12,
            "{billed}"
        );
    }
    assert_eq!(line.fixed, arm.per_request);
}

#[test]
fn ephemeral_storage_above_512_mb_is_charged() {
    let us = Price::for_function("us-east-1", Architecture::X86_64);
    let with = us.duration(mb(128), 1000.0, 1536);
    let without = us.duration(mb(128), 1000.0, 512);
    assert!(close(with - without, 1.0 * US_STORAGE));
}

#[test]
fn totals_add_request_charges() {
    let us = Price::for_function("us-east-1", Architecture::X86_64);
    let one = us.invocation(mb(256), 100.0, 512);
    assert!(close(us.total(mb(256), 1000.0, 10, 512), one * 10.0));
}

#[test]
fn architecture_names() {
    assert_eq!(
        "arm64".parse::<Architecture>().unwrap(),
        Architecture::Arm64
    );
    assert_eq!(Architecture::X86_64.to_string(), "x86_64");
    assert!("ppc".parse::<Architecture>().is_err());
}

#[test]
fn tier_prices_are_the_published_us_east_1_prices() {
    // aws.amazon.com/lambda/pricing, us-east-1: the first tier less 10 % and 20 %, rounded.
    let published = [
        (
            Architecture::X86_64,
            [0.000_016_666_7, 0.000_015, 0.000_013_333_4],
        ),
        (
            Architecture::Arm64,
            [0.000_013_333_4, 0.000_012_000_1, 0.000_010_666_7],
        ),
    ];
    for (architecture, prices) in published {
        let price = Price::for_function("us-east-1", architecture);
        for (tier, published) in price.tiers.iter().zip(prices) {
            let ours = price.per_gb_s * tier.factor;
            assert!(
                ((ours - published) / published).abs() < 4e-6,
                "{architecture} {ours}"
            );
        }
    }
    assert_eq!(tiers::X86_64_TIERS[0].up_to_gb_s, 6e9);
    assert_eq!(tiers::ARM64_TIERS[1].up_to_gb_s, 18.75e9);
}

#[test]
fn tiers_apply_at_their_boundaries() {
    let t = &tiers::X86_64_TIERS;
    let p = 1.0;
    assert_eq!(tiers::charge_up_to(t, p, 0.0), 0.0);
    assert_eq!(tiers::charge_up_to(t, p, 6e9), 6e9);
    // One GB-s past the first boundary is billed at 90 %.
    assert!(close(tiers::charge_up_to(t, p, 6e9 + 1.0), 6e9 + 0.9));
    assert!(close(tiers::charge_up_to(t, p, 15e9), 6e9 + 9e9 * 0.9));
    assert!(close(
        tiers::charge_up_to(t, p, 20e9),
        6e9 + 9e9 * 0.9 + 5e9 * 0.8
    ));
    // What a function adds depends on what the account already used.
    let alone = tiers::marginal_charge(t, p, 0.0, 1e9, false);
    let on_top = tiers::marginal_charge(t, p, 15e9, 1e9, false);
    assert!(close(alone, 1e9));
    assert!(close(on_top, 0.8e9));
    // Straddling a boundary: half at each rate.
    assert!(close(
        tiers::marginal_charge(t, p, 5.5e9, 1e9, false),
        0.5e9 + 0.5e9 * 0.9
    ));
}

#[test]
fn the_free_tier_comes_off_the_account_total_first() {
    let t = &tiers::ARM64_TIERS;
    assert_eq!(tiers::marginal_charge(t, 1.0, 0.0, 300_000.0, true), 0.0);
    assert!(close(
        tiers::marginal_charge(t, 1.0, 0.0, 500_000.0, true),
        100_000.0
    ));
    // Other functions already used the free tier: all of this one's usage is billed.
    assert!(close(
        tiers::marginal_charge(t, 1.0, 1e6, 500_000.0, true),
        500_000.0
    ));
}
