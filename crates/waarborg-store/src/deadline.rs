//! Deadlines: GDPR Art. 12(3) counted in calendar months in Europe/Amsterdam.
//!
//! A request received on a day must be answered at the latest on the same calendar date one
//! month later (Regulation 1182/71: the period starts the day after receipt and ends on the
//! same date); when that date does not exist the month's last day counts (received 31 January →
//! due 28 or 29 February). A deadline is stored as an *exclusive* instant: the start of the day
//! after the last day, in Europe/Amsterdam, so that "overdue" is simply `now >= due_at` whatever
//! the daylight saving time in between.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan};

use crate::Error;

/// The time zone in which calendar deadlines are counted.
pub const TIME_ZONE: &str = "Europe/Amsterdam";

/// The time zone Europe/Amsterdam (from the tz database bundled into the binary).
pub fn amsterdam() -> Result<TimeZone, Error> {
    Ok(jiff::tz::db().get(TIME_ZONE)?)
}

/// The start of the day after `last_day` in Europe/Amsterdam: the exclusive end of `last_day`.
pub fn end_of_day(last_day: Date) -> Result<Timestamp, Error> {
    Ok(last_day.tomorrow()?.to_zoned(amsterdam()?)?.timestamp())
}

/// The last day on which a deadline given as an exclusive instant is still met (Amsterdam date).
pub fn last_day(due_at: Timestamp) -> Result<Date, Error> {
    let just_before = due_at.checked_sub(1.nanosecond())?;
    Ok(just_before.to_zoned(amsterdam()?).date())
}

/// The date of `ts` in Europe/Amsterdam.
pub fn local_date(ts: Timestamp) -> Result<Date, Error> {
    Ok(ts.to_zoned(amsterdam()?).date())
}

/// The statutory deadline of GDPR Art. 12(3): the end of the same calendar date one month after
/// receipt (clamped to the month's last day), in Europe/Amsterdam.
pub fn statutory_due(received: Timestamp) -> Result<Timestamp, Error> {
    let day = local_date(received)?.checked_add(1.month())?;
    end_of_day(day)
}

/// The deadline after an extension by `months` further months (1 or 2): the end of the same
/// calendar date `1 + months` months after receipt.
pub fn extended_due(received: Timestamp, months: u8) -> Result<Timestamp, Error> {
    if !(1..=2).contains(&months) {
        return Err(Error::Invalid(format!(
            "an extension is one or two further months (GDPR Art. 12(3)), not {months}"
        )));
    }
    let day = local_date(received)?.checked_add((1 + i64::from(months)).months())?;
    end_of_day(day)
}

/// Whether a span has any unit smaller than a day.
fn has_time_units(span: &Span) -> bool {
    span.get_hours() != 0
        || span.get_minutes() != 0
        || span.get_seconds() != 0
        || span.get_milliseconds() != 0
        || span.get_microseconds() != 0
        || span.get_nanoseconds() != 0
}

/// The deadline promised by the register (an ISO 8601 duration such as `P4W` or `PT48H`).
///
/// A promise in whole days, weeks, months or years ends at the end of that calendar day in
/// Europe/Amsterdam; a promise with hours or smaller units is an exact instant after receipt.
pub fn promised_due(received: Timestamp, promise: Span) -> Result<Timestamp, Error> {
    if promise.is_negative() || promise.is_zero() {
        return Err(Error::Invalid(format!(
            "a deadline must be positive, not {promise}"
        )));
    }
    if has_time_units(&promise) {
        Ok(received
            .to_zoned(amsterdam()?)
            .checked_add(promise)?
            .timestamp())
    } else {
        end_of_day(local_date(received)?.checked_add(promise)?)
    }
}

/// The deadline of a case: the statutory one, or the register's promise when that is shorter.
pub fn due(received: Timestamp, promise: Option<Span>) -> Result<Timestamp, Error> {
    let statutory = statutory_due(received)?;
    match promise {
        Some(p) => Ok(promised_due(received, p)?.min(statutory)),
        None => Ok(statutory),
    }
}

/// Parses an ISO 8601 duration (`P1M`, `P4W`, `PT48H`, `P5Y`).
pub fn parse_duration(s: &str) -> Result<Span, Error> {
    s.parse::<Span>().map_err(|e| {
        Error::Invalid(format!(
            "`{s}` is not an ISO 8601 duration (e.g. P4W, PT48H): {e}"
        ))
    })
}

/// Parses a date (`2026-01-31`, the start of that day in Europe/Amsterdam) or an RFC 3339
/// timestamp (`2026-01-31T10:00:00Z`, `2026-01-31T10:00:00+01:00`).
pub fn parse_when(s: &str) -> Result<Timestamp, Error> {
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(micros(ts));
    }
    let date: Date = s.parse().map_err(|_| {
        Error::Invalid(format!(
            "`{s}` is neither a date (2026-01-31) nor an RFC 3339 time (2026-01-31T10:00:00Z)"
        ))
    })?;
    Ok(date.to_zoned(amsterdam()?)?.timestamp())
}

