//! Reading a scene's TOML into its typed model, and writing a model back as TOML. The `kind`
//! key picks the body; every other key belongs to the common keys or to that body, so a key
//! another kind takes is an error that names the key and the kind. The key lists are the
//! model's own serde fields.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{anyhow, bail};
use serde::Deserialize;
use serde::de::{self, Visitor};

use super::model::{
    BarKeys, Common, Kind, LinesBody, PanelGrid, PanelsBody, RowTable, ScatterBody, Scene,
    SceneBody,
};

impl Scene {
    /// The scene `name` from its file's text; errors name `path`.
    pub fn parse(text: &str, name: &str, path: &Path) -> anyhow::Result<Scene> {
        let file = path.display();
        let keys: toml::Table = toml::from_str(text).map_err(|e| anyhow!("{file}: {e}"))?;
        // Each part reads the whole text, so its errors point at the line.
        let read = |e: toml::de::Error| anyhow!("{file}: {e}");
        let kind = toml::from_str::<KindKey>(text).map_err(read)?.kind;
        let mut common: Common = toml::from_str(text).map_err(read)?;
        common.name = name.to_string();
        common.path = path.to_path_buf();
        let mut taken: BTreeSet<&str> = field_names::<Common>().iter().copied().collect();
        taken.insert("kind");
        taken.extend(body_field_names(kind));
        let body = match kind {
            Kind::Bars => SceneBody::Bars(rows(text, path)?, toml::from_str(text).map_err(read)?),
            Kind::Compare => SceneBody::Compare(toml::from_str(text).map_err(read)?),
            Kind::Line => SceneBody::Lines(toml::from_str(text).map_err(read)?),
            Kind::Scatter => SceneBody::Scatter(toml::from_str(text).map_err(read)?),
        };
        let body = if keys.contains_key("panels") && matches!(kind, Kind::Bars | Kind::Compare) {
            taken.extend(field_names::<PanelGrid>());
            SceneBody::Panels(PanelsBody {
                grid: toml::from_str(text).map_err(read)?,
                chart: Box::new(body),
            })
        } else {
            body
        };
        if let Some(key) = keys.keys().find(|k| !taken.contains(k.as_str())) {
            bail!("{file}: {}", unknown_key(key, kind, &taken));
        }
        Ok(Scene { common, body })
    }

    /// The scene as its file says it: what [`Scene::parse`] reads back.
    pub fn to_toml(&self) -> anyhow::Result<String> {
        let mut table = toml::Table::new();
        let kind = self.body.kind();
        if kind != Kind::Bars {
            table.insert("kind".to_string(), kind.name().into());
        }
        table.extend(toml::Table::try_from(&self.common)?);
        body_keys(&self.body, &mut table)?;
        Ok(toml::to_string(&table)?)
    }
}

/// The keys of `body`, added to `table`.
fn body_keys(body: &SceneBody, table: &mut toml::Table) -> anyhow::Result<()> {
    match body {
        SceneBody::Bars(rows, keys) => {
            table.extend(toml::Table::try_from(rows)?);
            table.extend(toml::Table::try_from(keys)?);
        }
        SceneBody::Compare(rows) => table.extend(toml::Table::try_from(rows)?),
        SceneBody::Lines(lines) => table.extend(toml::Table::try_from(lines)?),
        SceneBody::Scatter(scatter) => table.extend(toml::Table::try_from(scatter)?),
        SceneBody::Panels(panels) => {
            table.extend(toml::Table::try_from(&panels.grid)?);
            body_keys(&panels.chart, table)?;
        }
    }
    Ok(())
}

/// Why `key` is not taken, and what to do: another kind's key names that kind.
fn unknown_key(key: &str, kind: Kind, taken: &BTreeSet<&str>) -> String {
    if key == "panels_columns" {
        return "`panels_columns` lays out [[panels]], which this scene lacks".to_string();
    }
    if matches!(key, "rows" | "rows_from") && matches!(kind, Kind::Line | Kind::Scatter) {
        return format!(
            "a {} chart has no [[rows]]; pin benchmark, gpu and metric on the scene or on each [[series]]",
            kind.name()
        );
    }
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|&k| k != kind && kind_keys(k).contains(&key))
        .collect();
    if kinds.is_empty() {
        let known: Vec<&str> = taken.iter().copied().collect();
        return format!(
            "unknown key `{key}` for a {} chart (`kind = \"{}\"`); its keys are {}",
            kind.noun(),
            kind.name(),
            known.join(", ")
        );
    }
    let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
    let adds: Vec<String> = kinds
        .iter()
        .map(|k| format!("`kind = \"{}\"`", k.name()))
        .collect();
    format!(
        "`{key}` is for {} charts, and this is a {} chart; add {}",
        nouns.join(" or "),
        kind.noun(),
        adds.join(" or ")
    )
}

