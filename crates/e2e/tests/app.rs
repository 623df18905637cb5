//! The release build of the web app (`dist/`, from `trunk build --release`) driven as a person
//! would, in headless Chromium through Debian's chromedriver (WebDriver), served by a static
//! file server like any host would. Runs against the in-page demo account and against a real
//! `lambda-emulator` process over HTTP with SigV4. Every test ends with a screenshot in
//! `test-output/e2e/`.

mod support;

use std::time::{Duration, Instant};

use serde_json::json;

use support::*;
#[tokio::test(flavor = "multi_thread")]
async fn demo_run_draws_charts_and_its_share_link_reopens_with_the_same_numbers() {
    with_browser("1-demo-run", 2.0, async |b| {
        b.goto("").await;
        // The demo account is the default: defaults only, then Start.
        assert!(
            b.find("#mode-demo")
                .await
                .prop("checked")
                .await
                .unwrap()
                .as_deref()
                == Some("true")
        );
        b.click("#start").await;
        b.find("#results").await;
        b.wait_text("#phase", "finished", 30).await;
        let rows = b.rows().await;
        assert_eq!(rows.len(), 6, "{rows:?}");

        // Drawn, not just present: series colours on the canvases, at device resolution.
        let (blue, width, css_width) = b.canvas_pixels("#chart-by-memory", DURATION_RGB).await;
        let (orange, ..) = b.canvas_pixels("#chart-by-memory", COST_RGB).await;
        assert!(
            blue > 500 && orange > 300,
            "duration {blue} px, cost {orange} px"
        );
        assert_eq!(
            width,
            css_width * 2,
            "the canvas buffer follows devicePixelRatio 2"
        );
        let (points, ..) = b.canvas_pixels("#chart-tradeoff", DURATION_RGB).await;
        assert!(points > 300, "trade-off chart points: {points} px");
        let label = b
            .find("#chart-tradeoff")
            .await
            .attr("aria-label")
            .await
            .unwrap()
            .unwrap();
        assert!(label.contains("sizes measured and charted"), "{label}");

        // Switching the strategy updates the recommendation without a new run.
        let cost_pick = b.text("[data-strategy=cost] strong").await;
        b.find("#view-strategy")
            .await
            .select_by_value("speed")
            .await
            .unwrap();
        assert!(
            b.exists(".recommendation.chosen[data-strategy=speed]")
                .await
        );
        assert_eq!(b.text("[data-strategy=cost] strong").await, cost_pick);

        // Log scales redraw the charts.
        let before = b
            .js(r##"return document.querySelector("#chart-by-memory").toDataURL();"##)
            .await;
        b.click("#chart-log").await;
        // Polled: the redraw happens on the next frame.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let after = b
                .js(r##"return document.querySelector("#chart-by-memory").toDataURL();"##)
                .await;
            if after != before {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the log scale did not redraw the chart"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let link = b.share_link().await;
        assert!(link.contains("#pt3."), "{link}");
        assert!(!link.contains("123456789012"), "no account id in the link");
        let hash = link.split_once('#').unwrap().1.to_owned();
        b.goto(&format!("#{hash}")).await;
        b.find("#shared").await;
        assert_eq!(b.rows().await, rows, "the link shows the same numbers");
        let (blue, ..) = b.canvas_pixels("#chart-by-memory", DURATION_RGB).await;
        assert!(blue > 500);
        // The recommendations are the speed strategy's: the link carries the viewed strategy.
        assert!(
            b.exists(".recommendation.chosen[data-strategy=speed]")
                .await
        );
        // A demo run, its charts (text measured under the CSP) and the link: nothing logged.
        b.assert_console_clean().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pasted_link_is_overlaid_and_shared_as_a_comparison() {
    with_browser("1b-comparison", 1.0, async |b| {
        b.goto("").await;
        b.click("#start").await;
        b.find("#results").await;
        b.wait_text("#phase", "finished", 30).await;
        // One run: the trade-off chart has no second-run colour.
        let (second, ..) = b.canvas_pixels("#chart-tradeoff", COST_RGB).await;
        assert!(
            second < 20,
            "{second} px of the second run's colour before overlaying"
        );

        b.click("#compare summary").await;
        b.fill(
            "#compare-link",
            &format!("https://lambda-power-tuning.show/#{README_HASH}"),
        )
        .await;
        b.click("#compare-add").await;
        b.wait_text("#compare summary", "(1 shown)", 10).await;
        let (second, ..) = b.canvas_pixels("#chart-tradeoff", COST_RGB).await;
        assert!(
            second > 300,
            "the pasted run is drawn in the second colour: {second} px"
        );
        assert_eq!(
            b.js("return document.querySelectorAll('.run-block').length;")
                .await,
            2
        );

        let link = b.share_link().await;
        let hash = link.split_once('#').unwrap().1.to_owned();
        assert_eq!(hash.matches("pt3.").count(), 2, "{hash}");
        b.goto(&format!("#{hash}")).await;
        b.wait_text("#shared h2", "comparison of 2 runs", 20).await;
        let (second, ..) = b.canvas_pixels("#chart-tradeoff", COST_RGB).await;
        assert!(second > 300, "{second}");
        b.assert_console_clean().await;
    })
    .await;
}

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
async fn invalid_input_shows_each_error_and_nothing_starts() {
    with_browser("4-invalid-input", 1.0, async |b| {
        b.goto("").await;
        b.fill("#num", "0").await;
        b.fill("#power-values", "64, 512, abc").await;
        b.fill("#function", "image-resizer").await;
        let errors = b.wait_text("#form-errors", "num", 10).await;
        assert!(errors.contains("powerValues"), "{errors}");
        assert!(errors.contains("lambdaARN"), "{errors}");
        assert!(
            !b.find("#start").await.is_enabled().await.unwrap(),
            "Start is disabled"
        );
        b.js(r##"document.querySelector("#start").click();"##).await;
        assert!(!b.exists("#run-title").await, "no run started");

        // Credentials that are not credentials get an error, and are not echoed back.
        b.click("#mode-aws").await;
        b.fill(
            "#credentials",
            "export AWS_SECRET_ACCESS_KEY=not-a-key-but-a-secret",
        )
        .await;
        b.click("#use-credentials").await;
        let alert = b.text("[role=alert]").await;
        assert!(!alert.is_empty());
        assert!(!alert.contains("not-a-key-but-a-secret"), "{alert}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn original_readme_chart_link_shows_its_six_sizes() {
    with_browser("5-original-link", 1.0, async |b| {
        b.goto(&format!("#{README_HASH}")).await;
        b.find("#shared").await;
        let sizes: Vec<String> = b.rows().await.into_iter().map(|r| r.0).collect();
        assert_eq!(sizes, ["128", "256", "512", "1024", "1536", "3008"]);
        assert!(b.rows().await[0].1.contains("37,002 ms"));
        let (blue, ..) = b.canvas_pixels("#chart-by-memory", DURATION_RGB).await;
        assert!(blue > 300, "{blue}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_link_shows_a_clear_error() {
    with_browser("6-malformed-link", 1.0, async |b| {
        b.goto("#gAAAAQAC;AADIQgAAlkMAAEhD").await;
        let text = b.wait_text("[role=alert]", "cannot be opened", 20).await;
        assert!(text.contains("2 ';'-separated parts"), "{text}");
        b.click("[role=alert] a").await;
        b.find("#start").await;
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

#[tokio::test(flavor = "multi_thread")]
async fn the_content_security_policy_blocks_other_origins() {
    with_browser("8-csp", 1.0, async |b| {
        b.goto("").await;
        b.find("#start").await;
        let policy = b
            .js(r#"return document.querySelector('meta[http-equiv="Content-Security-Policy"]').content;"#)
            .await;
        let policy = policy.as_str().unwrap();
        assert!(policy.contains("connect-src 'self' https://*.amazonaws.com"), "{policy}");
        assert!(!policy.contains("TRUNK-LOADER"), "the loader hash was filled in");
        // The app runs under it (it rendered), and a request elsewhere is refused by the browser.
        let outcome = b
            .js(r#"return fetch("https://example.com/").then(() => "allowed", e => "blocked: " + e.message);"#)
            .await;
        assert!(outcome.as_str().unwrap().starts_with("blocked"), "{outcome}");

        // The icon is shipped (no 404 in the console), and the wasm came precompressed.
        let icon = b
            .js("return fetch(document.querySelector('link[rel=icon]').href).then(r => r.status);")
            .await;
        assert_eq!(icon, 200);
        let wasm = b
            .js("const e = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm')); return [e.encodedBodySize, e.decodedBodySize];")
            .await;
        let (encoded, decoded) = (wasm[0].as_u64().unwrap(), wasm[1].as_u64().unwrap());
        assert!(
            encoded * 2 < decoded,
            "the wasm is sent compressed from its .br/.gz file: {encoded} of {decoded} bytes"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_share_link_opened_mid_run_leaves_the_run_going_and_guarded() {
    with_browser("9-link-mid-run", 1.0, async |b| {
        b.goto("").await;
        b.fill("#num", "20").await;
        b.fill("#power-values", "ALL").await;
        b.click("#start").await;
        b.wait_text("#phase", "invocations", 20).await;
        // The user follows a share link in the same tab, as a pasted URL or a link click does.
        b.js(&format!("location.hash = '{README_HASH}'; return null;"))
            .await;
        b.find("#shared").await;
        b.wait_text("#running-elsewhere", "still running", 10).await;
        assert_eq!(
            b.js(ASKS_BEFORE_LEAVING).await,
            true,
            "leaving the page still asks while the run goes on"
        );
        b.click("#running-elsewhere a").await;
        b.wait_text("#phase", "finished", 120).await;
        let rows = b
            .js("return document.querySelectorAll('#results table.results tbody tr').length;")
            .await;
        assert_eq!(rows, 46, "the run went on to results for every size");
        assert_eq!(b.js(ASKS_BEFORE_LEAVING).await, false);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_screen_explains_itself_and_the_keyboard_reaches_start() {
    with_browser("10-keyboard", 1.0, async |b| {
        b.goto("").await;
        let intro = b.text(".intro").await;
        assert!(intro.contains("cheapest, fastest"), "{intro}");
        assert!(intro.contains("removes them again"), "{intro}");
        // Tab from the top of the page: every control in reading order, Start among them.
        b.js("document.activeElement.blur(); window.scrollTo(0, 0); return null;")
            .await;
        let mut order = Vec::new();
        for _ in 0..60 {
            b.client
                .active_element()
                .await
                .unwrap()
                .send_keys("\u{E004}")
                .await
                .unwrap();
            let id = b
                .js("const e = document.activeElement; return e.id || e.name || e.tagName;")
                .await;
            let id = id.as_str().unwrap_or_default().to_owned();
            if id == "start" {
                order.push(id);
                break;
            }
            order.push(id);
        }
        let position = |id: &str| {
            order
                .iter()
                .position(|x| x == id)
                .unwrap_or_else(|| panic!("{id} is not reached by Tab: {order:?}"))
        };
        assert!(
            position("sample-result") < position("mode-demo"),
            "{order:?}"
        );
        assert!(
            position("mode-demo") < position("demo-function"),
            "{order:?}"
        );
        assert!(position("demo-function") < position("num"), "{order:?}");
        assert!(position("num") < position("power-values"), "{order:?}");
        assert!(position("power-values") < position("strategy"), "{order:?}");
        assert!(position("payload") < position("start"), "{order:?}");
        // Enter on Start starts.
        b.client
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E007}")
            .await
            .unwrap();
        b.wait_text("#phase", "finished", 30).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_form_names_sample_functions_and_warns_of_a_payload_that_is_not_json() {
    with_browser("11-form-help", 1.0, async |b| {
        b.goto("").await;
        let samples = b.text("#demo-functions").await;
        assert!(samples.contains("api-handler") && samples.contains("I/O"), "{samples}");
        b.click("#demo-functions input[value=ml-inference]").await;
        let arn = b.find("#function").await.prop("value").await.unwrap().unwrap();
        assert!(arn.ends_with(":function:ml-inference"), "{arn}");
        b.fill("#payload", r#"{"a": "#).await;
        let note = b.wait_text("#payload-note", "not JSON", 10).await;
        assert!(note.contains(r#"the string "{\"a\":""#), "{note}");
        b.fill("#payload", r#"{"a": 1}"#).await;
        assert!(!b.exists("#payload-note").await);

        // ml-inference runs out of memory below 1,024 MB: the table names the cause briefly,
        // the original's full text behind a disclosure.
        b.fill("#power-values", "128, 1024, 1536, 3008").await;
        b.click("#start").await;
        b.wait_text("#phase", "finished", 60).await;
        let cause = b.text("tr[data-memory='128'] .size-error summary").await;
        assert_eq!(cause, "out of memory");
        let full = b
            .js("return document.querySelector(\"tr[data-memory='128'] .size-error pre\").textContent;")
            .await;
        assert!(full.as_str().unwrap().contains("original error type"), "{full}");

        // At 1280 px no number wraps onto a second line.
        let heights = b
            .js("return [...document.querySelectorAll('#results table.results tbody td.num')].map(td => td.getBoundingClientRect().height);")
            .await;
        let heights: Vec<f64> = heights.as_array().unwrap().iter().map(|h| h.as_f64().unwrap()).collect();
        let lowest = heights.iter().copied().fold(f64::INFINITY, f64::min);
        let highest = heights.iter().copied().fold(0.0, f64::max);
        assert!(highest < lowest * 1.5, "a cell wraps: heights {heights:?}");

        // On a phone-sized window the table scrolls in its box; the page does not widen.
        b.client.set_window_size(390, 844).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let overflow = b
            .js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];")
            .await;
        assert!(
            overflow[0].as_u64() <= overflow[1].as_u64(),
            "the page is wider than the window: {overflow}"
        );
        b.screenshot("11-narrow").await;
        b.assert_console_clean().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_account_replays_real_measurements_adaptively_and_says_how_sure_it_is() {
    with_browser("12-measured-adaptive", 1.0, async |b| {
        b.goto("").await;
        // The measured functions load next to the modelled ones, with their notice shipped.
        let choice = "#demo-functions input[value=s3-writer-python311-arm64]";
        b.click(choice).await;
        let about = b.text("#demo-functions").await;
        assert!(about.contains("measurements of a real function"), "{about}");
        let sizes = b
            .find("#power-values")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap();
        assert!(
            sizes.starts_with("128, 256, 384") && sizes.ends_with("1920, 2048"),
            "{sizes}"
        );
        let license = b
            .js("return fetch('lambda-benchmark/lambda-benchmark-LICENSE').then(r => r.text());")
            .await;
        assert!(
            license.as_str().unwrap().contains("MIT License"),
            "{license}"
        );

        b.find("#sampling")
            .await
            .select_by_value("adaptive")
            .await
            .unwrap();
        b.click("#start").await;
        b.wait_text("#phase", "finished", 60).await;
        let noise = b.text("#results p.noise").await;
        assert!(noise.contains("95 % intervals"), "{noise}");
        let sampling = b.text("#results p.sampling").await;
        assert!(
            sampling.contains("against the grid's 160 and 16"),
            "{sampling}"
        );
        assert!(
            b.exists("#results tr.unmeasured").await,
            "some sizes are skipped"
        );
        let label = b
            .find("#chart-tradeoff")
            .await
            .attr("aria-label")
            .await
            .unwrap()
            .unwrap();
        assert!(label.contains("were not measured"), "{label}");
        let roles = b.text(".sizes").await;
        assert!(
            roles.contains("dropped: ") || roles.contains("racing: "),
            "{roles}"
        );
        b.assert_console_clean().await;
    })
    .await;
}

/// The README's screenshots (light, dark, narrow) of a finished demo run, written to
/// `docs/screenshots/`. Not a check: run by `scripts/screenshots.sh`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn readme_screenshots() {
    with_browser("readme", 1.0, async |b| {
        let dir = workspace().join("docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let save = async |name: &str| {
            let png = b.client.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        };
        let scheme = async |dark: bool| {
            let value = if dark { "dark" } else { "light" };
            b.client
                .issue_cmd(Cdp(
                    "Emulation.setEmulatedMedia",
                    json!({"features": [{"name": "prefers-color-scheme", "value": value}]}),
                ))
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(500)).await;
        };
        b.client.set_window_size(1280, 1000).await.unwrap();
        b.goto("").await;
        b.click("#start").await;
        b.wait_text("#phase", "finished", 30).await;
        b.js("document.querySelector('#results').scrollIntoView(); return null;")
            .await;
        scheme(false).await;
        save("light").await;
        scheme(true).await;
        save("dark").await;
        scheme(false).await;
        b.client.set_window_size(390, 844).await.unwrap();
        b.goto("").await;
        b.find("#start").await;
        save("narrow").await;
    })
    .await;
}
