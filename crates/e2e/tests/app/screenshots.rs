//! The README's screenshots, written by `scripts/screenshots.sh`.

use std::time::Duration;

use serde_json::json;

use crate::support::*;

/// The README's screenshots (light, dark, narrow, and an adaptive run over all sizes) of
/// finished demo runs, written to
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
        // Adaptive sampling over all 46 sizes: the answer first, the run panel a strip.
        crate::results_first::all_sizes_adaptive_run(b, 1280, 1000).await;
        b.js("document.querySelector('section[aria-labelledby=run-title]').scrollIntoView(); return null;")
            .await;
        save("all-adaptive").await;
    })
    .await;
}
