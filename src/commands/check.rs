//! `benchanim check`: each chart's final frame laid out at the sizes and in the themes asked,
//! nothing drawn or encoded, and what would read badly reported (exit code 1 when anything is).

use super::inputs::charts;
use super::inputs::{ResultsArgs, ScenesArgs};
use super::output::{Quality, Resolution};
use super::stdout;
use crate::lint::{self, DEFAULT_SIZES, Listing};
use crate::render::Theme;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scenes to check, by name (see `benchanim list`); `scene@suffix` for one chart of a
    /// `for_each` scene.
    #[arg(value_name = "SCENE", required_unless_present = "all")]
    pub names: Vec<String>,
    /// Check every scene in the scenes folder.
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    #[command(flatten)]
    pub scenes: ScenesArgs,
    #[command(flatten)]
    pub input: ResultsArgs,
    /// Quality presets to check at (l, m, h, k as `render` has them); may be repeated. With
    /// neither this nor --resolution: 854x480, 1280x720, 1920x1080, 3840x2160, 1080x1920 and
    /// 1080x1080.
    #[arg(short, long, value_enum, value_delimiter = ',')]
    pub quality: Vec<Quality>,
    /// Frame sizes to check at, e.g. 1080x1350; may be repeated.
    #[arg(long, value_name = "WxH", value_delimiter = ',')]
    pub resolution: Vec<Resolution>,
    /// Themes to check in: contrast depends on them.
    #[arg(long, value_enum, default_value = "both")]
    pub theme: Themes,
    /// text: a line per problem and a summary; json: every element of every final frame
    /// checked, with its problems.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Themes {
    Dark,
    Light,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let sizes = sizes(&args)?;
    let themes: &[Theme] = match args.theme {
        Themes::Dark => &[Theme::Dark],
        Themes::Light => &[Theme::Light],
        Themes::Both => &Theme::ALL,
    };
    let table = args.input.table()?;
    let charts = charts(
        &args.scenes.dir,
        &args.names,
        args.all,
        &table,
        args.input.strict,
    )?;
    let listing = match args.format {
        Format::Text => Listing::Problems,
        Format::Json => Listing::Elements,
    };
    let report = lint::check(&charts, &sizes, themes, listing);
    stdout::print(&match args.format {
        Format::Text => report.text(),
        Format::Json => report.json(),
    })?;
    Ok(u8::from(report.problem_count() > 0))
}

/// The sizes asked for, presets first, each once; the default set when none is.
fn sizes(args: &CheckArgs) -> anyhow::Result<Vec<(u32, u32)>> {
    for resolution in &args.resolution {
        resolution.check()?;
    }
    let asked = args
        .quality
        .iter()
        .map(|q| {
            let (w, h, _) = q.size_and_fps();
            (w, h)
        })
        .chain(args.resolution.iter().map(|r| (r.0, r.1)));
    let mut sizes: Vec<(u32, u32)> = Vec::new();
    for size in asked {
        if !sizes.contains(&size) {
            sizes.push(size);
        }
    }
    if sizes.is_empty() {
        sizes = DEFAULT_SIZES.to_vec();
    }
    Ok(sizes)
}
