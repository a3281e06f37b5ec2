//! Every user action with its label and shortcuts: menus, shortcuts, the context menu, the
//! keyboard-shortcuts window and the README read this one table.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::{Channel, NO_CHANNEL_KEY};

/// A user action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// New map.
    New,
    /// Open a map through the dialog.
    Open,
    /// Open a map by typing its path.
    OpenPath,
    /// Every map in a folder: tiles, search across them.
    OpenFolder,
    /// Read a Mermaid journey or a CSV table into a new map.
    Import,
    /// Read survey results and rank the touchpoints (driver analysis).
    ImportSurvey,
    /// Show or hide the drivers panel.
    DriversPanel,
    /// Read the metrics that name a data source again.
    RefreshMetrics,
    /// Show or hide the list of what a merge left to settle.
    MergeConflicts,
    /// Save.
    Save,
    /// Save under a new name.
    SaveAs,
    /// Save under a typed path.
    SaveAsPath,
    /// Save the map as it is now as a named version (beside its file).
    SaveVersion,
    /// Browse, compare and restore the map's saved versions.
    Versions,
    /// Show the map with what changed since another map or version marked on it.
    CompareWith,
    /// The compare view against the map this one is based on (current vs future state).
    ShowBase,
    /// Export as PNG, SVG or PDF (opens the export dialog).
    Export,
    /// Repeat the last export.
    ExportAgain,
    /// Share the open map live: host a workshop (or show the workshop window).
    HostWorkshop,
    /// Join someone's workshop by its address.
    JoinWorkshop,
    /// Close the window (asking about unsaved changes).
    Quit,
    /// Undo.
    Undo,
    /// Redo.
    Redo,
    /// Copy the selected cards.
    Copy,
    /// Cut the selected cards.
    Cut,
    /// Paste cards (or lines of text as cards).
    Paste,
    /// Duplicate the selected cards.
    Duplicate,
    /// Delete the selection.
    Delete,
    /// Select every card.
    SelectAll,
    /// Edit the selected card's text (or start a new card in the selected cell).
    EditCard,
    /// Insert a stage after the selected one (or at the end) and name it.
    InsertStage,
    /// Link the selected card to another (click the other next).
    LinkTo,
    /// Link the selected card to a card or stage in another map.
    LinkToMap,
    /// Go back to the map a link to another map was followed from.
    BackToMap,
    /// Show only what an executive session needs (or the whole map again).
    ExecutiveView,
    /// Set (or clear) the channel of the selected cards, or of the card being typed.
    SetChannel(Option<Channel>),
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Zoom to 100 %.
    ZoomReset,
    /// Zoom so the whole map fits.
    ZoomFit,
    /// Larger text on the canvas (re-wraps cards).
    TextLarger,
    /// Smaller text on the canvas.
    TextSmaller,
    /// Text at 100 %.
    TextReset,
    /// Dark or light map.
    DarkMap,
    /// Show or hide the side panel.
    ToggleInspector,
    /// Full screen on or off.
    FullScreen,
    /// Present the map to a room (full screen, stage by stage).
    Present,
    /// Presenting: the next stage.
    NextStage,
    /// Presenting: the previous stage.
    PreviousStage,
    /// Presenting: the whole map.
    WholeMap,
    /// Presenting: further down the lanes of the stage shown.
    LanesDown,
    /// Presenting: back up the lanes.
    LanesUp,
    /// Show the keyboard shortcuts.
    Shortcuts,
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};
const NONE: Modifiers = Modifiers::NONE;

/// The egui key of a channel's letter.
fn letter_key(c: char) -> Option<Key> {
    Key::from_name(&c.to_ascii_uppercase().to_string())
}

