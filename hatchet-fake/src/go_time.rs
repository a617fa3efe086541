//! Times as Hatchet's server reads, stores and prints them.
//!
//! - Read: Go's `time.Time` JSON decoding, strict RFC 3339 (`T` and `Z` in
//!   upper case, seconds below 60, offsets `Z` or `±hh:mm`).
//! - Stored: the trigger time goes into a `timestamp` column without time
//!   zone through pgx, which keeps the wall clock and drops the offset
//!   (`10:00+02:00` is stored, and fires, as `10:00Z`); columns keep
//!   milliseconds (`timestamp(3)`), rounding.
//! - Printed: Go's RFC3339Nano in UTC with trailing zeros trimmed
//!   (`…:00.12Z`, `…:00Z`).

use chrono::{DateTime, FixedOffset, NaiveDate, SubsecRound, Timelike, Utc};

/// Go's layout, as its parse errors name it.
const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

/// Parses an RFC 3339 time as Go's JSON decoding of `time.Time` does.
pub(crate) fn parse(text: &str) -> Result<DateTime<FixedOffset>, String> {
    parse_parts(text)
        .ok_or_else(|| format!("parsing time {text:?} as {LAYOUT:?}: cannot parse {text:?}"))
}

fn parse_parts(text: &str) -> Option<DateTime<FixedOffset>> {
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        let digits = text.get(from..to)?;
        digits
            .bytes()
            .all(|d| d.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    let mut rest = &text[19..];
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let kept = &fraction[..digits.min(9)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - u32::try_from(kept.len()).ok()?);
        rest = &fraction[digits..];
    }
    let offset_seconds = match rest.as_bytes() {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (
                number(text.len() - 5, text.len() - 3)?,
                number(text.len() - 2, text.len())?,
            );
            if hours >= 24 || minutes >= 60 {
                return None;
            }
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    // chrono refuses an hour past 23, a minute or second past 59, as Go does.
    let local = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_nano_opt(hour, minute, second, nanos)?;
    local
        .and_local_timezone(FixedOffset::east_opt(offset_seconds)?)
        .single()
}

/// Go's zero `time.Time`, what a missing or `null` time decodes to; the
/// server stores it as NULL.
pub(crate) fn is_go_zero(at: DateTime<FixedOffset>) -> bool {
    at.to_utc() == DateTime::<Utc>::from_timestamp(GO_ZERO_UNIX_SECONDS, 0).expect("in range")
}

/// Seconds from the Unix epoch back to 0001-01-01T00:00:00Z.
const GO_ZERO_UNIX_SECONDS: i64 = -62_135_596_800;

/// A trigger time as the `timestamp(3)` column keeps it: the wall clock
/// read as UTC, to the millisecond.
pub(crate) fn stored_trigger_time(at: DateTime<FixedOffset>) -> DateTime<Utc> {
    stored(at.naive_local().and_utc())
}

/// A time as a `timestamp(3)` column keeps it: rounded to milliseconds.
pub(crate) fn stored(at: DateTime<Utc>) -> DateTime<Utc> {
    at.round_subsecs(3)
}

/// Go's RFC3339Nano for a UTC time: trailing zeros of the fraction trimmed.
pub(crate) fn print(at: DateTime<Utc>) -> String {
    let seconds = at.format("%Y-%m-%dT%H:%M:%S");
    match at.nanosecond() {
        0 => format!("{seconds}Z"),
        nanos => {
            let fraction = format!("{nanos:09}");
            format!("{seconds}.{}Z", fraction.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_go_trimming_trailing_zeros() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(print(at("2040-01-01T10:00:00Z")), "2040-01-01T10:00:00Z");
        assert_eq!(
            print(at("2040-01-01T10:00:00.120Z")),
            "2040-01-01T10:00:00.12Z"
        );
        assert_eq!(
            print(at("2040-01-01T10:00:00.123Z")),
            "2040-01-01T10:00:00.123Z"
        );
        assert_eq!(print(at("0001-01-01T00:00:00Z")), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn parses_strict_rfc_3339_only() {
        let parsed = parse("2040-01-01T10:00:00.123456789+02:00").unwrap();
        assert_eq!(parsed.to_rfc3339(), "2040-01-01T10:00:00.123456789+02:00");
        assert_eq!(
            parse("2040-01-01T10:00:00.1234567891Z")
                .unwrap()
                .nanosecond(),
            123_456_789,
            "digits past nanoseconds are dropped"
        );
        for bad in [
            "2040-01-01t10:00:00Z",
            "2040-01-01T10:00:00z",
            "2040-01-01 10:00:00Z",
            "2040-01-01T10:00:60Z",
            "2040-01-01T24:00:00Z",
            "2040-02-30T10:00:00Z",
            "2040-01-01T10:00:00",
            "2040-01-01T10:00:00.Z",
            "2040-01-01T10:00:00+0200",
            "2040-01-01T10:00:00+24:00",
            "tomorrow",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse("soon").unwrap_err(),
            "parsing time \"soon\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"soon\""
        );
    }

    #[test]
    fn each_separator_and_each_bound_is_checked_on_its_own() {
        for bad in [
            "2040/01-01T10:00:00Z",
            "2040-01/01T10:00:00Z",
            "2040-01-01T10/00:00Z",
            "2040-01-01T10:00/00Z",
            "2040-01-01T10:60:00Z",
            "2040-01-01T10:00:00+00:60",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn offsets_count_hours_and_minutes_either_way() {
        let offset = |text: &str| parse(text).unwrap().offset().local_minus_utc();
        assert_eq!(offset("2040-01-01T10:00:00+05:30"), 5 * 3600 + 30 * 60);
        assert_eq!(offset("2040-01-01T10:00:00-05:30"), -(5 * 3600 + 30 * 60));
        assert_eq!(offset("2040-01-01T10:00:00Z"), 0);
    }

    #[test]
    fn trigger_times_keep_the_wall_clock_to_the_millisecond() {
        let stored = stored_trigger_time(parse("2040-01-01T10:00:00.1236+02:00").unwrap());
        assert_eq!(print(stored), "2040-01-01T10:00:00.124Z");
        assert!(is_go_zero(parse("0001-01-01T00:00:00Z").unwrap()));
        assert!(!is_go_zero(parse("0001-01-01T00:00:00.001Z").unwrap()));
    }
}
