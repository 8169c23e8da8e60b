//! Commands of the reader area: `read`. The logic lives in `waarborg-reader`; this module expands
//! paths, runs the reader in parallel, and writes the chosen format.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use rayon::prelude::*;
use waarborg_policy::Lang;
use waarborg_reader::{Report, output};

use super::register::LangArg;

/// The commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Read privacy statements, terms and processor agreements: facts and problems with quotes.
    ///
    /// FILE_OR_DIR may be files (any extension) or folders, which are searched recursively for
    /// .txt, .md, .html, .htm and .pdf files. Files are read in parallel; output keeps the input
    /// order.
    ///
    /// Output: `human` (default) and `jsonl` print to standard output or --out FILE; `json` prints
    /// one object for one file and a JSON array for several, or with --out writes one STEM.json
    /// per input into the folder --out (or the file --out for a single input); `sarif` writes one
    /// SARIF 2.1.0 log for all files; `html` writes one page per input (--out is a folder when
    /// there are several inputs).
    ///
    /// Language: the human and HTML reports (labels, rule titles, explanations) are in Dutch or
    /// English, by default in each document's own language; --lang nl|en sets one for all.
    /// JSON, JSON Lines and SARIF are always in English.
    ///
    /// Exit code 0: every file was read; 1: at least one file could not be read (each is reported
    /// on standard error, the others are still processed); 2: usage error, or an input is no
    /// readable document (an image, binary data, an empty or near-empty file, a scanned PDF
    /// without text), which is refused rather than read as noise.
    Read(ReadArgs),
}

/// Output format of `read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReadFormat {
    /// Facts and problems grouped by kind, with quotes and line numbers.
    Human,
    /// The summary JSON of `summary.schema.json` (an array for several files without --out).
    Json,
    /// One summary JSON object per line, one line per file.
    Jsonl,
    /// SARIF 2.1.0 (rules with help text, results with line/column regions).
    Sarif,
    /// One self-contained HTML page per file: the text with facts and problems highlighted.
    Html,
}

/// Arguments of `read`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Files or folders to read.
    #[arg(required = true, value_name = "FILE_OR_DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReadFormat,
    /// Language of the human and HTML reports: labels, rule titles and explanations (default:
    /// each document's own language). JSON, JSON Lines and SARIF stay in English.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Where to write: a file, or a folder (json and html with several inputs).
    #[arg(long, value_name = "FILE_OR_DIR")]
    pub out: Option<PathBuf>,
    /// Also write a draft register (policy TOML for `waarborg lint`) from the first file read.
    #[arg(long, value_name = "OUT.toml")]
    pub draft_policy: Option<PathBuf>,
    /// Number of files read in parallel (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// Runs one command of this area and returns the process exit code.
pub fn run(cmd: Commands) -> anyhow::Result<ExitCode> {
    match cmd {
        Commands::Read(args) => read(&args),
    }
}

const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm", "pdf"];

/// Expands folders (recursively, sorted) to the supported files in them; files stay as given.
/// Only regular files are read: a FIFO, device or socket (given, or in a folder) is skipped
/// with a warning (reading one could block for ever), and a folder reached again through a
/// symbolic link (a loop, or a second way to the same folder) is listed once.
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut seen)
                .with_context(|| format!("cannot list {}", p.display()))?;
            found.sort();
            if found.is_empty() {
                eprintln!(
                    "warning: {}: no .txt, .md, .html, .htm or .pdf files in this folder",
                    p.display()
                );
            }
            out.extend(found);
        } else if std::fs::metadata(p).is_ok_and(|m| !m.is_file()) {
            eprintln!(
                "warning: {}: not a regular file (a pipe, device or socket); skipped",
                p.display()
            );
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> std::io::Result<()> {
    // The folder's real path: a symbolic link back up the tree (or to a folder listed
    // already) leads to a path seen before.
    let real = std::fs::canonicalize(dir)?;
    if !seen.insert(real) {
        eprintln!(
            "warning: {}: this folder was listed already (a symbolic link loop or a second link to it); skipped",
            dir.display()
        );
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // Follows links; a broken link or an unreadable entry is skipped with a warning.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("warning: {}: {e}; skipped", path.display());
                continue;
            }
        };
        if meta.is_dir() {
            walk(&path, out, seen)?;
            continue;
        }
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if !wanted {
            continue;
        }
        if meta.is_file() {
            out.push(path);
        } else {
            eprintln!(
                "warning: {}: not a regular file (a pipe, device or socket); skipped",
                path.display()
            );
        }
    }
    Ok(())
}

