//! Masking strategies: null, fixed value, keyed HMAC-SHA256 hash, random. Every masked value is
//! recognisable as masked, so masking twice changes nothing the second time.

use hmac::{KeyInit, Mac};

use crate::engine::CCol;
use crate::model::MaskStrategy;
use crate::value::{ColKind, Val, parse_text};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The length of hash and random outputs for a column (64 hex digits, cut to the column's
/// maximum length).
fn out_len(c: &CCol) -> usize {
    let max = c.max_len.map(|m| m as usize).unwrap_or(64);
    max.clamp(1, 64)
}

/// The value NULL is replaced by in a NOT NULL column.
fn empty_value(kind: ColKind) -> Option<Val> {
    match kind {
        ColKind::Text => Some(Val::Text(String::new())),
        ColKind::Int => Some(Val::Int(0)),
        ColKind::Float => Some(Val::Float(0.0)),
        ColKind::Bool => Some(Val::Bool(false)),
        ColKind::Numeric => Some(Val::Text("0".into())),
        ColKind::Bytes => Some(Val::Bytes(Vec::new())),
        _ => None,
    }
}

/// Whether `null` masking of this column needs a unique value instead of NULL or the empty
/// value: a NOT NULL column under a UNIQUE constraint (a second erasure would collide on `''`).
fn needs_unique_placeholder(c: &CCol) -> bool {
    c.unique && !c.nullable
}

/// The shortest hex length that keeps masked values of a UNIQUE column apart.
const MIN_UNIQUE_HEX: usize = 16;

/// Checks that the strategy can be applied to the column (type, length, NOT NULL, UNIQUE); the
/// error says why not and what to do.
pub(crate) fn check_strategy(c: &CCol) -> Result<(), String> {
    if c.unique {
        match &c.mask {
            MaskStrategy::Fixed { .. } => {
                return Err(
                    "the column is UNIQUE: a fixed masking value would make the second erasure fail on the constraint; use `hash` or `random`, or erase the table's rows with `erase = \"delete\"`".into(),
                );
            }
            MaskStrategy::Null if !c.nullable && !c.kind.is_textual() => {
                return Err(format!(
                    "the column is NOT NULL UNIQUE and of kind {:?}: no masking strategy gives each erased row its own value; erase the table's rows with `erase = \"delete\"` or allow NULL in the column",
                    c.kind
                ));
            }
            _ if (matches!(c.mask, MaskStrategy::Hash | MaskStrategy::Random)
                || needs_unique_placeholder(c))
                && out_len(c) < MIN_UNIQUE_HEX =>
            {
                return Err(format!(
                    "the column is UNIQUE and only {} characters long: masked values that short could collide; widen the column to at least {MIN_UNIQUE_HEX} or erase with `erase = \"delete\"`",
                    out_len(c)
                ));
            }
            _ => {}
        }
    }
    match &c.mask {
        MaskStrategy::Null => {
            if !c.nullable && empty_value(c.kind).is_none() {
                return Err(format!(
                    "column is NOT NULL and of kind {:?}: masking with null is impossible; give a fixed value",
                    c.kind
                ));
            }
        }
        MaskStrategy::Fixed { value } => {
            if parse_text(value, c.kind).is_none() {
                return Err(format!(
                    "fixed masking value `{value}` does not fit the column type {:?}",
                    c.kind
                ));
            }
            if let Some(m) = c.max_len
                && value.chars().count() > m as usize
            {
                return Err(format!(
                    "fixed masking value is longer than the column ({m})"
                ));
            }
        }
        MaskStrategy::Hash | MaskStrategy::Random => {
            if !c.kind.is_textual() {
                return Err(format!(
                    "strategy {:?} needs a text column, this one is {:?}; use null or fixed",
                    c.mask, c.kind
                ));
            }
        }
    }
    Ok(())
}

fn is_masked_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether the value is already in its masked state.
pub(crate) fn is_masked(c: &CCol, v: &Val) -> bool {
    match &c.mask {
        MaskStrategy::Null if needs_unique_placeholder(c) => match v {
            Val::Text(s) => is_masked_hex(s, out_len(c)),
            _ => false,
        },
        MaskStrategy::Null => {
            v.is_null() || (!c.nullable && empty_value(c.kind).is_some_and(|e| e.key() == v.key()))
        }
        MaskStrategy::Fixed { value } => {
            parse_text(value, c.kind).is_some_and(|f| f.key() == v.key())
        }
        MaskStrategy::Hash | MaskStrategy::Random => match v {
            Val::Null => true,
            Val::Text(s) => is_masked_hex(s, out_len(c)),
            _ => false,
        },
    }
}

/// The masked replacement of a value, or `None` when it is already masked.
pub(crate) fn mask_value(c: &CCol, v: &Val, key: Option<&[u8]>) -> Option<Val> {
    if is_masked(c, v) {
        return None;
    }
    let n = out_len(c);
    match &c.mask {
        // A NOT NULL UNIQUE column cannot take '' twice: each erased row gets random hex.
        MaskStrategy::Null if needs_unique_placeholder(c) => {
            let bytes: [u8; 32] = rand::random();
            Some(Val::Text(hex::encode(bytes).chars().take(n).collect()))
        }
        MaskStrategy::Null => {
            if c.nullable {
                Some(Val::Null)
            } else {
                empty_value(c.kind)
            }
        }
        MaskStrategy::Fixed { value } => parse_text(value, c.kind),
        MaskStrategy::Hash => {
            let mut mac = HmacSha256::new_from_slice(key.unwrap_or_default()).ok()?;
            mac.update(v.key().as_bytes());
            let h = hex::encode(mac.finalize().into_bytes());
            Some(Val::Text(h.chars().take(n).collect()))
        }
        MaskStrategy::Random => {
            let bytes: [u8; 32] = rand::random();
            let h = hex::encode(bytes);
            Some(Val::Text(h.chars().take(n).collect()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(mask: MaskStrategy) -> CCol {
        CCol {
            name: "x".into(),
            kind: ColKind::Text,
            nullable: true,
            max_len: Some(40),
            category: None,
            identity: None,
            mask,
            personal: true,
            is_ref: false,
            matching: Default::default(),
            unique: false,
        }
    }

    #[test]
    fn masking_is_idempotent() {
        for s in [
            MaskStrategy::Null,
            MaskStrategy::Hash,
            MaskStrategy::Random,
            MaskStrategy::Fixed {
                value: "REDACTED".into(),
            },
        ] {
            let c = col(s);
            let v = Val::Text("jan@example.nl".into());
            let m = mask_value(&c, &v, Some(b"k")).unwrap();
            assert!(mask_value(&c, &m, Some(b"k")).is_none(), "{:?}", c.mask);
        }
    }

    #[test]
    fn unique_not_null_gets_distinct_values() {
        let mut c = col(MaskStrategy::Null);
        c.unique = true;
        c.nullable = false;
        assert!(check_strategy(&c).is_ok());
        let v = Val::Text("jan@example.nl".into());
        let a = mask_value(&c, &v, None).unwrap();
        let b = mask_value(&c, &Val::Text("piet@example.nl".into()), None).unwrap();
        assert_ne!(a, b, "two erased rows must not collide");
        assert!(
            mask_value(&c, &a, None).is_none(),
            "masking twice changes nothing"
        );
        c.mask = MaskStrategy::Fixed { value: "x".into() };
        assert!(check_strategy(&c).unwrap_err().contains("UNIQUE"));
        c.mask = MaskStrategy::Null;
        c.kind = ColKind::Int;
        assert!(check_strategy(&c).unwrap_err().contains("NOT NULL UNIQUE"));
    }

    #[test]
    fn hash_is_keyed_and_stable() {
        let c = col(MaskStrategy::Hash);
        let v = Val::Text("jan@example.nl".into());
        let a = mask_value(&c, &v, Some(b"k1")).unwrap();
        let b = mask_value(&c, &v, Some(b"k1")).unwrap();
        let d = mask_value(&c, &v, Some(b"k2")).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, d);
        assert_eq!(a.key().len(), 40);
    }
}
