//! Maps as CSV tables: export → import round trips, what spreadsheets write (a BOM, `;`,
//! decimal commas, quoted line breaks), and errors that name row and column.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::{Path, PathBuf};

use journeymap::io::{LoadError, table};
use journeymap::model::{Document, LaneKind};

use crate::common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Everything a table carries about a card, by names (ids differ after an import).
fn cards(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for stage in &doc.stages {
        for lane in &doc.lanes {
            for c in doc.cell_cards(stage.id, lane.id) {
                let personas: Vec<&str> = c
                    .personas
                    .iter()
                    .map(|id| doc.persona(*id).unwrap().name.as_str())
                    .collect();
                out.push(format!(
                    "{} | {} ({:?}) | {:?} | {:?} {:?} | {:?} | {:?} {:?} | {:?} | {} | {:?} | {:?} | {:?}",
                    stage.name,
                    lane.name,
                    lane.kind,
                    c.text,
                    c.channel,
                    c.channel_name,
                    c.owner,
                    c.severity,
                    c.priority,
                    c.evidence,
                    c.moment_of_truth,
                    c.note,
                    c.metrics,
                    personas
                ));
            }
        }
    }
    out
}

fn names(doc: &Document) -> (Vec<String>, Vec<(String, LaneKind)>) {
    (
        doc.stages.iter().map(|s| s.name.clone()).collect(),
        doc.lanes
            .iter()
            .filter(|l| l.kind.holds_cards())
            .map(|l| (l.name.clone(), l.kind))
            .collect(),
    )
}

