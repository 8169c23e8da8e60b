//! Refreshes the bundled Open Cookie Database from a newer CSV.
//!
//! ```sh
//! cargo run -p waarborg-policy --example refresh_cookie_db -- NEW.csv COMMIT YYYY-MM-DD
//! ```
//!
//! Reads the new file with the parser lint uses and refuses it (changing nothing) when it cannot be
//! read; prints how many entries were added, removed and changed category; then writes it over
//! `data/open-cookie-database/open-cookie-database.csv` and the version line in `VERSION`. Run
//! `cargo test -p waarborg-policy` afterwards: the tests check that well-known trackers are still
//! known as such.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use waarborg_policy::cookie_db::{BUNDLED_CSV, CookieDb};

fn run() -> Result<String, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [csv, commit, date] = args.as_slice() else {
        return Err("usage: refresh_cookie_db NEW.csv COMMIT YYYY-MM-DD".into());
    };
    if commit.len() < 7 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("`{commit}` is not a git commit hash"));
    }
    if date.parse::<jiff::civil::Date>().is_err() {
        return Err(format!("`{date}` is not a date written as YYYY-MM-DD"));
    }
    let text = std::fs::read_to_string(csv).map_err(|e| format!("cannot read `{csv}`: {e}"))?;
    let new = CookieDb::from_csv(&text).map_err(|e| format!("`{csv}` is refused: {e}"))?;
    let old = CookieDb::from_csv(BUNDLED_CSV).map_err(|e| format!("the bundled file: {e}"))?;
    let key = |db: &CookieDb| -> BTreeMap<String, String> {
        db.cookies()
            .iter()
            .map(|c| {
                (
                    format!("{}|{}", c.platform, c.name),
                    c.category_label.clone(),
                )
            })
            .collect()
    };
    let (before, after) = (key(&old), key(&new));
    let added = after.keys().filter(|k| !before.contains_key(*k)).count();
    let removed = before.keys().filter(|k| !after.contains_key(*k)).count();
    let changed: Vec<String> = after
        .iter()
        .filter_map(|(k, v)| {
            before
                .get(k)
                .filter(|old| *old != v)
                .map(|old| format!("  {k}: {old} -> {v}"))
        })
        .collect();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/open-cookie-database");
    std::fs::write(dir.join("open-cookie-database.csv"), &text)
        .map_err(|e| format!("cannot write the CSV: {e}"))?;
    let version = format!("Open Cookie Database, commit {commit} ({date}), Apache-2.0\n");
    std::fs::write(dir.join("VERSION"), version)
        .map_err(|e| format!("cannot write VERSION: {e}"))?;
    Ok(format!(
        "{} entries ({} before): {added} added, {removed} removed, {} changed category\n{}\nwritten to {}; update the version line in its README.md and run `cargo test -p waarborg-policy`",
        new.cookies().len(),
        old.cookies().len(),
        changed.len(),
        changed.join("\n"),
        dir.display()
    ))
}

fn main() -> ExitCode {
    match run() {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
