//! Who is calling: the station a request's bearer credential names.
//!
//! A credential is `<station id>.<secret>`; the server keeps only the
//! secret's SHA-256 (`stations.credential_sha256`), so a copy of the database
//! does not let anyone act as a station.

use sha2::{Digest, Sha256};

/// An authenticated, not revoked station (the `http` extractor makes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationAuth {
    pub station_id: String,
    pub station_name: String,
    pub office_id: String,
    /// The office of the tree the station belongs to: `None` for the top
    /// office (the record's own), else a code of the office tree.
    pub office_code: Option<String>,
}

/// SHA-256 (hex) of a credential's secret, as `stations.credential_sha256` keeps it.
pub fn secret_digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new credential for `station_id`: `(credential, digest of its secret)`.
pub fn new_credential(station_id: &str) -> (String, String) {
    use base64::Engine;
    use rand_core::RngCore;
    let mut bytes = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let digest = secret_digest(&secret);
    (format!("{station_id}.{secret}"), digest)
}

/// Splits `Bearer <station id>.<secret>` into its two parts.
pub fn parse_bearer(header: &str) -> Option<(&str, &str)> {
    let token = header.strip_prefix("Bearer ")?.trim();
    let (id, secret) = token.split_once('.')?;
    if id.is_empty() || secret.is_empty() {
        return None;
    }
    Some((id, secret))
}

/// Compares two digests in time that does not depend on where they differ.
pub fn digests_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_names_its_station_and_only_its_secret_matches() {
        let (credential, digest) = new_credential("0193a1b2-0000-7000-8000-000000000001");
        let header = format!("Bearer {credential}");
        let (id, secret) = parse_bearer(&header).unwrap();
        assert_eq!(id, "0193a1b2-0000-7000-8000-000000000001");
        assert!(digests_equal(&secret_digest(secret), &digest));
        assert!(!digests_equal(&secret_digest("forged"), &digest));
        let (other, _) = new_credential(id);
        assert_ne!(other, credential);
        assert_eq!(parse_bearer("Basic abc"), None);
        assert_eq!(parse_bearer("Bearer nodot"), None);
        assert_eq!(parse_bearer("Bearer .secret"), None);
    }
}
