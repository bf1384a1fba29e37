//! arwatch watches a company's accounts receivable: it ingests accounting exports and
//! credit-bureau snapshots, computes aging, the DSO family and payment behaviour per client,
//! and writes data files and reports. The binary is a thin shell over this library.

#![warn(missing_docs)]

pub mod analytics;
pub mod batch;
pub mod bureau;
pub mod cli;
pub mod collection;
pub mod command;
pub mod config;
pub mod console;
pub mod exit;
pub mod exit_code;
pub mod fuzz;
pub mod fx;
pub mod ingest;
pub mod launcher;
pub mod locale;
pub mod mapper;
pub mod memory;
pub mod model;
pub mod monitor;
pub mod notify;
pub mod output;
pub mod pipeline;
pub mod platform;
pub mod pool;
pub mod report;
pub mod sample;
pub mod stopwatch;
pub mod toml_source;
