//! Regular expressions as the reader compiles them: every pattern of the reader (its data files
//! and its own) goes through [`compile`] or [`parse`], so they all read character classes the
//! same way.
//!
//! A class with many ranges (`\w`, `\d`, `\p{L}`, `\p{Lu}`) costs much to compile: each of its
//! ranges becomes states of a UTF-8 automaton, again for every place the class is used (a
//! `{1,18}` repetition compiles it 18 times), and the lazy DFA then builds its states out of
//! all of them. The reader reads such a class exactly up to U+07FF (ASCII, Latin-1 and the
//! Latin Extended blocks, IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, N'Ko)
//! and above it by blocks of 4,096 code points: a block belongs to the class when at least
//! half of it does. So the punctuation of a statement (’ “ ” – — … • € ™, all in
//! U+2000-U+2FFF, a block of symbols) stays outside `\w` and `\p{L}` as before, and a letter of
//! a script above U+07FF is a letter where its block is mostly letters (CJK, Hangul, most of
//! the Indic and Southeast Asian scripts). A small class (`[a-z]`, `\s`, `[^\n]`, a
//! case-folded letter) is left exactly as written.

use regex::Regex;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

/// Classes with more ranges than this are read by blocks above [`EXACT_UP_TO`].
const MAX_EXACT_RANGES: usize = 24;
/// The last code point a class is read exactly up to (the end of the two-byte UTF-8 range).
const EXACT_UP_TO: u32 = 0x7FF;
/// The size of a block above [`EXACT_UP_TO`] (the code points that share a three-byte
/// sequence's first two bytes' high part: one lead byte's worth).
const BLOCK: u32 = 0x1000;
/// The number of blocks in the code space (U+0000 to U+10FFFF).
const BLOCKS: usize = 0x11_0000 / BLOCK as usize;

/// Parses `pattern` as `regex::Regex::new` does (the same syntax and defaults) and reads its
/// large classes as described in the [module documentation](self).
///
/// # Errors
/// The syntax error, as text.
pub fn parse(pattern: &str) -> Result<Hir, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    Ok(coarsen(hir))
}

/// Compiles `pattern` with its large classes read as described in the
/// [module documentation](self).
///
/// # Errors
/// The syntax error, or the compiler's size limit.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    let hir = parse(pattern)?;
    // the printed expression parses back to the same expression (regex-syntax's printer)
    Regex::new(&hir.to_string()).map_err(|e| e.to_string())
}

/// `hir` with every large class read by blocks above U+07FF.
#[must_use]
pub fn coarsen(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(c)) if c.ranges().len() > MAX_EXACT_RANGES => {
            Hir::class(Class::Unicode(by_blocks(&c)))
        }
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(coarsen(*r.sub));
            Hir::repetition(r)
        }
        HirKind::Capture(mut c) => {
            c.sub = Box::new(coarsen(*c.sub));
            Hir::capture(c)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(coarsen).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(coarsen).collect()),
        HirKind::Class(c) => Hir::class(c),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Look(l) => Hir::look(l),
        HirKind::Empty => Hir::empty(),
    }
}

/// Class `c` exactly up to [`EXACT_UP_TO`], by whole blocks above it.
fn by_blocks(c: &ClassUnicode) -> ClassUnicode {
    let mut out: Vec<ClassUnicodeRange> = Vec::new();
    let push = |out: &mut Vec<ClassUnicodeRange>, lo: u32, hi: u32| {
        if let (Some(a), Some(b)) = (char_at_or_after(lo), char_at_or_before(hi))
            && a <= b
        {
            out.push(ClassUnicodeRange::new(a, b));
        }
    };
    for r in c.ranges() {
        let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
        if lo <= EXACT_UP_TO {
            push(&mut out, lo, hi.min(EXACT_UP_TO));
        }
    }
    // the blocks above: [0x800, 0x1000) is the first (half a block), then every 0x1000; each
    // block's share of the class counted in one walk over the ranges
    let block_of = |cp: u32| (cp / BLOCK) as usize;
    let mut inside = [0u32; BLOCKS];
    for r in c.ranges() {
        let (mut lo, hi) = (
            u32::from(r.start()).max(EXACT_UP_TO + 1),
            u32::from(r.end()),
        );
        while lo <= hi {
            let end = hi.min(lo | (BLOCK - 1));
            if let Some(n) = inside.get_mut(block_of(lo)) {
                *n += end - lo + 1 - surrogates_in(lo, end);
            }
            lo = end + 1;
        }
    }
    for (b, n) in inside.iter().enumerate() {
        let Ok(b) = u32::try_from(b) else { break };
        let start = (b * BLOCK).max(EXACT_UP_TO + 1);
        let end = (b * BLOCK) | (BLOCK - 1);
        if start > end {
            continue;
        }
        let size = end - start + 1 - surrogates_in(start, end);
        if n.saturating_mul(2) >= size {
            push(&mut out, start, end);
        }
    }
    ClassUnicode::new(out)
}

