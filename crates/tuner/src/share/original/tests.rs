use super::*;

fn p(power: f64, duration: f64, cost: f64) -> Point {
    Point {
        power,
        duration,
        cost,
    }
}

use super::README_SAMPLE_HASH as README_HASH;

#[test]
fn worked_example_1() {
    let points = [p(1.0, 2.0, 3.0), p(2.0, 2.0, 2.0), p(3.0, 1.0, 2.0)];
    assert_eq!(
        visualization_url("https://prefix/", &points, false),
        "https://prefix/#AQACAAMA;AAAAQAAAAEAAAIA/;AABAQAAAAEAAAABA"
    );
    let shuffled = [points[2], points[0], points[1]];
    assert_eq!(encode_hash(&shuffled), encode_hash(&points));
    assert_eq!(
        visualization_url("https://prefix/", &points, true),
        "https://prefix/?currency=CNY#AQACAAMA;AAAAQAAAAEAAAIA/;AABAQAAAAEAAAABA"
    );
}

#[test]
fn worked_example_2_readme_link_decodes_and_reencodes() {
    let link = decode_hash(README_HASH).unwrap();
    assert_eq!(link.first.sizes, [128, 256, 512, 1024, 1536, 3008]);
    let expected_times = [37002.398, 18647.773, 8489.437, 3890.892, 2512.227, 2009.793];
    for (got, want) in link.first.durations.iter().zip(expected_times) {
        assert!((f64::from(*got) - want).abs() < 1e-3, "{got} vs {want}");
    }
    let expected_costs = [
        7.7168e-5, 7.7792e-5, 7.0720e-5, 6.4896e-5, 6.4896e-5, 1.02648e-4,
    ];
    for (got, want) in link.first.costs.iter().zip(expected_costs) {
        assert!(
            (f64::from(*got) - want).abs() / want < 1e-4,
            "{got} vs {want}"
        );
    }
    assert!(link.comparison.is_none());
    let points: Vec<Point> = (0..6)
        .map(|i| {
            p(
                f64::from(link.first.sizes[i]),
                f64::from(link.first.durations[i]),
                f64::from(link.first.costs[i]),
            )
        })
        .collect();
    assert_eq!(encode_hash(&points), README_HASH);
    let run = &link.runs()[0].1;
    assert_eq!(run.sizes.len(), 6);
    assert_eq!(run.sizes[5].memory.get(), 3008);
}

#[test]
fn worked_example_3_padding() {
    let four = [
        p(128.0, 1.0, 1.0),
        p(256.0, 1.0, 1.0),
        p(512.0, 1.0, 1.0),
        p(1024.0, 1.0, 1.0),
    ];
    assert!(encode_hash(&four).starts_with("gAAAAQACAAQ=;"));
}

#[test]
fn int16_wraps_like_javascript() {
    assert_eq!(to_int16(40000.0), -25536);
    assert_eq!(to_int16(128.9), 128);
    assert_eq!(to_int16(-1.5), -1);
}

#[test]
fn comparison_links() {
    let other = encode_hash(&[p(128.0, 10.0, 1e-6), p(256.0, 5.0, 1e-6)]);
    let hash = encode_comparison(README_HASH, &other, "x86 run", "arm64; 2nd");
    assert_eq!(hash.split(';').count(), 8);
    assert!(hash.ends_with(";x86%20run;arm64%3B%202nd"));
    let link = decode_hash(&hash).unwrap();
    let cmp = link.comparison.as_ref().unwrap();
    assert_eq!(cmp.first_legend, "x86 run");
    assert_eq!(cmp.second_legend, "arm64; 2nd");
    assert_eq!(cmp.second.sizes, [128, 256]);
    let runs = link.runs();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1].0, "arm64; 2nd");
}

#[test]
fn malformed_hashes_say_what_is_wrong() {
    type Check = fn(&ShareLinkError) -> bool;
    let cases: [(&str, Check); 6] = [
        ("gAAAAQAC;AADIQgAAlkMAAEhD", |e| {
            matches!(e, ShareLinkError::WrongPartCount(2))
        }),
        ("g!AAAQAC;AADIQgAAlkMAAEhD;AADIQgAASEMAAPBB", |e| {
            matches!(
                e,
                ShareLinkError::Base64 {
                    part: "memory sizes",
                    ..
                }
            )
        }),
        ("gAAAAQA;AADIQgAAlkMAAEhD;AADIQgAASEMAAPBB", |e| {
            matches!(
                e,
                ShareLinkError::Length {
                    part: "memory sizes",
                    ..
                }
            )
        }),
        ("gAAAAQAC;AADIQgAAlkM=;AADIQgAASEMAAPBB", |e| {
            matches!(
                e,
                ShareLinkError::Mismatch {
                    sizes: 3,
                    durations: 2,
                    costs: 3
                }
            )
        }),
        (";;", |e| matches!(e, ShareLinkError::NoValues)),
        ("AQACAAMA;AAAAQAAAAEAAAIA/;AABAQAAAAEAAAABA", |e| {
            matches!(e, ShareLinkError::BadSize(1))
        }),
    ];
    for (hash, check) in cases {
        let err = decode_hash(hash).unwrap_err();
        assert!(check(&err), "{hash}: {err:?}");
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn percent_encoded_hashes_are_read() {
    let encoded = README_HASH.replace('/', "%2F");
    assert_eq!(
        decode_hash(&encoded).unwrap(),
        decode_hash(README_HASH).unwrap()
    );
}
