//! The final frame as SVG: the layout's elements in their final looks, as the stage draws them,
//! so the two agree element for element. Text stays text (`<text>` in the Inter family, so it
//! can be selected and searched); shapes are rectangles and paths.

use std::fmt::Write;

use super::draw::{dashes, drawn_path, pixel_snapped, whisker_parts};
use super::path;
use super::stage::{LENGTH_STEPS, Look, Stage, center, path_progress};
use super::text::Typesetter;
use crate::chart::Rgb;
use crate::layout::{Element, ElementId, Ink, Rect, Shape, TextSpec, Weight};

/// The family the text is set in: Inter, the fonts the frames are drawn with, where the reader
/// has it; a sans-serif otherwise, each line held to Inter's width by `textLength`.
const FONT_FAMILY: &str = "Inter, sans-serif";

/// The frame drawn with `looks`, as an SVG document.
pub fn document(stage: &Stage, looks: &[Look]) -> String {
    let (w, h) = (stage.layout.width, stage.layout.height);
    let mut svg = Svg {
        stage,
        out: String::new(),
        typesetter: Typesetter::new(),
    };
    let _ = writeln!(
        svg.out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" xml:space="preserve">"#
    );
    let title = stage.layout.elements.iter().find_map(|e| match &e.shape {
        Shape::Text(spec) if e.id == ElementId::Title => Some(spec.text.replace('\n', " ")),
        _ => None,
    });
    if let Some(title) = title {
        let _ = writeln!(svg.out, "<title>{}</title>", xml(&title));
    }
    // A transparent render has nothing behind the chart, and none of the background-coloured
    // halos and patches that part things on an opaque one.
    if let Some(color) = stage.background() {
        svg.rect(&Rect::new(0.0, 0.0, w as f32, h as f32), color, 255, "");
    }
    for (element, look) in stage.layout.elements.iter().zip(looks) {
        if look.alpha > 0 {
            svg.element(element, look);
        }
    }
    svg.out.push_str("</svg>\n");
    svg.out
}

struct Svg<'a> {
    stage: &'a Stage,
    out: String,
    typesetter: Typesetter,
}

