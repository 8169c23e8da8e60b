//! What the rendering tests share: the example registers under `examples/`.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use waarborg_policy::{Policy, load_file};

/// The example organisations: the demo shop and the five seed organisations.
pub const EXAMPLES: &[&str] = &[
    "demo",
    "crmned-kantoor",
    "kvgo",
    "cantorclin",
    "werktijden",
    "leerwerkburo",
];

/// Loads `examples/<name>/policy.toml`.
pub fn example(name: &str) -> Policy {
    load_file(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../examples/{name}/policy.toml")),
    )
    .unwrap()
}
