//! `waarborg demo`: the main job end to end on an embedded default (SQLite, a demo register).
//!
//! Everything the demo uses is compiled into the binary (`examples/demo/`): a privacy statement
//! with typical defects, the clean register of the fictional web shop "Voorbeeld Webwinkel B.V.",
//! its dataset file and the SQL of its shop database with invented people. The demo writes only
//! into its output folder, which it creates; it replaces the demo's own files there.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use waarborg_engine::{
    Datasets, Engine, EraseOptions, Subject, SweepOptions, art15_info, write_access_export,
    write_certificate,
};
use waarborg_policy::render::{Format, What};
use waarborg_policy::{Lang, Severity};
use waarborg_store::{
    CaseKind, ConsentGrant, ConsentScope, ConsentUse, Identity, NewCase, Store, audit::sha256_hex,
};

const DEMO_STATEMENT: &str = include_str!("../../../../examples/demo/statement.txt");
const DEMO_POLICY: &str = include_str!("../../../../examples/demo/policy.toml");
const DEMO_DATASETS: &str = include_str!("../../../../examples/demo/datasets.toml");
const DEMO_SQL: &str = include_str!("../../../../examples/demo/demo.sql");

/// The demo command.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Runs Waarborg's main job end to end on an embedded demo: reads a privacy statement,
    /// lints and renders the demo register, answers an access and an erasure request on a
    /// SQLite shop database, uses a single-use consent, sweeps expired data and verifies the
    /// audit trail.
    Demo(DemoArgs),
}

/// Options of `waarborg demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The folder to write the demo's files into (created when missing).
    #[arg(long, default_value = "waarborg-demo")]
    out: PathBuf,
}

/// Runs the demo.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    match cmd {
        Commands::Demo(args) => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            rt.block_on(demo(&args.out))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn step(n: u32, title: &str) {
    println!("\n[{n}] {title}");
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", path.display())),
    }
}

