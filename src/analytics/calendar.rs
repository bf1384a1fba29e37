//! Calendar months as plain integers, so month arithmetic is exact and cheap.

use chrono::{Datelike, NaiveDate};

/// A calendar month: `year * 12 + (month - 1)`.
pub type Month = i32;

/// The month a date falls in.
pub fn month_of(d: NaiveDate) -> Month {
    d.year() * 12 + d.month0() as i32
}

/// A month's first day.
pub fn first_day(m: Month) -> NaiveDate {
    NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1).expect("valid month")
}

/// A month's last day.
pub fn last_day(m: Month) -> NaiveDate {
    first_day(m + 1).pred_opt().expect("valid date")
}

/// The number of days in a month.
pub fn days_in(m: Month) -> i64 {
    // Plain arithmetic: the DSO figures ask this tens of millions of times.
    let y = m.div_euclid(12);
    match m.rem_euclid(12) {
        1 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        1 => 28,
        3 | 5 | 8 | 10 => 30,
        _ => 31,
    }
}

/// The month's end as seen at the as-of date: the month of A ends at A.
pub fn end_at(m: Month, as_of: NaiveDate) -> NaiveDate {
    if m == month_of(as_of) { as_of } else { last_day(m) }
}

/// Days the month counts at the as-of date: the month of A counts only the days up to A.
pub fn days_at(m: Month, as_of: NaiveDate) -> i64 {
    if m == month_of(as_of) { as_of.day() as i64 } else { days_in(m) }
}

/// `YYYY-MM`.
pub fn label(m: Month) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// The last day of the most recent month that ended on or before `d` (`d` itself on a month's
/// last day).
pub fn month_end_on_or_before(d: NaiveDate) -> NaiveDate {
    let m = month_of(d);
    if last_day(m) == d { d } else { last_day(m - 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months() {
        let m = month_of(ymd(2024, 2, 10));
        assert_eq!(days_in(m), 29);
        assert_eq!(last_day(m), ymd(2024, 2, 29));
        assert_eq!(first_day(m - 2), ymd(2023, 12, 1));
        assert_eq!(label(m - 2), "2023-12");
        assert_eq!(days_at(m, ymd(2024, 2, 10)), 10);
        assert_eq!(end_at(m, ymd(2024, 2, 10)), ymd(2024, 2, 10));
    }

    #[test]
    fn the_month_end_on_or_before_a_day() {
        assert_eq!(month_end_on_or_before(ymd(2026, 11, 3)), ymd(2026, 10, 31));
        assert_eq!(month_end_on_or_before(ymd(2026, 10, 31)), ymd(2026, 10, 31));
        assert_eq!(month_end_on_or_before(ymd(2026, 1, 15)), ymd(2025, 12, 31));
    }

    #[test]
    fn days_in_agrees_with_the_calendar() {
        for m in month_of(ymd(1896, 1, 1))..month_of(ymd(2105, 1, 1)) {
            assert_eq!(days_in(m), (last_day(m) - first_day(m)).num_days() + 1, "{}", label(m));
        }
    }
}
