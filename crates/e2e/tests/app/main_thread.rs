//! How busy the page's main thread is while a run goes on, with the engine in its worker: the
//! long tasks (over 50 ms, PerformanceObserver `longtask`) of a 46-size adaptive demo run, and
//! of rendering its results. A benchmark (`scripts/bench.sh main-thread`), not a test: task
//! lengths depend on the machine.

use crate::{results_first::all_sizes_adaptive_form, support::*};

/// Collects long tasks, and the moment the run's phase says it finished.
const OBSERVE: &str = r#"
window.__long = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
}).observe({type: 'longtask'});
new MutationObserver(() => {
  const phase = document.querySelector('#phase');
  if (window.__finished === undefined && phase && phase.textContent.includes('finished')) {
    window.__finished = performance.now();
  }
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"#;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: prints the main thread's long tasks during a run"]
async fn long_tasks_during_a_run() {
    with_browser("long-tasks", 1.0, async |b| {
        all_sizes_adaptive_form(b, 1400, 1000).await;
        b.js(OBSERVE).await;
        b.click("#start").await;
        b.wait_text("#phase", "finished", 120).await;
        // The results render after the run; let them.
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let v = b
            .js("return [window.__long, window.__finished === undefined ? null : window.__finished];")
            .await;
        let finished = v[1].as_f64().expect("the run finished");
        let tasks: Vec<(f64, f64)> = v[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t[0].as_f64().unwrap(), t[1].as_f64().unwrap()))
            .collect();
        // The phase says "finished" in the task that receives the result and renders it (the
        // observer runs at that task's end): it counts with the results.
        let (during, after): (Vec<_>, Vec<_>) =
            tasks.iter().partition(|t| t.0 + t.1 < finished - 1.0);
        let longest = |ts: &[&(f64, f64)]| ts.iter().map(|t| t.1).fold(0.0, f64::max);
        println!("| while | long tasks (> 50 ms) | longest |");
        println!("|---|---:|---:|");
        println!(
            "| the run goes on | {} | {:.0} ms |",
            during.len(),
            longest(&during)
        );
        println!(
            "| the result arrives and renders | {} | {:.0} ms |",
            after.len(),
            longest(&after)
        );
    })
    .await;
}
