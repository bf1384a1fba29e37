//! Disclosure control: when a pooled figure may be published. A figure over a set of creditors
//! is published only when enough of them contribute to it and none dominates it, so that no
//! creditor's own values can be read off, or worked back from, what is published
//! (`docs/pooling.md`, *Disclosure control*).

/// Rules the command line asks for that would let one creditor's values through.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum UnsafeRules {
    /// Fewer than three creditors.
    #[error(
        "--min-creditors {0}: at least 3 creditors must stand behind a pooled figure (with 2, each can work out the other's)"
    )]
    TooFewCreditors(usize),
    /// A share outside 0.5 to 0.9.
    #[error("--max-share {0}: give a share between 0.5 and 0.9 (above 0.9 a figure is nearly one creditor's own)")]
    Share(f64),
}

/// Why a pooled figure is not published.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Withheld {
    /// Too few creditors have weight in it.
    #[error("fewer than {min} creditors ({n})")]
    TooFew {
        /// The rule.
        min: usize,
        /// The creditors with weight.
        n: usize,
    },
    /// One creditor holds more than the share allowed.
    #[error("one creditor holds more than {:.0} % of it", .0 * 100.0)]
    Dominated(f64),
}

/// The rules, checked when they are set: never fewer than 3 creditors.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rules {
    /// At least this many creditors with weight in the figure.
    pub min_creditors: usize,
    /// No one creditor above this share of the figure's weight.
    pub max_share: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { min_creditors: 3, max_share: 0.75 }
    }
}

impl Rules {
    /// Rules from the command line, refused when they would let one creditor's values through.
    pub fn new(min_creditors: usize, max_share: f64) -> Result<Rules, UnsafeRules> {
        if min_creditors < 3 {
            return Err(UnsafeRules::TooFewCreditors(min_creditors));
        }
        if !(0.5..=0.9).contains(&max_share) {
            return Err(UnsafeRules::Share(max_share));
        }
        Ok(Rules { min_creditors, max_share })
    }

    /// `Ok` when a figure with these per-creditor weights may be published, else the reason in
    /// words. Creditors with no weight do not count.
    pub fn check(&self, weights: impl Iterator<Item = i128>) -> Result<(), Withheld> {
        let (mut n, mut total, mut max) = (0usize, 0i128, 0i128);
        for w in weights.filter(|w| *w > 0) {
            n += 1;
            total += w;
            max = max.max(w);
        }
        self.check_sums(n, total, max)
    }

    /// The same from the weights' count, sum and largest.
    pub fn check_sums(&self, n: usize, total: i128, max: i128) -> Result<(), Withheld> {
        if n < self.min_creditors {
            return Err(Withheld::TooFew { min: self.min_creditors, n });
        }
        if max as f64 > self.max_share * total as f64 {
            return Err(Withheld::Dominated(self.max_share));
        }
        Ok(())
    }
}

/// A money amount as a band on the 1–2–5 scale (`[10000, 20000)` in major units), so that two
/// pools that differ by one creditor do not give its exposure by their difference. Returns the
/// band's bounds in minor units; below one major unit (a credit balance too) `[0, 1)`.
pub fn band(minor: i128, digits: u32) -> (i128, i128) {
    let unit = 10i128.pow(digits);
    if minor < unit {
        return (0, unit);
    }
    let mut decade = unit;
    loop {
        for (low, high) in [(1, 2), (2, 5), (5, 10)] {
            if minor < decade * high {
                return (decade * low, decade * high);
            }
        }
        decade *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_fewer_than_three_creditors_and_a_sane_share() {
        assert!(Rules::new(2, 0.75).is_err());
        assert!(Rules::new(3, 0.95).is_err());
        assert!(Rules::new(3, 0.4).is_err());
        assert_eq!(Rules::new(4, 0.6), Ok(Rules { min_creditors: 4, max_share: 0.6 }));
    }

    #[test]
    fn a_figure_needs_enough_creditors_and_none_dominating() {
        let r = Rules::default();
        assert_eq!(r.check([10, 10, 0].into_iter()), Err(Withheld::TooFew { min: 3, n: 2 }));
        assert_eq!(Withheld::TooFew { min: 3, n: 2 }.to_string(), "fewer than 3 creditors (2)");
        assert_eq!(r.check([10, 10, 10].into_iter()), Ok(()));
        assert_eq!(r.check([80, 10, 10].into_iter()), Err(Withheld::Dominated(0.75)));
        assert_eq!(Withheld::Dominated(0.75).to_string(), "one creditor holds more than 75 % of it");
        assert_eq!(r.check([75, 15, 10].into_iter()), Ok(()));
    }

    #[test]
    fn bands_follow_one_two_five() {
        assert_eq!(band(0, 2), (0, 100));
        assert_eq!(band(150_00, 2), (100_00, 200_00));
        assert_eq!(band(200_00, 2), (200_00, 500_00));
        assert_eq!(band(999_99, 2), (500_00, 1000_00));
        assert_eq!(band(12_345_00, 2), (10_000_00, 20_000_00));
        assert_eq!(band(7, 0), (5, 10));
    }
}
