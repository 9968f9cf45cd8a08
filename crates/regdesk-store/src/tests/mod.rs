//! Store tests on real SQLite files in temporary directories: one file per store
//! module, the shared set-ups in [`fixtures`].
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fixtures;

// The modules' own tests (demo, review) start from the same fresh store.
pub(crate) use fixtures::{enrolment, fixture, raw_db, Fixture};

mod applicants;
mod audit;
mod backup;
mod calendar;
mod cases;
mod certificates;
mod constraints;
mod db;
mod delivery;
mod encryption;
mod files;
mod forms;
mod intake;
mod journal;
mod keys;
mod offices;
mod payments;
mod privacy;
mod proofs;
mod queues;
mod scope;
mod session;
mod settings;
mod staff;
mod stats;
mod sync;
mod sync_banner;
