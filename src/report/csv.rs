//! The report as CSV: one line per (benchmark, metric), a column per GPU, NA left empty.

use super::{BenchmarkTable, MetricRow, Report};

pub fn render(report: &Report) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut columns: Option<&Vec<String>> = None;
    for section in &report.sections {
        for table in &section.benchmarks {
            // One header for the file; again only where the columns change (--all-runs).
            if columns != Some(&table.columns) {
                columns = Some(&table.columns);
                let mut header = vec![
                    "category",
                    "benchmark",
                    "family",
                    "metric",
                    "unit",
                    "direction",
                ];
                header.extend(table.columns.iter().map(String::as_str));
                let _ = w.write_record(&header);
            }
            for row in &table.rows {
                let _ = w.write_record(record(&section.category, table, row));
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn record(category: &str, table: &BenchmarkTable, row: &MetricRow) -> Vec<String> {
    let direction = row.direction.map(|d| d.word()).unwrap_or_default();
    let mut record = vec![
        category.to_string(),
        table.benchmark.clone(),
        table.family.clone(),
        row.metric.clone(),
        row.unit.clone(),
        direction.to_string(),
    ];
    record.extend(
        row.cells
            .iter()
            .map(|c| c.as_ref().map(|c| c.text.clone()).unwrap_or_default()),
    );
    record
}
