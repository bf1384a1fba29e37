//! The validated ledger: clients, documents (invoices and credit notes) and payments.
//!
//! Nothing in here is a raw string from a file: `ingest` turns rows into these types, and
//! `analytics` reads only these types. Money is integer minor units (cents) with its currency.

pub mod company_number;
mod currency;
mod money;
mod shared_names;

pub use company_number::CompanyNumber;
pub use currency::{Currency, format_minor};
pub use money::Money;
pub use shared_names::SharedNames;

use chrono::NaiveDate;
use std::borrow::Cow;

/// Identifier text (document, payment and reference ids) of the whole ledger in a few large
/// blocks: millions of short ids cost no allocation each, and half the memory. Blocks are
/// never reallocated (a full one is left as it is and the next begins), so the text of
/// 20 million ids is never copied to grow.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    blocks: Vec<String>,
    /// The block being filled; those after it are reserved and empty.
    current: usize,
}

/// Why a text cannot be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextsFull {
    /// One identifier longer than a block.
    #[error("an identifier of {bytes} bytes (more than 16 MiB)")]
    TooLong {
        /// Its length.
        bytes: usize,
    },
    /// All identifiers together beyond what a reference can address.
    #[error("more than 4 GiB of identifiers")]
    Full,
}

/// A piece of `Texts`: `start` is the block number times `Texts::BLOCK` plus the offset.
/// The length is kept plus one, never zero, so that `Option<TextRef>` (every reference) takes
/// no more room than a `TextRef`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TextRef {
    start: u32,
    len_plus_one: std::num::NonZeroU32,
}

impl Texts {
    const BLOCK: usize = 1 << 24;

    /// Stores `parts` one after the other as one text. Identifier text beyond 4 GiB (some
    /// 200 million documents) is refused rather than wrapped.
    pub fn push_parts(&mut self, parts: &[&str]) -> Result<TextRef, TextsFull> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len > Self::BLOCK {
            return Err(TextsFull::TooLong { bytes: len });
        }
        let fits = self.blocks.get(self.current).is_some_and(|b| b.len() + len <= Self::BLOCK);
        if !fits {
            if self.blocks.is_empty() {
                self.add_block()?;
            } else {
                if self.current + 1 == self.blocks.len() {
                    self.add_block()?;
                }
                self.current += 1;
            }
        }
        let block = self.current;
        let b = &mut self.blocks[block];
        let offset = b.len();
        for p in parts {
            b.push_str(p);
        }
        let len_plus_one = std::num::NonZeroU32::new(len as u32 + 1).expect("at most 16 MiB");
        Ok(TextRef { start: (block * Self::BLOCK + offset) as u32, len_plus_one })
    }

    fn add_block(&mut self) -> Result<(), TextsFull> {
        if (self.blocks.len() + 1) * Self::BLOCK > u32::MAX as usize + 1 {
            return Err(TextsFull::Full);
        }
        self.blocks.push(String::with_capacity(Self::BLOCK));
        Ok(())
    }

    /// Makes room for about `bytes` more text ahead of use; returns the addresses of the
    /// reserved room, for [`crate::memory::populate`].
    pub fn reserve(&mut self, bytes: usize) -> Vec<std::ops::Range<usize>> {
        let room = |t: &Texts| t.blocks.iter().skip(t.current).map(|b| Self::BLOCK - b.len()).sum::<usize>();
        while room(self) < bytes && self.add_block().is_ok() {}
        self.blocks
            .iter()
            .skip(self.current)
            .map(|b| b.as_ptr() as usize + b.len()..b.as_ptr() as usize + b.capacity())
            .collect()
    }

    /// Stores a text and returns its reference; refuses one block's worth of text or more.
    pub fn push(&mut self, s: &str) -> Result<TextRef, TextsFull> {
        self.push_parts(&[s])
    }

    /// Asks the CPU to fetch `r`'s text ahead of use (see [`prefetch`]).
    pub fn prefetch(&self, r: TextRef) {
        let start = r.start as usize;
        if let Some(block) = self.blocks.get(start / Self::BLOCK) {
            crate::memory::prefetch(block.as_ptr().wrapping_add(start % Self::BLOCK));
        }
    }

    /// The text of a reference.
    pub fn get(&self, r: TextRef) -> &str {
        let start = r.start as usize;
        let offset = start % Self::BLOCK;
        &self.blocks[start / Self::BLOCK][offset..offset + r.len_plus_one.get() as usize - 1]
    }
}

/// Index of a client in `Ledger::clients`.
pub type ClientIx = u32;

