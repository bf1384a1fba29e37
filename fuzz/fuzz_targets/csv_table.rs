//! Fuzz target `csv_table`: see arwatch::fuzz::csv_table and docs/fuzzing.md.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    arwatch::fuzz::csv_table(data);
});
