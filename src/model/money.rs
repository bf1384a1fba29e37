//! An amount with its currency: minor units (cents, yen, fils) and the currency that says how
//! many of them make a unit. Sums stay in integers; only Excel's cells see a float.

use super::currency::{Currency, format_minor};
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Neg, Sub};

/// An exact amount: `minor` units of `currency` (1234.50 EUR is 123450; 1234 JPY is 1234).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    /// `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Nothing, in `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The currency's code, borrowed from the amount (no copy to outlive).
    pub fn currency_code(&self) -> &str {
        self.currency.code()
    }

    /// The amount in units, as a float: only for a spreadsheet cell, which holds nothing else.
    pub fn major(self) -> f64 {
        self.currency.major(self.minor)
    }

    /// The sum, or `None` when the currencies differ or it would not fit in 64 bits.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_add(other.minor))
            .flatten()
            .map(|minor| Money::new(minor, self.currency))
    }
}

/// A plain decimal with the currency's own digits and no symbol: `1234.50`, `1234`,
/// `-0.005`; what the data files write.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_minor(self.minor, self.currency.minor_digits()))
    }
}

/// Adding amounts of two currencies is a bug, not a value: it stops the run (as an overflow
/// does, `overflow-checks` being on for arwatch's own code).
impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        assert_eq!(self.currency, other.currency, "adding {} to {}", other.currency, self.currency);
        Money::new(self.minor + other.minor, self.currency)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        self + -other
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::new(-self.minor, self.currency)
    }
}

/// Amounts compare within one currency; across currencies they have no order.
impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Money) -> Option<Ordering> {
        (self.currency == other.currency).then(|| self.minor.cmp(&other.minor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn each_currency_writes_its_own_digits() {
        assert_eq!(Money::new(123_450, Currency::EUR).to_string(), "1234.50");
        assert_eq!(Money::new(1234, cur("JPY")).to_string(), "1234");
        assert_eq!(Money::new(-5, cur("KWD")).to_string(), "-0.005");
        assert_eq!(Money::new(1234, cur("JPY")).major(), 1234.0);
        assert_eq!(Money::new(1234, cur("KWD")).major(), 1.234);
    }

    #[test]
    fn sums_and_order_stay_within_a_currency() {
        let (a, b) = (Money::new(150, Currency::EUR), Money::new(-50, Currency::EUR));
        assert_eq!(a + b, Money::new(100, Currency::EUR));
        assert_eq!(a - b, Money::new(200, Currency::EUR));
        assert!(b < a && a > Money::zero(Currency::EUR));
        let yen = Money::new(150, cur("JPY"));
        assert_eq!(a.partial_cmp(&yen), None);
        assert_eq!(a.checked_add(yen), None);
        assert_eq!(Money::new(i64::MAX, Currency::EUR).checked_add(a), None);
        assert_eq!(a.checked_add(b), Some(Money::new(100, Currency::EUR)));
    }

    #[test]
    #[should_panic(expected = "adding JPY to EUR")]
    fn adding_two_currencies_is_a_bug() {
        let _ = Money::new(1, Currency::EUR) + Money::new(1, cur("JPY"));
    }
}
