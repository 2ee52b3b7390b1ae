//! Copy-paste snippets that put a rendered scene into a blog post.

use std::fmt;

use super::scene::{MediaKind, RenderedScene};
use super::text;

/// The three ways to embed a scene, from richest to most portable.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippets {
    /// A looping, muted `<video>` with the PNG as poster and a link to the GIF inside, for
    /// browsers that cannot play it.
    pub html: String,
    /// The GIF linking to the MP4, for sites that strip `<video>`.
    pub markdown: String,
    /// The PNG still as a plain `<img>`.
    pub img: String,
}

impl Snippets {
    /// Each snippet with the name it goes by.
    pub fn labelled(&self) -> [(&'static str, &str); 3] {
        [
            ("HTML", &self.html),
            ("Markdown", &self.markdown),
            ("Image", &self.img),
        ]
    }
}

impl fmt::Display for Snippets {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, (label, snippet)) in self.labelled().into_iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{label}:\n{snippet}")?;
        }
        Ok(())
    }
}

/// The snippets for `scene`; with `base_url` the files are linked under that URL (for posts
/// that host them elsewhere), otherwise by file name, relative to the post.
pub fn snippets(scene: &RenderedScene, base_url: Option<&str>) -> Snippets {
    let url = |kind| file_url(base_url, &scene.file_name(kind));
    let (mp4, gif, png) = (
        url(MediaKind::Mp4),
        url(MediaKind::Gif),
        url(MediaKind::Png),
    );
    let (w, h) = (scene.width, scene.height);
    let title = text::html(&scene.title);
    let html = format!(
        "<video src=\"{}\" poster=\"{}\" width=\"{w}\" height=\"{h}\" muted autoplay loop playsinline controls style=\"max-width:100%;height:auto\">\n  <a href=\"{}\">{title} (animated GIF)</a>\n</video>",
        text::html(&mp4),
        text::html(&png),
        text::html(&gif),
    );
    let markdown = format!(
        "[![{}]({})]({})",
        text::markdown_text(&scene.title),
        text::markdown_url(&gif),
        text::markdown_url(&mp4),
    );
    let img = format!(
        "<img src=\"{}\" alt=\"{title}\" width=\"{w}\" height=\"{h}\" style=\"max-width:100%;height:auto\">",
        text::html(&png),
    );
    Snippets {
        html,
        markdown,
        img,
    }
}

/// `file_name` under `base_url` with exactly one slash between them, or alone without one.
fn file_url(base_url: Option<&str>, file_name: &str) -> String {
    let segment = text::url_segment(file_name);
    match base_url.map(str::trim) {
        Some(base) if !base.is_empty() => {
            format!("{}/{segment}", base.trim_end_matches('/'))
        }
        _ => segment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery::scene::RenderedFile;

    fn scene(title: &str) -> RenderedScene {
        RenderedScene {
            name: "vllm_input".into(),
            title: title.into(),
            width: 1920,
            height: 1080,
            duration_s: 9.5,
            files: MediaKind::ALL
                .iter()
                .map(|&kind| RenderedFile {
                    kind,
                    file_name: format!("vllm_input.{}", kind.extension()),
                    bytes: 1000,
                })
                .collect(),
        }
    }

    #[test]
    fn relative_snippets_name_the_files() {
        let s = snippets(&scene("vLLM input throughput"), None);
        assert_eq!(
            s.html,
            "<video src=\"vllm_input.mp4\" poster=\"vllm_input.png\" width=\"1920\" height=\"1080\" muted autoplay loop playsinline controls style=\"max-width:100%;height:auto\">\n  <a href=\"vllm_input.gif\">vLLM input throughput (animated GIF)</a>\n</video>"
        );
        assert_eq!(
            s.markdown,
            "[![vLLM input throughput](vllm_input.gif)](vllm_input.mp4)"
        );
        assert_eq!(
            s.img,
            "<img src=\"vllm_input.png\" alt=\"vLLM input throughput\" width=\"1920\" height=\"1080\" style=\"max-width:100%;height:auto\">"
        );
    }

    #[test]
    fn base_url_prefixes_every_file_with_one_slash() {
        for base in [
            "https://cdn.example.org/media",
            "https://cdn.example.org/media/",
        ] {
            let s = snippets(&scene("T"), Some(base));
            assert!(
                s.html
                    .contains("src=\"https://cdn.example.org/media/vllm_input.mp4\"")
            );
            assert!(
                s.html
                    .contains("poster=\"https://cdn.example.org/media/vllm_input.png\"")
            );
            assert!(
                s.html
                    .contains("href=\"https://cdn.example.org/media/vllm_input.gif\"")
            );
            assert_eq!(
                s.markdown,
                "[![T](https://cdn.example.org/media/vllm_input.gif)](https://cdn.example.org/media/vllm_input.mp4)"
            );
            assert!(
                s.img
                    .contains("src=\"https://cdn.example.org/media/vllm_input.png\"")
            );
        }
        let root = snippets(&scene("T"), Some("/"));
        assert!(
            root.markdown.ends_with("(/vllm_input.mp4)"),
            "{}",
            root.markdown
        );
        let blank = snippets(&scene("T"), Some("  "));
        assert_eq!(blank, snippets(&scene("T"), None));
    }

    #[test]
    fn data_is_escaped_for_each_language() {
        let s = snippets(
            &scene("<b>A & \"B\"</b> [x]"),
            Some("https://h/a b?x=1&y=2"),
        );
        assert!(
            s.html
                .contains("&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt; [x] (animated GIF)")
        );
        assert!(
            s.html
                .contains("src=\"https://h/a b?x=1&amp;y=2/vllm_input.mp4\"")
        );
        assert!(!s.html.contains("<b>"));
        assert!(
            s.img
                .contains("alt=\"&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt; [x]\"")
        );
        assert!(
            s.markdown
                .starts_with(r#"[![\<b\>A & "B"\</b\> \[x\]](https://h/a%20b?x=1&y=2/"#)
        );
    }

    #[test]
    fn printed_snippets_are_labelled() {
        let printed = snippets(&scene("T"), None).to_string();
        assert!(printed.starts_with("HTML:\n<video "), "{printed}");
        assert!(printed.contains("\n\nMarkdown:\n[![T](vllm_input.gif)](vllm_input.mp4)\n"));
        assert!(printed.contains("\n\nImage:\n<img src=\"vllm_input.png\""));
    }
}
