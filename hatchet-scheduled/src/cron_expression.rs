//! Cron expressions in the grammar Hatchet validates, and their firing
//! times.
//!
//! Hatchet's REST create stores a cron's expression without checking it
//! (`create_cron.go`, `CreateCronWorkflow`); its ticker later reads it with
//! robfig/cron v3 through gocron and silently deletes a cron it cannot
//! schedule (`internal/services/ticker/cron.go`). So a mistyped expression
//! is answered 200 and then quietly never fires. Checking before sending is
//! the only way to hear about it: this module follows the grammar, bounds
//! and quirks of Hatchet's own cron validator, robfig/cron v3.0.1's parser
//! with an optional seconds field and no descriptors
//! (`pkg/validator/validator.go`), so an expression accepted here is one
//! Hatchet's validator accepts and its ticker schedules (time-zone names
//! aside: see [`CronExpression::time_zone`]).

use std::{fmt, str::FromStr};

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};

use crate::Error;

/// A cron expression in the grammar Hatchet's cron validator accepts: 5
/// fields (minute, hour, day of month, month, day of week) or 6 with
/// seconds first, optionally after a `CRON_TZ=<zone> ` or `TZ=<zone> `
/// prefix.
///
/// Each field is a comma list of `*`, `?`, a number or a name (`JAN`–`DEC`,
/// `SUN`–`SAT`, any case), as single values, ranges `a-b` and steps `*/n`,
/// `a/n`, `a-b/n`. Descriptors such as `@daily` are refused, as Hatchet's
/// validator refuses them (its ticker would read them, but they are outside
/// the grammar it validates), and the error says which fields to write
/// instead.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use hatchet_scheduled::CronExpression;
///
/// let weekdays = CronExpression::parse("30 9 * * MON-FRI")?;
/// let friday_evening = Utc.with_ymd_and_hms(2030, 5, 17, 18, 0, 0).unwrap();
/// assert_eq!(
///     weekdays.next_after(friday_evening),
///     Some(Utc.with_ymd_and_hms(2030, 5, 20, 9, 30, 0).unwrap()) // Monday
/// );
///
/// let refused = CronExpression::parse("61 9 * * *").unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "invalid argument `expression`: minute: 61 is above the maximum 59"
/// );
/// # Ok::<(), hatchet_scheduled::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CronExpression {
    text: String,
    time_zone: Option<String>,
    second: u64,
    minute: u64,
    hour: u64,
    day_of_month: u64,
    month: u64,
    day_of_week: u64,
    /// A day matches when both day fields match if either is a `*` (or
    /// `?`) without a step, and when either matches otherwise (as cron does).
    either_day: bool,
}

/// One field's place, bounds and names.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const SECOND: Field = Field {
    name: "second",
    min: 0,
    max: 59,
    names: &[],
};
const MINUTE: Field = Field {
    name: "minute",
    min: 0,
    max: 59,
    names: &[],
};
const HOUR: Field = Field {
    name: "hour",
    min: 0,
    max: 23,
    names: &[],
};
const DAY_OF_MONTH: Field = Field {
    name: "day of month",
    min: 1,
    max: 31,
    names: &[],
};
/// Month names, January first (= 1).
const MONTH: Field = Field {
    name: "month",
    min: 1,
    max: 12,
    names: &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ],
};
/// Weekday names, Sunday first (= 0).
const DAY_OF_WEEK: Field = Field {
    name: "day of week",
    min: 0,
    max: 6,
    names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
};

/// A field's values as bits, and whether it was an unstepped `*`.
struct Parsed {
    bits: u64,
    star: bool,
}

impl CronExpression {
    /// Checks `expression` the way Hatchet's cron validator does. The error is an
    /// [`Error::InvalidArgument`] named `expression` whose reason names the
    /// field and what is wrong with it.
    pub fn parse(expression: &str) -> Result<Self, Error> {
        parse(expression).map_err(|reason| Error::invalid_argument("expression", reason))
    }

    /// The expression exactly as written; this is what is sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The zone of a `CRON_TZ=` or `TZ=` prefix, if any. Its name is not
    /// checked here (this crate has no time-zone database): Hatchet's ticker
    /// drops a cron whose zone it does not know. [`next_after`](Self::next_after)
    /// does not apply it.
    pub fn time_zone(&self) -> Option<&str> {
        self.time_zone.as_deref()
    }

