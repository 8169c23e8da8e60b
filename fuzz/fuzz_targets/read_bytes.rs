//! Arbitrary bytes through ingest (format sniffing, encoding detection, HTML/Markdown/PDF) and
//! the whole reader: no input may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // libfuzzer-sys installs a panic hook that aborts on every panic, even one the reader
        // catches (it turns a panic in a parser into a ReadError). The default hook lets a
        // caught panic be caught; a panic that escapes still aborts (libfuzzer-sys wraps the
        // target in catch_unwind and aborts on it), so real crashes are still found.
        drop(std::panic::take_hook());
    },
    |data: &[u8]| {
    for hint in [
        None,
        Some(waarborg_reader::ingest::Format::Txt),
        Some(waarborg_reader::ingest::Format::Html),
        Some(waarborg_reader::ingest::Format::Markdown),
        Some(waarborg_reader::ingest::Format::Pdf),
    ] {
        if let Ok(report) = waarborg_reader::read_bytes("fuzz", data, hint) {
            let _ = waarborg_reader::output::json(&report);
            let _ = waarborg_reader::output::html(&report);
            let _ = waarborg_reader::output::sarif(&[&report]);
            let _ = waarborg_reader::output::human(&report, false);
        }
    }
    }
);
