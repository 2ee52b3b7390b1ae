//! `benchanim embed`: the snippets that put a rendered scene in a post.

use std::path::PathBuf;

use super::stdout;
use crate::gallery::{self, RenderedScene};
use crate::scene::load_scene;

#[derive(Debug, clap::Args)]
pub struct EmbedArgs {
    /// The scene's name, as given to `benchanim render` (`vllm_input`).
    pub scene: String,
    /// Link the files under this URL instead of by file name (for posts that host them
    /// elsewhere), e.g. `https://example.org/media/`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Folder the scene was rendered into.
    #[arg(long, value_name = "DIR", default_value = "renders")]
    pub out: PathBuf,
    /// Folder of scene files, for the scene's title.
    #[arg(long = "scenes", value_name = "DIR", default_value = "scenes")]
    pub scenes: PathBuf,
}

pub fn run(args: EmbedArgs) -> anyhow::Result<u8> {
    let mut scene = RenderedScene::from_dir(&args.out, &args.scene)?;
    if let Ok(s) = load_scene(&args.scenes, &args.scene) {
        scene.title = s.title;
    }
    stdout::print(&gallery::snippets(&scene, args.base_url.as_deref()).to_string())?;
    Ok(0)
}