    /// The first time after `after` that the expression matches, reading
    /// its fields in UTC, or `None` if it matches nothing in the next five
    /// years (`0 0 30 2 *`, February 30th, never comes).
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let fields = [self.second, self.minute, self.hour, self.month];
        if fields.contains(&0) || self.day_of_month | self.day_of_week == 0 {
            return None; // a field of only empty items (`,`) matches nothing
        }
        let mut t = after.with_nanosecond(0)? + Duration::seconds(1);
        let give_up = t + Duration::days(5 * 366);
        while t < give_up {
            if !has(self.month, t.month()) {
                let (year, month) = if t.month() == 12 {
                    (t.year() + 1, 1)
                } else {
                    (t.year(), t.month() + 1)
                };
                t = Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0).single()?;
            } else if !self.day_matches(t) {
                t = midnight(t) + Duration::days(1);
            } else if !has(self.hour, t.hour()) {
                t = t.with_minute(0)?.with_second(0)? + Duration::hours(1);
            } else if !has(self.minute, t.minute()) {
                t = t.with_second(0)? + Duration::minutes(1);
            } else if !has(self.second, t.second()) {
                t += Duration::seconds(1);
            } else {
                return Some(t);
            }
        }
        None
    }

    fn day_matches(&self, t: DateTime<Utc>) -> bool {
        let by_date = has(self.day_of_month, t.day());
        let by_weekday = has(self.day_of_week, t.weekday().num_days_from_sunday());
        if self.either_day {
            by_date || by_weekday
        } else {
            by_date && by_weekday
        }
    }
}

impl FromStr for CronExpression {
    type Err = Error;

    fn from_str(expression: &str) -> Result<Self, Error> {
        Self::parse(expression)
    }
}

impl fmt::Display for CronExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn has(bits: u64, value: u32) -> bool {
    bits & (1 << value) != 0
}

