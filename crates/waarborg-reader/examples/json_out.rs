//! Writes `output::json` of each input file (as `waarborg read --format json FILE` prints it)
//! to `OUTDIR/STEM.json`, for checking that a change leaves the output byte-identical without
//! building the CLI. Files that cannot be read are left out (as `dev-scores.sh` does).
//!
//! Usage: `cargo run --release -p waarborg-reader --example json_out -- OUTDIR FILE...`
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("OUTDIR"));
    std::fs::create_dir_all(&dir).expect("OUTDIR can be created");
    for f in args {
        let path = std::path::Path::new(&f);
        let Ok(report) = waarborg_reader::read_path(path) else {
            continue;
        };
        let mut s = waarborg_reader::output::json(&report);
        s.push('\n');
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("document");
        std::fs::write(dir.join(format!("{stem}.json")), s).expect("writable");
    }
}
