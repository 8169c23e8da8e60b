//! The demo organisation, built end to end on an embedded default (SQLite, a demo register):
//! the fictional web shop "Voorbeeld Webwinkel B.V." with invented people. Used by
//! `waarborg demo` and `waarborg serve --demo`.
//!
//! Everything is compiled in (`examples/demo/`): a privacy statement with typical defects, the
//! clean register, its dataset file and the SQL of the shop database. The demo writes only into
//! its folder, which it creates; it replaces the demo's own files there.

use std::path::{Path, PathBuf};

use jiff::{Span, Timestamp};
use waarborg_policy::render::{Format, What};
use waarborg_policy::{Lang, Severity};
use waarborg_store::{CaseKind, ConsentUse, Store};

use crate::cases::{self, OpenCase};
use crate::config::{Keys, Secret};
use crate::consent::{self, Grant};
use crate::error::{AppError, Context, Result};
use crate::register::LoadedRegister;
use crate::requests::{self, Op, Outcome, Request};
use crate::workspace::Workspace;

const DEMO_STATEMENT: &str = include_str!("../../../examples/demo/statement.txt");
const DEMO_POLICY: &str = include_str!("../../../examples/demo/policy.toml");
const DEMO_DATASETS: &str = include_str!("../../../examples/demo/datasets.toml");
const DEMO_SQL: &str = include_str!("../../../examples/demo/demo.sql");

/// The masking key of the demo (a real organisation keeps its own secret).
pub const DEMO_MASK_KEY: &[u8] = b"waarborg-demo-key";

/// The demo organisation as built: where its files are, to serve or inspect them.
#[derive(Debug, Clone)]
pub struct DemoOrg {
    /// The folder.
    pub folder: PathBuf,
    /// The store URL (`sqlite://.../waarborg.db`).
    pub store_url: String,
    /// The register file.
    pub policy: PathBuf,
    /// The dataset file.
    pub datasets: PathBuf,
    /// The shop database binding (`shop`, URL).
    pub bindings: Vec<(String, String)>,
    /// The keys the demo uses.
    pub keys: Keys,
}

