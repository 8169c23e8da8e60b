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

/// Builds the Art. 15(1) information from the register for the tables where data was found,
/// in words a person reads (the register's labels, periods and bases in words, country names;
/// no keys, codes or ISO durations). The wording is `texts/<lang>.toml` of the register crate.
/// Without a register (`None`) the purposes, recipients, retention periods and sources are
/// empty.
pub fn art15_info(register: Option<&Policy>, report: &AccessReport, lang: Lang) -> Art15Info {
    let t = waarborg_policy::texts::Texts::builtin(lang);
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
                .map(|b| waarborg_policy::render::basis_words(b, lang))
                .unwrap_or_default(),
        })
        .collect();
    // (b) The categories found, by the register's own labels where it has them.
    let mut categories: Vec<String> = Vec::new();
    for key in report
        .tables
        .iter()
        .filter(|t| !t.rows.is_empty())
        .flat_map(|t| t.columns.iter().filter_map(|c| c.category.clone()))
        .filter(|c| c == "user" || c.starts_with("user."))
        .collect::<BTreeSet<String>>()
    {
        let label = register
            .and_then(|r| waarborg_policy::render::data_label(r, &key, lang))
            .unwrap_or_else(|| key.rsplit('.').next().unwrap_or(&key).replace('_', " "));
        if !categories.contains(&label) {
            categories.push(label);
        }
    }
    let recipient_ids: BTreeSet<&str> = found
        .iter()
        .flat_map(|p| p.recipients.iter().map(String::as_str))
        .collect();
    let recipients = recipient_ids
        .iter()
        .filter_map(|id| register.and_then(|r| r.recipient(id)))
        .map(|r| format!("{} ({})", r.name.get(lang), t.country(&r.country)))
        .collect();
    // (d) The retention rules of the purposes found, in sentences.
    let rules: std::collections::BTreeMap<&str, &waarborg_policy::RetentionRule> = register
        .map(|r| {
            found
                .iter()
                .flat_map(|p| r.retention_for_purpose(&p.id))
                .map(|rule| (rule.id.as_str(), rule))
                .collect()
        })
        .unwrap_or_default();
    let retention = match register {
        Some(p) => rules
            .values()
            .map(|r| waarborg_policy::render::retention_sentence(p, r, lang))
            .collect(),
        None => Vec::new(),
    };
    // (g) Where data not given by the person come from: the sources of the purposes' data.
    let sources = found
        .iter()
        .flat_map(|p| p.data.iter())
        .filter_map(|id| register.and_then(|r| r.data_category(id)))
        .filter_map(|d| match d.source {
            waarborg_policy::DataSource::DataSubject => None,
            other => Some(t.get(&format!("source.{}", source_key(other))).to_owned()),
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let authority = register.and_then(|r| r.rights.complaint_authority.clone());
    let complaint = match authority {
        Some(a) if !a.to_lowercase().contains("autoriteit persoonsgegevens") => {
            t.fill("letter.complaint", &[("authority", a.trim())])
        }
        _ => t.fill(
            "letter.complaint_ap",
            &[("url", t.get("page.complaint_url"))],
        ),
    };
    // (h) Automated decisions: described, or said to be absent only when the register says so.
    let automated_decisions = match register {
        Some(r) if !r.automated_decisions.is_empty() => r
            .automated_decisions
            .iter()
            .map(|a| a.description.get(lang).trim().to_owned())
            .collect::<Vec<_>>()
            .join(" "),
        Some(r) if r.statement.no_automated_decisions => t.get("letter.automated_none").to_owned(),
        _ => String::new(),
    };
    Art15Info {
        lang: lang.code().into(),
        controller: register
            .map(|r| r.controller.name.clone())
            .unwrap_or_default(),
        purposes,
        categories,
        recipients,
        retention,
        rights: t.get("letter.rights_text").to_owned(),
        complaint,
        sources,
        automated_decisions,
    }
}

fn source_key(s: waarborg_policy::DataSource) -> &'static str {
    match s {
        waarborg_policy::DataSource::DataSubject => "data_subject",
        waarborg_policy::DataSource::ThirdParty => "third_party",
        waarborg_policy::DataSource::Public => "public",
        waarborg_policy::DataSource::Observed => "observed",
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
/// (`<database>.<table>.csv`), and the Art. 15 letter as `information.txt` and `information.html` in
/// the chosen language. Returns the files.
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
    std::fs::write(&p, information_letter(info, report)).map_err(io(&p))?;
    files.push(p);
    let p = dir.join("information.html");
    std::fs::write(&p, information_html(info, report)).map_err(io(&p))?;
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

/// The sections of the Art. 15 letter: (heading, paragraphs or list items, is a list).
fn letter_sections(
    info: &Art15Info,
    report: &AccessReport,
) -> (String, Vec<(String, Vec<String>, bool)>) {
    let lang = if info.lang == "en" {
        Lang::En
    } else {
        Lang::Nl
    };
    let t = waarborg_policy::texts::Texts::builtin(lang);
    let rows = report.total_rows.to_string();
    let intro = format!(
        "{}\n\n{} {}",
        t.get("letter.greeting"),
        t.fill("letter.intro", &[("controller", &info.controller)]),
        t.fill("letter.found", &[("rows", &rows)])
    );
    let mut sections = Vec::new();
    let purposes: Vec<String> = info
        .purposes
        .iter()
        .map(|p| {
            if p.legal_basis.is_empty() {
                t.fill("letter.purpose_no_basis", &[("purpose", &p.name)])
            } else {
                t.fill(
                    "letter.purpose",
                    &[("purpose", &p.name), ("basis", &p.legal_basis)],
                )
            }
        })
        .collect();
    if !purposes.is_empty() {
        sections.push((t.get("letter.purposes").to_owned(), purposes, true));
    }
    if !info.categories.is_empty() {
        sections.push((
            t.get("letter.categories").to_owned(),
            info.categories.clone(),
            true,
        ));
    }
    if !info.purposes.is_empty() {
        let recipients = if info.recipients.is_empty() {
            vec![t.get("letter.recipients_none").to_owned()]
        } else {
            info.recipients.clone()
        };
        let list = !info.recipients.is_empty();
        sections.push((t.get("letter.recipients").to_owned(), recipients, list));
    }
    if !info.retention.is_empty() {
        sections.push((
            t.get("letter.retention").to_owned(),
            info.retention.clone(),
            true,
        ));
    }
    if !info.sources.is_empty() {
        let sources = t.list(&info.sources, false);
        sections.push((
            t.get("letter.sources").to_owned(),
            vec![t.fill("letter.sources_line", &[("sources", &sources)])],
            false,
        ));
    }
    if !info.automated_decisions.is_empty() {
        sections.push((
            t.get("letter.automated").to_owned(),
            vec![info.automated_decisions.clone()],
            false,
        ));
    }
    sections.push((
        t.get("letter.rights").to_owned(),
        vec![info.rights.clone(), info.complaint.clone()],
        false,
    ));
    (intro, sections)
}

/// The Art. 15(1) information as a plain-text letter in the person's language
/// (`information.txt`): greeting, what was found, then one section per item, and the closing.
pub fn information_letter(info: &Art15Info, report: &AccessReport) -> String {
    let lang = if info.lang == "en" {
        Lang::En
    } else {
        Lang::Nl
    };
    let t = waarborg_policy::texts::Texts::builtin(lang);
    let (intro, sections) = letter_sections(info, report);
    let title = t.get("letter.title");
    let mut s = format!(
        "{title}\n{}\n\n{intro}\n",
        "=".repeat(title.chars().count())
    );
    for (heading, items, list) in sections {
        s.push_str(&format!(
            "\n{heading}\n{}\n",
            "-".repeat(heading.chars().count())
        ));
        for i in items {
            if list {
                s.push_str(&format!("- {i}\n"));
            } else {
                s.push_str(&format!("{i}\n"));
            }
        }
    }
    s.push_str(&format!(
        "\n{}\n{}\n",
        t.get("letter.closing"),
        info.controller
    ));
    s
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The same letter as a small HTML page (`information.html`), with links for web addresses.
pub fn information_html(info: &Art15Info, report: &AccessReport) -> String {
    let lang = if info.lang == "en" {
        Lang::En
    } else {
        Lang::Nl
    };
    let t = waarborg_policy::texts::Texts::builtin(lang);
    let (intro, sections) = letter_sections(info, report);
    let para = |text: &str| -> String {
        // A web address at the end of a sentence becomes a link.
        let e = escape_html(text);
        match e.find("https://") {
            Some(i) => {
                let (head, url) = e.split_at(i);
                let url = url.trim_end_matches('.');
                format!("{head}<a href=\"{url}\">{url}</a>")
            }
            None => e,
        }
    };
    let title = escape_html(t.get("letter.title"));
    let mut h = format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>body {{ font-family: system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n",
        lang.code()
    );
    for p in intro.split("\n\n") {
        h.push_str(&format!("<p>{}</p>\n", para(p)));
    }
    for (heading, items, list) in sections {
        h.push_str(&format!("<h2>{}</h2>\n", escape_html(&heading)));
        if list {
            h.push_str("<ul>\n");
            for i in items {
                h.push_str(&format!("<li>{}</li>\n", para(&i)));
            }
            h.push_str("</ul>\n");
        } else {
            for i in items {
                h.push_str(&format!("<p>{}</p>\n", para(&i)));
            }
        }
    }
    h.push_str(&format!(
        "<p>{}<br>\n{}</p>\n</main>\n</body>\n</html>\n",
        escape_html(t.get("letter.closing")),
        escape_html(&info.controller)
    ));
    h
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
