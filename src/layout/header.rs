//! The text around the plot: title, subtitle, metadata and legend above it, footer below it.

use super::{ElementId, Frame, LINE_HEIGHT, Measure, Rect, Shape, TextRole, Weight};
use crate::chart::Chart;

// Sizes in reference pixels (a 1920×1080 frame), chosen to match the reference look.
const TOP_MARGIN: f32 = 44.0;
const TITLE_SIZE: f32 = 78.0;
const SUBTITLE_GAP: f32 = 12.0;
const SUBTITLE_SIZE: f32 = 44.0;
const METADATA_GAP: f32 = 24.0;
const METADATA_SIZE: f32 = 31.0;
const METADATA_LEADING: f32 = 4.0;
const LEGEND_GAP: f32 = 34.0;
const LEGEND_SIZE: f32 = 36.0;
const SWATCH_WIDTH: f32 = 52.0;
const SWATCH_HEIGHT: f32 = 32.0;
const SWATCH_TEXT_GAP: f32 = 14.0;
/// Thickness of a line chart's legend key.
const LEGEND_LINE: f32 = 7.0;
const LEGEND_ENTRY_GAP: f32 = 56.0;
const LEGEND_LEADING: f32 = 10.0;
const PLOT_GAP: f32 = 40.0;
const BOTTOM_MARGIN: f32 = 36.0;
const FOOTER_SIZE: f32 = 27.0;
const FOOTER_LEADING: f32 = 6.0;
const FOOTER_GAP: f32 = 34.0;

/// Places title, subtitle, metadata and legend from the top; returns where the plot may start.
pub(super) fn place_header(chart: &Chart, frame: &mut Frame) -> f32 {
    let u = frame.unit;
    let mut y = TOP_MARGIN * u;
    // The title, then the subtitle; either may be left out.
    for (id, text, size, weight, role, gap) in [
        (
            ElementId::Title,
            &chart.title,
            // Narrow frames wrap titles rather than shrink them, so a set shares one size there.
            TITLE_SIZE * if frame.narrow { 1.0 } else { chart.title_scale },
            Weight::Bold,
            TextRole::Title,
            SUBTITLE_GAP,
        ),
        (
            ElementId::Subtitle,
            &chart.subtitle,
            SUBTITLE_SIZE,
            Weight::Regular,
            TextRole::Subtitle,
            0.0,
        ),
    ] {
        if !text.trim().is_empty() {
            y = frame.centered_text(id, text, size * u, weight, role, y) + gap * u;
        }
    }
    if !chart.metadata.is_empty() {
        y += METADATA_GAP * u;
        for (i, line) in chart.metadata.iter().enumerate() {
            if i > 0 {
                y += METADATA_LEADING * u;
            }
            y = frame.centered_text(
                ElementId::Metadata(i),
                line,
                METADATA_SIZE * u,
                Weight::Regular,
                TextRole::Metadata,
                y,
            );
        }
    }
    if !chart.legend.is_empty() {
        y += LEGEND_GAP * u;
        y = place_legend(chart, frame, y);
    }
    y + PLOT_GAP * u
}

/// The share of its full size `title` keeps on a 1920×1080 frame (1 when it fits as it is);
/// `None` when it is cut short even at its smallest.
pub(super) fn title_fit(title: &str, measure: &mut dyn Measure) -> Option<f32> {
    let mut frame = Frame::new(1920, 1080, measure);
    let size = TITLE_SIZE * frame.unit;
    let fitted = frame.fit_centered(title, size, Weight::Bold, TextRole::Title);
    let cut = fitted.text.ends_with('…') && !title.trim_end().ends_with('…');
    (!cut).then_some(fitted.size / size)
}

/// One legend entry: a swatch then its label.
struct Entry {
    label: super::Fitted,
    width: f32,
}

/// Entries in a row, centred; entries that do not fit wrap onto further rows (on a narrow frame,
/// a grid of as many rows).
fn place_legend(chart: &Chart, frame: &mut Frame, top: f32) -> f32 {
    let u = frame.unit;
    let max_width = frame.content_width();
    let label_room = (max_width - (SWATCH_WIDTH + SWATCH_TEXT_GAP) * u).max(1.0);
    let entries: Vec<Entry> = chart
        .legend
        .iter()
        .map(|entry| {
            let label = frame.fit(&entry.label, LEGEND_SIZE * u, Weight::Regular, label_room);
            let width = (SWATCH_WIDTH + SWATCH_TEXT_GAP) * u + label.width;
            Entry { label, width }
        })
        .collect();

    // Greedy wrapping into rows of entry indices.
    let gap = LEGEND_ENTRY_GAP * u;
    let rows = greedy_rows(&entries, gap, max_width);
    if frame.narrow
        && rows.len() > 1
        && let Some(bottom) = place_legend_grid(chart, frame, &entries, rows.len(), top)
    {
        return bottom;
    }

    let mut y = top;
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            y += LEGEND_LEADING * u;
        }
        let row_height = row
            .iter()
            .map(|&i| entries[i].label.size * LINE_HEIGHT)
            .fold(SWATCH_HEIGHT * u, f32::max);
        let total: f32 =
            row.iter().map(|&i| entries[i].width).sum::<f32>() + gap * (row.len() - 1) as f32;
        let mut x = (frame.width - total) / 2.0;
        let center = y + row_height / 2.0;
        for &i in row {
            place_entry(chart, frame, &entries[i], i, x, center);
            x += entries[i].width + gap;
        }
        y += row_height;
    }
    y
}