fn read(args: &ReadArgs) -> anyhow::Result<ExitCode> {
    let files = expand(&args.paths)?;
    if files.is_empty() {
        bail!("no files to read; give files or folders with .txt, .md, .html, .htm or .pdf files");
    }
    let several = files.len() > 1;
    if several && args.format == ReadFormat::Html && args.out.is_none() {
        bail!(
            "--format html with several files needs --out FOLDER (one page per file is written there)"
        );
    }
    let reports = read_all(&files, args.jobs)?;
    let mut failed = false;
    let mut refused = false;
    let mut ok: Vec<&Report> = Vec::new();
    for (path, r) in files.iter().zip(&reports) {
        match r {
            Ok(rep) => ok.push(rep),
            Err(e) => {
                failed = true;
                refused |= e.is_unreadable();
                eprintln!("error: {}: {e}", path.display());
            }
        }
    }
    write_output(args, &files, &reports, &ok)?;
    if let Some(draft) = &args.draft_policy {
        match ok.first() {
            Some(first) => {
                if ok.len() > 1 {
                    eprintln!(
                        "note: --draft-policy is written from the first file read ({})",
                        first.document.source
                    );
                }
                let toml = output::draft_policy(first)?;
                waarborg_engine::write_output(draft, toml.as_bytes())
                    .with_context(|| format!("cannot write {}", draft.display()))?;
            }
            None => eprintln!("warning: no file was read, so no draft register was written"),
        }
    }
    Ok(if refused {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

type Outcome = Result<Report, waarborg_reader::ReadError>;

/// Reads every file in parallel with a progress bar on a terminal; results in input order.
fn read_all(files: &[PathBuf], jobs: Option<usize>) -> anyhow::Result<Vec<Outcome>> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(j) = jobs {
        builder = builder.num_threads(j.max(1));
    }
    let pool = builder.build().context("cannot start the worker threads")?;
    let bar = if files.len() > 1 && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(u64::try_from(files.len()).unwrap_or(u64::MAX));
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} reading {pos}/{len} [{bar:30}] {elapsed_precise} {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Some(bar)
    } else {
        None
    };
    let results = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let r = waarborg_reader::read_path(f);
                if let Some(b) = &bar {
                    b.inc(1);
                }
                r
            })
            .collect::<Vec<_>>()
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(results)
}

/// File names `STEM.EXT` in the output folder, unique even when two inputs share a stem.
fn output_names(files: &[PathBuf], ext: &str) -> Vec<String> {
    let mut used = BTreeSet::new();
    files
        .iter()
        .map(|f| {
            let stem = f
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("document")
                .to_owned();
            let mut name = format!("{stem}.{ext}");
            let mut n = 2;
            while used.contains(&name) {
                name = format!("{stem}-{n}.{ext}");
                n += 1;
            }
            used.insert(name.clone());
            name
        })
        .collect()
}

