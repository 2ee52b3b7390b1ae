use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use benchanim::cli::{
    Cli, Command, DataArgs, DataFormat, ImportCommand, RenderArgs, ReportArgs, ThemeArg,
};
use benchanim::commands::{self, render::Job};
use benchanim::encode::{GifOptions, Mp4Options};
use benchanim::render::{RenderSettings, Theme};
use benchanim::report::{self, Report};
use benchanim::results::{self, Table, Warning};
use benchanim::scene::load_scene;
use benchanim::{bench, gallery, import, output};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Report(args) => report(args),
        Command::Import(ImportCommand::Results { sources, output }) => {
            let imported = import::import_results(&sources, &output.results)?;
            for path in &imported.written {
                eprintln!("wrote {}", path.display());
            }
            eprintln!(
                "imported {} result files into {} ({} already there)",
                imported.written.len(),
                output.results.display(),
                imported.skipped.len()
            );
            Ok(warn(&imported.warnings, output.strict))
        }
        Command::Import(ImportCommand::VllmJson {
            file,
            gpu_name,
            output,
        }) => imported(bench::import::import_vllm_json(
            &file,
            gpu_name.as_deref(),
            &output.results,
        )?),
        Command::Import(ImportCommand::LlamaBench {
            file,
            gpu_name,
            output,
        }) => imported(bench::import::import_llama_bench(
            &file,
            gpu_name.as_deref(),
            &output.results,
        )?),
        Command::Bench(args) => Ok(bench::run(args)?.clamp(0, 255) as u8),
        Command::Render(args) => render(args),
        Command::List(args) => {
            print!("{}", commands::scenes::list(&args.dir)?);
            Ok(0)
        }
        Command::Data(args) => data(args),
        Command::Embed(args) => {
            let mut scene = gallery::RenderedScene::from_dir(&args.out, &args.scene)?;
            if let Ok(s) = load_scene(&args.scenes, &args.scene) {
                scene.title = s.title;
            }
            print!("{}", gallery::snippets(&scene, args.base_url.as_deref()));
            Ok(0)
        }
    }
}

/// Loads and collates the results, printing warnings; `Err` with `--strict` and warnings.
fn table(input: &benchanim::cli::ResultsArgs) -> anyhow::Result<Table> {
    let (files, warnings) = results::load(&input.results)?;
    if warn(&warnings, input.strict) != 0 {
        anyhow::bail!("the results have problems (see the warnings above) and --strict was given");
    }
    Ok(Table::collate(files))
}

fn data(args: DataArgs) -> anyhow::Result<u8> {
    let table = table(&args.input)?;
    print!(
        "{}",
        commands::scenes::data(
            &args.scenes.dir,
            &args.scene,
            &table,
            args.format == DataFormat::Json
        )?
    );
    Ok(0)
}

