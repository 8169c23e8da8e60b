//! Arbitrary text as a register (policy TOML): loading, then linting and the digest, must
//! never panic; a load error is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = waarborg_policy::document_from_toml_str(text, "fuzz.toml") {
        let _ = waarborg_policy::lint(&doc);
        let _ = doc.policy.digest();
    }
});
