//! Hostile scene files: odd kinds of file, names that are paths, numbers out of range, and
//! random values in every field. Each gets a clear error or a chart, never a panic or a hang.

mod common;

use std::cell::Cell;
use std::ops::RangeBounds;
use std::path::Path;

use benchanim::encode::VideoSettings;
use benchanim::render::{RenderSettings, Theme, final_frame, layout};
use benchanim::results::{Table, load};
use benchanim::scene::{MAX_ANIMATION_SECONDS, load_charts, load_scene, resolve, scan_scenes};
use benchanim::timeline::Timeline;
use proptest::collection::vec;
use proptest::prelude::any;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const GOOD: &str = r##"title = "t"
subtitle = "s"
metric = "input_token_throughput"

[[series]]
label = "GB10"
gpu = "NVIDIA_GB10"

[[rows]]
label = "m"
benchmark = "vLLM_gpt_oss_20b_text_only_samples_100"
"##;

fn error(dir: &Path, name: &str) -> String {
    format!("{:#}", load_scene(dir, name).expect_err("should not load"))
}

#[test]
fn names_are_names_not_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.toml"), GOOD).unwrap();
    for name in [
        "../ok",
        "/etc/passwd",
        "a/b",
        ".hidden",
        "",
        "a\\b",
        "x\u{1b}[31m",
    ] {
        let e = error(dir.path(), name);
        assert!(e.contains("is not a scene name"), "{name:?}: {e}");
        assert!(!e.contains('\u{1b}'), "escape echoed: {e:?}");
    }
    let out = common::benchanim(&["render", "../../elsewhere/x", "--out", "target/tmp/escape"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a scene name"));
}

#[cfg(unix)]
#[test]
fn odd_files_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("ok.toml"), GOOD).unwrap();
    std::fs::create_dir(d.join("folder.toml")).unwrap();
    let fifo = std::ffi::CString::new(d.join("fifo.toml").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink(d.join("loop.toml"), d.join("loop.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.toml")).unwrap();
    std::fs::write(d.join("big.toml"), vec![b'#'; 2 << 20]).unwrap();

    assert!(error(d, "folder").contains("is a folder"));
    assert!(error(d, "fifo").contains("not a regular file"));
    assert!(error(d, "zero").contains("not a regular file"));
    assert!(error(d, "loop").contains("cannot read scene file"));
    let big = error(d, "big");
    assert!(big.contains("at most 1 MiB") && big.len() < 300, "{big}");

    // Listing skips them, saying why, and keeps the good scene.
    let (names, odd) = scan_scenes(d).unwrap();
    assert_eq!(names, ["big", "ok"]);
    assert_eq!(odd.len(), 4, "{odd:?}");
    let out = common::benchanim(&["list", "--scenes", d.to_str().unwrap()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fifo.toml` is not a regular file"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("ok ") && l.ends_with(" t")),
        "{stdout}"
    );
}

#[test]
fn numbers_out_of_range_name_the_key_and_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[format]\ndecimals = 65536\n",
            "format.decimals = 65536 is out of range: 0 to 10",
        ),
        (
            "[timing]\nhold = 1e12\n",
            "timing.hold = 1e12 is out of range: 0 to 600",
        ),
        (
            "[timing]\nbars = -1.0\n",
            "timing.bars = -1 is out of range",
        ),
        (
            "[timing]\nbars = nan\n",
            "timing.bars = NaN is out of range",
        ),
        (
            "[timing]\nbars = 500.0\nhold = 500.0\n",
            "an animation is at most 600 s",
        ),
    ];
    for (extra, expected) in cases {
        std::fs::write(dir.path().join("s.toml"), format!("{GOOD}\n{extra}")).unwrap();
        let e = error(dir.path(), "s");
        assert!(e.contains(expected), "{extra}: {e}");
    }
}

fn table() -> Table {
    table_of(&["tests/fixtures/results"])
}

/// Valid TOML with random values in every field: each scene loads and draws, or is refused
/// with an error, within bounds.
#[test]
fn random_scenes_never_panic_or_hang() {
    let table = table();
    // (metric, benchmarks that have it), so that most random scenes are coherent.
    let mut by_metric: Vec<(String, Vec<&str>)> = Vec::new();
    for b in &table.benchmarks {
        for m in b.headline_metrics(&table.catalog) {
            match by_metric.iter_mut().find(|(x, _)| *x == m) {
                Some((_, ids)) => ids.push(&b.id),
                None => by_metric.push((m, vec![&b.id])),
            }
        }
    }
    draw_random_scenes(&table, 150, |rng| random_scene(rng, &by_metric));
}

fn random_scene(rng: &mut Choices, by_metric: &[(String, Vec<&str>)]) -> String {
    let text = |rng: &mut Choices| -> String {
        let pool = [
            "",
            "x",
            "GB10",
            "a very long label that goes on and on and on and on and on and on",
            "ünïcödé → ✓",
            "{fastest} is {ratio}× faster than {slowest}",
            "{row}: {fastest}",
            "\"quoted\" \\ back",
            "漢字",
            "🚀",
        ];
        pool[rng.random_range(0..pool.len())].to_string()
    };
    let number = |rng: &mut Choices| -> String {
        let pool = [
            "0.0", "0.5", "2.0", "-1.0", "1e300", "nan", "inf", "-0.0", "599.0", "1e-300",
        ];
        pool[rng.random_range(0..pool.len())].to_string()
    };
    let (metric, benchmarks) = &by_metric[rng.random_range(0..by_metric.len())];
    let metric = if rng.random_bool(0.05) {
        "no_such_metric"
    } else {
        metric
    };
    let gpus = ["NVIDIA_GB10", "NVIDIA_GeForce_RTX_4090", "NVIDIA_H100"];
    let mut s = format!(
        "title = {:?}\nsubtitle = {:?}\nmetadata = [{:?}]\nfooter = [{:?}, {:?}]\nmetric = {:?}\n",
        text(rng),
        text(rng),
        text(rng),
        text(rng),
        text(rng),
        metric,
    );
    if rng.random_bool(0.3) {
        let d = ["\"higher\"", "\"lower\"", "\"sideways\""];
        s += &format!(
            "direction = {}\n",
            d[rng.random_range(0..d.len()) * usize::from(rng.random_bool(0.3))]
        );
    }
    // Compare charts and deltas, with the keys that go with them.
    if rng.random_bool(0.25) {
        s += "kind = \"compare\"\n";
    } else if rng.random_bool(0.2) {
        s += "delta = true\n";
        let scales = ["\"row\"", "\"chart\"", "\"log\""];
        s += &format!("scale = {}\n", scales[rng.random_range(0..scales.len())]);
    }
    if rng.random_bool(0.2) {
        let sorts = [
            "\"value\"",
            "\"label\"",
            "\"delta\"",
            "\"none\"",
            "\"size\"",
        ];
        s += &format!("sort = {}\n", sorts[rng.random_range(0..sorts.len())]);
    }
    let compare_table = rng.random_bool(0.2).then(|| {
        let forms = ["\"percent\"", "\"ratio\"", "\"delta\""];
        let colors = ["\"#ffdd00\"", "\"#000000\"", "\"#ffffff\"", "\"nope\""];
        format!(
            "\n[compare]\ndelta = {}\nneutral_band = {}\nbetter = {}\n",
            forms[rng.random_range(0..forms.len())],
            number(rng),
            colors[rng.random_range(0..colors.len())]
        )
    });
    let series = rng
        .random_range(0..4)
        .max(usize::from(rng.random_bool(0.9)));
    for _ in 0..series {
        s += &format!(
            "\n[[series]]\nlabel = {:?}\ngpu = {:?}\n",
            text(rng),
            gpus[rng.random_range(0..gpus.len()) * usize::from(rng.random_bool(0.3))]
        );
        if rng.random_bool(0.5) {
            let colors = ["#ff7f0e", "#000000", "#ffffff", "nope", "#12345"];
            let pick = rng.random_range(0..colors.len()) * usize::from(rng.random_bool(0.3));
            s += &format!("color = {:?}\n", colors[pick]);
        }
    }
    let rows = rng
        .random_range(0..40)
        .max(usize::from(rng.random_bool(0.9)));
    for _ in 0..rows {
        let benchmark = if rng.random_bool(0.02) {
            "no_such_benchmark"
        } else {
            benchmarks[rng.random_range(0..benchmarks.len())]
        };
        s += &format!(
            "\n[[rows]]\nlabel = {:?}\nbenchmark = {benchmark:?}\n",
            text(rng)
        );
    }
    if let Some(table) = compare_table {
        s += &table;
    }
    // Panels and charts per configuration.
    for _ in 0..rng.random_range(0..3) * usize::from(rng.random_bool(0.2)) {
        let (m, _) = &by_metric[rng.random_range(0..by_metric.len())];
        s += &format!("\n[[panels]]\ntitle = {:?}\nmetric = {m:?}\n", text(rng));
    }
    if rng.random_bool(0.1) {
        let fields = ["\"max_concurrency\"", "\"model\"", "\"nope\""];
        s = format!(
            "for_each = [{}]\n{s}",
            fields[rng.random_range(0..fields.len())]
        );
    }
    if rng.random_bool(0.5) {
        let decimals = [0, 2, 10, 11, 65536];
        let pick = rng.random_range(0..decimals.len()) * usize::from(rng.random_bool(0.3));
        s += &format!(
            "\n[format]\ndecimals = {}\nsuffix = {:?}\n",
            decimals[pick],
            text(rng)
        );
    }
    if rng.random_bool(0.5) {
        s += "\n[timing]\n";
        for key in ["title", "bars", "hold", "wait"] {
            if rng.random_bool(0.2) {
                s += &format!("{key} = {}\n", number(rng));
            }
        }
    }
    s
}

/// Line and scatter scenes with random values in their keys, over sweeps and repeated runs:
/// each loads and draws, or is refused with an error, within bounds.
#[test]
fn random_line_and_scatter_scenes_never_panic_or_hang() {
    let table = table_of(&["tests/fixtures/sweep", "tests/fixtures/repeats"]);
    draw_random_scenes(&table, 150, random_curve_scene);
}

/// The results in `folders`, collated.
fn table_of(folders: &[&str]) -> Table {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in folders {
        files.extend(load(&root.join(folder)).unwrap().0);
    }
    Table::collate(files)
}

/// The choices a random scene is made of, drawn by proptest so that a failing scene shrinks to
/// a small one: every choice shrinks towards 0, which picks the first (a sound) entry of its
/// pool and says no to each rare twist; choices past the end are 0.
struct Choices {
    values: Vec<u32>,
    next: usize,
}

impl Choices {
    fn take(&mut self) -> u32 {
        let value = self.values.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        value
    }

    /// A number in `range`.
    fn random_range(&mut self, range: impl RangeBounds<usize>) -> usize {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let low = match range.start_bound() {
            Included(&n) => n,
            Excluded(&n) => n + 1,
            Unbounded => 0,
        };
        let high = match range.end_bound() {
            Included(&n) => n + 1,
            Excluded(&n) => n,
            Unbounded => usize::MAX,
        };
        low + self.take() as usize % (high - low).max(1)
    }

    /// True with probability `p`; a choice of 0 is false.
    fn random_bool(&mut self, p: f64) -> bool {
        f64::from(self.take()) / (f64::from(u32::MAX) + 1.0) >= 1.0 - p
    }
}

/// Most choices one scene is made of.
const MAX_CHOICES: usize = 400;

/// Draws `cases` scenes from `scene` over `table` (the same ones every run): each draws or
/// is refused within bounds, and enough of each happen for the test to mean something. A
/// failure is shrunk to the smallest scene that still fails, and that scene is shown.
fn draw_random_scenes(table: &Table, cases: u32, scene: impl Fn(&mut Choices) -> String) {
    let dir = tempfile::tempdir().unwrap();
    let (drawn, refused) = (Cell::new(0), Cell::new(0));
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let outcome = runner.run(&vec(any::<u32>(), MAX_CHOICES), |values| {
        let text = scene(&mut Choices { values, next: 0 });
        std::fs::write(dir.path().join("r.toml"), &text).unwrap();
        match draw_within_bounds(dir.path(), table, &text) {
            Ok(()) => drawn.set(drawn.get() + 1),
            Err(_) => refused.set(refused.get() + 1),
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let (drawn, refused) = (drawn.get(), refused.get());
    assert!(
        drawn > 20 && refused > 20,
        "drawn {drawn}, refused {refused}"
    );
}

/// Most elements a scene of these tests lays out: rows, series and panels are bounded, and so
/// is the work of drawing each frame.
const MAX_ELEMENTS: usize = 4000;

/// Loads, resolves and draws the scene `r` in `dir` at a small size: no panic, work bounded
/// (elements laid out, seconds animated), and an error of reasonable length if it is refused.
fn draw_within_bounds(dir: &Path, table: &Table, text: &str) -> Result<(), String> {
    let settings = RenderSettings {
        video: VideoSettings {
            width: 320,
            height: 180,
            fps: 15,
        },
        theme: Theme::Dark,
        fadeout: false,
        transparent: false,
    };
    let outcome = std::panic::catch_unwind(|| -> anyhow::Result<()> {
        // A `for_each` scene is each of its charts.
        for (_, scene) in load_charts(dir, "r", table)?.charts {
            let (chart, _) = resolve(&scene, table)?;
            let elements = layout(&chart, 320, 180).elements.len();
            assert!(elements <= MAX_ELEMENTS, "{elements} elements:\n{text}");
            let seconds = Timeline::new(&chart, &chart.durations, false).duration();
            assert!(seconds <= MAX_ANIMATION_SECONDS, "{seconds} s:\n{text}");
            final_frame(&chart, &settings)?;
        }
        Ok(())
    });
    let outcome = outcome.unwrap_or_else(|_| panic!("this scene panicked:\n{text}"));
    outcome.map_err(|e| {
        let e = format!("{e:#}");
        if std::env::var_os("SHOW").is_some() {
            println!("{e}");
        }
        assert!(e.len() < 2000, "an error of {} bytes", e.len());
        e
    })
}

fn random_curve_scene(rng: &mut Choices) -> String {
    // Mostly sound picks; the last of each pool is a wrong one, picked now and then.
    fn pick<'a>(rng: &mut Choices, pool: &[&'a str]) -> &'a str {
        if rng.random_bool(0.06) {
            pool[pool.len() - 1]
        } else {
            pool[rng.random_range(0..pool.len() - 1)]
        }
    }
    let benchmark = pick(
        rng,
        &[
            "vLLM_gpt_oss_20b_text_only_samples_100",
            "llm_on_ray_llama_2_7b_chat_hf_choice3",
            "no_such_benchmark",
        ],
    );
    let vllm = benchmark.starts_with("vLLM");
    let metrics: &[&str] = if vllm {
        &[
            "output_token_throughput",
            "tpot_median",
            "ttft_median",
            "total_generated_tokens",
            "no_such_metric",
        ]
    } else {
        &["output_token_throughput", "tpot_mean", "no_such_metric"]
    };
    let natural = if vllm {
        "max_concurrency"
    } else {
        "batch_size"
    };
    let fields = [
        natural,
        natural,
        natural,
        "max_concurrency",
        "input_len",
        "iteration",
        "timestamp",
        "model",
        "no_such_field",
    ];
    let texts = [
        "",
        "x",
        "a very long label that goes on and on and on and on and on and on",
        "{value} at {x} {x_label}",
        "c={max_concurrency}",
        "{series}: peak {peak} at {peak_x}",
        "{fastest} is {ratio}× faster at {x}",
        "漢字 🚀",
        "{percent} of {nothing}",
    ];
    let line = rng.random_bool(0.5);
    let mut s = format!(
        "kind = {:?}\ntitle = {:?}\nsubtitle = {:?}\nbenchmark = {benchmark:?}\nmetric = {:?}\n",
        if line { "line" } else { "scatter" },
        pick(rng, &texts),
        pick(rng, &texts),
        pick(rng, metrics),
    );
    // A key's line, when the coin says so.
    fn maybe(s: &mut String, coin: bool, line: String) {
        if coin {
            *s += &line;
            *s += "\n";
        }
    }
    if line {
        let scale = pick(
            rng,
            &[
                "",
                ", scale = \"log2\"",
                ", scale = \"category\"",
                ", scale = \"cubic\"",
            ],
        );
        maybe(
            &mut s,
            rng.random_bool(0.9),
            format!("x = {{ field = {:?}{scale} }}", pick(rng, &fields)),
        );
        let annotate = pick(
            rng,
            &["[]", "[\"peak\"]", "[\"peak\", \"knee\"]", "[\"top\"]"],
        );
        maybe(
            &mut s,
            rng.random_bool(0.6),
            format!("annotate = {annotate}"),
        );
        let fraction = pick(rng, &["0.5", "0.9", "1.0", "nan"]);
        maybe(
            &mut s,
            rng.random_bool(0.3),
            format!("knee_fraction = {fraction}"),
        );
        maybe(
            &mut s,
            rng.random_bool(0.3),
            format!("peak_label = {:?}", pick(rng, &texts)),
        );
        maybe(
            &mut s,
            rng.random_bool(0.3),
            format!("knee_label = {:?}", pick(rng, &texts)),
        );
    } else {
        maybe(
            &mut s,
            rng.random_bool(0.9),
            format!("x_metric = {:?}", pick(rng, metrics)),
        );
        maybe(
            &mut s,
            rng.random_bool(0.9),
            format!("order = {:?}", pick(rng, &fields)),
        );
        maybe(
            &mut s,
            rng.random_bool(0.5),
            format!("point_label = {:?}", pick(rng, &texts)),
        );
        let bool = pick(rng, &["true", "false", "\"yes\""]);
        maybe(&mut s, rng.random_bool(0.5), format!("frontier = {bool}"));
        maybe(&mut s, rng.random_bool(0.3), format!("connect = {bool}"));
        maybe(
            &mut s,
            rng.random_bool(0.3),
            format!("x_from_zero = {bool}"),
        );
        let direction = pick(rng, &["higher", "lower", "sideways"]);
        maybe(
            &mut s,
            rng.random_bool(0.3),
            format!("x_direction = {direction:?}"),
        );
        maybe(
            &mut s,
            rng.random_bool(0.3),
            format!("x = {{ label = {:?} }}", pick(rng, &texts)),
        );
    }
    let labels = pick(rng, &["all", "last", "none", "some"]);
    maybe(
        &mut s,
        rng.random_bool(0.3),
        format!("point_labels = {labels:?}"),
    );
    maybe(
        &mut s,
        rng.random_bool(0.3),
        format!("y_from_zero = {}", pick(rng, &["true", "false", "0"])),
    );
    maybe(
        &mut s,
        rng.random_bool(0.3),
        format!("footer = [{:?}]", pick(rng, &texts)),
    );
    let direction = pick(rng, &["higher", "lower", "sideways"]);
    maybe(
        &mut s,
        rng.random_bool(0.3),
        format!("direction = {direction:?}"),
    );
    let aggregate = pick(rng, &["newest", "mean", "median", "min", "max", "sum"]);
    maybe(
        &mut s,
        rng.random_bool(0.3),
        format!("aggregate = {aggregate:?}"),
    );
    let spread = pick(rng, &["minmax", "stdev", "iqr"]);
    maybe(&mut s, rng.random_bool(0.3), format!("spread = {spread:?}"));
    let pin = pick(
        rng,
        &[
            "max_concurrency = 8",
            "max_concurrency = [1, 64]",
            "iteration = 2",
            "no_such_field = true",
        ],
    );
    maybe(&mut s, rng.random_bool(0.2), format!("where = {{ {pin} }}"));
    if rng.random_bool(0.3) {
        let field = pick(rng, &["gpu", "gpu", "benchmark", "no_such_field"]);
        s += &format!("series_from = {{ field = {field:?} }}\n");
    } else {
        let gpus: &[&str] = if vllm {
            &["NVIDIA_GB10", "NVIDIA_GeForce_RTX_4090", "NVIDIA_H100"]
        } else {
            &["NVIDIA_GB10", "NVIDIA_H100"]
        };
        for _ in 0..rng.random_range(1..4) {
            s += &format!(
                "\n[[series]]\nlabel = {:?}\ngpu = {:?}\n",
                pick(rng, &texts),
                pick(rng, gpus)
            );
        }
    }
    if rng.random_bool(0.2) {
        s += "\n[timing]\n";
        for key in ["axes", "lines", "annotations", "hold"] {
            if rng.random_bool(0.3) {
                let seconds = pick(rng, &["0.0", "0.5", "2.0", "-1.0"]);
                s += &format!("{key} = {seconds}\n");
            }
        }
    }
    s
}

/// Titles and labels are the scene author's text: `list` and `data` print their control
/// characters escaped, never as terminal commands.
#[test]
fn titles_and_labels_print_without_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let scene = GOOD
        .replace("title = \"t\"", "title = \"t\\u001b[2J\\u0007\"")
        .replace("label = \"m\"", "label = \"m\\u001b]0;x\\u0007\"");
    std::fs::write(dir.path().join("s.toml"), scene).unwrap();
    let scenes = dir.path().to_str().unwrap();
    let list = common::stdout(&["list", "--scenes", scenes]);
    assert_eq!(list, "s  t\\u{1b}[2J\\u{7}\n");
    let data = common::stdout(&[
        "data",
        "s",
        "--scenes",
        scenes,
        "--results",
        "tests/fixtures/results",
    ]);
    assert!(
        !data.contains('\u{1b}') && !data.contains('\u{7}'),
        "{data:?}"
    );
    assert!(data.contains("m\\u{1b}]0;x\\u{7}"), "{data}");
}

#[test]
fn errors_and_warnings_echo_no_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let scene = GOOD.replace("title = \"t\"", "title = \"t\"\ndirection = \"\\u001b[2J\"");
    std::fs::write(dir.path().join("s.toml"), scene).unwrap();
    let results = dir.path().join("results/NVIDIA_GB10");
    std::fs::create_dir_all(&results).unwrap();
    std::fs::write(
        results.join("x_NVIDIA_GB10_y_20260101_000000.csv"),
        "metric,value,unit\ntotal_time,\u{1b}]0;pwned\u{7},s\n",
    )
    .unwrap();
    let out = common::benchanim(&[
        "data",
        "s",
        "--scenes",
        dir.path().to_str().unwrap(),
        "--results",
        dir.path().join("results").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("warning:") && stderr.contains("error:"),
        "{stderr}"
    );
    assert!(stderr.contains("\\u{1b}"), "{stderr}");
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr:?}"
    );
}

#[test]
fn row_and_series_may_not_want_different_values() {
    let dir = tempfile::tempdir().unwrap();
    let scene = GOOD
        .replace("gpu = \"NVIDIA_GB10\"", "gpu = \"NVIDIA_GB10\"\nwhere = { max_concurrency = 1 }")
        .replace(
            "benchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"",
            "benchmark = \"vLLM_gpt_oss_20b_text_only_samples_100\"\nwhere = { max_concurrency = [10, 64] }",
        );
    std::fs::write(dir.path().join("w.toml"), scene).unwrap();
    let scene = load_scene(dir.path(), "w").unwrap();
    let e = format!("{:#}", resolve(&scene, &table()).unwrap_err());
    assert!(
        e.contains("where.max_concurrency: the row pins `[10, 64]` and the series pins `1`"),
        "{e}"
    );
}

/// Timelines (`x = { section = … }`) with random keys over tenants' series sections, the
/// fixture experiments' iterations and the measured trio's requests: each draws or is refused
/// within bounds.
#[test]
fn random_timeline_scenes_never_panic_or_hang() {
    let table = table_of(&[
        "tests/fixtures/multitenant-results",
        "examples/multitenant-cpu/benchmark_results",
    ]);
    draw_random_scenes(&table, 120, random_timeline_scene);
}

fn random_timeline_scene(rng: &mut Choices) -> String {
    fn pick<'a>(rng: &mut Choices, pool: &[&'a str]) -> &'a str {
        pool[rng.random_range(0..pool.len())]
    }
    let (gpu, benchmarks, section, pin) = if rng.random_bool(0.5) {
        (
            "NVIDIA_A100_SXM4_40GB",
            &[
                "multitenant_Mistral_7B_Instruct_v0_2_b8_L128",
                "multitenant_Llama_3_2_1B_b8_L128",
                "multitenant_distilgpt2_b8_L128",
            ][..],
            "latency_ms",
            pick(
                rng,
                &[
                    "experiment = \"2_a_1_b\"",
                    "experiment = [\"2_a_1_b\", \"mps_2_a_1_b\"]",
                    "mps = true",
                    "tenants = 3",
                    "experiment = \"none_such\"",
                ],
            ),
        )
    } else {
        (
            "CPU_2core",
            &["llama_cpp_SmolLM2_135M_Instruct_Q4_1_text_only_samples_32"][..],
            "e2el_ms",
            pick(
                rng,
                &[
                    "tenants = 3",
                    "solo = true",
                    "tenant = \"chat\"",
                    "tenants = 9",
                ],
            ),
        )
    };
    let section = if rng.random_bool(0.9) {
        section
    } else {
        pick(rng, &["latency_ms", "e2el_ms", "no_such_section"])
    };
    let by = pick(
        rng,
        &[
            "",
            ", by = \"iteration\"",
            ", by = \"time\"",
            ", by = \"tokens\"",
        ],
    );
    let label = pick(rng, &["", ", label = \"Iteration\"", ", label = \"\""]);
    let mut s = format!(
        "kind = \"line\"\ntitle = \"Tenants\"\nsubtitle = \"\"\ngpu = {gpu:?}\nx = {{ section = {section:?}{by}{label} }}\n"
    );
    if rng.random_bool(0.7) {
        s += &format!("where = {{ {pin} }}\n");
    }
    for (key, pool) in [
        (
            "metric",
            &["\"latency_ms\"", "\"e2el_ms\"", "\"latency_p99_ms\""][..],
        ),
        (
            "annotate",
            &["[]", "[\"peak\"]", "[\"peak\", \"knee\"]"][..],
        ),
        ("point_labels", &["\"all\"", "\"last\"", "\"none\""][..]),
        ("aggregate", &["\"newest\"", "\"mean\"", "\"max\""][..]),
        ("spread", &["\"minmax\"", "\"stdev\""][..]),
        ("y_from_zero", &["true", "false"][..]),
        ("direction", &["\"lower\"", "\"higher\""][..]),
    ] {
        if rng.random_bool(0.25) {
            s += &format!("{key} = {}\n", pick(rng, pool));
        }
    }
    if rng.random_bool(0.4) {
        let field = pick(rng, &["tenant", "experiment", "mps", "no_such_field"]);
        s += &format!("benchmark = {:?}\n", pick(rng, benchmarks));
        s += &format!("series_from = {{ field = {field:?} }}\n");
    } else {
        for _ in 0..rng.random_range(1..=4) {
            s += &format!(
                "[[series]]\nlabel = \"s\"\nbenchmark = {:?}\n",
                pick(rng, benchmarks)
            );
            if rng.random_bool(0.5) {
                s += &format!("where = {{ {pin} }}\n");
            }
        }
    }
    s
}
