//! The two result charts, drawn with plotters on any backend: the page draws them on a canvas,
//! the native tests on SVG.
//!
//! 1. Duration and cost per memory size: two labelled y axes, markers only at the tested sizes.
//! 2. Cost against duration: a point per size labelled with its memory, each run's Pareto front,
//!    and the recommendation ringed.
//!
//! Several runs can be drawn over each other; each gets a colour of [`PALETTE`].

use std::ops::Range;

use plotters::{
    chart::MeshStyle,
    coord::{
        Shift,
        ranged1d::{DefaultFormatting, KeyPointHint},
        types::RangedCoordf64,
    },
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};
use powertune_tuner::{Strategy, result::RunResult};

use crate::chart_labels::{self, Labelled, Rect};

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

/// A linear or logarithmic axis, one type so the drawing code is written once.
enum Axis {
    Linear(RangedCoordf64),
    Log(LogCoord<f64>),
}

/// The extent of an axis; plotters' log coordinate is not `Clone`, so an axis used twice (the
/// shared memory axis) is built twice from this.
#[derive(Debug, Clone, Copy)]
struct AxisSpan {
    lo: f64,
    hi: f64,
    log_base: Option<f64>,
}

impl AxisSpan {
    fn axis(self) -> Axis {
        match self.log_base {
            Some(base) => Axis::Log((self.lo..self.hi).log_scale().base(base).into()),
            None => Axis::Linear((self.lo..self.hi).into()),
        }
    }

