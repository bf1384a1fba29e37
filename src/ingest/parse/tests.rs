//! Unit tests of `parse.rs`, kept beside it in their own file.
use super::*;

#[test]
fn fast_trim_is_trim() {
    for t in ["", " ", "a", " a", "a ", "\tEUR\r", "\u{a0}12\u{a0}", "é", "x\u{3000}", "a b", "\u{7f}"] {
        assert_eq!(trim(t), t.trim(), "{t:?}");
    }
}

fn dot() -> NumberFormat {
    NumberFormat { decimal: '.' }
}

#[test]
fn the_plain_fast_path_agrees_with_the_general_parser() {
    let alphabet = b"0123456789-.,+ (";
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..300_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 21) as usize;
        let text: String = (0..len).map(|k| alphabet[((state >> (k * 3 % 60)) % 16) as usize] as char).collect();
        // Mostly digits with one mark, the shape exports have, plus the noise above.
        let shaped = format!("{}{}.{}", if state & 1 == 1 { "-" } else { "" }, state % 10_000_000, state % 1000);
        for t in [text.as_str(), shaped.as_str()] {
            for fmt in [dot(), NumberFormat { decimal: ',' }] {
                for minor in [0, 2, 3, 6] {
                    if let Some(v) = plain_amount(t.as_bytes(), fmt, minor) {
                        assert_eq!(Ok(v), parse_amount_general(t, fmt, minor), "{t:?} {fmt:?} {minor}");
                    }
                }
            }
        }
    }
    assert_eq!(plain_amount(b"-1234.5", dot(), 2), Some(-123450));
    assert_eq!(plain_amount(b"1.234,56", dot(), 2), None);
}
fn comma() -> NumberFormat {
    NumberFormat { decimal: ',' }
}

#[test]
fn amounts_in_local_notations() {
    assert_eq!(parse_amount("1234.5", dot(), 2), Ok(123450));
    assert_eq!(parse_amount("1.234,56", comma(), 2), Ok(123456));
    assert_eq!(parse_amount("1 234,56", comma(), 2), Ok(123456));
    assert_eq!(parse_amount("1\u{a0}234,56", comma(), 2), Ok(123456));
    assert_eq!(parse_amount("1,234.56", dot(), 2), Ok(123456));
    assert_eq!(parse_amount("3,98,422.10", dot(), 2), Ok(39842210));
    assert_eq!(parse_amount("99,99,999.99", dot(), 2), Ok(999999999));
    assert_eq!(parse_amount("94", dot(), 2), Ok(9400));
    assert_eq!(parse_amount("12,5", comma(), 2), Ok(1250));
    assert_eq!(parse_amount("€ 1.234,50", comma(), 2), Ok(123450));
    assert_eq!(parse_amount("1234,50 EUR", comma(), 2), Ok(123450));
    assert_eq!(parse_amount("12.500", dot(), 2), Ok(1250));
    assert_eq!(parse_amount("1.234", comma(), 2), Ok(123400));
}

#[test]
fn negative_notations() {
    assert_eq!(parse_amount("-1", dot(), 2), Ok(-100));
    assert_eq!(parse_amount("(1,50)", comma(), 2), Ok(-150));
    assert_eq!(parse_amount("1,50-", comma(), 2), Ok(-150));
    assert_eq!(parse_amount("−12", dot(), 2), Ok(-1200));
    assert_eq!(parse_amount("-€ 5", dot(), 2), Ok(-500));
}

#[test]
fn malformed_amounts_are_errors() {
    for bad in ["12,34,5", "1,23", "abc", "", "1.2.3", "12.345", "1,234.5.6", "1 234.567,5", "--"] {
        let r = parse_amount(bad, dot(), 2);
        assert!(r.is_err(), "{bad} gave {r:?}");
    }
    assert!(parse_amount("1.234.567,891", comma(), 2).is_err());
    // With a decimal comma, `1,234` has three decimals: not a euro amount.
    assert!(parse_amount("1,234", comma(), 2).is_err());
}

