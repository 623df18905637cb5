//! `powertune run` with `"architectures"` against a `lambda-emulator` process: the function's own
//! architecture and a temporary arm64 copy made from its downloaded package, both tuned, the
//! copy deleted after.

mod support;

use serde_json::{Value, json};
use support::*;

#[test]
fn both_architectures_are_tuned_and_the_copy_is_deleted() {
    let emulator = Emulator::start(&["--time-scale", "0.01", "--update-ms", "100"]);
    let dir = tempfile::tempdir().unwrap();
    let (out, output) = compare(&emulator, dir.path(), ARN, [512, 1024]);
    let runs = output["architectures"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{output}");
    assert_eq!(runs[0]["architecture"], "x86_64");
    assert_eq!(runs[1]["architecture"], "arm64");
    let copy = runs[1]["function"].as_str().unwrap();
    assert!(copy.contains(":function:image-resizer-pt-arm64-"), "{copy}");
    for run in runs {
        assert!(
            [512, 1024].contains(&run["output"]["power"].as_u64().unwrap()),
            "{run}"
        );
    }
    assert_eq!(output["best"]["architecture"], "arm64", "{output}");
    assert!(
        stderr(&out).contains("less than the current x86_64 at 1024 MB"),
        "the best in money per month: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains(" noise (95 % intervals, 2 % tolerance)"),
        "whether the architectures are apart: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("same side effects"),
        "the copy's side effects are said before the run: {}",
        stderr(&out)
    );
    assert_no_copy_left(&emulator);
    emulator.assert_clean();
    assert_eq!(journal_entries(dir.path()), Vec::<Value>::new());
}

#[test]
fn code_that_does_not_run_on_arm64_is_said_so_and_the_answer_is_x86_64() {
    // The emulator's ml-inference has x86_64-only native code: its arm64 copy fails every call.
    let emulator = Emulator::start(&["--time-scale", "0.005", "--update-ms", "100"]);
    let dir = tempfile::tempdir().unwrap();
    let arn = ARN.replace("image-resizer", "ml-inference");
    let (out, output) = compare(&emulator, dir.path(), &arn, [1024, 2048]);
    assert_eq!(output["architectures"][1]["doesNotRun"], true, "{output}");
    assert_eq!(output["best"]["architecture"], "x86_64", "{output}");
    assert!(
        stderr(&out).contains("does not run on arm64"),
        "{}",
        stderr(&out)
    );
    assert_no_copy_left(&emulator);
    assert_eq!(journal_entries(dir.path()), Vec::<Value>::new());
}

/// No function of the emulator is a copy (`…-pt-…`).
fn assert_no_copy_left(emulator: &Emulator) {
    let functions = emulator.state()["functions"].as_array().unwrap().clone();
    assert!(
        functions
            .iter()
            .all(|f| !f["arn"].as_str().unwrap().contains("-pt-")),
        "a copy is left: {functions:?}"
    );
}

#[test]
fn full_gives_each_architectures_statistics_and_one_link_and_the_cost_check_spans_both() {
    let emulator = Emulator::start(&["--time-scale", "0.01", "--update-ms", "100"]);
    let dir = tempfile::tempdir().unwrap();
    let full = ["--full", "--fail-if-costlier-than", "1000"];
    let (out, output) = compare_with(&emulator, dir.path(), ARN, [512, 1024], &full);
    assert!(out.status.success(), "{}", stderr(&out));
    for run in output["architectures"].as_array().unwrap() {
        let sizes = run["powertune"]["result"]["sizes"].as_array().unwrap();
        assert_eq!(sizes.len(), 2, "{run}");
        assert!(
            run["powertune"]["shareLink"]
                .as_str()
                .unwrap()
                .starts_with('#')
        );
    }
    let link = output["shareLink"].as_str().unwrap();
    let decoded =
        run(std::process::Command::new(powertune_binary()).args(["share", "decode", link]));
    let decoded: Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(decoded.as_array().map(Vec::len), Some(2), "{decoded}");
    assert!(
        stderr(&out).contains("check passed: 1024 MB on x86_64 costs"),
        "{}",
        stderr(&out)
    );
    // arm64 is cheaper than the current x86_64 at 1024 MB: with no margin, the check fails.
    let (out, _) = compare_with(
        &emulator,
        dir.path(),
        ARN,
        [512, 1024],
        &["--fail-if-costlier-than", "0"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("check failed: "), "{}", stderr(&out));
    assert_no_copy_left(&emulator);
    emulator.assert_clean();
}

/// `powertune run` of `arn` on `sizes` comparing both architectures; it must succeed. Its output,
/// and the JSON it printed.
fn compare(
    emulator: &Emulator,
    dir: &std::path::Path,
    arn: &str,
    sizes: [u32; 2],
) -> (std::process::Output, Value) {
    let (out, output) = compare_with(emulator, dir, arn, sizes, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    (out, output)
}

/// [`compare`] with `args` added, whatever its exit.
fn compare_with(
    emulator: &Emulator,
    dir: &std::path::Path,
    arn: &str,
    sizes: [u32; 2],
    args: &[&str],
) -> (std::process::Output, Value) {
    let input = write_input(
        dir,
        &json!({"lambdaARN": arn, "num": 5, "powerValues": sizes, "architectures": ["x86_64", "arm64"], "monthlyInvocations": 1_000_000}),
    );
    let out = run(emulator
        .powertune(dir, &["run"])
        .arg("--input")
        .arg(&input)
        .args(args));
    let output = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, output)
}
