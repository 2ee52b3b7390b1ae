//! Copy-paste snippets that put a rendered scene into a blog post.

use std::fmt;

use super::text;
use crate::encode::{OutputKind, Written};
use crate::manifest::RenderedScene;

/// The ways to embed a scene, from richest to most portable.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippets {
    /// A looping, muted `<video>` with the PNG as poster and a link to the GIF inside, for
    /// browsers that cannot play it; without an MP4, the GIF or PNG as an `<img>`.
    pub html: String,
    /// The GIF (or the PNG) linking to the MP4, for sites that strip `<video>`.
    pub markdown: String,
    /// The PNG still as a plain `<img>`, when there is a PNG and the HTML snippet is not
    /// already that.
    pub img: Option<String>,
    /// The SVG still as an `<img>`: sharp at any size, its text selectable, for posts and
    /// papers; when there is an SVG and the HTML snippet is not already that.
    pub svg: Option<String>,
}

impl Snippets {
    /// Each snippet with the name it goes by.
    pub fn labelled(&self) -> Vec<(&'static str, &str)> {
        let mut all = vec![("HTML", self.html.as_str()), ("Markdown", &self.markdown)];
        if let Some(img) = &self.img {
            all.push(("Image", img));
        }
        if let Some(svg) = &self.svg {
            all.push(("SVG", svg));
        }
        all
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

/// The snippets for `scene`, for the files it has; with `base_url` the files are linked under
/// that URL (for posts that host them elsewhere), otherwise by file name, relative to the post.
pub fn snippets(scene: &RenderedScene, base_url: Option<&str>) -> Snippets {
    let url = |file: &Written| file_url(base_url, &file.name);
    let (mp4, gif, png, svg) = (
        scene.file(OutputKind::Mp4),
        scene.file(OutputKind::Gif),
        scene.file(OutputKind::Png),
        scene.file(OutputKind::Svg),
    );
    // The still a page shows without a video.
    let still = gif.or(png).or(svg);
    let title = text::html(&scene.title);
    let img = |file: &Written| {
        format!(
            "<img src=\"{}\" alt=\"{title}\" width=\"{}\" height=\"{}\" style=\"max-width:100%;height:auto\">",
            text::html(&url(file)),
            file.width,
            file.height,
        )
    };
    let html = match (mp4, still) {
        (Some(video), _) => {
            let poster = png.map_or_else(String::new, |p| {
                format!(" poster=\"{}\"", text::html(&url(p)))
            });
            let (fallback, what) = match gif {
                Some(gif) => (url(gif), "animated GIF"),
                None => (url(video), "MP4 video"),
            };
            format!(
                "<video src=\"{}\"{poster} width=\"{}\" height=\"{}\" muted autoplay loop playsinline controls style=\"max-width:100%;height:auto\">\n  <a href=\"{}\">{title} ({what})</a>\n</video>",
                text::html(&url(video)),
                video.width,
                video.height,
                text::html(&fallback),
            )
        }
        (None, Some(picture)) => img(picture),
        (None, None) => String::new(),
    };
    let alt = text::markdown_text(&scene.title);
    let markdown = match (still, mp4) {
        (Some(picture), Some(video)) => format!(
            "[![{alt}]({})]({})",
            text::markdown_url(&url(picture)),
            text::markdown_url(&url(video)),
        ),
        (Some(picture), None) => format!("![{alt}]({})", text::markdown_url(&url(picture))),
        (None, Some(video)) => format!("[{alt}]({})", text::markdown_url(&url(video))),
        (None, None) => String::new(),
    };
    let svg = svg.map(img).filter(|svg| *svg != html);
    let img = png.map(img).filter(|img| *img != html);
    Snippets {
        html,
        markdown,
        img,
        svg,
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
    use std::time::Duration;

    use super::*;

    fn scene_of(title: &str, kinds: &[OutputKind]) -> RenderedScene {
        RenderedScene {
            name: "vllm_input".into(),
            title: title.into(),
            files: kinds
                .iter()
                .map(|&kind| Written {
                    name: format!("vllm_input.{}", kind.extension()),
                    kind,
                    bytes: 1000,
                    width: 1920,
                    height: 1080,
                    duration: Duration::from_millis(9500),
                    frames: 100,
                    fps: None,
                })
                .collect(),
        }
    }

    fn scene(title: &str) -> RenderedScene {
        scene_of(
            title,
            &[
                OutputKind::Mp4,
                OutputKind::Gif,
                OutputKind::Png,
                OutputKind::Svg,
            ],
        )
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
            s.img.as_deref(),
            Some(
                "<img src=\"vllm_input.png\" alt=\"vLLM input throughput\" width=\"1920\" height=\"1080\" style=\"max-width:100%;height:auto\">"
            )
        );
    }

    #[test]
    fn snippets_use_only_the_files_rendered() {
        let still = snippets(&scene_of("T", &[OutputKind::Png]), None);
        assert_eq!(
            still.html,
            "<img src=\"vllm_input.png\" alt=\"T\" width=\"1920\" height=\"1080\" style=\"max-width:100%;height:auto\">"
        );
        assert_eq!(still.markdown, "![T](vllm_input.png)");
        assert_eq!(still.img, None, "the HTML snippet is the image already");

        let video = snippets(&scene_of("T", &[OutputKind::Mp4]), None);
        assert!(!video.html.contains("poster="), "{}", video.html);
        assert!(
            video
                .html
                .contains("<a href=\"vllm_input.mp4\">T (MP4 video)</a>"),
            "{}",
            video.html
        );
        assert_eq!(video.markdown, "[T](vllm_input.mp4)");
        assert_eq!(video.img, None);
        assert_eq!(video.labelled().len(), 2);

        let gif = snippets(&scene_of("T", &[OutputKind::Gif]), None);
        assert!(gif.html.starts_with("<img src=\"vllm_input.gif\""));
        assert_eq!(gif.markdown, "![T](vllm_input.gif)");
    }

    #[test]
    fn an_svg_is_offered_as_an_image_of_its_own() {
        let all = snippets(&scene("T"), None);
        assert_eq!(
            all.svg.as_deref(),
            Some(
                "<img src=\"vllm_input.svg\" alt=\"T\" width=\"1920\" height=\"1080\" style=\"max-width:100%;height:auto\">"
            )
        );
        assert!(
            all.to_string()
                .contains("\n\nSVG:\n<img src=\"vllm_input.svg\"")
        );
        // Alone, the SVG is the picture every snippet shows, once.
        let alone = snippets(&scene_of("T", &[OutputKind::Svg]), None);
        assert!(alone.html.starts_with("<img src=\"vllm_input.svg\""));
        assert_eq!(alone.markdown, "![T](vllm_input.svg)");
        assert_eq!((alone.img, alone.svg), (None, None));
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
                    .unwrap()
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
                .unwrap()
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
