//! The charts drawn on SVG natively: their texts, scales, colours and label placement.

use super::*;
use plotters::coord::Shift;

use super::axis::compact_number;

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
    // On the trade-off chart the second run's points are triangles, in its legend too: runs
    // differ in shape as well as colour.
    let one = svg(|area| draw_tradeoff(area, &runs[..1], &ChartStyle::default()).unwrap());
    assert!(!one.contains("<polygon"), "one run, circles only");
    let two = svg(|area| draw_tradeoff(area, &runs, &ChartStyle::default()).unwrap());
    let triangles = two.matches("<polygon").count();
    assert_eq!(
        triangles,
        b.sizes.len() + 1,
        "a triangle per size and one in the legend"
    );
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
    assert!(text.starts_with("6 sizes measured and charted."), "{text}");
    assert!(text.ends_with("Pareto front: 3008 MB, 1536 MB."), "{text}");
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
        let boxes = label_boxes(&draw_readme_tradeoff(size));
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

/// The attributes of every circle of an SVG.
fn circles(svg: &str) -> impl Iterator<Item = &str> {
    svg.split("<circle")
        .skip(1)
        .filter_map(|c| c.split_once('>').map(|(attributes, _)| attributes))
}

/// A measured run with 512 and 1536 MB never measured (adaptive sampling skipped them).
fn skipped_run() -> RunResult {
    use powertune_tuner::{MemoryMb, result::SizeResult, result::Unmeasured};
    let mut run = powertune_tuner::fixtures::measured_run();
    for memory in [512, 1536] {
        let at = run.sizes.partition_point(|s| s.memory.get() < memory);
        let skipped = SizeResult {
            memory: MemoryMb::new(memory).unwrap(),
            average_duration_ms: 0.0,
            average_cost: 0.0,
            detail: None,
            error: None,
            unmeasured: Some(Unmeasured::NotChosen),
        };
        if run.sizes[at].memory.get() == memory {
            run.sizes[at] = skipped;
        } else {
            run.sizes.insert(at, skipped);
        }
    }
    run
}

#[test]
fn sizes_never_measured_are_drawn_hollow_and_labelled_predicted() {
    let run = skipped_run();
    let runs = [ChartRun {
        label: "a",
        run: &run,
    }];
    let by_memory = svg(|area| draw_by_memory(area, &runs, &ChartStyle::default()).unwrap());
    let tradeoff = svg(|area| draw_tradeoff(area, &runs, &ChartStyle::default()).unwrap());
    for out in [&by_memory, &tradeoff] {
        assert!(
            texts(out).iter().any(|t| t == PREDICTED),
            "{:?}",
            texts(out)
        );
        // Hollow circles: the two predicted sizes and the legend's sample; filled ones stay
        // the measured sizes'.
        let hollow = circles(out).filter(|c| c.contains("fill=\"none\"")).count();
        assert!(hollow >= 3, "{hollow} hollow circles");
    }
    // Three measured sizes stay filled on the first chart; predicted ones are not measured.
    let filled = circles(&by_memory)
        .filter(|c| !c.contains("fill=\"none\""))
        .count();
    assert_eq!(filled, 3);
    let text = describe(&run);
    assert!(text.starts_with("3 sizes measured and charted."), "{text}");
    assert!(text.contains("2 sizes were not measured"), "{text}");
}

#[test]
fn sizes_the_model_cannot_place_are_not_drawn_and_the_label_says_so() {
    // 256 MB failed: two sizes worked, too few to fit the curve, so neither skipped size gets
    // a prediction (before, a curve fitted elsewhere could draw one below every size that worked).
    let mut run = skipped_run();
    run.sizes[0].error = Some(powertune_tuner::failure::SizeFailure::new(
        powertune_tuner::failure::FailureKind::OutOfMemory,
        "out of memory",
    ));
    run.sizes[0].detail = None;
    assert!(run.predicted().is_empty());
    let text = describe(&run);
    assert!(
        text.contains("2 sizes not measured have no prediction"),
        "{text}"
    );
    assert!(
        !text.contains("were not measured: the model's predictions"),
        "{text}"
    );
}

#[test]
fn in_a_cluster_of_sizes_no_label_is_ambiguous_and_every_point_can_be_read() {
    // 46 sizes whose cost is flat from 1,536 MB up (pdf-renderer's shape): the points crowd
    // together. The Pareto front's ends are labelled; no two labels overlap; every measured
    // point says where it was drawn, to be read on hover or focus.
    let rows: Vec<(u32, f64, f64, f64)> = (2..=47)
        .map(|k| {
            let m = 64 * k;
            let duration = 2_000_000.0 / f64::from(m.min(1_536)) + f64::from(m) * 0.01;
            let cost = duration * f64::from(m) * 1.6e-8;
            (m, cost, duration, cost * 10.0)
        })
        .collect();
    let run =
        powertune_tuner::fixtures::run_of_rows(&rows, powertune_tuner::Strategy::Balanced, 0.5);
    let runs = [ChartRun {
        label: "a",
        run: &run,
    }];
    let mut hits = Vec::new();
    let out = svg(|area| hits = tradeoff_with_hits(area, &runs, &ChartStyle::default()).unwrap());
    assert_eq!(hits.len(), 46);
    let boxes = label_boxes(&out);
    let labels: Vec<&str> = boxes.iter().map(|(t, _)| t.as_str()).collect();
    let front = run.pareto_front();
    for end in [front[0], front[front.len() - 1]] {
        let memory = run.sizes[end].memory.get().to_string();
        assert!(labels.contains(&memory.as_str()), "{memory} in {labels:?}");
    }
    assert!(
        labels.len() < 46,
        "the crowded labels are left out: {labels:?}"
    );
    for (i, (a, ra)) in boxes.iter().enumerate() {
        for (b, rb) in &boxes[i + 1..] {
            let overlap = ra[0] < rb[2] && rb[0] < ra[2] && ra[1] < rb[3] && rb[1] < ra[3];
            assert!(!overlap, "{a:?} {ra:?} overlaps {b:?} {rb:?}");
        }
    }
}