#[test]
fn every_example_round_trips_through_a_table() {
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let (doc, _) = journeymap::io::load(&path).unwrap();
        let bytes = table::export(&doc);
        assert!(bytes.starts_with("\u{feff}stage,lane,lane kind,text,".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        let back = table::import(&text, "map.csv")
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
            .doc;
        assert_eq!(names(&back), names(&doc), "{}", path.display());
        assert_eq!(cards(&back), cards(&doc), "{}", path.display());
        // Once more: a table of the imported map is the same table.
        assert_eq!(
            String::from_utf8(table::export(&back)).unwrap(),
            text,
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 4);
}

#[test]
fn cells_a_spreadsheet_would_run_as_formulas_are_guarded_and_come_back_exactly() {
    let (mut doc, _) =
        journeymap::io::load(&root().join("examples/surprise-bill.journeymap.json")).unwrap();
    let texts = [
        "=HYPERLINK(\"http://evil.example\",\"Click\")",
        "+1 555 0100",
        "-2 dollars on the bill",
        "@SUM(A1:A9)",
        "\tindented",
        "'quoted",
        "'=already guarded",
        "plain text",
    ];
    assert!(doc.cards.len() >= texts.len());
    for (card, text) in doc.cards.iter_mut().zip(texts) {
        let card = std::sync::Arc::make_mut(card);
        card.text = text.to_owned();
        card.owner = format!("={text}");
        card.note = format!("-{text}");
    }
    doc.stages[0].name = "=cmd|' /C calc'!A0".to_owned();
    let bytes = table::export(&doc);
    // Read as a spreadsheet would, independently of our reader: no cell may start a formula.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let mut cells = 0;
    for record in reader.records() {
        for cell in &record.unwrap() {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    assert!(cells > 100);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http"), "{text}");
    assert!(text.contains(",'+1 555 0100,"), "{text}");
    assert!(text.contains(",''quoted,"), "{text}");
    assert!(text.contains(",plain text,"), "{text}");
    let back = table::import(&text, "map.csv").unwrap().doc;
    assert_eq!(names(&back), names(&doc));
    assert_eq!(cards(&back), cards(&doc));
    for text in texts {
        assert!(
            back.cards.iter().any(|c| c.text == text),
            "{text:?} came back"
        );
    }
    // A hand-written cell that starts with ' and no formula keeps its quote.
    let hand = "stage,text\nOne,'tis the season\nTwo,'-3\n";
    let doc = table::import(hand, "hand.csv").unwrap().doc;
    assert_eq!(doc.cards[0].text, "'tis the season");
    assert_eq!(doc.cards[1].text, "-3");
}

#[test]
fn what_a_spreadsheet_writes_is_read() {
    // Excel in a comma-decimal locale: a BOM, ";" between cells, CRLF, "3,5" for 3.5, quoted
    // cells with the separator, quotes and a line break in them; columns in another order
    // with other spellings, an unknown column, and a blank row.
    let text = "\u{feff}Text;Stage;Lane_Kind;Severity;Metric: CSAT;Moment of truth;Respondent\r\n\
                \"Bill is \"\"higher\"\"; why?\";First bill;Pain points;3;2,5;;x\r\n\
                ;;;;;;\r\n\
                \"Calls\r\nsupport\";Call support;actions;;4;yes;y\r\n";
    let imported = table::import(text, "excel.csv").unwrap();
    let doc = &imported.doc;
    assert_eq!(
        names(doc).0,
        ["First bill", "Call support"],
        "stages in first-seen order"
    );
    assert_eq!(
        names(doc).1,
        [
            ("Pain points".to_owned(), LaneKind::PainPoints),
            ("Actions".to_owned(), LaneKind::Actions)
        ]
    );
    assert_eq!(doc.cards.len(), 2);
    assert_eq!(doc.cards[0].text, "Bill is \"higher\"; why?");
    assert_eq!(doc.cards[0].severity, Some(3));
    assert_eq!(doc.cards[0].metric("CSAT"), Some(2.5));
    assert!(!doc.cards[0].moment_of_truth);
    assert_eq!(doc.cards[1].text, "Calls\r\nsupport");
    assert!(doc.cards[1].moment_of_truth);
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert!(
        imported.warnings[0].contains("column G"),
        "{:?}",
        imported.warnings
    );
    // The emotion lane sits after the customer's lanes.
    let kinds: Vec<LaneKind> = doc.lanes.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [LaneKind::PainPoints, LaneKind::Actions, LaneKind::Emotion]
    );
}

#[test]
fn a_bad_row_is_named_by_row_and_column() {
    let cases = [
        (
            "stage,text,severity\nA,ok,2\nB,bad,high\n",
            "row 3, column C (severity)",
        ),
        (
            "stage,lane kind,text\nA,feelings,x\n",
            "row 2, column B (lane kind)",
        ),
        ("stage,lane kind,text\nA,emotion,x\n", "row 2, column B"),
        (
            "text,stage,metric:NPS\nx,A,9\ny,B,lots\n",
            "row 3, column C (metric:NPS)",
        ),
        ("stage,text\nA,x\n,y\n", "row 3, column A (stage)"),
        (
            "stage,text,moment of truth\nA,x,maybe\n",
            "row 2, column C (moment of truth)",
        ),
        (
            "stage,text,evidence\nA,x,rumour\n",
            "row 2, column C (evidence)",
        ),
        ("text,owner\nx,y\n", "no \u{201c}stage\u{201d} column"),
        ("stage,text,stage\nA,x,B\n", "a second"),
        ("", "empty"),
        ("stage,text\n", "no rows"),
    ];
    for (text, wanted) in cases {
        match table::import(text, "t.csv") {
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.contains(wanted), "{text:?}: {msg}");
                assert!(msg.starts_with("t.csv"), "{msg}");
            }
            Ok(_) => panic!("{text:?} was accepted"),
        }
    }
    // A quote left open would swallow the rest of the file into one card: refused, with the
    // line it was opened on.
    let e = table::import("stage,text\nA,ok\nB,\"open\nC,lost\nD,lost too\n", "t.csv").unwrap_err();
    assert!(matches!(e, LoadError::Syntax { line: 3, .. }), "{e}");
    assert!(e.to_string().contains("never closed"), "{e}");
    // An escaped quote ("") inside a quoted cell is no such thing.
    let ok = table::import("stage,text\nA,\"say \"\"hi\"\"\"\n", "t.csv").unwrap();
    assert_eq!(ok.doc.cards[0].text, "say \"hi\"");
}

#[test]
fn extra_cells_and_ambiguous_numbers_are_refused_not_shifted() {
    // An unquoted comma inside a value makes one cell too many: every cell after it would
    // land in the wrong column (CSAT 3, owner "5", Billing lost).
    let e = table::import("stage,text,metric:CSAT,owner\nA,t1,3,5,Billing\n", "t.csv").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("row 2 has 5 cells but the header names 4 columns"),
        "{msg}"
    );
    // Empty cells past the last column (a trailing separator) are fine.
    let ok = table::import("stage,text,owner\nA,t1,Billing,,\n", "t.csv").unwrap();
    assert_eq!(ok.doc.cards[0].owner, "Billing");
    // "1,234" may be a thousand or a decimal: not guessed. "3,5" is a decimal comma.
    let e = table::import("stage,text,metric:Calls\nA,t1,\"1,234\"\n", "t.csv").unwrap_err();
    assert!(e.to_string().contains("row 2, column C"), "{e}");
    let ok = table::import("stage,text,metric:CSAT\nA,t1,\"3,5\"\n", "t.csv").unwrap();
    assert!((ok.doc.cards[0].metrics[0].value - 3.5).abs() < 1e-9);
}

