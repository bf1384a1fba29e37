//! Parsing of the values real exports contain: amounts in every local notation and dates in
//! every order, into exact minor units and `NaiveDate`. Errors say what form was expected.

use chrono::{Datelike, Duration, NaiveDate};

/// Why a value is no amount. Each says what form was expected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AmountError {
    /// Nothing in the cell.
    #[error("empty; expected {0}")]
    Empty(Expected),
    /// No amount in any notation.
    #[error("{0}")]
    NotAnAmount(Expected),
    /// `1.234.56` with the decimal mark `.`.
    #[error("the decimal mark '{}' appears twice; expected {}", .0.decimal, .0)]
    MarkTwice(Expected),
    /// `12,34,5`.
    #[error("digit grouping is not well formed; expected {0}")]
    Grouping(Expected),
    /// `12.345` for a currency of two decimals.
    #[error("has {decimals} decimals, more than the currency's {digits}")]
    Decimals {
        /// The decimals written.
        decimals: i64,
        /// The currency's.
        digits: u32,
    },
    /// Beyond 64 bits.
    #[error("too large")]
    TooLarge,
    /// Beyond [`MAX_MAJOR_DIGITS`]: an id mapped as the amount, most likely.
    #[error(
        "beyond {MAX_MAJOR_DIGITS} integer digits (10^{MAX_MAJOR_DIGITS}): too large for an amount; is an id or account column mapped as the amount?"
    )]
    Magnitude,
    /// A spreadsheet number that is infinite or not a number.
    #[error("not a finite number")]
    NotFinite,
    /// A spreadsheet number that cannot be read back.
    #[error("not a number")]
    NotANumber,
    /// A value the other decimal mark reads: which setting reads it.
    #[error(
        "{error}; {raw:?} reads with the decimal mark '{other}': if the file writes amounts so, set decimal = \"{other}\" in the mapping"
    )]
    OtherMark {
        /// Why it is no amount with the mapping's mark.
        error: Box<AmountError>,
        /// The value, trimmed.
        raw: String,
        /// The mark that reads it.
        other: char,
    },
}

/// The form an amount was expected in: `an amount like 1.234,56 (decimal mark ',')`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    /// The mapping's decimal mark.
    pub decimal: char,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let example = if self.decimal == ',' { "1.234,56" } else { "1,234.56" };
        write!(f, "an amount like {example} (decimal mark '{}')", self.decimal)
    }
}

/// Why a date format cannot be used or found.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DateFormatError {
    /// A configured pattern without day, month and year.
    #[error("date format '{0}' needs %d, %m and %Y (or %y); or use 'excel' for serial numbers")]
    Incomplete(String),
    /// No known format reads nine values in ten.
    #[error("no known date format fits the values ({shown})")]
    NoneFits {
        /// The first values, quoted.
        shown: String,
    },
    /// Two formats read the values, and disagree on one.
    #[error(
        "dates are ambiguous: '{value}' reads as {first} with {first_format} but as {second} with {second_format} (values: {shown})"
    )]
    Ambiguous {
        /// The value read two ways.
        value: String,
        /// The date with the first format.
        first: String,
        /// The first format.
        first_format: String,
        /// The date with the second.
        second: String,
        /// The second format.
        second_format: String,
        /// The first values, quoted.
        shown: String,
    },
}

/// `s.trim()`, answered without scanning when both ends are plain ASCII (nearly every cell).
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&z)) if a > b' ' && a < 0x80 && z > b' ' && z < 0x80 => s,
        _ => s.trim(),
    }
}

/// How a source writes its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumberFormat {
    /// The decimal mark: `.` or `,`. Every other separator in a number is digit grouping.
    pub decimal: char,
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat { decimal: '.' }
    }
}

const GROUPING: [char; 6] = ['.', ',', ' ', '\u{a0}', '\u{202f}', '\''];

