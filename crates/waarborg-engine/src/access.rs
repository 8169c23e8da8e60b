//! Access (GDPR Art. 15) and portability (Art. 20): every row reachable from the person, with
//! the information Art. 15(1) requires beside the data, exported as JSON and CSV.
//!
//! The JSON export format (`waarborg-access/1`) is documented in `docs/datasets.md`.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::engine::{Conns, Engine, Subject};
use crate::error::{EngineError, Result};
use waarborg_policy::{Lang, Policy};

/// The export format identifier.
pub const ACCESS_FORMAT: &str = "waarborg-access/1";

/// The result of an access request.
#[derive(Debug, Clone, Serialize)]
pub struct AccessReport {
    /// Always [`ACCESS_FORMAT`].
    pub format: String,
    /// When it was made (RFC 3339).
    pub generated_at: String,
    /// The identities searched for (the person's own data).
    pub subject: Vec<(String, String)>,
    /// One entry per table that holds rows of the person.
    pub tables: Vec<TableExport>,
    /// Total number of rows.
    pub total_rows: usize,
}

/// The rows of one table.
#[derive(Debug, Clone, Serialize)]
pub struct TableExport {
    /// Database (dataset) name.
    pub database: String,
    /// Table name.
    pub table: String,
    /// Register purposes this table serves.
    pub purposes: Vec<String>,
    /// Columns: name and data category.
    pub columns: Vec<ColumnInfo>,
    /// The rows, each an object column → value.
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Shared records the person's rows refer to (a product, a branch, an event), shown for
    /// context: they are not the person's own data, and an erasure leaves them alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// A column in an export.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnInfo {
    /// Column name.
    pub name: String,
    /// fideslang data category, if described.
    pub category: Option<String>,
}

/// The information GDPR Art. 15(1)(a)–(h) requires beside the copy of the data.
#[derive(Debug, Clone, Serialize)]
pub struct Art15Info {
    /// Language of the texts (`nl` or `en`).
    pub lang: String,
    /// The controller.
    pub controller: String,
    /// (a) purposes with their legal basis.
    pub purposes: Vec<PurposeInfo>,
    /// (b) categories of personal data found.
    pub categories: Vec<String>,
    /// (c) recipients.
    pub recipients: Vec<String>,
    /// (d) retention periods.
    pub retention: Vec<String>,
    /// (e) the rights to rectification, erasure, restriction and objection.
    pub rights: String,
    /// (f) the right to lodge a complaint.
    pub complaint: String,
    /// (g) the source of data not collected from the person.
    pub sources: Vec<String>,
    /// (h) automated decision-making.
    pub automated_decisions: String,
}

/// One purpose in the Art. 15 information.
#[derive(Debug, Clone, Serialize)]
pub struct PurposeInfo {
    /// Purpose id.
    pub id: String,
    /// Name in the chosen language.
    pub name: String,
    /// Legal basis.
    pub legal_basis: String,
}

impl Engine {
    /// Finds every row of the person (reachable from the identities) in every table.
    pub async fn access(&self, subject: &Subject) -> Result<AccessReport> {
        let mut conns = Conns::new(self.dbs.len());
        let found = self.traverse(&mut conns, subject).await?;
        conns.done();
        let mut tables = Vec::new();
        let mut total = 0;
        for (ti, f) in found.iter().enumerate() {
            if f.rows.is_empty() && f.joint.is_empty() && f.context.is_empty() {
                continue;
            }
            let t = self.table(ti)?;
            let db = self.db(t)?;
            let as_json = |r: &Vec<crate::value::Val>| {
                t.cols
                    .iter()
                    .zip(r.iter())
                    .map(|(c, v)| (c.name.clone(), v.to_json()))
                    .collect::<serde_json::Map<_, _>>()
            };
            let rows: Vec<_> = f.rows.iter().chain(f.joint.iter()).map(as_json).collect();
            let context: Vec<_> = f.context.iter().map(as_json).collect();
            total += rows.len();
            tables.push(TableExport {
                database: db.name.clone(),
                table: t.spec.name.clone(),
                purposes: t.spec.purposes.clone(),
                columns: t
                    .cols
                    .iter()
                    .map(|c| ColumnInfo {
                        name: c.name.clone(),
                        category: c.category.clone(),
                    })
                    .collect(),
                rows,
                context,
            });
        }
        tracing::info!(tables = tables.len(), rows = total, "access done");
        Ok(AccessReport {
            format: ACCESS_FORMAT.into(),
            generated_at: jiff::Timestamp::now().to_string(),
            subject: subject.identities.clone(),
            tables,
            total_rows: total,
        })
    }
}

