//! How an identity column is compared with the identity a person gives: e-mail addresses
//! without regard to case and surrounding spaces, phone numbers without their punctuation and
//! whichever of the national or international form was stored. The same normalisation runs in
//! SQL (so that an expression index can serve the lookup) and in Rust (to judge whose a row is).

use sea_query::{Expr, Func};
use serde::{Deserialize, Serialize};

/// How values of an identity column are compared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityMatch {
    /// Byte for byte.
    #[default]
    Exact,
    /// Without regard to letter case and leading or trailing spaces (e-mail addresses).
    /// SQL: `LOWER(TRIM(col))`. SQLite's `LOWER` folds ASCII letters only.
    Casefold,
    /// A phone number: spaces, dashes, dots and brackets are ignored, and the national form
    /// (`06...`) matches the international ones (`+316...`, `00316...`, `+31 (0)6...`).
    /// SQL: the column with those characters removed, compared with each stored form.
    Phone,
}

impl IdentityMatch {
    /// The default for an identity kind: `email` compares case-insensitively, `phone` (and
    /// `telephone`, `mobile`, `tel`) as a phone number, every other kind exactly.
    pub fn default_for(kind: &str) -> IdentityMatch {
        let k = kind.to_ascii_lowercase();
        if k.contains("mail") {
            IdentityMatch::Casefold
        } else if k.contains("phone") || k == "tel" || k.contains("mobile") || k.contains("mobiel")
        {
            IdentityMatch::Phone
        } else {
            IdentityMatch::Exact
        }
    }
}

/// The characters a phone number may be written with besides digits and a leading `+`.
pub(crate) const PHONE_PUNCTUATION: [char; 5] = [' ', '-', '.', '(', ')'];

impl IdentityMatch {
    /// The one definition of how SQL compares an identity column under this mode, built with
    /// the caller's two steps: `lower_trim` (`LOWER(TRIM(col))`) for `casefold`, `strip` (remove
    /// one character: `REPLACE(col, 'c', '')`) for each of [`PHONE_PUNCTUATION`] for `phone`;
    /// the column itself for `exact`.
    fn compared_as<E>(
        self,
        col: E,
        lower_trim: impl FnOnce(E) -> E,
        strip: impl Fn(E, char) -> E,
    ) -> E {
        match self {
            IdentityMatch::Exact => col,
            IdentityMatch::Casefold => lower_trim(col),
            IdentityMatch::Phone => PHONE_PUNCTUATION.iter().fold(col, |e, &p| strip(e, p)),
        }
    }

    /// The column expression lookups compare under this mode (values bound).
    pub(crate) fn sql_expr(self, col: Expr) -> Expr {
        self.compared_as(
            col,
            |e| Func::lower(Func::cust("TRIM").arg(e)).into(),
            |e, p| {
                Func::cust("REPLACE")
                    .args([e, Expr::val(p.to_string()), Expr::val("")])
                    .into()
            },
        )
    }

    /// The same expression as SQL text for the column `name`, e.g. `LOWER(TRIM(email))`, for
    /// the advice on the index that serves the lookups.
    pub(crate) fn sql_text(self, name: &str) -> String {
        self.compared_as(
            name.to_string(),
            |e| format!("LOWER(TRIM({e}))"),
            |e, p| format!("REPLACE({e}, '{p}', '')"),
        )
    }
}

/// Normalises a value for comparison under `mode`. For phones the canonical form is the
/// international one (`+<country><number>`) where the national trunk prefix `0` is known.
pub(crate) fn normalise(mode: IdentityMatch, value: &str, country: &str) -> String {
    match mode {
        IdentityMatch::Exact => value.to_string(),
        IdentityMatch::Casefold => value.trim_matches(' ').to_lowercase(),
        IdentityMatch::Phone => {
            let compact: String = value
                .trim()
                .chars()
                .filter(|c| !PHONE_PUNCTUATION.contains(c))
                .collect();
            canonical_phone(&compact, country)
        }
    }
}

