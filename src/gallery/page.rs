//! `index.html`: one self-contained page that plays every rendered scene, with its files and
//! the snippets to embed it. No network: styles and script are inline, media are relative.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::embed::snippets;
use super::text::{self, human_size};
use crate::encode::OutputKind;
use crate::manifest::RenderedScene;
use crate::scene::ChartName;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");
/// Three bars as the tab icon, inline so the browser asks the server for no `favicon.ico`.
const ICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23111'/%3E%3Crect x='3' y='3' width='7' height='2.6' fill='%232f7fc1'/%3E%3Crect x='3' y='6.7' width='10' height='2.6' fill='%23e8760e'/%3E%3Crect x='3' y='10.4' width='5' height='2.6' fill='%2369a8d6'/%3E%3C/svg%3E";

/// Writes `dir/index.html` for `scenes`, whose files sit in `dir`; returns its path.
pub fn write_index(dir: &Path, scenes: &[RenderedScene]) -> anyhow::Result<PathBuf> {
    let path = dir.join("index.html");
    crate::atomic::write_atomic(&path, page(scenes).as_bytes())?;
    Ok(path)
}

/// The gallery page for `scenes`.
pub fn page(scenes: &[RenderedScene]) -> String {
    let mut html = String::with_capacity(4096 + scenes.len() * 4096);
    let count = match scenes.len() {
        1 => "1 scene".to_string(),
        n => format!("{n} scenes"),
    };
    let _ = write!(
        html,
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Rendered scenes · benchanim</title>
<link rel="icon" href="{ICON}">
<style>
{STYLE}</style>
</head>
<body>
<header class="page-head">
  <h1>Rendered scenes</h1>
  <p class="lede">{count}: each plays as a looping MP4 with its PNG as the poster, or shows its GIF or PNG where no MP4 was rendered. To embed one, copy a snippet into your post and upload the files it names beside it, or print snippets for files hosted elsewhere with <code>benchanim embed &lt;scene&gt; --base-url URL</code>.</p>
"#
    );
    if !scenes.is_empty() {
        html.push_str("  <nav class=\"toc\" aria-label=\"Scenes\">\n");
        for scene in scenes {
            // The charts of one `for_each` scene share its title: their suffix tells them apart.
            let label = match ChartName::parse(&scene.name).suffix {
                Some(suffix) => format!("{} · {suffix}", scene.title),
                None => scene.title.clone(),
            };
            let _ = writeln!(
                html,
                "    <a href=\"#{}\">{}</a>",
                text::html(&text::url_segment(&scene.name)),
                text::html(&label)
            );
        }
        html.push_str("  </nav>\n");
    }
    html.push_str("</header>\n<main>\n");
    if scenes.is_empty() {
        html.push_str(
            "<p class=\"empty\">No scenes rendered yet: run <code>benchanim render --all</code>.</p>\n",
        );
    }
    for (index, scene) in scenes.iter().enumerate() {
        card(&mut html, index, scene);
    }
    let _ = write!(
        html,
        r#"</main>
<footer class="page-foot">Made with benchanim. This page loads nothing from the network: every file it shows sits next to it.</footer>
<script>
{SCRIPT}</script>
</body>
</html>
"#
    );
    html
}

