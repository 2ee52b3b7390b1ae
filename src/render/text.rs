//! Text: the embedded Inter fonts, shaped with cosmic-text and rasterized with swash.
//!
//! Only the embedded fonts are loaded (no system font scan), so output is the same on every
//! machine and start-up is instant.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use cosmic_text::skrifa::{FontRef, MetadataProvider};
use cosmic_text::{
    Attrs, Buffer, Family, FontSystem, Metrics, Shaping, SwashCache, SwashContent, fontdb,
};

use crate::chart::Chart;
use crate::layout::{LINE_HEIGHT, Measure, Weight};
use crate::terminal::printable;

const INTER_REGULAR: &[u8] = include_bytes!("../../fonts/Inter-Regular.otf");
const INTER_BOLD: &[u8] = include_bytes!("../../fonts/Inter-Bold.otf");
const FAMILY: &str = "Inter";

/// A line of text rasterized to coverage, positioned relative to its line box's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct TextMask {
    /// Offset of the mask's top-left corner from the line box's top-left corner.
    pub left: i32,
    pub top: i32,
    pub width: u32,
    pub height: u32,
    /// `width × height` coverage values, row by row.
    pub alpha: Vec<u8>,
}

impl TextMask {
    fn empty() -> TextMask {
        TextMask {
            left: 0,
            top: 0,
            width: 0,
            height: 0,
            alpha: Vec::new(),
        }
    }

    /// The masks laid over one another, each moved by its offset; where they overlap (glyphs
    /// may by a pixel) the stronger coverage wins.
    fn combine(placed: &[(i32, i32, TextMask)]) -> TextMask {
        let placed: Vec<_> = placed
            .iter()
            .filter(|(_, _, m)| m.width > 0 && m.height > 0)
            .collect();
        let Some(left) = placed.iter().map(|(dx, _, m)| dx + m.left).min() else {
            return TextMask::empty();
        };
        let top = placed
            .iter()
            .map(|(_, dy, m)| dy + m.top)
            .min()
            .unwrap_or(0);
        let right = placed
            .iter()
            .map(|(dx, _, m)| dx + m.left + m.width as i32)
            .max()
            .unwrap_or(left);
        let bottom = placed
            .iter()
            .map(|(_, dy, m)| dy + m.top + m.height as i32)
            .max()
            .unwrap_or(top);
        let (width, height) = ((right - left) as u32, (bottom - top) as u32);
        let mut alpha = vec![0u8; width as usize * height as usize];
        for (dx, dy, m) in placed {
            let x0 = (dx + m.left - left) as usize;
            let y0 = (dy + m.top - top) as usize;
            for (row, src) in m.alpha.chunks_exact(m.width as usize).enumerate() {
                let start = (y0 + row) * width as usize + x0;
                for (dst, &a) in alpha[start..start + src.len()].iter_mut().zip(src) {
                    *dst = (*dst).max(a);
                }
            }
        }
        TextMask {
            left,
            top,
            width,
            height,
            alpha,
        }
    }
}

/// One line of a text element, placed as it is drawn (see [`Typesetter::lines`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    /// The pen's start and the baseline, from the top-left corner of the element's line box.
    pub x: f32,
    pub baseline: f32,
    pub advance: f32,
}

/// Shapes and rasterizes text with the embedded fonts.
pub struct Typesetter {
    fonts: FontSystem,
    glyphs: SwashCache,
}

impl Default for Typesetter {
    fn default() -> Self {
        Typesetter::new()
    }
}

impl Typesetter {
    pub fn new() -> Typesetter {
        let mut db = fontdb::Database::new();
        for data in [INTER_REGULAR, INTER_BOLD] {
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        }
        db.set_sans_serif_family(FAMILY);
        Typesetter {
            fonts: FontSystem::new_with_locale_and_db("en-US".to_string(), db),
            glyphs: SwashCache::new(),
        }
    }

    fn shape(&mut self, text: &str, size: f32, weight: Weight) -> Buffer {
        // cosmic-text needs a positive line height.
        let size = size.max(1.0);
        let mut buffer = Buffer::new(&mut self.fonts, Metrics::new(size, size * LINE_HEIGHT));
        let weight = match weight {
            Weight::Regular => cosmic_text::Weight::NORMAL,
            Weight::Bold => cosmic_text::Weight::BOLD,
        };
        let attrs = Attrs::new().family(Family::Name(FAMILY)).weight(weight);
        buffer.set_text(text, &attrs, Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut self.fonts, false);
        buffer
    }

