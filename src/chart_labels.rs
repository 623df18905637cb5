//! Where the memory labels of the cost-against-duration chart go, so that labels of sizes that
//! sit close (1024 and 1536 MB in the README's sample) neither overlap each other nor cover a
//! point; in a cluster (46 sizes), the labels without room are left out rather than drawn
//! where they could belong to another point. Greedy placement over a few candidate positions per point, the way map labelling
//! starts (Christensen, Marks and Shieber, "An empirical study of algorithms for point-feature
//! label placement", ACM ToG 1995): cheap, and enough for the tens of points a run has.

/// A rectangle in backend pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Right edge.
    pub right: i32,
    /// Bottom edge.
    pub bottom: i32,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    fn inside(&self, bounds: &Rect) -> bool {
        self.left >= bounds.left
            && self.right <= bounds.right
            && self.top >= bounds.top
            && self.bottom <= bounds.bottom
    }

    fn overlap_area(&self, other: &Rect) -> i64 {
        let w = (self.right.min(other.right) - self.left.max(other.left)).max(0);
        let h = (self.bottom.min(other.bottom) - self.top.max(other.top)).max(0);
        i64::from(w) * i64::from(h)
    }
}

/// Pixels kept free on either side of a label.
const PADDING: i32 = 2;

/// One point to label: its position and its label's width and height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labelled {
    /// The point, in backend pixels.
    pub at: (i32, i32),
    /// The label's size.
    pub size: (i32, i32),
    /// Whether the label is drawn even where it cannot be clear of the others (the Pareto
    /// front's ends); any other label is left out there, so that no label is ambiguous, and
    /// its point is read on hover or focus instead.
    pub required: bool,
}

