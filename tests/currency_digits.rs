//! Amounts in currencies without two decimals (JPY has none, KWD three), wherever arwatch
//! writes one in words.

mod common;

use common::{arwatch, read};
use tempfile::TempDir;

/// A JPY ledger: an invoice of 10,000 and a reversal of 500 with no payment to undo.
fn yen_ledger() -> TempDir {
    let dir = TempDir::new().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w("f.csv", "Klant;Nr;Datum;Verval;Bedrag\nK1;F1;01/02/2025;03/03/2025;10000\n");
    w("p.csv", "Klant;Nr;Datum;Bedrag;Ref\nK1;P1;05/02/2025;-500;F1\n");
    w(
        "f.toml",
        "delimiter = \";\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\n",
    );
    w(
        "p.toml",
        "rows = \"payments\"\ndelimiter = \";\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\npayment_date = \"Datum\"\namount = \"Bedrag\"\nreference = \"Ref\"\n",
    );
    w(
        "arwatch.toml",
        "currency = \"JPY\"\nas_of = \"2025-03-31\"\n[[inputs]]\nfile = \"f.csv\"\nmapping = \"f.toml\"\n[[inputs]]\nfile = \"p.csv\"\nmapping = \"p.toml\"\n[reports]\nworkbook = false\npdf = false\ndossiers = false\n[handover]\nenabled = false\n",
    );
    dir
}

/// Regression (issue 10): the warning about a reversal that finds no payment wrote the
/// amount with two decimals whatever the currency: 500 JPY came out as "5.00".
#[test]
fn an_unmatched_reversal_is_told_in_its_currency_s_digits() {
    let dir = yen_ledger();
    let o = arwatch()
        .current_dir(dir.path())
        .args(["run", "-q", "--config", "arwatch.toml", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    let warnings = read(&dir.path().join("out/2025-03/data/warnings.csv"));
    assert!(warnings.contains("reversal P1 on 2025-02-05: 500 JPY found no payment to undo"), "{warnings}");
}
