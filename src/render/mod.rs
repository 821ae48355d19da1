//! Renderers: turn a plan or an apply report into text for people or machines.
//!
//! Every renderer writes to any `io::Write`, so tests render into a buffer. Colour is a
//! [`Style`] decided once by the CLI (terminal, `--no-color`, `NO_COLOR`); the text reads the same
//! without it: the `+ ~ - ↕` markers carry the meaning, colour only repeats it.

pub mod annotations;
mod community;
pub mod drift;
mod expressions;
pub mod human;
mod images;
mod invites;
pub mod json;
pub mod markdown;
mod messages;
mod roster;
mod threads;

/// Whether to colour output, and how.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub const PLAIN: Self = Self { color: false };

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn create(self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn update(self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn delete(self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn reorder(self, text: &str) -> String {
        self.paint("36", text)
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn error(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    pub fn warning(self, text: &str) -> String {
        self.paint("1;33", text)
    }

    pub fn hint(self, text: &str) -> String {
        self.paint("1;36", text)
    }
}
