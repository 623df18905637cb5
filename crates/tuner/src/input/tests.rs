use super::*;

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:my-fn";

mod own_keys;

fn ok(value: Value) -> ParsedInput {
    parse_value(&value).unwrap_or_else(|e| panic!("{e}"))
}

fn errors(value: Value) -> InputErrors {
    parse_value(&value).unwrap_err()
}

fn fields(value: Value) -> Vec<String> {
    errors(value).0.into_iter().map(|e| e.field).collect()
}

#[test]
fn minimal_input_gets_the_original_defaults() {
    let p = ok(json!({"lambdaARN": ARN, "num": 10}));
    let i = &p.input;
    assert_eq!(i.lambda_arn.to_string(), ARN);
    assert_eq!(i.num, 10);
    assert_eq!(
        i.power_values.iter().map(|m| m.get()).collect::<Vec<_>>(),
        memory::DEFAULT_POWER_VALUES
    );
    assert_eq!(i.payload, PayloadSource::None);
    assert_eq!(i.strategy, Strategy::Cost);
    assert_eq!(i.balanced_weight, 0.5);
    assert_eq!(i.discard_top_bottom, 0.2);
    assert!(!i.parallel_invocation && !i.dry_run && !i.only_cold_starts && !i.auto_optimize);
    assert_eq!(i.sleep_between_runs_ms, 0);
    assert!(i.allowed_exceptions.is_empty());
    assert!(p.warnings.is_empty());
    assert_eq!(*i, TuningInput::new(ARN.parse().unwrap()));
}

#[test]
fn every_key_is_read() {
    let p = ok(json!({
        "lambdaARN": ARN, "num": "50", "powerValues": [1024, "512", 128],
        "payload": {"a": 1}, "parallelInvocation": true, "strategy": "balanced",
        "balancedWeight": 0.3, "autoOptimize": true, "autoOptimizeAlias": "prod",
        "dryRun": false, "preProcessorARN": "arn:aws:lambda:eu-west-1:123456789012:function:pre",
        "postProcessorARN": "arn:aws:lambda:us-west-2:123456789012:function:post",
        "discardTopBottom": 0.1, "sleepBetweenRunsMs": 0, "disablePayloadLogs": true,
        "includeOutputResults": true, "onlyColdStarts": false, "allowedExceptions": ["HandledError"]
    }));
    let i = p.input;
    assert_eq!(i.num, 50);
    assert_eq!(
        i.power_values.iter().map(|m| m.get()).collect::<Vec<_>>(),
        [128, 512, 1024]
    );
    assert_eq!(i.payload, PayloadSource::Inline(json!({"a": 1})));
    assert!(
        i.parallel_invocation
            && i.auto_optimize
            && i.disable_payload_logs
            && i.include_output_results
    );
    assert_eq!(i.strategy, Strategy::Balanced);
    assert_eq!(i.balanced_weight, 0.3);
    assert_eq!(i.auto_optimize_alias.as_deref(), Some("prod"));
    assert_eq!(i.pre_processor_arn.unwrap().region(), "eu-west-1");
    assert_eq!(i.post_processor_arn.unwrap().region(), "us-west-2");
    assert_eq!(i.discard_top_bottom, 0.1);
    assert_eq!(i.allowed_exceptions, ["HandledError"]);
}

#[test]
fn a_missing_arn_is_named() {
    for value in [
        json!({"num": 5}),
        json!({"lambdaARN": "", "num": 5}),
        json!({"lambdaARN": null, "num": 5}),
        json!({"lambdaARN": false, "num": 5}),
        json!({"lambdaARN": 0, "num": 5}),
    ] {
        assert_eq!(fields(value), ["lambdaARN"]);
    }
    assert_eq!(fields(json!(null)), ["input"]);
    assert_eq!(fields(json!({})), ["lambdaARN", "num"]);
}

#[test]
fn num_below_five_is_refused() {
    for num in [json!(-1), json!(0), json!(1), json!(2), json!(3), json!(4)] {
        let err = errors(json!({"lambdaARN": ARN, "num": num}));
        assert_eq!(err.0[0].field, "num");
    }
    let err = errors(json!({"lambdaARN": ARN, "num": 3}));
    assert_eq!(
        err.0[0].to_string(),
        "num = 3: must be at least 5: fewer invocations give averages too noisy to compare"
    );
    assert_eq!(fields(json!({"lambdaARN": ARN, "num": 10.5})), ["num"]);
    assert_eq!(fields(json!({"lambdaARN": ARN, "num": "ten"})), ["num"]);
}

