//! ISO 8601 durations (`P4W`, `P7Y`, `PT48H`) as they appear in the register.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use jiff::Span;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO 8601 duration such as `P4W`, `P1M`, `P7Y` or `PT48H`.
///
/// The text is kept as written (so that rendering and the digest are stable); the parsed
/// [`jiff::Span`] is available through [`IsoDuration::span`]. In TOML and JSON it is a string.
#[derive(Clone, Debug)]
pub struct IsoDuration {
    text: String,
    span: Span,
}

/// Why a text is not an ISO 8601 duration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not an ISO 8601 duration: {reason}; write it like `P4W` (4 weeks), `P1M` \
     (1 month), `P7Y` (7 years), `P2Y6M` or `PT48H` (48 hours)"
)]
pub struct DurationError {
    /// The text that was given.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

/// The date relative to which calendar units (years, months) are compared.
fn reference_date() -> Date {
    Date::constant(2025, 1, 1)
}

impl IsoDuration {
    /// Parses an ISO 8601 duration. Negative durations and an empty `P` are refused.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let trimmed = text.trim();
        let err = |reason: &str| DurationError {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        if trimmed.is_empty() {
            return Err(err("it is empty"));
        }
        let upper = trimmed.to_ascii_uppercase();
        if !upper.starts_with('P') {
            return Err(err("it must start with `P`"));
        }
        if upper.starts_with("-P") || upper.contains('-') {
            return Err(err("a duration cannot be negative"));
        }
        let span: Span = upper
            .parse()
            .map_err(|e: jiff::Error| err(&e.to_string()))?;
        if span.is_zero() && !upper.chars().any(|c| c.is_ascii_digit()) {
            return Err(err("it has no amount"));
        }
        Ok(Self { text: upper, span })
    }

    /// The duration as written, e.g. `P7Y`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed span.
    pub fn span(&self) -> Span {
        self.span
    }

    /// Adds this duration to a calendar date (calendar-aware: `P1M` from 31 January is the end of February).
    pub fn add_to(&self, date: Date) -> Result<Date, jiff::Error> {
        date.checked_add(self.span)
    }

    /// Adds this duration to a civil date-time (calendar-aware).
    pub fn add_to_datetime(
        &self,
        dt: jiff::civil::DateTime,
    ) -> Result<jiff::civil::DateTime, jiff::Error> {
        dt.checked_add(self.span)
    }

    /// Adds this duration to a zoned date-time, e.g. a request received in Europe/Amsterdam
    /// (calendar units follow the time zone's calendar, hours are exact).
    pub fn add_to_zoned(&self, z: &jiff::Zoned) -> Result<jiff::Zoned, jiff::Error> {
        z.checked_add(self.span)
    }

    /// Compares two durations, measuring calendar units from 1 January 2025.
    pub fn compare(&self, other: &IsoDuration) -> Ordering {
        let start = reference_date().at(0, 0, 0, 0);
        match (start.checked_add(self.span), start.checked_add(other.span)) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            _ => self.approx_days().total_cmp(&other.approx_days()),
        }
    }

    /// `true` when this duration is longer than `other` plus `margin` (calendar units measured
    /// from 1 January 2025): `P10Y` exceeds `P7Y` by more than `P1Y`, `P8Y` does not.
    pub fn exceeds_by_more_than(&self, other: &IsoDuration, margin: &IsoDuration) -> bool {
        let start = reference_date().at(0, 0, 0, 0);
        let limit = start
            .checked_add(other.span)
            .and_then(|d| d.checked_add(margin.span));
        match (start.checked_add(self.span), limit) {
            (Ok(a), Ok(b)) => a > b,
            _ => self.approx_days() > other.approx_days() + margin.approx_days(),
        }
    }

    /// `true` when both durations are the same length of time (`P2Y` and `P24M`, `P4W` and
    /// `P28D`), measuring calendar units from 1 January 2025.
    pub fn same_length(&self, other: &IsoDuration) -> bool {
        self.compare(other) == Ordering::Equal
    }

    /// `true` when this duration is longer than `other`.
    pub fn exceeds(&self, other: &IsoDuration) -> bool {
        self.compare(other) == Ordering::Greater
    }

    /// `true` when this duration is longer than `other` for at least one start date: calendar
    /// units are measured from the first and the last days of every month of a leap year and of
    /// a common year. `P30D` may exceed `P1M` (from 1 February), `P2555D` may fall short of
    /// `P7Y`. Use it where a limit must hold for every start date (a legal maximum or minimum).
    pub fn may_exceed(&self, other: &IsoDuration) -> bool {
        for year in [2024_i16, 2025] {
            for month in 1..=12_i8 {
                for day in [1_i8, 28, 29, 30, 31] {
                    let Ok(start) = Date::new(year, month, day) else {
                        continue;
                    };
                    let start = start.at(0, 0, 0, 0);
                    match (start.checked_add(self.span), start.checked_add(other.span)) {
                        (Ok(a), Ok(b)) if a > b => return true,
                        (Ok(_), Ok(_)) => {}
                        _ => return self.approx_days() > other.approx_days(),
                    }
                }
            }
        }
        false
    }

    /// An approximate length in days (a year is 365.25 days, a month 30.44), for sorting and display.
    pub fn approx_days(&self) -> f64 {
        let s = self.span;
        f64::from(s.get_years()) * 365.25
            + f64::from(s.get_months()) * 30.44
            + f64::from(s.get_weeks()) * 7.0
            + f64::from(s.get_days())
            + f64::from(s.get_hours()) / 24.0
            + (s.get_minutes() as f64) / 1440.0
            + (s.get_seconds() as f64) / 86_400.0
    }

