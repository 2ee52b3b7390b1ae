//! The report as JSON, for programs: numbers as numbers, NA as null, values keyed by GPU.

use serde_json::{Map, Value, json};

use super::{BenchmarkTable, MetricRow, Report};

pub fn render(report: &Report) -> String {
    let sections: Vec<Value> = report
        .sections
        .iter()
        .map(|section| {
            let benchmarks: Vec<Value> = section.benchmarks.iter().map(table).collect();
            json!({ "category": section.category, "benchmarks": benchmarks })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "sections": sections })).unwrap_or_default();
    s.push('\n');
    s
}

fn table(table: &BenchmarkTable) -> Value {
    let metrics: Vec<Value> = table.rows.iter().map(|row| metric(table, row)).collect();
    let mut entry = json!({
        "benchmark": table.benchmark,
        "family": table.family,
        "config": fields(&table.config),
        "columns": table.columns,
        "metrics": metrics,
    });
    if !table.split_by.is_empty() {
        entry["split_by"] = json!(table.split_by);
    }
    let runs: Map<String, Value> = table
        .columns
        .iter()
        .zip(&table.column_runs)
        .map(|(column, &n)| (column.clone(), json!(n)))
        .collect();
    entry["runs"] = Value::Object(runs);
    if !table.column_config.is_empty() {
        let levels: Map<String, Value> = table
            .columns
            .iter()
            .zip(&table.column_config)
            .map(|(column, config)| (column.clone(), fields(config)))
            .collect();
        entry["column_config"] = Value::Object(levels);
    }
    entry
}

fn metric(table: &BenchmarkTable, row: &MetricRow) -> Value {
    let values: Map<String, Value> = table
        .columns
        .iter()
        .zip(&row.cells)
        .map(|(column, cell)| {
            let value = cell.as_ref().map_or(Value::Null, |c| json!(c.value));
            (column.clone(), value)
        })
        .collect();
    let best: Vec<&String> = row.best.iter().map(|&i| &table.columns[i]).collect();
    let mut metric = json!({
        "metric": row.metric,
        "unit": row.unit,
        "direction": row.direction,
        "values": values,
        "best": best,
    });
    if let Some(label) = &row.label {
        metric["label"] = json!(label);
    }
    metric
}

/// Config fields as a JSON object of strings.
fn fields(config: &[(String, String)]) -> Value {
    Value::Object(
        config
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}