    /// The characters of `text` the embedded fonts have no glyph for.
    pub fn missing_glyphs(&mut self, text: &str) -> Vec<char> {
        let buffer = self.shape(text, 16.0, Weight::Regular);
        let mut missing = Vec::new();
        for run in buffer.layout_runs() {
            for glyph in run.glyphs.iter().filter(|g| g.glyph_id == 0) {
                missing.extend(run.text[glyph.start..glyph.end].chars());
            }
        }
        missing
    }

    /// Rasterizes text into a coverage mask: one line, or several separated by `\n`, each
    /// centred on the widest and `size × LINE_HEIGHT` below the one before.
    pub fn rasterize(&mut self, text: &str, size: f32, weight: Weight) -> TextMask {
        if text.contains('\n') {
            self.rasterize_lines(text, size, weight)
        } else {
            self.rasterize_line(text, size, weight)
        }
    }

    fn rasterize_lines(&mut self, text: &str, size: f32, weight: Weight) -> TextMask {
        let lines: Vec<&str> = text.split('\n').collect();
        // Each line's mask and the whole-pixel offset of its line box in the block.
        let placed: Vec<(i32, i32, TextMask)> = (self.block(&lines, size, weight).into_iter())
            .zip(&lines)
            .map(|((dx, dy, _), line)| {
                (
                    dx as i32,
                    dy as i32,
                    self.rasterize_line(line, size, weight),
                )
            })
            .collect();
        TextMask::combine(&placed)
    }

    /// Where each line of a block of `lines` goes: the whole-pixel offset of its line box from
    /// the block's top-left corner (centred on the widest line, one line height apart), and its
    /// advance width.
    fn block(&mut self, lines: &[&str], size: f32, weight: Weight) -> Vec<(f32, f32, f32)> {
        let advances: Vec<f32> = lines
            .iter()
            .map(|line| self.advance(line, size, weight))
            .collect();
        let widest = advances.iter().copied().fold(0.0, f32::max);
        (advances.into_iter().enumerate())
            .map(|(i, advance)| {
                let dx = ((widest - advance) / 2.0).round();
                let dy = (i as f32 * size * LINE_HEIGHT).round();
                (dx, dy, advance)
            })
            .collect()
    }

    /// Where each line of `text` sits, as [`Typesetter::rasterize`] draws it: its start and
    /// baseline relative to the line box's top-left corner, and its advance width.
    pub fn lines(&mut self, text: &str, size: f32, weight: Weight) -> Vec<TextLine> {
        let lines: Vec<&str> = text.split('\n').collect();
        (self.block(&lines, size, weight).into_iter())
            .zip(&lines)
            .map(|((dx, dy, advance), line)| {
                let buffer = self.shape(line, size, weight);
                let line_y = buffer.layout_runs().next().map_or(0.0, |run| run.line_y);
                TextLine {
                    text: line.to_string(),
                    x: dx,
                    baseline: dy + drawn_baseline(line_y),
                    advance,
                }
            })
            .collect()
    }

    /// Rasterizes one line of text into a coverage mask.
    fn rasterize_line(&mut self, text: &str, size: f32, weight: Weight) -> TextMask {
        let buffer = self.shape(text, size, weight);
        // Each glyph's image and where its top-left corner goes.
        let mut placed = Vec::new();
        for run in buffer.layout_runs() {
            for glyph in run.glyphs {
                let physical = glyph.physical((0.0, run.line_y), 1.0);
                let Some(image) = self.glyphs.get_image(&mut self.fonts, physical.cache_key) else {
                    continue;
                };
                let p = image.placement;
                if p.width == 0 || p.height == 0 {
                    continue;
                }
                // Colour glyphs carry coverage in their alpha channel.
                let (stride, channel) = match image.content {
                    SwashContent::Mask => (1, 0),
                    SwashContent::Color | SwashContent::SubpixelMask => (4, 3),
                };
                let mask = TextMask {
                    left: physical.x + p.left,
                    top: physical.y - p.top,
                    width: p.width,
                    height: p.height,
                    alpha: image
                        .data
                        .iter()
                        .skip(channel)
                        .step_by(stride)
                        .copied()
                        .collect(),
                };
                placed.push((0, 0, mask));
            }
        }
        TextMask::combine(&placed)
    }
}

/// Where the glyphs of a line whose baseline is at `y` are drawn: cosmic-text rounds `y` to a
/// quarter pixel and hands swash the quarters as an offset, which swash takes as upwards (its
/// y axis points up), so a baseline at a whole pixel plus `q` quarters is drawn `q` quarters
/// above that pixel.
fn drawn_baseline(y: f32) -> f32 {
    let whole = y.floor();
    let quarters = ((y - whole) * 4.0).round() / 4.0;
    if quarters >= 1.0 {
        whole + 1.0
    } else {
        whole - quarters
    }
}

