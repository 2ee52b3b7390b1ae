//! The table importer's own tests: cells, reading, grouping, names and times.

use std::path::Path;

use super::cell::{Cell, one_line};
use super::summary::{center_decimals, significant_decimals};
use super::template::{Piece, parse_template};
use super::time::parse_time;
use super::{GroupCenter, TableImport, TableRun, parse_table};

fn runs(text: &str, how: &TableImport) -> Result<Vec<TableRun>, String> {
    parse_table(
        Path::new("/data/results.csv"),
        text.as_bytes(),
        how,
        "20240101_000000",
    )
    .map_err(|e| e.to_string())
}

fn rows(run: &TableRun) -> Vec<(String, String, String, Option<String>)> {
    run.record
        .rows
        .iter()
        .map(|r| {
            (
                r.metric.clone(),
                r.value.to_text(),
                r.unit.clone(),
                r.section.clone(),
            )
        })
        .collect()
}

fn get(run: &TableRun, metric: &str) -> String {
    run.record
        .rows
        .iter()
        .find(|r| r.metric == metric)
        .map(|r| r.value.to_text())
        .unwrap_or_else(|| panic!("no {metric} in {:?}", rows(run)))
}

fn gpu() -> TableImport {
    TableImport {
        gpu: Some("G".into()),
        ..TableImport::default()
    }
}

#[test]
fn cells_are_typed_and_non_finite_ones_told_apart() {
    assert_eq!(Cell::of_text(" 1.50 "), Cell::Number(1.5, "1.50".into()));
    assert_eq!(Cell::of_text(""), Cell::Missing);
    assert_eq!(Cell::of_text("N/A"), Cell::Missing);
    assert_eq!(Cell::of_text("None"), Cell::Missing);
    assert_eq!(Cell::of_text("nan"), Cell::NonFinite("nan".into()));
    assert_eq!(
        Cell::of_text("-Infinity"),
        Cell::NonFinite("-Infinity".into())
    );
    assert_eq!(Cell::of_text("1e999"), Cell::NonFinite("1e999".into()));
    assert_eq!(Cell::of_text("True"), Cell::Bool(true));
    assert_eq!(
        Cell::of_text("llama-3.2-1b"),
        Cell::Text("llama-3.2-1b".into())
    );
}

#[test]
fn text_columns_are_config_and_number_columns_metrics() {
    let runs = runs("model,batch_size,latency_ms\nm,4,12.5\n", &gpu()).unwrap();
    assert_eq!(runs.len(), 1);
    let r = rows(&runs[0]);
    assert!(r.contains(&("model".into(), "m".into(), "".into(), None)));
    assert!(r.contains(&("batch_size".into(), "4".into(), "".into(), None)));
    assert!(r.contains(&("latency_ms".into(), "12.5".into(), "ms".into(), None)));
    assert_eq!(runs[0].record.family, "results");
    assert_eq!(runs[0].record.benchmark, "results_m");
}

#[test]
fn means_get_a_decimal_more_and_the_stdev_three_digits() {
    let how = TableImport {
        group_by: vec!["model".into()],
        ..gpu()
    };
    let text = "model,latency\na,1.0\na,1.2\na,1.4\na,1.6\na,1.8\n";
    let run = &runs(text, &how).unwrap()[0];
    assert_eq!(get(run, "latency"), "1.40");
    assert_eq!(get(run, "latency_stdev"), "0.316");
    assert_eq!(get(run, "latency_min"), "1.0");
    assert_eq!(get(run, "latency_n"), "5");
    assert_eq!(get(run, "runs"), "5");
    let how = TableImport {
        aggregate: Some(GroupCenter::Median),
        ..how
    };
    let run = &runs("model,x\na,1\na,2\na,10\na,20\n", &how).unwrap()[0];
    assert_eq!(get(run, "x"), "6.0");
    assert_eq!(center_decimals(16, 2.345_678_901_234), 6);
    assert_eq!(center_decimals(16, 0.000_012_345_678), 8);
    assert_eq!(significant_decimals(1234.5, 3), 0);
}

