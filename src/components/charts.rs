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

use crate::{
    chart_drawing::{self, ChartRun, ChartStyle},
    hooks::{use_preferred_dark, use_window_size},
};

/// One of the chart functions of [`charts`], on a canvas.
type DrawChart =
    fn(
        &DrawingArea<CanvasBackend, Shift>,
        &[ChartRun<'_>],
        &ChartStyle,
    ) -> Result<(), DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

/// Sizes the canvas's pixel buffer to its CSS box times the device pixel ratio, then draws.
fn paint(
    canvas: &HtmlCanvasElement,
    runs: &[(String, RunResult)],
    log: bool,
    dark: bool,
    draw: DrawChart,
) {
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
    let style = ChartStyle { scale, dark, log };
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
    let window_size = use_window_size();
    let dark = use_preferred_dark();
    // Drawing is the one effect here: it writes canvas pixels, never a signal.
    Effect::new(move |_| {
        window_size.track();
        let (log, dark) = (log.get(), dark.get());
        runs.with(|runs| {
            if let Some(c) = by_memory.get() {
                paint(&c, runs, log, dark, chart_drawing::draw_by_memory);
            }
            if let Some(c) = tradeoff.get() {
                paint(&c, runs, log, dark, chart_drawing::draw_tradeoff);
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
    let predicted = move || {
        runs.with(|r| r.iter().any(|(_, run)| !run.predicted().is_empty()))
            .then_some(" Hollow markers on dotted lines are predicted by the duration model for sizes adaptive sampling did not measure.")
    };
    view! {
        <div class="charts">
            <div class="row">
                <label class="inline">
                    <input
                        type="checkbox"
                        id="chart-log"
                        prop:checked=move || log.get()
                        on:change=move |ev| log.set(event_target_checked(&ev))
                    />
                    "logarithmic scales"
                </label>
            </div>
            <figure>
                <canvas
                    id="chart-by-memory"
                    node_ref=by_memory
                    role="img"
                    aria-label=move || {
                        format!("Duration and cost per memory size. {}", description())
                    }
                ></canvas>
                <figcaption>
                    "Average duration (solid, left axis) and cost per million invocations (dashed, right axis) at each tested memory size."
                    {predicted}
                </figcaption>
            </figure>
            <figure>
                <canvas
                    id="chart-tradeoff"
                    node_ref=tradeoff
                    role="img"
                    aria-label=move || format!("Cost against duration. {}", description())
                ></canvas>
                <figcaption>
                    "Cost against duration: each point is a memory size; the line joins the sizes no other size beats on both; the ring marks the recommendation."
                    {predicted}
                </figcaption>
            </figure>
        </div>
    }
}
