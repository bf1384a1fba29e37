//! Fuzz target `workbook`: see arwatch::fuzz::workbook and docs/fuzzing.md.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    arwatch::fuzz::workbook(data);
});