/// Parses an amount into minor units with `minor_digits` decimals.
///
/// Accepts `1234.5`, `1.234,56` (with `decimal = ','`), `1 234,56`, `1,234.56`, Indian grouping
/// `3,98,422.10`, currency symbols or codes before or after (`€ 12`, `12 EUR`), and negatives
/// written `-1`, `(1)` or `1-`. Grouping must be well formed: `12,34,5` is an error, never a guess.
pub fn parse_amount(raw: &str, fmt: NumberFormat, minor_digits: u32) -> Result<i64, AmountError> {
    match plain_amount(raw.as_bytes(), fmt, minor_digits) {
        Some(v) => Ok(v),
        None => parse_amount_general(raw, fmt, minor_digits),
    }
}

/// The common case of machine exports, `-1234.50`: an optional minus, up to 15 digits, and up
/// to the currency's decimals after the decimal mark. Anything else goes the general way.
fn plain_amount(b: &[u8], fmt: NumberFormat, minor_digits: u32) -> Option<i64> {
    let (negative, rest) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let mut value: i64 = 0;
    let mut int_digits = 0;
    let mut i = 0;
    while i < rest.len() && rest[i].is_ascii_digit() {
        if int_digits + minor_digits as usize >= 18 {
            return None;
        }
        value = value * 10 + (rest[i] - b'0') as i64;
        int_digits += 1;
        i += 1;
    }
    if int_digits == 0 {
        return None;
    }
    let mut frac_digits = 0;
    if i < rest.len() {
        if !fmt.decimal.is_ascii() || rest[i] != fmt.decimal as u8 {
            return None;
        }
        i += 1;
        while i < rest.len() && rest[i].is_ascii_digit() {
            value = value * 10 + (rest[i] - b'0') as i64;
            frac_digits += 1;
            i += 1;
        }
        if i < rest.len() || frac_digits == 0 || frac_digits > minor_digits {
            return None;
        }
    }
    for _ in frac_digits..minor_digits {
        value *= 10;
    }
    Some(if negative { -value } else { value })
}

fn parse_amount_general(raw: &str, fmt: NumberFormat, minor_digits: u32) -> Result<i64, AmountError> {
    parse_amount_as(raw, fmt, minor_digits).map_err(|why| {
        // A value the other decimal mark reads is the most common cause: say which setting
        // reads it (only on the error path, so rows that parse pay nothing for it).
        let other = if fmt.decimal == ',' { '.' } else { ',' };
        if parse_amount_as(raw, NumberFormat { decimal: other }, minor_digits).is_ok() {
            AmountError::OtherMark { error: Box::new(why), raw: raw.trim().to_string(), other }
        } else {
            why
        }
    })
}

fn parse_amount_as(raw: &str, fmt: NumberFormat, minor_digits: u32) -> Result<i64, AmountError> {
    let expected = Expected { decimal: fmt.decimal };
    let mut s = raw.trim();
    if s.is_empty() {
        return Err(AmountError::Empty(expected));
    }
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].trim();
    }
    s = strip_currency(s);
    if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        negative = !negative;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_suffix('-') {
        negative = !negative;
        s = rest.trim_end();
    }
    s = strip_currency(s);
    if s.is_empty() || !s.chars().any(|c| c.is_ascii_digit()) {
        return Err(AmountError::NotAnAmount(expected));
    }
    let (int_part, frac_part) = match s.rfind(fmt.decimal) {
        Some(pos) if s[..pos].contains(fmt.decimal) => {
            // The decimal mark twice: only valid if it is really grouping (`1.234.567` with ',').
            return Err(AmountError::MarkTwice(expected));
        }
        Some(pos) => (&s[..pos], &s[pos + fmt.decimal.len_utf8()..]),
        None => (s, ""),
    };
    if !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return Err(AmountError::NotAnAmount(expected));
    }
    let digits = integer_digits(int_part).ok_or(AmountError::Grouping(expected))?;
    // Extra decimals are fine only when they are zeros (`12.500` for EUR).
    let (kept, extra) = if frac_part.len() > minor_digits as usize {
        frac_part.split_at(minor_digits as usize)
    } else {
        (frac_part, "")
    };
    if extra.chars().any(|c| c != '0') {
        return Err(AmountError::Decimals { decimals: frac_part.len() as i64, digits: minor_digits });
    }
    let mut value: i64 = 0;
    for c in digits.chars().chain(kept.chars()) {
        value =
            value.checked_mul(10).and_then(|v| v.checked_add(c as i64 - '0' as i64)).ok_or(AmountError::TooLarge)?;
    }
    for _ in kept.len()..minor_digits as usize {
        value = value.checked_mul(10).ok_or(AmountError::TooLarge)?;
    }
    Ok(if negative { -value } else { value })
}

