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
    let wide = Fitted {
        text,
        size: shrunk,
        width,
    };
    ellipsize(measure, wide, weight, max_width)
}

/// The longest prefix of a text too wide for `max_width` followed by `…` that fits (just `…` if
/// none does), at the same size.
pub fn ellipsize(
    measure: &mut dyn Measure,
    wide: Fitted,
    weight: Weight,
    max_width: f32,
) -> Fitted {
    let size = wide.size;
    let chars: Vec<char> = wide.text.chars().collect();
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

impl Fitted {
    /// Number of lines: wrapped text holds one per `\n`-separated part.
    pub fn lines(&self) -> usize {
        self.text.split('\n').count()
    }

    /// Height of the text's line boxes.
    pub fn height(&self) -> f32 {
        self.lines() as f32 * self.size * super::LINE_HEIGHT
    }
}

/// How a text may wrap.
#[derive(Debug, Clone, Copy)]
pub struct Wrapping {
    /// Most lines it may take.
    pub max_lines: usize,
    /// Smallest size, as a fraction of its size, at which it stays on one line rather than wrap.
    pub one_line_shrink: f32,
    /// Smallest size, as a fraction of its size, at which wrapped text stays on as few lines
    /// rather than take one more.
    pub wrapped_shrink: f32,
    /// Smallest size, as a fraction of its size, it may shrink to on `max_lines` lines before
    /// the last line is ellipsized.
    pub min_shrink: f32,
}

/// Fits `text` into `max_width` on as few lines as it can, each line count tried at `size` and
/// then shrunk as far as `wrapping` allows; failing that, on `max_lines` lines shrunk down to
/// `min_shrink × size`, the last one ellipsized if even that is not enough. Lines are balanced
/// in width and joined with `\n`; `width` is the widest one's.
pub fn wrap(
    measure: &mut dyn Measure,
    text: &str,
    size: f32,
    weight: Weight,
    max_width: f32,
    wrapping: Wrapping,
) -> Fitted {
    let min_shrink = wrapping.min_shrink;
    let text = one_line(text);
    let glued = unbreakable_words(&text);
    let words: Vec<&str> = glued.iter().map(String::as_str).collect();
    if wrapping.max_lines < 2 || words.len() < 2 {
        return fit_shrinking(measure, &text, size, weight, max_width, min_shrink);
    }
    let max_lines = wrapping.max_lines.min(words.len());
    let para = Paragraph {
        words: &words,
        weight,
        max_width,
    };
    for n in 1..=max_lines {
        let shrink = if n == max_lines {
            min_shrink
        } else if n == 1 {
            wrapping.one_line_shrink
        } else {
            wrapping.wrapped_shrink
        };
        if let Some(lines) = para.shrink_lines(measure, n, size, shrink.max(min_shrink)) {
            return lines;
        }
    }
    para.filled(measure, max_lines, size * min_shrink)
}

/// The words of `text` between which a line may break: a separator (`·`, `|`, `–`, `—`) stays
/// at the end of the line before it, and an arrow starts the line with the word after it.
fn unbreakable_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut arrow = false;
    for word in text.split(' ') {
        let separator = matches!(word, "·" | "|" | "–" | "—");
        match words.last_mut() {
            Some(last) if arrow || separator => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
        arrow = word.chars().count() == 1 && word.chars().all(|c| ('←'..='⇿').contains(&c));
    }
    words
}

/// The words of a text to break into lines of at most `max_width`.
#[derive(Clone, Copy)]
struct Paragraph<'a> {
    words: &'a [&'a str],
    weight: Weight,
    max_width: f32,
}

