//! The first screen and the form: what it explains, the keyboard path to Start, each input error, the payload and sample-function hints, and the Content-Security-Policy.

use std::time::Duration;

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_shows_each_error_and_nothing_starts() {
    with_browser("4-invalid-input", 1.0, async |b| {
        b.goto("").await;
        b.fill("#num", "0").await;
        b.fill("#power-values", "64, 512, abc").await;
        b.fill("#lambda-arn", "image-resizer").await;
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
        assert!(samples.contains("api-handler") && samples.contains("ml-inference"), "{samples}");
        // What a function is, in a line for the one chosen.
        b.click("#demo-functions input[value=api-handler]").await;
        let about = b.text("#demo-about").await;
        assert!(about.starts_with("api-handler: ") && about.contains("I/O"), "{about}");
        b.click("#demo-functions input[value=ml-inference]").await;
        let arn = b.find("#lambda-arn").await.prop("value").await.unwrap().unwrap();
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
async fn the_advanced_fields_are_folded_until_a_pasted_input_sets_one() {
    with_browser("11-advanced", 1.0, async |b| {
        b.goto("").await;
        // The app mounts once its wasm has loaded: wait for the form before reading it.
        b.find("#advanced").await;
        let open = "return document.querySelector('#advanced').open;";
        assert_eq!(b.js(open).await, false, "folded on load");
        // Every key of the domain's table has a field, the rare ones behind the disclosure.
        for id in ["#tolerance", "#tenant-id", "#pre-processor-arn", "#allowed-exceptions"] {
            assert!(b.exists(&format!("#advanced {id}")).await, "{id}");
        }
        for id in ["#num", "#power-values", "#strategy", "#sampling", "#payload"] {
            assert!(!b.exists(&format!("#advanced {id}")).await, "{id} is everyday");
        }
        // An error in a folded field is shown all the same.
        b.click("details:has(#paste-json) > summary").await;
        b.fill(
            "#paste-json",
            r#"{"lambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:api-handler", "num": 10, "tenantId": "customer-42"}"#,
        )
        .await;
        b.click("#load-json").await;
        assert_eq!(b.js(open).await, true, "a pasted tenantId unfolds Advanced");
        let summary = b.text("#advanced > summary").await;
        assert_eq!(summary, "Advanced (1 set)");
        let tenant = b.find("#tenant-id").await.prop("value").await.unwrap().unwrap();
        assert_eq!(tenant, "customer-42");
        b.fill("#tolerance", "lots").await;
        b.click("#advanced > summary").await;
        assert_eq!(b.js(open).await, false);
        let errors = b.text("#form-errors").await;
        assert!(errors.contains("tolerance"), "{errors}");
    })
    .await;
}

/// What the page fetched so far, by path.
const FETCHED: &str =
    "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);";

fn fetched_worker(fetched: &serde_json::Value) -> bool {
    fetched
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p.as_str().unwrap().contains("powertune-worker"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_engine_and_the_sdk_load_only_when_a_task_starts() {
    with_browser("worker-on-demand", 1.0, async |b| {
        b.goto("").await;
        b.find("#start").await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!fetched_worker(&b.js(FETCHED).await), "the first screen");
        b.click("#sample-result").await;
        b.find("table.results").await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(!fetched_worker(&b.js(FETCHED).await), "a share link");
        // A download is the worker's work: it loads for it.
        b.click(".export-csv").await;
        b.downloaded("powertune-x86_64.csv").await;
        assert!(fetched_worker(&b.js(FETCHED).await), "a download");
        b.goto("").await;
        b.click("#start").await;
        b.wait_text("#phase", "finished", 60).await;
        assert!(fetched_worker(&b.js(FETCHED).await), "a run");
        b.assert_console_clean().await;
    })
    .await;
}
