//! Datasets: where personal data lives. The in-memory model and Waarborg's TOML format
//! (documented in `docs/datasets.md`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};
use crate::identity::IdentityMatch;

/// All datasets the engine works on: one entry per database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Datasets {
    /// The databases, each with its tables.
    pub databases: Vec<DatabaseSpec>,
    /// Masking strategies by data category (and the default).
    pub masking: MaskingConfig,
    /// The country calling code phone numbers without one are in (default `31`, the
    /// Netherlands): `06...` matches `+316...`.
    pub phone_country: Option<String>,
}

/// One database and the tables in it that hold personal data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatabaseSpec {
    /// The dataset's name (used in `--db NAME=URL`, references and reports).
    pub name: String,
    /// `sqlite://FILE`, `postgres://...` or `mysql://...` / `mariadb://...`; `None` when it must
    /// be bound with `--db`.
    pub url: Option<String>,
    /// The time zone naive timestamps are in (default `Europe/Amsterdam`).
    pub timezone: Option<String>,
    /// The tables.
    pub tables: Vec<TableSpec>,
}

/// What an erasure does with a table's rows of the person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EraseAction {
    /// Delete the rows.
    #[default]
    Delete,
    /// Keep the rows, mask the personal columns.
    Mask,
}

/// What a retention sweep does with rows whose period has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepAction {
    /// Delete the rows.
    Delete,
    /// Keep the rows, mask the personal columns.
    Anonymise,
}

/// A masking strategy for one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "strategy", rename_all = "snake_case")]
pub enum MaskStrategy {
    /// Set NULL (a NOT NULL column gets its type's empty value: '' / 0 / false).
    Null,
    /// Set a fixed value.
    Fixed {
        /// The value, validated against the column type.
        value: String,
    },
    /// Replace by a keyed HMAC-SHA256 of the value (lowercase hex, cut to the column length).
    Hash,
    /// Replace by random lowercase hex (cut to the column length).
    Random,
}

/// Masking strategies by data category.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskingConfig {
    /// The strategy where no category or column says otherwise (default: null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<MaskStrategy>,
    /// Strategy per fideslang category key; the longest matching prefix wins.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<String, MaskStrategy>,
}

impl MaskingConfig {
    /// The strategy for a category (longest prefix match, then the default, then null).
    pub fn for_category(&self, category: Option<&str>) -> MaskStrategy {
        if let Some(cat) = category {
            let mut best: Option<(&String, &MaskStrategy)> = None;
            for (k, v) in &self.categories {
                let matches = cat == k || cat.starts_with(&format!("{k}."));
                if matches && best.is_none_or(|(bk, _)| k.len() > bk.len()) {
                    best = Some((k, v));
                }
            }
            if let Some((_, s)) = best {
                return s.clone();
            }
        }
        self.default.clone().unwrap_or(MaskStrategy::Null)
    }
}

/// One table with personal data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableSpec {
    /// The table name as in the database.
    pub name: String,
    /// The PostgreSQL schema (default `public`); ignored for SQLite.
    pub schema: Option<String>,
    /// The primary key columns; empty means: take it from the live schema.
    pub primary_key: Vec<String>,
    /// The described columns.
    pub columns: Vec<ColumnSpec>,
    /// References from this table's columns to other tables' columns.
    pub references: Vec<Reference>,
    /// Register purpose ids this table serves.
    pub purposes: Vec<String>,
    /// What an erasure does with the person's rows.
    pub erase: EraseAction,
    /// The retention rule that applies and the column it counts from.
    pub retention: Option<RetentionSpec>,
    /// A legal hold on the rows (e.g. the fiscal duty on invoices).
    pub hold: Option<HoldSpec>,
    /// Tables whose erasure must be written before this table's (Fides `erase_after`).
    pub erase_after: Vec<String>,
    /// Tables that must be traversed before this one (Fides `after`); informational.
    pub after: Vec<String>,
    /// A table-wide masking strategy overriding the category strategies.
    pub masking: Option<MaskStrategy>,
    /// A table of shared records (a product catalogue, branches, events) that many people's
    /// rows refer to: its rows are shown in an access export as context, never masked or
    /// deleted by one person's erasure, and never walked through to other rows.
    pub shared: bool,
}