impl Action {
    /// Every action, in the order the shortcuts window lists them.
    #[must_use]
    pub fn all() -> &'static [Action] {
        static ALL: std::sync::OnceLock<Vec<Action>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| {
            let mut v = vec![
                Action::New,
                Action::Open,
                Action::OpenPath,
                Action::OpenFolder,
                Action::Import,
                Action::ImportSurvey,
                Action::DriversPanel,
                Action::RefreshMetrics,
                Action::MergeConflicts,
                Action::Save,
                Action::SaveAs,
                Action::SaveAsPath,
                Action::SaveVersion,
                Action::Versions,
                Action::CompareWith,
                Action::ShowBase,
                Action::Export,
                Action::ExportAgain,
                Action::HostWorkshop,
                Action::JoinWorkshop,
                Action::Quit,
                Action::Undo,
                Action::Redo,
                Action::Copy,
                Action::Cut,
                Action::Paste,
                Action::Duplicate,
                Action::Delete,
                Action::SelectAll,
                Action::EditCard,
                Action::InsertStage,
                Action::LinkTo,
                Action::LinkToMap,
                Action::BackToMap,
            ];
            v.extend(Channel::ALL.iter().map(|c| Action::SetChannel(Some(*c))));
            v.push(Action::SetChannel(None));
            v.extend([
                Action::ZoomIn,
                Action::ZoomOut,
                Action::ZoomReset,
                Action::ZoomFit,
                Action::TextLarger,
                Action::TextSmaller,
                Action::TextReset,
                Action::DarkMap,
                Action::ExecutiveView,
                Action::ToggleInspector,
                Action::FullScreen,
                Action::Present,
                Action::NextStage,
                Action::PreviousStage,
                Action::WholeMap,
                Action::LanesDown,
                Action::LanesUp,
                Action::Shortcuts,
            ]);
            v
        })
    }

    /// Menu label.
    #[must_use]
    pub fn label(self) -> String {
        let s = match self {
            Action::New => "New",
            Action::Open => "Open…",
            Action::OpenPath => "Open path…",
            Action::OpenFolder => "Open folder…",
            Action::Import => "Import…",
            Action::ImportSurvey => "Import survey…",
            Action::DriversPanel => "Which touchpoints matter",
            Action::MergeConflicts => "Merge conflicts",
            Action::RefreshMetrics => "Refresh metrics from data",
            Action::Save => "Save",
            Action::SaveAs => "Save As…",
            Action::SaveAsPath => "Save as path…",
            Action::SaveVersion => "Save version…",
            Action::Versions => "Versions…",
            Action::CompareWith => "Compare with…",
            Action::ShowBase => "Show changes from base",
            Action::Export => "Export…",
            Action::ExportAgain => "Export again",
            Action::HostWorkshop => "Host workshop…",
            Action::JoinWorkshop => "Join workshop…",
            Action::Quit => "Quit",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Copy => "Copy",
            Action::Cut => "Cut",
            Action::Paste => "Paste",
            Action::Duplicate => "Duplicate",
            Action::Delete => "Delete",
            Action::SelectAll => "Select all cards",
            Action::EditCard => "Edit card",
            Action::InsertStage => "Insert stage after",
            Action::LinkTo => "Link to…",
            Action::LinkToMap => "Link to another map…",
            Action::BackToMap => "Back to the previous map",
            Action::ExecutiveView => "Executive view",
            Action::SetChannel(Some(c)) => return format!("Channel: {}", c.label()),
            Action::SetChannel(None) => "No channel",
            Action::ZoomIn => "Zoom in",
            Action::ZoomOut => "Zoom out",
            Action::ZoomReset => "Zoom to 100 %",
            Action::ZoomFit => "Zoom to fit",
            Action::TextLarger => "Larger text",
            Action::TextSmaller => "Smaller text",
            Action::TextReset => "Text at 100 %",
            Action::DarkMap => "Dark map",
            Action::ToggleInspector => "Side panel",
            Action::FullScreen => "Full screen",
            Action::Present => "Present",
            Action::NextStage => "Next stage (presenting)",
            Action::PreviousStage => "Previous stage (presenting)",
            Action::WholeMap => "Whole map (presenting)",
            Action::LanesDown => "Down the lanes (presenting)",
            Action::LanesUp => "Up the lanes (presenting)",
            Action::Shortcuts => "Keyboard shortcuts",
        };
        s.to_owned()
    }

    /// Shortcuts, the first shown in menus. Copy, cut and paste arrive as clipboard events.
    #[must_use]
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        let k = KeyboardShortcut::new;
        match self {
            Action::New => vec![k(CTRL, Key::N)],
            Action::Open => vec![k(CTRL, Key::O)],
            Action::OpenPath => vec![k(CTRL_SHIFT, Key::O)],
            Action::Import => vec![k(CTRL_SHIFT, Key::I)],
            Action::Save => vec![k(CTRL, Key::S)],
            Action::SaveAs => vec![k(CTRL_SHIFT, Key::S)],
            Action::SaveAsPath
            | Action::OpenFolder
            | Action::SaveVersion
            | Action::Versions
            | Action::CompareWith
            | Action::ShowBase
            | Action::LinkToMap
            | Action::ImportSurvey
            | Action::DriversPanel
            | Action::MergeConflicts
            | Action::RefreshMetrics
            | Action::HostWorkshop
            | Action::JoinWorkshop => Vec::new(),
            Action::Export => vec![k(CTRL, Key::E)],
            Action::ExportAgain => vec![k(CTRL_SHIFT, Key::E)],
            Action::Quit => vec![k(CTRL, Key::Q)],
            Action::Undo => vec![k(CTRL, Key::Z)],
            Action::Redo => vec![k(CTRL_SHIFT, Key::Z), k(CTRL, Key::Y)],
            Action::Copy => vec![k(CTRL, Key::C)],
            Action::Cut => vec![k(CTRL, Key::X)],
            Action::Paste => vec![k(CTRL, Key::V)],
            Action::Duplicate => vec![k(CTRL, Key::D)],
            Action::Delete => vec![k(NONE, Key::Delete), k(NONE, Key::Backspace)],
            Action::SelectAll => vec![k(CTRL, Key::A)],
            Action::EditCard => vec![k(NONE, Key::F2), k(NONE, Key::Enter)],
            Action::InsertStage => vec![k(CTRL_SHIFT, Key::N), k(NONE, Key::Insert)],
            Action::LinkTo => vec![k(CTRL, Key::L)],
            // As in a web browser.
            Action::BackToMap => vec![k(Modifiers::ALT, Key::ArrowLeft)],
            Action::ExecutiveView => vec![k(CTRL_SHIFT, Key::X)],
            Action::SetChannel(c) => letter_key(c.map_or(NO_CHANNEL_KEY, Channel::key))
                .map(|key| k(Modifiers::ALT, key))
                .into_iter()
                .collect(),
            // Taken from egui's own UI-zoom keys, which the app turns off for itself.
            Action::ZoomIn => vec![
                egui::gui_zoom::kb_shortcuts::ZOOM_IN,
                egui::gui_zoom::kb_shortcuts::ZOOM_IN_SECONDARY,
            ],
            Action::ZoomOut => vec![egui::gui_zoom::kb_shortcuts::ZOOM_OUT],
            Action::ZoomReset => vec![egui::gui_zoom::kb_shortcuts::ZOOM_RESET],
            // Shift+1 arrives as "!" on most layouts: matched by the physical key too.
            Action::ZoomFit => vec![k(Modifiers::SHIFT, Key::Num1), k(CTRL, Key::Num9)],
            Action::TextLarger | Action::TextSmaller | Action::TextReset | Action::DarkMap => {
                Vec::new()
            }
            Action::ToggleInspector => vec![k(CTRL, Key::B)],
            Action::FullScreen => vec![k(NONE, Key::F11)],
            Action::Present => vec![k(NONE, Key::F5)],
            // Page Down/Up: what a presenter's clicker sends.
            Action::NextStage => vec![
                k(NONE, Key::ArrowRight),
                k(NONE, Key::Space),
                k(NONE, Key::PageDown),
            ],
            Action::PreviousStage => vec![k(NONE, Key::ArrowLeft), k(NONE, Key::PageUp)],
            Action::WholeMap => vec![k(NONE, Key::Home)],
            Action::LanesDown => vec![k(NONE, Key::ArrowDown)],
            Action::LanesUp => vec![k(NONE, Key::ArrowUp)],
            Action::Shortcuts => vec![k(NONE, Key::F1)],
        }
    }

    /// Whether the action only applies while presenting (its keys mean other things in the
    /// editor).
    #[must_use]
    pub fn presenting_only(self) -> bool {
        matches!(
            self,
            Action::NextStage
                | Action::PreviousStage
                | Action::WholeMap
                | Action::LanesDown
                | Action::LanesUp
        )
    }

    /// Every key shortcut with its action (clipboard ones excluded), in the order to match
    /// them: egui ignores extra Shift/Alt when matching, so shortcuts with more modifiers come
    /// first (Ctrl+Shift+Z is redo, not undo). Computed once.
    #[must_use]
    pub fn key_shortcuts() -> &'static [(Action, KeyboardShortcut)] {
        static ORDERED: std::sync::OnceLock<Vec<(Action, KeyboardShortcut)>> =
            std::sync::OnceLock::new();
        ORDERED.get_or_init(|| {
            let mut all: Vec<(Action, KeyboardShortcut)> = Action::all()
                .iter()
                .filter(|a| !a.is_clipboard())
                .flat_map(|a| a.shortcuts().into_iter().map(move |s| (*a, s)))
                .collect();
            let weight =
                |m: Modifiers| u8::from(m.shift) + u8::from(m.alt) + u8::from(m.command || m.ctrl);
            all.sort_by_key(|(_, s)| std::cmp::Reverse(weight(s.modifiers)));
            all
        })
    }

    /// Whether the shortcut arrives as a clipboard event rather than a key press.
    #[must_use]
    pub fn is_clipboard(self) -> bool {
        matches!(self, Action::Copy | Action::Cut | Action::Paste)
    }

    /// The first shortcut as text, for menus.
    #[must_use]
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcuts()
            .first()
            .map(|s| ctx.format_shortcut(s))
            .unwrap_or_default()
    }
}

