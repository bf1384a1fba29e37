//! The neutral table every renderer draws: named columns of typed cells, each column defined
//! once (its key in the data files, its label in the reports, how to get its cell from a row).
//! A renderer picks the columns it shows by key and formats each cell type its own way; the
//! rows come in blocks (one client's rows, say) so that large tables are streamed and formatted
//! in parallel, never held as cells.

use super::i18n::Label;
use crate::analytics::calendar::Month;
use crate::model::Money;
use chrono::NaiveDate;
use std::borrow::Cow;

/// One value, with what it is: the renderer decides how it looks.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Text (neutralised against formulas by every renderer).
    Text(Cow<'a, str>),
    /// An exact amount.
    Money(Money),
    /// A fraction (0.25 is 25 %); `None` when undefined.
    Percent(Option<f64>),
    /// Days, or a figure shown like days; `None` when undefined.
    Days(Option<f64>),
    /// A score (0–100), one decimal.
    Score(f64),
    /// A whole number.
    Int(i64),
    /// A date.
    Date(NaiveDate),
    /// A month, `2026-10`.
    Month(Month),
    /// Yes or no.
    Bool(bool),
    /// Nothing: an empty field in a data file, no cell at all in a sheet.
    Blank,
}

impl<'a> Cell<'a> {
    /// Text borrowed from the row.
    pub fn text(s: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s))
    }

    /// Text made for the cell.
    pub fn owned(s: String) -> Cell<'a> {
        Cell::Text(Cow::Owned(s))
    }
}

/// How a column gets its cell from a row of type `R`.
pub type Getter<'a, R> = Box<dyn for<'r> Fn(&'r R) -> Cell<'r> + Sync + 'a>;

/// One column: its key (the data files' column name, an interface), its label in the reports
/// (the key itself when `None`), and its cell.
pub struct Column<'a, R> {
    /// The column's name in the data files.
    pub key: Cow<'static, str>,
    /// Its label in the reports; the key when `None`.
    pub label: Option<Label>,
    /// Its cell in a row.
    pub cell: Getter<'a, R>,
}

impl<'a, R> Column<'a, R> {
    /// A column whose report label is its key.
    pub fn new(key: &'static str, cell: impl for<'r> Fn(&'r R) -> Cell<'r> + Sync + 'a) -> Column<'a, R> {
        Column { key: Cow::Borrowed(key), label: None, cell: Box::new(cell) }
    }

    /// A column with a key made at run time (the aging buckets follow the configuration).
    pub fn keyed(key: String, cell: impl for<'r> Fn(&'r R) -> Cell<'r> + Sync + 'a) -> Column<'a, R> {
        Column { key: Cow::Owned(key), label: None, cell: Box::new(cell) }
    }

    /// The same column, labelled in the reports.
    pub fn labelled(mut self, label: Label) -> Column<'a, R> {
        self.label = Some(label);
        self
    }
}

/// Hands the rows of one block to a visitor.
type Blocks<'a, R> = Box<dyn Fn(usize, &mut dyn FnMut(&R)) + Sync + 'a>;

/// A table: its columns, and its rows in blocks.
pub struct Table<'a, R> {
    /// The columns, in table order.
    pub columns: Vec<Column<'a, R>>,
    blocks: usize,
    each: Blocks<'a, R>,
}

impl<'a, R> Table<'a, R> {
    /// A table whose rows are `rows` (one block).
    pub fn of(columns: Vec<Column<'a, R>>, rows: Vec<R>) -> Table<'a, R>
    where
        R: Sync + 'a,
    {
        Table { columns, blocks: 1, each: Box::new(move |_, f| rows.iter().for_each(f)) }
    }

    /// A table whose rows come in `blocks` blocks, block `i` visited by `each(i, visitor)`.
    pub fn blocked(
        columns: Vec<Column<'a, R>>,
        blocks: usize,
        each: impl Fn(usize, &mut dyn FnMut(&R)) + Sync + 'a,
    ) -> Table<'a, R> {
        Table { columns, blocks, each: Box::new(each) }
    }

    /// The number of blocks.
    pub fn blocks(&self) -> usize {
        self.blocks
    }

    /// Visits the rows of block `i`, in order.
    pub fn each(&self, i: usize, f: &mut dyn FnMut(&R)) {
        (self.each)(i, f)
    }

    /// The columns with these keys, in this order (a renderer's view of the table).
    ///
    /// # Panics
    /// On a key the table does not have: a view is written with its table, so that is a bug.
    pub fn view(&self, keys: &[&str]) -> Vec<&Column<'a, R>> {
        keys.iter()
            .map(|k| self.columns.iter().find(|c| c.key == *k).unwrap_or_else(|| panic!("no column {k:?}")))
            .collect()
    }

    /// Every column, in table order.
    pub fn all(&self) -> Vec<&Column<'a, R>> {
        self.columns.iter().collect()
    }

    /// Every row of every block (for the small tables a page shows).
    pub fn rows(&self) -> usize {
        let mut n = 0;
        for b in 0..self.blocks {
            self.each(b, &mut |_| n += 1);
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        id: String,
        amount: i64,
    }

    fn table(rows: Vec<Row>) -> Table<'static, Row> {
        Table::of(
            vec![
                Column::new("id", |r: &Row| Cell::text(&r.id)),
                Column::new("amount", |r: &Row| Cell::Money(Money::new(r.amount, crate::model::Currency::EUR)))
                    .labelled(Label::Amount),
            ],
            rows,
        )
    }

    #[test]
    fn a_view_picks_columns_by_key_in_its_own_order() {
        let t = table(vec![Row { id: "K1".into(), amount: 150 }]);
        let view = t.view(&["amount", "id"]);
        assert_eq!(view.iter().map(|c| c.key.as_ref()).collect::<Vec<_>>(), ["amount", "id"]);
        assert_eq!(view[0].label, Some(Label::Amount));
        let mut cells = Vec::new();
        t.each(0, &mut |r| cells.extend(view.iter().map(|c| format!("{:?}", (c.cell)(r)))));
        assert_eq!(
            cells,
            [format!("{:?}", Cell::Money(Money::new(150, crate::model::Currency::EUR))), "Text(\"K1\")".into()]
        );
        assert_eq!(t.rows(), 1);
    }

    #[test]
    #[should_panic(expected = "no column \"nope\"")]
    fn a_view_of_a_missing_column_is_a_bug() {
        let _ = table(Vec::new()).view(&["nope"]);
    }
}
