//! Results as links: a demo run's share link reopening with its numbers, a pasted link overlaid as a comparison, the original chart site's links, a malformed link, and a link opened mid-run.

use std::time::{Duration, Instant};

use crate::support::*;

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
        let label = b.attr("#chart-tradeoff", "aria-label").await;
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
        assert!(link.contains("#pt4."), "{link}");
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
        assert_eq!(hash.matches("pt4.").count(), 2, "{hash}");
        b.goto(&format!("#{hash}")).await;
        b.wait_text("#shared h2", "comparison of 2 runs", 20).await;
        let (second, ..) = b.canvas_pixels("#chart-tradeoff", COST_RGB).await;
        assert!(second > 300, "{second}");
        b.assert_console_clean().await;
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
async fn a_shared_results_downloads_are_written_by_the_worker_and_saved() {
    with_browser("5-shared-downloads", 1.0, async |b| {
        b.goto(&format!("#{README_HASH}")).await;
        b.find("#shared").await;
        b.click(".export-csv").await;
        let csv = b.downloaded("powertune-x86_64.csv").await;
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("memory_mb,architecture,"), "{csv}");
        assert_eq!(lines.len(), 7, "a header and the 6 sizes: {csv}");
        assert!(lines[1].starts_with("128,x86_64,"), "{csv}");
        b.click(".export-json").await;
        let json: serde_json::Value =
            serde_json::from_str(&b.downloaded("powertune-x86_64.json").await).unwrap();
        assert_eq!(json["powertune"]["sizes"].as_array().unwrap().len(), 6);
        assert!(json["power"].is_number(), "{json}");
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