/// Whether a key event is the shortcut: the logical key, or for digits the physical key (so
/// Shift+1 is Shift+1 where the layout makes it "!"), with the shortcut's modifiers.
#[must_use]
pub fn is_shortcut(event: &egui::Event, s: KeyboardShortcut) -> bool {
    let egui::Event::Key {
        key,
        physical_key,
        pressed: true,
        modifiers,
        ..
    } = event
    else {
        return false;
    };
    let digit = matches!(
        s.logical_key,
        Key::Num0
            | Key::Num1
            | Key::Num2
            | Key::Num3
            | Key::Num4
            | Key::Num5
            | Key::Num6
            | Key::Num7
            | Key::Num8
            | Key::Num9
    );
    let key_matches = *key == s.logical_key || (digit && *physical_key == Some(s.logical_key));
    key_matches && modifiers.matches_logically(s.modifiers) && (s.modifiers.alt || !modifiers.alt)
}

/// Removes the first key press matching `s` from this frame's input; true if there was one.
pub fn consume_shortcut(ctx: &egui::Context, s: KeyboardShortcut) -> bool {
    ctx.input_mut(|i| {
        let Some(at) = i.events.iter().position(|e| is_shortcut(e, s)) else {
            return false;
        };
        i.events.remove(at);
        true
    })
}
