//! Currencies: an ISO 4217 code with the number of minor digits it is written with, and minor
//! units written as a plain decimal.

use std::fmt;

/// An ISO 4217 currency code, stored inline so documents stay small and `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The euro.
    pub const EUR: Currency = Currency(*b"EUR");

    /// Parses a three-letter code (`eur`, ` EUR `); `€`, `$` and `£` are accepted as symbols.
    pub fn parse(text: &str) -> Option<Currency> {
        let t = text.trim();
        if let [a, b, c] = *t.as_bytes()
            && a.is_ascii_alphabetic()
            && b.is_ascii_alphabetic()
            && c.is_ascii_alphabetic()
        {
            return Some(Currency([a.to_ascii_uppercase(), b.to_ascii_uppercase(), c.to_ascii_uppercase()]));
        }
        match t {
            "€" => return Some(Currency::EUR),
            "$" | "US$" => return Some(Currency(*b"USD")),
            "£" => return Some(Currency(*b"GBP")),
            _ => {}
        }
        let b = t.as_bytes();
        if b.len() == 3 && b.iter().all(|c| c.is_ascii_alphabetic()) {
            Some(Currency([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase(), b[2].to_ascii_uppercase()]))
        } else {
            None
        }
    }

    /// The ISO 4217 code.
    pub fn code(&self) -> &str {
        // Always ASCII letters: built only by `parse` or the constants.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Digits after the decimal mark. Every currency arwatch meets in B2B ledgers uses 2,
    /// except these, which have none or three.
    /// Minor units as a number of major units, for Excel's cells and charts (the one place
    /// money becomes a float).
    pub fn major(&self, minor: i64) -> f64 {
        minor as f64 / 10f64.powi(self.minor_digits() as i32)
    }

    /// Digits after the decimal mark: 0 (JPY), 3 (KWD) or, for nearly all, 2.
    pub fn minor_digits(&self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"ISK" | b"CLP" | b"VND" | b"XOF" | b"XAF" => 0,
            b"BHD" | b"KWD" | b"OMR" | b"JOD" | b"TND" => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Formats minor units as a plain decimal (`-1234.50`): the data-file convention.
pub fn format_minor(minor: impl Into<i128>, digits: u32) -> String {
    let minor: i128 = minor.into();
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10u128.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize)
}
