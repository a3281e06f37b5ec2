//! Any bytes as a map file: an error or a valid map, never a panic; a map that loads saves
//! and loads again to the same document.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = journeymap::io::from_json_str(text, "fuzz.json") {
        let saved = journeymap::io::to_json_string(&doc);
        let again = journeymap::io::from_json_str(&saved, "again.json").expect("a saved map loads");
        assert_eq!(again, doc);
    }
});