/// The largest amount arwatch takes for money: 13 integer digits (up to 9,999,999,999,999.99).
/// A larger value is nearly always an identifier or account number mapped as the amount, and
/// the bound keeps every sum far from the 64-bit limit (see docs/guarantees.md).
pub const MAX_MAJOR_DIGITS: u32 = 13;

/// `minor` when it is within `MAX_MAJOR_DIGITS` integer digits, else the reason it is not money.
pub fn check_magnitude(minor: i64, minor_digits: u32) -> Result<i64, AmountError> {
    let limit = 10i64.pow(MAX_MAJOR_DIGITS + minor_digits);
    if minor.unsigned_abs() >= limit as u64 {
        return Err(AmountError::Magnitude);
    }
    Ok(minor)
}

/// Converts a spreadsheet number to minor units by the rule text follows: no more decimals
/// than the currency has. Spreadsheets keep 15 significant digits, so the value is read at
/// that precision first: binary noise (`1080.3800000000001`) is the 1080.38 the cell shows,
/// while a real extra digit (`12.345` for EUR) is an error, never rounded away.
pub fn amount_from_f64(v: f64, minor_digits: u32) -> Result<i64, AmountError> {
    if !v.is_finite() {
        return Err(AmountError::NotFinite);
    }
    // `d.dddddddddddddde±x`: 15 significant digits and the power of ten of the first.
    let sci = format!("{:.14e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').ok_or(AmountError::NotANumber)?;
    let exp: i32 = exp.parse().map_err(|_| AmountError::NotANumber)?;
    let digits = mantissa.replace('.', "");
    let significant = digits.trim_end_matches('0');
    if significant.is_empty() {
        return Ok(0);
    }
    // The value is 0.<significant> × 10^(exp + 1); its decimals are the digits after the point.
    let decimals = (significant.len() as i32 - 1 - exp).max(0);
    if decimals > minor_digits as i32 {
        return Err(AmountError::Decimals { decimals: decimals.into(), digits: minor_digits });
    }
    if exp >= (MAX_MAJOR_DIGITS + 1) as i32 {
        return check_magnitude(i64::MAX, minor_digits);
    }
    let mut value: i64 = significant.parse().map_err(|_| AmountError::NotANumber)?;
    for _ in 0..(minor_digits as i32 - decimals) {
        value *= 10;
    }
    if exp + 1 > significant.len() as i32 {
        // Integer digits beyond the significant ones: 1.5e12 has ten trailing zeros.
        for _ in 0..(exp + 1 - significant.len() as i32) {
            value *= 10;
        }
    }
    check_magnitude(if v < 0.0 { -value } else { value }, minor_digits)
}

fn strip_currency(s: &str) -> &str {
    let s = s.trim();
    // The common case, a plain number, has no symbol or code to look for.
    let plain =
        |b: Option<&u8>| b.is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b'-' | b'+' | b'(' | b')'));
    if plain(s.as_bytes().first()) && plain(s.as_bytes().last()) {
        return s;
    }
    for sym in ["€", "$", "£"] {
        if let Some(r) = s.strip_prefix(sym) {
            return r.trim_start();
        }
        if let Some(r) = s.strip_suffix(sym) {
            return r.trim_end();
        }
    }
    let b = s.as_bytes();
    if b.len() > 3 && b[..3].iter().all(|c| c.is_ascii_alphabetic()) {
        return s[3..].trim_start();
    }
    if b.len() > 3 && b[b.len() - 3..].iter().all(|c| c.is_ascii_alphabetic()) {
        return s[..s.len() - 3].trim_end();
    }
    s
}

