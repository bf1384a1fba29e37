//! Fuzz target `config`: see arwatch::fuzz::config and docs/fuzzing.md.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| arwatch::fuzz::config(data));
