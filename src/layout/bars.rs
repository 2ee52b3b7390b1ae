//! The plot of a bar chart: one bar per cell, value labels after them, and row labels right-aligned left of
//! the bars, or on narrow frames with room enough left-aligned above them, so the bars get the
//! whole width.

use super::fit::{Wrapping, wrap};
use super::pills::{PILL_GAP, Pills};
use super::whisker::{BAR_CAP, WHISKER_WIDTH, whisker};
use super::{
    Axis, Element, ElementId, Fitted, Frame, Ink, LINE_HEIGHT, MIN_FONT, Rect, Shape, TextRole,
    Weight,
};
use crate::chart::{Bars, ink_on};

// Sizes in reference pixels (a 1920×1080 frame).
const LABEL_SIZE: f32 = 34.0;
const VALUE_SIZE: f32 = 28.0;
/// Thickest bar: keeps charts with few rows from turning into slabs.
const MAX_BAR: f32 = 60.0;
/// Gap between the bars of one row, as a fraction of the bar thickness.
const BAR_GAP: f32 = 0.3;
const LABEL_GAP: f32 = 22.0;
const VALUE_GAP: f32 = 10.0;
/// Widest the row label column may get, as a fraction of the content width.
const LABEL_COLUMN: f32 = 0.34;
/// Widest the bars may get, as a fraction of the frame width, so short labels do not leave
/// the chart lopsided.
const MAX_BARS_WIDTH: f32 = 0.62;

// Labels above the bars (narrow frames).
/// Thickest bar, before the plot grows to fill the frame.
const STACKED_MAX_BAR: f32 = 56.0;
/// Gap between the bars of one row, as a fraction of the bar thickness.
const STACKED_BAR_GAP: f32 = 0.22;
/// Gap between a row label and its first bar.
const STACKED_LABEL_GAP: f32 = 8.0;
/// Gap between a row's last bar and the next row's label: at least the first, at most the
/// second, so rows read as groups.
const STACKED_ROW_GAP: (f32, f32) = (26.0, 72.0);
/// A row label takes at most this share of its row's height.
const STACKED_LABEL_SHARE: f32 = 0.34;
/// Thinnest bar worth putting the labels above for; thinner, the labels go left of the bars.
const STACKED_MIN_BAR: f32 = 22.0;
/// A chart of few rows grows (text, bars and gaps) by up to this factor to fill the frame.
const STACKED_MAX_GROW: f32 = 1.5;
/// On a narrow frame with labels left of the bars, the widest the label column may get.
const NARROW_LABEL_COLUMN: f32 = 0.42;
/// How far the label column may widen, as a share of the content width, for labels that
/// would otherwise be cut short even at their smallest size: the bars give up the room.
const LABEL_COLUMN_STRETCH: f32 = 0.48;
/// Bars this close to full length leave room for their value label after them.
const NEAR_FULL: f64 = 0.9;
/// How much larger a compare chart of a single metric draws everything: its two numbers and
/// their difference are the whole story, so they fill the frame rather than float in it.
const HERO: f32 = 2.0;

/// The height from `top` to `bottom`, and its share for each of `rows` rows.
fn bands(rows: usize, top: f32, bottom: f32) -> (f32, f32) {
    let height = (bottom - top).max(0.0);
    (height, height / rows as f32)
}

/// Vertical geometry of the rows.
struct Rows {
    /// Top of the first row's band.
    top: f32,
    /// Height of one row's band.
    band: f32,
    /// Bar thickness and the gap between bars of one row.
    thickness: f32,
    gap: f32,
    bars_per_row: usize,
}