/// The digits of an integer part, after checking its grouping: groups of three (`1,234,567`)
/// or Indian lakh grouping (`12,34,567`), with a single kind of separator.
fn integer_digits(int_part: &str) -> Option<String> {
    let sep: Vec<char> = int_part.chars().filter(|c| GROUPING.contains(c)).collect();
    if sep.is_empty() {
        return int_part.chars().all(|c| c.is_ascii_digit()).then(|| int_part.to_string());
    }
    if sep.iter().any(|c| *c != sep[0]) {
        return None;
    }
    let groups: Vec<&str> = int_part.split(sep[0]).collect();
    if groups.iter().any(|g| g.is_empty() || !g.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let last = groups[groups.len() - 1];
    let first = groups[0];
    let middle = &groups[1..groups.len() - 1];
    let ok = last.len() == 3
        && first.len() <= 3
        && (middle.iter().all(|g| g.len() == 3) || (middle.iter().all(|g| g.len() == 2) && first.len() <= 2));
    ok.then(|| groups.concat())
}

/// A date pattern, tokenised once so parsing a row allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatePattern {
    source: String,
    tokens: Vec<Tok>,
}

/// A date format: a strftime-like pattern, or a spreadsheet serial number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateFormat {
    /// `%d`, `%m`, `%Y`, `%y` and literal separators; day and month may be unpadded.
    Pattern(DatePattern),
    /// Excel serial day numbers, 1900 epoch (40366 = 2010-07-07).
    Excel1900,
    /// Excel serial day numbers, 1904 epoch (Mac workbooks).
    Excel1904,
}

impl DateFormat {
    /// A `chrono` pattern such as `%d/%m/%Y`.
    pub fn pattern(p: &str) -> DateFormat {
        DateFormat::Pattern(DatePattern { source: p.to_string(), tokens: pattern_tokens(p) })
    }

    /// Reads a format from configuration: a pattern, `excel`, `excel1900` or `excel1904`.
    pub fn from_config(s: &str) -> Result<DateFormat, DateFormatError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "excel" | "excel1900" | "serial" => Ok(DateFormat::Excel1900),
            "excel1904" => Ok(DateFormat::Excel1904),
            "iso" => Ok(DateFormat::pattern("%Y-%m-%d")),
            _ => {
                let p = s.trim();
                let tokens = pattern_tokens(p);
                let has = |t: Tok| tokens.contains(&t);
                if !(has(Tok::Day) && has(Tok::Month) && (has(Tok::Year4) || has(Tok::Year2))) {
                    return Err(DateFormatError::Incomplete(p.to_string()));
                }
                Ok(DateFormat::pattern(p))
            }
        }
    }

    /// The format in words, for messages.
    pub fn describe(&self) -> String {
        match self {
            DateFormat::Pattern(p) => p.source.clone(),
            DateFormat::Excel1900 => "Excel serial (1900 epoch)".into(),
            DateFormat::Excel1904 => "Excel serial (1904 epoch)".into(),
        }
    }

    /// Why a text value in this format's shape is no real date (`31/02/2025`: "not a real date
    /// (February has 28 days in 2025)"), or none.
    pub fn impossible(&self, raw: &str) -> Option<String> {
        match self {
            DateFormat::Pattern(p) => impossible(trim(raw), &p.tokens),
            _ => None,
        }
    }

    /// Parses a text value in this format.
    pub fn parse_text(&self, raw: &str) -> Option<NaiveDate> {
        let s = trim(raw);
        match self {
            DateFormat::Pattern(p) => parse_pattern(s, &p.tokens),
            DateFormat::Excel1900 | DateFormat::Excel1904 => {
                let v: f64 = s.parse().ok()?;
                self.serial_date(v)
            }
        }
    }

    /// Interprets a spreadsheet number: a serial day for the Excel formats, or a number written
    /// in the pattern (`20190114` or `20190114.0` for `%Y%m%d`).
    pub fn parse_number(&self, v: f64) -> Option<NaiveDate> {
        match self {
            DateFormat::Pattern(p) => {
                if v.fract() != 0.0 || v < 0.0 {
                    return None;
                }
                parse_pattern(&format!("{}", v as i64), &p.tokens)
            }
            _ => self.serial_date(v),
        }
    }

    fn serial_date(&self, v: f64) -> Option<NaiveDate> {
        if !v.is_finite() || v.fract() != 0.0 || !(1.0..=2_958_465.0).contains(&v) {
            return None;
        }
        let days = v as i64;
        match self {
            // Excel's 1900 system counts a 29 February 1900 that never was: from serial 61 on,
            // day 0 is 1899-12-30. Serials below 61 are before March 1900 and never in a ledger.
            DateFormat::Excel1900 if days >= 61 => {
                NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(days))
            }
            DateFormat::Excel1904 => NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_signed(Duration::days(days)),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Day,
    Month,
    Year4,
    Year2,
    Lit(char),
}

