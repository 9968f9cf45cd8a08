//! End to end: the real built app under Xvfb, driven through tauri-driver and
//! WebKitWebDriver as a person at the desk would use it. Needs the app built
//! with the `custom-protocol` feature (the UI embedded): `bash .ci/test` does that.
//! Every visited screen is saved under `target/e2e-screenshots/`.
//!
//! One file per desk; what they share (the harness, the sample office, the keys
//! and the steps a person repeats) is in `support/`.
#![cfg(feature = "custom-protocol")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod admin;
mod certificates;
mod counter;
mod delivery;
mod intake;
mod keyboard;
mod payments;
mod records;
mod reports;
mod restart;
mod review;
mod scope;
mod sync;
mod volume;
