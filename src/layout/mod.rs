//! Layout: where every element of a chart goes on a frame of a given size, in pixels.
//!
//! Pure geometry: it measures text (through [`Measure`]) but draws nothing and knows nothing of
//! time. Sizes scale with the frame; text that does not fit shrinks a little and is then
//! ellipsized, so nothing ever leaves the frame or runs into anything else, which
//! [`Layout::collisions`] and [`Layout::outside_frame`] let tests check.
//!
//! Wide frames (16:9 and the like) get the chart as designed at 1920×1080, scaled. Narrow ones
//! (square, 4:5, 9:16) get a layout of their own: text sized from the width as well as the
//! height, the title and other centred text wrapped onto several lines, the legend in a grid,
//! and, where the rows have the height for it, row labels above their bars so the bars get the
//! whole width.
//!
//! A line chart's plot has axes (ticks, gridlines, titles), one polyline per series with a
//! marker at each point, value labels and callouts placed where they hit nothing. A scatter
//! chart's has the same axes, each series' points joined in their order, the Pareto frontier
//! beneath them and a label beside each point.

pub mod axes;
mod bars;
mod clash;
mod element;
mod fit;
mod fits;
mod frame;
mod header;
mod line_labels;
mod lines;
mod marker;
mod panels;
mod pills;
mod plot_area;
mod point_labels;
mod rect;
mod scatter;
mod whisker;

pub use element::{
    Axis, Element, ElementId, Ink, LINE_HEIGHT, Measure, RuleRole, Shape, TextRole, TextSpec,
    Weight,
};
pub use fit::{Fitted, fit};
pub use fits::{MIN_FONT, check_panels_fit, check_rows_fit, max_panels, max_rows};
pub use lines::decimate;
pub use rect::Rect;

use crate::chart::{Body, Chart};
use frame::Frame;

/// Every element of a chart placed on a `width × height` frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    /// Pixels per reference pixel (a 1920×1080 frame has 1.0).
    pub unit: f32,
    /// Width of the light outline around bars and swatches.
    pub outline: f32,
    /// The band between the header and the footer that the plot (or the panels) was given,
    /// across the frame between its margins; no taller than what is left of the frame.
    pub plot: Rect,
    pub elements: Vec<Element>,
    /// What the layout had to draw other than as given, in words for a warning: a series of
    /// more points than pixel columns drawn as each column's lowest and highest value.
    pub notes: Vec<String>,
}

/// Gives the charts of a set the title size of the one whose title shrinks most to fit a wide
/// frame, so that charts shown together have titles of one size. (Narrow frames wrap titles
/// instead of shrinking them, and so already draw them at one size.)
/// A title cut short even at its smallest keeps its own size: shrinking it from a smaller one
/// would draw it under the smallest a title may be.
pub fn share_title_size(charts: &mut [(String, Chart)], measure: &mut dyn Measure) {
    let fits: Vec<Option<f32>> = (charts.iter())
        .map(|(_, chart)| header::title_fit(&chart.title, measure))
        .collect();
    let scale = fits.iter().flatten().copied().fold(1.0, f32::min);
    for ((_, chart), fit) in charts.iter_mut().zip(fits) {
        if fit.is_some() {
            chart.title_scale = scale;
        }
    }
}

impl Layout {
    pub fn new(chart: &Chart, width: u32, height: u32, measure: &mut dyn Measure) -> Layout {
        let mut frame = Frame::new(width, height, measure);
        let plot_top = header::place_header(chart, &mut frame);
        let plot_bottom = header::place_footer(chart, &mut frame);
        match &chart.body {
            Body::Bars(bars) => bars::place_plot(bars, &mut frame, plot_top, plot_bottom),
            Body::Lines(lines) => lines::place_lines(lines, &mut frame, plot_top, plot_bottom),
            Body::Scatter(scatter) => {
                scatter::place_scatter(scatter, &mut frame, plot_top, plot_bottom)
            }
            Body::Panels(panels) => panels::place_panels(panels, &mut frame, plot_top, plot_bottom),
        }
        Layout {
            width,
            height,
            unit: frame.unit,
            outline: frame.unit.max(1.0).round(),
            plot: Rect::new(
                frame.margin,
                plot_top,
                frame.content_width(),
                (plot_bottom - plot_top).max(0.0),
            ),
            elements: frame.elements,
            notes: frame.notes,
        }
    }

