//! What a parsed scene gives, against its documented ranges and each kind's needs: numbers in
//! range, footers whose placeholders some chart fills, a line chart's x axis, a scatter
//! chart's two metrics.

use anyhow::bail;

use super::model::{
    Common, LinesBody, MAX_NEUTRAL_BAND, MAX_PANEL_COLUMNS, MAX_PANELS, PanelsBody, RowTable,
    ScatterBody, Scene, SceneBody,
};

/// Most decimal places a value may show.
pub const MAX_DECIMALS: usize = 10;
/// Longest animation a scene may ask for, in seconds.
pub const MAX_ANIMATION_SECONDS: f64 = 600.0;

/// Every `{name}` a footer line can hold, whatever the chart: the comparisons of bars and
/// lines, the per-row, per-series and per-panel lines, and the counts of compare charts.
const FOOTER_PLACEHOLDERS: [&str; 14] = [
    "row", "fastest", "slowest", "ratio", "series", "peak", "peak_x", "knee_x", "x", "x_label",
    "panel", "better", "worse", "rows",
];

impl Scene {
    /// Numbers a scene gives, against their documented ranges, and what its kind needs.
    pub fn check(&self) -> anyhow::Result<()> {
        let file = self.file();
        self.common.check()?;
        match &self.body {
            SceneBody::Bars(rows, _) | SceneBody::Compare(rows) => check_rows(rows),
            SceneBody::Lines(lines) => check_lines(lines),
            SceneBody::Scatter(scatter) => check_scatter(scatter),
            SceneBody::Panels(panels) => check_panels(panels),
        }
        .map_err(|e| anyhow::anyhow!("{file}: {e}"))
    }
}

impl Common {
    fn check(&self) -> anyhow::Result<()> {
        let file = self.path.display();
        if let Some(d) = self.format.decimals
            && d > MAX_DECIMALS
        {
            bail!("{file}: format.decimals = {d} is out of range: 0 to {MAX_DECIMALS}");
        }
        let t = &self.timing;
        let steps = [
            ("title", t.title),
            ("subtitle", t.subtitle),
            ("metadata", t.metadata),
            ("legend", t.legend),
            ("labels", t.labels),
            ("bars", t.bars),
            ("values", t.values),
            ("deltas", t.deltas),
            ("axes", t.axes),
            ("lines", t.lines),
            ("annotations", t.annotations),
            ("footer", t.footer),
            ("hold", t.hold),
            ("fadeout", t.fadeout),
            ("wait", t.wait),
        ];
        for (key, seconds) in steps {
            if !(0.0..=MAX_ANIMATION_SECONDS).contains(&seconds) {
                let shown = crate::terminal::number(seconds);
                bail!(
                    "{file}: timing.{key} = {shown} is out of range: 0 to {MAX_ANIMATION_SECONDS} seconds"
                );
            }
        }
        if self.name_suffix.is_some() && self.for_each.is_empty() {
            bail!("{file}: `name_suffix` names the charts of `for_each`, which this scene lacks");
        }
        if let Some(field) = self.for_each.iter().find(|f| f.trim().is_empty()) {
            bail!("{file}: for_each: `{field}` is not a field name");
        }
        self.check_placeholders()?;
        // A wait stands between each pair of the eight steps at most.
        let total: f64 = steps.iter().map(|(_, s)| s).sum::<f64>() + 6.0 * t.wait;
        if total > MAX_ANIMATION_SECONDS {
            bail!(
                "{file}: the [timing] steps add up to {total:.0} s; an animation is at most {MAX_ANIMATION_SECONDS} s (10 minutes)"
            );
        }
        Ok(())
    }

    /// A footer's `{name}` that no chart fills (nor a `for_each` field) is a mistake, not text
    /// to draw as it is.
    fn check_placeholders(&self) -> anyhow::Result<()> {
        for (line, template) in self.footer.iter().enumerate() {
            for name in placeholders(template) {
                let known = FOOTER_PLACEHOLDERS.contains(&name)
                    || self.for_each.iter().any(|f| f.trim() == name);
                if !known {
                    bail!(
                        "{}: footer line {} (`{template}`): `{{{name}}}` is not a placeholder; footers take {}{}",
                        self.path.display(),
                        line + 1,
                        FOOTER_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", "),
                        if self.for_each.is_empty() {
                            String::new()
                        } else {
                            format!(" and the for_each fields ({})", self.for_each.join(", "))
                        }
                    );
                }
            }
        }
        Ok(())
    }
}

/// The `{name}`s in `text` (names of letters, digits and `_`).
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| {
        let name = rest.split_once('}')?.0;
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then_some(name)
    })
}

fn check_rows(rows: &RowTable) -> anyhow::Result<()> {
    if !rows.rows.is_empty() && rows.rows_from.is_some() {
        bail!("give [[rows]] or `rows_from`, not both");
    }
    if let Some(band) = rows.compare.as_ref().and_then(|c| c.neutral_band)
        && !(0.0..=MAX_NEUTRAL_BAND).contains(&band)
    {
        let shown = crate::terminal::number(band);
        bail!("compare.neutral_band = {shown} is out of range: 0 to {MAX_NEUTRAL_BAND} percent");
    }
    Ok(())
}

fn check_lines(lines: &LinesBody) -> anyhow::Result<()> {
    match lines.x.as_ref().map(|x| (&x.field, &x.section, x.by)) {
        None | Some((None, None, _)) => bail!(
            "a line chart needs its x axis: `x = {{ field = \"max_concurrency\" }}` (a config field of the runs) or `x = {{ section = \"latency_ms\" }}` (a series section of each run)"
        ),
        Some((Some(_), Some(_), _)) => bail!("x takes a `field` or a `section`, not both"),
        Some((Some(_), None, Some(_))) => {
            bail!("x.by places a section's points; add `section = …` or leave `by` out")
        }
        _ => {}
    }
    if let Some(f) = lines.knee_fraction
        && !(f > 0.0 && f <= 1.0)
    {
        bail!("knee_fraction = {f} is out of range: above 0, at most 1");
    }
    Ok(())
}

fn check_scatter(scatter: &ScatterBody) -> anyhow::Result<()> {
    if scatter.x_metric.is_none() {
        bail!(
            "a scatter chart needs the metric along its x axis: `x_metric = \"tpot_median\"` (`metric` goes along the y axis)"
        );
    }
    if scatter.order.is_none() {
        bail!(
            "a scatter chart needs the config field whose values make its points: `order = \"max_concurrency\"`"
        );
    }
    Ok(())
}

fn check_panels(panels: &PanelsBody) -> anyhow::Result<()> {
    let grid = &panels.grid;
    if grid.panels.len() > MAX_PANELS {
        bail!(
            "{} panels; a chart has at most {MAX_PANELS}: split it with `for_each`, or into scenes",
            grid.panels.len()
        );
    }
    if let Some(c) = grid.panels_columns
        && !(1..=MAX_PANEL_COLUMNS).contains(&c)
    {
        bail!("panels_columns = {c} is out of range: 1 to {MAX_PANEL_COLUMNS}");
    }
    if let Some(d) = grid.panels.iter().find_map(|p| p.format.as_ref()?.decimals)
        && d > MAX_DECIMALS
    {
        bail!("panels: format.decimals = {d} is out of range: 0 to {MAX_DECIMALS}");
    }
    match panels.chart.as_ref() {
        SceneBody::Bars(rows, _) | SceneBody::Compare(rows) => check_rows(rows),
        other => bail!(
            "a panel is a bar or compare chart, not a {} chart",
            other.kind().noun()
        ),
    }
}
