//! Themes: the colours of everything that is not a bar.

use std::fmt;
use std::str::FromStr;

use crate::chart::Rgb;
use crate::layout::{RuleRole, TextRole, TextSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Black background, white bold title: the reference look, for videos and slides.
    #[default]
    Dark,
    /// White background, for blog pages.
    Light,
}

impl Theme {
    pub const ALL: [Theme; 2] = [Theme::Dark, Theme::Light];

    pub fn name(self) -> &'static str {
        match self {
            Theme::Dark => "dark",
            Theme::Light => "light",
        }
    }

    pub fn background(self) -> Rgb {
        match self {
            Theme::Dark => Rgb(0, 0, 0),
            Theme::Light => Rgb(255, 255, 255),
        }
    }

    pub fn text(self, role: TextRole) -> Rgb {
        use TextRole::*;
        match (self, role) {
            // White inside a coloured bar, whatever the background (unless the layout chose
            // the ink for the bar's colour).
            (_, ValueInside | Delta) => Rgb(255, 255, 255),
            (Theme::Dark, Title | Legend | RowLabel | PanelTitle) => Rgb(255, 255, 255),
            (Theme::Dark, Value | PointLabel) => Rgb(235, 235, 235),
            (Theme::Dark, Annotation) => Rgb(215, 215, 215),
            (Theme::Dark, Subtitle) => Rgb(150, 150, 150),
            (Theme::Dark, Metadata | TickLabel | AxisTitle) => Rgb(160, 160, 160),
            (Theme::Dark, Missing | Footer) => Rgb(140, 140, 140),
            (Theme::Light, Title) => Rgb(17, 17, 17),
            (Theme::Light, Legend | RowLabel | PanelTitle | Value | PointLabel) => Rgb(34, 34, 34),
            (Theme::Light, Annotation) => Rgb(51, 51, 51),
            (Theme::Light, Subtitle) => Rgb(96, 96, 96),
            (Theme::Light, Metadata | TickLabel | AxisTitle) => Rgb(102, 102, 102),
            (Theme::Light, Missing | Footer) => Rgb(112, 112, 112),
        }
    }

    /// The colour `spec` is drawn in: its role's, or the series' it speaks for, shaded to read
    /// on the background; a delta in the ink chosen to read on its pill.
    pub fn text_color(self, spec: &TextSpec) -> Rgb {
        match (spec.role, spec.tint) {
            (TextRole::Delta | TextRole::ValueInside, Some(ink)) => ink,
            (role, tint) => tint.map_or(self.text(role), |c| self.tinted(c)),
        }
    }

    /// A series colour for text: lighter on the dark background, darker on the light one, so
    /// that blue reads on black and orange on white.
    pub fn tinted(self, color: Rgb) -> Rgb {
        let (toward, share) = match self {
            Theme::Dark => (255.0, 0.3),
            Theme::Light => (0.0, 0.35),
        };
        let mix = |c: u8| (c as f32 + (toward - c as f32) * share).round() as u8;
        Rgb(mix(color.0), mix(color.1), mix(color.2))
    }

    /// Axis lines and tick marks stand out a little; gridlines barely.
    pub fn rule(self, role: RuleRole) -> Rgb {
        match (self, role) {
            (Theme::Dark, RuleRole::Grid) => Rgb(52, 52, 52),
            (Theme::Dark, RuleRole::Axis | RuleRole::Tick) => Rgb(140, 140, 140),
            (Theme::Light, RuleRole::Grid) => Rgb(226, 226, 226),
            (Theme::Light, RuleRole::Axis | RuleRole::Tick) => Rgb(120, 120, 120),
        }
    }

    /// A scatter chart's frontier, with its opacity: a neutral grey no palette gives a series
    /// (tab10's grey is #7f7f7f), near the foreground so that it reads on its own.
    pub fn frontier(self) -> (Rgb, f32) {
        match self {
            Theme::Dark => (Rgb(200, 200, 200), 1.0),
            Theme::Light => (Rgb(70, 70, 70), 1.0),
        }
    }

    /// The thin outline around bars and swatches, with its opacity.
    pub fn outline(self) -> (Rgb, f32) {
        match self {
            Theme::Dark => (Rgb(235, 235, 235), 0.8),
            Theme::Light => (Rgb(0, 0, 0), 0.35),
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Theme {
    type Err = String;

    fn from_str(s: &str) -> Result<Theme, String> {
        Theme::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown theme `{s}`: expected `dark` or `light`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{TAB10, contrast, sequential};
    use crate::timeline::DIMMED_LABEL;

    #[test]
    fn labels_of_dimmed_points_keep_3_to_1_in_both_themes() {
        let colors = TAB10.into_iter().chain((0..12).map(|i| sequential(i, 12)));
        for color in colors {
            for theme in Theme::ALL {
                let (ink, ground) = (theme.tinted(color), theme.background());
                // Drawn at the dimmed opacity over the background, as the frame blends it.
                let blend = |c: u8, g: u8| {
                    (f64::from(c) * DIMMED_LABEL + f64::from(g) * (1.0 - DIMMED_LABEL)).round()
                        as u8
                };
                let seen = Rgb(
                    blend(ink.0, ground.0),
                    blend(ink.1, ground.1),
                    blend(ink.2, ground.2),
                );
                let have = contrast(seen, ground);
                assert!(have >= 3.0, "{} on {theme}: {have:.2}", color.hex());
            }
        }
    }
}
