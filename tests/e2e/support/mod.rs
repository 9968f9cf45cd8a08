//! What the desk tests share.

pub mod documents;
pub mod keys;
pub mod office;
pub mod server;
pub mod station;
pub mod steps;
pub mod webdriver;