fn write_file(path: &Path, content: &str) -> anyhow::Result<()> {
    waarborg_engine::write_output(path, content.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn write_to(out: Option<&Path>, content: &str) -> anyhow::Result<()> {
    match out {
        Some(p) => write_file(p, content),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(content.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }
}

/// True when --out names a folder: it exists as one, ends in a separator, or there are several
/// inputs for a per-file format.
fn out_is_dir(out: &Path, several: bool) -> bool {
    out.is_dir() || out.to_string_lossy().ends_with(['/', '\\']) || several
}

/// The language of a document's human or HTML report: `--lang`, else the document's own.
fn report_lang(args: &ReadArgs, r: &Report) -> Lang {
    match args.lang {
        Some(LangArg::Nl) => Lang::Nl,
        Some(LangArg::En) => Lang::En,
        None => output::report_lang(r),
    }
}

fn write_output(
    args: &ReadArgs,
    files: &[PathBuf],
    reports: &[Outcome],
    ok: &[&Report],
) -> anyhow::Result<()> {
    let several = files.len() > 1;
    let out = args.out.as_deref();
    match args.format {
        ReadFormat::Human => {
            let color = out.is_none() && std::io::stdout().is_terminal();
            let text: Vec<String> = ok
                .iter()
                .map(|r| output::human(r, color, report_lang(args, r)))
                .collect();
            write_to(out, &text.join("\n"))
        }
        ReadFormat::Jsonl => {
            let mut text = String::new();
            for r in ok {
                text.push_str(&output::jsonl(r));
                text.push('\n');
            }
            write_to(out, &text)
        }
        ReadFormat::Sarif => {
            let mut text = output::sarif(ok);
            text.push('\n');
            write_to(out, &text)
        }
        ReadFormat::Json | ReadFormat::Html => {
            let json = args.format == ReadFormat::Json;
            let ext = if json { "json" } else { "html" };
            let render = |r: &Report| {
                if json {
                    let mut s = output::json(r);
                    s.push('\n');
                    s
                } else {
                    output::html(r, report_lang(args, r))
                }
            };
            match out {
                Some(dir) if out_is_dir(dir, several) => {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                    let names = output_names(files, ext);
                    for (name, r) in names.iter().zip(reports) {
                        if let Ok(rep) = r {
                            write_file(&dir.join(name), &render(rep))?;
                        }
                    }
                    Ok(())
                }
                Some(file) => match ok.first() {
                    Some(r) => write_file(file, &render(r)),
                    None => Ok(()),
                },
                None if args.format == ReadFormat::Json && several => {
                    let mut s = output::json_array(ok);
                    s.push('\n');
                    write_to(None, &s)
                }
                None => match ok.first() {
                    Some(r) => write_to(None, &render(r)),
                    None => Ok(()),
                },
            }
        }
    }
}

/// The reader's problem rules (`RD-...`) as a plain-text list, for `waarborg rules`: code, kind,
/// title and the law each rests on.
pub fn reader_rules_text() -> String {
    let rules = waarborg_reader::problems::rules();
    let mut out = String::from(
        "\nReader rules (`waarborg read`): problems found in privacy statements, terms and processor agreements.\n",
    );
    for r in rules {
        out.push_str(&format!(
            "{:<34}  {:<20}  {}\n        {}\n",
            r.code,
            r.kind.as_str(),
            r.title,
            r.law
        ));
    }
    out.push_str(&format!(
        "{} reader rules. `waarborg rules RD-CODE` shows one rule's documentation.\n",
        rules.len()
    ));
    out
}

/// One reader rule's documentation (English and Dutch), or `None` when `code` is no reader rule.
/// `RD-OUTDATED-*` codes share the `RD-OUTDATED` entry.
pub fn reader_rule_text(code: &str) -> Option<String> {
    let r = waarborg_reader::problems::rule(&code.to_ascii_uppercase())?;
    Some(format!(
        "{} {} ({}, {})\n\n## What it does\n\n{}\n\n## Nederlands\n\n{} ({})\n\n{}\n",
        r.code,
        r.title,
        r.kind.as_str(),
        r.law,
        r.help_en,
        r.title_nl,
        r.law_nl,
        r.help_nl
    ))
}

/// The reader's rules as JSON objects (`code`, `kind`, `law`, `law_nl`, `title`, `title_nl`,
/// `help_en`, `help_nl`).
pub fn reader_rules_json() -> serde_json::Value {
    serde_json::Value::Array(
        waarborg_reader::problems::rules()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.code, "kind": r.kind.as_str(), "law": r.law, "law_nl": r.law_nl,
                    "title": r.title, "title_nl": r.title_nl,
                    "help_en": r.help_en, "help_nl": r.help_nl,
                })
            })
            .collect(),
    )
}
