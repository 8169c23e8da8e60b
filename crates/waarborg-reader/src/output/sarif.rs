//! SARIF 2.1.0: one log, one run (tool `waarborg`), a rule per problem rule with its law and help
//! text, a result per problem with one location per quote (region start line and column, end
//! line and column in the normalised text).

use serde_json::{Value, json};

use super::{locate, region};
use crate::Report;
use crate::problems::{self, ProblemKind};

fn level(kind: ProblemKind) -> &'static str {
    match kind {
        ProblemKind::MissingArt13Item | ProblemKind::MissingArt28Item => "warning",
        ProblemKind::OutdatedReference | ProblemKind::TypoInIdentifier => "warning",
        ProblemKind::Contradiction
        | ProblemKind::BrokenReference
        | ProblemKind::QuestionableClause => "error",
    }
}

/// The SARIF 2.1.0 log of several reports, pretty-printed.
#[must_use]
pub fn sarif(reports: &[&Report]) -> String {
    let rules: Vec<Value> = problems::rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.code.to_lowercase().replace('-', "_"),
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.help_en },
                "help": {
                    "text": format!("{}\n\nLaw: {}\n\nNL: {}", r.help_en, r.law, r.help_nl),
                    "markdown": format!("{}\n\n**Law:** {}\n\n**NL:** {}", r.help_en, r.law, r.help_nl),
                },
                "defaultConfiguration": { "level": level(r.kind) },
                "properties": { "kind": r.kind.as_str(), "law": r.law },
            })
        })
        .collect();
    let index_of = |code: &str| -> Option<usize> {
        let base = if code.starts_with("RD-OUTDATED-") {
            "RD-OUTDATED"
        } else {
            code
        };
        problems::rules().iter().position(|r| r.code == base)
    };
    let mut results = Vec::new();
    let mut artifacts = Vec::new();
    for (ai, report) in reports.iter().enumerate() {
        let uri = report
            .summary
            .source
            .clone()
            .unwrap_or_else(|| report.document.source.clone());
        artifacts.push(json!({ "location": { "uri": uri } }));
        for p in &report.summary.problems {
            let mut locations: Vec<Value> = p
                .evidence
                .iter()
                .filter_map(|q| locate(&report.document.text, q))
                .map(|r| {
                    let g = region(&report.document, &r);
                    json!({
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri, "index": ai },
                            "region": {
                                "startLine": g.start_line,
                                "startColumn": g.start_column,
                                "endLine": g.end_line,
                                "endColumn": g.end_column,
                            }
                        }
                    })
                })
                .collect();
            if locations.is_empty() {
                locations.push(json!({
                    "physicalLocation": { "artifactLocation": { "uri": uri, "index": ai } }
                }));
            }
            let mut result = json!({
                "ruleId": p.rule,
                "level": level(p.kind),
                "message": { "text": p.explanation },
                "locations": locations,
                "properties": { "kind": p.kind.as_str(), "evidence": p.evidence },
            });
            if let (Some(i), Some(obj)) = (index_of(&p.rule), result.as_object_mut()) {
                obj.insert("ruleIndex".to_owned(), json!(i));
            }
            if let (Some(item), Some(props)) = (
                &p.item,
                result.get_mut("properties").and_then(Value::as_object_mut),
            ) {
                props.insert("item".to_owned(), json!(item));
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "waarborg",
                "informationUri": "https://example.invalid/waarborg",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "artifacts": artifacts,
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}