impl Svg<'_> {
    /// One element in a group named after it (`bar-row-0-bar-1`).
    fn element(&mut self, e: &Element, look: &Look) {
        let _ = writeln!(self.out, r#"<g id="{}">"#, slug(e.id));
        let alpha = look.alpha;
        match &e.shape {
            Shape::Text(spec) => self.text(e, spec, look),
            Shape::Bar { color } => {
                let drawn = Rect {
                    w: look.length as f32 / LENGTH_STEPS,
                    ..e.rect
                };
                self.outlined(&drawn, *color, alpha);
            }
            Shape::Swatch { color } => self.outlined(&e.rect, *color, alpha),
            Shape::Pill { color } => {
                let radius = e.rect.h.min(e.rect.w) / 2.0;
                let corners = format!(r#" rx="{0}" ry="{0}""#, num(radius));
                self.rect(&e.rect, *color, alpha, &corners);
            }
            Shape::Rule { role } => {
                let color = self.stage.theme().rule(*role);
                self.rect(&pixel_snapped(&e.rect), color, alpha, "");
            }
            Shape::Polyline {
                pieces,
                bridges,
                color,
                width,
                pen,
            } => {
                let reach = pen.0 + look.length as f32 / LENGTH_STEPS;
                for piece in pieces {
                    self.polyline(piece, reach, *color, alpha, *width, "");
                }
                // Round dots, a little thinner than the line, over a gap in the data.
                let dotted = format!(r#" stroke-dasharray="0 {}""#, num(width * 1.8));
                for bridge in bridges {
                    self.polyline(bridge, reach, *color, alpha, width * 0.7, &dotted);
                }
            }
            Shape::Path {
                points,
                at,
                width,
                ink,
            } => {
                let (color, alpha) = self.stage.ink(*ink, alpha);
                let drawn = path::stretch(points, at, 0.0, path_progress(points, look));
                match drawn.split_first() {
                    Some((&first, rest)) if rest.iter().all(|&p| p == first) => {
                        self.circle(first, width / 2.0, color, alpha);
                    }
                    _ if *ink == Ink::Frontier => {
                        let [dash, gap] = dashes(*width);
                        let dashed = format!(r#" stroke-dasharray="{} {}""#, num(dash), num(gap));
                        self.stroke(&drawn, color, alpha, *width, &dashed);
                    }
                    _ => self.stroke(&drawn, color, alpha, *width, ""),
                }
            }
            Shape::Whisker { along, width, ink } => {
                let (color, alpha) = self.stage.ink(*ink, alpha);
                for part in whisker_parts(&e.rect, *along, *width) {
                    self.rect(&part, color, alpha, "");
                }
            }
            Shape::Marker { color, halo } => {
                let r = look.length as f32 / LENGTH_STEPS;
                let scale = r / (e.rect.w / 2.0);
                let at = center(&e.rect);
                if let Some(halo) = self.stage.background() {
                    self.circle(at, r, halo, alpha);
                }
                self.circle(at, r - halo * scale, *color, alpha);
            }
            Shape::Ring { color, width } => {
                let r = look.length as f32 / LENGTH_STEPS;
                let stroke = width * r / (e.rect.w / 2.0);
                let (cx, cy) = center(&e.rect);
                let _ = writeln!(
                    self.out,
                    r#"<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="{}"{}/>"#,
                    num(cx),
                    num(cy),
                    num((r - stroke / 2.0).max(0.1)),
                    hex(*color),
                    num(stroke),
                    opacity("stroke-opacity", alpha),
                );
            }
        }
        self.out.push_str("</g>\n");
    }

    /// Text as the stage places its glyphs: each line from its start, on its baseline.
    fn text(&mut self, e: &Element, spec: &TextSpec, look: &Look) {
        let (x, y) = (e.rect.x + look.dx as f32, e.rect.y + look.dy as f32);
        if spec.role.on_plot()
            && let Some(background) = self.stage.background()
        {
            // A patch of background, so gridlines stop short of the text.
            let patch = Rect::new(x, y, e.rect.w, e.rect.h);
            self.rect(&patch, background, look.alpha, "");
        }
        let weight = match spec.weight {
            Weight::Regular => 400,
            Weight::Bold => 700,
        };
        let _ = write!(
            self.out,
            r#"<text font-family="{FONT_FAMILY}" font-size="{}" font-weight="{weight}" fill="{}"{}>"#,
            num(spec.size),
            hex(self.stage.theme().text_color(spec)),
            opacity("fill-opacity", look.alpha),
        );
        for line in self.typesetter.lines(&spec.text, spec.size, spec.weight) {
            if line.text.trim().is_empty() {
                continue;
            }
            let _ = write!(
                self.out,
                r#"<tspan x="{}" y="{}" textLength="{}" lengthAdjust="spacingAndGlyphs">{}</tspan>"#,
                num(x + line.x),
                num(y + line.baseline),
                num(line.advance),
                xml(&line.text),
            );
        }
        self.out.push_str("</text>\n");
    }

    /// A filled rectangle with the theme's thin outline just inside its edge.
    fn outlined(&mut self, r: &Rect, color: Rgb, alpha: u8) {
        // The stage draws boxes on a 1/64 pixel grid.
        let snap = |v: f32| (v * LENGTH_STEPS).round() / LENGTH_STEPS;
        let r = Rect::new(snap(r.x), snap(r.y), snap(r.w), snap(r.h));
        if r.w <= 0.0 || r.h <= 0.0 {
            return;
        }
        self.rect(&r, color, alpha, "");
        let (outline, share) = self.stage.theme().outline();
        let o = self.stage.layout.outline;
        let mut d = ring(&r);
        if r.w > 2.0 * o && r.h > 2.0 * o {
            d += &ring(&Rect::new(r.x + o, r.y + o, r.w - 2.0 * o, r.h - 2.0 * o));
        }
        let _ = writeln!(
            self.out,
            r#"<path d="{d}" fill-rule="evenodd" fill="{}"{}/>"#,
            hex(outline),
            opacity("fill-opacity", (share * alpha as f32).round() as u8),
        );
    }

    /// A rectangle without outline; `extra` adds attributes (rounded corners).
    fn rect(&mut self, r: &Rect, color: Rgb, alpha: u8, extra: &str) {
        if r.w <= 0.0 || r.h <= 0.0 {
            return;
        }
        let _ = writeln!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}"{extra} fill="{}"{}/>"#,
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            hex(color),
            opacity("fill-opacity", alpha),
        );
    }

    fn circle(&mut self, (cx, cy): (f32, f32), r: f32, color: Rgb, alpha: u8) {
        if r <= 0.0 {
            return;
        }
        let _ = writeln!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}"{}/>"#,
            num(cx),
            num(cy),
            num(r),
            hex(color),
            opacity("fill-opacity", alpha),
        );
    }

    /// The part of a line chart's curve left of the pen at `reach`.
    fn polyline(
        &mut self,
        piece: &[(f32, f32)],
        reach: f32,
        color: Rgb,
        alpha: u8,
        width: f32,
        extra: &str,
    ) {
        if let Some(drawn) = drawn_path(piece, reach) {
            let points: Vec<(f32, f32)> = drawn.points().iter().map(|p| (p.x, p.y)).collect();
            self.stroke(&points, color, alpha, width, extra);
        }
    }

    /// A line `width` wide through `points`, with round ends and corners.
    fn stroke(&mut self, points: &[(f32, f32)], color: Rgb, alpha: u8, width: f32, extra: &str) {
        let mut d = String::new();
        for (i, &(x, y)) in points.iter().enumerate() {
            let command = if i == 0 { 'M' } else { 'L' };
            let _ = write!(d, "{command}{} {}", num(x), num(y));
        }
        if d.is_empty() {
            return;
        }
        let _ = writeln!(
            self.out,
            r#"<path d="{d}" fill="none" stroke="{}" stroke-width="{}" stroke-linecap="round" stroke-linejoin="round"{extra}{}/>"#,
            hex(color),
            num(width),
            opacity("stroke-opacity", alpha),
        );
    }
}

