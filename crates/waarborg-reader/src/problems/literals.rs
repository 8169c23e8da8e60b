//! The literal prefixes of the shared problem groups, read across white space.
//!
//! Most patterns are phrases: `\bto\s+(?:this|these|the)\s+agreement\b`. The literal prefixes of
//! such a pattern stop at the first `\s+` (a class of 25 characters, repeated), so its
//! candidates are every "to" of a document, and nearly all of them fail the anchored check.
//!
//! The shared pass therefore reads the text *squeezed*: every run of white space as one `' '`
//! ([`for_each_start`]), and each group's prefixes are extracted from its pattern with every
//! white-space element made that one `' '` ([`squeeze_hir`]): the prefixes above become
//! `"to this agre"`, `"to these agr"`, `"to the agree"` (cut at [`MAX_PREFIX`] bytes). A match
//! of the pattern in the text is a match of the squeezed pattern in the squeezed text at the
//! same place (white space only ever turns into the one `' '` that the squeezed pattern asks for
//! there), so its start is still among the candidates; the anchored check itself runs on the
//! text, so the matches stay exactly those of `find_iter`.

use std::ops::Range;

use aho_corasick::dfa::DFA;
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, Hir, HirKind};

use crate::text::automaton::Stepper;

/// The literal prefixes every match of `hir` starts with in squeezed text ([`Squeezed`]), when
/// they are finite and non-empty.
pub(crate) fn prefixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let ws = white_space()?;
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .extract(&squeeze_hir(hir, ws));
    let lits = seq.literals()?;
    let mut out: Vec<Vec<u8>> = lits.iter().map(|l| collapse_spaces(l.as_bytes())).collect();
    if out.is_empty() || out.iter().any(Vec::is_empty) {
        return None;
    }
    minimise(&mut out);
    Some(out)
}

/// The class of `\s` (Unicode `White_Space`), as the patterns' parser reads it (parsed once,
/// not once per group).
fn white_space() -> Option<&'static ClassUnicode> {
    static WS: std::sync::OnceLock<Option<ClassUnicode>> = std::sync::OnceLock::new();
    WS.get_or_init(|| match regex_syntax::parse(r"\s").ok()?.into_kind() {
        HirKind::Class(Class::Unicode(c)) => Some(c),
        _ => None,
    })
    .as_ref()
}

/// `hir` as it reads squeezed text: a class of white space only is `' '`, a class with some
/// white space also takes `' '`, white space in a literal is `' '`, and a repeated `' '` is one
/// `' '` (optional when the repetition may be empty).
fn squeeze_hir(hir: &Hir, ws: &ClassUnicode) -> Hir {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => hir.clone(),
        HirKind::Literal(lit) => Hir::literal(squeeze_literal(&lit.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let mut inside = c.clone();
            inside.intersect(ws);
            if inside.ranges().is_empty() {
                return hir.clone();
            }
            let mut outside = c.clone();
            outside.difference(ws);
            if outside.ranges().is_empty() {
                return space();
            }
            outside.push(regex_syntax::hir::ClassUnicodeRange::new(' ', ' '));
            Hir::class(Class::Unicode(outside))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut ascii_ws = ClassBytes::new(
                [b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r'].map(|b| ClassBytesRange::new(b, b)),
            );
            ascii_ws.intersect(c);
            if ascii_ws.ranges().is_empty() {
                return hir.clone();
            }
            let mut c = c.clone();
            c.push(ClassBytesRange::new(b' ', b' '));
            Hir::class(Class::Bytes(c))
        }
        HirKind::Repetition(r) => {
            let sub = squeeze_hir(&r.sub, ws);
            if is_space(&sub) {
                return if r.min >= 1 {
                    space()
                } else {
                    Hir::repetition(regex_syntax::hir::Repetition {
                        min: 0,
                        max: Some(1),
                        greedy: r.greedy,
                        sub: Box::new(sub),
                    })
                };
            }
            Hir::repetition(regex_syntax::hir::Repetition {
                min: r.min,
                max: r.max,
                greedy: r.greedy,
                sub: Box::new(sub),
            })
        }
        HirKind::Capture(c) => Hir::capture(regex_syntax::hir::Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(squeeze_hir(&c.sub, ws)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| squeeze_hir(h, ws)).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(|h| squeeze_hir(h, ws)).collect())
        }
    }
}

