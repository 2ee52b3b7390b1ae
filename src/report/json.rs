//! The report as JSON, for programs: numbers as numbers, NA as null, values keyed by GPU.

use serde_json::{Map, Value, json};

use super::Report;

pub fn render(report: &Report) -> String {
    let sections: Vec<Value> = report
        .sections
        .iter()
        .map(|section| {
            let benchmarks: Vec<Value> = section
                .benchmarks
                .iter()
                .map(|table| {
                    let config: Map<String, Value> = table
                        .config
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect();
                    let metrics: Vec<Value> = table
                        .rows
                        .iter()
                        .map(|row| {
                            let values: Map<String, Value> = table
                                .columns
                                .iter()
                                .zip(&row.cells)
                                .map(|(column, cell)| {
                                    (
                                        column.clone(),
                                        cell.as_ref().map_or(Value::Null, |c| json!(c.value)),
                                    )
                                })
                                .collect();
                            let best: Vec<&String> =
                                row.best.iter().map(|&i| &table.columns[i]).collect();
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
                        })
                        .collect();
                    let mut entry = json!({
                        "benchmark": table.benchmark,
                        "family": table.family,
                        "config": config,
                        "columns": table.columns,
                        "metrics": metrics,
                    });
                    if !table.column_config.is_empty() {
                        let levels: Map<String, Value> = table
                            .columns
                            .iter()
                            .zip(&table.column_config)
                            .map(|(column, fields)| {
                                let fields: Map<String, Value> =
                                    fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                                (column.clone(), Value::Object(fields))
                            })
                            .collect();
                        entry["column_config"] = Value::Object(levels);
                    }
                    entry
                })
                .collect();
            json!({ "category": section.category, "benchmarks": benchmarks })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "sections": sections })).unwrap_or_default();
    s.push('\n');
    s
}