/// Builds the Art. 15(1) information from the register for the tables where data was found.
/// Without a register (`None`) the purposes, recipients, retention periods and sources are
/// empty.
pub fn art15_info(register: Option<&Policy>, report: &AccessReport, lang: Lang) -> Art15Info {
    let nl = lang == Lang::Nl;
    // Only tables with the person's own rows count; shared context rows are not their data.
    let purpose_ids: BTreeSet<&str> = report
        .tables
        .iter()
        .filter(|t| !t.rows.is_empty())
        .flat_map(|t| t.purposes.iter().map(String::as_str))
        .collect();
    let found: Vec<&waarborg_policy::Purpose> = register
        .map(|r| purpose_ids.iter().filter_map(|id| r.purpose(id)).collect())
        .unwrap_or_default();
    let purposes: Vec<PurposeInfo> = found
        .iter()
        .map(|p| PurposeInfo {
            id: p.id.clone(),
            name: p.name.get(lang).to_string(),
            legal_basis: p
                .legal_basis
                .map(|b| {
                    let article = if nl { b.article_nl() } else { b.article() };
                    format!("{article}: {}", b.words(lang))
                })
                .unwrap_or_default(),
        })
        .collect();
    let categories: BTreeSet<String> = report
        .tables
        .iter()
        .filter(|t| !t.rows.is_empty())
        .flat_map(|t| t.columns.iter().filter_map(|c| c.category.clone()))
        .filter(|c| c == "user" || c.starts_with("user."))
        .collect();
    let recipient_ids: BTreeSet<&str> = found
        .iter()
        .flat_map(|p| p.recipients.iter().map(String::as_str))
        .collect();
    let recipients = recipient_ids
        .iter()
        .map(|id| match register.and_then(|r| r.recipient(id)) {
            Some(r) => format!("{} ({})", r.name.get(lang), r.country),
            None => (*id).to_string(),
        })
        .collect();
    // (d) The retention rules of the purposes found, by id.
    let rules: std::collections::BTreeMap<&str, &waarborg_policy::RetentionRule> = register
        .map(|r| {
            found
                .iter()
                .flat_map(|p| r.retention_for_purpose(&p.id))
                .map(|rule| (rule.id.as_str(), rule))
                .collect()
        })
        .unwrap_or_default();
    let retention = rules
        .values()
        .map(|r| {
            let span = r.period.span();
            let from =
                register.map_or_else(|| r.from.words(lang), |p| p.event_words(&r.from, lang));
            if nl {
                format!("{}: {span} vanaf {from}", r.id)
            } else {
                format!("{}: {span} from {from}", r.id)
            }
        })
        .collect();
    // (g) Where data not given by the person come from: the sources of the purposes' data.
    let sources = found
        .iter()
        .flat_map(|p| p.data.iter())
        .filter_map(|id| register.and_then(|r| r.data_category(id)))
        .filter_map(|d| d.source.words(lang))
        .map(str::to_string)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let authority = register
        .and_then(|r| r.rights.complaint_authority.clone())
        .unwrap_or_else(|| "Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl)".into());
    Art15Info {
        lang: if nl { "nl" } else { "en" }.into(),
        controller: register
            .map(|r| r.controller.name.clone())
            .unwrap_or_default(),
        purposes,
        categories: categories.into_iter().collect(),
        recipients,
        retention,
        rights: if nl {
            "U hebt het recht om ons te vragen uw gegevens te verbeteren of aan te vullen (art. 16 AVG), te wissen (art. 17), de verwerking te beperken (art. 18), bezwaar te maken (art. 21) en uw gegevens over te dragen (art. 20).".into()
        } else {
            "You have the right to ask us to rectify or complete your data (Art. 16 GDPR), to erase it (Art. 17), to restrict processing (Art. 18), to object (Art. 21) and to receive your data for portability (Art. 20).".into()
        },
        complaint: if nl {
            format!("U kunt een klacht indienen bij de {authority} (art. 77 AVG).")
        } else {
            format!("You can lodge a complaint with the {authority} (Art. 77 GDPR).")
        },
        sources,
        automated_decisions: if nl {
            "Er vindt geen geautomatiseerde besluitvorming plaats, tenzij het register anders vermeldt.".into()
        } else {
            "No automated decision-making takes place unless the register says otherwise.".into()
        },
    }
}

/// The export's main document (`access.json`): the report with the Art. 15(1) information.
pub fn access_document(report: &AccessReport, info: &Art15Info) -> serde_json::Value {
    serde_json::json!({
        "format": report.format,
        "generated_at": report.generated_at,
        "subject": report.subject.iter().map(|(k, v)| serde_json::json!({"kind": k, "value": v})).collect::<Vec<_>>(),
        "total_rows": report.total_rows,
        "information": info,
        "tables": report.tables,
    })
}