fn pattern_tokens(p: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.next() {
                Some('d') | Some('e') => out.push(Tok::Day),
                Some('m') => out.push(Tok::Month),
                Some('Y') => out.push(Tok::Year4),
                Some('y') => out.push(Tok::Year2),
                Some(o) => out.push(Tok::Lit(o)),
                None => out.push(Tok::Lit('%')),
            }
        } else {
            out.push(Tok::Lit(c));
        }
    }
    out
}

/// A small, fast parser for numeric date patterns. Unlike chrono's strftime it is strict about
/// years (four digits for `%Y`) so that `1/2/13` never becomes the year 13, and lenient about
/// unpadded days and months, as exports write them.
fn parse_pattern(s: &str, tokens: &[Tok]) -> Option<NaiveDate> {
    let (y, m, d) = pattern_parts(s, tokens)?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Why a value written in the pattern's shape is no date (`31/02/2025`), or none when it is
/// a date or does not have the shape.
fn impossible(s: &str, tokens: &[Tok]) -> Option<String> {
    let (y, m, d) = pattern_parts(s, tokens)?;
    if NaiveDate::from_ymd_opt(y, m, d).is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let why = if !(1..=12).contains(&m) {
        format!("there is no month {m}")
    } else if d == 0 {
        "there is no day 0".to_string()
    } else {
        let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
        let days = next.and_then(|n| n.pred_opt()).map_or(31, |last| last.day());
        let name = MONTHS[m as usize - 1];
        if m == 2 { format!("{name} has {days} days in {y}") } else { format!("{name} has {days} days") }
    };
    Some(format!("not a real date ({why})"))
}

/// Why a value typed as a `YYYY-MM-DD` date (`--as-of`, `as_of`, a snapshot date, a side
/// file's date) is not one, and how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADate {
    /// What is wrong: `"2013-11-31" is not a real date (November has 30 days)`.
    pub problem: String,
    /// How to write it instead.
    pub fix: &'static str,
}

impl std::fmt::Display for NotADate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}; {}", self.problem, self.fix)
    }
}

impl std::error::Error for NotADate {}

/// Reads a date written as `YYYY-MM-DD`. A value of that shape whose day does not exist says
/// so, as the ingest's messages do (`2013-11-31`: November has 30 days), instead of asking for
/// the shape it already has.
pub fn iso_date(raw: &str) -> Result<NaiveDate, NotADate> {
    let s = raw.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d);
    }
    Err(match DateFormat::pattern("%Y-%m-%d").impossible(s) {
        Some(why) => NotADate { problem: format!("{s:?} is {why}"), fix: "write a day that exists in that month" },
        None => NotADate { problem: format!("{s:?} is not a date"), fix: "write it as YYYY-MM-DD" },
    })
}

