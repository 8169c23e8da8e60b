//! Test support: run one rule on a small register built from a TOML fragment.

use toml::{Table, Value};

use super::{Rule, by_code};
use crate::lint::Finding;

/// The smallest valid register; fragments are merged into it.
const BASE: &str = r#"
[statement]
version = "1"
effective_date = 2026-01-01

[controller]
name = "Voorbeeld B.V."
"#;

fn merge(base: &mut Table, frag: Table) {
    for (k, v) in frag {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(f)) => merge(b, f),
            (Some(Value::Array(b)), Value::Array(f))
                if b.iter().all(Value::is_table) && f.iter().all(Value::is_table) =>
            {
                b.extend(f)
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Runs the rule `code` on BASE merged with `fragment`.
pub(crate) fn run(code: &str, fragment: &str) -> Vec<Finding> {
    let rule: &Rule = by_code(code).unwrap_or_else(|| panic!("no rule {code}"));
    let mut base: Table = toml::from_str(BASE).unwrap();
    let frag: Table = toml::from_str(fragment)
        .unwrap_or_else(|e| panic!("{code}: fragment is not TOML: {e}\n{fragment}"));
    merge(&mut base, frag);
    let text = toml::to_string(&base).unwrap();
    let policy = crate::from_toml_str(&text, "fragment.toml")
        .unwrap_or_else(|e| panic!("{code}: fragment is not a valid register: {e}\n{text}"));
    let mut out = Vec::new();
    (rule.check)(&policy, &mut out);
    out
}

/// The rule's doc "Example" triggers it.
pub(crate) fn example_triggers(code: &str) {
    let rule = by_code(code).unwrap();
    let ex = rule.doc_example("Example").unwrap();
    let found = run(code, &ex);
    assert!(!found.is_empty(), "{code}: its Example does not trigger it");
    for f in &found {
        assert!(!f.message.is_empty() && !f.path.is_empty(), "{code}: {f:?}");
    }
}

/// The rule's doc "Use instead" does not trigger it.
pub(crate) fn use_instead_is_clean(code: &str) {
    let rule = by_code(code).unwrap();
    let ok = rule.doc_example("Use instead").unwrap();
    let found = run(code, &ok);
    assert!(
        found.is_empty(),
        "{code}: its Use instead triggers it: {found:?}"
    );
}
