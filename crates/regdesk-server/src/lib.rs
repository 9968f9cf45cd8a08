//! The central server: the office's one record in PostgreSQL, shared by every
//! enrolled workstation over HTTPS (see `docs/SYNC.md`).

pub mod adopt;
pub mod auth;
pub mod blobs;
pub mod http;
pub mod office;
pub mod pg;
pub mod record;
pub mod schema;
pub mod stations;
pub mod tls;
