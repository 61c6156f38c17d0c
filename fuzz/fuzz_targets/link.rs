//! Untrusted stored state: any text as a share link (or a saved run), and any text as a lesson file. Decoding must
//! never panic and must name what is wrong; a link that decodes must open (replay) without panicking. Inputs that
//! start with `{` are taken as the link's JSON and packed first, so the fuzzer reaches past the compression.
#![no_main]

use kubeplay::scenario::lesson;
use kubeplay::scenario::link::{pack, Link};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(rest) = text.strip_prefix("lesson:") {
        if let Err(e) = lesson::parse("fuzz.yaml", rest) {
            assert!(e.to_string().starts_with("lessons/fuzz.yaml"), "{e}");
        }
        return;
    }
    let fragment = if text.starts_with('{') { pack(text.as_bytes()) } else { text.to_string() };
    match Link::decode(&fragment) {
        // Replaying is bounded by the decoder's limits; keep each execution short.
        Ok(link) if link.at <= 10 * 60 * 1000 && link.log.len() <= 50 => {
            let _ = link.open();
        }
        Ok(_) => {}
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
