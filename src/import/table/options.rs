//! How a table is filed: the options of `import table`, as given.

/// What a group's metrics become: the center of each metric's values over the group's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupCenter {
    Mean,
    Median,
}

impl GroupCenter {
    /// `mean` or `median`, as the option and the `aggregate` row spell it.
    pub fn word(self) -> &'static str {
        match self {
            GroupCenter::Mean => "mean",
            GroupCenter::Median => "median",
        }
    }
}

impl std::fmt::Display for GroupCenter {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// How a table is filed: the command line's options, as given.
#[derive(Debug, Clone, Default)]
pub struct TableImport {
    /// The GPU of every run, instead of a `device`/`gpu` column.
    pub gpu: Option<String>,
    /// The first part of the file names and benchmark ids.
    pub family: Option<String>,
    /// The benchmark id after the family: a template of `{column}`s.
    pub name: Option<String>,
    /// Columns whose values make a group: one run per group.
    pub group_by: Vec<String>,
    /// What a group's metrics become (mean when grouping without it).
    pub aggregate: Option<GroupCenter>,
    /// `COL` or `COL=FIELD`: columns that are config (renamed to FIELD).
    pub config: Vec<String>,
    /// `COL=UNIT`.
    pub units: Vec<String>,
    /// `KEY=VALUE`: config rows added to every run.
    pub set: Vec<String>,
    /// The runs' time, instead of a `timestamp` column or the file's modification time.
    pub timestamp: Option<String>,
    /// `COL=VALUE`: rows whose COL holds VALUE failed (instead of recognising a `success`,
    /// `ok` or `error` column).
    pub failed_if: Vec<String>,
}
