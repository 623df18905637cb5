//! The two result charts, drawn with plotters on any backend: the page draws them on a canvas,
//! the native tests on SVG.
//!
//! 1. Duration and cost per memory size: two labelled y axes, markers only at the tested sizes.
//! 2. Cost against duration: a point per size labelled with its memory, each run's Pareto front,
//!    and the recommendation ringed.
//!
//! Several runs can be drawn over each other; each gets a colour of [`PALETTE`].

use plotters::{
    chart::MeshStyle,
    coord::Shift,
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};
use powertune_tuner::{Strategy, result::RunResult};

use self::axis::{AxisSpan, compact_number};
use crate::chart_labels::{self, Labelled, Rect};

mod axis;

use crate::format;

/// Colours of overlaid runs, chosen to stay apart for common colour blindness (Okabe–Ito).
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];

/// One run to draw.
#[derive(Debug, Clone, Copy)]
pub struct ChartRun<'a> {
    /// Its legend text.
    pub label: &'a str,
    /// The results.
    pub run: &'a RunResult,
}

/// How to draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Device pixels per CSS pixel, so text and lines keep their size on high-DPI screens.
    pub scale: f64,
    /// Light text on a dark background.
    pub dark: bool,
    /// Logarithmic axes (memory in powers of two, duration and cost in powers of ten).
    pub log: bool,
}

impl Default for ChartStyle {
    fn default() -> Self {
        Self {
            scale: 1.0,
            dark: false,
            log: false,
        }
    }
}

/// Linear axes end this much above their largest value: a little on x, more on y where the
/// legend sits.
const X_HEADROOM: f64 = 1.05;
const Y_HEADROOM: f64 = 1.35;

/// Costs are drawn per million invocations: per-invocation figures have six leading zeros.
const PER_MILLION: f64 = 1e6;

/// The usable sizes of a run as (memory MB, duration ms, cost per million).
fn points(run: &RunResult) -> Vec<(f64, f64, f64)> {
    run.sizes
        .iter()
        .filter(|s| s.is_usable())
        .map(|s| {
            (
                f64::from(s.memory.get()),
                s.average_duration_ms,
                s.average_cost * PER_MILLION,
            )
        })
        .collect()
}

struct Ink {
    text: RGBColor,
    grid: RGBAColor,
    light_grid: RGBAColor,
}

impl Ink {
    fn new(style: &ChartStyle) -> Self {
        let text = if style.dark {
            RGBColor(225, 228, 232)
        } else {
            RGBColor(36, 41, 47)
        };
        Self {
            text,
            grid: text.mix(0.25),
            light_grid: text.mix(0.08),
        }
    }
}

fn px(style: &ChartStyle, css_px: f64) -> u32 {
    (css_px * style.scale).round().max(1.0) as u32
}

fn font<'a>(style: &ChartStyle, css_px: f64, ink: &Ink) -> TextStyle<'a> {
    ("sans-serif", css_px * style.scale)
        .into_font()
        .color(&ink.text)
}

/// Grid, axes and labels in the theme's ink.
fn themed_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    style: &ChartStyle,
    ink: &Ink,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.label_style(font(style, 12.0, ink))
        .axis_desc_style(font(style, 13.0, ink))
        .axis_style(ink.grid)
        .bold_line_style(ink.grid)
        .light_line_style(ink.light_grid)
        .max_light_lines(1)
}

