//! A table's runs, by its plan: one per row or per group of rows, each with the GPU, the time,
//! the config, the metrics (a group's with their spread), its name and its identity.

use std::collections::HashMap;

use super::cell::{At, Cell, one_line};
use super::error::{RunError, TableError};
use super::plan::Plan;
use super::roles::Role;
use super::summary::ColumnSummary;
use super::template::render;
use super::time::parse_time;
use super::wide::WideTable;
use crate::import::sha256_hex;
use crate::results::{Direction, FileName, Number, Record, Row, Value, sanitize_gpu_name};

/// One run read from a table.
#[derive(Debug, Clone)]
pub struct TableRun {
    pub gpu: String,
    pub record: Record,
    /// SHA-256 of the text the run was read from (see [`super::parse_table`]).
    pub sha256: String,
    /// Why the run is no measurement (every row of it failed); it is then not filed.
    pub refused: Option<String>,
}

impl Plan {
    /// Every run of `table`, in the order the runs first appear; `default_time` is their time
    /// when neither `--timestamp` nor a `timestamp` column gives one.
    pub(super) fn runs(
        &self,
        table: &WideTable,
        default_time: &str,
    ) -> Result<Vec<TableRun>, TableError> {
        self.check_metrics(table)?;
        self.groups(table)
            .iter()
            .map(|rows| self.run(table, rows, default_time))
            .collect()
    }

