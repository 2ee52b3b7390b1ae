//! Scenes the size users write them, over hand-made results (tests/fixtures/stress/): long
//! names, many rows, series and panels. `benchanim check` finds nothing wrong with them at the
//! presets, upright and square, in both themes.

mod common;

use common::benchanim;

const SCENES: &str = "tests/fixtures/stress/scenes";
const RESULTS: &str = "tests/fixtures/stress/results";

fn check(scenes: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["check", "--scenes", SCENES, "--results", RESULTS];
    args.extend(scenes);
    let out = benchanim(&args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn user_sized_scenes_read_cleanly_at_every_size() {
    // Six annotated series with long names, raw metric ids, one compared metric, three series
    // of ten points on a scatter.
    let clean = [
        "stress_lines",
        "stress_raw_ids",
        "stress_single_compare",
        "stress_scatter",
    ];
    let (code, out) = check(&clean);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("no problems in 48 layouts (4 charts × 6 sizes × 2 themes)"),
        "{out}"
    );
}

#[test]
fn six_series_are_annotated_on_the_best_one_only() {
    let data = common::data_json("stress_lines", SCENES, RESULTS);
    let annotations = data["chart"]["annotations"]
        .as_array()
        .unwrap_or_else(|| panic!("{data:#}"));
    let texts: Vec<&str> = (annotations.iter())
        .map(|a| a["text"].as_str().unwrap())
        .collect();
    // Every series peaks at its last point, which its end label prints: only the knee of the
    // best one is called out.
    assert_eq!(texts, ["90% of its peak with 15 concurrent requests"]);
}

#[test]
fn compare_rows_named_by_metric_ids_read_as_people_say_them() {
    let data = common::data_json("stress_raw_ids", SCENES, RESULTS);
    let labels: Vec<&str> = (data["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{data:#}")))
    .iter()
    .map(|r| r["label"].as_str().unwrap())
    .collect();
    assert_eq!(
        labels,
        [
            "Output throughput (tok/s) ↑",
            "Input throughput (tok/s) ↑",
            "TTFT p50 (ms) ↓",
            "TPOT median (ms) ↓",
            "Total latency p99 (ms) ↓",
        ]
    );
}

#[test]
fn twelve_rows_with_a_footer_line_each_keep_the_largest_gap() {
    let data = common::data_json("stress_rows", SCENES, RESULTS);
    let footer = data["chart"]["footer"]
        .as_array()
        .unwrap_or_else(|| panic!("{data:#}"));
    assert_eq!(footer.len(), 1, "{footer:?}");
    let line = footer[0].as_str().unwrap();
    assert!(line.ends_with("(the largest of 12 rows)"), "{line}");
}