async fn demo(out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let out = out
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", out.display()))?;
    println!("Waarborg demo: Voorbeeld Webwinkel B.V. (all people invented)");
    println!("output folder: {}", out.display());

    // 1. Read: facts and problems from a privacy statement as published.
    step(1, "read: the shop's published privacy statement");
    let statement_path = out.join("statement.txt");
    write(&statement_path, DEMO_STATEMENT)?;
    let report = waarborg_reader::read_path(&statement_path)
        .with_context(|| format!("cannot read {}", statement_path.display()))?;
    let summary = &report.summary;
    println!(
        "    {} data categories, {} purposes, {} retention periods, {} recipients; {} problems:",
        summary.data_categories.len(),
        summary.purposes.len(),
        summary.retention.len(),
        summary.recipients.len(),
        summary.problems.len()
    );
    for p in &summary.problems {
        let quote = p.evidence.first().map(String::as_str).unwrap_or("");
        println!("    - {}: \"{}\"", p.rule, shorten(quote, 70));
    }
    let summary_path = out.join("statement.summary.json");
    write(&summary_path, &serde_json::to_string_pretty(summary)?)?;

    // 2. Register: lint the policy-as-code and render the statement from it.
    step(
        2,
        "register: lint the demo register and render the statement from it",
    );
    let policy = waarborg_policy::from_toml_str(DEMO_POLICY, "examples/demo/policy.toml")
        .map_err(|e| anyhow::anyhow!("the embedded demo register does not load: {e}"))?;
    let diagnostics = waarborg_policy::lint_policy(&policy);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    println!(
        "    lint: {} findings, {} errors (register digest {})",
        diagnostics.len(),
        errors,
        shorten(&policy.digest(), 16)
    );
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
            .map_err(|e| anyhow::anyhow!("cannot render {name}: {e}"))?;
        write(&out.join(name), &text)?;
        println!("    wrote {name}");
    }

    // 3. Enforce: the shop database, the store, an access and an erasure request.
    step(3, "enforce: requests on the shop's SQLite database");
    let shop = out.join("shop.db");
    let store_path = out.join("waarborg.db");
    for p in [&shop, &store_path] {
        remove_if_present(p)?;
        remove_if_present(&PathBuf::from(format!("{}-wal", p.display())))?;
        remove_if_present(&PathBuf::from(format!("{}-shm", p.display())))?;
    }
    let shop_url = format!("sqlite://{}?mode=rwc", shop.display());
    waarborg_engine::run_script(&shop_url, DEMO_SQL).await?;
    let datasets = Datasets::from_toml(DEMO_DATASETS)?;
    let register = &policy;
    datasets.check_register(register)?;
    let engine = Engine::connect(&datasets, &[("shop".to_string(), shop_url.clone())]).await?;
    let store = Store::open(&format!("sqlite://{}", store_path.display())).await?;
    store
        .append_register_change(&policy.digest(), &serde_json::json!({"register": "demo"}))
        .await?;
    let promise = policy.rights.deadline.as_ref().map(|d| d.span());

    // Access (Art. 15).
    let who = "sanne.devries@example.nl";
    let case = store
        .open_case(
            NewCase::new(
                CaseKind::Access,
                Identity::parse_pairs([format!("email={who}")])?,
            )
            .promise(promise),
        )
        .await?;
    store.verify_case(&case.id, "e-mail link").await?;
    store.start_case(&case.id, "demo").await?;
    let subject = Subject::parse(&format!("email={who}"))?;
    let access = engine.access(&subject).await?;
    let info = art15_info(Some(register), &access, waarborg_engine::Lang::Nl);
    let access_dir = out.join("access");
    let files = write_access_export(&access_dir, &access, &info)?;
    let access_json = serde_json::to_string(&access)?;
    store
        .append_engine_run(
            "access",
            &sha256_hex(access_json.as_bytes()),
            &serde_json::json!({"case": case.id, "rows": access.total_rows}),
        )
        .await?;
    let closed = store.close_case(&case.id, Some("export sent")).await?;
    println!(
        "    access case {}: {} rows in {} tables, {} files in {} (due {}, status {})",
        closed.id,
        access.total_rows,
        access.tables.len(),
        files.len(),
        access_dir.display(),
        waarborg_store::deadline::last_day(closed.due_at)?,
        closed.status.as_str()
    );

    // Erasure (Art. 17) with the fiscal legal hold on invoices.
    let who = "emma.visser@example.nl";
    let case = store
        .open_case(
            NewCase::new(
                CaseKind::Erasure,
                Identity::parse_pairs([format!("email={who}")])?,
            )
            .promise(promise),
        )
        .await?;
    store.verify_case(&case.id, "e-mail link").await?;
    store.start_case(&case.id, "demo").await?;
    let subject = Subject::parse(&format!("email={who}"))?;
    let opts = EraseOptions {
        hash_key: Some(b"waarborg-demo-key".to_vec()),
        request_id: Some(case.id.clone()),
        ..EraseOptions::default()
    };
    let cert = engine.erase(&subject, Some(register), &opts).await?;
    let cert_path = out.join("erasure-certificate.json");
    let cert_text = write_certificate(&cert_path, &cert)?;
    store
        .append_engine_run(
            "erase",
            &sha256_hex(cert_text.as_bytes()),
            &serde_json::json!({"case": case.id}),
        )
        .await?;
    store.close_case(&case.id, Some("erased")).await?;
    let (mut deleted, mut masked, mut kept) = (0, 0, 0);
    for t in cert.tables.iter() {
        deleted += t.deleted;
        masked += t.masked;
        kept += t.kept;
    }
    println!(
        "    erasure case {}: {deleted} rows deleted, {masked} masked, {kept} kept under a legal hold; certificate {}",
        case.id,
        cert_path.display()
    );
    let again = engine.erase(&subject, Some(register), &opts).await?;
    let changed: u64 = again.tables.iter().map(|t| t.deleted + t.masked).sum();
    println!("    the same erasure again changes {changed} rows");

    // 4. Consent: a single-use consent for one whitepaper shared with its sponsor.
    step(4, "consent: a single-use consent is used up once used");
    let grant = ConsentGrant {
        subject: "julia.mulder@example.nl".into(),
        purpose: "newsletter".into(),
        scope: ConsentScope::SingleUse {
            object: "whitepaper-2026-privacy".into(),
            recipient: "Sponsor B.V.".into(),
        },
        register_hash: Some(policy.digest()),
        wording: Some("Ja, deel mijn gegevens eenmalig met de sponsor van deze whitepaper.".into()),
        wording_sha256: None,
        source: "demo".into(),
    };
    store.grant_consent(&grant).await?;
    let use_once = ConsentUse {
        subject: grant.subject.clone(),
        purpose: grant.purpose.clone(),
        object: Some("whitepaper-2026-privacy".into()),
        recipient: Some("Sponsor B.V.".into()),
        source: "demo".into(),
    };
    store.use_consent(&use_once).await?;
    match store.use_consent(&use_once).await {
        Ok(_) => anyhow::bail!("a single-use consent was used twice: the ledger is wrong"),
        Err(e) => println!("    first use recorded; second use refused: {e}"),
    }

    // 5. Retention sweep.
    step(5, "sweep: data past its retention period");
    let swept = engine
        .sweep(register, jiff::Timestamp::now(), &SweepOptions::default())
        .await?;
    let sweep_json = serde_json::to_string_pretty(&swept)?;
    write(&out.join("sweep-report.json"), &sweep_json)?;
    store
        .append_engine_run(
            "sweep",
            &sha256_hex(sweep_json.as_bytes()),
            &serde_json::json!({"rules": swept.rules.len()}),
        )
        .await?;
    for r in &swept.rules {
        println!(
            "    {} on {}.{}: {} {} past {} ({})",
            r.rule,
            r.database,
            r.table,
            r.expired,
            if r.expired == 1 { "row" } else { "rows" },
            r.period,
            r.action
        );
        if r.blocked > 0 {
            println!(
                "      {} of them blocked: still referred to by {}",
                r.blocked,
                r.blocked_by
                    .iter()
                    .map(|b| b.reference.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }

    // 6. Audit.
    step(6, "audit: verify the hash chain");
    let verified = store.verify_audit().await?;
    if !verified.ok() {
        anyhow::bail!("the audit chain does not verify: {verified:?}");
    }
    let mut export = Vec::new();
    let n = store.export_audit(&mut export).await?;
    std::fs::write(out.join("audit.jsonl"), &export).context("cannot write audit.jsonl")?;
    println!("    {n} audit entries, chain intact; exported to audit.jsonl");
    store.close().await;

    println!(
        "\nDone. Try: waarborg lint examples/*/policy.toml, waarborg read ../shared/corpus/seeds"
    );
    Ok(())
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
