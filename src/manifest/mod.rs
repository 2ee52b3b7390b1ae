//! `manifest.json`: what the renders in a folder are, kept beside them. A render merges the
//! scenes it wrote into the folder's manifest; the gallery and `embed` read it, never the
//! videos themselves.

mod recover;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::encode::{OutputKind, Written};

/// The manifest's file name in a renders folder.
pub const FILE_NAME: &str = "manifest.json";
/// Bumped when the format changes in a way older readers would misread.
const VERSION: u32 = 1;

/// Every scene rendered into one folder, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub scenes: Vec<RenderedScene>,
}

/// One scene as last rendered: its title and the files written for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedScene {
    /// The scene's name, which is also the stem of its files (`vllm_input`).
    pub name: String,
    pub title: String,
    pub files: Vec<Written>,
}

impl RenderedScene {
    pub fn file(&self, kind: OutputKind) -> Option<&Written> {
        self.files.iter().find(|f| f.kind == kind)
    }

    /// The file that says how the scene looks on a page: the MP4, else the GIF, else the PNG,
    /// else the SVG.
    fn picture(&self) -> Option<&Written> {
        [
            OutputKind::Mp4,
            OutputKind::Gif,
            OutputKind::Png,
            OutputKind::Svg,
        ]
        .into_iter()
        .find_map(|kind| self.file(kind))
    }

    /// The size the scene shows at: the MP4's, else the GIF's, else the PNG's, else the SVG's.
    pub fn size(&self) -> (u32, u32) {
        self.picture().map_or((0, 0), |f| (f.width, f.height))
    }

    /// How long the animation plays; zero when only a still was written.
    pub fn duration(&self) -> Duration {
        self.files
            .iter()
            .map(|f| f.duration)
            .max()
            .unwrap_or_default()
    }
}

impl Default for Manifest {
    fn default() -> Manifest {
        Manifest {
            version: VERSION,
            scenes: Vec::new(),
        }
    }
}

impl Manifest {
    /// The manifest of `dir`, or an empty one when there is none yet. Files that are gone (or
    /// have changed size since) are left out, and scenes left with no file.
    pub fn load(dir: &Path) -> anyhow::Result<Manifest> {
        let path = path(dir);
        match std::fs::read(&path) {
            Ok(bytes) => Manifest::parse(&bytes, &path).map(|m| m.present_in(dir)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
        }
    }

    /// The manifest of `dir` with every scene whose files are there: what the manifest says of
    /// them, and, for files it does not list (a manifest cut short or missing, a render stopped
    /// before it listed them), what the files say of themselves. Also the names of the scenes
    /// so recovered, to be told.
    pub fn load_or_recover(dir: &Path) -> (Manifest, Vec<String>) {
        let mut manifest = Manifest::load(dir).unwrap_or_default();
        let listed: Vec<String> = manifest
            .scenes
            .iter()
            .flat_map(|s| s.files.iter().map(|f| f.name.clone()))
            .collect();
        let mut found: BTreeMap<String, Vec<Written>> = BTreeMap::new();
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| check_name(n).is_ok() && !listed.contains(n))
            .collect();
        names.sort();
        for name in names {
            if let Some(file) = recover::probe(dir, &name) {
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                found.entry(stem.to_string()).or_default().push(file);
            }
        }
        let recovered: Vec<String> = found.keys().cloned().collect();
        for (name, files) in found {
            match manifest.scenes.iter_mut().find(|s| s.name == name) {
                Some(scene) => scene.files.extend(files),
                None => manifest.scenes.push(RenderedScene {
                    title: name.clone(),
                    name,
                    files,
                }),
            }
        }
        for scene in &mut manifest.scenes {
            scene
                .files
                .sort_by_key(|f| OutputKind::ALL.iter().position(|k| *k == f.kind));
        }
        manifest.scenes.sort_by(|a, b| a.name.cmp(&b.name));
        (manifest, recovered)
    }

    /// The manifest of a folder that must have one; without one, says to render (`render` is
    /// the command that would, e.g. `benchanim render vllm_input --out renders`).
    pub fn require(dir: &Path, render: &str) -> anyhow::Result<Manifest> {
        if !path(dir).is_file() {
            bail!(
                "no renders in `{}`: `{}` is missing; render the scenes first (`{render}`)",
                dir.display(),
                path(dir).display()
            );
        }
        Manifest::load(dir)
    }

