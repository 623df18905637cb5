//! The two result charts, drawn with plotters on any backend: the page draws them on a canvas,
//! the native tests on SVG.
//!
//! 1. Duration and cost per memory size: two labelled y axes, markers only at the tested sizes.
//! 2. Cost against duration: a point per size labelled with its memory, each run's Pareto front,
//!    and the recommendation ringed.
//!
//! Several runs can be drawn over each other; each gets a colour of [`PALETTE`]. Sizes adaptive
//! sampling skipped are drawn hollow and dotted, labelled "predicted": the model's figures, not
//! measurements.

use plotters::{chart::MeshStyle, prelude::*};
use powertune_tuner::result::RunResult;

mod axis;
mod by_memory;
mod tradeoff;

pub use self::{
    by_memory::draw_by_memory,
    tradeoff::{Hit, draw_tradeoff, tradeoff_with_hits},
};

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

/// The sizes a run never measured, as the duration model predicts them: (memory MB, duration
/// ms, cost per million). Drawn hollow and dotted, never as measurements.
fn predicted_points(run: &RunResult) -> Vec<(f64, f64, f64)> {
    run.predicted()
        .iter()
        .map(|p| {
            (
                f64::from(p.memory.get()),
                p.duration_ms,
                p.cost * PER_MILLION,
            )
        })
        .collect()
}

/// What the charts plot of the runs: per run its measured points and its predicted ones.
struct Plotted {
    measured: Vec<Vec<(f64, f64, f64)>>,
    predicted: Vec<Vec<(f64, f64, f64)>>,
    /// The currency symbol of the cost axis.
    symbol: &'static str,
}

impl Plotted {
    fn of(runs: &[ChartRun<'_>]) -> Self {
        Self {
            measured: runs.iter().map(|r| points(r.run)).collect(),
            predicted: runs.iter().map(|r| predicted_points(r.run)).collect(),
            symbol: runs.first().map_or("$", |r| r.run.currency.symbol()),
        }
    }

    /// Every point, measured or predicted, for the axes' spans.
    fn all(&self) -> impl Iterator<Item = &(f64, f64, f64)> {
        self.measured.iter().chain(&self.predicted).flatten()
    }
}

/// The legend of predicted points: "predicted, not measured".
const PREDICTED: &str = "predicted, not measured";

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
    // The family as a value, not the name "sans-serif": plotters reads a name through
    // `str::to_lowercase`, whose Unicode tables are some 12 KB of the page's download.
    FontDesc::new(
        FontFamily::SansSerif,
        css_px * style.scale,
        FontStyle::Normal,
    )
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
    let predictions = run.predictions();
    let predicted = predictions.iter().filter(|p| p.1.is_ok()).count();
    let unpredicted = predictions.len() - predicted;
    let front: Vec<String> = run
        .pareto_front()
        .into_iter()
        .map(|i| run.sizes[i].memory.to_string())
        .collect();
    let mut guesses = if predicted > 0 {
        format!(
            " {predicted} sizes were not measured: the model's predictions for them are drawn hollow, with dotted lines, labelled predicted."
        )
    } else {
        String::new()
    };
    if unpredicted > 0 {
        guesses.push_str(&format!(
            " {unpredicted} sizes not measured have no prediction: they lie outside the range of sizes that worked."
        ));
    }
    format!(
        "{} sizes measured and charted. Fastest: {:.0} MB at {}. Cheapest: {:.0} MB at {} per invocation. Pareto front: {}.{guesses}",
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
