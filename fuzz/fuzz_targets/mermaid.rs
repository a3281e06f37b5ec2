//! Any text as a Mermaid journey: an error or a map; a map exports to Mermaid text that reads
//! back with the same stages and cards.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = journeymap::io::mermaid::import(text, "fuzz.mmd") {
        let out = journeymap::io::mermaid::export(&imported.doc);
        let again =
            journeymap::io::mermaid::import(&out, "again.mmd").expect("our Mermaid reads back");
        assert_eq!(again.doc.stages.len(), imported.doc.stages.len());
        assert_eq!(again.doc.cards.len(), imported.doc.cards.len());
    }
});