/// Entry indices wrapped greedily into rows no wider than `max_width`.
fn greedy_rows(entries: &[Entry], gap: f32, max_width: f32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
    let mut row_width = 0.0;
    for (i, entry) in entries.iter().enumerate() {
        let row = rows.last_mut().expect("rows starts non-empty");
        let needed = if row.is_empty() {
            entry.width
        } else {
            row_width + gap + entry.width
        };
        if !row.is_empty() && needed > max_width {
            rows.push(vec![i]);
            row_width = entry.width;
        } else {
            row.push(i);
            row_width = needed;
        }
    }
    rows
}

/// The legend as a grid of `rows` rows, entries left-aligned in columns, the grid centred; in
/// reading order, row by row. `None` when the columns do not fit the content width.
fn place_legend_grid(
    chart: &Chart,
    frame: &mut Frame,
    entries: &[Entry],
    rows: usize,
    top: f32,
) -> Option<f32> {
    let u = frame.unit;
    let columns = entries.len().div_ceil(rows);
    let rows = entries.len().div_ceil(columns);
    let gap = LEGEND_ENTRY_GAP * u;
    let widths: Vec<f32> = (0..columns)
        .map(|c| {
            entries
                .iter()
                .skip(c)
                .step_by(columns)
                .map(|e| e.width)
                .fold(0.0, f32::max)
        })
        .collect();
    let total = widths.iter().sum::<f32>() + gap * (columns - 1) as f32;
    if total > frame.content_width() {
        return None;
    }
    let left = (frame.width - total) / 2.0;
    let mut y = top;
    for r in 0..rows {
        if r > 0 {
            y += LEGEND_LEADING * u;
        }
        let row: Vec<usize> = (r * columns..((r + 1) * columns).min(entries.len())).collect();
        let row_height = row
            .iter()
            .map(|&i| entries[i].label.height())
            .fold(SWATCH_HEIGHT * u, f32::max);
        let center = y + row_height / 2.0;
        let mut x = left;
        for (c, &i) in row.iter().enumerate() {
            place_entry(chart, frame, &entries[i], i, x, center);
            x += widths[c] + gap;
        }
        y += row_height;
    }
    Some(y)
}

/// Legend entry `i`: its swatch at `x`, then its label, both centred on `center`.
fn place_entry(chart: &Chart, frame: &mut Frame, entry: &Entry, i: usize, x: f32, center: f32) {
    let u = frame.unit;
    let swatch = Rect::new(
        x,
        center - SWATCH_HEIGHT * u / 2.0,
        SWATCH_WIDTH * u,
        SWATCH_HEIGHT * u,
    );
    let color = chart.legend[i].color;
    // A line chart's key is a short stretch of line.
    frame.elements.push(if chart.draws_lines() {
        let width = LEGEND_LINE * u;
        let (x0, x1) = (swatch.x + width / 2.0, swatch.right() - width / 2.0);
        super::Element {
            id: ElementId::LegendSwatch(i),
            rect: Rect::new(swatch.x, center - width / 2.0, swatch.w, width),
            shape: Shape::Polyline {
                pieces: vec![vec![(x0, center), (x1, center)]],
                bridges: Vec::new(),
                color,
                width,
                pen: (x0, x1),
            },
        }
    } else {
        super::Element {
            id: ElementId::LegendSwatch(i),
            rect: swatch,
            shape: Shape::Swatch { color },
        }
    });
    let label = entry.label.clone();
    let label_top = center - label.size * LINE_HEIGHT / 2.0;
    frame.text(
        ElementId::LegendLabel(i),
        label,
        x + (SWATCH_WIDTH + SWATCH_TEXT_GAP) * u,
        label_top,
        Weight::Regular,
        TextRole::Legend,
    );
}

/// Places the footer lines from the bottom; returns where the plot must end.
pub(super) fn place_footer(chart: &Chart, frame: &mut Frame) -> f32 {
    let u = frame.unit;
    let mut bottom = frame.height - BOTTOM_MARGIN * u;
    if chart.footer.is_empty() {
        return bottom;
    }
    let lines: Vec<_> = chart
        .footer
        .iter()
        .map(|line| frame.fit_centered(line, FOOTER_SIZE * u, Weight::Regular, TextRole::Footer))
        .collect();
    for (i, line) in lines.into_iter().enumerate().rev() {
        let height = line.height();
        let top = bottom - height;
        let x = (frame.width - line.width) / 2.0;
        frame.text(
            ElementId::Footer(i),
            line,
            x,
            top,
            Weight::Regular,
            TextRole::Footer,
        );
        bottom = top - FOOTER_LEADING * u;
    }
    bottom + FOOTER_LEADING * u - FOOTER_GAP * u
}
