//! Criterion benches of the pathological inputs issue 9 named, each once quadratic: a document
//! id reused thousands of times, reversals over a long settled history, references to unknown
//! invoices, a cell of a million characters in a PDF table, and a file of quoted fields.
//! Doubling the size should about double the time; `cargo bench --bench worst_cases`.

use arwatch::analytics::{Settings, analyse};
use arwatch::fx::Fx;
use arwatch::ingest::mapping::Mapping;
use arwatch::ingest::{IngestOptions, InputSpec, ingest};
use arwatch::model::Currency;
use arwatch::report::pdf::canvas::Canvas;
use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Write;

const INVOICES: &str =
    "[columns]\nclient_id = \"client\"\ndocument_id = \"id\"\nissue_date = \"date\"\namount = \"amount\"\n";
const PAYMENTS: &str = "rows = \"payments\"\n[columns]\nclient_id = \"client\"\npayment_id = \"id\"\npayment_date = \"date\"\namount = \"amount\"\nreference = \"ref\"\n";

/// One client's invoices (`ids` gives each row's id) and payments, as two CSV inputs.
fn inputs(
    dir: &std::path::Path,
    n: usize,
    id: impl Fn(usize) -> String,
    payments: &[(usize, i64, String)],
) -> Vec<InputSpec> {
    let day = |k: usize| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days((k / 20) as i64);
    let mut inv = std::io::BufWriter::new(std::fs::File::create(dir.join("inv.csv")).unwrap());
    writeln!(inv, "client,id,date,amount").unwrap();
    for k in 0..n {
        writeln!(inv, "C1,{},{},{}.00", id(k), day(k), 100 + k % 7).unwrap();
    }
    let mut pay = std::io::BufWriter::new(std::fs::File::create(dir.join("pay.csv")).unwrap());
    writeln!(pay, "client,id,date,amount,ref").unwrap();
    for (k, (when, amount, reference)) in payments.iter().enumerate() {
        writeln!(pay, "C1,P{k},{},{amount}.00,{reference}", day(*when)).unwrap();
    }
    drop((inv, pay));
    let m = |t: &str| -> Mapping { toml::from_str(t).unwrap() };
    vec![
        InputSpec { path: dir.join("inv.csv"), mapping: m(INVOICES), snapshot: None },
        InputSpec { path: dir.join("pay.csv"), mapping: m(PAYMENTS), snapshot: None },
    ]
}

fn run(inputs: &[InputSpec]) {
    let ing = ingest(inputs, &IngestOptions::default(), &|_| {}).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    black_box(analyse(&ing.ledger, as_of, &Settings::default(), &Fx::none(Currency::EUR)).unwrap());
}

fn worst_cases(c: &mut Criterion) {
    let mut g = c.benchmark_group("worst cases");
    g.sample_size(10);
    for n in [10_000, 20_000] {
        let dir = tempfile::TempDir::new().unwrap();
        let reused = inputs(dir.path(), n, |_| "INV1".into(), &[]);
        g.bench_with_input(BenchmarkId::new("one id reused n times", n), &reused, |b, i| b.iter(|| run(i)));

        let dir = tempfile::TempDir::new().unwrap();
        // Every invoice paid, then n/4 reversals each undoing part of the latest settlements.
        let mut pays: Vec<(usize, i64, String)> = (0..n).map(|k| (k, 100 + (k % 7) as i64, format!("I{k}"))).collect();
        pays.extend((0..n / 4).map(|k| (n + k, -150, String::new())));
        let reversals = inputs(dir.path(), n, |k| format!("I{k}"), &pays);
        g.bench_with_input(BenchmarkId::new("reversals over n settled invoices", n), &reversals, |b, i| {
            b.iter(|| run(i))
        });

        let dir = tempfile::TempDir::new().unwrap();
        let unknown: Vec<(usize, i64, String)> = (0..n).map(|k| (k, 10, format!("NOPE{k}"))).collect();
        let refs = inputs(dir.path(), n, |k| format!("I{k}"), &unknown);
        g.bench_with_input(BenchmarkId::new("n payments to unknown invoices", n), &refs, |b, i| b.iter(|| run(i)));

        let dir = tempfile::TempDir::new().unwrap();
        let quoted = inputs(dir.path(), n, |k| format!("\"I\"\"{k}\"\"\""), &[]);
        g.bench_with_input(BenchmarkId::new("n rows of quoted fields", n), &quoted, |b, i| b.iter(|| run(i)));
    }
    let canvas = Canvas::new("t", "header", ("Page", "of"), false).unwrap();
    for n in [500_000, 1_000_000] {
        let text = "Zoë ".repeat(n / 4);
        g.bench_with_input(BenchmarkId::new("fit a cell of n characters", n), &text, |b, t| {
            b.iter(|| black_box(canvas.fit(t, 80.0, 10.0, false)))
        });
    }
    g.finish();
}

criterion_group!(benches, worst_cases);
criterion_main!(benches);
