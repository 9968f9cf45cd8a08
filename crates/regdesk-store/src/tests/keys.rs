//! Finding and keeping the station's keys (keys.rs): purpose keys, the
//! recovery code, the fallback key file, the key file named by the environment.

use std::path::Path;
use std::sync::Arc;

use super::fixtures::*;
use crate::keys::*;
use crate::*;

fn sources(config: &Path, env_file: Option<&Path>) -> Sources {
    Sources {
        env_file: env_file.map(Path::to_path_buf),
        config_dir: Some(config.to_path_buf()),
        keyring: false,
    }
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(chrono::Utc::now()))
}

#[test]
fn purpose_keys_differ_are_stable_and_never_shown() {
    let k = StationKeys::from_secret([9; 32], KeyHome::KeyStore);
    let (db, files, head) = (k.database(), k.files(), k.audit_head());
    assert!(db != files && files != head && db != head);
    assert_ne!(db.as_bytes(), &[9; 32]);
    assert_eq!(StationKeys::from_secret([9; 32], KeyHome::KeyStore).audit_head(), head);
    assert_ne!(StationKeys::from_secret([8; 32], KeyHome::KeyStore).audit_head(), head);
    let shown = format!("{k:?} {db:?}");
    assert!(shown.contains("redacted"), "{shown}");
    assert!(!shown.contains("9, 9"), "{shown}");
    assert!(
        !shown.to_lowercase().contains(&hex::encode(db.as_bytes())[..8]),
        "{shown}"
    );
}

#[test]
fn the_recovery_code_round_trips_and_a_mistyped_one_is_refused() {
    let k = StationKeys::from_secret([0xab; 32], KeyHome::KeyStore);
    let code = k.recovery_code();
    assert!(code.starts_with("RDK1-"), "{}", code.as_str());
    assert_eq!(code.split('-').count(), 10);
    assert_eq!(parse_recovery_code(&code).unwrap(), [0xab; 32]);
    // Spaces, case and line breaks do not matter.
    let loose = code.replace('-', " ").to_uppercase().replace("RDK1", "rdk1\n");
    assert_eq!(parse_recovery_code(&loose).unwrap(), [0xab; 32]);
    let mut typo = code.to_string();
    typo.replace_range(6..7, if &typo[6..7] == "a" { "b" } else { "a" });
    let e = parse_recovery_code(&typo).unwrap_err();
    assert!(e.to_string().contains("校验位不符"), "{e}");
    assert!(parse_recovery_code("RDK1-1234")
        .unwrap_err()
        .to_string()
        .contains("72 位"));
    assert!(parse_recovery_code("hello").is_err());
}

#[cfg(unix)]
#[test]
fn without_a_key_store_the_secret_goes_to_an_owner_only_file_outside_the_data_directory() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    let data = home.path().join("data");
    let from = sources(&config, None);
    let keys = locate(&data, KeyUse::OpenOrCreate, &from).unwrap();
    let KeyHome::ConfigFile(file) = keys.home().clone() else {
        panic!("{:?}", keys.home());
    };
    assert!(file.starts_with(config.join("keys")), "{}", file.display());
    assert!(!file.starts_with(&data));
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    assert!(keys.home().to_string().contains(&file.display().to_string()));
    // Found again, the same secret; another data directory gets its own.
    let again = locate(&data, KeyUse::Existing, &from).unwrap();
    assert_eq!(again.database(), keys.database());
    let other = locate(&home.path().join("other"), KeyUse::OpenOrCreate, &from).unwrap();
    assert_ne!(other.database(), keys.database());
    // A store opened with these keys; its files show nothing but ciphertext.
    let store = Store::open_with_keys(&data, clock(), keys.clone()).unwrap();
    store.setup_office(&setup_input()).unwrap();
    drop(store);
    // The key file lost: the database is not opened with a fresh key, and the message says what to do.
    let code = keys.recovery_code();
    std::fs::remove_file(&file).unwrap();
    let e = locate(&data, KeyUse::OpenOrCreate, &from).unwrap_err();
    assert!(matches!(e, StoreError::Key(KeyError::Missing { .. })), "{e:?}");
    assert!(e.to_string().contains("regdesk key import"), "{e}");
    assert!(!file.exists());
    // The recovery code brings it back; the data opens again.
    let imported = import_with(&data, &code, &from).unwrap();
    assert_eq!(imported.database(), keys.database());
    let back = locate(&data, KeyUse::Existing, &from).unwrap();
    let store = Store::open_with_keys(&data, clock(), back).unwrap();
    assert!(store.office().unwrap().is_some());
    // Importing a different code over an existing key is refused.
    let foreign = StationKeys::from_secret([3; 32], KeyHome::KeyStore).recovery_code();
    let e = import_with(&data, &foreign, &from).unwrap_err();
    assert!(matches!(e, StoreError::Key(KeyError::Conflict { .. })), "{e:?}");
    // Importing the same one again is harmless.
    assert!(import_with(&data, &code, &from).is_ok());
}

#[test]
fn the_key_file_named_by_the_environment_wins_and_is_made_when_absent() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    let env_file = home.path().join("secret").join("station.key");
    let data = home.path().join("data");
    let from = sources(&config, Some(&env_file));
    let keys = locate(&data, KeyUse::OpenOrCreate, &from).unwrap();
    assert_eq!(keys.home(), &KeyHome::EnvFile(env_file.clone()));
    let text = std::fs::read_to_string(&env_file).unwrap();
    assert!(text.contains(keys.recovery_code().as_str()));
    assert!(!config.exists(), "no fallback file when the environment names one");
    // A damaged key file is named, never replaced.
    std::fs::write(&env_file, "RDK1-00").unwrap();
    let e = locate(&data, KeyUse::OpenOrCreate, &from).unwrap_err();
    assert!(e.to_string().contains(&env_file.display().to_string()), "{e}");
    assert_eq!(std::fs::read_to_string(&env_file).unwrap(), "RDK1-00");
}

#[test]
fn an_open_store_hands_out_the_audit_head_key() {
    let f = fixture();
    assert_eq!(f.store.keys().audit_head(), test_keys().audit_head());
    assert_ne!(f.store.keys().audit_head(), test_keys().database());
}

#[test]
fn exporting_the_recovery_code_is_journaled_with_the_admin_and_the_time() {
    let (f, admin) = office();
    let clerk = signed_in(&f, &admin, &CLERK);
    let before = journal_count(&f);
    // Not an admin: refused, and nothing is journaled.
    assert!(f.store.key_recovery_code(&clerk).is_err());
    assert_eq!(journal_count(&f), before);
    let code = f.store.key_recovery_code(&admin).unwrap();
    assert_eq!(journal_count(&f), before + 1);
    let (command, staff, at, payload): (String, Option<String>, chrono::DateTime<chrono::Utc>, String) = f
        .store
        .conn()
        .query_row(
            "SELECT command, staff_id, at, payload FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(command, KEY_EXPORT_COMMAND);
    assert_eq!(staff.as_deref(), Some(admin.staff_id.as_str()));
    assert_eq!(at, f.store.now());
    // Where the key is kept is noted; the code itself never is.
    assert!(payload.contains("key_home"), "{payload}");
    let compact: String = code.chars().filter(|c| *c != '-').collect();
    assert!(
        !payload.contains(&code[5..13]) && !payload.contains(&compact[4..20]),
        "{payload}"
    );
    // The entry is in the audited chain.
    assert!(f.store.verify_audit().unwrap().ok);
}
