//! Inputs found by (or written while running) the cargo-fuzz targets in `fuzz/`: each must be
//! handled in bounded time and memory, without a panic.

use waarborg_reader::ingest::{Format, IngestError, MAX_INPUT_BYTES};
use waarborg_reader::{ReadError, read_bytes};

/// Deeply nested HTML made the HTML parser quadratic (50 000 `<div>`s: minutes; the fuzzer's
/// 10 s timeout fired at a few thousand). It is now refused with a message that says why.
#[test]
fn deeply_nested_html_is_refused_quickly() {
    for input in [
        format!("<html><body>{}", "<div>".repeat(50_000)),
        format!("<html><body>{}", "<ul><li>".repeat(20_000)),
        format!("<html><body>{}", "<div></nope>".repeat(2_000)),
    ] {
        for hint in [None, Some(Format::Html)] {
            let err = read_bytes("deep.html", input.as_bytes(), hint).unwrap_err();
            assert!(
                matches!(err, ReadError::Ingest(IngestError::Html { .. })),
                "{err}"
            );
            let msg = err.to_string();
            assert!(msg.contains("nested more than 512 deep"), "{msg}");
            assert!(msg.contains("save the page as text"), "{msg}");
        }
    }
}

/// Shallow HTML with many elements (closed, implicitly closed, void, self-closing SVG, script
/// comparisons) is still read.
#[test]
fn wide_html_is_still_read() {
    let html = format!(
        "<html><body><h1>Privacy</h1>{}<ul>{}</ul><svg>{}</svg><script>{}</script>{}</body></html>",
        "<div><p>We collect your email address.</p></div>".repeat(2_000),
        "<li>name".repeat(2_000),
        "<path d=\"M0 0\"/>".repeat(2_000),
        "if (a<b) {}".repeat(2_000),
        "<br><img src=x>".repeat(2_000),
    );
    let report = read_bytes("wide.html", html.as_bytes(), None).unwrap();
    let _ = waarborg_reader::output::json(&report);
}

/// A 100 MB input is refused up front, with the size and the limit in the message.
#[test]
fn hundred_megabytes_is_refused_with_a_clear_message() {
    let big = vec![b'a'; 100 * 1000 * 1000];
    let err = read_bytes("big.txt", &big, None).unwrap_err();
    assert!(
        matches!(err, ReadError::Ingest(IngestError::TooLarge { .. })),
        "{err}"
    );
    let msg = err.to_string();
    assert!(msg.contains("100000000 bytes"), "{msg}");
    assert!(msg.contains(&MAX_INPUT_BYTES.to_string()), "{msg}");
}
