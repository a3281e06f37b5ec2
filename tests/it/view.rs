//! The one view spec: export settings remembered as they always were.

use journeymap::export::{Format, Page, Size};
use journeymap::theme::ThemeKind;

/// Export settings remembered before the view became one value (eframe keeps them as RON,
/// each setting a field of its own) still open after it, and are written back so that they
/// open again the same.
#[test]
fn remembered_export_settings_read_as_before() {
    use journeymap::ui::ExportSettings;
    #[derive(Default)]
    struct Memory(std::collections::HashMap<String, String>);
    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }
    let mut storage = Memory::default();
    // Exactly as the settings were stored before (ron writes a struct in parentheses).
    eframe::Storage::set_string(
        &mut storage,
        "export",
        r#"(opts:(format:Pdf,size:Width(2000),theme:Dark,page:A3,text_scale:1.5,colour_by:Metric("CSAT"),executive:true,chart:true),path:"/maps/bill.pdf")"#.into(),
    );
    let read: ExportSettings =
        eframe::get_value(&storage, "export").expect("the old settings read");
    assert_eq!(read.path, "/maps/bill.pdf");
    assert_eq!(read.opts.format, Format::Pdf);
    assert_eq!(read.opts.size, Size::Width(2000));
    assert_eq!(read.opts.page, Page::A3);
    let v = &read.opts.view;
    assert_eq!(v.theme, ThemeKind::Dark);
    assert!((v.text_scale - 1.5).abs() < 1e-6);
    assert_eq!(
        v.colour_by,
        journeymap::render::ColourBy::Metric("CSAT".into())
    );
    assert!(v.executive && v.chart);
    // What is not remembered is an export's own: every line, notes numbered, no comparison.
    assert_eq!(v.clamp_lines, None);
    assert!(v.notes && v.descriptions && !v.add_slots && v.compare.is_none());
    eframe::set_value(&mut storage, "export", &read);
    let again: ExportSettings = eframe::get_value(&storage, "export").expect("written back");
    assert_eq!(again, read);
    // Settings with only some fields (older still) take the defaults for the rest.
    eframe::Storage::set_string(
        &mut storage,
        "export",
        "(opts:(format:Svg),path:\"\")".into(),
    );
    let few: ExportSettings = eframe::get_value(&storage, "export").expect("few fields read");
    assert_eq!(few.opts.format, Format::Svg);
    assert_eq!(few.opts.view, journeymap::view::View::default());
}
