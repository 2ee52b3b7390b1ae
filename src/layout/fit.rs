//! Making a line of text fit a width: shrink it a little, then ellipsize what is left over.

use super::{Measure, Weight};

/// A line of text as it will be drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub text: String,
    pub size: f32,
    pub width: f32,
}

/// The smallest size text may shrink to when it is too wide, as a fraction of its normal size;
/// below this it is ellipsized instead, since smaller text stops being readable.
pub const MIN_SHRINK: f32 = 0.72;

/// The title is so large that it stays readable at a little over half its size, and a cut-off
/// title reads worse than a smaller one.
pub const TITLE_MIN_SHRINK: f32 = 0.55;

/// Fits `text` into `max_width` at `size`, shrinking down to `MIN_SHRINK × size`, then ellipsizing.
pub fn fit(
    measure: &mut dyn Measure,
    text: &str,
    size: f32,
    weight: Weight,
    max_width: f32,
) -> Fitted {
    fit_shrinking(measure, text, size, weight, max_width, MIN_SHRINK)
}

/// [`fit`] with its own limit on shrinking, as a fraction of `size`.
pub fn fit_shrinking(
    measure: &mut dyn Measure,
    text: &str,
    size: f32,
    weight: Weight,
    max_width: f32,
    min_shrink: f32,
) -> Fitted {
    let text = one_line(text);
    let width = measure.advance(&text, size, weight);
    if width <= max_width {
        return Fitted { text, size, width };
    }
    // Text does not scale exactly linearly (glyph positions round), so shrink in a few steps.
    let floor = size * min_shrink;
    let mut shrunk = size;
    let mut width = width;
    for _ in 0..4 {
        shrunk = (shrunk * max_width / width.max(1e-3) * 0.995).max(floor);
        width = measure.advance(&text, shrunk, weight);
        if width <= max_width {
            return Fitted {
                text,
                size: shrunk,
                width,
            };
        }
        if shrunk <= floor {
            break;
        }
    }
    ellipsize(measure, &text, shrunk, weight, max_width)
}

/// The longest prefix of `text` followed by `…` that fits `max_width` (just `…` if none does).
pub fn ellipsize(
    measure: &mut dyn Measure,
    text: &str,
    size: f32,
    weight: Weight,
    max_width: f32,
) -> Fitted {
    let chars: Vec<char> = text.chars().collect();
    let candidate = |n: usize| -> String {
        let prefix: String = chars[..n].iter().collect();
        format!("{}…", prefix.trim_end())
    };
    // Binary search for the longest prefix that fits: width grows with the prefix length.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if measure.advance(&candidate(mid), size, weight) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let text = candidate(lo);
    let width = measure.advance(&text, size, weight);
    Fitted { text, size, width }
}

/// Chart text is drawn on one line: line breaks and tabs become spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
