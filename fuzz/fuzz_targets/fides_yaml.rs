//! Arbitrary text as a Fides dataset file (YAML): parsing and mapping must never panic and
//! never expand aliases (they are refused before parsing); an error is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = waarborg_engine::from_fides_yaml(text);
});