#[test]
fn float_cells_round_to_cents() {
    // Excel stores 1080.38 as the nearest binary float, which prints as 1080.3800000000001.
    assert_eq!(amount_from_f64(1080.38_f64, 2), Ok(108038));
    assert_eq!(amount_from_f64(0.1 + 0.2, 2), Ok(30));
    assert_eq!(amount_from_f64(-12.5, 2), Ok(-1250));
    assert_eq!(amount_from_f64(1.5e12, 2), Ok(150_000_000_000_000));
    assert_eq!(amount_from_f64(7.0, 0), Ok(7));
    assert_eq!(amount_from_f64(1.234, 3), Ok(1234));
    assert_eq!(amount_from_f64(0.0, 2), Ok(0));
    assert!(amount_from_f64(f64::NAN, 2).is_err());
}

#[test]
fn float_cells_with_a_real_extra_decimal_are_errors() {
    // Issue 9: a third decimal on a euro amount is data, not noise; it is never rounded.
    assert_eq!(amount_from_f64(12.345, 2), Err(AmountError::Decimals { decimals: 3, digits: 2 }));
    assert!(amount_from_f64(12.345, 2).unwrap_err().to_string().contains("3 decimals"));
    assert!(amount_from_f64(-0.005, 2).is_err());
    assert!(amount_from_f64(0.5, 0).is_err());
    assert!(amount_from_f64(1.2345, 3).is_err());
}

#[test]
fn implausible_magnitudes_are_errors() {
    assert_eq!(check_magnitude(999_999_999_999_999, 2), Ok(999_999_999_999_999));
    assert!(check_magnitude(1_000_000_000_000_000, 2).is_err());
    assert!(check_magnitude(-1_000_000_000_000_000, 2).is_err());
    assert!(check_magnitude(i64::MIN, 0).is_err());
    assert!(amount_from_f64(1e13, 2).is_err());
    assert!(amount_from_f64(9e16, 2).is_err());
    assert!(amount_from_f64(1e300, 2).is_err());
    assert_eq!(amount_from_f64(9_999_999_999_999.0, 0), Ok(9_999_999_999_999));
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn date_patterns() {
    let p = DateFormat::pattern;
    assert_eq!(p("%m/%d/%Y").parse_text("1/2/2013"), Some(ymd(2013, 1, 2)));
    assert_eq!(p("%d/%m/%Y").parse_text("03/01/2012"), Some(ymd(2012, 1, 3)));
    assert_eq!(p("%d-%m-%Y").parse_text("07-07-2010"), Some(ymd(2010, 7, 7)));
    assert_eq!(p("%Y%m%d").parse_text("20190114"), Some(ymd(2019, 1, 14)));
    assert_eq!(p("%Y%m%d").parse_number(20190114.0), Some(ymd(2019, 1, 14)));
    assert_eq!(p("%d/%m/%y").parse_text("  26/1/11"), Some(ymd(2011, 1, 26)));
    assert_eq!(p("%m/%d/%Y").parse_text("1/2/13"), None);
    assert_eq!(p("%d/%m/%Y").parse_text("31/02/2020"), None);
    assert_eq!(p("%Y-%m-%d").parse_text("2020-01-01x"), None);
}

#[test]
fn an_impossible_date_says_why() {
    let p = DateFormat::pattern;
    let why = |f: &str, v: &str| p(f).impossible(v);
    assert_eq!(why("%d/%m/%Y", "31/02/2025").as_deref(), Some("not a real date (February has 28 days in 2025)"));
    assert_eq!(why("%d/%m/%Y", "30/02/2024").as_deref(), Some("not a real date (February has 29 days in 2024)"));
    assert_eq!(why("%d/%m/%Y", "31/04/2025").as_deref(), Some("not a real date (April has 30 days)"));
    assert_eq!(why("%d/%m/%Y", "12/13/2025").as_deref(), Some("not a real date (there is no month 13)"));
    assert_eq!(why("%Y%m%d", "20250100").as_deref(), Some("not a real date (there is no day 0)"));
    // A real date, or another shape, is no such case.
    assert_eq!(why("%d/%m/%Y", "28/02/2025"), None);
    assert_eq!(why("%d/%m/%Y", "2025-02-31"), None);
    assert_eq!(DateFormat::Excel1900.impossible("31/02/2025"), None);
}

#[test]
fn excel_serials() {
    assert_eq!(DateFormat::Excel1900.parse_number(40366.0), Some(ymd(2010, 7, 7)));
    assert_eq!(DateFormat::Excel1900.parse_number(45684.0), Some(ymd(2025, 1, 27)));
    assert_eq!(DateFormat::Excel1904.parse_number(0.0), None);
    assert_eq!(DateFormat::Excel1904.parse_number(1.0), Some(ymd(1904, 1, 2)));
    assert_eq!(DateFormat::Excel1900.parse_number(40366.5), None);
}

#[test]
fn detection_refuses_to_guess() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(detect_date_format(&s(&["1/2/2013", "1/26/2013"])), Ok(DateFormat::pattern("%m/%d/%Y")));
    assert_eq!(detect_date_format(&s(&["03/01/2012", "31/12/2012"])), Ok(DateFormat::pattern("%d/%m/%Y")));
    let err = detect_date_format(&s(&["03/01/2012", "04/02/2012"])).unwrap_err();
    assert!(matches!(err, DateFormatError::Ambiguous { .. }), "{err}");
    assert!(err.to_string().contains("03/01/2012"), "{err}");
    assert_eq!(detect_date_format(&s(&["2012-01-03"])), Ok(DateFormat::pattern("%Y-%m-%d")));
    assert!(detect_date_format(&s(&["soon"])).is_err());
    // One typo among many values is a rejected row later, not a failed file.
    let mut many: Vec<String> = (1..=28).map(|d| format!("{d:02}-07-2010")).collect();
    many.push("31-02-2010".into());
    assert_eq!(detect_date_format(&many), Ok(DateFormat::pattern("%d-%m-%Y")));
    // Same day and month: both orders agree, so there is nothing to guess.
    assert!(detect_date_format(&s(&["01/01/2012", "05/05/2012"])).is_ok());
}

