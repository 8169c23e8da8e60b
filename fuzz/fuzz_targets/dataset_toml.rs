//! Arbitrary text as a Waarborg dataset file (TOML): parsing and validation must never panic;
//! an error is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ds) = waarborg_engine::Datasets::from_toml(text) {
        let _ = ds.to_toml();
    }
});