/// The keys of a kind's body (without panels, which a scene takes only with `[[panels]]`).
fn body_field_names(kind: Kind) -> Vec<&'static str> {
    match kind {
        Kind::Bars => [field_names::<RowTable>(), field_names::<BarKeys>()].concat(),
        Kind::Compare => field_names::<RowTable>().to_vec(),
        Kind::Line => field_names::<LinesBody>().to_vec(),
        Kind::Scatter => field_names::<ScatterBody>().to_vec(),
    }
}

/// The keys only a kind of chart takes (panels' with the kinds that have rows).
fn kind_keys(kind: Kind) -> Vec<&'static str> {
    let mut keys = body_field_names(kind);
    if matches!(kind, Kind::Bars | Kind::Compare) {
        keys.extend(field_names::<PanelGrid>());
    }
    keys
}

/// The rows of a bar chart; each row names its label (an empty one is fine). A compare chart's
/// row may leave it out: the row is named by its metric.
fn rows(text: &str, path: &Path) -> anyhow::Result<RowTable> {
    let file = path.display();
    #[derive(Deserialize)]
    struct Labels {
        #[serde(default)]
        rows: Vec<toml::Table>,
    }
    let labels: Labels = toml::from_str(text).map_err(|e| anyhow!("{file}: {e}"))?;
    if let Some(i) = labels.rows.iter().position(|r| !r.contains_key("label")) {
        bail!("{file}: rows[{i}]: missing field `label`");
    }
    toml::from_str(text).map_err(|e| anyhow!("{file}: {e}"))
}

/// The `kind` key; a bar chart when left out.
#[derive(Deserialize)]
struct KindKey {
    #[serde(default)]
    kind: Kind,
}

/// The field names serde reads for `T`: asked of its derived `Deserialize`, so they cannot
/// drift from the model.
fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut names));
    names
}

/// A deserializer that only notes the fields of the struct asked for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> de::Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("only the field names were asked for"))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> anyhow::Result<Scene> {
        Scene::parse(text, "s", Path::new("scenes/s.toml"))
    }

    const HEAD: &str = "title = \"T\"\nsubtitle = \"S\"\nmetric = \"m\"\n";

    #[test]
    fn the_kind_picks_the_body() {
        let bars = parse(&format!(
            "{HEAD}[[rows]]\nlabel = \"a\"\n[[series]]\nlabel = \"b\"\n"
        ))
        .unwrap();
        assert!(matches!(bars.body, SceneBody::Bars(..)));
        assert_eq!(bars.rows().len(), 1);
        let line = parse(&format!("{HEAD}kind = \"line\"\nx = {{ field = \"c\" }}\n")).unwrap();
        assert!(matches!(line.body, SceneBody::Lines(_)));
        let panels = parse(&format!(
            "{HEAD}kind = \"compare\"\n[[panels]]\ntitle = \"p\"\n"
        ))
        .unwrap();
        let SceneBody::Panels(p) = &panels.body else {
            panic!("{:?}", panels.body)
        };
        assert!(matches!(*p.chart, SceneBody::Compare(_)));
        assert_eq!(panels.body.kind(), Kind::Compare);
    }

    #[test]
    fn another_kinds_key_names_the_key_and_the_kind() {
        let e = parse(&format!("{HEAD}x_metric = \"t\"\n"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "scenes/s.toml: `x_metric` is for scatter charts, and this is a bar chart; add `kind = \"scatter\"`"
        );
        let e = parse(&format!(
            "{HEAD}kind = \"line\"\nx = {{ field = \"c\" }}\nsort = \"value\"\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.ends_with("`sort` is for bar or compare charts, and this is a line chart; add `kind = \"bars\"` or `kind = \"compare\"`"), "{e}");
        let e = parse(&format!("{HEAD}colour = \"red\"\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown key `colour` for a bar chart (`kind = \"bars\"`); its keys are "),
            "{e}"
        );
    }

    #[test]
    fn a_scene_written_back_reads_the_same() {
        let text = format!(
            "{HEAD}kind = \"compare\"\nfooter = [\"{{better}} of {{rows}}\"]\nwhere = {{ tp = 2 }}\n\
             [[series]]\nlabel = \"a\"\nbenchmark = {{ vLLM = \"x\" }}\n[[rows]]\nmetric = \"m2\"\n\
             [[panels]]\ntitle = \"p\"\n[compare]\ndelta = \"ratio\"\n"
        );
        let scene = parse(&text).unwrap();
        let again = parse(&scene.to_toml().unwrap()).unwrap();
        assert_eq!(format!("{:?}", again.body), format!("{:?}", scene.body));
        assert_eq!(format!("{:?}", again.common), format!("{:?}", scene.common));
    }

    #[test]
    fn field_names_are_the_models() {
        assert_eq!(field_names::<BarKeys>(), ["scale", "delta"]);
        assert!(field_names::<Common>().contains(&"where"));
    }
}
