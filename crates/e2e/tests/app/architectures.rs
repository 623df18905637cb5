//! x86_64 against arm64 in one run (#26), in the browser: a demo comparison, whose copy's run
//! is shown beside the function's own; and one against `lambda-emulator`, whose `Code.Location`
//! a browser may not read (no CORS): refused before anything is created, then run with the
//! function's package chosen by hand.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_demo_comparison_shows_both_architectures_and_the_best() {
    with_browser("architectures-demo", 1.0, async |b| {
        b.goto("").await;
        b.fill("#num", "5").await;
        b.fill("#power-values", "512, 1024, 2048").await;
        b.click("#advanced summary").await;
        b.fill("#architectures", "x86_64, arm64").await;
        // Said before the run: the copy's invocations have the function's side effects.
        let note = b
            .wait_text("#architectures-note", "temporary copy", 10)
            .await;
        assert!(note.contains("side effects"), "{note}");
        b.click("#start").await;
        let found = b
            .wait_text("#architectures-found", "Best over x86_64 and arm64: ", 60)
            .await;
        // image-resizer runs 15 % faster on arm64 in the demo account, at a 20 % lower price.
        assert!(found.contains(": arm64 at "), "{found}");
        assert!(
            found.contains(" noise (95 % intervals, 2 % tolerance)"),
            "{found}"
        );
        assert!(b.text("#compare summary").await.contains("(1 shown)"));
        b.click("#compare summary").await;
        let compared = b.text("#compare").await;
        assert!(compared.contains("(arm64), a temporary copy"), "{compared}");
        assert!(!b.exists("#run-error").await);
        // The share link carries both architectures' runs.
        let link = b.share_link().await;
        let hash = &link[link.find('#').unwrap()..];
        b.goto(hash).await;
        b.find("table.results").await;
        let tables = b
            .js("return document.querySelectorAll('table.results').length;")
            .await;
        assert_eq!(tables, 2, "{link}");
        b.assert_console_clean().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_comparison_whose_code_the_browser_cannot_read_runs_with_the_package_chosen_by_hand() {
    let emulator = Emulator::start("0.05");
    let before = emulator.function();
    let functions = emulator.function_count();
    with_browser("architectures-emulator", 1.0, async |b| {
        b.goto("").await;
        b.use_emulator(&emulator).await;
        b.fill("#num", "5").await;
        b.click("#advanced summary").await;
        b.fill("#architectures", "x86_64, arm64").await;
        b.click("#start").await;
        let error = b.wait_text("#run-error", "arm64", 60).await;
        assert!(error.contains("Code.Location"), "{error}");
        assert!(error.contains("powertune run"), "{error}");
        assert!(error.contains("nothing was created"), "{error}");
        emulator.assert_as_before(&before);
        assert_eq!(emulator.function_count(), functions, "no copy was created");

        // The package, as the console's "Download" gives it, chosen in the page.
        let package = workspace().join("test-output/e2e/image-resizer.zip");
        std::fs::create_dir_all(package.parent().unwrap()).unwrap();
        let bytes = emulator.control("GET", "/_emulator/code/image-resizer", "");
        std::fs::write(&package, bytes).unwrap();
        let package = std::fs::canonicalize(package).unwrap();
        b.find("#package")
            .await
            .send_keys(package.to_str().unwrap())
            .await
            .unwrap();
        b.wait_text("#package-status", "used for the copy", 10)
            .await;
        b.click("#start").await;
        let found = b
            .wait_text("#architectures-found", "Best over x86_64 and arm64: ", 120)
            .await;
        assert!(!found.contains("could not be deleted"), "{found}");
        emulator.assert_as_before(&before);
        assert_eq!(emulator.function_count(), functions, "the copy is deleted");
        // The browser reports the refused download itself; nothing else went wrong.
        let problems = b.console_problems().await;
        assert!(
            problems
                .iter()
                .all(|p| p.contains("/_emulator/code/image-resizer") && p.contains("CORS")),
            "{problems:#?}"
        );
    })
    .await;
}
