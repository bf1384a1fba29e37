//! Company identifiers: Belgian enterprise numbers (KBO/BCE, also the VAT number with `BE`) and
//! Dutch KvK numbers, normalised so that the same company always has the same key.

/// A valid company number, normalised so that the same company always has the same key:
/// `BE0403019261`, `NL12345678` or a Dutch VAT number `NL123456789B01`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CompanyNumber(String);

impl CompanyNumber {
    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for CompanyNumber {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CompanyNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a value is no valid company number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompanyNumberError {
    /// Nothing but blanks and separators.
    #[error("empty")]
    Empty,
    /// `NL…B…` that is not nine digits, `B` and two digits.
    #[error("'{0}' is not a Dutch VAT number")]
    DutchVat(String),
    /// Letters among the digits.
    #[error("'{0}' has characters other than digits")]
    NotDigits(String),
    /// A KvK number that is not 8 digits.
    #[error("'{raw}': a KvK number has 8 digits, not {digits}")]
    KvkLength {
        /// The value as written.
        raw: String,
        /// Its digits.
        digits: usize,
    },
    /// Neither 8, 9 nor 10 digits.
    #[error("'{raw}': a Belgian enterprise number has 10 digits (or 9), a KvK number 8; this has {digits}")]
    Length {
        /// The value as written.
        raw: String,
        /// Its digits.
        digits: usize,
    },
    /// A Belgian number that starts with neither 0 nor 1.
    #[error("Belgian enterprise number {0} must start with 0 or 1")]
    FirstDigit(String),
    /// A Belgian number whose check digits are wrong.
    #[error("Belgian enterprise number {number} fails its check digits (expected {expected:02})")]
    CheckDigits {
        /// The ten digits.
        number: String,
        /// The check digits its first eight give.
        expected: u64,
    },
}

/// Normalises a company number, or says why it is not valid. An invalid number never matches
/// anything.
pub fn normalise_company_number(raw: &str) -> Result<CompanyNumber, CompanyNumberError> {
    normalise(raw).map(CompanyNumber)
}

fn normalise(raw: &str) -> Result<String, CompanyNumberError> {
    let t = raw.trim();
    let upper: String =
        t.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '/' | '\u{a0}')).collect::<String>().to_ascii_uppercase();
    if upper.is_empty() {
        return Err(CompanyNumberError::Empty);
    }
    let (country, rest) = if let Some(r) = upper.strip_prefix("BE") {
        (Some("BE"), r)
    } else if let Some(r) = upper.strip_prefix("NL") {
        (Some("NL"), r)
    } else {
        (None, upper.as_str())
    };
    // Dutch VAT number: NL + 9 digits + B + 2 digits.
    if country == Some("NL") && rest.len() == 12 && rest.as_bytes()[9] == b'B' {
        let ok = rest.char_indices().all(|(i, c)| if i == 9 { c == 'B' } else { c.is_ascii_digit() });
        return if ok { Ok(format!("NL{rest}")) } else { Err(CompanyNumberError::DutchVat(t.to_string())) };
    }
    if !rest.chars().all(|c| c.is_ascii_digit()) {
        return Err(CompanyNumberError::NotDigits(t.to_string()));
    }
    match (country, rest.len()) {
        (Some("NL"), 8) | (None, 8) => Ok(format!("NL{rest}")),
        (Some("BE"), 9 | 10) | (None, 9 | 10) => {
            let ten = if rest.len() == 9 { format!("0{rest}") } else { rest.to_string() };
            check_kbo(&ten)?;
            Ok(format!("BE{ten}"))
        }
        (Some("NL"), n) => Err(CompanyNumberError::KvkLength { raw: t.to_string(), digits: n }),
        (_, n) => Err(CompanyNumberError::Length { raw: t.to_string(), digits: n }),
    }
}

/// The Belgian check: first digit 0 or 1, and 97 − (first 8 digits mod 97) = last 2 digits.
fn check_kbo(ten: &str) -> Result<(), CompanyNumberError> {
    if !ten.starts_with('0') && !ten.starts_with('1') {
        return Err(CompanyNumberError::FirstDigit(ten.to_string()));
    }
    let not_digits = || CompanyNumberError::NotDigits(ten.to_string());
    let body: u64 = ten[..8].parse().map_err(|_| not_digits())?;
    let check: u64 = ten[8..].parse().map_err(|_| not_digits())?;
    if 97 - body % 97 == check {
        Ok(())
    } else {
        Err(CompanyNumberError::CheckDigits { number: ten.to_string(), expected: 97 - body % 97 })
    }
}

/// Check digits for the first 8 digits of a Belgian enterprise number: used by the sample
/// generator to make valid numbers.
pub fn kbo_check_digits(first8: u64) -> u64 {
    97 - first8 % 97
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(raw: &str) -> Result<String, CompanyNumberError> {
        normalise_company_number(raw).map(|n| n.to_string())
    }

    #[test]
    fn spec_vectors_valid() {
        for n in ["0403019261", "0417497106", "0314595348", "0428759497"] {
            assert_eq!(norm(n), Ok(format!("BE{n}")), "{n}");
        }
        assert_eq!(norm("BE 0403.019.261"), Ok("BE0403019261".into()));
        assert_eq!(norm("403019261"), Ok("BE0403019261".into()));
        assert_eq!(norm("be0403019261"), Ok("BE0403019261".into()));
    }

    #[test]
    fn spec_vectors_invalid() {
        let e = norm("0431150351").unwrap_err();
        assert!(matches!(e, CompanyNumberError::CheckDigits { expected: 50, .. }), "{e}");
        assert!(e.to_string().contains("check digits"), "{e}");
        assert!(norm("2403019261").is_err());
        assert!(norm("12345").is_err());
        assert!(norm("BE04030192AB").is_err());
    }

    #[test]
    fn dutch_numbers_keep_leading_zeros() {
        assert_eq!(norm("01234567"), Ok("NL01234567".into()));
        assert_eq!(norm("NL 3412.3456"), Ok("NL34123456".into()));
        assert_eq!(norm("NL123456789B01"), Ok("NL123456789B01".into()));
        assert!(norm("NL123").is_err());
    }

    #[test]
    fn check_digit_helper() {
        assert_eq!(kbo_check_digits(4030192), 61);
        assert_eq!(kbo_check_digits(4287594), 97);
    }
}