impl TableSpec {
    /// The described column with this name.
    pub fn column(&self, name: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// One column of a table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnSpec {
    /// The column name as in the database.
    pub name: String,
    /// The fideslang data category (`user.contact.email`, `system.operations`, ...).
    pub category: Option<String>,
    /// The identity kind this column finds a person by (`email`, `phone`, `bsn`, ...).
    pub identity: Option<String>,
    /// A masking strategy for this column only.
    pub masking: Option<MaskStrategy>,
    /// How the identity is compared (default by kind: see [`IdentityMatch::default_for`]).
    pub matching: Option<IdentityMatch>,
}

impl ColumnSpec {
    /// How this identity column is compared: the declared way, or the kind's default.
    pub fn identity_match(&self) -> IdentityMatch {
        self.matching.unwrap_or_else(|| {
            self.identity
                .as_deref()
                .map(IdentityMatch::default_for)
                .unwrap_or_default()
        })
    }

    /// Whether the column holds personal data (category `user` or below, or an identity).
    pub fn is_personal(&self) -> bool {
        self.identity.is_some()
            || self
                .category
                .as_deref()
                .is_some_and(|c| c == "user" || c.starts_with("user."))
    }
}

/// A column address: database (dataset) name, table, column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ColumnAddr {
    /// The database (dataset) name.
    pub database: String,
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
}

impl std::fmt::Display for ColumnAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.database, self.table, self.column)
    }
}

/// Which way a reference can be followed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From this column's values to the other table's rows.
    To,
    /// From the other table's values to this table's rows.
    From,
    /// Both ways.
    #[default]
    Both,
}

/// A reference between two columns (declared as a foreign key or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The column in this table.
    pub column: String,
    /// The column it refers to.
    pub target: ColumnAddr,
    /// Which way it may be followed.
    pub direction: Direction,
}

/// The retention rule of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSpec {
    /// The register's retention rule id.
    pub rule: String,
    /// The timestamp column the period counts from.
    pub from: String,
    /// Overrides the rule's action for this table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<SweepAction>,
}

/// A legal hold on a table's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldSpec {
    /// The register's legal hold id.
    pub hold: String,
    /// The column the hold period counts from (e.g. the invoice date).
    pub from: String,
    /// The columns the duty needs; all other personal columns are masked.
    #[serde(default)]
    pub keep: Vec<String>,
}

// ---------------------------------------------------------------- the TOML file format

/// The TOML file: `[masking]` and `[databases.NAME]`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileFormat {
    #[serde(default, skip_serializing_if = "is_default_masking")]
    masking: MaskingConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone_country: Option<String>,
    #[serde(default)]
    databases: BTreeMap<String, FileDatabase>,
}