fn write(path: &Path, text: &[u8]) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(AppError::from(e).context(format!("cannot remove {}", path.display()))),
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Builds the demo in `out` and runs the main job on it: read a statement, lint and render the
/// register, answer an access and an erasure request, use a single-use consent, sweep, verify
/// the audit trail; then leaves a few open requests for the dashboard. Each line of what it
/// does goes to `say`.
pub async fn build(out: &Path, say: &mut (dyn FnMut(&str) + Send)) -> Result<DemoOrg> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let out = out
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", out.display()))?;
    say("Waarborg demo: Voorbeeld Webwinkel B.V. (all people invented)");
    say(&format!("output folder: {}", out.display()));
    let step = |n: u32, title: &str, say: &mut (dyn FnMut(&str) + Send)| {
        say(&format!("\n[{n}] {title}"));
    };

    // 1. Read: facts and problems from a privacy statement as published.
    step(1, "read: the shop's published privacy statement", say);
    let statement_path = out.join("statement.txt");
    write(&statement_path, DEMO_STATEMENT.as_bytes())?;
    let report = waarborg_reader::read_path(&statement_path)
        .map_err(|e| AppError::invalid(format!("cannot read {}: {e}", statement_path.display())))?;
    let summary = &report.summary;
    say(&format!(
        "    {} data categories, {} purposes, {} retention periods, {} recipients; {} problems:",
        summary.data_categories.len(),
        summary.purposes.len(),
        summary.retention.len(),
        summary.recipients.len(),
        summary.problems.len()
    ));
    for p in &summary.problems {
        let quote = p.evidence.first().map(String::as_str).unwrap_or("");
        say(&format!("    - {}: \"{}\"", p.rule, shorten(quote, 70)));
    }
    write(
        &out.join("statement.summary.json"),
        serde_json::to_string_pretty(summary)?.as_bytes(),
    )?;

    // 2. Register: lint the policy-as-code and render the statement from it.
    step(
        2,
        "register: lint the demo register and render the statement from it",
        say,
    );
    let policy_path = out.join("policy.toml");
    write(&policy_path, DEMO_POLICY.as_bytes())?;
    let policy =
        waarborg_policy::from_toml_str(DEMO_POLICY, "examples/demo/policy.toml").map_err(|e| {
            AppError::internal(format!("the embedded demo register does not load: {e}"))
        })?;
    let diagnostics = waarborg_policy::lint_policy(&policy);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    say(&format!(
        "    lint: {} findings, {} errors (register digest {})",
        diagnostics.len(),
        errors,
        shorten(&policy.digest(), 16)
    ));
    for (what, lang, format, name) in [
        (
            What::Statement,
            Lang::Nl,
            Format::Markdown,
            "privacyverklaring.md",
        ),
        (
            What::Statement,
            Lang::En,
            Format::Html,
            "privacy-statement.html",
        ),
        (What::Register, Lang::Nl, Format::Csv, "art30-register.csv"),
        (What::Cookies, Lang::Nl, Format::Markdown, "cookies.md"),
    ] {
        let text = waarborg_policy::render::render(&policy, what, lang, format, None)
            .map_err(|e| AppError::internal(format!("cannot render {name}: {e}")))?;
        write(&out.join(name), text.as_bytes())?;
        say(&format!("    wrote {name}"));
    }
    let register = LoadedRegister::from_policy(policy, policy_path.display().to_string());

    // 3. Enforce: the shop database, the store, an access and an erasure request.
    step(3, "enforce: requests on the shop's SQLite database", say);
    let shop = out.join("shop.db");
    let store_path = out.join("waarborg.db");
    for p in [&shop, &store_path] {
        remove_if_present(p)?;
        remove_if_present(&PathBuf::from(format!("{}-wal", p.display())))?;
        remove_if_present(&PathBuf::from(format!("{}-shm", p.display())))?;
    }
    let shop_url = format!("sqlite://{}?mode=rwc", shop.display());
    waarborg_engine::run_script(&shop_url, DEMO_SQL).await?;
    let datasets_path = out.join("datasets.toml");
    write(&datasets_path, DEMO_DATASETS.as_bytes())?;
    let datasets = waarborg_engine::Datasets::from_toml(DEMO_DATASETS)?;
    datasets.check_register(&register.policy)?;
    let keys = Keys {
        audit: None,
        mask: Some(Secret::new(DEMO_MASK_KEY)),
    };
    let bindings = vec![("shop".to_string(), shop_url.clone())];
    let ws =
        Workspace::connect_datasets(keys.clone(), Some(register), &datasets, &bindings).await?;
    let store_url = format!("sqlite://{}", store_path.display());
    let store = Store::open(&store_url).await?;
    let register = ws.require_register("the demo")?;
    register.record(&store).await?;

    // Access (Art. 15).
    let access_dir = out.join("access");
    let (case_id, files) = {
        let c = answered_case(
            &store,
            register,
            CaseKind::Access,
            "sanne.devries@example.nl",
        )
        .await?;
        let mut files = Vec::new();
        let mut req = Request::new(Op::Access);
        req.case = Some(c.clone());
        req.worker = "demo".into();
        let done = requests::carry_out(&ws, Some(&store), &req, |o| {
            let Outcome::Access { report, info } = o else {
                return Err(AppError::internal("an access request gave no export"));
            };
            files = waarborg_engine::write_access_export(&access_dir, report, info)?;
            std::fs::read(access_dir.join("access.json")).context("cannot read back access.json")
        })
        .await?;
        if let (Outcome::Access { report, .. }, Some(closed)) = (&done.outcome, &done.case) {
            say(&format!(
                "    access case {}: {} rows in {} tables, {} files in {} (due {}, status {})",
                closed.id,
                report.total_rows,
                report.tables.len(),
                files.len(),
                access_dir.display(),
                waarborg_store::deadline::last_day(closed.due_at)?,
                closed.status.as_str()
            ));
        }
        (c, files)
    };
    let _ = (case_id, files);

    // Erasure (Art. 17) with the fiscal legal hold on invoices.
    let who = "emma.visser@example.nl";
    let c = answered_case(&store, register, CaseKind::Erasure, who).await?;
    let cert_path = out.join("erasure-certificate.json");
    let mut req = Request::new(Op::Erase);
    req.case = Some(c.clone());
    req.worker = "demo".into();
    let done = requests::carry_out(&ws, Some(&store), &req, |o| {
        let Outcome::Certificate(cert) = o else {
            return Err(AppError::internal("an erasure gave no certificate"));
        };
        Ok(waarborg_engine::write_certificate(&cert_path, cert)?.into_bytes())
    })
    .await?;
    if let Outcome::Certificate(cert) = &done.outcome {
        let n = requests::Counts::of(cert);
        say(&format!(
            "    erasure case {c}: {} rows deleted, {} masked, {} kept under a legal hold; certificate {}",
            n.deleted,
            n.masked,
            n.kept,
            cert_path.display()
        ));
    }
    let mut again = Request::new(Op::Erase);
    again.subject = vec![("email".into(), who.into())];
    again.worker = "demo".into();
    let redo = requests::carry_out(&ws, None, &again, |o| o.document()).await?;
    if let Outcome::Certificate(cert) = &redo.outcome {
        let n = requests::Counts::of(cert);
        say(&format!(
            "    the same erasure again changes {} rows",
            n.deleted + n.masked
        ));
    }

    // 4. Consent: a single-use consent for one whitepaper shared with its sponsor.
    step(4, "consent: a single-use consent is used up once used", say);
    let subject = "julia.mulder@example.nl";
    let object = "whitepaper-2026-privacy";
    let recipient = "Sponsor B.V.";
    consent::grant(
        &store,
        Some(register),
        Grant {
            subject: subject.into(),
            purpose: "newsletter".into(),
            single_use: Some((object.into(), recipient.into())),
            wording: Some(
                "Ja, deel mijn gegevens eenmalig met de sponsor van deze whitepaper.".into(),
            ),
            wording_sha256: None,
            source: "demo".into(),
            register_hash: None,
        },
    )
    .await?;
    let use_once = ConsentUse {
        subject: subject.into(),
        purpose: "newsletter".into(),
        object: Some(object.into()),
        recipient: Some(recipient.into()),
        source: "demo".into(),
    };
    consent::use_consent(&store, &use_once).await?;
    match consent::use_consent(&store, &use_once).await {
        Ok(_) => {
            return Err(AppError::internal(
                "a single-use consent was used twice: the ledger is wrong",
            ));
        }
        Err(e) => say(&format!("    first use recorded; second use refused: {e}")),
    }

    // 5. Retention sweep.
    step(5, "sweep: data past its retention period", say);
    let report_path = out.join("sweep-report.json");
    let swept = crate::sweep::run(&ws, Some(&store), crate::sweep::Sweep::default(), |r| {
        let bytes = crate::sweep::report_json(r)?;
        write(&report_path, &bytes)?;
        Ok(bytes)
    })
    .await?;
    for r in &swept.report.rules {
        say(&format!(
            "    {} on {}.{}: {} {} past {} ({})",
            r.rule,
            r.database,
            r.table,
            r.expired,
            if r.expired == 1 { "row" } else { "rows" },
            r.period,
            r.action
        ));
        if r.blocked > 0 {
            say(&format!(
                "      {} of them blocked: still referred to by {}",
                r.blocked,
                r.blocked_by
                    .iter()
                    .map(|b| b.reference.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }

    // 6. Requests waiting: what an officer finds on the dashboard.
    step(6, "requests waiting for the privacy officer", say);
    let now = Timestamp::now();
    for (kind, who, days_ago, verified) in [
        (CaseKind::Access, "daan.bakker@example.nl", 33, true),
        (CaseKind::Erasure, "noor.jansen@example.nl", 25, true),
        (
            CaseKind::Rectification,
            "sanne.devries@example.nl",
            10,
            false,
        ),
        (CaseKind::Access, "julia.mulder@example.nl", 2, false),
    ] {
        let received = now
            .checked_sub(Span::new().hours(24 * days_ago))
            .map_err(|e| AppError::internal(e.to_string()))?;
        let c = cases::open(
            &store,
            OpenCase {
                kind,
                subject: vec![format!("email={who}")],
                received: Some(received),
                deadline: None,
                note: None,
            },
            Some(register),
        )
        .await?;
        if verified {
            cases::verify(&store, &c.id, "e-mail link").await?;
        }
        say(&format!(
            "    case {}: {} received {days_ago} days ago, due {}{}",
            c.id,
            kind.as_str(),
            c.due_date,
            if c.is_overdue(now) { " (OVERDUE)" } else { "" }
        ));
    }

    // 7. A breach: the 72-hour clock runs.
    step(7, "breach register: an e-mail to the wrong customer", say);
    let aware = now
        .checked_sub(Span::new().hours(20))
        .map_err(|e| AppError::internal(e.to_string()))?;
    let incident = crate::breach::open(
        &store,
        Some(&register.policy),
        "demo",
        "Een orderbevestiging met naam en adres is naar een verkeerde klant gestuurd.",
        aware,
        waarborg_store::IncidentFacts {
            nature: vec![waarborg_store::Nature::Misdirected],
            categories: vec!["user.contact.address".into(), "user.name".into()],
            people_min: Some(1),
            people_max: Some(1),
            encrypted: Some(false),
            ..Default::default()
        },
    )
    .await?;
    say(&format!(
        "    incident {}: notify the AP by {} unless assessed as no risk",
        incident.id,
        crate::breach::rfc3339(incident.ap_deadline, &crate::config::time_zone(None)?)
    ));

    // 8. Audit.
    step(8, "audit: verify the hash chain", say);
    let verified = crate::audit::verify(&store, None).await?;
    if !verified.ok() {
        return Err(AppError::internal(format!(
            "the audit chain does not verify: {verified:?}"
        )));
    }
    let mut export = Vec::new();
    let n = crate::audit::export(&store, &mut export).await?;
    write(&out.join("audit.jsonl"), &export)?;
    say(&format!(
        "    {n} audit entries, chain intact; exported to audit.jsonl"
    ));
    store.close().await;
    Ok(DemoOrg {
        folder: out.clone(),
        store_url,
        policy: policy_path,
        datasets: datasets_path,
        bindings,
        keys,
    })
}

/// Opens a case for `who`, verified by an e-mail link: ready to carry out.
async fn answered_case(
    store: &Store,
    register: &LoadedRegister,
    kind: CaseKind,
    who: &str,
) -> Result<String> {
    let c = cases::open(
        store,
        OpenCase {
            kind,
            subject: vec![format!("email={who}")],
            received: None,
            deadline: None,
            note: None,
        },
        Some(register),
    )
    .await?;
    cases::verify(store, &c.id, "e-mail link").await?;
    Ok(c.id)
}
