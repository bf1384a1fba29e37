//! The Parquet outputs read back with polars and compared with the CSV files cell by cell, and
//! a batch's Parquet laid out hive-style.
#![cfg(feature = "parquet")]

mod common;

use common::{csv_rows, root, run};
use polars::prelude::*;
use std::path::Path;
use tempfile::TempDir;

/// `"-12.34"` as -1234: the CSV's money in minor units.
fn minor(s: &str) -> Option<i64> {
    let neg = s.starts_with('-');
    let (a, b) = s.trim_start_matches('-').split_once('.')?;
    let v = a.parse::<i64>().ok()? * 10i64.pow(b.len() as u32) + b.parse::<i64>().ok()?;
    Some(if neg { -v } else { v })
}

/// One CSV field against the Parquet value of the same cell.
fn same(csv: &str, pq: &AnyValue<'_>) -> bool {
    match pq {
        AnyValue::Null => csv.is_empty(),
        AnyValue::Int64(i) => csv.parse::<i64>().ok() == Some(*i) || minor(csv) == Some(*i),
        AnyValue::Float64(f) => csv.parse::<f64>().ok() == Some(*f),
        AnyValue::Boolean(b) => csv == b.to_string(),
        AnyValue::Date(d) => {
            let date = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(*d as i64);
            csv == date.to_string()
        }
        AnyValue::String(s) => csv == *s || csv.strip_prefix('\'') == Some(s),
        AnyValue::StringOwned(s) => csv == s.as_str() || csv.strip_prefix('\'') == Some(s.as_str()),
        other => panic!("unexpected Parquet value {other:?}"),
    }
}

fn compare(data: &Path, stem: &str) -> usize {
    let (header, rows) = csv_rows(&data.join(format!("{stem}.csv")));
    let df = ParquetReader::new(std::fs::File::open(data.join(format!("{stem}.parquet"))).unwrap()).finish().unwrap();
    let names: Vec<String> = df.get_column_names().iter().map(|n| n.to_string()).collect();
    assert_eq!(names, header, "{stem}: the same columns");
    assert_eq!(df.height(), rows.len(), "{stem}: the same rows");
    for (j, name) in header.iter().enumerate() {
        let s = df.column(name).unwrap().as_materialized_series().clone();
        for (i, row) in rows.iter().enumerate() {
            let v = s.get(i).unwrap();
            assert!(same(&row[j], &v), "{stem} row {i} {name}: CSV {:?}, Parquet {v:?}", row[j]);
        }
    }
    rows.len()
}

#[test]
fn every_data_file_as_parquet_equals_its_csv() {
    let out = TempDir::new().unwrap();
    let cfg = root().join("sample_data/arwatch.toml");
    let o = out.path().to_str().unwrap();
    assert_eq!(run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", o, "--as-of", "2026-09-30"]).code, 0);
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", o, "--parquet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let data = out.path().join("2026-10/data");
    let mut rows = 0;
    for stem in
        ["clients", "monthly", "open_items", "alerts", "opportunities", "actions", "handover", "rejected", "warnings"]
    {
        rows += compare(&data, stem);
    }
    assert!(rows > 4_000, "every file compared: {rows} rows");
    // Real types: money as integer cents, dates as dates.
    let df = ParquetReader::new(std::fs::File::open(data.join("open_items.parquet")).unwrap()).finish().unwrap();
    assert_eq!(df.column("open_amount").unwrap().dtype(), &DataType::Int64);
    assert_eq!(df.column("due_date").unwrap().dtype(), &DataType::Date);
    assert_eq!(df.column("disputed").unwrap().dtype(), &DataType::Boolean);
    let clients = ParquetReader::new(std::fs::File::open(data.join("clients.parquet")).unwrap()).finish().unwrap();
    assert_eq!(clients.column("dso_countback").unwrap().dtype(), &DataType::Float64);
    // Without --parquet, none.
    assert!(!out.path().join("2026-09/data/clients.parquet").exists());
}

#[test]
fn a_batch_gathers_its_parquet_hive_style() {
    let dir = TempDir::new().unwrap();
    let d = dir.path().join("p");
    assert_eq!(run(&["sample", "--portfolios", "2", "--out", d.to_str().unwrap()]).code, 0);
    let r = run(&["batch", d.join("manifest.toml").to_str().unwrap(), "--parquet"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    for name in ["creditor-01", "creditor-02"] {
        let part = d.join(format!("batch/parquet/clients/portfolio={name}/as_of=2026-10-31/part-0.parquet"));
        let df = ParquetReader::new(std::fs::File::open(&part).unwrap()).finish().unwrap();
        let (_, csv) = csv_rows(&d.join(format!("batch/{name}/2026-10/data/clients.csv")));
        assert_eq!(df.height(), csv.len(), "{}", part.display());
        assert!(d.join(format!("batch/parquet/monthly/portfolio={name}/as_of=2026-10-31/part-0.parquet")).exists());
    }
}