/// A text of a chart with characters the embedded fonts have no glyph for: they are drawn as
/// empty boxes (the fonts are the only ones loaded, so no other font fills in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingGlyphs {
    /// Which text: `title`, `subtitle`, `metadata`, `legend label`, `label` (a row's),
    /// `value label`, `axis title`, `tick label`, `callout` or `footer`.
    pub place: &'static str,
    pub text: String,
    /// Each character once, in the order they first appear.
    pub missing: Vec<char>,
}

impl fmt::Display for MissingGlyphs {
    /// `label "🚀 fast" has characters the embedded fonts lack: 🚀 (U+1F680); they show as boxes`
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let missing: Vec<String> = self
            .missing
            .iter()
            .map(|&c| {
                let code = format!("U+{:04X}", c as u32);
                match printable(c.encode_utf8(&mut [0; 4])) {
                    // A control character is named by its code alone.
                    Cow::Owned(_) => code,
                    Cow::Borrowed(shown) => format!("{shown} ({code})"),
                }
            })
            .collect();
        write!(
            f,
            "{} \"{}\" has characters the embedded fonts lack: {}; they show as boxes",
            self.place,
            printable(&self.text),
            missing.join(", ")
        )
    }
}

/// Every text of `chart` (title, subtitle, metadata, legend, row labels, value labels, footer)
/// that has characters the embedded fonts cannot draw, each text once per place. Checks the
/// fonts' character maps, so it needs no font system and reads no fonts of the machine's.
pub fn missing_glyphs(chart: &Chart) -> Vec<MissingGlyphs> {
    let fonts: Vec<FontRef> = [INTER_REGULAR, INTER_BOLD]
        .into_iter()
        .filter_map(|data| FontRef::new(data).ok())
        .collect();
    // A character counts as drawn when every weight has it: which text is bold is the layout's
    // business.
    let drawn = |c: char| {
        !fonts.is_empty() && fonts.iter().all(|f| f.charmap().map(c).is_some()) || invisible(c)
    };
    let texts = std::iter::once(("title", &chart.title))
        .chain(std::iter::once(("subtitle", &chart.subtitle)))
        .chain(chart.metadata.iter().map(|t| ("metadata", t)))
        .chain(chart.legend.iter().map(|e| ("legend label", &e.label)))
        .chain(chart.body.texts())
        .chain(chart.footer.iter().map(|t| ("footer", t)));
    let mut out: Vec<MissingGlyphs> = Vec::new();
    for (place, text) in texts {
        if out.iter().any(|m| m.place == place && &m.text == text) {
            continue;
        }
        let mut missing: Vec<char> = Vec::new();
        for c in text.chars().filter(|&c| !drawn(c)) {
            if !missing.contains(&c) {
                missing.push(c);
            }
        }
        if !missing.is_empty() {
            out.push(MissingGlyphs {
                place,
                text: text.clone(),
                missing,
            });
        }
    }
    out
}