    /// Every cell of the metric columns is a finite number (or not measured), and not negative
    /// where the metric says which way is better.
    fn check_metrics(&self, table: &WideTable) -> Result<(), RunError> {
        for row in &table.rows {
            for (i, role) in self.roles.iter().enumerate() {
                let Role::Metric { field, unit } = role else {
                    continue;
                };
                match &row.cells[i] {
                    Cell::Missing => {}
                    Cell::Number(x, text) => {
                        if *x < 0.0 && Direction::of(field, unit).is_some() {
                            return Err(RunError::Negative {
                                place: table.place(row, i),
                                text: text.clone(),
                            });
                        }
                    }
                    Cell::NonFinite(text) => {
                        return Err(RunError::NotFinite {
                            place: table.place(row, i),
                            text: text.clone(),
                        });
                    }
                    other => {
                        return Err(RunError::NotANumber {
                            place: table.place(row, i),
                            shown: other.shown(),
                            column: table.columns[i].name.clone(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// The rows of each run, in the order the runs first appear.
    fn groups(&self, table: &WideTable) -> Vec<Vec<usize>> {
        if self.group.is_empty() {
            return (0..table.rows.len()).map(|i| vec![i]).collect();
        }
        let mut keys: Vec<usize> = self.group.clone();
        if self.gpu.is_none()
            && let Some(g) = self.roles.iter().position(|r| *r == Role::Gpu)
            && !keys.contains(&g)
        {
            keys.push(g);
        }
        let mut order: Vec<Vec<usize>> = Vec::new();
        let mut at: HashMap<Vec<String>, usize> = HashMap::new();
        for (r, row) in table.rows.iter().enumerate() {
            let key: Vec<String> = keys.iter().map(|&i| row.cells[i].text()).collect();
            match at.get(&key) {
                Some(&g) => order[g].push(r),
                None => {
                    at.insert(key, order.len());
                    order.push(vec![r]);
                }
            }
        }
        order
    }

    /// The run made of `rows`.
    fn run(
        &self,
        table: &WideTable,
        rows: &[usize],
        default_time: &str,
    ) -> Result<TableRun, TableError> {
        let first = &table.rows[rows[0]];
        let gpu = self.gpu_of(table, rows)?;
        let timestamp = self.time_of(table, rows, default_time)?;
        let mut out = vec![
            Row::text("device", gpu.as_str()),
            Row::text("device_sanitized", sanitize_gpu_name(&gpu)),
            Row::text("timestamp", timestamp.as_str()),
        ];
        for (i, role) in self.roles.iter().enumerate() {
            if let Role::Config { field } = role
                && let Some(cell) = table.shared(rows, i)
            {
                out.push(Row::new(field, cell.value(), ""));
            }
        }
        for (key, value) in &self.sets {
            out.push(Row::new(key, value.clone(), ""));
        }
        // Failed rows are counted, never averaged in: a timeout's 300 s is no latency.
        let measured: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| {
                !self
                    .failed
                    .iter()
                    .any(|(i, test)| test.failed(&table.rows[r].cells[*i]))
            })
            .collect();
        let failed = rows.len() - measured.len();
        if failed > 0 {
            out.push(Row::measured("failed_requests", failed as f64, ""));
        }
        match (self.center, first.at) {
            (Some(center), _) => {
                out.push(Row::measured("runs", measured.len() as f64, ""));
                out.push(Row::text("aggregate", center.word()));
            }
            (None, At::Line(line)) => out.push(Row::measured("source_line", line as f64, "")),
            (None, At::Item(_)) => {}
        }
        let refused = measured.is_empty().then(|| {
            let what = if rows.len() == 1 {
                format!("{}", first.at)
            } else {
                format!("all {} rows of the group of {}", rows.len(), first.at)
            };
            format!("{what} failed (see --failed-if): not a measurement")
        });
        if refused.is_none() {
            self.metric_rows(table, rows[0], &measured, &mut out)?;
        }
        let record = self.record(table, rows, gpu.as_str(), timestamp, out)?;
        Ok(TableRun {
            gpu,
            record,
            sha256: self.identity(table, rows),
            refused,
        })
    }

    /// The GPU of the run of `rows`: `--gpu-name`, else its first row's GPU column.
    fn gpu_of(&self, table: &WideTable, rows: &[usize]) -> Result<String, RunError> {
        if let Some(g) = &self.gpu {
            return Ok(g.clone());
        }
        let first = &table.rows[rows[0]];
        let i = self
            .roles
            .iter()
            .position(|r| *r == Role::Gpu)
            .unwrap_or_default();
        let name = first.cells[i].text();
        if sanitize_gpu_name(&name).is_empty() {
            return Err(RunError::NotAGpu {
                place: table.place(first, i),
                shown: first.cells[i].shown(),
            });
        }
        Ok(one_line(&name))
    }

    /// The time of the run of `rows`: `--timestamp`, else the latest of its rows' timestamp
    /// column, else `default_time`.
    fn time_of(
        &self,
        table: &WideTable,
        rows: &[usize],
        default_time: &str,
    ) -> Result<String, RunError> {
        if let Some(t) = &self.timestamp {
            return Ok(t.clone());
        }
        let Some(i) = self.roles.iter().position(|r| *r == Role::Time) else {
            return Ok(default_time.to_string());
        };
        let mut latest = String::new();
        for &r in rows {
            let row = &table.rows[r];
            let t = parse_time(&row.cells[i].text()).ok_or_else(|| RunError::NotATime {
                place: table.place(row, i),
                shown: row.cells[i].shown(),
            })?;
            latest = latest.max(t);
        }
        Ok(latest)
    }

    /// The metric rows of a run whose first row is `first` and whose rows that did not fail are
    /// `measured`: each metric as its row has it, or a group's summary with its spread (in a
    /// `Spread` section, after the rest).
    fn metric_rows(
        &self,
        table: &WideTable,
        first: usize,
        measured: &[usize],
        out: &mut Vec<Row>,
    ) -> Result<(), RunError> {
        let mut spread = Vec::new();
        for (i, role) in self.roles.iter().enumerate() {
            let Role::Metric { field, unit } = role else {
                continue;
            };
            let Some(center) = self.center else {
                out.push(Row::new(field, table.rows[first].cells[i].value(), unit));
                continue;
            };
            let summary = ColumnSummary::of(table, measured, i, center)?;
            out.push(Row::new(field, summary.center, unit));
            let mut add = |suffix: &str, value: Value, unit: &str| {
                let mut row = Row::new(&format!("{field}_{suffix}"), value, unit);
                row.section = Some("Spread".into());
                spread.push(row);
            };
            add("min", summary.min, unit);
            add("max", summary.max, unit);
            add("stdev", summary.stdev, unit);
            add(
                "n",
                Value::Number(Number::computed(summary.n as f64, 0)),
                "",
            );
        }
        out.extend(spread);
        Ok(())
    }

    /// The record of the run of `rows`: its benchmark id (the family and the name template
    /// filled in), which its file name must give back.
    fn record(
        &self,
        table: &WideTable,
        rows: &[usize],
        gpu: &str,
        timestamp: String,
        out: Vec<Row>,
    ) -> Result<Record, TableError> {
        let name = render(
            &self.template,
            &self.sets,
            table,
            &self.roles,
            self.center.is_some(),
            rows,
        )?;
        let benchmark = if name.is_empty() {
            self.family.clone()
        } else {
            format!("{}_{name}", self.family)
        };
        let folder = sanitize_gpu_name(gpu);
        let file = FileName::build(&self.family, &folder, &benchmark, &timestamp);
        let back = FileName::parse(file.trim_end_matches(".csv"), &folder);
        if back.family != self.family || back.benchmark != benchmark {
            return Err(RunError::NotReadBack {
                family: self.family.clone(),
                benchmark,
                file,
            }
            .into());
        }
        Ok(Record {
            family: self.family.clone(),
            benchmark,
            timestamp,
            rows: out,
        })
    }

    /// The SHA-256 of the header and the run's rows, with a lone row's place (so that two
    /// equal rows stay two runs).
    fn identity(&self, table: &WideTable, rows: &[usize]) -> String {
        let mut identity = table.header.clone();
        for &r in rows {
            identity.push('\n');
            identity.push_str(&table.rows[r].raw);
        }
        if self.center.is_none() {
            identity.push_str(&format!("\n{}", table.rows[rows[0]].at));
        }
        sha256_hex(identity.as_bytes())
    }
}