#[test]
fn the_command_line_exports_and_imports_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sample = root().join("examples/surprise-bill.journeymap.json");
    let csv = dir.join("bill.csv");
    let out = common::bin()
        .arg("export")
        .arg(&sample)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let map = dir.join("bill.json");
    let out = common::bin()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&map)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (doc, _) = journeymap::io::load(&map).unwrap();
    let (orig, _) = journeymap::io::load(&sample).unwrap();
    assert_eq!(cards(&doc), cards(&orig));

    // A bad table: exit 1, the row and column named, nothing written.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "stage,text,priority\nA,x,7\n").unwrap();
    let target = dir.join("bad.json");
    let out = common::bin()
        .arg("import")
        .arg(&bad)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("row 2, column C (priority)"), "{err}");
    assert!(!target.exists());
    // Exporting a table onto the map it comes from is refused.
    let out = common::bin()
        .arg("export")
        .arg(&map)
        .arg(&map)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(journeymap::io::load(Path::new(&map)).is_ok());
}

#[test]
fn a_table_of_too_many_lanes_says_how_many_card_lanes_a_map_takes() {
    let max = journeymap::model::limits::MAX_LANES;
    let lanes = |n: usize| {
        (0..n).fold(String::new(), |mut r, i| {
            use std::fmt::Write as _;
            let _ = writeln!(r, "A,lane {i},x");
            r
        })
    };
    let rows = lanes(max);
    let e = table::import(&format!("stage,lane,text\n{rows}"), "t.csv").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains(&format!("more than {} card lanes", max - 1)),
        "{msg}"
    );
    // As many as fit are read, with the emotion lane beside them.
    let rows = lanes(max - 1);
    let ok = table::import(&format!("stage,lane,text\n{rows}"), "t.csv").unwrap();
    assert_eq!(ok.doc.lanes.len(), max);
}

/// Importers make their maps through the edit core's ops (issue 15): ids are random and
/// minted there, so two imports of one file (or of two files) share none — they were 1, 2,
/// 3 … in both before — and the order of the rows becomes order keys, increasing in a cell.
#[test]
fn imports_mint_fresh_ids_through_ops() {
    use std::collections::HashSet;
    let csv = "stage,lane,text,personas\nFind,Actions,Search,Ann\nFind,Actions,Call,Ann;Bo\nFind,Actions,Visit,\nPay,Pain points,Fees,Bo\n";
    let mmd = "journey\n  title T\n  section Find\n    Search: 3: Ann\n    Call: 1: Ann, Bo\n  section Pay\n    Fees: 2: Bo\n";
    let maps = [
        table::import(csv, "a.csv").unwrap().doc,
        table::import(csv, "a.csv").unwrap().doc,
        journeymap::io::mermaid::import(mmd, "a.mmd").unwrap().doc,
        journeymap::io::mermaid::import(mmd, "a.mmd").unwrap().doc,
    ];
    let mut seen: HashSet<u64> = HashSet::new();
    for doc in &maps {
        doc.validate().unwrap();
        let ids: Vec<u64> = doc.all_ids().collect();
        assert!(ids.len() > 10);
        // Random 53-bit ids: none small (an id under 2^32 has odds of 1 in 2^21).
        assert!(ids.iter().all(|id| *id > u64::from(u32::MAX)), "{ids:?}");
        for id in ids {
            assert!(seen.insert(id), "id {id} given out twice");
        }
        let find = doc.stages[0].id;
        let actions = doc
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Actions)
            .unwrap()
            .id;
        let cell: Vec<(&str, &str)> = doc
            .cell_cards(find, actions)
            .map(|c| (c.text.as_str(), c.pos.as_str()))
            .collect();
        assert_eq!(cell.len(), if doc.cards.len() == 4 { 3 } else { 2 });
        assert_eq!(cell[0].0, "Search");
        assert!(cell.windows(2).all(|w| w[0].1 < w[1].1), "{cell:?}");
    }
    // The Mermaid map: its scores are points on the first persona's curve.
    let m = &maps[2];
    let curve = &m.emotion.curves[0];
    assert_eq!(curve.points.len(), 3);
    assert_eq!(m.persona(curve.persona.unwrap()).unwrap().name, "Ann");
}