    fn parse(bytes: &[u8], path: &Path) -> anyhow::Result<Manifest> {
        let manifest: Manifest = serde_json::from_slice(bytes).with_context(|| {
            format!(
                "`{}` is not a benchanim manifest; render the scenes again to rewrite it",
                path.display()
            )
        })?;
        if manifest.version != VERSION {
            bail!(
                "`{}` has manifest version {}, this benchanim reads version {VERSION}; render the scenes again",
                path.display(),
                manifest.version
            );
        }
        for scene in &manifest.scenes {
            check_name(&scene.name).with_context(|| format!("in `{}`", path.display()))?;
            for file in &scene.files {
                check_name(&file.name).with_context(|| format!("in `{}`", path.display()))?;
            }
        }
        Ok(manifest)
    }

    /// Only the files still in `dir` as they were written, and the scenes that keep one.
    fn present_in(mut self, dir: &Path) -> Manifest {
        for scene in &mut self.scenes {
            scene.files.retain(|f| {
                // A PNG sequence is a folder: there, it is what was written.
                std::fs::metadata(dir.join(&f.name)).is_ok_and(|m| match f.kind {
                    OutputKind::Frames => m.is_dir(),
                    _ => m.is_file() && m.len() == f.bytes,
                })
            });
        }
        self.scenes.retain(|s| !s.files.is_empty());
        self
    }

    /// Puts `rendered` in, each replacing any earlier render of the same scene; scenes stay
    /// sorted by name.
    pub fn merge(&mut self, rendered: impl IntoIterator<Item = RenderedScene>) {
        for scene in rendered {
            self.scenes.retain(|s| s.name != scene.name);
            if !scene.files.is_empty() {
                self.scenes.push(scene);
            }
        }
        self.scenes.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Writes `dir/manifest.json` (through a temporary file).
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let mut json = serde_json::to_string_pretty(self)?;
        json.push('\n');
        crate::atomic::write_atomic(&path(dir), json.as_bytes())
    }

    /// The scene called `name`, or what to do when it is not there.
    pub fn scene(&self, name: &str, dir: &Path) -> anyhow::Result<&RenderedScene> {
        check_name(name)?;
        self.scenes.iter().find(|s| s.name == name).with_context(|| {
            let rendered = if self.scenes.is_empty() {
                "none".to_string()
            } else {
                self.scenes
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "scene `{name}` is not rendered in `{}` (rendered there: {rendered}); render it with `benchanim render {name} --out {}`",
                dir.display(),
                dir.display()
            )
        })
    }
}

