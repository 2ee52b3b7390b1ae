//! Delta pills: the candidate's difference from its baseline, a row's verdict in a rounded
//! box of its colour, right-aligned in a column of their own so they read down the chart.

use super::{Element, ElementId, Fitted, Frame, LINE_HEIGHT, Rect, Shape, TextRole, TextSpec};
use super::{Weight, fit::fit_shrinking};
use crate::chart::Bars;

// Sizes in reference pixels (a 1920×1080 frame).
const PILL_SIZE: f32 = 26.0;
/// Room around the text inside a pill, in ems.
const PAD_X: f32 = 0.55;
const PAD_Y: f32 = 0.12;
/// Gap between the values and the column of pills.
pub(super) const PILL_GAP: f32 = 24.0;

/// The pills of a chart's rows, fitted at one size.
pub(super) struct Pills {
    texts: Vec<Option<Fitted>>,
    pad_x: f32,
    pad_y: f32,
    /// The widest pill: the column's width.
    pub width: f32,
}

impl Pills {
    /// The rows' pills, their text sized in reference pixels of `unit` pixels, at most
    /// `max_height` tall; `None` when no row has a delta.
    pub fn fit(bars: &Bars, frame: &mut Frame, unit: f32, max_height: f32) -> Option<Pills> {
        if !bars.has_deltas() {
            return None;
        }
        let size = (PILL_SIZE * unit).min(max_height / (LINE_HEIGHT + 2.0 * PAD_Y));
        let texts: Vec<Option<Fitted>> = bars
            .rows
            .iter()
            .map(|r| {
                let delta = r.delta.as_ref()?;
                Some(fit_shrinking(
                    frame.measure,
                    &delta.text,
                    size,
                    Weight::Bold,
                    f32::INFINITY,
                    1.0,
                ))
            })
            .collect();
        let (pad_x, pad_y) = (PAD_X * size, PAD_Y * size);
        let width = texts
            .iter()
            .flatten()
            .map(|t| t.width + 2.0 * pad_x)
            .fold(0.0, f32::max);
        Some(Pills {
            texts,
            pad_x,
            pad_y,
            width,
        })
    }

    /// Places row `r`'s pill with its right edge at `right`, centred on `center_y`.
    pub fn place(&self, frame: &mut Frame, bars: &Bars, r: usize, right: f32, center_y: f32) {
        let (Some(Some(text)), Some(delta)) = (self.texts.get(r), &bars.rows[r].delta) else {
            return;
        };
        let x = (right - self.pad_x - text.width).round();
        let y = (center_y - text.height() / 2.0).round();
        let text_rect = Rect::new(x, y, text.width, text.height());
        frame.elements.push(Element {
            id: ElementId::DeltaPill(r),
            rect: Rect::new(
                x - self.pad_x,
                y - self.pad_y,
                text.width + 2.0 * self.pad_x,
                text.height() + 2.0 * self.pad_y,
            ),
            shape: Shape::Pill { color: delta.fill },
        });
        frame.elements.push(Element {
            id: ElementId::Delta(r),
            rect: text_rect,
            shape: Shape::Text(TextSpec {
                text: text.text.clone(),
                size: text.size,
                weight: Weight::Bold,
                role: TextRole::Delta,
                tint: Some(delta.ink),
            }),
        });
    }
}
