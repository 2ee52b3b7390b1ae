//! `render --timings`: where a batch's time went, as a table.

use std::fmt::Write;

use super::{Job, Outcome};
use crate::encode::OutputKind;

/// `render --timings`: per scene its threads, frames, the time spent rasterizing (summed over
/// its frame workers) and inside each encoder, and its wall time; in total the wall time and
/// how many of the run's threads the program kept busy (its CPU time over the wall time).
pub fn timings_table(job: &Job, outcome: &Outcome) -> String {
    let mut out = String::new();
    let v = &job.settings.video;
    let _ = writeln!(
        out,
        "{}x{} at {} fps, {} threads, MP4 encoder {}",
        v.width, v.height, v.fps, job.threads, job.mp4.encoder
    );
    let kinds: Vec<OutputKind> = OutputKind::ALL
        .into_iter()
        .filter(|k| job.formats.contains(k))
        .collect();
    let width = outcome
        .scenes
        .iter()
        .map(|s| s.scene.name.len())
        .max()
        .unwrap_or(0)
        .max(24);
    let mut header = format!(
        "{:<width$} {:>7} {:>7} {:>7} {:>9}",
        "scene", "threads", "frames", "unique", "raster s"
    );
    for kind in &kinds {
        header += &format!(" {:>9}", format!("{} s", kind.extension()));
    }
    let _ = writeln!(out, "{header} {:>9}", "wall s");
    let mut busy_by_kind = vec![0.0; kinds.len()];
    let (mut raster, mut frames) = (0.0, 0);
    for s in &outcome.scenes {
        let t = &s.timings;
        let mut line = format!(
            "{:<width$} {:>7} {:>7} {:>7} {:>9.2}",
            s.scene.name,
            s.threads,
            t.frames,
            t.unique_frames,
            t.rasterize.as_secs_f64()
        );
        for (k, kind) in kinds.iter().enumerate() {
            let busy: f64 = s
                .encoded
                .iter()
                .zip(&t.encode)
                .filter(|(e, _)| *e == kind)
                .map(|(_, d)| d.as_secs_f64())
                .sum();
            busy_by_kind[k] += busy;
            line += &format!(" {busy:>9.2}");
        }
        let _ = writeln!(out, "{line} {:>9.2}", t.wall.as_secs_f64());
        raster += t.rasterize.as_secs_f64();
        frames += t.frames;
    }
    let mut line = format!(
        "{:<width$} {:>7} {:>7} {:>7} {raster:>9.2}",
        "total", "", frames, ""
    );
    for busy in &busy_by_kind {
        line += &format!(" {busy:>9.2}");
    }
    let wall = outcome.wall.as_secs_f64();
    let _ = writeln!(out, "{line} {wall:>9.2}");
    let cpu = outcome.cpu.as_secs_f64();
    let _ = writeln!(
        out,
        "{wall:.2} s wall, {cpu:.2} s CPU: {:.1} of {} threads busy on average",
        cpu / wall.max(1e-9),
        job.threads
    );
    out
}