#[test]
fn keys_that_become_one_column_are_refused() {
    let err = runs(
        "{\"x.y\": 1, \"x\": {\"y\": 2}, \"model\": \"m\"}\n",
        &gpu(),
    )
    .unwrap_err();
    assert!(
        err.starts_with("line 1: two keys become the column `x.y`"),
        "{err}"
    );
}

#[test]
fn a_bad_cell_is_named_by_line_and_column() {
    let err = runs("model,latency\na,1.0\na,fast\n", &gpu()).unwrap_err();
    assert!(
        err.starts_with("line 3, column 2 (`latency`): `fast` is not a number"),
        "{err}"
    );
    let err = runs("model,latency\na,1.0\na,NaN\n", &gpu()).unwrap_err();
    assert_eq!(
        err,
        "line 3, column 2 (`latency`): `NaN` is not a finite number"
    );
    let err = runs("model,latency\na,1.0,3\n", &gpu()).unwrap_err();
    assert_eq!(err, "line 2: 3 cells where the header has 2 columns");
    let err = runs(
        "a,b,c,d,e,f\n1,\"x,3,4,5,6\n2,y,3,4,5,6\n3,z,3,4,5,6\n",
        &gpu(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        "line 2, column 2: a quote (`\"`) opens a cell that runs on to line 4; close the quote, or remove it"
    );
    // A cell that holds line breaks in closed quotes is fine.
    assert!(runs("model,x\n\"a\nb\nc\",1\nd,2\n", &gpu()).is_ok());
    let err = runs("{\"a\": 1}\n{\"a\": \"x\", \"b\": [1]}\n", &gpu()).unwrap_err();
    assert!(err.starts_with("line 2, key `b`: a list"), "{err}");
}

#[test]
fn json_lines_nested_objects_and_arrays_are_rows() {
    let text = "{\"model\": \"m\", \"stats\": {\"tps\": 5}}\n\n{\"model\": \"n\", \"stats\": {\"tps\": 7.5}}\n";
    let lines = runs(text, &gpu()).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(get(&lines[1], "stats.tps"), "7.5");
    assert_eq!(get(&lines[1], "source_line"), "3");
    let items = runs("[{\"x\": 1}, {\"x\": 2}]", &gpu()).unwrap();
    assert_eq!(items.len(), 2);
    assert_ne!(items[0].sha256, items[1].sha256);
}

#[test]
fn tab_separated_values_are_a_table_too() {
    let runs = runs("model\tlatency_s\nm\t1.5\n", &gpu()).unwrap();
    assert_eq!(get(&runs[0], "latency_s"), "1.5");
}

#[test]
fn equal_rows_stay_two_runs() {
    let runs = runs("model,x\nm,1\nm,1\n", &gpu()).unwrap();
    assert_ne!(runs[0].sha256, runs[1].sha256);
}

#[test]
fn templates_and_times() {
    assert_eq!(
        parse_template("{model}-tp{TP}").unwrap(),
        [
            Piece::Field("model".into()),
            Piece::Text("-tp".into()),
            Piece::Field("TP".into())
        ]
    );
    assert!(parse_template("{model").is_err());
    assert!(parse_template("model}").is_err());
    assert_eq!(
        parse_time("20240101_010203").as_deref(),
        Some("20240101_010203")
    );
    assert_eq!(
        parse_time("20240101-010203").as_deref(),
        Some("20240101_010203")
    );
    assert_eq!(
        parse_time("2024-01-01 01:02:03.5").as_deref(),
        Some("20240101_010203")
    );
    assert_eq!(parse_time("yesterday"), None);
}

#[test]
fn one_line_joins_lines() {
    assert_eq!(one_line("a\r\nb \n\n c"), "a b c");
    assert_eq!(one_line("plain"), "plain");
}