    /// The duration in plain words, e.g. `7 jaar` / `7 years`, `48 uur` / `48 hours` (the
    /// unit words are in `texts/<lang>.toml`). A zero duration is `0 dagen` / `0 days`; a
    /// sentence about "nothing kept" says so itself ([`IsoDuration::is_zero`]).
    pub fn words(&self, lang: crate::Lang) -> String {
        self.words_in(crate::texts::Texts::builtin(lang))
    }

    /// [`IsoDuration::words`] with the given texts (an organisation's own wording).
    pub fn words_in(&self, t: &crate::texts::Texts) -> String {
        let s = self.span;
        let mut parts = Vec::new();
        let units = [
            (i64::from(s.get_years()), "units.year"),
            (i64::from(s.get_months()), "units.month"),
            (i64::from(s.get_weeks()), "units.week"),
            (i64::from(s.get_days()), "units.day"),
            (i64::from(s.get_hours()), "units.hour"),
            (s.get_minutes(), "units.minute"),
            (s.get_seconds(), "units.second"),
        ];
        for (n, key) in units {
            if n != 0 {
                parts.push(format!("{n} {}", t.unit(key, n)));
            }
        }
        if parts.is_empty() {
            return format!("0 {}", t.unit("units.day", 0));
        }
        t.list(&parts, false)
    }

    /// `true` for a duration of nothing (`P0D`).
    pub fn is_zero(&self) -> bool {
        self.approx_days() <= 0.0
    }
}

impl PartialEq for IsoDuration {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for IsoDuration {}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for IsoDuration {
    type Err = DurationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for IsoDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for IsoDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        for t in ["P4W", "P7Y", "PT48H", "P1M", "P2Y6M", "P30D"] {
            let d = IsoDuration::parse(t).unwrap();
            assert_eq!(d.to_string(), t);
        }
        assert_eq!(IsoDuration::parse("p4w").unwrap().as_str(), "P4W");
    }

    #[test]
    fn refuses_wrong_text_with_a_hint() {
        for t in ["4 weeks", "", "P", "-P1D", "P1X"] {
            let e = IsoDuration::parse(t).unwrap_err();
            assert!(e.to_string().contains("P4W"), "{e}");
        }
    }

    #[test]
    fn compares_calendar_units() {
        let m1 = IsoDuration::parse("P1M").unwrap();
        let d30 = IsoDuration::parse("P30D").unwrap();
        let w4 = IsoDuration::parse("P4W").unwrap();
        let y7 = IsoDuration::parse("P7Y").unwrap();
        assert!(m1.exceeds(&w4));
        assert!(m1.exceeds(&d30)); // January has 31 days
        assert!(y7.exceeds(&m1));
        assert!(!w4.exceeds(&m1));
        let h48 = IsoDuration::parse("PT48H").unwrap();
        assert!(w4.exceeds(&h48));
    }

    #[test]
    fn may_exceed_checks_every_start_date() {
        let p = |t: &str| IsoDuration::parse(t).unwrap();
        // From 1 February one month is 28 days: 30 or 31 days are longer.
        assert!(p("P30D").may_exceed(&p("P1M")));
        assert!(p("P31D").may_exceed(&p("P1M")));
        assert!(!p("P28D").may_exceed(&p("P1M")));
        assert!(!p("P4W").may_exceed(&p("P1M")));
        assert!(!p("P1M").may_exceed(&p("P1M")));
        assert!(p("P1M1D").may_exceed(&p("P1M")));
        // 2555 days are seven years only without leap days.
        assert!(p("P7Y").may_exceed(&p("P2555D")));
        assert!(!p("P7Y").may_exceed(&p("P84M")));
        assert!(!p("P2M").may_exceed(&p("P2M")));
        // Huge values fall back to approximate days instead of failing.
        assert!(p("P19998Y").may_exceed(&p("P1M")));
    }

    #[test]
    fn adds_to_dates() {
        let d = jiff::civil::date(2026, 1, 31);
        let m1 = IsoDuration::parse("P1M").unwrap();
        assert_eq!(m1.add_to(d).unwrap(), jiff::civil::date(2026, 2, 28));
        let z = jiff::civil::date(2026, 3, 28)
            .at(12, 0, 0, 0)
            .in_tz("Europe/Amsterdam")
            .unwrap();
        let h48 = IsoDuration::parse("PT48H").unwrap();
        // Crosses the switch to summer time: 48 real hours later is 13:00 local time.
        assert_eq!(h48.add_to_zoned(&z).unwrap().hour(), 13);
        let dt = jiff::civil::date(2026, 1, 1).at(0, 0, 0, 0);
        let w4 = IsoDuration::parse("P4W").unwrap();
        assert_eq!(
            w4.add_to_datetime(dt).unwrap().date(),
            jiff::civil::date(2026, 1, 29)
        );
    }

    #[test]
    fn lengths_and_margins() {
        let p = |t: &str| IsoDuration::parse(t).unwrap();
        assert!(p("P2Y").same_length(&p("P24M")));
        assert!(p("P4W").same_length(&p("P28D")));
        assert!(!p("P1M").same_length(&p("P30D")));
        assert!(p("P10Y").exceeds_by_more_than(&p("P7Y"), &p("P1Y")));
        assert!(!p("P8Y").exceeds_by_more_than(&p("P7Y"), &p("P1Y")));
        assert!(!p("P96M").exceeds_by_more_than(&p("P7Y"), &p("P1Y")));
    }

    #[test]
    fn words() {
        let d = IsoDuration::parse("P2Y6M").unwrap();
        assert_eq!(d.words(crate::Lang::Nl), "2 jaar en 6 maanden");
        assert_eq!(d.words(crate::Lang::En), "2 years and 6 months");
    }
}
