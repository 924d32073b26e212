#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| avochato_fuzz::run(avochato_fuzz::Target::Phone, data));