#[test]
fn format_config() {
    assert_eq!(DateFormat::from_config("excel"), Ok(DateFormat::Excel1900));
    assert!(DateFormat::from_config("%Y-%m").is_err());
}

#[test]
fn a_typed_date_that_does_not_exist_says_why_and_not_how_to_write_it() {
    assert_eq!(iso_date(" 2026-10-31 ").unwrap(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
    let e = iso_date("2013-11-31").unwrap_err();
    assert_eq!(e.problem, "\"2013-11-31\" is not a real date (November has 30 days)");
    assert!(!e.fix.contains("YYYY"), "{e}");
    assert!(iso_date("2025-02-29").unwrap_err().problem.contains("February has 28 days in 2025"));
    assert!(iso_date("2026-13-01").unwrap_err().problem.contains("there is no month 13"));
    let e = iso_date("31/10/2026").unwrap_err();
    assert_eq!(e.to_string(), "\"31/10/2026\" is not a date; write it as YYYY-MM-DD");
}

#[test]
fn an_amount_in_the_other_decimal_mark_says_which_setting_reads_it() {
    let e = parse_amount("2.069,78", dot(), 2).unwrap_err().to_string();
    assert!(e.contains("\"2.069,78\" reads with the decimal mark ','") && e.contains("decimal = \",\""), "{e}");
    let e = parse_amount("1,234.56", NumberFormat { decimal: ',' }, 2).unwrap_err().to_string();
    assert!(e.contains("decimal = \".\""), "{e}");
    // Nothing to suggest when neither mark reads it.
    let e = parse_amount("abc", dot(), 2).unwrap_err().to_string();
    assert!(!e.contains("set decimal"), "{e}");
}
