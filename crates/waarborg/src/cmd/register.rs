//! Commands of the register area: `init`, `lint`, `rules` and `render`. The logic lives in
//! `waarborg-policy` and (for `init`) `waarborg-app`; this module only parses arguments and prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use waarborg_policy::Lang;
use waarborg_policy::lint::{self, has_errors, lint_paths};
use waarborg_policy::render::{self, Format, What};
use waarborg_policy::rules;

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Start a register (policy.toml) by answering questions, then see what lint finds in it.
    ///
    /// Asks who you are, your privacy contact, whose data you use, for which purposes and on
    /// which legal basis, which data, how long you keep them, who receives them and which cookies
    /// your website sets. Questions go to standard output; answers are read line by line from
    /// standard input, so answers can also be piped in (one per line; an empty line skips an
    /// optional question or ends a list). A bad answer is asked again with the reason.
    ///
    /// At the end the register is written (to a temporary file, then renamed), loaded back and
    /// linted; the errors and warnings are shown in the chosen language with what to do next.
    /// Exit code 0 when the register was written and loads; 2 when --out exists without
    /// --force, --from cannot be read, or the answers end too early.
    Init(InitArgs),
    /// Check registers (policy.toml) against the GDPR and Dutch law.
    ///
    /// Exit code 0: no error-level finding; 1: at least one; 2: a file could not be read or loaded.
    Lint(LintArgs),
    /// List every lint rule (code, severity, article, summary), or show one rule's documentation.
    Rules(RulesArgs),
    /// Render the privacy statement, the Art. 30 register or the cookie table from a register.
    ///
    /// Formats: Markdown, HTML, CSV (register and cookies) and DOCX (a Word document for
    /// auditors, written to --out FILE).
    Render(RenderArgs),
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Language of the questions and of the findings at the end.
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Pre-fill the answers from a privacy statement (txt, md, html, pdf): the organisation's name
    /// and contact details, purposes, data, retention periods, recipients and cookies it names.
    /// Each pre-filled answer is shown between [ ]; Enter keeps it.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Where to write the register.
    #[arg(long, value_name = "FILE", default_value = "register.toml")]
    pub out: PathBuf,
    /// Replace --out when it exists already.
    #[arg(long)]
    pub force: bool,
}

/// Output format of `lint`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LintFormat {
    /// Text with source lines, like rustc.
    Human,
    /// JSON: files, diagnostics with line/column, summary.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
}

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Register files to check.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: LintFormat,
}

/// Output format of `rules`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RulesFormat {
    /// A plain-text table.
    Human,
    /// JSON with each rule's documentation.
    Json,
    /// Markdown (docs/rules.md).
    Md,
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Show the documentation of this rule (code like WB007, or its name).
    pub code: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: RulesFormat,
    /// Only the reader's rules (`RD-...`, the problems `waarborg read` reports); the human list
    /// shows them after the register rules anyway.
    #[arg(long)]
    pub reader: bool,
}

/// Language of the rendered text.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Dutch.
    Nl,
    /// English.
    En,
}

/// Output format of `render`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RenderFormat {
    /// Markdown.
    Md,
    /// HTML page.
    Html,
    /// CSV (register and cookies only).
    Csv,
    /// Word document (DOCX) for auditors; binary, so it needs --out FILE.
    Docx,
}

/// What `render` produces.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WhatArg {
    /// The privacy statement (Art. 13).
    Statement,
    /// The record of processing activities (Art. 30).
    Register,
    /// The cookie table.
    Cookies,
}

/// Arguments of `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The register file.
    #[arg(value_name = "POLICY")]
    pub policy: PathBuf,
    /// Language.
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Output format. `docx` is a Word document and needs --out FILE.
    #[arg(long, value_enum, default_value = "md")]
    pub format: RenderFormat,
    /// What to render.
    #[arg(long, value_enum, default_value = "statement")]
    pub what: WhatArg,
    /// A directory with template overrides (statement.nl.md, statement.en.md, register.md, cookies.md, page.html).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write to this file instead of standard output (written beside it, then renamed into
    /// place). Required for --format docx.
    #[arg(long, short, visible_alias = "out", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Render a visibly marked draft even when the register is not ready to publish: where the
    /// register is silent, the text shows a gap ("ONTBREEKT: ...") instead of refusing.
    #[arg(long)]
    pub draft: bool,
}

/// Runs one command of this area and returns the process exit code.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    match cmd {
        Commands::Init(a) => run_init(a),
        Commands::Lint(a) => run_lint(a),
        Commands::Rules(a) => run_rules(a),
        Commands::Render(a) => run_render(a),
    }
}

fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

fn lang(a: LangArg) -> Lang {
    match a {
        LangArg::Nl => Lang::Nl,
        LangArg::En => Lang::En,
    }
}

