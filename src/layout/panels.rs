//! A chart of panels: a grid of cells, each a panel's heading over its bars, laid out by the
//! bar chart's own layout inside the cell. Rows are numbered on from one panel to the next, so
//! every element keeps a name of its own.

use super::bars::place_plot;
use super::fit::fit_shrinking;
use super::{Element, ElementId, Fitted, Frame, TextRole, Weight};
use crate::chart::Panels;

// Sizes in reference pixels (a 1920×1080 frame).
/// A panel's heading: a little over half the subtitle's size.
const HEADING_SIZE: f32 = 28.0;
/// Between the cells of the grid.
const GAP_X: f32 = 56.0;
const GAP_Y: f32 = 40.0;
/// Between a heading and its plot.
const HEADING_GAP: f32 = 12.0;
/// A panel's own footer lines under its bars: the frame footer's size, a little smaller.
const NOTE_SIZE: f32 = 24.0;
/// Between a panel's bars and its notes.
const NOTE_GAP: f32 = 14.0;
/// Cells narrower than this put row labels above their bars where they have the height.
const NARROW_CELL: f32 = 1000.0;

pub(super) fn place_panels(panels: &Panels, frame: &mut Frame, top: f32, bottom: f32) {
    let n = panels.panels.len();
    if n == 0 {
        return;
    }
    let columns = panels
        .columns
        .unwrap_or_else(|| default_columns(n, frame.narrow))
        .clamp(1, n);
    let grid_rows = n.div_ceil(columns);
    let u = frame.unit;
    let (left, right, narrow) = (frame.left, frame.right, frame.narrow);
    let (gap_x, gap_y) = (GAP_X * u, GAP_Y * u);
    let cell_w = ((right - left) - gap_x * (columns - 1) as f32) / columns as f32;
    let cell_h = ((bottom - top) - gap_y * (grid_rows - 1) as f32) / grid_rows as f32;
    let offsets = panels.row_offsets();
    // One heading size for all panels: the largest every heading fits at.
    let heading_size = (panels.panels.iter())
        .map(|panel| fit_heading(frame, &panel.title, cell_w, cell_h, f32::INFINITY).size)
        .fold(f32::INFINITY, f32::min);
    for (p, panel) in panels.panels.iter().enumerate() {
        // A last grid row with fewer panels is centred rather than leaving cells empty.
        let in_row = columns.min(n - p / columns * columns);
        let row_left = left + (columns - in_row) as f32 * (cell_w + gap_x) / 2.0;
        let x0 = row_left + (p % columns) as f32 * (cell_w + gap_x);
        let y0 = top + (p / columns) as f32 * (cell_h + gap_y);
        let heading = fit_heading(frame, &panel.title, cell_w, cell_h, heading_size);
        let x = x0 + (cell_w - heading.width) / 2.0;
        let plot_top = y0 + heading.height() + HEADING_GAP * u;
        frame.text(
            ElementId::PanelTitle(p),
            heading,
            x,
            y0,
            Weight::Bold,
            TextRole::PanelTitle,
        );
        (frame.left, frame.right) = (x0, x0 + cell_w);
        // Notes wrap on a narrow frame only: in a narrow cell of a wide one, shrinking a little
        // costs the bars less height than a second line.
        frame.narrow = narrow;
        let plot_bottom = place_notes(frame, p, &panel.notes, x0, cell_w, y0 + cell_h);
        frame.narrow = narrow || cell_w < NARROW_CELL * u;
        let first = frame.elements.len();
        place_plot(&panel.bars, frame, plot_top, plot_bottom);
        renumber(&mut frame.elements[first..], offsets[p]);
    }
    (frame.left, frame.right, frame.narrow) = (left, right, narrow);
}

/// A panel's notes centred at the bottom of its cell (the frame's `left` to `right`), the last
/// line's bottom at `bottom`; returns where its bars must end.
fn place_notes(
    frame: &mut Frame,
    panel: usize,
    notes: &[String],
    x0: f32,
    width: f32,
    bottom: f32,
) -> f32 {
    if notes.is_empty() {
        return bottom;
    }
    let size = NOTE_SIZE * frame.unit;
    // As the frame's footer: shrunk a little to fit the cell, wrapped where the cell is narrow.
    let fitted: Vec<Fitted> = notes
        .iter()
        .map(|n| frame.fit_centered(n, size, Weight::Regular, TextRole::Footer))
        .collect();
    let mut top = bottom - fitted.iter().map(Fitted::height).sum::<f32>();
    let plot_bottom = top - NOTE_GAP * frame.unit;
    for (line, note) in fitted.into_iter().enumerate() {
        let height = note.height();
        let x = x0 + (width - note.width) / 2.0;
        let id = ElementId::PanelNote { panel, line };
        frame.text(id, note, x, top, Weight::Regular, TextRole::Footer);
        top += height;
    }
    plot_bottom
}

/// Panels per grid row when the scene does not say: side by side on a wide frame and one
/// above the other on a narrow one while they are few, so no cell is left empty (2×2 only for
/// four); more panels make a grid whose last row is centred.
fn default_columns(panels: usize, narrow: bool) -> usize {
    match (narrow, panels) {
        (false, 0..=3) => panels,
        (false, 4) => 2,
        (false, 5 | 6) => 3,
        (false, _) => 4,
        (true, 0..=3) => 1,
        (true, _) => 2,
    }
}

/// The heading's lines at one size, at most `most`, that fits the cell's width (and a fifth
/// of its height).
fn fit_heading(frame: &mut Frame, title: &str, width: f32, height: f32, most: f32) -> Fitted {
    let lines: Vec<&str> = title.lines().collect();
    let n = lines.len().max(1) as f32;
    let size = (HEADING_SIZE * frame.unit)
        .min(height * 0.2 / (n * super::LINE_HEIGHT))
        .min(most);
    let fit_at = |frame: &mut Frame, size: f32, shrink: f32| -> Vec<Fitted> {
        lines
            .iter()
            .map(|l| fit_shrinking(frame.measure, l, size, Weight::Bold, width, shrink))
            .collect()
    };
    // Every line at the size the tightest one needs.
    let smallest = fit_at(frame, size, super::fit::MIN_SHRINK)
        .iter()
        .map(|f| f.size)
        .fold(size, f32::min);
    let fitted = fit_at(frame, smallest, 1.0);
    Fitted {
        text: fitted
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        size: smallest,
        width: fitted.iter().map(|f| f.width).fold(0.0, f32::max),
    }
}

/// Rows of a panel named by their place among all the panels' rows.
fn renumber(elements: &mut [Element], offset: usize) {
    for e in elements {
        e.id = match e.id {
            ElementId::RowLabel(r) => ElementId::RowLabel(r + offset),
            ElementId::Bar { row, bar } => ElementId::Bar {
                row: row + offset,
                bar,
            },
            ElementId::Value { row, bar } => ElementId::Value {
                row: row + offset,
                bar,
            },
            ElementId::Whisker { row, bar } => ElementId::Whisker {
                row: row + offset,
                bar,
            },
            ElementId::DeltaPill(r) => ElementId::DeltaPill(r + offset),
            ElementId::Delta(r) => ElementId::Delta(r + offset),
            other => other,
        };
    }
}
