//! Criterion benches of the hot paths: parsing numbers and dates, ingesting a CSV, and the
//! analytics over a ledger. The end-to-end comparison with DuckDB is `benches/scale/run.sh`.

use arwatch::analytics::{Settings, analyse};
use arwatch::ingest::mapping::Mapping;
use arwatch::ingest::parse::{DateFormat, NumberFormat, parse_amount};
use arwatch::ingest::{IngestOptions, InputSpec, ingest};
use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Write;

const ROWS: usize = 100_000;

/// A canonical invoices file of `ROWS` rows and a payments file paying most of them.
fn write_inputs(dir: &std::path::Path) -> Vec<InputSpec> {
    let mut inv = std::io::BufWriter::new(std::fs::File::create(dir.join("invoices.csv")).unwrap());
    let mut pay = std::io::BufWriter::new(std::fs::File::create(dir.join("payments.csv")).unwrap());
    writeln!(inv, "client_id,client_name,document_id,issue_date,due_date,amount,currency").unwrap();
    writeln!(pay, "payment_id,client_id,payment_date,amount,currency,ref_document_id").unwrap();
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for i in 0..ROWS {
        let issue = start + chrono::Duration::days((i % 1000) as i64);
        let due = issue + chrono::Duration::days(30);
        let client = i % 500;
        let cents = 10_000 + (i * 7919) % 500_000;
        writeln!(inv, "C{client:05},Client {client},INV{i:09},{issue},{due},{}.{:02},EUR", cents / 100, cents % 100)
            .unwrap();
        if i % 10 != 0 {
            let paid = due + chrono::Duration::days((i % 40) as i64 - 10);
            writeln!(pay, "P{i:09},C{client:05},{paid},{}.{:02},EUR,INV{i:09}", cents / 100, cents % 100).unwrap();
        }
    }
    drop((inv, pay));
    let mapping = |rows: &str, cols: &str| -> Mapping {
        toml::from_str(&format!(
            "rows = \"{rows}\"\ndelimiter = \",\"\ndate_formats = [\"%Y-%m-%d\"]\n[columns]\n{cols}"
        ))
        .unwrap()
    };
    vec![
        InputSpec {
            path: dir.join("invoices.csv"),
            mapping: mapping(
                "invoices",
                "client_id = \"client_id\"\nclient_name = \"client_name\"\ndocument_id = \"document_id\"\nissue_date = \"issue_date\"\ndue_date = \"due_date\"\namount = \"amount\"\ncurrency = \"currency\"\n",
            ),
            snapshot: None,
        },
        InputSpec {
            path: dir.join("payments.csv"),
            mapping: mapping(
                "payments",
                "payment_id = \"payment_id\"\nclient_id = \"client_id\"\npayment_date = \"payment_date\"\namount = \"amount\"\ncurrency = \"currency\"\nreference = \"ref_document_id\"\n",
            ),
            snapshot: None,
        },
    ]
}

fn parsing(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    let values = ["1.234,56", "3,98,422.10", "12,5", "(1.250,00)", "€ 99,95"];
    g.throughput(Throughput::Elements(values.len() as u64));
    g.bench_function("amounts", |b| {
        b.iter(|| {
            for v in values {
                let _ = black_box(parse_amount(black_box(v), NumberFormat { decimal: ',' }, 2));
            }
        })
    });
    let iso = DateFormat::pattern("%Y-%m-%d");
    let dmy = DateFormat::pattern("%d/%m/%Y");
    g.throughput(Throughput::Elements(2));
    g.bench_function("dates", |b| {
        b.iter(|| {
            black_box(iso.parse_text(black_box("2026-10-31")));
            black_box(dmy.parse_text(black_box("31/10/2026")));
        })
    });
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let dir = tempfile::TempDir::new().unwrap();
    let inputs = write_inputs(dir.path());
    let opts = IngestOptions::default();
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    g.throughput(Throughput::Elements((ROWS + ROWS * 9 / 10) as u64));
    g.bench_function("ingest 100k invoices + 90k payments", |b| {
        b.iter(|| black_box(ingest(&inputs, &opts, &|_| {}).unwrap()))
    });
    let ledger = ingest(&inputs, &opts, &|_| {}).unwrap().ledger;
    let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let fx = arwatch::fx::Fx::none(arwatch::model::Currency::EUR);
    g.bench_function("analyse 100k invoices", |b| {
        b.iter(|| black_box(analyse(&ledger, as_of, &Settings::default(), &fx).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, parsing, pipeline);
criterion_main!(benches);
