#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! No user input may crash the crate: mutated registers either load with errors or load, lint
//! and render without panicking.

use std::path::PathBuf;

use waarborg_policy::render::{Format, What, render, render_document};
use waarborg_policy::{Lang, document_from_toml_str, lint};

/// A small deterministic generator (no extra dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn mutated_registers_never_panic() {
    let names = [
        "demo",
        "kvgo",
        "cantorclin",
        "werktijden",
        "leerwerkburo",
        "crmned-kantoor",
    ];
    let mut rng = Lcg(42);
    let (mut loaded, mut refused) = (0, 0);
    for name in names {
        let text = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../../examples/{name}/policy.toml")),
        )
        .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for _ in 0..60 {
            let mut ls = lines.clone();
            // Delete, duplicate or truncate a few lines.
            for _ in 0..(1 + rng.next(3)) {
                let i = rng.next(ls.len());
                match rng.next(3) {
                    0 => {
                        ls.remove(i);
                    }
                    1 => {
                        let l = ls[i];
                        ls.insert(i, l);
                    }
                    _ => {
                        let l = ls[i];
                        let cut = l
                            .char_indices()
                            .nth(rng.next(l.chars().count() + 1))
                            .map_or(l.len(), |(b, _)| b);
                        ls[i] = l.get(..cut).unwrap_or(l);
                    }
                }
            }
            let src = ls.join("\n");
            match document_from_toml_str(&src, "m.toml") {
                Ok(doc) => {
                    loaded += 1;
                    let _ = lint(&doc);
                    for lang in [Lang::Nl, Lang::En] {
                        // Final or refused, never a panic; the draft always renders.
                        let _ = render(&doc.policy, What::Statement, lang, Format::Html, None);
                        waarborg_policy::render::render_with(
                            &doc.policy,
                            What::Statement,
                            lang,
                            Format::Html,
                            &waarborg_policy::render::Options {
                                draft: true,
                                templates: None,
                            },
                        )
                        .unwrap();
                        render(&doc.policy, What::Register, lang, Format::Csv, None).unwrap();
                        render_document(
                            &doc.policy,
                            What::Register,
                            lang,
                            Format::Docx,
                            &waarborg_policy::render::Options::default(),
                        )
                        .unwrap();
                    }
                }
                Err(e) => {
                    refused += 1;
                    assert!(!e.problems().is_empty());
                    assert!(e.to_string().contains("m.toml"));
                }
            }
        }
    }
    assert!(
        loaded > 0 && refused > 0,
        "loaded {loaded}, refused {refused}"
    );
}
