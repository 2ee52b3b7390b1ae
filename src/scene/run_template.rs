//! Templates over a run's fields: a scatter point's `c={max_concurrency}`, a generated row's
//! `{model} on {gpu}`.

use anyhow::bail;

use super::format::format_value;
use crate::results::{ResultFile, Value};

/// `template` with each `{name}` replaced by the run's value of that field (numbers as
/// written, with thousands grouped); `{gpu}` and `{benchmark}` are the run's GPU and benchmark
/// when it has no such field. A name the run lacks is an error that lists the fields it has.
pub fn fill_from_run(template: &str, run: &ResultFile) -> anyhow::Result<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        out.push_str(&field_text(run, name)?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// How a run's field reads in a label.
fn field_text(run: &ResultFile, name: &str) -> anyhow::Result<String> {
    match (run.field(name), name) {
        (Some(Value::Number(n)), _) => Ok(format_value(n.value, Some(n.decimals()), "")),
        (Some(value), _) => Ok(value.to_text().trim().to_string()),
        (None, "gpu") => Ok(run.gpu.clone()),
        (None, "benchmark") => Ok(run.benchmark.clone()),
        (None, _) => {
            let fields: Vec<&str> = run
                .rows
                .iter()
                .filter(|r| r.section.is_none())
                .map(|r| r.metric.as_str())
                .collect();
            bail!(
                "`{{{name}}}`: run `{}` has no field `{name}`; it has: {}",
                run.path.display(),
                fields.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::select::tests::run;

    #[test]
    fn fills_fields_from_the_run() {
        let r = run("max_concurrency,1024,\nmodel, gpt-oss ,\nmps,True,\n");
        assert_eq!(fill_from_run("c={max_concurrency}", &r).unwrap(), "c=1,024");
        assert_eq!(
            fill_from_run("{model} · MPS {mps} on {gpu}", &r).unwrap(),
            "gpt-oss · MPS True on G"
        );
        assert_eq!(fill_from_run("plain {", &r).unwrap(), "plain {");
        let e = fill_from_run("bs={batch_size}", &r)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`{batch_size}`") && e.contains("max_concurrency, model, mps"),
            "{e}"
        );
    }
}
