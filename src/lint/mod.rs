//! Layout checks: each chart's final frame laid out at the sizes it is rendered at, in each
//! theme, without drawing anything, and what on it would read badly.
//!
//! A layout is checked for:
//! - elements in each other's way ([`Layout::collisions`]: what overlaps by design is exempt);
//! - elements reaching outside the frame;
//! - text below [`MIN_FONT`] reference pixels (18 px on a 1920×1080 frame, 1/60 of its
//!   height, and in proportion at other sizes through the layout's scale);
//! - text cut short with `…` because it did not fit;
//! - point labels and callouts the layout left out for want of room;
//! - a plot given less than [`MIN_PLOT_SHARE`] of the frame's height by the header and footer;
//! - text below WCAG AA contrast against what it is drawn on, in the theme's colours
//!   ([`MIN_CONTRAST`]; [`MIN_LARGE_CONTRAST`] for text large as seen at 1280×720);
//! - more panels than the frame takes (the chart does not render at that size at all).
//!
//! Only contrast depends on the theme: a chart is laid out once per size.

mod elements;
mod problem;
mod report;
mod rules;

use rayon::prelude::*;

pub use elements::{ElementReport, bounds, element_reports, role};
pub use problem::{Checked, Kind, Problem, Report};
pub use rules::{
    MIN_CONTRAST, MIN_FONT, MIN_LARGE_CONTRAST, MIN_PLOT_SHARE, is_large_text, min_contrast,
};

use crate::chart::Chart;
use crate::layout::{check_panels_fit, check_rows_fit};
use crate::render::{Theme, layout};

/// The sizes charts are checked at unless told: the four quality presets (854×480, 1280×720,
/// 1920×1080, 3840×2160), vertical 1080×1920 and square 1080×1080.
pub const DEFAULT_SIZES: [(u32, u32); 6] = [
    (854, 480),
    (1280, 720),
    (1920, 1080),
    (3840, 2160),
    (1080, 1920),
    (1080, 1080),
];

/// What a report holds besides the problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// The problems only (what `render` warns of and `check` prints as text).
    Problems,
    /// Every element of every final frame too (`check --format json`).
    Elements,
}

/// Checks each of `charts` (name, chart) at each of `sizes` in each of `themes`.
pub fn check(
    charts: &[(String, Chart)],
    sizes: &[(u32, u32)],
    themes: &[Theme],
    listing: Listing,
) -> Report {
    let jobs: Vec<(&String, &Chart, (u32, u32))> = charts
        .iter()
        .flat_map(|(name, chart)| sizes.iter().map(move |&size| (name, chart, size)))
        .collect();
    let checked = jobs
        .par_iter()
        .map(|&(name, chart, (w, h))| check_one(name, chart, (w, h), themes, listing))
        .collect::<Vec<_>>();
    Report {
        charts: checked.into_iter().flatten().collect(),
    }
}

/// One chart at one size, in each theme.
fn check_one(
    name: &str,
    chart: &Chart,
    (width, height): (u32, u32),
    themes: &[Theme],
    listing: Listing,
) -> Vec<Checked> {
    let entry = |theme: Theme, plot, elements, problems, notes| Checked {
        chart: name.to_string(),
        width,
        height,
        theme: theme.name(),
        plot,
        elements,
        problems,
        notes,
    };
    let refused = (check_panels_fit(name, chart, width, height)
        .map_err(|e| (Kind::TooManyPanels, e)))
    .and_then(|()| check_rows_fit(name, chart, width, height).map_err(|e| (Kind::TooManyRows, e)));
    if let Err((kind, refused)) = refused {
        let problem = Problem::new(kind, format!("{refused:#}"));
        return themes
            .iter()
            .map(|&t| entry(t, None, Vec::new(), vec![problem.clone()], Vec::new()))
            .collect();
    }
    let layout = layout(chart, width, height);
    let shared = rules::geometry(&layout, chart);
    let plot = Some(bounds(&layout.plot));
    themes
        .iter()
        .map(|&theme| {
            let mut problems = shared.clone();
            problems.extend(rules::contrast(&layout, theme));
            let elements = match listing {
                Listing::Elements => element_reports(&layout, chart, theme),
                Listing::Problems => Vec::new(),
            };
            entry(theme, plot, elements, problems, layout.notes.clone())
        })
        .collect()
}

impl Report {
    /// One line per problem, `chart WxH theme: kind: message` (a problem found in every theme
    /// checked is named once, its themes joined by `+`), then a summary line.
    pub fn text(&self) -> String {
        report::text(self)
    }

    /// One line per problem of every layout, `chart WxH: kind: message`, as `render` warns of
    /// them (it checks one size in one theme).
    pub fn lines(&self) -> Vec<String> {
        let checked = self.charts.iter();
        checked
            .flat_map(|c| {
                let (chart, w, h) = (&c.chart, c.width, c.height);
                let problems = (c.problems.iter())
                    .map(move |p| format!("{chart} {w}x{h}: {}: {}", p.kind.name(), p.message));
                problems.chain((c.notes.iter()).map(move |n| format!("{chart} {w}x{h}: {n}")))
            })
            .collect()
    }

    /// `{"charts": [{"chart", "width", "height", "theme", "plot", "elements", "problems"}]}`.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report serializes") + "\n"
    }
}

#[cfg(test)]
mod tests;
