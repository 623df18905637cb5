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
    let input = write_input(
        dir.path(),
        &json!({"lambdaARN": ARN, "num": 5, "powerValues": [512, 1024], "architectures": ["x86_64", "arm64"]}),
    );
    let out = run(emulator
        .powertune(dir.path(), &["run"])
        .arg("--input")
        .arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
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
        stderr(&out).contains("same side effects"),
        "the copy's side effects are said before the run: {}",
        stderr(&out)
    );
    let functions = emulator.state()["functions"].as_array().unwrap().clone();
    assert!(
        functions
            .iter()
            .all(|f| !f["arn"].as_str().unwrap().contains("-pt-")),
        "the copy is gone: {functions:?}"
    );
    emulator.assert_clean();
    assert_eq!(journal_entries(dir.path()), Vec::<Value>::new());
}
