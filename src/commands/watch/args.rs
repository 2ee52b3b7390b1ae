//! The options of `render --watch`, apart from the watch itself, so that `render` can take
//! them without knowing how a watch runs.

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Keep running and render again whenever a scene file, the results folder or the metric
    /// catalog changes: a fast preview (-q l, GIF and PNG, unless -q or --format say
    /// otherwise), its layout warnings, and a line per render. A change made during a render
    /// starts one more when it ends; Ctrl-C stops (exit code 130).
    #[arg(long)]
    pub watch: bool,
    /// With --watch, also serve the output folder on http://127.0.0.1:PORT/ (this machine
    /// only; 0 picks a free port): its gallery reloads itself after each render.
    #[arg(long, value_name = "PORT", requires = "watch")]
    pub serve: Option<u16>,
}
