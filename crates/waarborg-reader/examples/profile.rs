//! A profiling harness: the benchmark's input (the `.txt` fixtures concatenated and repeated to
//! `KIB` KiB) read `N` times through the whole pipeline, after one warm-up read. Meant for
//! `valgrind --tool=callgrind --toggle-collect='profile::run'`.
//!
//! With a third argument `FILE`, the input is that file's text instead (repeated to `KIB` KiB;
//! `0` reads it once as it is), to measure a real document.
//!
//! Usage: `cargo run --release -p waarborg-reader --example profile -- [KIB] [N] [FILE]`
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/corpus.rs"]
mod corpus;

#[inline(never)]
fn run(input: &str, n: usize) -> usize {
    let mut total = 0;
    for _ in 0..n {
        let r = waarborg_reader::read_bytes("bench.txt", input.as_bytes(), None).unwrap();
        total += r.summary.problems.len() + r.segments.sentences.len();
    }
    total
}

fn main() {
    let mut args = std::env::args().skip(1);
    let kib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let input = match args.next() {
        Some(path) => {
            let one = std::fs::read_to_string(&path).expect("a readable text file");
            let mut text = one.clone();
            while text.len() < kib << 10 {
                text.push_str("\n\n");
                text.push_str(&one);
            }
            text
        }
        None => corpus::corpus_of(kib << 10),
    };
    let _ = waarborg_reader::read_bytes("warm.txt", input.as_bytes(), None);
    let started = std::time::Instant::now();
    let total = run(&input, n);
    let secs = started.elapsed().as_secs_f64();
    let mb = (input.len() * n) as f64 / 1_048_576.0;
    println!(
        "{} bytes x {n}: {:.3} s, {:.2} MiB/s ({total})",
        input.len(),
        secs,
        mb / secs
    );
}
