//! Text echoed to a terminal: scene titles, labels and file names come from files anyone may
//! write, and must not move the cursor, recolour the screen or reorder what follows.

mod progress;

use std::borrow::Cow;
use std::fmt::Write;

pub use progress::SceneBars;

/// Writes `text` to standard error in one piece, ignoring a stderr that cannot be written.
pub fn write_stderr(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `text` with every control character escaped, so it prints as what it is: C0 controls
/// (`ESC` of ANSI sequences, line breaks, tabs, `BEL`), `DEL`, C1 controls, and the bidi
/// overrides and isolates that reorder the text after them. `\n`, `\r` and `\t` read as such,
/// others as `\u{1b}`. Borrowed when nothing needed escaping.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`printable`] line by line: line breaks stay, for messages of several lines.
pub fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A number from the user, as an error message repeats it: short even when it is huge or tiny.
pub fn number(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-3..1e6).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

fn needs_escape(c: char) -> bool {
    // `is_control` is C0, DEL and C1; then the bidi embeddings, overrides and isolates.
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Columns padded to line up: the first left-aligned, the others right-aligned, a rule under
/// the first line.
pub fn aligned_table(lines: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        let cols: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cols.join("  ").trim_end());
        if n == 0 {
            let _ = writeln!(
                out,
                "{}",
                widths
                    .iter()
                    .map(|w| "-".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("  ")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_keeps_the_rest() {
        assert!(matches!(
            printable("Qwen3 · 4,849 tok/s ↑ 🚀 漢字 עברית"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            printable("\u{1b}[31mred\u{1b}[0m"),
            "\\u{1b}[31mred\\u{1b}[0m"
        );
        assert_eq!(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(printable("bell\u{7}\u{0}"), "bell\\u{7}\\u{0}");
        assert_eq!(printable("del\u{7f} c1\u{9b}2J"), "del\\u{7f} c1\\u{9b}2J");
        assert_eq!(printable("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(printable_lines("a\u{1b}\nb"), "a\\u{1b}\nb");
        assert!(
            !printable("\u{1b}]0;title\u{7}")
                .chars()
                .any(char::is_control)
        );
    }
}