/// The top-left offset of each label from its point, `None` for a label left out. `marker` is
/// the points' radius; `bounds` the plotting area; `obstacles` what else is drawn (the
/// recommendation's ring and label). Required labels are placed first; when none of a required
/// label's candidates is free, the one overlapping least is used.
pub fn place(
    points: &[Labelled],
    marker: i32,
    bounds: Rect,
    obstacles: &[Rect],
) -> Vec<Option<(i32, i32)>> {
    let gap = marker + 2;
    let markers: Vec<Rect> = points
        .iter()
        .map(|p| Rect {
            left: p.at.0 - marker,
            top: p.at.1 - marker,
            right: p.at.0 + marker,
            bottom: p.at.1 + marker,
        })
        .chain(obstacles.iter().copied())
        .collect();
    let mut placed: Vec<Rect> = Vec::with_capacity(points.len());
    let mut offsets = vec![None; points.len()];
    let order = (0..points.len())
        .filter(|&i| points[i].required)
        .chain((0..points.len()).filter(|&i| !points[i].required));
    for i in order {
        let p = &points[i];
        let (w, h) = p.size;
        // Above right first (where the chart put them before), then the other corners and
        // sides, then further out.
        let candidates = [
            (gap, -gap - h),
            (gap, gap),
            (-gap - w, -gap - h),
            (-gap - w, gap),
            (gap, -h / 2),
            (-gap - w, -h / 2),
            (-w / 2, -gap - h),
            (-w / 2, gap),
            (gap, -2 * gap - 2 * h),
            (gap, 2 * gap + h),
        ];
        let rect_at = |(dx, dy): (i32, i32)| Rect {
            left: p.at.0 + dx,
            top: p.at.1 + dy,
            right: p.at.0 + dx + w,
            bottom: p.at.1 + dy + h,
        };
        let cost = |offset: (i32, i32)| {
            let r = rect_at(offset);
            let clash: i64 = placed
                .iter()
                .chain(markers.iter())
                .map(|o| r.overlap_area(o))
                .sum();
            let outside = if r.inside(&bounds) {
                0
            } else {
                i64::from(w) * i64::from(h)
            };
            clash + outside
        };
        // A label needs a little air around it to read as its own.
        let free = candidates.iter().copied().find(|&o| {
            let r = rect_at(o);
            let padded = Rect {
                left: r.left - PADDING,
                top: r.top,
                right: r.right + PADDING,
                bottom: r.bottom,
            };
            r.inside(&bounds)
                && !placed
                    .iter()
                    .chain(markers.iter())
                    .any(|x| x.overlaps(&padded))
        });
        let offset = free.or_else(|| {
            p.required.then(|| {
                candidates
                    .iter()
                    .copied()
                    .min_by_key(|&o| cost(o))
                    .unwrap_or(candidates[0])
            })
        });
        if let Some(offset) = offset {
            placed.push(rect_at(offset));
        }
        offsets[i] = offset;
    }
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect {
        left: 0,
        top: 0,
        right: 600,
        bottom: 400,
    };

    fn boxes(points: &[Labelled], offsets: &[Option<(i32, i32)>]) -> Vec<Rect> {
        points
            .iter()
            .zip(offsets)
            .filter_map(|(p, o)| o.map(|o| (p, o)))
            .map(|(p, o)| Rect {
                left: p.at.0 + o.0,
                top: p.at.1 + o.1,
                right: p.at.0 + o.0 + p.size.0,
                bottom: p.at.1 + o.1 + p.size.1,
            })
            .collect()
    }

    #[test]
    fn labels_of_close_points_do_not_overlap() {
        // Two sizes a few pixels apart, as 1024 and 1536 MB are in the README's sample.
        let points = [
            Labelled {
                at: (300, 200),
                size: (30, 12),
                required: true,
            },
            Labelled {
                at: (306, 196),
                size: (30, 12),
                required: true,
            },
            Labelled {
                at: (310, 204),
                size: (30, 12),
                required: true,
            },
        ];
        let rects = boxes(&points, &place(&points, 5, BOUNDS, &[]));
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
            assert!(a.inside(&BOUNDS));
        }
    }

    #[test]
    fn a_label_that_cannot_be_clear_is_left_out_unless_required() {
        // Nine points on top of each other: the required one is labelled, of the others only
        // those with room, and no two labels overlap.
        let points: Vec<Labelled> = (0..9)
            .map(|i| Labelled {
                at: (300 + i, 200),
                size: (30, 12),
                required: i == 4,
            })
            .collect();
        let offsets = place(&points, 5, BOUNDS, &[]);
        assert!(offsets[4].is_some(), "the required label is drawn");
        let drawn = offsets.iter().filter(|o| o.is_some()).count();
        assert!(
            drawn < points.len(),
            "some labels are left out: {offsets:?}"
        );
        let rects = boxes(&points, &offsets);
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn labels_avoid_the_obstacles_given() {
        let points = [Labelled {
            at: (100, 100),
            size: (30, 12),
            required: true,
        }];
        let ring_label = Rect {
            left: 100,
            top: 80,
            right: 200,
            bottom: 95,
        };
        let rects = boxes(&points, &place(&points, 5, BOUNDS, &[ring_label]));
        assert!(!rects[0].overlaps(&ring_label), "{rects:?}");
    }

    #[test]
    fn a_lone_point_keeps_its_label_above_right() {
        let points = [Labelled {
            at: (100, 100),
            size: (30, 12),
            required: true,
        }];
        assert_eq!(place(&points, 5, BOUNDS, &[]), [Some((7, -19))]);
    }

    #[test]
    fn labels_stay_inside_the_plot_at_its_edges() {
        let points = [
            Labelled {
                at: (595, 5),
                size: (40, 12),
                required: true,
            },
            Labelled {
                at: (3, 398),
                size: (40, 12),
                required: true,
            },
        ];
        for r in boxes(&points, &place(&points, 5, BOUNDS, &[])) {
            assert!(r.inside(&BOUNDS), "{r:?}");
        }
    }
}
