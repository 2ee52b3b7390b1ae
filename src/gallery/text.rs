//! Escaping for the places data ends up in: HTML text and attributes, URL paths, Markdown.

use std::fmt::Write;

/// Escapes text for HTML element content and double- or single-quoted attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a file name for use as one segment of a URL path.
pub fn url_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Makes a URL safe as a Markdown link destination, where spaces and parentheses end it.
pub fn markdown_url(url: &str) -> String {
    url.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// Escapes text for Markdown link text and image alt text.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Not `_`: scene names are full of them, and inside a word they never start emphasis.
        if matches!(c, '\\' | '[' | ']' | '*' | '`' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A file size as people read it: `812 B`, `26.4 kB`, `1.2 MB` (powers of 1000).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    // Round first so 999_999 bytes reads `1.0 MB`, not `1000.0 kB`.
    while (value * 10.0).round() >= 10_000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<b>"A" & 'B'</b>"#),
            "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn url_segment_keeps_plain_names_and_encodes_the_rest() {
        assert_eq!(url_segment("vllm_input.mp4"), "vllm_input.mp4");
        assert_eq!(url_segment("a b#?/é.gif"), "a%20b%23%3F%2F%C3%A9.gif");
    }

    #[test]
    fn markdown_escapes_brackets_and_link_ends() {
        assert_eq!(
            markdown_text("GPU [x] *y* vllm_input"),
            r"GPU \[x\] \*y\* vllm_input"
        );
        assert_eq!(
            markdown_url("https://x/a b(1).gif"),
            "https://x/a%20b%281%29.gif"
        );
    }

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(26_425), "26.4 kB");
        assert_eq!(human_size(999_999), "1.0 MB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
        assert_eq!(human_size(5_300_000_000), "5.3 GB");
    }
}
