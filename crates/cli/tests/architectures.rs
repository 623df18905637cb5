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

/// `powertune run` of `arn` on `sizes` comparing both architectures; it must succeed. Its output,
/// and the JSON it printed.
fn compare(
    emulator: &Emulator,
    dir: &std::path::Path,
    arn: &str,
    sizes: [u32; 2],
) -> (std::process::Output, Value) {
    let input = write_input(
        dir,
        &json!({"lambdaARN": arn, "num": 5, "powerValues": sizes, "architectures": ["x86_64", "arm64"], "monthlyInvocations": 1_000_000}),
    );
    let out = run(emulator.powertune(dir, &["run"]).arg("--input").arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    let output = serde_json::from_slice(&out.stdout).unwrap();
    (out, output)
}