/// Where a record came from, for error messages and the rejected-rows file. Packed to six
/// bytes: there is one in each of millions of rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(C, packed(2))]
pub struct Origin {
    /// Index into `Ledger::sources`.
    pub source: u16,
    /// 1-based line in a CSV file, or 1-based row in a sheet.
    pub line: u32,
}

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// An invoice: the client owes its amount.
    Invoice,
    /// A credit note: it lowers what the client owes.
    CreditNote,
}

/// An invoice or a credit note. `amount` is always positive: a credit note reduces what the
/// client owes by being a credit note, not by its sign.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The client.
    pub client: ClientIx,
    /// Its id.
    pub id: TextRef,
    /// Invoice or credit note.
    pub kind: DocKind,
    /// Its issue date.
    pub issue: NaiveDate,
    /// Its due date (the issue date plus terms when the export has none).
    pub due: NaiveDate,
    /// Its amount, positive, in minor units of `currency`.
    pub amount: i64,
    /// Its currency.
    pub currency: Currency,
    /// For a credit note: the invoice it corrects, if the export says.
    pub reference: Option<TextRef>,
    /// Marked disputed in the export.
    pub disputed: bool,
    /// Its place in the invoice's payment schedule, 1 to n, or 0 for an invoice without one.
    /// The instalments of an invoice are consecutive documents sharing its id and issue date,
    /// in due order; together they are the invoice (docs/metrics.md, instalment schedules).
    pub instalment: u8,
    /// Where it was read.
    pub origin: Origin,
}

impl Document {
    /// Whether this is the instalment after `prev` (the same invoice when the ids agree, which
    /// the caller compares: the instalments of an invoice are consecutive).
    pub fn continues(&self, prev: &Document) -> bool {
        prev.instalment > 0 && self.instalment == prev.instalment.wrapping_add(1)
    }

    /// An invoice in euros with nothing else said: no reference, not disputed, no schedule, read
    /// nowhere in particular. What tests and examples build ledgers from.
    pub fn invoice(client: ClientIx, id: TextRef, issue: NaiveDate, due: NaiveDate, amount: i64) -> Document {
        Document {
            client,
            id,
            kind: DocKind::Invoice,
            issue,
            due,
            amount,
            currency: Currency::EUR,
            reference: None,
            disputed: false,
            instalment: 0,
            origin: Origin::default(),
        }
    }
}

/// A payment received. A negative amount is a reversal (refund, bounced direct debit).
/// Aligned to four bytes, which saves a tenth of its size over millions of payments.
// Rust's own field order is what packs it; nothing outside arwatch reads this layout.
#[allow(clippy::repr_packed_without_abi)]
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(packed(4))]
pub struct Payment {
    /// The client.
    pub client: ClientIx,
    /// Its id (one made of source and line when the export has none).
    pub id: TextRef,
    /// Its date.
    pub date: NaiveDate,
    /// Its amount in minor units of `currency`; negative is a reversal.
    pub amount: i64,
    /// Its currency.
    pub currency: Currency,
    /// The invoice it pays, if the export says.
    pub reference: Option<TextRef>,
    /// Where it was read.
    pub origin: Origin,
}

/// A client of the company (a debtor).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Client {
    /// Its id in the ledger.
    pub id: String,
    /// Its name, empty when no export gave one.
    pub name: String,
    /// Normalised company number (`BE0403019261`, `NL12345678`), when the export has one.
    pub company_number: Option<CompanyNumber>,
}

/// Everything ingestion accepted, ready for analytics.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    /// Source files, in configuration order (indexed by `Origin::source`).
    pub sources: Vec<String>,
    /// Every client, indexed by `ClientIx`.
    pub clients: Vec<Client>,
    /// Invoices and credit notes, in input order.
    pub documents: Vec<Document>,
    /// Payments and reversals, in input order.
    pub payments: Vec<Payment>,
    /// The text of every id and reference.
    pub texts: Texts,
}

/// Who a ledger is about: its source files and its clients. What is left of a ledger once its
/// rows are analysed: the reports need no document or payment, and at 10 million invoices they
/// reuse the memory the rows held.
#[derive(Clone, Debug, Default)]
pub struct Roster {
    /// Source files, in configuration order (indexed by `Origin::source`).
    pub sources: Vec<String>,
    /// Every client, indexed by `ClientIx`.
    pub clients: Vec<Client>,
    /// The names more than one client bears.
    shared_names: SharedNames,
}