impl Paragraph<'_> {
    /// The words on `n` balanced lines at `size`, shrunk down to `min_shrink × size` to fit
    /// `max_width`; `None` when they do not fit even then.
    fn shrink_lines(
        &self,
        measure: &mut dyn Measure,
        n: usize,
        size: f32,
        min_shrink: f32,
    ) -> Option<Fitted> {
        let max_width = self.max_width;
        let floor = size * min_shrink;
        let mut lines = self.balanced(measure, n, size);
        if lines.width * min_shrink > max_width * 1.01 {
            return None;
        }
        // Text does not scale exactly linearly (glyph positions round), so shrink in a few steps.
        for _ in 0..4 {
            if lines.width <= max_width {
                return Some(lines);
            }
            if lines.size <= floor {
                return None;
            }
            let shrunk = (lines.size * max_width / lines.width.max(1e-3) * 0.995).max(floor);
            lines = self.balanced(measure, n, shrunk);
        }
        (lines.width <= max_width).then_some(lines)
    }

    /// The words broken into `n` lines. Of the breakings whose lines fit `max_width`, the one with
    /// the most lines ending in a natural pause (`:`, `;`, `,`), then the narrowest; when none fits,
    /// the narrowest.
    fn balanced(&self, measure: &mut dyn Measure, n: usize, size: f32) -> Fitted {
        let Paragraph {
            words,
            weight,
            max_width,
        } = *self;
        // Line widths from word widths: a line is its words and the spaces between them (kerning
        // across a space is nil). The chosen lines are measured exactly below.
        let space = measure.advance("x x", size, weight) - measure.advance("xx", size, weight);
        let mut starts = vec![0.0f32];
        for word in words {
            let last = starts[starts.len() - 1];
            starts.push(last + measure.advance(word, size, weight) + space);
        }
        let span = |i: usize, j: usize| starts[j] - starts[i] - space;
        let pause = |i: usize| words[i].ends_with([':', ';', ',', '·', '|', '–', '—']);

        // Every way to place the n − 1 breaks, ranked by (does not fit, abrupt breaks, widest).
        let mut best: Option<((bool, usize, f32), Vec<usize>)> = None;
        let mut breaks = vec![0usize; n + 1];
        breaks[n] = words.len();
        for_each_breaking(1, &mut breaks, &mut |breaks: &[usize]| {
            let widest = breaks
                .windows(2)
                .map(|w| span(w[0], w[1]))
                .fold(0.0, f32::max);
            let abrupt = breaks[1..n].iter().filter(|&&b| !pause(b - 1)).count();
            let fits = widest <= max_width;
            let key = (!fits, if fits { abrupt } else { 0 }, widest);
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((key, breaks.to_vec()));
            }
        });
        let breaks = best.map_or_else(|| vec![0, words.len()], |(_, b)| b);
        let lines: Vec<String> = breaks
            .windows(2)
            .map(|w| words[w[0]..w[1]].join(" "))
            .collect();
        let width = lines
            .iter()
            .map(|line| measure.advance(line, size, weight))
            .fold(0.0, f32::max);
        Fitted {
            text: lines.join("\n"),
            size,
            width,
        }
    }

    /// The words filled greedily into up to `n` lines of `max_width`, the rest ellipsized on the
    /// last.
    fn filled(&self, measure: &mut dyn Measure, n: usize, size: f32) -> Fitted {
        let (words, weight, max_width) = (self.words, self.weight, self.max_width);
        let mut lines = Vec::new();
        let mut start = 0;
        while lines.len() + 1 < n && start < words.len() {
            let mut end = start + 1;
            while end < words.len()
                && measure.advance(&words[start..=end].join(" "), size, weight) <= max_width
            {
                end += 1;
            }
            lines.push(fit_shrinking(
                measure,
                &words[start..end].join(" "),
                size,
                weight,
                max_width,
                1.0,
            ));
            start = end;
        }
        if start < words.len() {
            lines.push(fit_shrinking(
                measure,
                &words[start..].join(" "),
                size,
                weight,
                max_width,
                1.0,
            ));
        }
        Fitted {
            text: lines
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            size,
            width: lines.iter().map(|l| l.width).fold(0.0, f32::max),
        }
    }
}

/// Calls `score` with every way to place `breaks[k..n]` (line starts, `breaks[n]` the end)
/// after `breaks[k − 1]`, each line at least a word.
fn for_each_breaking(k: usize, breaks: &mut [usize], score: &mut dyn FnMut(&[usize])) {
    let n = breaks.len() - 1;
    if k == n {
        score(breaks);
        return;
    }
    for b in breaks[k - 1] + 1..=breaks[n] - (n - k) {
        breaks[k] = b;
        for_each_breaking(k + 1, breaks, score);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character is 10 pixels wide at size 10.
    struct Mono;

    impl Measure for Mono {
        fn advance(&mut self, text: &str, size: f32, _: Weight) -> f32 {
            text.chars().count() as f32 * size
        }
    }

    const WRAPPING: Wrapping = Wrapping {
        max_lines: 3,
        one_line_shrink: 0.9,
        wrapped_shrink: 0.9,
        min_shrink: 0.5,
    };

    fn wrapped(text: &str, max_width: f32) -> Fitted {
        wrap(&mut Mono, text, 10.0, Weight::Regular, max_width, WRAPPING)
    }

    #[test]
    fn text_that_fits_or_nearly_fits_stays_on_one_line() {
        assert_eq!(wrapped("one two three", 130.0).text, "one two three");
        let shrunk = wrapped("one two three", 120.0);
        assert_eq!(shrunk.text, "one two three");
        assert!(shrunk.size < 10.0 && shrunk.width <= 120.0);
    }

    #[test]
    fn wrapped_lines_are_balanced_and_break_after_a_colon_when_they_can() {
        let balanced = wrapped("aaaa bbbb cccc dddd", 100.0);
        assert_eq!(
            (balanced.text.as_str(), balanced.size),
            ("aaaa bbbb\ncccc dddd", 10.0)
        );
        assert_eq!(balanced.lines(), 2);
        assert_eq!(balanced.height(), 2.0 * 10.0 * crate::layout::LINE_HEIGHT);
        let colon = wrapped("Title: aaaa bbbb cccc", 150.0);
        assert_eq!(colon.text, "Title:\naaaa bbbb cccc");
    }

    #[test]
    fn a_separator_ends_a_line_and_an_arrow_starts_one() {
        let subtitle = "Output tokens per second (tok/s) · ↑ Higher is better";
        assert_eq!(
            unbreakable_words(subtitle),
            [
                "Output",
                "tokens",
                "per",
                "second",
                "(tok/s) ·",
                "↑ Higher",
                "is",
                "better"
            ]
        );
        let lines = wrapped(subtitle, 350.0);
        assert_eq!(
            lines.text,
            "Output tokens per second (tok/s) ·\n↑ Higher is better"
        );
        assert_eq!(unbreakable_words("· a"), ["·", "a"]);
        assert_eq!(unbreakable_words("a ↑"), ["a", "↑"]);
    }

    #[test]
    fn text_too_long_for_every_line_is_shrunk_then_ellipsized() {
        let shrunk = wrapped("aaaa bbbb cccc dddd eeee ffff", 70.0);
        assert_eq!(shrunk.lines(), 3);
        assert!(shrunk.size < 10.0 && shrunk.width <= 70.0, "{shrunk:?}");
        let cut = wrapped(&"word ".repeat(40), 60.0);
        assert_eq!(cut.lines(), 3);
        assert!(cut.text.ends_with('…') && cut.width <= 60.0, "{cut:?}");
    }
}