/// Writes the export to `dir`: `access.json` (report + information), one CSV per table
/// (`<database>.<table>.csv`) and `information.txt` in the chosen language. Returns the files.
pub fn write_access_export(
    dir: &Path,
    report: &AccessReport,
    info: &Art15Info,
) -> Result<Vec<std::path::PathBuf>> {
    let io = |p: &Path| {
        let path = p.display().to_string();
        move |e| EngineError::Io { path, source: e }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut files = Vec::new();
    let json = access_document(report, info);
    let p = dir.join("access.json");
    let text =
        serde_json::to_string_pretty(&json).map_err(|e| EngineError::Dataset(e.to_string()))?;
    std::fs::write(&p, text).map_err(io(&p))?;
    files.push(p);
    for t in report.tables.iter().filter(|t| !t.rows.is_empty()) {
        let p = dir.join(format!(
            "{}.{}.csv",
            sanitize(&t.database),
            sanitize(&t.table)
        ));
        let mut w = csv::Writer::from_path(&p).map_err(|e| EngineError::Io {
            path: p.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let header: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        let csv_err = |e: csv::Error| EngineError::Io {
            path: p.display().to_string(),
            source: std::io::Error::other(e.to_string()),
        };
        let defused: Vec<String> = header.iter().map(|h| csv_cell(h)).collect();
        w.write_record(&defused).map_err(csv_err)?;
        for r in &t.rows {
            let rec: Vec<String> = header
                .iter()
                .map(|h| match r.get(*h) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => csv_cell(s),
                    Some(v) => v.to_string(),
                })
                .collect();
            w.write_record(&rec).map_err(csv_err)?;
        }
        w.flush().map_err(io(&p))?;
        files.push(p);
    }
    let p = dir.join("information.txt");
    std::fs::write(&p, info_text(info, report)).map_err(io(&p))?;
    files.push(p);
    Ok(files)
}

/// A text value as a CSV cell that a spreadsheet shows instead of running: a value starting
/// with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` (OWASP's advice against
/// CSV injection), unless it is a plain number such as `-12.50`, which a spreadsheet reads as
/// a number. Only the CSV files are changed; `access.json` keeps the exact values.
pub(crate) fn csv_cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// `[+-]digits[.digits][e[+-]digits]`, nothing else (no `inf`, `NaN`, spaces).
fn is_plain_number(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && s.parse::<f64>().is_ok()
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn info_text(info: &Art15Info, report: &AccessReport) -> String {
    let nl = info.lang == "nl";
    let mut s = String::new();
    let h = |nl_s: &str, en_s: &str| {
        if nl {
            nl_s.to_string()
        } else {
            en_s.to_string()
        }
    };
    s.push_str(&h(
        "Inzage in uw persoonsgegevens (art. 15 AVG)\n",
        "Access to your personal data (Art. 15 GDPR)\n",
    ));
    s.push_str(&format!(
        "{}: {}\n{}: {}\n\n",
        h("Verwerkingsverantwoordelijke", "Controller"),
        info.controller,
        h("Aantal gevonden records", "Records found"),
        report.total_rows
    ));
    s.push_str(&h("Doeleinden:\n", "Purposes:\n"));
    for p in &info.purposes {
        s.push_str(&format!("- {} ({})\n", p.name, p.legal_basis));
    }
    s.push_str(&h("Categorieën gegevens:\n", "Categories of data:\n"));
    for c in &info.categories {
        s.push_str(&format!("- {c}\n"));
    }
    s.push_str(&h("Ontvangers:\n", "Recipients:\n"));
    for r in &info.recipients {
        s.push_str(&format!("- {r}\n"));
    }
    s.push_str(&h("Bewaartermijnen:\n", "Retention periods:\n"));
    for r in &info.retention {
        s.push_str(&format!("- {r}\n"));
    }
    if !info.sources.is_empty() {
        s.push_str(&h("Bron:\n", "Source:\n"));
        for r in &info.sources {
            s.push_str(&format!("- {r}\n"));
        }
    }
    s.push_str(&format!(
        "\n{}\n{}\n{}\n",
        info.rights, info.complaint, info.automated_decisions
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_that_would_run_are_defused() {
        for (value, cell) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+31 6 12345678", "'+31 6 12345678"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-inf", "'-inf"),
            ("-12.50", "-12.50"),
            ("+1e5", "+1e5"),
            ("Jan Jansen", "Jan Jansen"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(value), cell, "{value:?}");
        }
    }
}
