//! Any text as a CSV table: an error or a map; a map exports to a table that imports to the
//! same cards, with the same texts.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = journeymap::io::table::import(text, "fuzz.csv") {
        let out = journeymap::io::table::export(&imported.doc);
        let out = String::from_utf8(out).expect("tables are UTF-8");
        let again = journeymap::io::table::import(&out, "again.csv").expect("our table reads back");
        assert_eq!(again.doc.cards.len(), imported.doc.cards.len());
        assert_eq!(again.doc.stages.len(), imported.doc.stages.len());
        // Texts come back exactly (the formula guard is undone on reading).
        let texts = |d: &journeymap::model::Document| {
            let mut t: Vec<String> = d.cards.iter().map(|c| c.text.clone()).collect();
            t.sort();
            t
        };
        assert_eq!(texts(&again.doc), texts(&imported.doc));
    }
});