impl Rows {
    fn new(rows: usize, bars_per_row: usize, top: f32, bottom: f32, unit: f32) -> Rows {
        let (height, band) = bands(rows, top, bottom);
        let n = bars_per_row as f32;
        // A row's bars and the gaps between them, in bar thicknesses.
        let span = n + (n - 1.0) * BAR_GAP;
        // The share of a band the bars fill: a single bar per row needs less air around it.
        let mut fill: f32 = if bars_per_row == 1 { 0.62 } else { 0.74 };
        if bars_per_row > 1 {
            // Bars of many rows give up air between rows before their value labels (one per
            // bar, as far apart as the bars) drop under the smallest text.
            let pitch = MIN_FONT * unit * LINE_HEIGHT + 1.0;
            let needed = pitch / (1.0 + BAR_GAP) * span / band;
            // Rows stay at least as far apart as the bars of one row.
            let most = span / (span + BAR_GAP);
            fill = fill.max(needed.min(most));
        }
        let thickness = (band * fill / span).min(MAX_BAR * unit);
        let gap = thickness * BAR_GAP;
        let group = n * thickness + (n - 1.0) * gap;
        let band = band.min(group / fill);
        let top = top + (height - band * rows as f32) / 2.0;
        Rows {
            top,
            band,
            thickness,
            gap,
            bars_per_row,
        }
    }

    fn center(&self, row: usize) -> f32 {
        self.top + self.band * (row as f32 + 0.5)
    }

    /// Top of bar `bar` in row `row`.
    fn bar_top(&self, row: usize, bar: usize) -> f32 {
        let n = self.bars_per_row as f32;
        let group = n * self.thickness + (n - 1.0) * self.gap;
        self.center(row) - group / 2.0 + bar as f32 * (self.thickness + self.gap)
    }

    /// Largest font whose line box fits between a row label and its neighbours.
    fn label_size(&self, unit: f32) -> f32 {
        (LABEL_SIZE * unit).min(self.band * 0.8 / LINE_HEIGHT)
    }

    /// Largest value font whose line box, centred on its bar, stays clear of the labels of the
    /// neighbouring bars and of any longer neighbouring bar.
    fn value_size(&self, unit: f32) -> f32 {
        let pitch = if self.bars_per_row == 1 {
            self.band
        } else {
            self.thickness + self.gap
        };
        // One pixel spare: labels snap to whole pixels.
        (VALUE_SIZE * unit).min((pitch - 1.0).max(1.0) / LINE_HEIGHT)
    }
}

