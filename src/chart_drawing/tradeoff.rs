//! Chart 2: cost against duration.

use plotters::{
    coord::Shift,
    drawing::DrawingAreaErrorKind,
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};
use powertune_tuner::Strategy;

use super::{
    ChartRun, ChartStyle, DrawResult, Ink, PALETTE, PER_MILLION, PREDICTED, Plotted, X_HEADROOM,
    Y_HEADROOM,
    axis::{AxisSpan, compact_number},
    draw_legend, font, px, themed_mesh,
};
use crate::chart_labels::{self, Labelled, Rect};

/// Where a measured point was drawn, for reading it on hover or keyboard focus.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The run's label.
    pub run: String,
    /// The size in MB.
    pub memory: u32,
    /// Its position in backend pixels.
    pub at: (i32, i32),
    /// Its average duration in ms.
    pub duration_ms: f64,
    /// Its cost per million invocations, in `symbol`.
    pub cost_per_million: f64,
    /// The currency symbol.
    pub symbol: &'static str,
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
    tradeoff_with_hits(area, runs, style).map(|_| ())
}

/// [`draw_tradeoff`], saying where each measured point went. The recommendation and the Pareto
/// front's ends are always labelled; another size only where its label can be clear of every
/// other (in a cluster it is read from its [`Hit`] instead).
///
/// # Errors
/// The backend's drawing errors.
pub fn tradeoff_with_hits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[ChartRun<'_>],
    style: &ChartStyle,
) -> Result<Vec<Hit>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut hits = Vec::new();
    let ink = Ink::new(style);
    let plotted = Plotted::of(runs);
    let (all, guessed, symbol) = (&plotted.measured, &plotted.predicted, plotted.symbol);
    let x = AxisSpan::of(plotted.all().map(|p| p.1), style.log, 10.0, X_HEADROOM).axis();
    let y = AxisSpan::of(plotted.all().map(|p| p.2), style.log, 10.0, Y_HEADROOM).axis();

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
        let front_indices = run.run.pareto_front();
        let front_ends: Vec<u32> = [front_indices.first(), front_indices.last()]
            .into_iter()
            .flatten()
            .map(|&j| sizes[j].memory.get())
            .collect();
        let front: Vec<(f64, f64)> = front_indices.into_iter().map(at).collect();
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
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (20, 0)], colour.stroke_width(2))
                    + series_marker(i, (10, 0), 4, colour.filled())
            });
        if !guessed[i].is_empty() {
            let hollow = colour.mix(0.8).stroke_width(px(style, 1.5));
            let label = if runs.len() == 1 {
                PREDICTED.to_owned()
            } else {
                format!("{}: {PREDICTED}", run.label)
            };
            chart
                .draw_series(
                    guessed[i].iter().map(|p| {
                        EmptyElement::at((p.1, p.2)) + Circle::new((0, 0), marker, hollow)
                    }),
                )?
                .label(label)
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, hollow));
        }
        chart.draw_series(all[i].iter().map(|p| {
            EmptyElement::at((p.1, p.2)) + series_marker(i, (0, 0), marker, colour.filled())
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
                    required: front_ends.contains(&(p.0 as u32)),
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
        chart.draw_series(all[i].iter().zip(texts).zip(offsets).filter_map(
            |((p, text), offset)| {
                Some(
                    EmptyElement::at((p.1, p.2))
                        + Text::new(
                            text,
                            offset?,
                            label_font.clone().pos(Pos::new(HPos::Left, VPos::Top)),
                        ),
                )
            },
        ))?;
        hits.extend(all[i].iter().zip(&labelled).map(|(p, l)| Hit {
            run: run.label.to_owned(),
            memory: p.0 as u32,
            at: l.at,
            duration_ms: p.1,
            cost_per_million: p.2,
            symbol,
        }));
    }
    draw_legend(&mut chart, style, &ink)?;
    area.present()?;
    Ok(hits)
}

/// Series `i`'s point: a circle for the first, a triangle for the second (runs compared side by
/// side, such as two architectures, differ in shape as well as colour).
fn series_marker<DB: DrawingBackend>(
    i: usize,
    at: (i32, i32),
    size: i32,
    style: ShapeStyle,
) -> DynElement<'static, DB, (i32, i32)> {
    if i.is_multiple_of(2) {
        Circle::new(at, size, style).into_dyn()
    } else {
        TriangleMarker::new(at, size + 1, style).into_dyn()
    }
}
