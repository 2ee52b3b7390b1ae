//! Charts that cannot be read at a frame size, refused before any work with what to do
//! instead: more panels than the frame takes, more rows than fit at the smallest text.

use super::LINE_HEIGHT;
use super::frame::unit_of;
use crate::chart::Chart;

/// The smallest text, in reference pixels (pixels on a 1920×1080 frame; the layout's scale
/// converts them to any other). 18 px is 1/60 of a 16:9 frame's height, and 72% of the
/// smallest size any text is designed at (callouts, 25 px): as far as the layout lets text
/// shrink to fit before it ellipsizes it instead.
pub const MIN_FONT: f32 = 18.0;
/// The share of its row a row label's line may take (as the bar layout gives it).
const LABEL_SHARE: f32 = 0.8;

/// The most panels that lay out on a `width × height` frame: 8 on a frame of at least
/// 1280×720's pixels with no side under 720 (1280×720, 1080×1080, 1080×1920), else 4.
pub fn max_panels(width: u32, height: u32) -> usize {
    let large = u64::from(width) * u64::from(height) >= 1280 * 720 && width.min(height) >= 720;
    if large { 8 } else { 4 }
}

/// A chart of more panels than its frame takes is refused before any work, saying what to do.
pub fn check_panels_fit(name: &str, chart: &Chart, width: u32, height: u32) -> anyhow::Result<()> {
    let (n, most) = match chart.panels() {
        Some(panels) => (panels.panels.len(), max_panels(width, height)),
        None => return Ok(()),
    };
    if n > most {
        anyhow::bail!(
            "{name}: {n} panels do not fit a {width}x{height} frame, which takes at most {most} (8 on frames of 1280x720's pixels or more); render it larger, or split it with `for_each`"
        );
    }
    Ok(())
}

/// A bar chart of more rows than the whole frame holds at the smallest text is refused before
/// any work: each row needs a label's line, so no layout could make it readable.
pub fn check_rows_fit(name: &str, chart: &Chart, width: u32, height: u32) -> anyhow::Result<()> {
    let Some(bars) = chart.bars() else {
        return Ok(());
    };
    let most = max_rows(width, height);
    let rows = bars.rows.len();
    if rows > most {
        let tall = max_rows(1080, 1920);
        anyhow::bail!(
            "{name}: {rows} rows cannot be read on a {width}x{height} frame, which holds at most {most} at the smallest text ({MIN_FONT:.0} px at 1920x1080); pick fewer rows (`where`, or a `rows_from` over fewer levels), split it with `for_each`, or render it taller (1080x1920 holds {tall})"
        );
    }
    Ok(())
}

/// The most rows whose labels fit a whole `width × height` frame at the smallest text.
pub fn max_rows(width: u32, height: u32) -> usize {
    let row = MIN_FONT * unit_of(width, height) * LINE_HEIGHT / LABEL_SHARE;
    (height as f32 / row).floor() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_holds_the_rows_its_height_gives_at_the_smallest_text() {
        // 1080 px of 27 px rows, at every 16:9 size alike.
        assert_eq!(max_rows(1920, 1080), 40);
        assert_eq!(max_rows(3840, 2160), 40);
        assert_eq!(max_rows(1080, 1920), 71);
    }
}
