//! Prints the summary JSON of each input file into an output directory (`STEM.json`).
//!
//! Usage: `cargo run -p waarborg-reader --example summarize -- OUT_DIR FILE...`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out_dir) = args.next() else {
        eprintln!("usage: summarize OUT_DIR FILE...");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!("{out_dir}: {e}");
        return ExitCode::FAILURE;
    }
    let mut failed = false;
    for path in args {
        let started = std::time::Instant::now();
        match waarborg_reader::read_path(&path) {
            Ok(report) => {
                let stem = Path::new(&path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "out".into());
                let out = Path::new(&out_dir).join(format!("{stem}.json"));
                match serde_json::to_string_pretty(&report.summary) {
                    Ok(json) => {
                        if let Err(e) = std::fs::write(&out, json) {
                            eprintln!("{}: {e}", out.display());
                            failed = true;
                        } else {
                            println!(
                                "{path} -> {} ({} ms)",
                                out.display(),
                                started.elapsed().as_millis()
                            );
                        }
                    }
                    Err(e) => {
                        eprintln!("{path}: {e}");
                        failed = true;
                    }
                }
            }
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
