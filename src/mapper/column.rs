//! What a column's values say: how many are filled, whether they read as dates (in which
//! format), as money (with which decimal mark), as numbers, whether they are unique, words or
//! codes. The proposal weighs a header's name with this evidence.

use super::synonyms::Kind;
use crate::ingest::parse::{DateFormat, DateFormatError, NumberFormat, detect_date_format, parse_amount, plausible};
use crate::ingest::table::SampleCell;
use chrono::NaiveDate;

/// How the dates of a column read.
#[derive(Clone, Debug, PartialEq)]
pub enum Dates {
    /// No value reads as a date.
    None,
    /// Spreadsheet date cells (no format needed), this share of the filled values.
    Cells(f64),
    /// Text in this format, this share of the filled values.
    Format(DateFormat, f64),
    /// Day-first and month-first both fit: the run would stop; the reason.
    Ambiguous(String),
}

/// One column of a table and the evidence of its values.
#[derive(Clone, Debug)]
pub struct Column {
    /// 0-based position.
    pub index: usize,
    /// The header as written.
    pub header: String,
    /// The first few filled values, as shown in comments.
    pub examples: Vec<String>,
    /// Filled values.
    pub filled: usize,
    /// Rows looked at.
    pub rows: usize,
    /// How its values read as dates.
    pub dates: Dates,
    /// The share of filled values that read as money, and the decimal mark that reads most.
    pub money: (f64, Option<char>),
    /// The share that read as plain numbers.
    pub numbers: f64,
    /// The share of filled values that differ from every other.
    pub unique: f64,
    /// The share of filled values written with letters and a space (names, sentences).
    pub words: f64,
    /// Distinct values, up to 50 (for document types, flags, currencies).
    pub distinct: Vec<String>,
    /// The earliest of its dates, when they read as dates.
    pub earliest: Option<NaiveDate>,
}

impl Column {
    /// The evidence of `values` under `header`.
    pub fn new(index: usize, header: &str, values: &[&SampleCell]) -> Column {
        let filled: Vec<&SampleCell> = values.iter().copied().filter(|v| !v.is_empty()).collect();
        let texts: Vec<String> = filled.iter().map(|v| v.text()).collect();
        let n = filled.len().max(1) as f64;
        let share = |k: usize| k as f64 / n;
        let date_cells = filled.iter().filter(|v| matches!(v, SampleCell::Date(_))).count();
        let text_values: Vec<String> =
            filled.iter().filter_map(|v| if let SampleCell::Text(s) = v { Some(s.clone()) } else { None }).collect();
        let dates = if date_cells > 0 && date_cells * 10 >= filled.len() * 9 {
            Dates::Cells(share(date_cells))
        } else if text_values.is_empty() {
            Dates::None
        } else {
            match detect_date_format(&text_values) {
                Ok(f) => {
                    let ok = text_values.iter().filter(|s| f.parse_text(s).is_some_and(plausible)).count();
                    Dates::Format(f, share(ok + date_cells))
                }
                Err(e @ DateFormatError::Ambiguous { .. }) => Dates::Ambiguous(e.to_string()),
                Err(_) => Dates::None,
            }
        };
        let earliest = filled
            .iter()
            .filter_map(|v| match (v, &dates) {
                (SampleCell::Date(d), _) => Some(*d),
                (SampleCell::Text(s), Dates::Format(f, _)) => f.parse_text(s),
                _ => None,
            })
            .filter(|d| plausible(*d))
            .min();
        let numbers_cells = filled.iter().filter(|v| matches!(v, SampleCell::Number(_))).count();
        let money_with =
            |decimal: char| text_values.iter().filter(|s| parse_amount(s, NumberFormat { decimal }, 2).is_ok()).count();
        let (dot, comma) = (money_with('.'), money_with(','));
        let decimal = match dot.cmp(&comma) {
            std::cmp::Ordering::Greater => Some('.'),
            std::cmp::Ordering::Less => Some(','),
            // Integers only (or nothing): the mark is not shown.
            std::cmp::Ordering::Equal => None,
        };
        let money = (share(dot.max(comma) + numbers_cells), decimal);
        let plain = text_values.iter().filter(|s| s.trim().replace(',', ".").parse::<f64>().is_ok()).count();
        let mut seen = std::collections::HashSet::new();
        let unique = texts.iter().filter(|t| seen.insert(t.as_str())).count();
        let words =
            texts.iter().filter(|t| t.contains(' ') && t.chars().filter(|c| c.is_alphabetic()).count() >= 3).count();
        let mut distinct: Vec<String> = Vec::new();
        for t in &texts {
            if distinct.len() < 50 && !distinct.contains(t) {
                distinct.push(t.clone());
            }
        }
        Column {
            index,
            header: header.trim().to_string(),
            examples: distinct.iter().take(3).cloned().collect(),
            filled: filled.len(),
            rows: values.len(),
            dates,
            money,
            numbers: share(plain + numbers_cells),
            unique: share(unique),
            words: share(words),
            distinct,
            earliest,
        }
    }

    /// How well the values fit a kind, 0 to 1.
    pub fn fit(&self, kind: Kind) -> f64 {
        if self.filled == 0 {
            return 0.0;
        }
        match kind {
            Kind::Date => match &self.dates {
                Dates::Cells(s) | Dates::Format(_, s) => *s,
                // The run would stop on it: mapped, and said.
                Dates::Ambiguous(_) => 1.0,
                Dates::None => 0.0,
            },
            Kind::Money => self.money.0,
            Kind::Number => self.numbers,
            // Names read as words; an id that reads as a sentence is likelier a name.
            Kind::Text => 0.5 + 0.5 * self.words,
            Kind::Id => 1.0 - 0.4 * self.words,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(values: &[&str]) -> Column {
        let cells: Vec<SampleCell> = values.iter().map(|v| SampleCell::Text(v.to_string())).collect();
        let refs: Vec<&SampleCell> = cells.iter().collect();
        Column::new(0, "h", &refs)
    }

    #[test]
    fn values_say_what_they_are() {
        let d = col(&["01/05/2024", "15/05/2024", ""]);
        assert_eq!(d.dates, Dates::Format(DateFormat::pattern("%d/%m/%Y"), 1.0));
        assert_eq!((d.filled, d.rows), (2, 3));
        let m = col(&["255,64", "1.080,38", "12"]);
        assert_eq!(m.money, (1.0, Some(',')));
        let m = col(&["3,98,422.10", "55.94"]);
        assert_eq!(m.money.1, Some('.'));
        assert!(matches!(col(&["01/02/2024", "03/04/2024"]).dates, Dates::Ambiguous(_)));
        let names = col(&["Café Geerts SA", "Bakkerij Claes"]);
        assert!(names.fit(Kind::Text) > names.fit(Kind::Id));
        let ids = col(&["K0022", "K0035"]);
        assert!(ids.fit(Kind::Id) > ids.fit(Kind::Text));
        assert_eq!(ids.fit(Kind::Date), 0.0);
    }
}
