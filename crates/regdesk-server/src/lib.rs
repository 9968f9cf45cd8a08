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

/// A PostgreSQL error in words: the server's message and its SQLSTATE
/// (tokio-postgres shows only "db error" on its own).
pub fn pg_detail(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => match d.detail() {
            Some(detail) => format!("{}（{}；{}）", d.message(), d.code().code(), detail),
            None => format!("{}（{}）", d.message(), d.code().code()),
        },
        None => e.to_string(),
    }
}