/// One scene: the video (or its picture, without an MP4), its title and name, its files, and
/// its snippets.
fn card(html: &mut String, index: usize, scene: &RenderedScene) {
    let name = text::html(&scene.name);
    let title = text::html(&scene.title);
    // The scene a `for_each` chart comes from.
    let group = text::html(ChartName::parse(&scene.name).scene);
    let href = |kind| {
        scene
            .file(kind)
            .map(|f| text::html(&text::url_segment(&f.name)))
    };
    let (w, h) = scene.size();
    let _ = write!(
        html,
        "<article class=\"scene\" id=\"{name}\" data-scene=\"{name}\" data-group=\"{group}\">\n  <div class=\"frame\">\n"
    );
    match (
        href(OutputKind::Mp4),
        href(OutputKind::Gif)
            .or(href(OutputKind::Png))
            .or(href(OutputKind::Svg)),
    ) {
        (Some(mp4), _) => {
            let poster =
                href(OutputKind::Png).map_or_else(String::new, |p| format!(" poster=\"{p}\""));
            let (fallback, what) = match href(OutputKind::Gif) {
                Some(gif) => (gif, "animated GIF"),
                None => (mp4.clone(), "MP4 video"),
            };
            let _ = write!(
                html,
                r#"    <video src="{mp4}"{poster} width="{w}" height="{h}" style="aspect-ratio: {w} / {h}" muted autoplay loop playsinline controls preload="auto" aria-label="{title}">
      <a href="{fallback}">{title} ({what})</a>
    </video>
"#
            );
        }
        (None, Some(picture)) => {
            let _ = writeln!(
                html,
                r#"    <img src="{picture}" alt="{title}" width="{w}" height="{h}" style="aspect-ratio: {w} / {h}">"#
            );
        }
        (None, None) => {}
    }
    let length = if scene.duration().is_zero() {
        "still".to_string()
    } else {
        format!("{:.1} s", scene.duration().as_secs_f64())
    };
    let _ = write!(
        html,
        r#"  </div>
  <div class="info">
    <h2>{title}</h2>
    <p class="meta"><code class="name">{name}</code><span>{w} × {h}</span><span>{length}</span></p>
    <ul class="files">
"#
    );
    for file in &scene.files {
        let _ = writeln!(
            html,
            "      <li><a href=\"{}\" data-kind=\"{}\"><b>{}</b><span>{}</span></a></li>",
            text::html(&text::url_segment(&file.name)),
            file.kind.extension(),
            file.kind.label(),
            human_size(file.bytes),
        );
    }
    html.push_str("    </ul>\n    <div class=\"snippets\">\n");
    for (label, snippet) in snippets(scene, None).labelled() {
        let id = format!("snippet-{index}-{}", label.to_ascii_lowercase());
        let _ = write!(
            html,
            r#"      <div class="snippet">
        <div class="snippet-head"><span>{label}</span><button type="button" class="copy" data-copy="{id}" aria-label="Copy the {label} snippet">Copy</button></div>
        <pre><code id="{id}">{code}</code></pre>
      </div>
"#,
            code = text::html(snippet),
        );
    }
    html.push_str("    </div>\n  </div>\n</article>\n");
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::encode::Written;

    fn scene_of(
        name: &str,
        title: &str,
        (width, height): (u32, u32),
        kinds: &[OutputKind],
    ) -> RenderedScene {
        RenderedScene {
            name: name.into(),
            title: title.into(),
            files: OutputKind::ALL
                .iter()
                .zip([1_234_567, 5_300_000, 81_234, 23_456])
                .filter(|(kind, _)| kinds.contains(kind))
                .map(|(&kind, bytes)| Written {
                    name: format!("{name}.{}", kind.extension()),
                    kind,
                    bytes,
                    width,
                    height,
                    duration: if kind.is_video() {
                        Duration::from_millis(12_040)
                    } else {
                        Duration::ZERO
                    },
                    frames: 100,
                    fps: None,
                })
                .collect(),
        }
    }

    fn scene(name: &str, title: &str, width: u32, height: u32) -> RenderedScene {
        scene_of(
            name,
            title,
            (width, height),
            &[
                OutputKind::Mp4,
                OutputKind::Gif,
                OutputKind::Png,
                OutputKind::Svg,
            ],
        )
    }

    /// The opening tags of every `<video>` element in `html`.
    fn video_tags(html: &str) -> Vec<&str> {
        html.match_indices("<video ")
            .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap()])
            .collect()
    }

    #[test]
    fn every_scene_gets_a_video_that_autoplays_muted_without_layout_shift() {
        let html = page(&[
            scene("vllm_input", "vLLM input", 1920, 1080),
            scene("training_time", "Training time", 1280, 720),
        ]);
        let videos = video_tags(&html);
        assert_eq!(videos.len(), 2);
        for (tag, (name, w, h)) in videos
            .iter()
            .zip([("vllm_input", 1920, 1080), ("training_time", 1280, 720)])
        {
            for attr in [
                format!("src=\"{name}.mp4\""),
                format!("poster=\"{name}.png\""),
                format!("width=\"{w}\""),
                format!("height=\"{h}\""),
                format!("aspect-ratio: {w} / {h}"),
            ] {
                assert!(tag.contains(&attr), "{attr} missing in {tag}");
            }
            for flag in [" muted", " autoplay", " loop", " playsinline", " controls"] {
                assert!(tag.contains(flag), "{flag} missing in {tag}");
            }
        }
        assert!(
            html.contains("max-width: 100%"),
            "videos must shrink on narrow screens"
        );
        assert!(html.contains("<meta name=\"viewport\""));
        assert!(html.contains("prefers-color-scheme: dark"));
    }

    #[test]
    fn cards_show_title_name_files_with_sizes_and_snippets() {
        let html = page(&[scene("vllm_input", "vLLM input", 1920, 1080)]);
        assert!(html.contains("<h2>vLLM input</h2>"));
        assert!(html.contains("<code class=\"name\">vllm_input</code>"));
        assert!(html.contains("<span>1920 × 1080</span><span>12.0 s</span>"));
        assert!(html.contains(
            "<a href=\"vllm_input.mp4\" data-kind=\"mp4\"><b>MP4</b><span>1.2 MB</span></a>"
        ));
        assert!(html.contains(
            "<a href=\"vllm_input.gif\" data-kind=\"gif\"><b>GIF</b><span>5.3 MB</span></a>"
        ));
        assert!(html.contains(
            "<a href=\"vllm_input.png\" data-kind=\"png\"><b>PNG</b><span>81.2 kB</span></a>"
        ));
        assert!(html.contains(
            "<a href=\"vllm_input.svg\" data-kind=\"svg\"><b>SVG</b><span>23.5 kB</span></a>"
        ));
        // HTML, Markdown, the PNG and the SVG.
        assert_eq!(html.matches("class=\"copy\"").count(), 4);
        assert!(html.contains(
            "<code id=\"snippet-0-markdown\">[![vLLM input](vllm_input.gif)](vllm_input.mp4)</code>"
        ));
        assert!(
            html.contains("<code id=\"snippet-0-html\">&lt;video src=&quot;vllm_input.mp4&quot;")
        );
    }

    #[test]
    fn the_page_references_nothing_outside_its_folder() {
        let page = page(&[scene("vllm_input", "vLLM input", 1920, 1080)]);
        // The inline icon's SVG names its XML namespace, which is never fetched.
        let html = page.replace("xmlns='http://www.w3.org/2000/svg'", "");
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{html}"
        );
        assert!(
            !html.contains("//"),
            "no protocol-relative or absolute URLs"
        );
        for attr in ["src=\"", "href=\"", "poster=\""] {
            for (at, _) in html.match_indices(attr) {
                let rest = &html[at + attr.len()..];
                let value = &rest[..rest.find('"').unwrap()];
                assert!(
                    !value.starts_with('/') && !value.contains(':') || value.starts_with("data:"),
                    "{attr} points outside the folder: {value}"
                );
            }
        }
        assert_eq!(html.matches("<link").count(), 1, "only the inline icon");
        assert!(!html.contains("@import") && !html.contains("url("));
    }

    #[test]
    fn data_is_escaped() {
        let html = page(&[scene("x", "</h2><script>alert(\"&\")</script>", 640, 360)]);
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(
            html.contains(
                "<h2>&lt;/h2&gt;&lt;script&gt;alert(&quot;&amp;&quot;)&lt;/script&gt;</h2>"
            )
        );
        assert_eq!(
            html.matches("<script>").count(),
            1,
            "only the page's own script"
        );
        let odd = page(&[scene("a b\"c", "T", 640, 360)]);
        assert!(odd.contains("src=\"a%20b%22c.mp4\""), "{odd}");
        assert!(odd.contains("data-scene=\"a b&quot;c\""));
    }

    #[test]
    fn charts_of_one_scene_are_grouped_and_told_apart_by_their_suffix() {
        let html = page(&[
            scene("qwen@tp1", "Qwen vs AWQ", 1920, 1080),
            scene("qwen@tp2", "Qwen vs AWQ", 1920, 1080),
        ]);
        assert!(html.contains(">Qwen vs AWQ · tp1</a>") && html.contains(">Qwen vs AWQ · tp2</a>"));
        assert_eq!(html.matches("data-group=\"qwen\"").count(), 2);
    }

    #[test]
    fn a_scene_with_only_a_still_shows_its_png() {
        let html = page(&[scene_of(
            "vllm_input",
            "vLLM input",
            (1920, 1080),
            &[OutputKind::Png],
        )]);
        assert!(video_tags(&html).is_empty(), "{html}");
        assert!(html.contains(
            "<img src=\"vllm_input.png\" alt=\"vLLM input\" width=\"1920\" height=\"1080\" style=\"aspect-ratio: 1920 / 1080\">"
        ));
        assert!(html.contains("<span>1920 × 1080</span><span>still</span>"));
        assert!(!html.contains("No scenes rendered yet"));
        assert_eq!(html.matches("class=\"copy\"").count(), 2);
    }

    #[test]
    fn a_scene_with_only_an_svg_shows_it_and_lists_it() {
        let html = page(&[scene_of("s", "S", (640, 360), &[OutputKind::Svg])]);
        assert!(video_tags(&html).is_empty(), "{html}");
        assert!(html.contains(
            "<img src=\"s.svg\" alt=\"S\" width=\"640\" height=\"360\" style=\"aspect-ratio: 640 / 360\">"
        ));
        assert!(
            html.contains("<a href=\"s.svg\" data-kind=\"svg\"><b>SVG</b><span>23.5 kB</span></a>")
        );
    }

    #[test]
    fn a_video_without_a_still_or_gif_links_itself() {
        let html = page(&[scene_of("s", "S", (640, 360), &[OutputKind::Mp4])]);
        let videos = video_tags(&html);
        assert_eq!(videos.len(), 1);
        assert!(!videos[0].contains("poster="), "{}", videos[0]);
        assert!(html.contains("<a href=\"s.mp4\">S (MP4 video)</a>"));
    }

    #[test]
    fn an_empty_gallery_says_how_to_fill_it() {
        let html = page(&[]);
        assert!(video_tags(&html).is_empty());
        assert!(html.contains("0 scenes") && html.contains("benchanim render --all"));
    }

    #[test]
    fn index_is_written_into_the_renders_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_index(dir.path(), &[scene("s", "S", 640, 360)]).unwrap();
        assert_eq!(path, dir.path().join("index.html"));
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written, page(&[scene("s", "S", 640, 360)]));
    }
}
