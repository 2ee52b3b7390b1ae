//! `benchanim render --watch`: render, then render again after each change to what the render
//! reads, until stopped; with `--serve`, the gallery served to a browser that reloads it.

mod args;

pub use args::WatchArgs;

use super::render::{RenderArgs, render_once};
use super::stdout::is_closed_pipe;
use crate::atomic;
use crate::results::CATALOG_FILE;
use crate::scene::ChartName;
use crate::terminal::printable_lines;
use crate::watch::{self, Sources};

pub fn run(mut args: RenderArgs) -> anyhow::Result<u8> {
    args.output.preview();
    let settings = args.output.settings()?;
    // Stopping while waiting for a change is as clean as stopping mid-render.
    atomic::exit_cleanly_on_signal()?;
    if let Some(port) = args.watch.serve {
        let out = &args.output.out;
        std::fs::create_dir_all(out)
            .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", out.display()))?;
        let addr = crate::serve::serve(out, port)?;
        stderr_line!("gallery: http://{addr}/?watch (reloads after each render)");
    }
    let sources = Sources {
        scenes_dir: args.scenes.dir.clone(),
        scenes: (!args.all).then(|| {
            let names = args.names.iter();
            names
                .map(|n| ChartName::parse(n).scene.to_string())
                .collect()
        }),
        results: args.input.results.clone(),
        catalog: (args.input.catalog.clone()).unwrap_or_else(|| CATALOG_FILE.into()),
        out: args.output.out.clone(),
    };
    watch::run(&sources, || match render_once(&args, &settings) {
        Ok(_) => Ok(()),
        // Nobody reads the output any more: the watch is over.
        Err(e) if is_closed_pipe(&e) => Err(e),
        // A scene or result being edited is often wrong for a moment: say so and wait.
        Err(e) => {
            stderr_line!("error: {}", printable_lines(&format!("{e:#}")));
            Ok(())
        }
    })
}
