//! WebDriver key codes, as a person at the keyboard presses them.

pub const ENTER: &str = "\u{E007}";
pub const TAB: &str = "\u{E004}";
pub const SPACE: &str = "\u{E00D}";
pub const RIGHT: &str = "\u{E014}";
pub const CTRL_S: &str = "\u{E009}s\u{E009}";
pub const CTRL_ENTER: &str = "\u{E009}\u{E007}\u{E009}";
pub const CTRL_K: &str = "\u{E009}k\u{E009}";
pub const CLEAR: &str = "\u{E009}a\u{E009}\u{E003}";