    /// An axis from 0 (linear) spanning `values`, its top `headroom` times the largest value
    /// (room for the legend). A log axis widens to whole powers of `base`, where plotters puts
    /// its ticks.
    fn of(values: impl Iterator<Item = f64>, log: bool, base: f64, headroom: f64) -> Self {
        let (lo, hi) = values
            .filter(|v| v.is_finite() && *v > 0.0)
            .fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        let (lo, hi) = if lo.is_finite() {
            (lo, hi)
        } else {
            (1.0, 10.0)
        };
        if log {
            let lo = base.powf(lo.log(base).floor());
            let mut hi = base.powf(hi.log(base).ceil());
            if hi <= lo {
                hi = lo * base;
            }
            Self {
                lo,
                hi,
                log_base: Some(base),
            }
        } else {
            Self {
                lo: 0.0,
                hi: if hi > 0.0 { hi * headroom } else { 1.0 },
                log_base: None,
            }
        }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        match self {
            Self::Linear(a) => a.map(value, limit),
            Self::Log(a) => a.map(value, limit),
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self {
            Self::Linear(a) => a.key_points(hint),
            Self::Log(a) => a.key_points(hint),
        }
    }

    fn range(&self) -> Range<f64> {
        match self {
            Self::Linear(a) => a.range(),
            Self::Log(a) => a.range(),
        }
    }
}

/// A tick label: `1.5k`, `250`, `0.42`, `0.0031`.
fn compact_number(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 10_000.0 {
        format!("{}k", trim(v / 1000.0, 0))
    } else if a >= 1000.0 {
        format!("{}k", trim(v / 1000.0, 1))
    } else if a >= 1.0 {
        trim(v, 1)
    } else {
        let digits = (1 - a.log10().floor() as i32).max(0) as usize;
        trim(v, digits)
    }
}

fn trim(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
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
mod tests {
    use super::*;

    use powertune_tuner::fixtures::readme_run;

    fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>)) -> String {
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, (800, 400)).into_drawing_area();
            draw(&area);
        }
        out
    }

    /// The text contents of an SVG drawn by plotters.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                Some(
                    t.split_once('>')?
                        .1
                        .split_once("</text>")?
                        .0
                        .trim()
                        .to_owned(),
                )
            })
            .collect()
    }

    fn font_sizes(svg: &str) -> Vec<f64> {
        svg.split("font-size=\"")
            .skip(1)
            .filter_map(|t| t.split_once('"')?.0.parse().ok())
            .collect()
    }

    /// The README run's trade-off chart at `size` pixels, as SVG.
    pub(super) fn draw_readme_tradeoff(size: (u32, u32)) -> String {
        let run = readme_run();
        let runs = [ChartRun {
            label: "a",
            run: &run,
        }];
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
            draw_tradeoff(&area, &runs, &ChartStyle::default()).unwrap();
        }
        out
    }

    /// The README run alone, as SVG: the trade-off chart or the by-memory one.
    fn draw_readme(tradeoff: bool, style: ChartStyle) -> String {
        let run = readme_run();
        let runs = [ChartRun {
            label: "a",
            run: &run,
        }];
        svg(|area| {
            if tradeoff {
                draw_tradeoff(area, &runs, &style).unwrap()
            } else {
                draw_by_memory(area, &runs, &style).unwrap()
            }
        })
    }

    #[test]
    fn by_memory_chart_labels_its_axes_and_marks_each_tested_size() {
        let out = draw_readme(false, ChartStyle::default());
        let texts = texts(&out);
        for axis in [
            "Memory (MB)",
            "Average duration (ms)",
            "Cost per 1M invocations ($)",
        ] {
            assert!(texts.iter().any(|t| t == axis), "{axis} in {texts:?}");
        }
        // One filled circle per size for duration (legend entries are paths, not circles).
        assert_eq!(out.matches("<circle").count(), 6, "{out}");
    }

    #[test]
    fn log_scale_changes_the_ticks() {
        let draw = |log| {
            draw_readme(
                false,
                ChartStyle {
                    log,
                    ..ChartStyle::default()
                },
            )
        };
        let (linear, log) = (draw(false), draw(true));
        assert_ne!(linear, log);
        // Powers of two on the memory axis.
        let ticks = texts(&log);
        assert!(
            ticks.iter().any(|t| t == "1024") && ticks.iter().any(|t| t == "2048"),
            "{ticks:?}"
        );
    }

    #[test]
    fn tradeoff_chart_labels_points_and_rings_the_recommendation() {
        let run = readme_run();
        let best = run.recommend(run.strategy).unwrap();
        let out = draw_readme(true, ChartStyle::default());
        let texts = texts(&out);
        for size in &run.sizes {
            let label = size.memory.get().to_string();
            assert!(texts.contains(&label), "label {label} in {texts:?}");
        }
        let best_label = format!(
            "best for {}: {}",
            run.strategy, run.sizes[best.index].memory
        );
        assert!(texts.contains(&best_label), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Pareto front")));
    }

    #[test]
    fn overlaid_runs_get_their_own_colours_and_legends() {
        let a = readme_run();
        let mut b = a.clone();
        for s in &mut b.sizes {
            s.average_duration_ms *= 0.8;
        }
        let runs = [
            ChartRun {
                label: "x86_64",
                run: &a,
            },
            ChartRun {
                label: "arm64",
                run: &b,
            },
        ];
        let out = svg(|area| draw_by_memory(area, &runs, &ChartStyle::default()).unwrap());
        let texts = texts(&out);
        assert!(texts.iter().any(|t| t == "x86_64: duration"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "arm64: cost"), "{texts:?}");
        let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        assert!(out.contains(&hex(PALETTE[0])) && out.contains(&hex(PALETTE[1])));
    }

    #[test]
    fn high_dpi_scales_text() {
        let at = |scale| {
            draw_readme(
                true,
                ChartStyle {
                    scale,
                    ..ChartStyle::default()
                },
            )
        };
        let (one, two) = (font_sizes(&at(1.0)), font_sizes(&at(2.0)));
        assert!(!one.is_empty() && one.len() == two.len());
        for (a, b) in one.iter().zip(&two) {
            assert!((b / a - 2.0).abs() < 1e-9, "{a} -> {b}");
        }
    }

    #[test]
    fn description_names_fastest_cheapest_and_front() {
        let text = describe(&readme_run());
        assert!(text.starts_with("6 sizes charted."), "{text}");
        assert!(text.contains("Pareto front:"));
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(compact_number(1536.0), "1.5k");
        assert_eq!(compact_number(10240.0), "10k");
        assert_eq!(compact_number(250.0), "250");
        assert_eq!(compact_number(0.42), "0.42");
        assert_eq!(compact_number(0.0031), "0.0031");
        assert_eq!(compact_number(0.0), "0");
    }
}
#[cfg(test)]
mod label_tests {
    /// The boxes of the top-aligned texts of an SVG chart (the point and recommendation labels),
    /// at a generous 0.6 em per character.
    fn label_boxes(svg: &str) -> Vec<(String, [f64; 4])> {
        svg.split("<text")
            .skip(1)
            .filter(|t| t.contains("dy=\"0.76em\" text-anchor=\"start\""))
            .filter_map(|t| {
                let attr = |name: &str| -> Option<f64> {
                    t.split(&format!(" {name}=\""))
                        .nth(1)?
                        .split('"')
                        .next()?
                        .parse()
                        .ok()
                };
                let text = t
                    .split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .trim()
                    .to_owned();
                let (x, y, size) = (attr("x")?, attr("y")?, attr("font-size")?);
                let width = 0.6 * size * text.chars().count() as f64;
                Some((text, [x, y, x + width, y + size]))
            })
            .collect()
    }

    #[test]
    fn point_labels_of_close_sizes_do_not_overlap_each_other_or_the_recommendation() {
        // 1024 and 1536 MB sit 25 px apart at 800 px wide and 13 px apart at 420 px (a phone).
        for size in [(800, 400), (420, 300)] {
            let boxes = label_boxes(&super::tests::draw_readme_tradeoff(size));
            let labels: Vec<&str> = boxes.iter().map(|(t, _)| t.as_str()).collect();
            assert!(
                labels.contains(&"1024") && labels.contains(&"1536"),
                "{labels:?}"
            );
            for (i, (a, ra)) in boxes.iter().enumerate() {
                for (b, rb) in &boxes[i + 1..] {
                    let overlap = ra[0] < rb[2] && rb[0] < ra[2] && ra[1] < rb[3] && rb[1] < ra[3];
                    assert!(!overlap, "at {size:?}: {a:?} {ra:?} overlaps {b:?} {rb:?}");
                }
            }
        }
    }
}
