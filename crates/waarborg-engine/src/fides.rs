//! Reads Fides dataset YAML (`dataset: [{fides_key, collections: [{name, fields}]}]`) into the
//! engine's model, so that Fides users can bring their annotations.
//!
//! Mapping: each Fides dataset becomes a database named by its `fides_key` (bind it with
//! `--db KEY=URL`); a collection is a table, erased by masking (Fides' default) unless its
//! `masking_strategy_override` is `delete`; `fides_meta.identity` marks identity columns;
//! `references` with `direction` become references; `primary_key`, `after`, `erase_after` and
//! field `masking_strategy_override` (null_rewrite, string_rewrite, hash/hmac,
//! random_string_rewrite) are kept. Nested (object) fields are not SQL columns and are skipped.

use serde::Deserialize;

use crate::error::{EngineError, Result};
use crate::model::{
    ColumnSpec, DatabaseSpec, Datasets, Direction, EraseAction, MaskStrategy, Reference, TableSpec,
    parse_target,
};

#[derive(Debug, Deserialize)]
struct FidesFile {
    dataset: Vec<FidesDataset>,
}

#[derive(Debug, Deserialize)]
struct FidesDataset {
    fides_key: String,
    #[serde(default)]
    collections: Vec<FidesCollection>,
}

#[derive(Debug, Deserialize)]
struct FidesCollection {
    name: String,
    #[serde(default)]
    fields: Vec<FidesField>,
    #[serde(default)]
    fides_meta: Option<CollectionMeta>,
}

#[derive(Debug, Default, Deserialize)]
struct CollectionMeta {
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    erase_after: Vec<String>,
    #[serde(default)]
    masking_strategy_override: Option<FidesMasking>,
}

#[derive(Debug, Deserialize)]
struct FidesField {
    name: String,
    #[serde(default)]
    data_categories: Vec<String>,
    #[serde(default)]
    fides_meta: Option<FieldMeta>,
    #[serde(default)]
    fields: Vec<serde_norway::Value>,
}

#[derive(Debug, Default, Deserialize)]
struct FieldMeta {
    #[serde(default)]
    identity: Option<String>,
    #[serde(default)]
    primary_key: Option<bool>,
    #[serde(default)]
    references: Vec<FidesReference>,
    #[serde(default)]
    masking_strategy_override: Option<FidesMasking>,
    #[serde(default)]
    data_type: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FidesReference {
    #[serde(default)]
    dataset: Option<String>,
    field: String,
    #[serde(default)]
    direction: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FidesMasking {
    strategy: String,
    #[serde(default)]
    configuration: Option<serde_norway::Value>,
}

fn masking(m: &FidesMasking, at: &str) -> Result<MaskStrategy> {
    let conf = |k: &str| {
        m.configuration
            .as_ref()
            .and_then(|c| c.get(k))
            .and_then(|v| v.as_str().map(str::to_string))
    };
    match m.strategy.as_str() {
        "null_rewrite" => Ok(MaskStrategy::Null),
        "string_rewrite" => Ok(MaskStrategy::Fixed {
            value: conf("rewrite_value").unwrap_or_default(),
        }),
        "hash" | "hmac" => Ok(MaskStrategy::Hash),
        "random_string_rewrite" => Ok(MaskStrategy::Random),
        other => Err(EngineError::Dataset(format!(
            "{at}: masking strategy `{other}` is not supported (use null_rewrite, string_rewrite, hash, hmac or random_string_rewrite)"
        ))),
    }
}

/// The first YAML alias (`*name`) in `text`, as (line, name): where a node may begin (after
/// `key: `, `- `, `[`, `{`, `,` or at the start of a line), a `*` followed by a name.
/// A `*` inside a plain or quoted scalar (`a *b`, `'*b'`) is not at such a place.
fn first_alias(text: &str) -> Option<(usize, String)> {
    for (n, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b != b'*' {
                continue;
            }
            let before = line.get(..i).unwrap_or("").trim_end();
            let node_start = before.is_empty()
                || before.ends_with(':')
                || before.ends_with('-')
                || before.ends_with('[')
                || before.ends_with('{')
                || before.ends_with(',')
                || before.ends_with('?');
            let name: String = line
                .get(i + 1..)
                .unwrap_or("")
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                .collect();
            if node_start && !name.is_empty() && !before.starts_with('#') {
                return Some((n + 1, name));
            }
        }
    }
    None
}

/// Parses Fides dataset YAML.
///
/// YAML aliases (`*name`) are refused before parsing: Fides dataset files do not need them,
/// and nested aliases expand exponentially (a 250 KB "billion laughs" file would take
/// gigabytes). Anchors (`&name`) alone are harmless.
pub fn from_fides_yaml(text: &str) -> Result<Datasets> {
    if let Some((line, name)) = first_alias(text) {
        return Err(EngineError::File {
            path: "<yaml>".into(),
            message: format!(
                "line {line}: YAML alias `*{name}`: aliases are not accepted in a Fides dataset file (they can expand a small file into gigabytes); write the value out in full"
            ),
        });
    }
    let file: FidesFile = serde_norway::from_str(text).map_err(|e| EngineError::File {
        path: "<yaml>".into(),
        message: format!("not a Fides dataset file: {e}"),
    })?;
    let mut databases = Vec::new();
    for ds in file.dataset {
        let mut tables = Vec::new();
        for coll in ds.collections {
            let meta = coll.fides_meta.unwrap_or_default();
            let mut table = TableSpec {
                name: coll.name.clone(),
                erase: EraseAction::Mask,
                after: meta.after.clone(),
                erase_after: meta.erase_after.clone(),
                ..TableSpec::default()
            };
            if let Some(m) = &meta.masking_strategy_override {
                if m.strategy == "delete" {
                    table.erase = EraseAction::Delete;
                } else {
                    table.masking = Some(masking(m, &coll.name)?);
                }
            }
            for f in coll.fields {
                if !f.fields.is_empty() {
                    tracing::warn!(collection = %coll.name, "nested Fides field skipped (not a SQL column)");
                    continue;
                }
                let fm = f.fides_meta.unwrap_or_default();
                if fm
                    .data_type
                    .as_deref()
                    .is_some_and(|t| t.starts_with("object"))
                {
                    continue;
                }
                if fm.primary_key == Some(true) {
                    table.primary_key.push(f.name.clone());
                }
                let at = format!("{}.{}.{}", ds.fides_key, coll.name, f.name);
                let mask = match &fm.masking_strategy_override {
                    Some(m) => Some(masking(m, &at)?),
                    None => None,
                };
                for r in fm.references {
                    let target_db = r.dataset.unwrap_or_else(|| ds.fides_key.clone());
                    let target = parse_target(&target_db, &r.field)?;
                    let direction = match r.direction.as_deref() {
                        Some("to") => Direction::To,
                        Some("from") => Direction::From,
                        None => Direction::Both,
                        Some(other) => {
                            return Err(EngineError::Dataset(format!(
                                "{at}: reference direction `{other}` (use to or from)"
                            )));
                        }
                    };
                    table.references.push(Reference {
                        column: f.name.clone(),
                        target,
                        direction,
                    });
                }
                table.columns.push(ColumnSpec {
                    name: f.name,
                    category: f.data_categories.first().cloned(),
                    identity: fm.identity,
                    masking: mask,
                    matching: None,
                });
            }
            tables.push(table);
        }
        databases.push(DatabaseSpec {
            name: ds.fides_key,
            url: None,
            timezone: None,
            tables,
        });
    }
    let ds = Datasets {
        databases,
        masking: Default::default(),
        phone_country: None,
    };
    ds.validate()?;
    Ok(ds)
}
