//! `benchanim check` end to end: a scene that reads well passes, scenes built to read badly
//! fail with the problems they were built for, the JSON lists every element of every final
//! frame, and the shipped scenes are checked at every size in both themes.

mod common;

use std::collections::BTreeSet;

use common::benchanim;
use serde_json::Value;

const SCENES: &str = "tests/fixtures/check-scenes";
const RESULTS: &str = "tests/fixtures/results";

/// The four quality presets, vertical and square.
const DEFAULT_SIZES: [(u64, u64); 6] = [
    (854, 480),
    (1280, 720),
    (1920, 1080),
    (3840, 2160),
    (1080, 1920),
    (1080, 1080),
];

/// Exit code and standard output of `check` over the fixtures' scenes.
fn check(args: &[&str]) -> (i32, String) {
    let mut all = vec!["check", "--scenes", SCENES, "--results", RESULTS];
    all.extend(args);
    let out = benchanim(&all);
    let code = out.status.code().expect("exited");
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

fn json(args: &[&str]) -> (i32, Value) {
    let (code, out) = check(&[args, &["--format", "json"]].concat());
    (
        code,
        serde_json::from_str(&out).expect("check --format json gives JSON"),
    )
}

/// The kinds of problem in the text report, from lines `chart WxH theme: kind: message`.
fn kinds(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.split(": ").nth(1))
        .filter(|k| !k.contains(' '))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_scene_that_reads_well_passes_at_every_size_in_both_themes() {
    let (code, out) = check(&["clean"]);
    assert_eq!(
        out,
        "no problems in 12 layouts (1 chart × 6 sizes × 2 themes)\n"
    );
    assert_eq!(code, 0);
}

#[test]
fn forty_rows_of_long_labels_make_text_too_small_at_854x480() {
    let (code, out) = check(&["crowded", "-q", "l"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("crowded 854x480 dark+light: small_text: 40 row labels at "),
        "{out}"
    );
    assert_eq!(kinds(&out), BTreeSet::from(["small_text".to_string()]));
    assert!(
        out.ends_with("in 2 of 2 layouts (1 chart × 1 size × 2 themes): small_text 2\n"),
        "{out}"
    );
    // Upright, the labels go above the bars at full width and are cut short instead.
    let (_, upright) = check(&["crowded", "--resolution", "1080x1920", "--theme", "dark"]);
    assert!(
        upright.contains("crowded 1080x1920 dark: truncated: 40 row labels cut short"),
        "{upright}"
    );
}

#[test]
fn twelve_footer_lines_crush_the_plot() {
    let (code, out) = check(&["crushed", "-q", "h", "--theme", "dark"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        kinds(&out),
        BTreeSet::from(["small_plot".to_string(), "small_text".to_string()])
    );
    assert!(
        out.contains("crushed 1920x1080 dark: small_plot: the plot gets 12% of the frame's height"),
        "{out}"
    );
}

#[test]
fn a_pale_series_fails_contrast_on_white_only() {
    let out = benchanim(&[
        "check",
        "pale",
        "--scenes",
        SCENES,
        "--results",
        "tests/fixtures/sweep",
        "-q",
        "m",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        text,
        "pale 1280x720 light: low_contrast: 1 point label in #a68a00 on #ffffff: 3.36:1, under 4.5:1\n\
         1 problem in 1 of 2 layouts (1 chart × 1 size × 2 themes): low_contrast 1\n"
    );
}

#[test]
fn json_lists_every_element_of_the_final_frame_inside_it() {
    let (code, report) = json(&["clean"]);
    assert_eq!(code, 0);
    let charts = report["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 12);
    for chart in charts {
        assert_eq!(chart["chart"], "clean");
        assert!(chart["problems"].as_array().unwrap().is_empty());
        let (w, h) = (
            chart["width"].as_f64().unwrap(),
            chart["height"].as_f64().unwrap(),
        );
        let elements = chart["elements"].as_array().unwrap();
        let roles: BTreeSet<&str> = elements
            .iter()
            .map(|e| e["role"].as_str().unwrap())
            .collect();
        for role in [
            "title",
            "subtitle",
            "legend",
            "legend_key",
            "row_label",
            "bar",
            "value_label",
            "footer",
        ] {
            assert!(roles.contains(role), "{w}x{h}: no {role} in {roles:?}");
        }
        for e in elements {
            let b: Vec<f64> = e["box"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            assert!(
                b[0] >= 0.0
                    && b[1] >= 0.0
                    && b[2] <= w
                    && b[3] <= h
                    && b[0] <= b[2]
                    && b[1] <= b[3],
                "{w}x{h}: {e} leaves the frame"
            );
            let color = e["color"].as_str().unwrap();
            assert!(color.len() == 7 && color.starts_with('#'), "{e}");
            // Text has its size, marks have neither text nor size.
            assert_eq!(e["text"].is_string(), e["font_px"].is_number(), "{e}");
        }
        let titles = elements.iter().filter(|e| e["role"] == "title").count();
        assert_eq!(titles, 1);
    }
}

#[test]
fn json_of_a_failing_scene_lists_its_problems_by_kind() {
    let (code, report) = json(&["crushed", "-q", "l", "--theme", "light"]);
    assert_eq!(code, 1);
    let chart = &report["charts"][0];
    assert_eq!(
        (&chart["width"], &chart["height"], &chart["theme"]),
        (&Value::from(854), &Value::from(480), &Value::from("light"))
    );
    let kinds: BTreeSet<&str> = chart["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["small_plot", "small_text"]));
}

#[test]
fn the_shipped_scenes_are_checked_at_every_size_in_both_themes() {
    // The scenes in scenes/ over the tests' own copy of the results.
    let out = benchanim(&["check", "--all", "--results", RESULTS, "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let scenes: BTreeSet<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenes"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
            .collect();
    let mut seen = BTreeSet::new();
    let mut problems = 0;
    for chart in report["charts"].as_array().unwrap() {
        let key = (
            chart["chart"].as_str().unwrap().to_string(),
            chart["width"].as_u64().unwrap(),
            chart["height"].as_u64().unwrap(),
            chart["theme"].as_str().unwrap().to_string(),
        );
        assert!(!chart["elements"].as_array().unwrap().is_empty(), "{key:?}");
        problems += chart["problems"].as_array().unwrap().len();
        assert!(seen.insert(key.clone()), "{key:?} twice");
    }
    // Every scene (each chart of a `for_each` one) at every size in both themes.
    let charts: BTreeSet<&String> = seen.iter().map(|k| &k.0).collect();
    let bases: BTreeSet<String> = charts
        .iter()
        .map(|c| c.split('@').next().unwrap().to_string())
        .collect();
    assert_eq!(bases, scenes);
    for chart in &charts {
        for (w, h) in DEFAULT_SIZES {
            for theme in ["dark", "light"] {
                let key = (chart.to_string(), w, h, theme.to_string());
                assert!(seen.contains(&key), "{key:?} not checked");
            }
        }
    }
    assert_eq!(seen.len(), charts.len() * DEFAULT_SIZES.len() * 2);
    // Exit code 1 exactly when something was found; today, nothing is.
    assert_eq!(out.status.code(), Some(i32::from(problems > 0)));
    assert_eq!(problems, 0, "the shipped scenes read badly somewhere");
}

#[test]
fn scene_errors_are_errors_as_render_reports_them() {
    let out = benchanim(&[
        "check",
        "nonexistent",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let render = benchanim(&[
        "render",
        "nonexistent",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
    ]);
    assert_eq!(out.stderr, render.stderr);
    // A size render would refuse is refused before any work.
    let (code, _) = check(&["clean", "--resolution", "20x20"]);
    assert_eq!(code, 1);
}

/// `render` says what `check` would, as warnings, and renders all the same.
#[test]
fn render_warns_of_what_reads_badly() {
    let out = tempfile::tempdir().unwrap();
    let rendered = benchanim(&[
        "render",
        "crushed",
        "clean",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
        "-q",
        "l",
        "--format",
        "png",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&rendered.stderr);
    assert_eq!(rendered.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: crushed 854x480: small_plot: the plot gets 12%"),
        "{err}"
    );
    assert!(!err.contains("warning: clean"), "{err}");
    assert!(out.path().join("crushed.png").is_file());
}

/// A size out of range is refused before any work, naming the option as typed.
#[test]
fn a_size_out_of_range_names_the_option() {
    let out = benchanim(&[
        "check",
        "clean",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
        "--resolution",
        "10x10",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--resolution 10x10: the width 10 is out of range: 64 to 8192 pixels"),
        "{err}"
    );
}

/// A render prints the first five problems and counts the rest, so that many charts alike do
/// not bury what it wrote.
#[test]
fn render_counts_the_warnings_past_five() {
    let out = tempfile::tempdir().unwrap();
    let rendered = benchanim(&[
        "render",
        "--all",
        "--scenes",
        SCENES,
        "--results",
        RESULTS,
        "-q",
        "l",
        "--theme",
        "light",
        "--format",
        "png",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&rendered.stderr);
    assert_eq!(rendered.status.code(), Some(0), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(warnings.len(), 6, "{err}");
    assert_eq!(
        warnings[5],
        "warning: 1 more like these; `benchanim check` lists every one"
    );
}