pub(super) fn place_plot(bars: &Bars, frame: &mut Frame, top: f32, bottom: f32) {
    if bars.rows.is_empty() {
        return;
    }
    let bars_per_row = bars
        .rows
        .iter()
        .map(|r| r.bars.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let u = frame.unit * hero_scale(bars);
    if frame.narrow {
        // Labels too long for the width even at their smallest take two lines, where the
        // frame has the height for them; else one, cut short.
        let lines = if labels_fit_one_line(bars, frame, u) {
            1
        } else {
            2
        };
        for lines in (1..=lines).rev() {
            let stack = Stack::new(bars.rows.len(), bars_per_row, top, bottom, u, lines);
            if stack.thickness >= STACKED_MIN_BAR * u {
                place_stacked(bars, frame, &stack, u);
                return;
            }
        }
    }
    let rows = Rows::new(bars.rows.len(), bars_per_row, top, bottom, u);
    let content = frame.content_width();

    // Row labels: shrink together (a little) to fit the label column, then ellipsize the
    // stragglers, so all rows keep one size.
    let column = content
        * if frame.narrow {
            NARROW_LABEL_COLUMN
        } else {
            LABEL_COLUMN
        };
    let labels = fit_row_labels(
        bars,
        frame,
        rows.label_size(u),
        column,
        content * LABEL_COLUMN_STRETCH,
    );
    let labels = unshorten(
        bars,
        frame,
        labels,
        rows.band,
        content * LABEL_COLUMN_STRETCH,
    );
    let label_width = labels.iter().map(|l| l.width).fold(0.0, f32::max);

    // Value labels, all at one size.
    let values = fit_values(bars, frame, rows.value_size(u), content * 0.25);

    // Deltas, in a column of their own after the values.
    let pills = Pills::fit(bars, frame, u, rows.band * 0.9);
    let pill_room = pills.as_ref().map_or(0.0, |p| p.width + PILL_GAP * u);

    // Bars span as far as they can while leaving room for the longest bar's label after it.
    let scales = bars.full_scales();
    let longest_label = longest_value(bars, &scales, &values);
    let label_gap = LABEL_GAP * u;
    let value_gap = VALUE_GAP * u;
    let bars_width = (content - label_width - label_gap - value_gap - longest_label - pill_room)
        .min(frame.width * MAX_BARS_WIDTH)
        .max(0.0);
    let block = label_width + label_gap + bars_width + value_gap + longest_label + pill_room;
    let left = frame.left + ((content - block) / 2.0).max(0.0);
    let origin = left + label_width + label_gap;
    let cells = Cells {
        origin,
        bars_width,
        scales,
        value_gap,
        right_edge: frame.right - pill_room,
        thickness: rows.thickness,
    };

    for (r, (row, label)) in bars.rows.iter().zip(labels).enumerate() {
        let label_top = rows.center(r) - label.height() / 2.0;
        let x = origin - label_gap - label.width;
        frame.text(
            ElementId::RowLabel(r),
            label,
            x,
            label_top,
            Weight::Regular,
            TextRole::RowLabel,
        );
        cells.place(frame, r, row, &values[r], |b| rows.bar_top(r, b));
        if let Some(pills) = &pills {
            pills.place(frame, bars, r, left + block, rows.center(r));
        }
    }
}

/// [`HERO`] for a compare chart of one metric, else 1.
fn hero_scale(bars: &Bars) -> f32 {
    if bars.rows.len() == 1 && bars.has_deltas() {
        HERO
    } else {
        1.0
    }
}

/// Labels cut short take two lines instead, each at most `widest`, where their row is tall
/// enough for two: as on an upright frame, where rows are tall and the column narrow.
fn unshorten(
    bars: &Bars,
    frame: &mut Frame,
    labels: Vec<Fitted>,
    band: f32,
    widest: f32,
) -> Vec<Fitted> {
    (labels.into_iter().zip(&bars.rows))
        .map(|(label, row)| {
            let tall_enough = 2.0 * label.size * LINE_HEIGHT <= band * 0.8;
            if label.text == row.label || !tall_enough {
                return label;
            }
            // A word too long for a line may shrink it a little, not under the smallest text.
            let floor = (MIN_FONT * frame.unit / label.size).clamp(super::fit::MIN_SHRINK, 1.0);
            let wrapped = wrapped_label(frame, &row.label, label.size, widest, 2, floor);
            if wrapped.text.contains('…') {
                label
            } else {
                wrapped
            }
        })
        .collect()
}

/// A row label at `size` on as few lines as it takes, up to `lines` of at most `width`,
/// shrunk to no less than `floor` of its size before its last line is cut short.
fn wrapped_label(
    frame: &mut Frame,
    label: &str,
    size: f32,
    width: f32,
    lines: usize,
    floor: f32,
) -> Fitted {
    let wrapping = Wrapping {
        max_lines: lines,
        one_line_shrink: 1.0,
        wrapped_shrink: 1.0,
        min_shrink: floor,
    };
    wrap(frame.measure, label, size, Weight::Regular, width, wrapping)
}

/// True when every row label fits across the frame on one line at its smallest size (with
/// room for a delta pill after it).
fn labels_fit_one_line(bars: &Bars, frame: &mut Frame, u: f32) -> bool {
    let smallest = LABEL_SIZE * u * super::fit::MIN_SHRINK;
    let pill_room = if bars.has_deltas() { 0.25 } else { 0.0 };
    let room = frame.content_width() * (1.0 - pill_room);
    (bars.rows.iter()).all(|r| frame.measure.advance(&r.label, smallest, Weight::Regular) <= room)
}

/// Row labels at one size: shrunk together (a little) to fit `column`, which widens up to
/// `stretch` for labels still too long, then the stragglers ellipsized.
fn fit_row_labels(
    bars: &Bars,
    frame: &mut Frame,
    size: f32,
    column: f32,
    stretch: f32,
) -> Vec<Fitted> {
    let floor = size * super::fit::MIN_SHRINK;
    let mut label_size = size;
    let widest_at = |frame: &mut Frame, size: f32| {
        bars.rows
            .iter()
            .map(|r| frame.measure.advance(&r.label, size, Weight::Regular))
            .fold(0.0, f32::max)
    };
    let widest = widest_at(frame, label_size);
    if widest > column {
        label_size = (label_size * column / widest).max(floor);
        // Text does not scale exactly linearly (glyph positions round): shrink a hair more
        // rather than ellipsize a label that misses by a fraction of a pixel.
        for _ in 0..3 {
            let widest = widest_at(frame, label_size);
            if widest <= column || label_size <= floor {
                break;
            }
            label_size = (label_size * column / widest * 0.995).max(floor);
        }
    }
    let column = column.max(widest_at(frame, label_size).min(stretch));
    bars.rows
        .iter()
        .map(|r| {
            let fitted = frame.fit(&r.label, label_size, Weight::Regular, f32::INFINITY);
            if fitted.width <= column {
                fitted
            } else {
                super::fit::ellipsize(frame.measure, fitted, Weight::Regular, column)
            }
        })
        .collect()
}

/// Every cell's value label at `size`, row by row.
fn fit_values(bars: &Bars, frame: &mut Frame, size: f32, max_width: f32) -> Vec<Vec<Fitted>> {
    bars.rows
        .iter()
        .map(|r| {
            r.bars
                .iter()
                .map(|b| frame.fit(&b.label, size, Weight::Regular, max_width))
                .collect()
        })
        .collect()
}

/// Width of the widest value label of a bar at or near full length (the chart's longest, or
/// each row's with a scale per row): the room the bars must leave after them. Near: digits
/// differ in width, so `209` on a bar a little shorter than `212`'s may need more room.
fn longest_value(bars: &Bars, scales: &[f64], values: &[Vec<Fitted>]) -> f32 {
    bars.rows
        .iter()
        .zip(values)
        .zip(scales)
        .flat_map(|((row, vs), &full)| {
            row.bars.iter().zip(vs).filter(move |(b, _)| {
                full > 0.0 && b.reach().is_some_and(|r| r >= NEAR_FULL * full)
            })
        })
        .map(|(_, v)| v.width)
        .fold(0.0, f32::max)
}

/// Where the cells of every row go across the frame.
struct Cells {
    /// Where every bar starts.
    origin: f32,
    /// Length of the longest bar.
    bars_width: f32,
    /// Per row, the value a bar of full length stands for.
    scales: Vec<f64>,
    value_gap: f32,
    /// Value labels past this go inside their bar.
    right_edge: f32,
    thickness: f32,
}

impl Cells {
    /// The bars and value labels of row `r`; `bar_top(b)` is the top of its bar `b`.
    fn place(
        &self,
        frame: &mut Frame,
        r: usize,
        row: &crate::chart::ChartRow,
        values: &[Fitted],
        bar_top: impl Fn(usize) -> f32,
    ) {
        let (origin, value_gap) = (self.origin, self.value_gap);
        let full = self.scales.get(r).copied().unwrap_or(0.0);
        for (b, (bar, value)) in row.bars.iter().zip(values).enumerate() {
            let top = bar_top(b);
            let center = top + self.thickness / 2.0;
            let value_top = center - value.size * LINE_HEIGHT / 2.0;
            let Some(v) = bar.value else {
                // Missing: no bar at all, just `NA` where the bar would start.
                frame.text(
                    ElementId::Value { row: r, bar: b },
                    value.clone(),
                    origin,
                    value_top,
                    Weight::Regular,
                    TextRole::Missing,
                );
                continue;
            };
            let scale = |v: f64| {
                if full > 0.0 {
                    self.bars_width * (v / full).clamp(0.0, 1.0) as f32
                } else {
                    0.0
                }
            };
            let length = scale(v);
            if length > 0.0 {
                frame.elements.push(Element {
                    id: ElementId::Bar { row: r, bar: b },
                    rect: Rect::new(origin, top, length, self.thickness),
                    shape: Shape::Bar { color: bar.color },
                });
            }
            // The whisker over repeated runs; the label goes past it, or inside the bar
            // short of it.
            let end = origin + length;
            let (reach, short_of) = match bar.whisker {
                Some((lo, hi)) => {
                    let (lo, hi) = (origin + scale(lo), origin + scale(hi));
                    let width = (WHISKER_WIDTH * frame.unit).max(1.0);
                    frame.elements.push(whisker(
                        ElementId::Whisker { row: r, bar: b },
                        Axis::X,
                        (lo, hi),
                        center,
                        self.thickness * BAR_CAP,
                        width,
                        Ink::Foreground,
                    ));
                    (hi.max(end), lo.min(end))
                }
                None => (end, end),
            };
            let outside = reach + value_gap;
            let inside = short_of - value_gap - value.width;
            // After a whisker that passes the bar's end, the label would read as the highest
            // run rather than the mean: it goes inside the bar wherever it fits there.
            let past_whisker = reach > end + 0.5 && inside >= origin + value_gap;
            // (a hair of slack: a block that fills the width ends there give or take rounding)
            if !past_whisker && outside + value.width <= self.right_edge + 0.01 || inside < origin {
                frame.text(
                    ElementId::Value { row: r, bar: b },
                    value.clone(),
                    outside,
                    value_top,
                    Weight::Regular,
                    TextRole::Value,
                );
            } else {
                // Inside the bar the label must fit the bar's thickness.
                // (one pixel spare: the label snaps to whole pixels)
                let size = value
                    .size
                    .min((self.thickness - 1.0).max(1.0) / LINE_HEIGHT);
                let fitted = frame.fit(&value.text, size, Weight::Regular, value.width);
                let x = short_of - value_gap - fitted.width;
                let y = center - fitted.size * LINE_HEIGHT / 2.0;
                frame.text(
                    ElementId::Value { row: r, bar: b },
                    fitted,
                    x,
                    y,
                    Weight::Regular,
                    TextRole::ValueInside,
                );
                // Written on the bar: in the ink that reads on its colour.
                if let Some(Shape::Text(spec)) = frame.elements.last_mut().map(|e| &mut e.shape) {
                    spec.tint = Some(ink_on(bar.color));
                }
            }
        }
    }
}

/// Vertical geometry of rows whose label sits above their bars: each row is its label, a small
/// gap, its bars, then a larger gap before the next row.
struct Stack {
    /// Bar thickness and the gap between bars of one row.
    thickness: f32,
    gap: f32,
    /// Top of the first row's label.
    top: f32,
    /// Distance from one row's label to the next's.
    pitch: f32,
    /// How much the plot grew to fill the frame (1 when it did not).
    grow: f32,
    label_size: f32,
    /// Lines of each row label: 2 where labels are too long for one.
    label_lines: usize,
    label_gap: f32,
    row_gap: f32,
}

impl Stack {
    fn new(
        rows: usize,
        bars_per_row: usize,
        top: f32,
        bottom: f32,
        unit: f32,
        label_lines: usize,
    ) -> Stack {
        let n = bars_per_row as f32;
        let (height, band) = bands(rows, top, bottom);
        let group = |thickness: f32| n * thickness + (n - 1.0) * thickness * STACKED_BAR_GAP;
        let lines = label_lines as f32;
        // A row as designed, its bars at their thickest; rows that have more room grow.
        let label_size =
            (LABEL_SIZE * unit).min(band * STACKED_LABEL_SHARE / (LINE_HEIGHT * lines));
        let designed = label_size * LINE_HEIGHT * lines
            + (STACKED_LABEL_GAP + STACKED_ROW_GAP.0) * unit
            + group(STACKED_MAX_BAR * unit);
        let grow = (band / designed).clamp(1.0, STACKED_MAX_GROW);
        let unit = unit * grow;
        let label_size = label_size * grow;
        let label_gap = STACKED_LABEL_GAP * unit;
        let (min_gap, max_gap) = (STACKED_ROW_GAP.0 * unit, STACKED_ROW_GAP.1 * unit);
        let room = band - label_size * LINE_HEIGHT * lines - label_gap - min_gap;
        let thickness = (room / group(1.0)).min(STACKED_MAX_BAR * unit).max(0.0);
        let fixed = label_size * LINE_HEIGHT * lines + label_gap + group(thickness);
        // Rows spread out up to the largest gap; what is left is shared above and below.
        let row_gap = (band - fixed).clamp(min_gap, max_gap);
        let pitch = fixed + row_gap;
        let used = pitch * rows as f32 - row_gap;
        Stack {
            top: top + ((height - used) / 2.0).max(0.0),
            pitch,
            grow,
            label_size,
            label_lines,
            label_gap,
            row_gap,
            thickness,
            gap: thickness * STACKED_BAR_GAP,
        }
    }

    fn label_top(&self, row: usize) -> f32 {
        self.top + self.pitch * row as f32
    }

    fn bar_top(&self, row: usize, bar: usize) -> f32 {
        self.label_top(row)
            + self.label_size * LINE_HEIGHT * self.label_lines as f32
            + self.label_gap
            + bar as f32 * (self.thickness + self.gap)
    }

    /// Largest value font whose line box, centred on its bar, stays clear of the neighbouring
    /// bars' labels and of the row labels above and below.
    fn value_size(&self, unit: f32, bars_per_row: usize) -> f32 {
        let mut room = self.thickness + 2.0 * self.label_gap.min(self.row_gap);
        if bars_per_row > 1 {
            room = room.min(self.thickness + self.gap);
        }
        (VALUE_SIZE * unit * self.grow).min((room - 1.0).max(1.0) / LINE_HEIGHT)
    }
}

/// The plot with row labels above the bars, which start at the left margin.
/// `u` is the size of a reference pixel: the frame's unit, or more for a single metric.
fn place_stacked(bars: &Bars, frame: &mut Frame, stack: &Stack, u: f32) {
    let bars_per_row = bars.rows.iter().map(|r| r.bars.len()).max().unwrap_or(1);
    let content = frame.content_width();
    // Deltas at the right end of the row labels' line.
    let pills = Pills::fit(bars, frame, u, stack.label_size * LINE_HEIGHT);
    let pill_room = pills.as_ref().map_or(0.0, |p| p.width + PILL_GAP * u);
    let room = content - pill_room;
    let labels = if stack.label_lines > 1 {
        (bars.rows.iter())
            .map(|r| {
                let (size, lines) = (stack.label_size, stack.label_lines);
                wrapped_label(frame, &r.label, size, room, lines, 1.0)
            })
            .collect()
    } else {
        fit_row_labels(bars, frame, stack.label_size, room, room)
    };
    let values = fit_values(
        bars,
        frame,
        stack.value_size(u, bars_per_row),
        content * 0.25,
    );
    let value_gap = VALUE_GAP * u;
    let scales = bars.full_scales();
    let bars_width = (content - value_gap - longest_value(bars, &scales, &values)).max(0.0);
    let cells = Cells {
        origin: frame.left,
        bars_width,
        scales,
        value_gap,
        right_edge: frame.right,
        thickness: stack.thickness,
    };
    for (r, (row, label)) in bars.rows.iter().zip(labels).enumerate() {
        frame.text(
            ElementId::RowLabel(r),
            label,
            frame.left,
            stack.label_top(r),
            Weight::Regular,
            TextRole::RowLabel,
        );
        cells.place(frame, r, row, &values[r], |b| stack.bar_top(r, b));
        if let Some(pills) = &pills {
            let center = stack.label_top(r) + stack.label_size * LINE_HEIGHT / 2.0;
            pills.place(frame, bars, r, frame.right, center);
        }
    }
}
