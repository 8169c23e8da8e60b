//! Arbitrary UTF-8 text through problem detection: no panic, and every quote is verbatim.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let collapsed = waarborg_reader::ingest::collapse_ws(text);
    for p in waarborg_reader::problems::detect_text(text, &Default::default()) {
        for q in &p.evidence {
            assert!(collapsed.contains(q.as_str()));
        }
    }
});