/// `+<country><number>` from a compact number (no punctuation): `0612345678`,
/// `+31612345678`, `0031612345678`, `+310612345678` (from `+31 (0)6...`) all give
/// `+31612345678` for country `31`. Numbers in another form are kept as they are.
fn canonical_phone(compact: &str, country: &str) -> String {
    let intl = if let Some(rest) = compact.strip_prefix('+') {
        Some(rest.to_string())
    } else {
        compact.strip_prefix("00").map(str::to_string)
    };
    match intl {
        Some(rest) => {
            // "+31 (0)6 ..." leaves the trunk zero after the country code.
            match rest.strip_prefix(country) {
                Some(n) if !country.is_empty() => {
                    format!("+{country}{}", n.strip_prefix('0').unwrap_or(n))
                }
                _ => format!("+{rest}"),
            }
        }
        None => match compact.strip_prefix('0') {
            Some(n) if !country.is_empty() && !n.is_empty() => format!("+{country}{n}"),
            _ => compact.to_string(),
        },
    }
}

/// The stored forms (after removing punctuation) a phone number may have, for an index-friendly
/// `IN (...)`: national, `+` international, `00` international and `+CC0` (from `+31 (0)6`).
pub(crate) fn phone_forms(value: &str, country: &str) -> Vec<String> {
    let canon = normalise(IdentityMatch::Phone, value, country);
    let mut out = vec![canon.clone()];
    if let Some(n) = canon
        .strip_prefix('+')
        .and_then(|r| r.strip_prefix(country))
        .filter(|_| !country.is_empty())
    {
        out.push(format!("0{n}"));
        out.push(format!("00{country}{n}"));
        out.push(format!("+{country}0{n}"));
    } else if let Some(r) = canon.strip_prefix('+') {
        out.push(format!("00{r}"));
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_text_of_each_mode() {
        assert_eq!(IdentityMatch::Exact.sql_text("email"), "email");
        assert_eq!(
            IdentityMatch::Casefold.sql_text("email"),
            "LOWER(TRIM(email))"
        );
        assert_eq!(
            IdentityMatch::Phone.sql_text("phone"),
            "REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(phone, ' ', ''), '-', ''), '.', ''), '(', ''), ')', '')"
        );
    }

    #[test]
    fn the_sql_expression_has_the_texts_shape() {
        use sea_query::{Alias, Query, SqliteQueryBuilder};
        let sql = |m: IdentityMatch| {
            Query::select()
                .expr(m.sql_expr(Expr::col(Alias::new("phone"))))
                .to_string(SqliteQueryBuilder)
        };
        assert_eq!(
            sql(IdentityMatch::Phone),
            format!("SELECT {}", IdentityMatch::Phone.sql_text("\"phone\""))
        );
        assert_eq!(
            sql(IdentityMatch::Casefold),
            format!("SELECT {}", IdentityMatch::Casefold.sql_text("\"phone\""))
        );
    }

    #[test]
    fn email_ignores_case_and_spaces() {
        assert_eq!(
            normalise(IdentityMatch::Casefold, " Daan.Bakker@Example.NL ", "31"),
            "daan.bakker@example.nl"
        );
        assert_eq!(
            normalise(IdentityMatch::Exact, "Daan@x.nl", "31"),
            "Daan@x.nl"
        );
    }

    #[test]
    fn phone_forms_meet() {
        let want = "+31612345678";
        for v in [
            "06-12345678",
            "06 1234 5678",
            "+31 6 12345678",
            "0031612345678",
            "+31 (0)6 12345678",
            "(06) 12.34.56.78",
        ] {
            assert_eq!(normalise(IdentityMatch::Phone, v, "31"), want, "{v}");
        }
        let forms = phone_forms("06 12345678", "31");
        for f in [
            "0612345678",
            "+31612345678",
            "0031612345678",
            "+310612345678",
        ] {
            assert!(forms.contains(&f.to_string()), "{f} in {forms:?}");
        }
        // A number of another country stays itself.
        assert_eq!(
            normalise(IdentityMatch::Phone, "+32 470 12 34 56", "31"),
            "+32470123456"
        );
    }

    #[test]
    fn defaults_by_kind() {
        assert_eq!(IdentityMatch::default_for("email"), IdentityMatch::Casefold);
        assert_eq!(IdentityMatch::default_for("phone"), IdentityMatch::Phone);
        assert_eq!(IdentityMatch::default_for("bsn"), IdentityMatch::Exact);
    }
}
