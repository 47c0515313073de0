//! `datetime`: the RFC 3339 / ISO 8601 / WHATWG overlap, with real calendar dates.

use super::*;

// ---------------------------------------------------------------------------
// datetime
// ---------------------------------------------------------------------------

/// Reads `count` ASCII digits of `s` starting at byte `at`.
pub(super) fn digits(s: &str, at: usize, count: usize, what: &str) -> Result<u32, Rule> {
    let bytes = s.as_bytes();
    let mut value = 0u32;
    for pos in at..at + count {
        match bytes.get(pos) {
            Some(&c) if c.is_ascii_digit() => value = value * 10 + u32::from(c - b'0'),
            _ => return Err(expected(s, pos, what)),
        }
    }
    Ok(value)
}

/// Requires byte `at` of `s` to be `sep`.
pub(super) fn separator(s: &str, at: usize, sep: u8, what: &str) -> RuleResult {
    if s.as_bytes().get(at) == Some(&sep) {
        Ok(())
    } else {
        Err(expected(s, at, what))
    }
}

pub(super) fn is_leap_year(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(super) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks `YYYY-MM-DD` at the start of `s`; returns `(year, month, day)`.
pub(super) fn date_part(s: &str) -> Result<(u32, u32, u32), Rule> {
    let bytes = s.as_bytes();
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        return Err("the year must be exactly 4 digits with no sign".into());
    }
    let year_digits = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
    if year_digits == 0 {
        return Err(expected(s, 0, "a 4-digit year"));
    }
    if year_digits != 4 {
        return Err(format!("the year must be exactly 4 digits; found {year_digits}").into());
    }
    let year = digits(s, 0, 4, "a 4-digit year")?;
    separator(s, 4, b'-', "'-' after the year")?;
    let month = digits(s, 5, 2, "a 2-digit month")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month:02} is out of range 01-12").into());
    }
    separator(s, 7, b'-', "'-' after the month")?;
    let day = digits(s, 8, 2, "a 2-digit day")?;
    let month_days = days_in_month(year, month);
    if day == 0 || day > month_days {
        return Err(format!(
            "day {day:02} is out of range for {year:04}-{month:02}, which has {month_days} days"
        )
        .into());
    }
    Ok((year, month, day))
}

/// Checks `THH:MM:SS[.fraction]` at byte 10 of `s`; returns the second of the
/// day and the byte position just after the time.
pub(super) fn time_part(s: &str) -> Result<(u32, usize), Rule> {
    let bytes = s.as_bytes();
    match bytes.get(10) {
        Some(b'T') => {}
        Some(b't') => {
            return Err("the date/time separator must be uppercase 'T', not 't'".into());
        }
        Some(b' ') => return Err("the date/time separator must be 'T', not a space".into()),
        None => {
            return Err(
                "a time is required: expected 'T', HH:MM:SS and a timezone after the date".into(),
            );
        }
        Some(_) => return Err(expected(s, 10, "'T' between date and time")),
    }
    let hour = digits(s, 11, 2, "a 2-digit hour")?;
    if hour > 23 {
        return Err(format!("hour {hour:02} is out of range 00-23").into());
    }
    separator(s, 13, b':', "':' after the hour")?;
    let minute = digits(s, 14, 2, "a 2-digit minute")?;
    if minute > 59 {
        return Err(format!("minute {minute:02} is out of range 00-59").into());
    }
    match bytes.get(16) {
        Some(b':') => {}
        None | Some(b'Z' | b'z' | b'+' | b'-' | b'.') => {
            return Err("seconds are required (HH:MM:SS)".into());
        }
        Some(_) => return Err(expected(s, 16, "':' after the minute")),
    }
    let second = digits(s, 17, 2, "a 2-digit second")?;
    if second > 59 {
        return Err(if second == 60 {
            "second 60 is out of range 00-59 (leap seconds are not accepted)".into()
        } else {
            format!("second {second:02} is out of range 00-59").into()
        });
    }
    let mut end = 19;
    if bytes.get(end) == Some(&b'.') {
        let fraction_digits = bytes
            .iter()
            .skip(end + 1)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if fraction_digits == 0 {
            return Err("the fraction after '.' needs at least one digit".into());
        }
        end += 1 + fraction_digits;
    }
    Ok((hour * 3600 + minute * 60 + second, end))
}

/// Checks the timezone (`Z` or `±HH:MM`) that must make up the rest of `s`
/// from byte `at`; returns the offset east of UTC in seconds.
pub(super) fn zone_part(s: &str, at: usize) -> Result<i64, Rule> {
    let bytes = s.as_bytes();
    let (offset, end) = match bytes.get(at) {
        Some(b'Z') => (0, at + 1),
        Some(b'z') => return Err("the UTC designator must be uppercase 'Z', not 'z'".into()),
        Some(&sign @ (b'+' | b'-')) => {
            let hours = digits(s, at + 1, 2, "a 2-digit UTC offset hour")?;
            match bytes.get(at + 3) {
                Some(b':') => {}
                Some(c) if c.is_ascii_digit() => {
                    return Err("the UTC offset must be written ±HH:MM (with a colon)".into());
                }
                _ => return Err(expected(s, at + 3, "':' in the UTC offset (±HH:MM)")),
            }
            let minutes = digits(s, at + 4, 2, "a 2-digit UTC offset minute")?;
            if hours > 23 {
                return Err(format!("UTC offset hour {hours:02} is out of range 00-23").into());
            }
            if minutes > 59 {
                return Err(format!("UTC offset minute {minutes:02} is out of range 00-59").into());
            }
            if sign == b'-' && hours == 0 && minutes == 0 {
                return Err("the UTC offset -00:00 is not allowed; use 'Z' or '+00:00'".into());
            }
            let magnitude = i64::from(hours * 3600 + minutes * 60);
            (if sign == b'-' { -magnitude } else { magnitude }, at + 6)
        }
        None => return Err("a timezone is required: 'Z' or ±HH:MM".into()),
        Some(_) => return Err(expected(s, at, "a timezone ('Z' or ±HH:MM)")),
    };
    if end != bytes.len() {
        return Err(format!(
            "unexpected characters {} after the timezone",
            quote(sub(s, end, bytes.len()))
        )
        .into());
    }
    Ok(offset)
}

pub(super) fn datetime_rule(s: &str) -> RuleResult {
    if s.is_empty() {
        return Err("datetime is empty".into());
    }
    no_outer_space(s)?;
    let (year, month, day) = date_part(s)?;
    let (second_of_day, end) = time_part(s)?;
    let offset = zone_part(s, end)?;
    // Only the first day of year 0 can reach back before year 0.
    if year == 0 && month == 1 && day == 1 && i64::from(second_of_day) < offset {
        return Err("the instant falls before year 0 once the UTC offset is applied".into());
    }
    Ok(())
}

/// Checks the `datetime` format: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`
/// with a real calendar date (leap years included), hour 00-23, minute and
/// second 00-59 (no leap second), any number (≥ 1) of fraction digits, a
/// required timezone other than `-00:00`, uppercase `T` and `Z`, and an
/// instant that is not before year 0 once the offset is applied.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_datetime(s: &str) -> Result<(), FormatError> {
    datetime_rule(s).map_err(|r| FormatError::new(Format::Datetime, r, s))
}
