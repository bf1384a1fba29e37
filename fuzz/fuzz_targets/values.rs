//! Fuzz target `values`: see arwatch::fuzz::values and docs/fuzzing.md.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| arwatch::fuzz::values(data));
