//! Test support for the central server and sync: the real `regdesk-server`
//! binary with its private PostgreSQL (started, killed with `kill -9`,
//! restarted), its admin commands, workstations enrolled in-process, and a
//! seeded chaos proxy between stations and server ([`proxy`]).
//!
//! Used by tests, benches and examples only; never shipped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod proxy;
pub mod station;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The password the tests give every account.
pub const PASSWORD: &str = "Banquan2026";

/// The profile directory the running test or example was built in
/// (`target/debug`), found from the running executable.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let mut dir = exe.parent().unwrap().to_path_buf();
    // Tests and benches run from `deps/`, examples from `examples/`.
    if dir.ends_with("deps") || dir.ends_with("examples") {
        dir.pop();
    }
    dir
}

/// A binary of this workspace, built once per run into the running
/// executable's target directory and profile.
pub fn workspace_bin(package: &str, bin: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    let built = BUILT.get_or_init(Mutex::default);
    let mut built = built.lock().unwrap();
    let profile = profile_dir();
    let path = profile.join(bin);
    if !built.iter().any(|b| b == bin) {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut c = Command::new(cargo);
        // Without the variables cargo set for the running test, so every
        // test binary asks for the same build as the others and as
        // `cargo build` (a build script that watches one of them would
        // otherwise rebuild on every switch).
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy().into_owned();
            if name == "OUT_DIR"
                || (name.starts_with("CARGO_")
                    && !matches!(name.as_str(), "CARGO_HOME" | "CARGO_TARGET_DIR" | "CARGO_INCREMENTAL")
                    && ![
                        "CARGO_BUILD_",
                        "CARGO_PROFILE_",
                        "CARGO_NET_",
                        "CARGO_REGISTRIES_",
                        "CARGO_TERM_",
                    ]
                    .iter()
                    .any(|p| name.starts_with(p)))
            {
                c.env_remove(&name);
            }
        }
        c.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
            .args(["build", "-p", package, "--bin", bin, "--target-dir"])
            .arg(profile.parent().unwrap());
        if profile.ends_with("release") {
            c.arg("--release");
        }
        let status = c.status().unwrap();
        assert!(status.success(), "building {bin} failed");
        built.push(bin.to_string());
    }
    path
}

/// The `regdesk-server` binary.
pub fn server_bin() -> PathBuf {
    workspace_bin("regdesk-server", "regdesk-server")
}

/// The `regdesk` command-line binary.
pub fn regdesk_bin() -> PathBuf {
    workspace_bin("regdesk-cli", "regdesk")
}

/// The tests' station key: a fixed key, outside the data directories,
/// written once per run, whole, and set for this process's stores
/// (`REGDESK_KEY_FILE`).
pub fn key_file() -> PathBuf {
    use regdesk_store::keys::{KeyHome, StationKeys, KEY_FILE_ENV};
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = profile_dir().parent().unwrap().join("tmp");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("regdesk-testkit.key");
        let code = StationKeys::from_secret([0x42; 32], KeyHome::KeyStore).recovery_code();
        let tmp = dir.join(format!("regdesk-testkit.key.{}", std::process::id()));
        std::fs::write(&tmp, code.as_bytes()).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        std::env::set_var(KEY_FILE_ENV, &path);
        path
    })
    .clone()
}

