//! A chart of panels: a grid of cells, each a panel's heading over its bars, laid out by the
//! bar chart's own layout inside the cell. Rows are numbered on from one panel to the next, so
//! every element keeps a name of its own.

use super::bars::place_plot;
use super::fit::fit_shrinking;
use super::{Element, ElementId, Fitted, Frame, TextRole, Weight};
use crate::chart::{Chart, Panels};

// Sizes in reference pixels (a 1920×1080 frame).
/// A panel's heading: a little over half the subtitle's size.
const HEADING_SIZE: f32 = 28.0;
/// Between the cells of the grid.
const GAP_X: f32 = 56.0;
const GAP_Y: f32 = 40.0;
/// Between a heading and its plot.
const HEADING_GAP: f32 = 12.0;
/// Cells narrower than this put row labels above their bars where they have the height.
const NARROW_CELL: f32 = 1000.0;

/// The most panels that lay out on a `width × height` frame: 8 from 1280×720 up, else 4.
pub fn max_panels(width: u32, height: u32) -> usize {
    if width >= 1280 && height >= 720 { 8 } else { 4 }
}

/// A chart of more panels than its frame takes is refused before any work, saying what to do.
pub fn check_panels_fit(name: &str, chart: &Chart, width: u32, height: u32) -> anyhow::Result<()> {
    let (n, most) = match chart.panels() {
        Some(panels) => (panels.panels.len(), max_panels(width, height)),
        None => return Ok(()),
    };
    if n > most {
        anyhow::bail!(
            "{name}: {n} panels do not fit a {width}x{height} frame, which takes at most {most} (8 from 1280x720 up); render it larger, or split it with `for_each`"
        );
    }
    Ok(())
}

pub(super) fn place_panels(panels: &Panels, frame: &mut Frame, top: f32, bottom: f32) {
    let n = panels.panels.len();
    if n == 0 {
        return;
    }
    let columns = panels.columns.clamp(1, n);
    let grid_rows = n.div_ceil(columns);
    let u = frame.unit;
    let (left, right, narrow) = (frame.left, frame.right, frame.narrow);
    let (gap_x, gap_y) = (GAP_X * u, GAP_Y * u);
    let cell_w = ((right - left) - gap_x * (columns - 1) as f32) / columns as f32;
    let cell_h = ((bottom - top) - gap_y * (grid_rows - 1) as f32) / grid_rows as f32;
    let offsets = panels.row_offsets();
    for (p, panel) in panels.panels.iter().enumerate() {
        let x0 = left + (p % columns) as f32 * (cell_w + gap_x);
        let y0 = top + (p / columns) as f32 * (cell_h + gap_y);
        let heading = fit_heading(frame, &panel.title, cell_w, cell_h);
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
        frame.narrow = narrow || cell_w < NARROW_CELL * u;
        let first = frame.elements.len();
        place_plot(&panel.bars, frame, plot_top, y0 + cell_h);
        renumber(&mut frame.elements[first..], offsets[p]);
    }
    (frame.left, frame.right, frame.narrow) = (left, right, narrow);
}

/// The heading's lines at one size that fits the cell's width (and a fifth of its height).
fn fit_heading(frame: &mut Frame, title: &str, width: f32, height: f32) -> Fitted {
    let lines: Vec<&str> = title.lines().collect();
    let n = lines.len().max(1) as f32;
    let size = (HEADING_SIZE * frame.unit).min(height * 0.2 / (n * super::LINE_HEIGHT));
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