fn run_init(a: InitArgs) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    use waarborg_app::init;
    let lang = lang(a.lang);
    // Refuse before asking anything; checked again just before writing.
    init::check_target(&a.out, a.force)?;
    let prefill = match &a.from {
        Some(path) => init::prefill_from_file(path)?,
        None => init::Answers::default(),
    };
    let from = a.from.as_ref().map(|p| p.display().to_string());
    let stdin = std::io::stdin();
    let echo = !stdin.is_terminal();
    let answers = init::interview(
        lang,
        &prefill,
        from.as_deref(),
        stdin.lock(),
        std::io::stdout().lock(),
        echo,
    )?;
    let file = a.out.display().to_string();
    let today = jiff::Zoned::now().date();
    let toml = init::register_toml(&answers, lang, &file, today)?;
    init::write_register(&a.out, &toml, a.force)?;
    let report = init::check_written(&a.out)?;
    print(&format!("\n{}", init::report_text(&report, lang, &file)?))?;
    Ok(ExitCode::SUCCESS)
}

fn run_lint(a: LintArgs) -> anyhow::Result<ExitCode> {
    let (reports, load_errors) = lint_paths(&a.paths);
    {
        // Not `eprintln!`: that panics when standard error is closed (`2>&-`, a closed pipe).
        let mut err = std::io::stderr().lock();
        for e in &load_errors {
            let _ = writeln!(err, "error: {e}\n");
        }
    }
    let text = match a.format {
        LintFormat::Human if reports.is_empty() => String::new(),
        LintFormat::Human => lint::render_human(&reports),
        LintFormat::Json => format!("{:#}\n", lint::to_json(&reports)),
        LintFormat::Sarif => format!("{:#}\n", lint::to_sarif(&reports)),
    };
    print(&text)?;
    Ok(if !load_errors.is_empty() {
        ExitCode::from(2)
    } else if has_errors(&reports) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_rules(a: RulesArgs) -> anyhow::Result<ExitCode> {
    use super::read::{reader_rule_text, reader_rules_json, reader_rules_text};
    if let Some(text) = a.code.as_deref().and_then(reader_rule_text) {
        print(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    if a.reader && a.code.is_none() {
        let text = match a.format {
            RulesFormat::Json => format!("{:#}\n", reader_rules_json()),
            _ => reader_rules_text(),
        };
        print(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(code) = &a.code {
        let Some(rule) = rules::by_code(code) else {
            bail!("there is no rule `{code}`; `waarborg rules` lists them all");
        };
        let text = match a.format {
            RulesFormat::Json => format!(
                "{:#}\n",
                serde_json::json!({
                    "code": rule.meta.code, "name": rule.meta.name, "severity": rule.meta.severity,
                    "article": rule.meta.article, "summary": rule.meta.summary,
                    "summary_nl": rule.meta.summary_nl, "doc": rule.doc(),
                })
            ),
            _ => format!(
                "{} {} ({}, {})\n\n{}\n",
                rule.meta.code,
                rule.meta.name,
                rule.meta.severity.as_str(),
                rule.meta.article,
                rule.doc()
            ),
        };
        print(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = match a.format {
        RulesFormat::Human => rules::catalogue_text() + &reader_rules_text(),
        RulesFormat::Json => format!("{:#}\n", rules::catalogue_json()),
        RulesFormat::Md => rules::catalogue_markdown(),
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn run_render(a: RenderArgs) -> anyhow::Result<ExitCode> {
    if matches!(a.format, RenderFormat::Docx)
        && a.output.as_ref().is_none_or(|p| p.as_os_str() == "-")
    {
        bail!(
            "--format docx writes a binary Word document, not text for a terminal or a pipe; \
             give a file with --out FILE, e.g. --out register.docx"
        );
    }
    // The load error already says what and where; without its I/O source chained again
    // ("...: No such file or directory (os error 2)" twice).
    let policy = waarborg_policy::load_file(&a.policy).map_err(|e| anyhow::anyhow!("{e}"))?;
    let lang = lang(a.lang);
    let format = match a.format {
        RenderFormat::Md => Format::Markdown,
        RenderFormat::Html => Format::Html,
        RenderFormat::Csv => Format::Csv,
        RenderFormat::Docx => Format::Docx,
    };
    let what = match a.what {
        WhatArg::Statement => What::Statement,
        WhatArg::Register => What::Register,
        WhatArg::Cookies => What::Cookies,
    };
    let options = render::Options {
        draft: a.draft,
        templates: a.templates.as_deref(),
    };
    let bytes = match render::render_document(&policy, what, lang, format, &options) {
        Ok(bytes) => bytes,
        Err(render::RenderError::Refused { findings, gaps }) => {
            // The same report `register lint` gives, with file, line and column, errors only.
            let mut out = std::io::stderr().lock();
            let _ = writeln!(
                out,
                "error: `{}` is not ready to publish; fix these findings or render a marked draft with --draft\n",
                a.policy.display()
            );
            if let Ok(doc) = waarborg_policy::load_document(&a.policy) {
                let mut report = lint::lint(&doc);
                let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
                report.diagnostics.retain(|d| {
                    d.severity == waarborg_policy::Severity::Error && codes.contains(&d.code)
                });
                let _ = write!(out, "{}", lint::render_human(&[report]));
            }
            if findings.is_empty() {
                for g in &gaps {
                    let _ = writeln!(out, "missing [{}]: {}", g.code, g.what);
                }
            }
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    match &a.output {
        Some(path) => waarborg_engine::write_output(path, &bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .context("cannot write to standard output")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
