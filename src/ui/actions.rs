//! Every user action with its label and shortcuts: menus, shortcuts and the README read it.

use egui::{Key, KeyboardShortcut, Modifiers};

/// A user action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// New map.
    New,
    /// Open a map through the dialog.
    Open,
    /// Open a map by typing its path.
    OpenPath,
    /// Save.
    Save,
    /// Save under a new name.
    SaveAs,
    /// Export as PNG, SVG or PDF (opens the export dialog).
    Export,
    /// Repeat the last export.
    ExportAgain,
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
    /// Edit the selected card's text.
    EditCard,
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Zoom to 100 %.
    ZoomReset,
    /// Zoom so the whole map fits.
    ZoomFit,
    /// Show the keyboard shortcuts.
    Shortcuts,
    /// Close the window (asking about unsaved changes).
    Quit,
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Action {
    /// Every action, for menus and the shortcut table.
    pub const ALL: [Action; 22] = [
        Action::New,
        Action::Open,
        Action::OpenPath,
        Action::Save,
        Action::SaveAs,
        Action::Export,
        Action::ExportAgain,
        Action::Undo,
        Action::Redo,
        Action::Copy,
        Action::Cut,
        Action::Paste,
        Action::Duplicate,
        Action::Delete,
        Action::SelectAll,
        Action::EditCard,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomReset,
        Action::ZoomFit,
        Action::Shortcuts,
        Action::Quit,
    ];

    /// Menu label.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Action::New => "New",
            Action::Open => "Open…",
            Action::OpenPath => "Open path…",
            Action::Save => "Save",
            Action::SaveAs => "Save As…",
            Action::Export => "Export…",
            Action::ExportAgain => "Export again",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Copy => "Copy",
            Action::Cut => "Cut",
            Action::Paste => "Paste",
            Action::Duplicate => "Duplicate",
            Action::Delete => "Delete",
            Action::SelectAll => "Select all cards",
            Action::EditCard => "Edit card",
            Action::ZoomIn => "Zoom in",
            Action::ZoomOut => "Zoom out",
            Action::ZoomReset => "Zoom to 100 %",
            Action::ZoomFit => "Zoom to fit",
            Action::Shortcuts => "Keyboard shortcuts",
            Action::Quit => "Quit",
        }
    }

    /// Shortcuts, the first shown in menus. Copy, cut and paste arrive as clipboard events.
    #[must_use]
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        let k = KeyboardShortcut::new;
        match self {
            Action::New => vec![k(CTRL, Key::N)],
            Action::Open => vec![k(CTRL, Key::O)],
            Action::OpenPath => vec![k(CTRL_SHIFT, Key::O)],
            Action::Save => vec![k(CTRL, Key::S)],
            Action::SaveAs => vec![k(CTRL_SHIFT, Key::S)],
            Action::Export => vec![k(CTRL, Key::E)],
            Action::ExportAgain => vec![k(CTRL_SHIFT, Key::E)],
            Action::Undo => vec![k(CTRL, Key::Z)],
            Action::Redo => vec![k(CTRL_SHIFT, Key::Z), k(CTRL, Key::Y)],
            Action::Copy => vec![k(CTRL, Key::C)],
            Action::Cut => vec![k(CTRL, Key::X)],
            Action::Paste => vec![k(CTRL, Key::V)],
            Action::Duplicate => vec![k(CTRL, Key::D)],
            Action::Delete => vec![
                k(Modifiers::NONE, Key::Delete),
                k(Modifiers::NONE, Key::Backspace),
            ],
            Action::SelectAll => vec![k(CTRL, Key::A)],
            Action::EditCard => vec![k(Modifiers::NONE, Key::F2), k(Modifiers::NONE, Key::Enter)],
            // Taken from egui's own UI-zoom keys, which the app turns off for itself.
            Action::ZoomIn => vec![
                egui::gui_zoom::kb_shortcuts::ZOOM_IN,
                egui::gui_zoom::kb_shortcuts::ZOOM_IN_SECONDARY,
            ],
            Action::ZoomOut => vec![egui::gui_zoom::kb_shortcuts::ZOOM_OUT],
            Action::ZoomReset => vec![egui::gui_zoom::kb_shortcuts::ZOOM_RESET],
            Action::ZoomFit => vec![k(Modifiers::SHIFT, Key::Num1), k(CTRL, Key::Num9)],
            Action::Shortcuts => vec![k(Modifiers::NONE, Key::F1)],
            Action::Quit => vec![k(CTRL, Key::Q)],
        }
    }

    /// Every key shortcut with its action (clipboard ones excluded), in the order to match
    /// them: egui ignores extra Shift/Alt when matching, so shortcuts with more modifiers come
    /// first (Ctrl+Shift+Z is redo, not undo). Computed once.
    #[must_use]
    pub fn key_shortcuts() -> &'static [(Action, KeyboardShortcut)] {
        static ORDERED: std::sync::OnceLock<Vec<(Action, KeyboardShortcut)>> =
            std::sync::OnceLock::new();
        ORDERED.get_or_init(|| {
            let mut all: Vec<(Action, KeyboardShortcut)> = Action::ALL
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