/// A closed path around `r`, for an outline's outer and inner edges.
fn ring(r: &Rect) -> String {
    format!(
        "M{} {}h{}v{}h{}Z",
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h),
        num(-r.w)
    )
}

/// An element's name as an XML id: its Rust name and fields, lower case, joined by dashes
/// (`Bar { row: 0, bar: 1 }` is `bar-row-0-bar-1`, `RowLabel(2)` is `row-label-2`).
fn slug(id: ElementId) -> String {
    let mut debug = String::new();
    for (i, c) in format!("{id:?}").chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            debug.push('-');
        }
        debug.push(c.to_ascii_lowercase());
    }
    let words: Vec<&str> = debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}

/// A coordinate, to a thousandth of a pixel, without trailing zeros.
fn num(v: f32) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "-0" | "" => "0".to_string(),
        s => s.to_string(),
    }
}

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The attribute `name` for `alpha`, or nothing when opaque.
fn opacity(name: &str, alpha: u8) -> String {
    if alpha == 255 {
        return String::new();
    }
    format!(r#" {name}="{}""#, num(alpha as f32 / 255.0))
}

/// `text` as XML character data: markup escaped, and characters XML cannot hold (controls)
/// replaced by U+FFFD.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20
                || matches!(c, '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}') =>
            {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_numbers_are_short() {
        assert_eq!(
            xml("<b>A & \"B\"</b> it's\u{1b}[31m"),
            "&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt; it&apos;s\u{fffd}[31m"
        );
        assert_eq!(num(12.0), "12");
        assert_eq!(num(0.015625), "0.016");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(slug(ElementId::Bar { row: 0, bar: 1 }), "bar-row-0-bar-1");
        assert_eq!(slug(ElementId::Title), "title");
        assert_eq!(slug(ElementId::RowLabel(2)), "row-label-2");
        let tick = ElementId::TickLabel {
            axis: crate::layout::Axis::X,
            i: 3,
        };
        assert_eq!(slug(tick), "tick-label-axis-x-i-3");
    }
}
