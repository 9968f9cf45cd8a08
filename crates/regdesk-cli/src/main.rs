//! `regdesk`: the desk's operations, headless.
fn main() {}