#[test]
fn power_values_lists_all_and_defaults() {
    for pv in [json!(null), json!([]), json!([128, 256, 512])] {
        ok(json!({"lambdaARN": ARN, "num": 5, "powerValues": pv}));
    }
    let all = ok(json!({"lambdaARN": ARN, "num": 5, "powerValues": "ALL"}));
    assert_eq!(all.input.power_values.len(), 46);
}

#[test]
fn bad_power_values_name_the_index() {
    let err =
        errors(json!({"lambdaARN": ARN, "num": 5, "powerValues": [128, 64, "abc", 20000, 1.5]}));
    let f: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        f,
        [
            "powerValues[1]",
            "powerValues[2]",
            "powerValues[3]",
            "powerValues[4]"
        ]
    );
    assert!(err.0[0].to_string().contains("between 128 and 10240"));
    assert_eq!(err.for_field("powerValues").count(), 4);
    let csv = errors(json!({"lambdaARN": ARN, "num": 5, "powerValues": "128,256"}));
    assert!(csv.0[0].rule.contains("array"));
}

#[test]
fn duplicates_are_removed_and_sizes_sorted() {
    let p = ok(json!({"lambdaARN": ARN, "num": 5, "powerValues": [512, 128, 512, 4096]}));
    assert_eq!(
        p.input
            .power_values
            .iter()
            .map(|m| m.get())
            .collect::<Vec<_>>(),
        [128, 512, 4096]
    );
    assert!(p.warnings.iter().any(|w| w.contains("duplicates")));
    assert!(p.warnings.iter().any(|w| w.contains("3008")));
}

#[test]
fn fractions_are_range_checked() {
    assert_eq!(
        fields(json!({"lambdaARN": ARN, "num": 5, "discardTopBottom": 0.7})),
        ["discardTopBottom"]
    );
    assert_eq!(
        fields(json!({"lambdaARN": ARN, "num": 5, "balancedWeight": 1.5})),
        ["balancedWeight"]
    );
    assert_eq!(
        fields(json!({"lambdaARN": ARN, "num": 5, "balancedWeight": "x"})),
        ["balancedWeight"]
    );
    let p = ok(json!({"lambdaARN": ARN, "num": 5, "discardTopBottom": 0, "balancedWeight": 1}));
    assert_eq!(
        (p.input.discard_top_bottom, p.input.balanced_weight),
        (0.0, 1.0)
    );
}

#[test]
fn only_cold_starts_forces_no_discard() {
    let p =
        ok(json!({"lambdaARN": ARN, "num": 5, "onlyColdStarts": true, "discardTopBottom": 0.3}));
    assert_eq!(p.input.effective_discard(), 0.0);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("ignored with onlyColdStarts"))
    );
}

#[test]
fn booleans_are_strict_but_forgiving_of_quoted_literals() {
    let p =
        ok(json!({"lambdaARN": ARN, "num": 5, "parallelInvocation": "false", "dryRun": "true"}));
    assert!(!p.input.parallel_invocation);
    assert!(p.input.dry_run);
    assert_eq!(p.warnings.len(), 2);
    assert_eq!(
        fields(json!({"lambdaARN": ARN, "num": 5, "dryRun": 1})),
        ["dryRun"]
    );
}

#[test]
fn strategy_names_are_lower_case() {
    for bad in ["foobar", "Balanced", " ", "-"] {
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "strategy": bad})),
            ["strategy"]
        );
    }
    assert_eq!(
        ok(json!({"lambdaARN": ARN, "num": 5, "strategy": ""}))
            .input
            .strategy,
        Strategy::Cost
    );
}

#[test]
fn payload_sources() {
    let s3 = ok(
        json!({"lambdaARN": ARN, "num": 5, "payloadS3": "s3://my-bucket/dir/key.json", "payload": {"x": 1}}),
    );
    assert_eq!(
        s3.input.payload,
        PayloadSource::S3(S3Location {
            bucket: "my-bucket".into(),
            key: "dir/key.json".into()
        })
    );
    assert!(s3.warnings.iter().any(|w| w.contains("payloadS3")));
    for bad in [
        "",
        "/",
        "bucket/key.json",
        "/bucket/key.json",
        "/key.json",
        "key.json",
        "s3://bucket/",
        "s3://key.json",
        "s3://",
    ] {
        assert_eq!(
            fields(json!({"lambdaARN": ARN, "num": 5, "payloadS3": bad})),
            ["payloadS3"],
            "{bad}"
        );
    }
    for falsy in [json!(""), json!(0), json!(false)] {
        assert_eq!(
            ok(json!({"lambdaARN": ARN, "num": 5, "payload": falsy}))
                .input
                .payload,
            PayloadSource::None
        );
    }
}

