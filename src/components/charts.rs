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
    chart_drawing::{self, ChartRun, ChartStyle, Hit},
    hooks::{use_preferred_dark, use_window_size},
};

/// The drawing errors of a canvas.
type CanvasError = DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>;

/// Sizes the canvas's pixel buffer to its CSS box times the device pixel ratio, then draws;
/// what `draw` returns, with the device pixel ratio (`None` when nothing was drawn).
fn paint<T>(
    canvas: &HtmlCanvasElement,
    runs: &[(String, RunResult)],
    log: bool,
    dark: bool,
    draw: impl FnOnce(
        &DrawingArea<CanvasBackend, Shift>,
        &[ChartRun<'_>],
        &ChartStyle,
    ) -> Result<T, CanvasError>,
) -> Option<(T, f64)> {
    let scale = window().device_pixel_ratio().max(1.0);
    let (w, h) = (canvas.client_width(), canvas.client_height());
    if w <= 0 || h <= 0 {
        return None;
    }
    canvas.set_width((f64::from(w) * scale).round() as u32);
    canvas.set_height((f64::from(h) * scale).round() as u32);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let area = backend.into_drawing_area();
    let chart_runs: Vec<ChartRun<'_>> = runs
        .iter()
        .map(|(label, run)| ChartRun { label, run })
        .collect();
    let style = ChartStyle { scale, dark, log };
    // A drawing error leaves a blank chart; the table beside it still has every number.
    match draw(&area, &chart_runs, &style) {
        Ok(drawn) => Some((drawn, scale)),
        Err(e) => {
            leptos::logging::warn!("chart not drawn: {e}");
            None
        }
    }
}

/// A point of the trade-off chart in words, for its readout.
fn hit_text(hit: &Hit, several: bool) -> String {
    let run = if several {
        format!(" ({})", hit.run)
    } else {
        String::new()
    };
    format!(
        "{} MB{run}: {}, {}{:.2} per million invocations",
        hit.memory,
        crate::format::duration_ms(hit.duration_ms),
        hit.symbol,
        hit.cost_per_million
    )
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
    // Where each point of the trade-off chart went (CSS pixels), for its readout on hover and
    // keyboard focus; the readout's point.
    let hits = StoredValue::new(Vec::<Hit>::new());
    let pointed = RwSignal::new(None::<usize>);
    // Drawing is the one effect here: it writes canvas pixels (and where the points went),
    // never a signal.
    Effect::new(move |_| {
        window_size.track();
        let (log, dark) = (log.get(), dark.get());
        runs.with(|runs| {
            if let Some(c) = by_memory.get() {
                paint(&c, runs, log, dark, chart_drawing::draw_by_memory);
            }
            if let Some(c) = tradeoff.get()
                && let Some((drawn, scale)) =
                    paint(&c, runs, log, dark, chart_drawing::tradeoff_with_hits)
            {
                let in_css = drawn.into_iter().map(|mut hit| {
                    hit.at = (
                        (f64::from(hit.at.0) / scale).round() as i32,
                        (f64::from(hit.at.1) / scale).round() as i32,
                    );
                    hit
                });
                hits.set_value(in_css.collect());
            }
        });
    });
    let several = move || runs.with(|r| r.len() > 1);
    let readout = move || {
        let i = pointed.get()?;
        hits.with_value(|h| h.get(i).map(|hit| hit_text(hit, several())))
    };
    // The nearest point within a finger's width of the pointer.
    let on_move = move |ev: web_sys::MouseEvent| {
        let (x, y) = (ev.offset_x(), ev.offset_y());
        let nearest = hits.with_value(|h| {
            h.iter()
                .enumerate()
                .map(|(i, hit)| (i, (hit.at.0 - x).pow(2) + (hit.at.1 - y).pow(2)))
                .filter(|(_, d)| *d <= 16 * 16)
                .min_by_key(|(_, d)| *d)
                .map(|(i, _)| i)
        });
        pointed.set(nearest);
    };
    // Arrow keys step through the points in memory order.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => 1,
            "ArrowLeft" | "ArrowUp" => -1,
            _ => return,
        };
        ev.prevent_default();
        let count = hits.with_value(Vec::len) as isize;
        if count == 0 {
            return;
        }
        let next = pointed
            .get()
            .map_or(0, |i| (i as isize + step).rem_euclid(count));
        pointed.set(Some(next as usize));
    };
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
                    tabindex="0"
                    aria-label=move || {
                        format!(
                            "Cost against duration. {} Arrow keys read each point.",
                            description(),
                        )
                    }
                    on:mousemove=on_move
                    on:mouseleave=move |_| pointed.set(None)
                    on:focus=move |_| pointed.set(Some(0))
                    on:blur=move |_| pointed.set(None)
                    on:keydown=on_key
                ></canvas>
                // Over the chart's top, so it takes no room of its own.
                <p
                    class="chart-readout"
                    class:shown=move || pointed.get().is_some()
                    id="tradeoff-readout"
                    aria-live="polite"
                >
                    {readout}
                </p>
                <figcaption>
                    "Cost against duration: each point is a memory size; the line joins the sizes no other size beats on both; the ring marks the recommendation."
                    {predicted}
                </figcaption>
            </figure>
        </div>
    }
}
