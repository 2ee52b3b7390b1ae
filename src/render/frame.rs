//! Drawing frames: a whole frame, or the next frame from the previous one by redrawing only the
//! regions that changed (most of a chart stands still while a few elements animate).

use tiny_skia::{Pixmap, PixmapMut};

use super::stage::{Look, PixelRect, Stage};

/// Above this share of the frame, redrawing everything is as cheap as redrawing regions.
const MAX_PARTIAL_SHARE: f64 = 0.4;

/// Draws the whole frame.
pub fn draw_frame(stage: &Stage, looks: &[Look], pixmap: &mut Pixmap) {
    stage.draw(looks, stage.frame_rect(), &mut pixmap.as_mut());
}

/// Turns `pixmap`, which shows the frame before, into the frame `after` by redrawing only
/// `regions`, where the two differ (see [`changed_regions`]). Returns whether it did; when
/// the regions cover much of the frame it redraws it whole instead, and returns false.
/// `scratch` is reused between calls to avoid allocating.
pub fn update_frame(
    stage: &Stage,
    after: &[Look],
    regions: &[PixelRect],
    pixmap: &mut Pixmap,
    scratch: &mut Vec<u8>,
) -> bool {
    let frame = stage.frame_rect();
    let area: i64 = regions.iter().map(PixelRect::area).sum();
    if area as f64 > frame.area() as f64 * MAX_PARTIAL_SHARE {
        draw_frame(stage, after, pixmap);
        return false;
    }
    let stride = frame.width() as usize * 4;
    for &region in regions {
        let (w, h) = (region.width() as u32, region.height() as u32);
        scratch.clear();
        scratch.resize(w as usize * h as usize * 4, 0);
        let Some(mut part) = PixmapMut::from_bytes(scratch, w, h) else {
            continue;
        };
        stage.draw(after, region, &mut part);
        let row_bytes = w as usize * 4;
        let data = pixmap.data_mut();
        for (row, src) in scratch.chunks_exact(row_bytes).enumerate() {
            let start = (region.y0 as usize + row) * stride + region.x0 as usize * 4;
            data[start..start + row_bytes].copy_from_slice(src);
        }
    }
    true
}

/// The regions that differ between two frames, clipped to the frame, overlapping ones merged.
pub fn changed_regions(stage: &Stage, before: &[Look], after: &[Look]) -> Vec<PixelRect> {
    let frame = stage.frame_rect();
    let mut regions: Vec<PixelRect> = Vec::new();
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        if b == a {
            continue;
        }
        let Some(mut region) = stage.change(i, b, a).map(|r| r.clamp_to(&frame)) else {
            continue;
        };
        if region.is_empty() {
            continue;
        }
        // Absorb every region this one touches, until none is left to absorb.
        while let Some(j) = regions.iter().position(|r| r.intersects(&region)) {
            region = region.union(&regions.swap_remove(j));
        }
        regions.push(region);
    }
    // Antialiased curves come out a little differently when a region's edge cuts them: a region
    // takes in whole every marker, ring and line it touches, and then every region it now
    // touches, until none is left to take in.
    let mut grown = Vec::with_capacity(regions.len());
    while let Some(mut region) = regions.pop() {
        loop {
            let whole = (0..after.len())
                .filter(|&i| stage.drawn_whole(i) && stage.touches(i, &after[i], &region))
                .filter_map(|i| stage.bounds(i, &after[i]))
                .map(|b| b.clamp_to(&frame))
                .find(|b| b.union(&region) != region);
            let Some(b) = whole else { break };
            region = region.union(&b);
            while let Some(j) = regions.iter().position(|r| r.intersects(&region)) {
                region = region.union(&regions.swap_remove(j));
            }
        }
        grown.push(region);
    }
    grown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_charts;
    use crate::render::theme::Theme;

    /// Plays `chart` at `fps`, each frame both updated from the one before and drawn whole,
    /// and checks they match; returns how many frames were updated region by region.
    /// Antialiasing of a shape cut by a region's edge may round differently by a level or two,
    /// no more.
    fn partial_updates(
        chart: &crate::chart::Chart,
        (w, h): (u32, u32),
        fps: f64,
        transparent: bool,
    ) -> usize {
        let stage = Stage::new(
            chart,
            &chart.durations,
            w,
            h,
            Theme::Dark,
            true,
            transparent,
        );
        let frames = (stage.timeline.duration() * fps).round() as usize;
        let mut incremental = Pixmap::new(w, h).expect("frame size");
        let mut full = incremental.clone();
        let mut scratch = Vec::new();
        let mut before = stage.looks_at(0.0);
        draw_frame(&stage, &before, &mut incremental);
        let mut partial_updates = 0;
        for i in 1..frames {
            let after = stage.looks_at(i as f64 / fps);
            let regions = changed_regions(&stage, &before, &after);
            let area: i64 = regions.iter().map(PixelRect::area).sum();
            let partial = update_frame(&stage, &after, &regions, &mut incremental, &mut scratch);
            assert_eq!(
                partial,
                (area as f64) <= (w * h) as f64 * MAX_PARTIAL_SHARE,
                "frame {i}"
            );
            if area > 0 && partial {
                partial_updates += 1;
            }
            draw_frame(&stage, &after, &mut full);
            let worst = incremental
                .data()
                .iter()
                .zip(full.data())
                .map(|(a, b)| a.abs_diff(*b))
                .max()
                .unwrap_or(0);
            assert!(worst <= 2, "frame {i} differs by {worst}");
            before = after;
        }
        partial_updates
    }

    /// Incremental updates must give the pixels of a full redraw at every frame.
    #[test]
    fn partial_redraws_match_full_redraws() {
        let updates = partial_updates(&test_charts::vllm_input(), (320, 180), 30.0, false);
        assert!(updates > 100, "only {updates} partial updates");
    }

    /// The same for a line chart: a pen drawing curves, markers popping, callouts fading in.
    #[test]
    fn partial_redraws_of_a_line_chart_match_full_redraws() {
        let updates = partial_updates(&test_charts::sweep(), (480, 270), 30.0, false);
        assert!(updates > 60, "only {updates} partial updates");
    }

    /// And for a scatter chart: paths drawn along their length, a translucent frontier, points
    /// and their whiskers dimming.
    #[test]
    fn partial_redraws_of_a_scatter_chart_match_full_redraws() {
        let chart = test_charts::with_whiskers(test_charts::tradeoff());
        let updates = partial_updates(&chart, (480, 270), 30.0, false);
        assert!(updates > 60, "only {updates} partial updates");
    }

    /// On a transparent frame a redrawn region starts clear, not black: regions where a bar
    /// fades out, a marker's halo and the patches behind labels come out as in a full redraw.
    #[test]
    fn partial_redraws_of_transparent_frames_match_full_redraws() {
        let bars = partial_updates(&test_charts::vllm_input(), (320, 180), 30.0, true);
        assert!(bars > 100, "only {bars} partial updates of the bars");
        let lines = partial_updates(&test_charts::sweep(), (480, 270), 30.0, true);
        assert!(lines > 60, "only {lines} partial updates of the lines");
    }
}
