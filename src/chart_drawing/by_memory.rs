//! Chart 1: duration and cost per memory size.

use plotters::{coord::Shift, prelude::*};

use super::{
    ChartRun, ChartStyle, DrawResult, Ink, PALETTE, PREDICTED, Plotted, X_HEADROOM, Y_HEADROOM,
    axis::{AxisSpan, compact_number},
    draw_legend, font, px, themed_mesh,
};

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
    let plotted = Plotted::of(runs);
    let (all, guessed, symbol) = (&plotted.measured, &plotted.predicted, plotted.symbol);
    let x = AxisSpan::of(plotted.all().map(|p| p.0), style.log, 2.0, X_HEADROOM);
    let y = AxisSpan::of(plotted.all().map(|p| p.1), style.log, 10.0, Y_HEADROOM).axis();
    let y2 = AxisSpan::of(plotted.all().map(|p| p.2), style.log, 10.0, Y_HEADROOM).axis();

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
    for (i, (run, pts)) in runs.iter().zip(all).enumerate() {
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
    for (i, (run, guess)) in runs.iter().zip(guessed).enumerate() {
        if guess.is_empty() {
            continue;
        }
        let (duration_colour, cost_colour) = if single {
            (PALETTE[0], PALETTE[1])
        } else {
            (PALETTE[i % PALETTE.len()], PALETTE[i % PALETTE.len()])
        };
        let thin = px(style, 1.5);
        let hollow = move |c: RGBColor| c.stroke_width(thin);
        let label = if single {
            PREDICTED.to_owned()
        } else {
            format!("{}: {PREDICTED}", run.label)
        };
        chart
            .draw_series(DashedLineSeries::new(
                guess.iter().map(|p| (p.0, p.1)),
                px(style, 2.0),
                px(style, 4.0),
                duration_colour.mix(0.7).stroke_width(thin),
            ))?
            .label(label)
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, hollow(duration_colour)));
        chart.draw_series(
            guess
                .iter()
                .map(|p| Circle::new((p.0, p.1), marker, hollow(duration_colour))),
        )?;
        let half = marker;
        chart.draw_secondary_series(guess.iter().map(|p| {
            EmptyElement::at((p.0, p.2))
                + Rectangle::new([(-half, -half), (half, half)], hollow(cost_colour))
        }))?;
    }
    draw_legend(&mut chart, style, &ink)?;
    area.present()
}
