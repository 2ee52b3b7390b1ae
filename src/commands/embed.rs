//! `benchanim embed`: the snippets that put a rendered scene in a post.

use std::path::PathBuf;

use super::stdout;
use crate::gallery;
use crate::manifest::Manifest;

#[derive(Debug, clap::Args)]
pub struct EmbedArgs {
    /// The scene's name, as given to `benchanim render` (`vllm_input`).
    pub scene: String,
    /// Link the files under this URL instead of by file name (for posts that host them
    /// elsewhere), e.g. `https://example.org/media/`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Folder the scene was rendered into; its `manifest.json` says what is there.
    #[arg(long, value_name = "DIR", default_value = "renders")]
    pub out: PathBuf,
}

pub fn run(args: EmbedArgs) -> anyhow::Result<u8> {
    let render = format!(
        "benchanim render {} --out {}",
        args.scene,
        args.out.display()
    );
    let manifest = Manifest::require(&args.out, &render)?;
    let scene = manifest.scene(&args.scene, &args.out)?;
    stdout::print(&gallery::snippets(scene, args.base_url.as_deref()).to_string())?;
    Ok(0)
}