fn space() -> Hir {
    Hir::literal(*b" ")
}

fn is_space(hir: &Hir) -> bool {
    matches!(hir.kind(), HirKind::Literal(l) if &*l.0 == b" ")
}

/// A literal's bytes with each white-space character made `' '` and runs of `' '` made one.
fn squeeze_literal(bytes: &[u8]) -> Vec<u8> {
    match std::str::from_utf8(bytes) {
        Ok(s) if s.chars().any(char::is_whitespace) => {
            let spaced: String = s
                .chars()
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .collect();
            collapse_spaces(spaced.as_bytes())
        }
        _ => bytes.to_vec(),
    }
}

/// `bytes` with each run of `' '` made one.
fn collapse_spaces(bytes: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    for &b in bytes {
        if b == b' ' && out.last() == Some(&b' ') {
            continue;
        }
        out.push(b);
    }
    out
}

/// The longest literal prefix kept, in bytes: longer ones are cut (a cut prefix is still a
/// prefix). Twelve bytes make candidates rare enough; every byte more grows the automaton
/// built at start-up.
const MAX_PREFIX: usize = 12;

/// Cuts each literal to [`MAX_PREFIX`] bytes (at a character boundary) and drops those that
/// another one of the set begins: the candidates stay the same, the automaton gets smaller.
fn minimise(lits: &mut Vec<Vec<u8>>) {
    for l in lits.iter_mut() {
        let mut n = l.len().min(MAX_PREFIX);
        // never cut inside a UTF-8 sequence (continuation bytes are 0b10xx_xxxx)
        while n > 0 && l.get(n).is_some_and(|b| b & 0xc0 == 0x80) {
            n -= 1;
        }
        l.truncate(n);
    }
    lits.sort();
    lits.dedup();
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    for l in lits.drain(..) {
        if kept.last().is_some_and(|k| l.starts_with(k)) {
            continue;
        }
        kept.push(l);
    }
    *lits = kept;
}

/// A run of white space that is not one `' '`: where its `' '` is in the squeezed text, and
/// its range in the text.
struct Run {
    at: usize,
    range: Range<usize>,
}

/// Finds every occurrence of the literals of `dfa` (an overlapping, standard-semantics
/// automaton) in `text` as squeezed: every run of white space read as one `' '`. Calls
/// `hit(literal, start)` with each start as an offset in `text`; a literal that begins with the
/// `' '` of a longer run is reported at each character of the run (a pattern may start on any
/// of them). Starts come in the order the literals end, so they are nearly sorted.
pub(crate) fn for_each_start(dfa: &DFA, text: &str, mut hit: impl FnMut(usize, usize)) {
    let Some(mut stepper) = Stepper::new(dfa) else {
        return;
    };
    let bytes = text.as_bytes();
    // the runs of white space that are not one ' ', in text order
    let mut runs: Vec<Run> = Vec::new();
    // the offset in the squeezed text of the next byte fed
    let mut at = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        let byte = if may_be_space(b) {
            match white_space_len(text, i, b) {
                0 => {
                    i += 1;
                    b
                }
                len => {
                    let start = i;
                    i += len;
                    while let Some(&b) = bytes.get(i) {
                        match white_space_len(text, i, b) {
                            0 => break,
                            len => i += len,
                        }
                    }
                    if !(i == start + 1 && b == b' ') {
                        runs.push(Run {
                            at,
                            range: start..i,
                        });
                    }
                    b' '
                }
            }
        } else {
            i += 1;
            b
        };
        at += 1;
        let alive = stepper.step(byte, |pid, len| {
            origins(text, &runs, at.saturating_sub(len), |c| {
                hit(pid.as_usize(), c)
            });
        });
        if !alive {
            return;
        }
    }
}

