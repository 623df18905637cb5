//! Runs that go on in a hidden tab, with Chrome's throttling of hidden pages forced on (one
//! wake-up a minute for chained timers, 10 s after the page is hidden): the engine's worker
//! keeps its own timers, so a demo run and a run against `lambda-emulator` finish while their
//! tab is in the background. With the engine in the page, the demo run had not finished after
//! 60 s hidden (7.6 s visible). `hidden_tab_timing` (ignored; `scripts/bench.sh hidden`)
//! measures each visible and hidden.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

/// Records in localStorage, which another tab of the site reads, when this tab was hidden and
/// when and how its run ended.
const WATCH: &str = r#"
localStorage.removeItem('e2e.hidden');
localStorage.removeItem('e2e.ended');
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden' && !localStorage.getItem('e2e.hidden')) {
    localStorage.setItem('e2e.hidden', String(performance.now()));
  }
});
const seen = () => {
  const phase = document.querySelector('#phase');
  if (!localStorage.getItem('e2e.ended') && phase && /finished|stopped|cancelled/.test(phase.textContent)) {
    localStorage.setItem('e2e.ended', JSON.stringify({
      phase: phase.textContent, visibility: document.visibilityState, at: performance.now(),
      started: window.__e2eStarted,
    }));
  }
};
new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, characterData: true});
window.__e2eStarted = performance.now();
"#;

/// How a run ended, as the watched tab recorded it.
struct Ended {
    phase: String,
    visibility: String,
    /// From Start to the end, ms.
    took_ms: f64,
    /// Whether the tab was hidden before the run ended.
    hidden_first: bool,
}

/// Starts the run set up in the current tab (its Start button is enabled) and, if `hide`,
/// brings a second tab of the same site to the front at once; returns how the run ended, read
/// from the other tab while the run's stays hidden.
async fn run_watched(b: &Browser, hide: bool, limit: Duration) -> Ended {
    b.js(WATCH).await;
    b.click("#start").await;
    if hide {
        let other = b.client.new_window(true).await.unwrap().handle;
        b.client.switch_to_window(other).await.unwrap();
        // The site again (localStorage is shared); this tab starts no run.
        b.client.goto(&b.site).await.unwrap();
    }
    let deadline = Instant::now() + limit;
    let ended = loop {
        let recorded = b
            .js("return [localStorage.getItem('e2e.ended'), localStorage.getItem('e2e.hidden')];")
            .await;
        if let Some(text) = recorded[0].as_str() {
            let v: Value = serde_json::from_str(text).unwrap();
            let hidden_at = recorded[1].as_str().and_then(|h| h.parse::<f64>().ok());
            let at = v["at"].as_f64().unwrap();
            break Ended {
                phase: v["phase"].as_str().unwrap().to_owned(),
                visibility: v["visibility"].as_str().unwrap().to_owned(),
                took_ms: at - v["started"].as_f64().unwrap(),
                hidden_first: hidden_at.is_some_and(|h| h < at),
            };
        }
        assert!(
            Instant::now() < deadline,
            "the run had not ended after {limit:?} (hidden: {hide})"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    if hide {
        b.client.close_window().await.unwrap();
        let windows = b.client.windows().await.unwrap();
        b.client.switch_to_window(windows[0].clone()).await.unwrap();
    }
    ended
}

/// The demo account's pdf-renderer at num 100 (every size's calls on the simulation's timers).
async fn demo_run(b: &Browser) {
    b.goto("").await;
    b.click("#demo-functions input[value=pdf-renderer]").await;
    b.fill("#num", "100").await;
}

/// image-resizer in `lambda-emulator`, 6 sizes × 20, configuration updates of 1 s.
async fn emulator_run(b: &Browser, emulator: &Emulator) {
    b.goto("").await;
    b.use_emulator(emulator).await;
    b.fill("#num", "20").await;
}

fn assert_finished_hidden(ended: &Ended, what: &str) {
    assert!(ended.phase.contains("finished"), "{what}: {}", ended.phase);
    assert!(ended.hidden_first, "{what}: the tab was never hidden");
    assert_eq!(ended.visibility, "hidden", "{what}: it ended visible");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_demo_run_finishes_in_a_hidden_tab() {
    with_browser_throttled("hidden-demo", 1.0, Throttling::Forced, async |b| {
        demo_run(b).await;
        // Throttled, its chained timers would wake once a minute from 10 s on.
        let ended = run_watched(b, true, Duration::from_secs(60)).await;
        assert_finished_hidden(&ended, "demo");
        b.assert_console_clean().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_against_lambda_finishes_in_a_hidden_tab_and_cleans_up() {
    let emulator = Emulator::start("0.2");
    let before = emulator.function();
    with_browser_throttled("hidden-emulator", 1.0, Throttling::Forced, async |b| {
        emulator_run(b, &emulator).await;
        let ended = run_watched(b, true, Duration::from_secs(120)).await;
        assert_finished_hidden(&ended, "emulator");
        emulator.assert_as_before(&before);
        b.assert_console_clean().await;
    })
    .await;
}

/// Each run visible, then hidden, in the same throttled browser: a Markdown table of their
/// times (`scripts/bench.sh hidden`).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: prints visible and hidden times"]
async fn hidden_tab_timing() {
    let emulator = Emulator::start("0.2");
    with_browser_throttled("hidden-timing", 1.0, Throttling::Forced, async |b| {
        println!("| run | visible | hidden | hidden / visible |");
        println!("|---|---:|---:|---:|");
        for (name, limit) in [
            ("demo pdf-renderer, num 100", 120),
            ("lambda-emulator image-resizer, 6 sizes × 20", 240),
        ] {
            let mut times = Vec::new();
            for hide in [false, true] {
                if name.starts_with("demo") {
                    demo_run(b).await;
                } else {
                    emulator_run(b, &emulator).await;
                }
                let ended = run_watched(b, hide, Duration::from_secs(limit)).await;
                assert!(ended.phase.contains("finished"), "{name}: {}", ended.phase);
                times.push(ended.took_ms / 1000.0);
            }
            println!(
                "| {name} | {:.1} s | {:.1} s | {:.2} |",
                times[0],
                times[1],
                times[1] / times[0]
            );
        }
    })
    .await;
}
