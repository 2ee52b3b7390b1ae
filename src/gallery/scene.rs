//! What a render left in the output folder for one scene: the MP4, GIF and PNG, their sizes,
//! and the video's size and duration.

use std::path::Path;

use anyhow::{Context, bail};

use super::mp4;

/// The kinds of file a render writes for each scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Mp4,
    Gif,
    Png,
}

impl MediaKind {
    pub const ALL: [MediaKind; 3] = [MediaKind::Mp4, MediaKind::Gif, MediaKind::Png];

    pub fn extension(self) -> &'static str {
        match self {
            MediaKind::Mp4 => "mp4",
            MediaKind::Gif => "gif",
            MediaKind::Png => "png",
        }
    }

    /// The label shown on download links.
    pub fn label(self) -> &'static str {
        match self {
            MediaKind::Mp4 => "MP4",
            MediaKind::Gif => "GIF",
            MediaKind::Png => "PNG",
        }
    }
}

/// One file of a rendered scene; `file_name` is relative to the renders folder.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedFile {
    pub kind: MediaKind,
    pub file_name: String,
    pub bytes: u64,
}

/// A scene as rendered: everything the gallery page and the embed snippets show.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedScene {
    /// The scene's name, which is also the stem of its files (`vllm_input`).
    pub name: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub duration_s: f64,
    pub files: Vec<RenderedFile>,
}

impl RenderedScene {
    /// Reads back what a render wrote for `name` in `dir`: `<name>.mp4` (its size and duration
    /// from the file's headers), `<name>.gif` and `<name>.png`. The title is the scene name;
    /// callers that know the scene's title set it afterwards.
    pub fn from_dir(dir: &Path, name: &str) -> anyhow::Result<RenderedScene> {
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            bail!("`{name}` is not a scene name");
        }
        let mut files = Vec::new();
        for kind in MediaKind::ALL {
            let file_name = format!("{name}.{}", kind.extension());
            let path = dir.join(&file_name);
            let meta = std::fs::metadata(&path).with_context(|| {
                format!(
                    "no `{}`; render the scene first (`benchanim render {name} --out {}`)",
                    path.display(),
                    dir.display()
                )
            })?;
            files.push(RenderedFile {
                kind,
                file_name,
                bytes: meta.len(),
            });
        }
        let video = mp4::probe(&dir.join(format!("{name}.mp4")))?;
        Ok(RenderedScene {
            name: name.to_string(),
            title: name.to_string(),
            width: video.width,
            height: video.height,
            duration_s: video.duration_s,
            files,
        })
    }

    pub fn file(&self, kind: MediaKind) -> Option<&RenderedFile> {
        self.files.iter().find(|f| f.kind == kind)
    }

    /// The file name of the scene's `kind` file: the one listed, else the name a render uses.
    pub fn file_name(&self, kind: MediaKind) -> String {
        match self.file(kind) {
            Some(f) => f.file_name.clone(),
            None => format!("{}.{}", self.name, kind.extension()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_files_name_the_file_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let err = format!(
            "{:#}",
            RenderedScene::from_dir(dir.path(), "vllm_input").unwrap_err()
        );
        assert!(err.contains("vllm_input.mp4"), "{err}");
        assert!(err.contains("benchanim render vllm_input"), "{err}");
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["", "../x", "a/b", ".hidden"] {
            let err = RenderedScene::from_dir(dir.path(), name).unwrap_err();
            assert!(
                err.to_string().contains("not a scene name"),
                "{name}: {err}"
            );
        }
    }
}
