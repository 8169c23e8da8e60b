//! Arbitrary bytes through ingest (format sniffing, encoding detection, HTML/Markdown/PDF) and
//! the whole reader: no input may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
});