/// How many surrogate code points (not characters) lie in `lo..=hi`.
fn surrogates_in(lo: u32, hi: u32) -> u32 {
    let (a, b) = (lo.max(0xD800), hi.min(0xDFFF));
    if a <= b { b - a + 1 } else { 0 }
}

fn char_at_or_after(mut cp: u32) -> Option<char> {
    if (0xD800..=0xDFFF).contains(&cp) {
        cp = 0xE000;
    }
    char::from_u32(cp)
}

fn char_at_or_before(mut cp: u32) -> Option<char> {
    if (0xD800..=0xDFFF).contains(&cp) {
        cp = 0xD7FF;
    }
    char::from_u32(cp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is(p: &str, s: &str) -> bool {
        compile(p).unwrap().is_match(s)
    }

    /// Large classes stay exact where a Dutch or English statement writes: letters with
    /// diacritics are word characters, its punctuation is not.
    #[test]
    fn large_classes_are_exact_up_to_u07ff_and_keep_punctuation_out() {
        for w in ["é", "ï", "ß", "ø", "ł", "ж", "λ", "ש", "_", "7"] {
            assert!(is(r"^\w$", w), "{w}");
        }
        for p in [
            "’", "“", "”", "–", "—", "…", "•", "€", "™", "\u{a0}", "×", "·", "«", "²",
        ] {
            assert!(!is(r"^\w$", p), "{p}");
            assert!(!is(r"^\p{L}$", p), "{p}");
        }
        assert!(is(r"^\p{Lu}$", "É"));
        assert!(!is(r"^\p{Lu}$", "é"));
        assert!(is(r"^\d$", "٣"));
        // above U+07FF by blocks: CJK and Hangul are mostly letters
        assert!(is(r"^\w$", "漢"));
        assert!(is(r"^\p{L}$", "한"));
        // the same matches as the exact classes on a statement's text
        let text = "Wij verwerken géén “gegevens” van Zoë’s klanten – €5,- per maand… Ærø";
        for p in [r"\w+", r"\p{L}+", r"\p{Lu}\p{L}*", r"[^\w\s]+", r"\d+"] {
            let exact = Regex::new(p).unwrap();
            let ours = compile(p).unwrap();
            let a: Vec<_> = exact.find_iter(text).map(|m| m.range()).collect();
            let b: Vec<_> = ours.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(a, b, "{p}");
        }
    }

    /// Small classes, literals, captures, repetitions and assertions are kept as written.
    #[test]
    fn the_rest_is_kept() {
        let re = compile(r"(?i)(?-u:\b)(?P<w>kvk)[\s:-]{0,3}(\d{8})(?-u:\b)").unwrap();
        let c = re.captures("KvK: 12345678").unwrap();
        assert_eq!(c.name("w").map(|m| m.as_str()), Some("KvK"));
        assert_eq!(c.get(2).map(|m| m.as_str()), Some("12345678"));
        assert!(!re.is_match("xkvk 12345678"));
        assert!(compile("(").is_err());
        let small = parse("[a-zé]").unwrap();
        assert_eq!(small, regex_syntax::parse("[a-zé]").unwrap());
    }
}