/// Whether byte `b` may begin a white-space character: ASCII white space and the lead bytes of
/// the non-ASCII ones (see [`white_space_len`]). Keeps the common case, a letter, out of the
/// character decoding.
#[inline]
const fn may_be_space(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0xc2 | 0xe1 | 0xe2 | 0xe3
    )
}

/// The offsets in `text` of squeezed offset `from`, given the runs so far (see
/// [`for_each_start`]).
fn origins(text: &str, runs: &[Run], from: usize, mut push: impl FnMut(usize)) {
    // the runs at or after `from` are few (a literal is short): look from the end
    let k = runs.iter().rposition(|r| r.at < from).map_or(0, |j| j + 1);
    if let Some(run) = runs.get(k)
        && run.at == from
    {
        let mut c = run.range.start;
        while c < run.range.end {
            push(c);
            c = text.ceil_char_boundary(c + 1);
        }
        return;
    }
    // after run k - 1 the text is ahead of the squeezed text by what that run was squeezed by
    let shift = k
        .checked_sub(1)
        .and_then(|j| runs.get(j))
        .map_or(0, |r| r.range.end - (r.at + 1));
    push(from + shift);
}

/// The length of the white-space character at byte `i` of `text` (whose byte there is `b`), or
/// 0 when there is none.
#[inline]
fn white_space_len(text: &str, i: usize, b: u8) -> usize {
    match b {
        b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => 1,
        // the lead bytes of the non-ASCII white space (U+0085, U+00A0, U+1680, U+2000-U+205F,
        // U+3000)
        0xc2 | 0xe1 | 0xe2 | 0xe3 => text
            .get(i..)
            .and_then(|s| s.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Vec<String> {
        let hir = regex_syntax::parse(p).unwrap();
        prefixes(&hir)
            .unwrap()
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    #[test]
    fn prefixes_run_across_white_space() {
        assert_eq!(
            lits(r"to\s+(?:this|the)\s+agreement\b"),
            ["to the agree", "to this agre"]
        );
        // optional white space, a white-space literal, a class with white space in it
        assert_eq!(lits(r"a\s*b"), ["a b", "ab"]);
        assert_eq!(lits("a\n\t b"), ["a b"]);
        assert!(lits(r"x[ \t]y").contains(&"x y".to_owned()));
        // a class without white space is left as it is
        assert_eq!(lits(r"a[bc]"), ["ab", "ac"]);
    }

    #[test]
    fn starts_are_found_across_white_space_and_map_back() {
        let dfa = DFA::new(["b c", " d", "e"]).unwrap();
        let text = "a \n b\tc\u{a0}\u{a0}d e  e";
        let mut got = Vec::new();
        for_each_start(&dfa, text, |lit, c| got.push((lit, c)));
        // "b\tc" at 4; " d" from the no-break run at 7 (each of its two characters); "e" at 13
        // and 16
        assert_eq!(got, [(0, 4), (1, 7), (1, 9), (2, 13), (2, 16)]);
    }

    #[test]
    fn prefixes_are_cut_and_minimised() {
        let mut l = vec![
            b"abcdefghijklmnopq".to_vec(),
            b"abcdefghijklmnopr".to_vec(),
            b"ab".to_vec(),
            b"b".to_vec(),
        ];
        minimise(&mut l);
        assert_eq!(l, [b"ab".to_vec(), b"b".to_vec()]);
        let mut l = vec!["abcdefghijké".as_bytes().to_vec()];
        minimise(&mut l);
        assert_eq!(l, [b"abcdefghijk".to_vec()]);
    }
}
