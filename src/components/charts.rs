//! The result charts on canvases, sharp on high-DPI screens, redrawn when the data, the scale
//! option, the window size or the colour scheme change.

use leptos::{html, prelude::*};
use plotters::{
    coord::Shift,
    drawing::{DrawingArea, DrawingAreaErrorKind},
    prelude::{DrawingBackend, IntoDrawingArea as _},
};
use plotters_canvas::CanvasBackend;
use powertune_tuner::result::RunResult;
use web_sys::HtmlCanvasElement;

use crate::chart_drawing::{self, ChartRun, ChartStyle};

fn dark_scheme() -> Option<web_sys::MediaQueryList> {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
}

fn prefers_dark() -> bool {
    dark_scheme().is_some_and(|m| m.matches())
}

/// One of the chart functions of [`charts`], on a canvas.
type DrawChart =
    fn(
        &DrawingArea<CanvasBackend, Shift>,
        &[ChartRun<'_>],
        &ChartStyle,
    ) -> Result<(), DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

/// Sizes the canvas's pixel buffer to its CSS box times the device pixel ratio, then draws.
fn paint(canvas: &HtmlCanvasElement, runs: &[(String, RunResult)], log: bool, draw: DrawChart) {
    let scale = window().device_pixel_ratio().max(1.0);
    let (w, h) = (canvas.client_width(), canvas.client_height());
    if w <= 0 || h <= 0 {
        return;
    }
    canvas.set_width((f64::from(w) * scale).round() as u32);
    canvas.set_height((f64::from(h) * scale).round() as u32);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let area = backend.into_drawing_area();
    let chart_runs: Vec<ChartRun<'_>> = runs
        .iter()
        .map(|(label, run)| ChartRun { label, run })
        .collect();
    let style = ChartStyle {
        scale,
        dark: prefers_dark(),
        log,
    };
    // A drawing error leaves a blank chart; the table beside it still has every number.
    if let Err(e) = draw(&area, &chart_runs, &style) {
        leptos::logging::warn!("chart not drawn: {e}");
    }
}

/// Both charts for `runs` (the first is the main run; the others are overlaid).
#[component]
pub fn Charts(
    /// The runs to draw, each with its label.
    #[prop(into)]
    runs: Signal<Vec<(String, RunResult)>>,
) -> impl IntoView {
    let log = RwSignal::new(false);
    let by_memory = NodeRef::<html::Canvas>::new();
    let tradeoff = NodeRef::<html::Canvas>::new();
    let resized = RwSignal::new(0_u32);
    let handle = window_event_listener(leptos::ev::resize, move |_| {
        resized.update(|n| *n = n.wrapping_add(1))
    });
    on_cleanup(move || handle.remove());
    if let Some(query) = dark_scheme() {
        use wasm_bindgen::{JsCast as _, closure::Closure};
        let on_change =
            Closure::<dyn Fn()>::new(move || resized.update(|n| *n = n.wrapping_add(1)));
        let _ =
            query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        // Removed with the charts, which mount again for every finished run.
        let listener = StoredValue::new_local((query, on_change));
        on_cleanup(move || {
            listener.try_with_value(|(query, on_change)| {
                let _ = query.remove_event_listener_with_callback(
                    "change",
                    on_change.as_ref().unchecked_ref(),
                );
            });
        });
    }
    Effect::new(move |_| {
        resized.track();
        let log = log.get();
        runs.with(|runs| {
            if let Some(c) = by_memory.get() {
                paint(&c, runs, log, chart_drawing::draw_by_memory);
            }
            if let Some(c) = tradeoff.get() {
                paint(&c, runs, log, chart_drawing::draw_tradeoff);
            }
        });
    });
    let description = move || {
        runs.with(|r| {
            r.first()
                .map(|(_, run)| chart_drawing::describe(run))
                .unwrap_or_default()
        })
    };
    view! {
        <div class="charts">
            <div class="row">
                <label class="inline">
                    <input type="checkbox" id="chart-log" prop:checked=move || log.get() on:change=move |ev| log.set(event_target_checked(&ev)) />
                    "logarithmic scales"
                </label>
            </div>
            <figure>
                <canvas id="chart-by-memory" node_ref=by_memory role="img" aria-label=move || format!("Duration and cost per memory size. {}", description())></canvas>
                <figcaption>"Average duration (solid, left axis) and cost per million invocations (dashed, right axis) at each tested memory size"</figcaption>
            </figure>
            <figure>
                <canvas id="chart-tradeoff" node_ref=tradeoff role="img" aria-label=move || format!("Cost against duration. {}", description())></canvas>
                <figcaption>"Cost against duration: each point is a memory size; the line joins the sizes no other size beats on both; the ring marks the recommendation"</figcaption>
            </figure>
        </div>
    }
}