#[test]
fn weighted_payloads_are_checked_against_num() {
    let weighted = json!([{"payload": "a", "weight": 10}, {"payload": "b", "weight": 60}, {"payload": "c", "weight": 30}]);
    let err = errors(json!({"lambdaARN": ARN, "num": 5, "payload": weighted}));
    assert_eq!(err.0[0].field, "payload");
    assert!(err.0[0].rule.contains("raise \"num\""));
    ok(json!({"lambdaARN": ARN, "num": 10, "payload": weighted}));
    // A dry run invokes once with the first payload instead of failing.
    ok(json!({"lambdaARN": ARN, "num": 5, "payload": weighted, "dryRun": true}));
}

#[test]
fn unknown_keys_warn_with_suggestions() {
    let p = ok(json!({"lambdaARN": ARN, "num": 5, "enableParallel": true, "NUM": 3, "foo": 1}));
    assert!(
        p.warnings.contains(
            &"unknown key \"enableParallel\" is ignored: did you mean \"parallelInvocation\"?"
                .to_owned()
        )
    );
    assert!(
        p.warnings
            .contains(&"unknown key \"NUM\" is ignored: did you mean \"num\"?".to_owned())
    );
    assert!(
        p.warnings
            .contains(&"unknown key \"foo\" is ignored".to_owned())
    );
}

#[test]
fn aliases_and_exceptions() {
    assert_eq!(
        fields(
            json!({"lambdaARN": ARN, "num": 5, "autoOptimize": true, "autoOptimizeAlias": "RAM512"})
        ),
        ["autoOptimizeAlias"]
    );
    assert_eq!(
        fields(json!({"lambdaARN": ARN, "num": 5, "autoOptimizeAlias": "123"})),
        ["autoOptimizeAlias"]
    );
    assert_eq!(
        fields(json!({"lambdaARN": ARN, "num": 5, "autoOptimizeAlias": "bad name"})),
        ["autoOptimizeAlias"]
    );
    let p = ok(json!({"lambdaARN": ARN, "num": 5, "autoOptimizeAlias": "live"}));
    assert!(p.warnings.iter().any(|w| w.contains("unless autoOptimize")));
    assert_eq!(
        fields(json!({"lambdaARN": ARN, "num": 5, "allowedExceptions": "HandledError"})),
        ["allowedExceptions"]
    );
    assert!(
        ok(json!({"lambdaARN": ARN, "num": 5, "allowedExceptions": null}))
            .input
            .allowed_exceptions
            .is_empty()
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let err =
        errors(json!({"lambdaARN": "my-fn", "num": 2, "strategy": "fast", "powerValues": [1]}));
    assert_eq!(err.0.len(), 4);
    let text = err.to_string();
    assert!(
        text.starts_with("4 problems in the tuning input:\n- "),
        "{text}"
    );
    assert!(text.contains("paste the full ARN"));
}

#[test]
fn invalid_json_text_is_explained() {
    let err = parse_input("{\"num\": 5,").unwrap_err();
    assert_eq!(err.0[0].field, "input");
    assert!(err.0[0].rule.starts_with("not valid JSON"));
}

#[test]
fn to_json_round_trips() {
    let p = ok(
        json!({"lambdaARN": ARN, "num": 7, "powerValues": [256, 128], "payloadS3": "s3://b-1/k", "strategy": "speed",
        "preProcessorARN": "arn:aws:lambda:eu-west-1:123456789012:function:pre", "autoOptimize": true, "autoOptimizeAlias": "live",
        "allowedExceptions": ["E"], "sleepBetweenRunsMs": 20}),
    );
    let again = parse_value(&p.input.to_json()).unwrap();
    assert_eq!(again.input, p.input);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
}

fn fields_of(value: Value) -> Vec<String> {
    errors(value).0.into_iter().map(|e| e.field).collect()
}