/// Characters that draw nothing whether or not a font has them: line breaks and tabs, which
/// the shaper treats as space, and Unicode's default-ignorable code points (zero-width joiners,
/// variation selectors, bidi marks), which it hides.
fn invisible(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t')
        || matches!(
            c,
            '\u{ad}'
                | '\u{34f}'
                | '\u{61c}'
                | '\u{115f}'..='\u{1160}'
                | '\u{17b4}'..='\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
}

impl Measure for Typesetter {
    fn advance(&mut self, text: &str, size: f32, weight: Weight) -> f32 {
        let buffer = self.shape(text, size, weight);
        buffer
            .layout_runs()
            .map(|run| run.line_w)
            .fold(0.0, f32::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inter_has_the_symbols_charts_use() {
        let mut typesetter = Typesetter::new();
        assert_eq!(
            typesetter.missing_glyphs("↑ ↓ ← → ↖ ↗ ↘ ↙ · × … ∞ % NA 1,234.5 (tok/s)"),
            Vec::<char>::new()
        );
        // A character Inter lacks is reported, so the check above can fail.
        assert_eq!(typesetter.missing_glyphs("a\u{1F600}"), vec!['\u{1F600}']);
    }

    #[test]
    fn charts_name_the_texts_with_characters_the_fonts_lack() {
        let mut chart = crate::render::test_charts::vllm_input();
        assert_eq!(missing_glyphs(&chart), vec![]);
        // Everything the program itself writes is drawn.
        chart.title = "↑ ↓ · × → ✓ ✗ − … ± ≥ °C µs Ω Ж é ß 1,234.5 (tok/s)".into();
        chart.footer = vec!["a\u{200d}b \u{2714}\u{fe0f} line\nbreak".into()];
        let missing = missing_glyphs(&chart);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert_eq!(missing[0].missing, vec!['\u{2714}']);

        chart.title = "🚀 fast".into();
        chart.subtitle = "漢字とかな".into();
        chart.metadata = vec!["مرحبا".into()];
        chart.legend[0].label = "עברית".into();
        let rows = &mut chart.bars_mut().unwrap().rows;
        rows[0].label = "🚀 fast 🚀".into();
        rows[1].label = "🚀 fast 🚀".into();
        rows[0].bars[0].label = "9\u{1b}[31m".into();
        chart.footer = vec!["plain".into()];
        let missing = missing_glyphs(&chart);
        let places: Vec<&str> = missing.iter().map(|m| m.place).collect();
        assert_eq!(
            places,
            [
                "title",
                "subtitle",
                "metadata",
                "legend label",
                "label",
                "value label"
            ]
        );
        assert_eq!(
            missing[0].to_string(),
            "title \"🚀 fast\" has characters the embedded fonts lack: 🚀 (U+1F680); they show as boxes"
        );
        // Each character once, in order; the same label on two rows once.
        assert_eq!(missing[4].missing, vec!['🚀']);
        assert_eq!(missing[1].missing, "漢字とかな".chars().collect::<Vec<_>>());
        assert_eq!(missing[2].missing.len(), 5);
        assert_eq!(missing[3].missing.len(), 5);
        // Control characters are named by code and never echoed.
        let value = missing[5].to_string();
        assert!(!value.contains('\u{1b}'), "{value:?}");
        assert!(
            value.ends_with("lack: U+001B; they show as boxes"),
            "{value}"
        );
    }

    #[test]
    fn bold_text_is_wider_and_size_scales_width() {
        let mut t = Typesetter::new();
        let regular = t.advance("Throughput", 40.0, Weight::Regular);
        let bold = t.advance("Throughput", 40.0, Weight::Bold);
        let double = t.advance("Throughput", 80.0, Weight::Regular);
        assert!(bold > regular);
        assert!(
            (double / regular - 2.0).abs() < 0.02,
            "{double} vs {regular}"
        );
    }

    #[test]
    fn mask_covers_the_glyphs_inside_the_line_box() {
        let mut t = Typesetter::new();
        let size = 40.0;
        let mask = t.rasterize("Hg", size, Weight::Regular);
        assert!(mask.width > 20 && mask.height > 30, "{mask:?}");
        assert!(mask.alpha.iter().filter(|&&a| a == 255).count() > 50);
        // Ink stays within the line box, give or take a pixel of antialiasing.
        assert!(mask.top >= -1);
        assert!(mask.top + mask.height as i32 <= (size * LINE_HEIGHT).ceil() as i32 + 1);
        let advance = t.advance("Hg", size, Weight::Regular);
        assert!(mask.left >= -2 && (mask.left + mask.width as i32) as f32 <= advance + 2.0);
    }

    #[test]
    fn wrapped_text_stacks_its_lines_each_centred() {
        let mut t = Typesetter::new();
        let size = 40.0;
        let block = t.rasterize("Throughput\nof", size, Weight::Bold);
        let first = t.rasterize("Throughput", size, Weight::Bold);
        let second = t.rasterize("of", size, Weight::Bold);
        // As wide as the longer line, a line box taller than one line, within two.
        assert_eq!((block.left, block.width), (first.left, first.width));
        assert!(block.height as f32 > size * LINE_HEIGHT);
        assert!(block.top + block.height as i32 <= (2.0 * size * LINE_HEIGHT).ceil() as i32 + 1);
        // The second line's ink sits in the middle of the block.
        let ink_columns: Vec<usize> = (0..block.width as usize)
            .filter(|&x| {
                (0..block.height as usize).any(|y| {
                    y as i32 + block.top >= (size * LINE_HEIGHT) as i32
                        && block.alpha[y * block.width as usize + x] > 0
                })
            })
            .collect();
        let middle = (ink_columns[0] + ink_columns[ink_columns.len() - 1]) as f32 / 2.0;
        assert!(
            (middle - block.width as f32 / 2.0).abs() <= 2.0,
            "{middle} of {}",
            block.width
        );
        assert!(ink_columns.len() as u32 <= second.width + 1);
    }

    #[test]
    fn empty_text_gives_an_empty_mask() {
        let mask = Typesetter::new().rasterize("", 30.0, Weight::Bold);
        assert_eq!((mask.width, mask.height), (0, 0));
    }
}