fn path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Names stay inside the folder: no separators, nothing hidden, not empty.
fn check_name(name: &str) -> anyhow::Result<()> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        bail!("`{name}` is not a scene or file name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, kind: OutputKind, bytes: u64) -> Written {
        Written {
            name: kind.file_name(name),
            kind,
            bytes,
            width: 854,
            height: 480,
            duration: if kind.is_video() {
                Duration::from_millis(9500)
            } else {
                Duration::ZERO
            },
            frames: 10,
            fps: None,
        }
    }

    /// A scene whose files exist in `dir`, `bytes` long each.
    fn scene_in(dir: &Path, name: &str, kinds: &[OutputKind]) -> RenderedScene {
        let files = kinds
            .iter()
            .map(|&kind| {
                let f = file(name, kind, 3);
                match kind {
                    OutputKind::Frames => std::fs::create_dir_all(dir.join(&f.name)).unwrap(),
                    _ => std::fs::write(dir.join(&f.name), b"abc").unwrap(),
                }
                f
            })
            .collect();
        RenderedScene {
            name: name.into(),
            title: format!("Title of {name}"),
            files,
        }
    }

    #[test]
    fn round_trips_as_json_with_plain_fields() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::load(dir.path()).unwrap();
        assert!(m.scenes.is_empty());
        m.merge([scene_in(dir.path(), "vllm_input", &OutputKind::ALL)]);
        m.write(dir.path()).unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(FILE_NAME)).unwrap()).unwrap();
        assert_eq!(json["version"], 1);
        let s = &json["scenes"][0];
        assert_eq!(s["name"], "vllm_input");
        assert_eq!(s["title"], "Title of vllm_input");
        assert_eq!(
            s["files"][0],
            serde_json::json!({"name": "vllm_input.mp4", "kind": "mp4", "bytes": 3,
                "width": 854, "height": 480, "duration": 9.5, "frames": 10})
        );
        assert_eq!(s["files"][2]["kind"], "png");
        assert_eq!(Manifest::load(dir.path()).unwrap(), m);
    }

    /// A manifest of the scenes `scenes` (name and kinds) rendered into `dir`.
    fn with_scenes<const N: usize>(dir: &Path, scenes: [(&str, &[OutputKind]); N]) -> Manifest {
        let mut m = Manifest::default();
        m.merge(scenes.map(|(name, kinds)| scene_in(dir, name, kinds)));
        m
    }

    #[test]
    fn merging_replaces_a_scene_and_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = with_scenes(
            dir.path(),
            [("b", &OutputKind::ALL[..]), ("a", &OutputKind::ALL)],
        );
        m.merge([scene_in(dir.path(), "b", &[OutputKind::Png])]);
        let names: Vec<_> = m.scenes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(m.scenes[0].files.len(), OutputKind::ALL.len());
        assert_eq!(m.scenes[1].files.len(), 1);
        assert_eq!(m.scenes[1].size(), (854, 480));
        assert_eq!(m.scenes[1].duration(), Duration::ZERO);
    }

    #[test]
    fn files_that_are_gone_or_changed_drop_out() {
        let dir = tempfile::tempdir().unwrap();
        let m = with_scenes(
            dir.path(),
            [("a", &OutputKind::ALL[..]), ("b", &[OutputKind::Mp4])],
        );
        m.write(dir.path()).unwrap();
        std::fs::remove_file(dir.path().join("a.gif")).unwrap();
        std::fs::write(dir.path().join("a.png"), b"longer").unwrap();
        std::fs::remove_file(dir.path().join("b.mp4")).unwrap();
        let m = Manifest::load(dir.path()).unwrap();
        assert_eq!(m.scenes.len(), 1);
        let kinds: Vec<_> = m.scenes[0].files.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                OutputKind::Mp4,
                OutputKind::Svg,
                OutputKind::Frames,
                OutputKind::Webm,
                OutputKind::Mov
            ]
        );
        // A PNG sequence is its folder.
        std::fs::remove_dir(dir.path().join("a")).unwrap();
        let m = Manifest::load(dir.path()).unwrap();
        let kinds: Vec<_> = m.scenes[0].files.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                OutputKind::Mp4,
                OutputKind::Svg,
                OutputKind::Webm,
                OutputKind::Mov
            ]
        );
    }

    #[test]
    fn a_missing_manifest_says_to_render() {
        let dir = tempfile::tempdir().unwrap();
        let err = Manifest::require(dir.path(), "benchanim render x --out d")
            .unwrap_err()
            .to_string();
        assert!(err.contains("manifest.json"), "{err}");
        assert!(err.contains("`benchanim render x --out d`"), "{err}");
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let json = r#"{"version":1,"scenes":[{"name":"a","title":"A","files":[
            {"name":"../etc/passwd","kind":"png","bytes":1,"width":1,"height":1,"duration":0,"frames":1}]}]}"#;
        std::fs::write(dir.path().join(FILE_NAME), json).unwrap();
        let err = format!("{:#}", Manifest::load(dir.path()).unwrap_err());
        assert!(err.contains("not a scene or file name"), "{err}");
        let m = Manifest::default();
        for name in ["", "../x", "a/b", ".hidden"] {
            let err = m.scene(name, dir.path()).unwrap_err();
            assert!(err.to_string().contains("not a scene"), "{name}: {err}");
        }
    }

    #[test]
    fn other_versions_and_garbage_say_to_render_again() {
        let dir = tempfile::tempdir().unwrap();
        for json in [r#"{"version":99,"scenes":[]}"#, "not json"] {
            std::fs::write(dir.path().join(FILE_NAME), json).unwrap();
            let err = format!("{:#}", Manifest::load(dir.path()).unwrap_err());
            assert!(err.contains("render the scenes again"), "{err}");
        }
    }
}