/// `ts` truncated to whole microseconds (what the store keeps).
pub fn micros(ts: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(ts.as_microsecond()).unwrap_or(ts)
}

/// The current time, truncated to microseconds.
pub fn now() -> Timestamp {
    micros(Timestamp::now())
}

/// Formats a timestamp the way the store keeps it: RFC 3339 UTC with six fractional digits,
/// so that text order is time order.
pub fn fmt_ts(ts: Timestamp) -> String {
    jiff::fmt::temporal::DateTimePrinter::new()
        .precision(Some(6))
        .timestamp_to_string(&ts)
}

/// Parses a stored timestamp.
pub fn parse_ts(s: &str) -> Result<Timestamp, Error> {
    s.parse::<Timestamp>()
        .map_err(|e| Error::Corrupt(format!("stored time `{s}` does not parse: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn stored_format_sorts_as_time() {
        let a = fmt_ts(ts("2026-01-01T00:00:00Z"));
        let b = fmt_ts(ts("2026-01-01T00:00:00.5Z"));
        assert_eq!(a, "2026-01-01T00:00:00.000000Z");
        assert!(a < b);
        assert_eq!(parse_ts(&b).unwrap(), ts("2026-01-01T00:00:00.5Z"));
    }

    #[test]
    fn month_end_clamps() {
        // 31 January 2026, noon in Amsterdam → last day 28 February 2026.
        let due = statutory_due(ts("2026-01-31T11:00:00Z")).unwrap();
        assert_eq!(last_day(due).unwrap(), Date::constant(2026, 2, 28));
        // Leap year 2028: 29 February.
        let due = statutory_due(ts("2028-01-31T11:00:00Z")).unwrap();
        assert_eq!(last_day(due).unwrap(), Date::constant(2028, 2, 29));
    }

    #[test]
    fn local_date_not_utc_date() {
        // 23:30 UTC on 28 Feb 2026 is already 1 March in Amsterdam (CET, +01:00).
        let due = statutory_due(ts("2026-02-28T23:30:00Z")).unwrap();
        assert_eq!(last_day(due).unwrap(), Date::constant(2026, 4, 1));
        // Across the DST change of 29 March 2026: ends at local midnight (CEST, +02:00).
        assert_eq!(due, ts("2026-04-01T22:00:00Z"));
    }

    #[test]
    fn register_promise_wins_when_shorter() {
        let r = ts("2026-03-02T09:00:00Z");
        let d = due(r, Some("P4W".parse().unwrap())).unwrap();
        assert_eq!(last_day(d).unwrap(), Date::constant(2026, 3, 30));
        let d = due(r, Some("PT48H".parse().unwrap())).unwrap();
        assert_eq!(d, ts("2026-03-04T09:00:00Z"));
        let d = due(r, Some("P3M".parse().unwrap())).unwrap();
        assert_eq!(d, statutory_due(r).unwrap());
    }

    #[test]
    fn extension_counts_from_receipt() {
        let r = ts("2026-11-30T10:00:00Z");
        assert_eq!(
            last_day(extended_due(r, 2).unwrap()).unwrap(),
            Date::constant(2027, 2, 28)
        );
        assert!(extended_due(r, 3).is_err());
    }

    proptest::proptest! {
        /// For any moment of receipt in 2000..2100: the last day is the same day of the next
        /// month (or that month's last day), the deadline ends at an Amsterdam midnight, and a
        /// shorter promise never makes it later.
        #[test]
        fn statutory_deadline_invariants(secs in 946_684_800i64..4_102_444_800i64, days in 1i64..60) {
            let received = Timestamp::from_second(secs).unwrap();
            let due = statutory_due(received).unwrap();
            let got = last_day(due).unwrap();
            let rd = local_date(received).unwrap();
            let next = rd.first_of_month().checked_add(1.month()).unwrap();
            proptest::prop_assert_eq!((got.year(), got.month()), (next.year(), next.month()));
            proptest::prop_assert_eq!(got.day(), rd.day().min(next.days_in_month()));
            let local = due.to_zoned(amsterdam().unwrap());
            proptest::prop_assert_eq!((local.hour(), local.minute()), (0, 0));
            proptest::prop_assert!(due > received);
            let promised = super::due(received, Some(days.days())).unwrap();
            proptest::prop_assert!(promised <= due);
            let extended = extended_due(received, 2).unwrap();
            proptest::prop_assert!(extended > due);
        }
    }

    #[test]
    fn parses_dates_in_amsterdam() {
        assert_eq!(
            parse_when("2026-07-01").unwrap(),
            ts("2026-06-30T22:00:00Z")
        );
        assert_eq!(
            parse_when("2026-01-01").unwrap(),
            ts("2025-12-31T23:00:00Z")
        );
        assert!(parse_when("yesterday").is_err());
    }
}
