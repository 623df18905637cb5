//! Runs against `lambda-emulator` and what they leave: cleanup after a finished, cancelled or abandoned run, the journal's banner across tabs, and a full storage refusing to start.

use std::time::Duration;

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn emulator_run_cleans_up_restores_memory_and_applies_the_optimum() {
    let emulator = Emulator::start("0.01");
    let before = emulator.function();
    with_browser("2-emulator-run", 1.0, async |b| {
        b.goto("").await;
        b.use_emulator(&emulator).await;
        b.fill("#num", "8").await;
        b.click("#start").await;
        b.find("#results").await;
        b.wait_text("#phase", "finished", 60).await;
        assert_eq!(b.rows().await.len(), 6);

        emulator.assert_as_before(&before);

        // The secret went nowhere but into signatures.
        let stored = b.js("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + location.href + document.body.innerText;").await;
        assert!(!stored.as_str().unwrap().contains(emulator.secret()));
        let link = b.share_link().await;
        assert!(!link.contains(emulator.secret()) && !link.contains("ASIA"));

        // Apply the cost optimum to an alias.
        let best: u64 = b.text("[data-strategy=cost] strong").await.trim_end_matches(" MB").parse().unwrap();
        b.fill("#apply-alias", "live").await;
        b.click("#apply").await;
        b.wait_text("#apply-status", "points at it", 30).await;
        let applied = emulator.function();
        assert_eq!(applied["memory"], best, "{applied}");
        let aliases = applied["aliases"].as_array().unwrap();
        assert_eq!(aliases.len(), 1, "{applied}");
        assert_eq!(aliases[0], "live");
        b.assert_console_clean().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_mid_run_cleans_up() {
    // Slow enough that Cancel lands mid-run.
    let emulator = Emulator::start("0.2");
    let before = emulator.function();
    with_browser("3-cancel", 1.0, async |b| {
        b.start_long_run(&emulator).await;
        assert_eq!(
            b.js(ASKS_BEFORE_LEAVING).await,
            true,
            "mid-run, leaving asks first"
        );
        b.click("#cancel").await;
        b.wait_text("#run-error", "cancelled", 60).await;
        assert_eq!(
            b.js(ASKS_BEFORE_LEAVING).await,
            false,
            "after the run, leaving is free"
        );
        assert!(!b.exists("#results").await, "no results after Cancel");
        emulator.assert_as_before(&before);
        // Nothing is left for the recovery banner either.
        let journal = b
            .js(r#"return localStorage.getItem("powertune.journal");"#)
            .await;
        assert!(matches!(journal.as_str(), None | Some("[]")), "{journal}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tab_closed_mid_run_leaves_a_journal_that_the_banner_cleans_up() {
    let emulator = Emulator::start("0.2");
    let before = emulator.function();
    with_browser("7-recovery", 1.0, async |b| {
        b.start_long_run(&emulator).await;
        // The tab goes away mid-run (the "leave?" prompt is accepted): no cleanup ran.
        b.client.refresh().await.unwrap();
        let left = emulator.function();
        assert!(
            !left["aliases"].as_array().unwrap().is_empty(),
            "the run had created aliases: {left}"
        );

        let entries = b.text("#recovery-entries").await;
        assert!(entries.contains("delete alias RAM"), "{entries}");
        assert!(entries.contains("restore"), "{entries}");
        b.click("#recovery-clean").await;
        b.wait_text("#recovery-status", "Paste temporary credentials", 10)
            .await;
        b.use_emulator(&emulator).await;
        b.click("#recovery-clean").await;
        b.wait_text("#recovery-status", "Cleaned up", 60).await;
        emulator.assert_as_before(&before);
        assert!(!b.exists("#recovery-entries").await);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_in_another_tab_is_never_offered_for_cleanup_until_that_tab_is_gone() {
    let emulator = Emulator::start("0.2");
    let before = emulator.function();
    with_browser("7b-two-tabs", 1.0, async |b| {
        b.start_long_run(&emulator).await;
        let first = b.client.window().await.unwrap();
        // A second tab of the same page shares localStorage, where the running tab's journal is.
        let second = b.client.new_window(true).await.unwrap().handle;
        b.client.switch_to_window(second).await.unwrap();
        b.goto("").await;
        b.find("#start").await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(
            !b.exists("#recovery-entries").await,
            "a run going on in another tab is not a leftover"
        );
        let journals = b
            .js("return Object.keys(localStorage).filter(k => k.startsWith('powertune.journal.')).length;")
            .await;
        assert_eq!(journals, 1, "the running tab's journal is under its own key");

        // The running tab goes away: now its journal is a leftover, here.
        b.client.switch_to_window(first).await.unwrap();
        b.client.close_window().await.unwrap();
        let remaining = b.client.windows().await.unwrap();
        b.client
            .switch_to_window(remaining[0].clone())
            .await
            .unwrap();
        b.client.refresh().await.unwrap();
        let entries = b.text("#recovery-entries").await;
        assert!(entries.contains("delete alias RAM"), "{entries}");
        b.use_emulator(&emulator).await;
        b.click("#recovery-clean").await;
        b.wait_text("#recovery-status", "Cleaned up", 60).await;
        emulator.assert_as_before(&before);
        let journals = b
            .js("return Object.keys(localStorage).filter(k => k.startsWith('powertune.journal')).length;")
            .await;
        assert_eq!(journals, 0, "a journal cleaned up is gone");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_storage_makes_the_run_refuse_before_creating_anything() {
    let emulator = Emulator::start("0.2");
    let before = emulator.function();
    with_browser("7c-storage-full", 1.0, async |b| {
        b.goto("").await;
        b.use_emulator(&emulator).await;
        // The browser refuses every write to localStorage, as a full or disabled one does.
        b.js("Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }; return true;")
            .await;
        b.click("#start").await;
        let error = b.wait_text("#run-error", "storage is full", 30).await;
        assert!(error.contains("localStorage"), "{error}");
        emulator.assert_as_before(&before);
        assert_eq!(emulator.function()["invocations"], before["invocations"]);
    })
    .await;
}