/// The year, month and day of a value in the pattern's shape, not yet checked as a date.
fn pattern_parts(s: &str, tokens: &[Tok]) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    let mut i = 0;
    let (mut d, mut m, mut y) = (None, None, None);
    for (k, tok) in tokens.iter().enumerate() {
        // A numeric field followed directly by another (`%Y%m%d`) has a fixed width.
        let fixed = matches!(tokens.get(k + 1), Some(Tok::Day | Tok::Month | Tok::Year4 | Tok::Year2));
        let mut take = |min: usize, max: usize| -> Option<u32> {
            let start = i;
            let limit = if fixed { max } else { usize::MAX };
            let mut v = 0u32;
            while i < b.len() && b[i].is_ascii_digit() && i - start < limit.min(8) {
                v = v * 10 + (b[i] - b'0') as u32;
                i += 1;
            }
            let n = i - start;
            if n < min || n > max {
                return None;
            }
            Some(v)
        };
        match tok {
            Tok::Day => d = Some(take(if fixed { 2 } else { 1 }, 2)?),
            Tok::Month => m = Some(take(if fixed { 2 } else { 1 }, 2)?),
            Tok::Year4 => y = Some(take(4, 4)? as i32),
            Tok::Year2 => {
                // Two-digit years: 00–69 are 20xx, 70–99 are 19xx (POSIX convention).
                let v = take(2, 2)? as i32;
                y = Some(if v < 70 { 2000 + v } else { 1900 + v });
            }
            // Separators are nearly always one ASCII byte: compared as such, not as a slice.
            Tok::Lit(c) if c.is_ascii() => {
                if b.get(i) != Some(&(*c as u8)) {
                    return None;
                }
                i += 1;
            }
            Tok::Lit(c) => {
                let mut buf = [0u8; 4];
                let lit = c.encode_utf8(&mut buf).as_bytes();
                if b.len() < i + lit.len() || &b[i..i + lit.len()] != lit {
                    return None;
                }
                i += lit.len();
            }
        }
    }
    if i != b.len() {
        return None;
    }
    Some((y?, m?, d?))
}

/// The formats tried, in order, for a date column that has none configured.
pub fn candidate_formats() -> Vec<DateFormat> {
    [
        "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d", "%d/%m/%y",
        "%m/%d/%y", "%d-%m-%y", "%d.%m.%y",
    ]
    .iter()
    .map(|p| DateFormat::pattern(p))
    .collect()
}

/// Chooses a date format for a column from sample values, or says why it cannot.
///
/// The formats that parse the most samples (at least 90 % of them, so that a few typos become
/// rejected rows rather than a failed file) are the candidates. When several remain and they
/// disagree on some value (day-first against month-first), the column is ambiguous: an error,
/// never a guess.
pub fn detect_date_format(samples: &[String]) -> Result<DateFormat, DateFormatError> {
    let shown = samples.iter().take(5).map(|s| format!("'{}'", s.trim())).collect::<Vec<_>>().join(", ");
    let scored: Vec<(usize, DateFormat)> = candidate_formats()
        .into_iter()
        .map(|f| (samples.iter().filter(|s| f.parse_text(s).is_some_and(plausible)).count(), f))
        .collect();
    let best = scored.iter().map(|(n, _)| *n).max().unwrap_or(0);
    if best == 0 || best * 10 < samples.len() * 9 {
        return Err(DateFormatError::NoneFits { shown });
    }
    let fitting: Vec<&DateFormat> = scored.iter().filter(|(n, _)| *n == best).map(|(_, f)| f).collect();
    let first = fitting[0];
    for other in &fitting[1..] {
        let disagree = samples.iter().find(|s| {
            let (a, b) = (first.parse_text(s), other.parse_text(s));
            a.is_some() && b.is_some() && a != b
        });
        if let Some(v) = disagree {
            return Err(DateFormatError::Ambiguous {
                value: v.trim().to_string(),
                first: first.parse_text(v).map(|d| d.to_string()).unwrap_or_default(),
                first_format: first.describe(),
                second: other.parse_text(v).map(|d| d.to_string()).unwrap_or_default(),
                second_format: other.describe(),
                shown,
            });
        }
    }
    Ok(first.clone())
}

/// A plausible ledger date: guards against serials or patterns that parse to year 1 or 9999.
pub fn plausible(d: NaiveDate) -> bool {
    (1950..=2100).contains(&d.year())
}

#[cfg(test)]
mod tests;