/// The series legend, top right, over a translucent card.
fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    style: &ChartStyle,
    ink: &Ink,
) -> DrawResult<DB> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(font(style, 12.0, ink))
        .background_style(if style.dark {
            RGBColor(22, 27, 34).mix(0.85)
        } else {
            WHITE.mix(0.85)
        })
        .border_style(ink.grid)
        .draw()
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Chart 1: average duration (left axis, solid lines, circles) and cost per million invocations
/// (right axis, dashed lines, squares) for every tested memory size.
///
/// # Errors
/// The backend's drawing errors.
pub fn draw_by_memory<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[ChartRun<'_>],
    style: &ChartStyle,
) -> DrawResult<DB> {
    let ink = Ink::new(style);
    let all: Vec<Vec<(f64, f64, f64)>> = runs.iter().map(|r| points(r.run)).collect();
    let flat = || all.iter().flatten();
    let x = AxisSpan::of(flat().map(|p| p.0), style.log, 2.0, X_HEADROOM);
    let y = AxisSpan::of(flat().map(|p| p.1), style.log, 10.0, Y_HEADROOM).axis();
    let y2 = AxisSpan::of(flat().map(|p| p.2), style.log, 10.0, Y_HEADROOM).axis();
    let symbol = runs.first().map_or("$", |r| r.run.currency.symbol());

    let mut chart = ChartBuilder::on(area)
        .margin(px(style, 12.0))
        .x_label_area_size(px(style, 44.0))
        .y_label_area_size(px(style, 64.0))
        .right_y_label_area_size(px(style, 72.0))
        .build_cartesian_2d(x.axis(), y)?
        .set_secondary_coord(x.axis(), y2);
    let memory_label = |v: &f64| format!("{v:.0}");
    let ms_label = |v: &f64| compact_number(*v);
    themed_mesh(&mut chart.configure_mesh(), style, &ink)
        .x_desc("Memory (MB)")
        .y_desc("Average duration (ms)")
        .x_label_formatter(&memory_label)
        .y_label_formatter(&ms_label)
        .draw()?;
    let cost_label = |v: &f64| format!("{symbol}{}", compact_number(*v));
    chart
        .configure_secondary_axes()
        .y_desc(format!("Cost per 1M invocations ({symbol})"))
        .y_label_formatter(&cost_label)
        .label_style(font(style, 12.0, &ink))
        .axis_desc_style(font(style, 13.0, &ink))
        .axis_style(ink.grid)
        .draw()?;

    let single = runs.len() == 1;
    let line = px(style, 2.0);
    let marker = px(style, 4.0) as i32;
    for (i, (run, pts)) in runs.iter().zip(&all).enumerate() {
        let (duration_colour, cost_colour) = if single {
            (PALETTE[0], PALETTE[1])
        } else {
            (PALETTE[i % PALETTE.len()], PALETTE[i % PALETTE.len()])
        };
        let prefix = if single {
            String::new()
        } else {
            format!("{}: ", run.label)
        };
        chart
            .draw_series(LineSeries::new(
                pts.iter().map(|p| (p.0, p.1)),
                duration_colour.stroke_width(line),
            ))?
            .label(format!("{prefix}duration"))
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + 20, y)],
                    duration_colour.stroke_width(line),
                )
            });
        chart.draw_series(
            pts.iter()
                .map(|p| Circle::new((p.0, p.1), marker, duration_colour.filled())),
        )?;
        chart
            .draw_secondary_series(DashedLineSeries::new(
                pts.iter().map(|p| (p.0, p.2)),
                px(style, 6.0),
                px(style, 4.0),
                cost_colour.stroke_width(line),
            ))?
            .label(format!("{prefix}cost"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], cost_colour.stroke_width(line))
            });
        let half = marker;
        chart.draw_secondary_series(pts.iter().map(|p| {
            EmptyElement::at((p.0, p.2))
                + Rectangle::new([(-half, -half), (half, half)], cost_colour.filled())
        }))?;
    }
    draw_legend(&mut chart, style, &ink)?;
    area.present()
}

