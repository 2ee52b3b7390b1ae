//! The plot: row labels right-aligned left of the bars, one bar per cell, value labels after them.

use super::{Element, ElementId, Fitted, Frame, LINE_HEIGHT, Rect, Shape, TextRole, Weight};
use crate::chart::Chart;

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
        let height = (bottom - top).max(0.0);
        let band = height / rows as f32;
        // The share of a band the bars fill: a single bar per row needs less air around it.
        let fill = if bars_per_row == 1 { 0.62 } else { 0.74 };
        let n = bars_per_row as f32;
        let thickness = (band * fill / (n + (n - 1.0) * BAR_GAP)).min(MAX_BAR * unit);
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

pub(super) fn place_plot(chart: &Chart, frame: &mut Frame, top: f32, bottom: f32) {
    if chart.rows.is_empty() {
        return;
    }
    let u = frame.unit;
    let bars_per_row = chart
        .rows
        .iter()
        .map(|r| r.bars.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let rows = Rows::new(chart.rows.len(), bars_per_row, top, bottom, u);
    let content = frame.content_width();

    // Row labels: shrink together (a little) to fit the label column, then ellipsize the
    // stragglers, so all rows keep one size.
    let mut label_size = rows.label_size(u);
    let column = content * LABEL_COLUMN;
    let widest = chart
        .rows
        .iter()
        .map(|r| frame.measure.advance(&r.label, label_size, Weight::Regular))
        .fold(0.0, f32::max);
    if widest > column {
        label_size = (label_size * column / widest).max(label_size * super::fit::MIN_SHRINK);
    }
    let labels: Vec<Fitted> = chart
        .rows
        .iter()
        .map(|r| {
            let fitted = frame.fit(&r.label, label_size, Weight::Regular, f32::INFINITY);
            if fitted.width <= column {
                fitted
            } else {
                super::fit::ellipsize(
                    frame.measure,
                    &fitted.text,
                    label_size,
                    Weight::Regular,
                    column,
                )
            }
        })
        .collect();
    let label_width = labels.iter().map(|l| l.width).fold(0.0, f32::max);

    // Value labels, all at one size.
    let value_size = rows.value_size(u);
    let values: Vec<Vec<Fitted>> = chart
        .rows
        .iter()
        .map(|r| {
            r.bars
                .iter()
                .map(|b| frame.fit(&b.label, value_size, Weight::Regular, content * 0.25))
                .collect()
        })
        .collect();

    // Bars span as far as they can while leaving room for the longest bar's label after it.
    let max_value = chart.max_value();
    let longest_label = chart
        .rows
        .iter()
        .zip(&values)
        .flat_map(|(r, vs)| r.bars.iter().zip(vs))
        .filter(|(b, _)| max_value > 0.0 && b.value == Some(max_value))
        .map(|(_, v)| v.width)
        .fold(0.0, f32::max);
    let label_gap = LABEL_GAP * u;
    let value_gap = VALUE_GAP * u;
    let bars_width = (content - label_width - label_gap - value_gap - longest_label)
        .min(frame.width * MAX_BARS_WIDTH)
        .max(0.0);
    let block = label_width + label_gap + bars_width + value_gap + longest_label;
    let left = frame.margin + ((content - block) / 2.0).max(0.0);
    let origin = left + label_width + label_gap;
    let right_edge = frame.width - frame.margin;

    for (r, (row, label)) in chart.rows.iter().zip(labels).enumerate() {
        let label_top = rows.center(r) - label.size * LINE_HEIGHT / 2.0;
        let x = origin - label_gap - label.width;
        frame.text(
            ElementId::RowLabel(r),
            label,
            x,
            label_top,
            Weight::Regular,
            TextRole::RowLabel,
        );
        for (b, (bar, value)) in row.bars.iter().zip(&values[r]).enumerate() {
            let top = rows.bar_top(r, b);
            let center = top + rows.thickness / 2.0;
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
            let length = if max_value > 0.0 {
                bars_width * (v / max_value).clamp(0.0, 1.0) as f32
            } else {
                0.0
            };
            if length > 0.0 {
                frame.elements.push(Element {
                    id: ElementId::Bar { row: r, bar: b },
                    rect: Rect::new(origin, top, length, rows.thickness),
                    shape: Shape::Bar { color: bar.color },
                });
            }
            let outside = origin + length + value_gap;
            let inside = origin + length - value_gap - value.width;
            if outside + value.width <= right_edge || inside < origin {
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
                    .min((rows.thickness - 1.0).max(1.0) / LINE_HEIGHT);
                let fitted = frame.fit(&value.text, size, Weight::Regular, value.width);
                let x = origin + length - value_gap - fitted.width;
                let y = center - fitted.size * LINE_HEIGHT / 2.0;
                frame.text(
                    ElementId::Value { row: r, bar: b },
                    fitted,
                    x,
                    y,
                    Weight::Regular,
                    TextRole::ValueInside,
                );
            }
        }
    }
}