/// Runs a `regdesk-server` admin subcommand against `dir`
/// (`REGDESK_ADMIN_PASSWORD` = [`PASSWORD`]).
pub fn server_cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(server_bin())
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("REGDESK_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

/// `init` of the tests' office (浙江省版权局, ZJ, 浙作登字, admin `admin`).
pub fn init_office(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let out = server_cli(
        dir,
        &[
            "init",
            "--office-name",
            "浙江省版权局",
            "--office-code",
            "ZJ",
            "--reg-prefix",
            "浙作登字",
            "--province",
            "33",
            "--admin-username",
            "admin",
            "--admin-name",
            "周建国",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A one-time enrolment code for a new station named `name`.
pub fn add_code(dir: &Path, name: &str) -> String {
    let out = server_cli(dir, &["station", "add", "--name", name, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["code"].as_str().unwrap().to_string()
}

/// A running `regdesk-server` process on 127.0.0.1 (a port from the OS).
pub struct ServerProcess {
    child: Option<Child>,
    pub addr: SocketAddr,
    pub fingerprint: String,
    pub dir: PathBuf,
    args: Vec<String>,
    starts: u32,
}

impl ServerProcess {
    /// Starts the server on `dir` with its embedded PostgreSQL.
    pub fn start(dir: &Path) -> ServerProcess {
        Self::start_with(dir, &[])
    }

    /// Starts the server on `dir` with extra arguments (`--database-url …`).
    pub fn start_with(dir: &Path, args: &[&str]) -> ServerProcess {
        std::fs::create_dir_all(dir).unwrap();
        let mut s = ServerProcess {
            child: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            fingerprint: String::new(),
            dir: dir.to_path_buf(),
            args: args.iter().map(|a| a.to_string()).collect(),
            starts: 0,
        };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        self.starts += 1;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("server.log"))
            .unwrap();
        let mut child = Command::new(server_bin())
            .arg("--data-dir")
            .arg(&self.dir)
            .args(["--listen", "127.0.0.1:0"])
            .args(&self.args)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut fingerprint = None;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.contains("CA fingerprint") {
                    fingerprint = line.split_whitespace().last().map(str::to_string);
                }
                if let Some(at) = line.find("listening on https://") {
                    let addr: SocketAddr = line[at + "listening on https://".len()..].trim().parse().unwrap();
                    let _ = tx.send((addr, fingerprint.clone()));
                }
            }
        });
        let Ok((addr, fingerprint)) = rx.recv_timeout(Duration::from_secs(120)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the server did not start: {}",
                std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
            );
        };
        self.addr = addr;
        self.fingerprint = fingerprint.expect("the fingerprint is printed before the address");
        self.child = Some(child);
    }

    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// The process id while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// How many times the process was started.
    pub fn starts(&self) -> u32 {
        self.starts
    }

    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// `kill -9` by pid: no clean stop, the embedded PostgreSQL is left as it was.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let ok = Command::new("kill")
                .arg("-9")
                .arg(child.id().to_string())
                .status()
                .unwrap();
            assert!(ok.success());
            let _ = child.wait();
        }
    }

    /// Starts it again on the same data directory (a new port).
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server still runs");
        self.spawn();
    }

    /// SIGTERM, then waits for the process (and its PostgreSQL) to end.
    pub fn stop(mut self) {
        self.terminate();
    }

    fn terminate(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let ok = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "the server ended with {status}");
                return;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("the server did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ServerProcess {
    /// A test that ends early leaves no server and no PostgreSQL running.
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if !self.args.iter().any(|a| a == "--database-url") {
            stop_cluster_now(&self.dir);
        }
    }
}

/// `pg_ctl -m immediate stop` of `DIR/pg` if its postmaster runs, without a runtime.
fn stop_cluster_now(dir: &Path) {
    let data = dir.join("pg").join("pgdata");
    if !data.join("postmaster.pid").exists() {
        return;
    }
    let Ok(bin) = regdesk_server::pg::find_binaries() else {
        return;
    };
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false);
    let mut c = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join("pg_ctl"));
        c
    } else {
        Command::new(bin.join("pg_ctl"))
    };
    let _ = c.arg("-D").arg(&data).args(["-m", "immediate", "-w", "stop"]).output();
}

/// The embedded cluster of a server data directory (`DIR/pg`).
pub fn cluster(dir: &Path) -> regdesk_server::pg::Cluster {
    regdesk_server::pg::Cluster::new(dir.join("pg")).unwrap()
}

/// A connection to a server data directory's embedded PostgreSQL.
pub async fn db(dir: &Path) -> tokio_postgres::Client {
    let (client, conn) = cluster(dir).config().connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client
}

/// Stops the embedded PostgreSQL of `dir` like a power cut (`pg_ctl -m immediate`).
pub async fn pg_stop_immediate(dir: &Path) {
    cluster(dir)
        .stop(regdesk_server::pg::StopMode::Immediate)
        .await
        .unwrap();
}

/// Starts the embedded PostgreSQL of `dir` again (after [`pg_stop_immediate`]).
pub async fn pg_start(dir: &Path) {
    cluster(dir).start().await.unwrap();
}