/// Chart 2: cost per million invocations against average duration, a point per size labelled
/// with its memory, each run's Pareto front as a line, and the recommendation of `strategy`
/// ringed and named.
///
/// # Errors
/// The backend's drawing errors.
pub fn draw_tradeoff<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[ChartRun<'_>],
    style: &ChartStyle,
) -> DrawResult<DB> {
    let ink = Ink::new(style);
    let all: Vec<Vec<(f64, f64, f64)>> = runs.iter().map(|r| points(r.run)).collect();
    let flat = || all.iter().flatten();
    let x = AxisSpan::of(flat().map(|p| p.1), style.log, 10.0, X_HEADROOM).axis();
    let y = AxisSpan::of(flat().map(|p| p.2), style.log, 10.0, Y_HEADROOM).axis();
    let symbol = runs.first().map_or("$", |r| r.run.currency.symbol());

    let mut chart = ChartBuilder::on(area)
        .margin(px(style, 12.0))
        .x_label_area_size(px(style, 44.0))
        .y_label_area_size(px(style, 72.0))
        .build_cartesian_2d(x, y)?;
    let ms_label = |v: &f64| compact_number(*v);
    let cost_label = |v: &f64| format!("{symbol}{}", compact_number(*v));
    themed_mesh(&mut chart.configure_mesh(), style, &ink)
        .x_desc("Average duration (ms)")
        .y_desc(format!("Cost per 1M invocations ({symbol})"))
        .x_label_formatter(&ms_label)
        .y_label_formatter(&cost_label)
        .draw()?;

    let marker = px(style, 5.0) as i32;
    for (i, run) in runs.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let sizes = &run.run.sizes;
        let at = |j: usize| {
            (
                sizes[j].average_duration_ms,
                sizes[j].average_cost * PER_MILLION,
            )
        };
        let front: Vec<(f64, f64)> = run.run.pareto_front().into_iter().map(at).collect();
        let label = if runs.len() == 1 {
            "Pareto front (no size is both cheaper and faster)".to_owned()
        } else {
            format!("{}: Pareto front", run.label)
        };
        chart
            .draw_series(LineSeries::new(
                front,
                colour.mix(0.7).stroke_width(px(style, 2.0)),
            ))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
        chart.draw_series(all[i].iter().map(|p| {
            EmptyElement::at((p.1, p.2)) + Circle::new((0, 0), marker, colour.filled())
        }))?;
        // The recommendation's ring and label first: the size labels keep clear of them.
        let mut obstacles = Vec::new();
        if let Some(best) = run.run.recommend(run.run.strategy) {
            let strategy: Strategy = run.run.strategy;
            let point = at(best.index);
            let ring = px(style, 11.0) as i32;
            // The label goes on the side with room, so it is never cut at the right edge.
            let plot = chart.plotting_area().get_pixel_range().0;
            let centre = chart.backend_coord(&point);
            let on_left = centre.0 > (plot.start + plot.end) / 2;
            let gap = ring + px(style, 4.0) as i32;
            let (dx, anchor) = if on_left {
                (-gap, HPos::Right)
            } else {
                (gap, HPos::Left)
            };
            let text = format!("best for {strategy}: {}", sizes[best.index].memory);
            let best_font = font(style, 12.0, &ink);
            let (w, h) = area.estimate_text_size(&text, &best_font).unwrap_or((0, 0));
            let (w, h) = (w as i32, h as i32);
            let left = if on_left {
                centre.0 + dx - w
            } else {
                centre.0 + dx
            };
            obstacles.push(Rect {
                left,
                top: centre.1 + ring,
                right: left + w,
                bottom: centre.1 + ring + h,
            });
            obstacles.push(Rect {
                left: centre.0 - ring,
                top: centre.1 - ring,
                right: centre.0 + ring,
                bottom: centre.1 + ring,
            });
            chart.draw_series(std::iter::once(
                EmptyElement::at(point)
                    + Circle::new((0, 0), ring, ink.text.stroke_width(px(style, 2.0)))
                    + Text::new(text, (dx, ring), best_font.pos(Pos::new(anchor, VPos::Top))),
            ))?;
        }
        // Labels are placed after all points of this run are known, so close sizes' labels
        // go to different sides instead of on top of each other.
        let label_font = font(style, 11.0, &ink);
        let texts: Vec<String> = all[i].iter().map(|p| format!("{:.0}", p.0)).collect();
        let labelled: Vec<Labelled> = all[i]
            .iter()
            .zip(&texts)
            .map(|(p, text)| {
                let (w, h) = area.estimate_text_size(text, &label_font).unwrap_or((0, 0));
                Labelled {
                    at: chart.backend_coord(&(p.1, p.2)),
                    size: (w as i32, h as i32),
                }
            })
            .collect();
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let bounds = Rect {
            left: xs.start,
            top: ys.start,
            right: xs.end,
            bottom: ys.end,
        };
        let offsets = chart_labels::place(&labelled, marker, bounds, &obstacles);
        chart.draw_series(
            all[i]
                .iter()
                .zip(texts)
                .zip(offsets)
                .map(|((p, text), offset)| {
                    EmptyElement::at((p.1, p.2))
                        + Text::new(
                            text,
                            offset,
                            label_font.clone().pos(Pos::new(HPos::Left, VPos::Top)),
                        )
                }),
        )?;
    }
    draw_legend(&mut chart, style, &ink)?;
    area.present()
}

/// A text description of both charts for screen readers.
pub fn describe(run: &RunResult) -> String {
    let pts = points(run);
    let Some(fastest) = pts.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
        return "No size succeeded, so there is nothing to chart.".into();
    };
    let cheapest = pts
        .iter()
        .min_by(|a, b| a.2.total_cmp(&b.2))
        .unwrap_or(fastest);
    let front: Vec<String> = run
        .pareto_front()
        .into_iter()
        .map(|i| format!("{} MB", run.sizes[i].memory))
        .collect();
    format!(
        "{} sizes charted. Fastest: {:.0} MB at {}. Cheapest: {:.0} MB at {} per invocation. Pareto front: {}.",
        pts.len(),
        fastest.0,
        format::duration_ms(fastest.1),
        cheapest.0,
        format::cost(cheapest.2 / PER_MILLION, run.currency),
        front.join(", ")
    )
}

#[cfg(test)]
mod tests;