fn is_default_masking(m: &MaskingConfig) -> bool {
    m == &MaskingConfig::default()
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDatabase {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timezone: Option<String>,
    #[serde(default)]
    tables: BTreeMap<String, FileTable>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileTable {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schema: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    primary_key: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    purposes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    erase: Option<EraseAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    masking: Option<MaskStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retention: Option<RetentionSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hold: Option<HoldSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    erase_after: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    shared: bool,
    #[serde(default)]
    columns: BTreeMap<String, FileColumn>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    references: Vec<FileReference>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum FileColumn {
    Category(String),
    Full(FileColumnFull),
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileColumnFull {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    masking: Option<MaskStrategy>,
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    matching: Option<IdentityMatch>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileReference {
    column: String,
    to: String,
    #[serde(default, skip_serializing_if = "is_both")]
    direction: Direction,
}

fn is_both(d: &Direction) -> bool {
    *d == Direction::Both
}

impl Datasets {
    /// Checks that every purpose, retention rule and legal hold id the datasets use exists in
    /// the register (`waarborg_policy::Policy`).
    pub fn check_register(&self, register: &waarborg_policy::Policy) -> Result<()> {
        let mut missing = Vec::new();
        for db in &self.databases {
            for t in &db.tables {
                for p in &t.purposes {
                    if register.purpose(p).is_none() {
                        missing.push(format!("{}.{}: purpose `{p}`", db.name, t.name));
                    }
                }
                if let Some(r) = &t.retention
                    && register.retention_rule(&r.rule).is_none()
                {
                    missing.push(format!(
                        "{}.{}: retention rule `{}`",
                        db.name, t.name, r.rule
                    ));
                }
                if let Some(h) = &t.hold
                    && register.legal_hold(&h.hold).is_none()
                {
                    missing.push(format!("{}.{}: legal hold `{}`", db.name, t.name, h.hold));
                }
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(EngineError::Register(format!(
                "the datasets refer to ids the register does not have: {}",
                missing.join("; ")
            )))
        }
    }

    /// Reads a dataset file: Waarborg TOML (`.toml`) or Fides YAML (`.yml`, `.yaml`).
    pub fn load(path: &Path) -> Result<Datasets> {
        let text = std::fs::read_to_string(path).map_err(|e| EngineError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let ds = if ext == "yml" || ext == "yaml" {
            crate::fides::from_fides_yaml(&text)
        } else {
            Datasets::from_toml(&text)
        };
        ds.map_err(|e| match e {
            EngineError::File { message, .. } => EngineError::File {
                path: path.display().to_string(),
                message,
            },
            EngineError::Dataset(message) => EngineError::File {
                path: path.display().to_string(),
                message,
            },
            other => other,
        })
    }

    /// Parses Waarborg's TOML dataset format.
    pub fn from_toml(text: &str) -> Result<Datasets> {
        let file: FileFormat = toml::from_str(text).map_err(|e| EngineError::File {
            path: "<toml>".into(),
            message: e.to_string(),
        })?;
        let mut databases = Vec::new();
        for (dbname, db) in file.databases {
            let mut tables = Vec::new();
            for (tname, t) in db.tables {
                let columns = t
                    .columns
                    .into_iter()
                    .map(|(cname, c)| match c {
                        FileColumn::Category(cat) => ColumnSpec {
                            name: cname,
                            category: Some(cat),
                            ..ColumnSpec::default()
                        },
                        FileColumn::Full(f) => ColumnSpec {
                            name: cname,
                            category: f.category,
                            identity: f.identity,
                            masking: f.masking,
                            matching: f.matching,
                        },
                    })
                    .collect();
                let mut references = Vec::new();
                for r in t.references {
                    references.push(Reference {
                        column: r.column,
                        target: parse_target(&dbname, &r.to)?,
                        direction: r.direction,
                    });
                }
                tables.push(TableSpec {
                    name: tname,
                    schema: t.schema,
                    primary_key: t.primary_key,
                    columns,
                    references,
                    purposes: t.purposes,
                    erase: t.erase.unwrap_or_default(),
                    retention: t.retention,
                    hold: t.hold,
                    erase_after: t.erase_after,
                    after: Vec::new(),
                    masking: t.masking,
                    shared: t.shared,
                });
            }
            databases.push(DatabaseSpec {
                name: dbname,
                url: db.url,
                timezone: db.timezone,
                tables,
            });
        }
        let ds = Datasets {
            databases,
            masking: file.masking,
            phone_country: file.phone_country,
        };
        ds.validate()?;
        Ok(ds)
    }

    /// Writes the datasets in Waarborg's TOML format.
    pub fn to_toml(&self) -> Result<String> {
        let mut file = FileFormat {
            masking: self.masking.clone(),
            phone_country: self.phone_country.clone(),
            databases: BTreeMap::new(),
        };
        for db in &self.databases {
            let mut tables = BTreeMap::new();
            for t in &db.tables {
                let columns = t
                    .columns
                    .iter()
                    .map(|c| {
                        let v = if c.identity.is_none()
                            && c.masking.is_none()
                            && c.matching.is_none()
                        {
                            FileColumn::Category(c.category.clone().unwrap_or_default())
                        } else {
                            FileColumn::Full(FileColumnFull {
                                category: c.category.clone(),
                                identity: c.identity.clone(),
                                masking: c.masking.clone(),
                                matching: c.matching,
                            })
                        };
                        (c.name.clone(), v)
                    })
                    .collect();
                let references = t
                    .references
                    .iter()
                    .map(|r| FileReference {
                        column: r.column.clone(),
                        to: if r.target.database == db.name {
                            format!("{}.{}", r.target.table, r.target.column)
                        } else {
                            r.target.to_string()
                        },
                        direction: r.direction,
                    })
                    .collect();
                tables.insert(
                    t.name.clone(),
                    FileTable {
                        schema: t.schema.clone(),
                        primary_key: t.primary_key.clone(),
                        purposes: t.purposes.clone(),
                        erase: Some(t.erase),
                        masking: t.masking.clone(),
                        retention: t.retention.clone(),
                        hold: t.hold.clone(),
                        erase_after: t.erase_after.clone(),
                        shared: t.shared,
                        columns,
                        references,
                    },
                );
            }
            file.databases.insert(
                db.name.clone(),
                FileDatabase {
                    url: db.url.clone(),
                    timezone: db.timezone.clone(),
                    tables,
                },
            );
        }
        toml::to_string_pretty(&file).map_err(|e| EngineError::Dataset(e.to_string()))
    }

    /// Binds databases to URLs (`--db NAME=URL`). A binding for a name that no dataset has is
    /// an error; a single binding with any name binds a single dataset.
    pub fn bind(&mut self, bindings: &[(String, String)]) -> Result<()> {
        for (name, url) in bindings {
            let count = self.databases.len();
            match self.databases.iter_mut().find(|d| &d.name == name) {
                Some(db) => db.url = Some(url.clone()),
                None if count == 1 => {
                    if let Some(db) = self.databases.first_mut() {
                        db.url = Some(url.clone());
                    }
                }
                None => {
                    return Err(EngineError::Dataset(format!(
                        "--db {name}=...: no dataset is named `{name}` (known: {})",
                        self.databases
                            .iter()
                            .map(|d| d.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
        Ok(())
    }

    /// The database with this name.
    pub fn database(&self, name: &str) -> Option<&DatabaseSpec> {
        self.databases.iter().find(|d| d.name == name)
    }

    /// Checks the datasets for internal consistency (not against a live schema).
    pub fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        for db in &self.databases {
            let mut seen = std::collections::BTreeSet::new();
            for t in &db.tables {
                if !seen.insert(&t.name) {
                    problems.push(format!("{}.{}: table described twice", db.name, t.name));
                }
                for r in &t.references {
                    if t.column(&r.column).is_none() {
                        problems.push(format!(
                            "{}.{}: reference from column `{}` which is not described in the table",
                            db.name, t.name, r.column
                        ));
                    }
                    let target = self
                        .database(&r.target.database)
                        .and_then(|d| d.tables.iter().find(|x| x.name == r.target.table));
                    if target.is_none() {
                        problems.push(format!(
                            "{}.{}.{}: reference to `{}`: no such table in the datasets",
                            db.name, t.name, r.column, r.target
                        ));
                    }
                }
                if let Some(h) = &t.hold {
                    for k in &h.keep {
                        if t.column(k).is_none() {
                            problems.push(format!(
                                "{}.{}: hold keeps column `{k}` which is not described",
                                db.name, t.name
                            ));
                        }
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(EngineError::Dataset(problems.join("; ")))
        }
    }
}

/// Parses `table.column` (same database) or `database.table.column`.
pub(crate) fn parse_target(this_db: &str, s: &str) -> Result<ColumnAddr> {
    let parts: Vec<&str> = s.split('.').collect();
    match parts.as_slice() {
        [t, c] => Ok(ColumnAddr {
            database: this_db.to_string(),
            table: (*t).to_string(),
            column: (*c).to_string(),
        }),
        [d, t, c] => Ok(ColumnAddr {
            database: (*d).to_string(),
            table: (*t).to_string(),
            column: (*c).to_string(),
        }),
        _ => Err(EngineError::Dataset(format!(
            "reference target `{s}` must be `table.column` or `database.table.column`"
        ))),
    }
}

/// Parses `NAME=URL` bindings.
pub fn parse_binding(s: &str) -> Result<(String, String)> {
    match s.split_once('=') {
        Some((n, u)) if !n.is_empty() && !u.is_empty() && !n.contains(':') => {
            Ok((n.to_string(), u.to_string()))
        }
        _ => Err(EngineError::Dataset(format!(
            "--db `{s}`: expected NAME=URL, e.g. shop=sqlite://shop.db"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[masking]
default = { strategy = "null" }
categories = { "user.contact.email" = { strategy = "hash" } }

[databases.shop]
url = "sqlite://shop.db"

[databases.shop.tables.customer]
purposes = ["orders"]
erase = "delete"
retention = { rule = "account", from = "last_login" }
columns = { id = "user.unique_id", email = { category = "user.contact.email", identity = "email" }, last_login = "system.operations" }

[databases.shop.tables.orders]
columns = { id = "system.operations", customer_id = "user.unique_id" }
references = [{ column = "customer_id", to = "customer.id" }]
"#;

    #[test]
    fn reads_toml() {
        let ds = Datasets::from_toml(SAMPLE).unwrap();
        let db = ds.database("shop").unwrap();
        assert_eq!(db.tables.len(), 2);
        let orders = db.tables.iter().find(|t| t.name == "orders").unwrap();
        assert_eq!(orders.references[0].target.table, "customer");
        assert_eq!(
            ds.masking.for_category(Some("user.contact.email")),
            MaskStrategy::Hash
        );
        assert_eq!(
            ds.masking.for_category(Some("user.name")),
            MaskStrategy::Null
        );
        let again = Datasets::from_toml(&ds.to_toml().unwrap()).unwrap();
        assert_eq!(again, ds);
    }

    #[test]
    fn rejects_dangling_reference() {
        let bad = SAMPLE.replace("customer.id", "nope.id");
        assert!(Datasets::from_toml(&bad).is_err());
    }
}