impl Roster {
    /// The sources and the clients, with the names that more than one client bears.
    pub fn new(sources: Vec<String>, clients: Vec<Client>) -> Roster {
        let shared_names = SharedNames::of(clients.iter().map(|c| c.name.as_str()));
        Roster { sources, clients, shared_names }
    }

    /// How the human reports name a client: its name, its id when it has none, `Name (id)`
    /// when another client of the run bears the same name.
    pub fn label<'c>(&self, id: &'c str, name: &'c str) -> Cow<'c, str> {
        self.shared_names.label(id, name)
    }

    /// A client's label (see `label`).
    pub fn label_of<'c>(&self, c: &'c Client) -> Cow<'c, str> {
        self.label(&c.id, &c.name)
    }
}

impl Ledger {
    /// The text of an id or reference.
    pub fn text(&self, r: TextRef) -> &str {
        self.texts.get(r)
    }

    /// The sources and clients, the rows dropped.
    pub fn into_roster(self) -> Roster {
        Roster::new(self.sources, self.clients)
    }

    /// The latest document or payment date, which sets the default as-of date.
    pub fn latest_date(&self) -> Option<NaiveDate> {
        let d = self.documents.iter().map(|d| d.issue).max();
        let p = self.payments.iter().map(|p| p.date).max();
        d.max(p)
    }

    /// The `k` latest document and payment dates with their rows, latest first (ties in file
    /// order). One pass, keeping a sorted handful.
    pub fn latest_rows(&self, k: usize) -> Vec<(NaiveDate, Origin)> {
        let mut top: Vec<(NaiveDate, Origin)> = Vec::with_capacity(k + 1);
        let rows =
            self.documents.iter().map(|d| (d.issue, d.origin)).chain(self.payments.iter().map(|p| (p.date, p.origin)));
        for (date, origin) in rows {
            if top.len() == k && top.last().is_some_and(|l| l.0 >= date) {
                continue;
            }
            let at = top.partition_point(|t| t.0 >= date);
            top.insert(at, (date, origin));
            top.truncate(k);
        }
        top
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_parse_and_symbols() {
        assert_eq!(Currency::parse(" eur ").unwrap().code(), "EUR");
        assert_eq!(Currency::parse("€").unwrap(), Currency::EUR);
        assert_eq!(Currency::parse("$").unwrap().code(), "USD");
        assert!(Currency::parse("EURO").is_none());
        assert!(Currency::parse("E1R").is_none());
        assert_eq!(Currency::parse("JPY").unwrap().minor_digits(), 0);
    }

    #[test]
    fn format_minor_units() {
        assert_eq!(format_minor(123450, 2), "1234.50");
        assert_eq!(format_minor(-5, 2), "-0.05");
        assert_eq!(format_minor(0, 2), "0.00");
        assert_eq!(format_minor(-1200, 0), "-1200");
        assert_eq!(format_minor(1001, 3), "1.001");
    }

    #[test]
    fn rows_stay_small() {
        // The ledger holds tens of millions of these; a field added carelessly costs gigabytes.
        assert_eq!(std::mem::size_of::<Option<TextRef>>(), 8);
        assert_eq!(std::mem::size_of::<Document>(), 48);
        assert_eq!(std::mem::size_of::<Payment>(), 44);
    }

    #[test]
    fn texts_span_blocks_without_splitting_an_id() {
        let mut t = Texts::default();
        let a = t.push("INV-1").unwrap();
        let big = "x".repeat(Texts::BLOCK - 3);
        let b = t.push(&big).unwrap();
        let c = t.push_parts(&["INV-1", "/settled"]).unwrap();
        assert_eq!(t.blocks.len(), 3, "the big text and the last one each need a new block");
        assert_eq!((t.get(a), t.get(b).len(), t.get(c)), ("INV-1", Texts::BLOCK - 3, "INV-1/settled"));
        assert!(t.push(&"y".repeat(Texts::BLOCK + 1)).is_err());

        // Reserved blocks are filled in turn, and what was stored stays readable.
        let mut t = Texts::default();
        let first = t.push("A").unwrap();
        let ranges = t.reserve(2 * Texts::BLOCK);
        assert_eq!(t.blocks.len(), 3);
        assert_eq!(ranges.len(), 3);
        assert_eq!(ranges[0].end - ranges[0].start, Texts::BLOCK - 1);
        let big = t.push(&"z".repeat(Texts::BLOCK - 1)).unwrap();
        let next = t.push("B").unwrap();
        assert_eq!((t.get(first), t.get(big).len(), t.get(next)), ("A", Texts::BLOCK - 1, "B"));
        assert_eq!(t.current, 1);
    }
}
