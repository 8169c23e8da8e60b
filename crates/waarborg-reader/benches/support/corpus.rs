//! The benchmark input, shared by `benches/pipeline.rs` and `examples/profile.rs`: the crate's
//! own `.txt` fixtures, concatenated in name order and repeated to a size.
#![allow(clippy::unwrap_used)]

/// The `.txt` fixtures concatenated (blank line between) and repeated until the text holds at
/// least `bytes` bytes.
pub fn corpus_of(bytes: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let mut one = String::new();
    for n in names {
        one.push_str(&std::fs::read_to_string(n).unwrap_or_default());
        one.push_str("\n\n");
    }
    let mut text = String::new();
    while text.len() < bytes {
        text.push_str(&one);
    }
    text
}