fn midnight(t: DateTime<Utc>) -> DateTime<Utc> {
    t.date_naive().and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Checks an expression as [`CronExpression::parse`] does, without keeping
/// anything: what a cron create needs before sending it as written.
pub(crate) fn check(expression: &str) -> Result<(), Error> {
    fields(expression)
        .map(drop)
        .map_err(|reason| Error::invalid_argument("expression", reason))
}

fn parse(expression: &str) -> Result<CronExpression, String> {
    let (time_zone, fields) = fields(expression)?;
    Ok(CronExpression {
        text: expression.to_owned(),
        time_zone: time_zone.map(str::to_owned),
        ..fields
    })
}

/// The zone, if any, and the fields as bits, in a `CronExpression` whose
/// text and zone [`parse`] fills in.
fn fields(expression: &str) -> Result<(Option<&str>, CronExpression), String> {
    if expression.is_empty() {
        return Err("must not be empty".into());
    }
    let (time_zone, spec) = split_time_zone(expression)?;
    if spec.starts_with('@') {
        return Err(descriptor_advice(spec));
    }
    let mut fields = [""; 6];
    let mut count = 0;
    for text in spec.split_whitespace() {
        if let Some(slot) = fields.get_mut(count) {
            *slot = text;
        }
        count += 1;
    }
    match count {
        // Five fields: seconds are 0.
        5 => {
            fields.rotate_right(1);
            fields[0] = "0";
        }
        6 => {}
        n => {
            return Err(format!(
                "expected 5 fields (or 6 with seconds first), found {n}"
            ));
        }
    }
    let second = field(fields[0], &SECOND)?;
    let minute = field(fields[1], &MINUTE)?;
    let hour = field(fields[2], &HOUR)?;
    let day_of_month = field(fields[3], &DAY_OF_MONTH)?;
    let month = field(fields[4], &MONTH)?;
    let day_of_week = field(fields[5], &DAY_OF_WEEK)?;
    let expression = CronExpression {
        text: String::new(),
        time_zone: None,
        second: second.bits,
        minute: minute.bits,
        hour: hour.bits,
        either_day: !(day_of_month.star || day_of_week.star),
        day_of_month: day_of_month.bits,
        month: month.bits,
        day_of_week: day_of_week.bits,
    };
    Ok((time_zone, expression))
}

/// Splits off a `CRON_TZ=<zone> ` or `TZ=<zone> ` prefix. As in robfig's
/// parser, the zone runs from the first `=` to the first space, and the
/// prefix must be exact (no leading space).
fn split_time_zone(expression: &str) -> Result<(Option<&str>, &str), String> {
    if !(expression.starts_with("TZ=") || expression.starts_with("CRON_TZ=")) {
        return Ok((None, expression));
    }
    let Some(space) = expression.find(' ') else {
        return Err("a CRON_TZ= or TZ= prefix must be followed by a space and the fields".into());
    };
    let equals = expression.find('=').unwrap_or(0);
    let zone = &expression[equals + 1..space];
    Ok((Some(zone), expression[space..].trim()))
}

/// Why a descriptor is refused, and what to write instead.
fn descriptor_advice(spec: &str) -> String {
    let instead = match spec.to_ascii_lowercase().as_str() {
        "@yearly" | "@annually" => Some("0 0 1 1 *"),
        "@monthly" => Some("0 0 1 * *"),
        "@weekly" => Some("0 0 * * 0"),
        "@daily" | "@midnight" => Some("0 0 * * *"),
        "@hourly" => Some("0 * * * *"),
        _ => None,
    };
    match instead {
        Some(fields) => format!(
            "descriptors such as {spec} are outside the cron grammar Hatchet validates; write `{fields}` instead"
        ),
        None => format!(
            "descriptors such as {spec} are outside the cron grammar Hatchet validates; write the five fields \
             (minute hour day-of-month month day-of-week) instead"
        ),
    }
}

/// A comma list of ranges. Empty items are skipped, as robfig does, so a
/// lone `,` is accepted and matches nothing.
fn field(text: &str, field: &Field) -> Result<Parsed, String> {
    let mut parsed = Parsed {
        bits: 0,
        star: false,
    };
    for range in text.split(',').filter(|r| !r.is_empty()) {
        let one = self::range(range, field).map_err(|why| format!("{}: {why}", field.name))?;
        parsed.bits |= one.bits;
        parsed.star |= one.star;
    }
    Ok(parsed)
}

/// `*`, `?`, `n`, `a-b`, each optionally with `/step`.
fn range(expr: &str, field: &Field) -> Result<Parsed, String> {
    let mut range_and_step = expr.split('/');
    let range = range_and_step.next().unwrap_or_default();
    let step = range_and_step.next();
    if range_and_step.next().is_some() {
        return Err(format!("{expr} has more than one '/'"));
    }
    let (first, last) = match range.split_once('-') {
        Some((first, last)) => (first, Some(last)),
        None => (range, None),
    };
    let single = last.is_none();
    let (start, mut end, mut star) = if first == "*" || first == "?" {
        // robfig ignores anything after `*-`, and so does Hatchet.
        (field.min, field.max, true)
    } else {
        let start = number_or_name(first, field)?;
        match last {
            None => (start, start, false),
            Some(last) if last.contains('-') => {
                return Err(format!("{expr} has more than one '-'"));
            }
            Some(last) => (start, number_or_name(last, field)?, false),
        }
    };
    let step = match step {
        None => 1,
        Some(step) => {
            let step = number(step)?;
            if single {
                // `n/step` means `n-max/step`.
                end = field.max;
            }
            if step > 1 {
                star = false;
            }
            step
        }
    };
    if start < field.min {
        return Err(format!("{start} is below the minimum {}", field.min));
    }
    if end > field.max {
        return Err(format!("{end} is above the maximum {}", field.max));
    }
    if start > end {
        return Err(format!("the range {expr} starts after it ends"));
    }
    if step == 0 {
        return Err(format!("the step of {expr} must be at least 1"));
    }
    let bits = if step == 1 {
        // Every value from start to end (at most 59): one mask.
        (u64::MAX >> (63 - end)) & (u64::MAX << start)
    } else {
        (start..=end)
            .step_by(step as usize)
            .fold(0, |bits, value| bits | 1 << value)
    };
    Ok(Parsed { bits, star })
}

fn number_or_name(text: &str, field: &Field) -> Result<u32, String> {
    let name = field
        .names
        .iter()
        .position(|name| name.eq_ignore_ascii_case(text));
    if let Some(index) = name {
        return Ok(field.min + index as u32);
    }
    match field.names.first() {
        Some(example) if !is_decimal(text) => Err(format!(
            "{text:?} is not a number (or a name such as {})",
            example.to_uppercase()
        )),
        _ => number(text),
    }
}

/// An optional sign, then decimal digits: what Go's `strconv.Atoi` reads.
fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A whole number as Go's `strconv.Atoi` reads it, refusing negatives as
/// robfig does.
fn number(text: &str) -> Result<u32, String> {
    if !is_decimal(text) {
        return Err(format!("{text:?} is not a number"));
    }
    let value: i64 = text
        .parse()
        .map_err(|_| format!("{text} is out of range"))?;
    if value < 0 {
        return Err(format!("negative numbers such as {text} are not allowed"));
    }
    // Anything above 63 is out of every field's bounds; keep it readable.
    Ok(u32::try_from(value).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_range_sets_exactly_its_values() {
        for start in 0..=59u32 {
            for end in start..=59 {
                for step in [1, 2, 7] {
                    let text = format!("{start}-{end}/{step}");
                    let expected = (start..=end)
                        .step_by(step)
                        .fold(0u64, |bits, value| bits | 1 << value);
                    assert_eq!(range(&text, &SECOND).unwrap().bits, expected, "{text}");
                }
            }
        }
        assert_eq!(range("*", &HOUR).unwrap().bits, (1 << 24) - 1);
        assert_eq!(
            range("*", &DAY_OF_MONTH).unwrap().bits,
            ((1 << 32) - 1) & !1
        );
    }

    #[test]
    fn check_agrees_with_parse() {
        for expression in [
            "0 3 * * *",
            "CRON_TZ=UTC */5 * * * MON-fri",
            "@daily",
            "0 0 * *",
            "",
        ] {
            assert_eq!(
                check(expression).map_err(|e| e.to_string()),
                CronExpression::parse(expression)
                    .map(drop)
                    .map_err(|e| e.to_string()),
                "{expression}"
            );
        }
    }

    fn refused(expression: &str) -> String {
        match parse(expression) {
            Err(reason) => reason,
            Ok(parsed) => panic!("{expression:?} was accepted: {parsed:?}"),
        }
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    fn next(expression: &str, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        CronExpression::parse(expression).unwrap().next_after(after)
    }

    #[test]
    fn accepts_what_robfigs_parser_accepts() {
        for ok in [
            "* * * * *",
            "*/5 * * * *",
            "0 0 * * *",
            "0 9-17/2 * * MON-FRI",
            "0 0 1,15 * *",
            "15 10 ? JAN-mar sun",
            "30 0 0 * * *", // six fields: seconds first
            "5/15 * * * *", // `n/step` runs to the maximum
            "1-5/2 * * * *",
            "+5 * * * *", // Atoi takes a sign
            "007 * * * *",
            "*-3 * * * *", // robfig ignores what follows `*-`
            ", * * * *",   // empty list items are skipped
            "  0  0  *  *  *  ",
            "0 0 31 12 6",
            "CRON_TZ=Europe/Berlin 0 9 * * *",
            "TZ=UTC 0 9 * * *",
            "TZ= 0 9 * * *", // Go reads an empty zone as UTC
        ] {
            assert!(parse(ok).is_ok(), "{ok:?}: {:?}", parse(ok));
        }
    }

    #[test]
    fn refuses_what_hatchets_validator_refuses_naming_field_and_reason() {
        for (expression, reason) in [
            ("", "must not be empty"),
            (
                "   ",
                "expected 5 fields (or 6 with seconds first), found 0",
            ),
            (
                "* * * *",
                "expected 5 fields (or 6 with seconds first), found 4",
            ),
            (
                "* * * * * * *",
                "expected 5 fields (or 6 with seconds first), found 7",
            ),
            ("61 * * * *", "minute: 61 is above the maximum 59"),
            ("0 24 * * *", "hour: 24 is above the maximum 23"),
            ("0 0 0 * *", "day of month: 0 is below the minimum 1"),
            ("0 0 32 * *", "day of month: 32 is above the maximum 31"),
            ("0 0 * 13 *", "month: 13 is above the maximum 12"),
            ("0 0 * * 7", "day of week: 7 is above the maximum 6"),
            ("60 0 0 * * *", "second: 60 is above the maximum 59"),
            ("5-1 * * * *", "minute: the range 5-1 starts after it ends"),
            ("*/0 * * * *", "minute: the step of */0 must be at least 1"),
            ("1-2-3 * * * *", "minute: 1-2-3 has more than one '-'"),
            ("*/2/3 * * * *", "minute: */2/3 has more than one '/'"),
            ("x * * * *", "minute: \"x\" is not a number"),
            (
                "0 0 * JANUARY *",
                "month: \"JANUARY\" is not a number (or a name such as JAN)",
            ),
            ("0 0 * * MON/TUE", "day of week: \"TUE\" is not a number"),
            (
                "*/-1 * * * *",
                "minute: negative numbers such as -1 are not allowed",
            ),
            ("-5 * * * *", "minute: \"\" is not a number"),
            (
                "99999999999999999999 * * * *",
                "minute: 99999999999999999999 is out of range",
            ),
            (
                "TZ=UTC",
                "a CRON_TZ= or TZ= prefix must be followed by a space and the fields",
            ),
            (
                "@daily",
                "descriptors such as @daily are outside the cron grammar Hatchet validates; write `0 0 * * *` instead",
            ),
            (
                "CRON_TZ=UTC @hourly",
                "descriptors such as @hourly are outside the cron grammar Hatchet validates; write `0 * * * *` instead",
            ),
            (
                "@every 5m",
                "descriptors such as @every 5m are outside the cron grammar Hatchet validates; write the five fields (minute hour day-of-month month day-of-week) instead",
            ),
        ] {
            assert_eq!(refused(expression), reason, "{expression:?}");
        }
    }

    #[test]
    fn the_error_is_an_invalid_expression_argument() {
        match CronExpression::parse("@weekly") {
            Err(Error::InvalidArgument { name, reason }) => {
                assert_eq!(name, "expression");
                assert!(reason.ends_with("write `0 0 * * 0` instead"), "{reason}");
            }
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }

    #[test]
    fn keeps_the_text_as_written_and_reads_the_zone() {
        let zoned = CronExpression::parse("CRON_TZ=Asia/Tokyo  0 9 * * *").unwrap();
        assert_eq!(zoned.as_str(), "CRON_TZ=Asia/Tokyo  0 9 * * *");
        assert_eq!(zoned.to_string(), zoned.as_str());
        assert_eq!(zoned.time_zone(), Some("Asia/Tokyo"));
        assert_eq!(
            CronExpression::parse("0 9 * * *").unwrap().time_zone(),
            None
        );
    }

    #[test]
    fn next_after_steps_through_fields_in_utc() {
        let noon = at(2030, 5, 17, 12, 0, 0); // a Friday
        assert_eq!(next("* * * * *", noon), Some(at(2030, 5, 17, 12, 1, 0)));
        assert_eq!(
            next("*/15 * * * *", at(2030, 5, 17, 12, 14, 59)),
            Some(at(2030, 5, 17, 12, 15, 0))
        );
        assert_eq!(next("30 * * * * *", noon), Some(at(2030, 5, 17, 12, 0, 30)));
        assert_eq!(next("0 0 * * *", noon), Some(at(2030, 5, 18, 0, 0, 0)));
        assert_eq!(next("0 9 * * MON", noon), Some(at(2030, 5, 20, 9, 0, 0)));
        assert_eq!(next("0 0 1 JAN *", noon), Some(at(2031, 1, 1, 0, 0, 0)));
        assert_eq!(next("0 0 29 2 *", noon), Some(at(2032, 2, 29, 0, 0, 0)));
        assert_eq!(next("0 0 30 2 *", noon), None);
        assert_eq!(next(", * * * *", noon), None);
        // The match is strictly after `after`, from the next whole second.
        assert_eq!(
            next("0 12 * * *", noon + Duration::milliseconds(500)),
            Some(at(2030, 5, 18, 12, 0, 0))
        );
    }

    #[test]
    fn day_fields_combine_like_cron() {
        let noon = at(2030, 5, 17, 12, 0, 0); // Friday the 17th
        // Both restricted: either day matches (the 20th or a Sunday).
        assert_eq!(next("0 0 20 * SUN", noon), Some(at(2030, 5, 19, 0, 0, 0)));
        // One is `*`: both must match, so the `*` adds nothing.
        assert_eq!(next("0 0 20 * *", noon), Some(at(2030, 5, 20, 0, 0, 0)));
        assert_eq!(next("0 0 * * SUN", noon), Some(at(2030, 5, 19, 0, 0, 0)));
        // A stepped `*` is a restriction, not a star.
        assert_eq!(next("0 0 */10 * SUN", noon), Some(at(2030, 5, 19, 0, 0, 0)));
        assert_eq!(next("0 0 ? * 1", noon), Some(at(2030, 5, 20, 0, 0, 0)));
        // A step of 1 keeps the star (robfig's `step > 1` drops it): only
        // Mondays, not every day.
        assert_eq!(next("0 0 */1 * MON", noon), Some(at(2030, 5, 20, 0, 0, 0)));
        // Equal day fields (the 1st, or a Monday) still match: the 20th is
        // a Monday.
        assert_eq!(next("0 0 1 * 1", noon), Some(at(2030, 5, 20, 0, 0, 0)));
    }
}