fn render(args: RenderArgs) -> anyhow::Result<u8> {
    let table = table(&args.input)?;
    let charts = commands::render::charts(&args.scenes.dir, &args.names, args.all, &table)?;
    let (mut width, mut height, mut fps) = args.quality.size_and_fps();
    if let Some(r) = args.resolution {
        (width, height) = (r.0, r.1);
    }
    if let Some(f) = args.fps {
        fps = f;
    }
    let theme = match args.theme {
        ThemeArg::Dark => Theme::Dark,
        ThemeArg::Light => Theme::Light,
    };
    let job = Job {
        settings: RenderSettings {
            width,
            height,
            fps,
            theme,
            fadeout: args.fadeout,
        },
        formats: args.format.clone(),
        out: args.out.clone(),
        mp4: Mp4Options {
            encoder: args.encoder,
            cfr: args.cfr,
        },
        gif: GifOptions::default(),
    };
    if args.timings {
        return timings(&charts, &job);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = std::time::Instant::now();
    let outcomes =
        commands::render::render_all(&charts, &job, args.jobs.unwrap_or(cores), args.quiet)?;
    let mut failures = 0;
    for outcome in &outcomes {
        for w in &outcome.written {
            if !args.quiet {
                println!("{}", commands::render::summary_line(w));
            }
        }
        for (path, why) in &outcome.failed {
            failures += 1;
            eprintln!("error: {} not written: {why}", path.display());
        }
    }
    if args.all || outcomes.len() > 1 {
        let index = commands::render::write_gallery(&job.out, &outcomes)?;
        if !args.quiet {
            println!("{}  (gallery)", index.display());
        }
    }
    if !args.quiet {
        eprintln!(
            "rendered {} scene{} in {:.1} s",
            outcomes.len(),
            if outcomes.len() == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if failures > 0 { 1 } else { 0 })
}

/// `render --timings`: frames/s for rasterizing alone, encoding alone and the whole, one scene
/// at a time so the figures do not compete for the cores.
fn timings(charts: &[(String, benchanim::chart::Chart)], job: &Job) -> anyhow::Result<u8> {
    let s = &job.settings;
    println!(
        "{}x{} at {} fps, formats {:?}, MP4 encoder {}",
        s.width, s.height, s.fps, job.formats, job.mp4.encoder
    );
    println!(
        "{:<28} {:>7} {:>7} {:>12} {:>12} {:>12} {:>9}",
        "scene", "frames", "unique", "raster f/s", "encode f/s", "whole f/s", "whole s"
    );
    let (mut frames, mut raster, mut encode, mut whole) = (0u64, 0.0, 0.0, 0.0);
    for (name, chart) in charts {
        let t = commands::render::time_scene(name, chart, job)?;
        let fps = |d: std::time::Duration| t.frames as f64 / d.as_secs_f64().max(1e-9);
        println!(
            "{:<28} {:>7} {:>7} {:>12.0} {:>12.0} {:>12.0} {:>9.2}",
            name,
            t.frames,
            t.unique_frames,
            fps(t.rasterize),
            fps(t.encode),
            fps(t.whole),
            t.whole.as_secs_f64()
        );
        frames += t.frames;
        raster += t.rasterize.as_secs_f64();
        encode += t.encode.as_secs_f64();
        whole += t.whole.as_secs_f64();
    }
    let per = |secs: f64| frames as f64 / secs.max(1e-9);
    println!(
        "{:<28} {:>7} {:>7} {:>12.0} {:>12.0} {:>12.0} {:>9.2}",
        "total",
        frames,
        "",
        per(raster),
        per(encode),
        per(whole),
        whole
    );
    println!(
        "rasterizing alone {raster:.2} s, encoding alone {encode:.2} s, whole {whole:.2} s: the whole takes {:.0}% more than encoding alone",
        (whole / encode.max(1e-9) - 1.0) * 100.0
    );
    Ok(0)
}

fn report(args: ReportArgs) -> anyhow::Result<u8> {
    let (files, warnings) = results::load(&args.input.results)?;
    let table = Table::collate(files);
    let options = report::Options {
        metrics: args.metrics,
        all_runs: args.all_runs,
    };
    let text = Report::build(&table, &options).render(args.format);
    match &args.output {
        Some(path) => output::write_atomic(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(warn(&warnings, args.input.strict))
}

fn imported(done: bench::import::Imported) -> anyhow::Result<u8> {
    for path in &done.written {
        eprintln!("wrote {}", path.display());
    }
    for path in &done.skipped {
        eprintln!("already there: {}", path.display());
    }
    Ok(0)
}

/// Prints warnings; with `--strict` any warning makes the exit code 1.
fn warn(warnings: &[Warning], strict: bool) -> u8 {
    for w in warnings {
        eprintln!("warning: {w}");
    }
    if strict && !warnings.is_empty() {
        eprintln!("error: {} warnings and --strict was given", warnings.len());
        1
    } else {
        0
    }
}