    /// Every element's box, for tests and debugging.
    pub fn boxes(&self) -> Vec<(ElementId, Rect)> {
        self.elements.iter().map(|e| (e.id, e.rect)).collect()
    }

    pub fn element(&self, id: ElementId) -> Option<&Element> {
        self.elements.iter().find(|e| e.id == id)
    }

    /// Pairs of elements that get in each other's way: their boxes overlap, or a curve
    /// crosses a box. What may overlap by nature is exempt (see [`clash::clash`]): a value
    /// label inside its own bar, and on a line chart the rules under the plot and the data's
    /// own curves and markers meeting where the data says.
    ///
    /// Elements are swept from top to bottom, so each is compared only with those whose boxes
    /// reach its height: linear in the rows of a bar chart rather than quadratic. (A curve's
    /// box holds its whole stroke, so a curve crossing a box shares its height too.)
    pub fn collisions(&self) -> Vec<(ElementId, ElementId)> {
        (self.colliding().into_iter())
            .map(|(a, b)| (a.id, b.id))
            .collect()
    }

    /// The elements of each pair [`Layout::collisions`] names.
    pub fn colliding(&self) -> Vec<(&Element, &Element)> {
        /// Boxes this close in height are still compared; `Rect::overlaps` decides.
        const SLACK: f32 = 1.0;
        let elements = &self.elements;
        let mut by_top: Vec<usize> = (0..elements.len()).collect();
        by_top.sort_by(|&a, &b| elements[a].rect.y.total_cmp(&elements[b].rect.y));
        let mut found = Vec::new();
        for (k, &i) in by_top.iter().enumerate() {
            let bottom = elements[i].rect.bottom() + SLACK;
            for &j in &by_top[k + 1..] {
                if elements[j].rect.y > bottom {
                    break;
                }
                if clash::clash(&elements[i], &elements[j]) {
                    found.push((i.min(j), i.max(j)));
                }
            }
        }
        // In the order of the elements, as a comparison of every pair finds them.
        found.sort_unstable();
        found
            .into_iter()
            .map(|(i, j)| (&elements[i], &elements[j]))
            .collect()
    }

    /// The labels on the plot that `chart` asks for (point labels and callouts; the layout of
    /// `chart`) and, of those, the ones left out because they fit nowhere. Bar charts and
    /// panels place every label they have, so both are empty for them.
    pub fn left_out(&self, chart: &Chart) -> (Vec<ElementId>, Vec<ElementId>) {
        let asked = match &chart.body {
            Body::Lines(plot) => line_labels::asked_labels(plot),
            Body::Scatter(plot) => scatter::asked_labels(plot),
            Body::Bars(_) | Body::Panels(_) => Vec::new(),
        };
        let missing = asked
            .iter()
            .copied()
            .filter(|&id| self.element(id).is_none())
            .collect();
        (asked, missing)
    }

    /// Elements that do not lie wholly inside the frame.
    pub fn outside_frame(&self) -> Vec<ElementId> {
        self.outside().map(|e| e.id).collect()
    }

    /// The elements [`Layout::outside_frame`] names.
    pub fn outside(&self) -> impl Iterator<Item = &Element> {
        let frame = Rect::new(0.0, 0.0, self.width as f32, self.height as f32);
        (self.elements.iter()).filter(move |e| !frame.contains(&e.rect))
    }
}

#[cfg(test)]
mod set_tests;
#[cfg(test)]
mod tests;
