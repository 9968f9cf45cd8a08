//! The office's central server for the desk tests: the built `regdesk-server`
//! binary on a data directory of its own (its private PostgreSQL cluster
//! inside), and the office network between a desk and the server, which a
//! test can cut and mend.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::steps::PASSWORD;

/// The `regdesk-server` binary, built beside the app.
pub fn server_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let app = super::office::app();
        let profile_dir = app.parent().unwrap().to_path_buf();
        let target = profile_dir.parent().unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "build",
                "-p",
                "regdesk-server",
                "--bin",
                "regdesk-server",
                "--target-dir",
            ])
            .arg(target)
            .status()
            .unwrap();
        assert!(status.success(), "building regdesk-server failed");
        profile_dir.join("regdesk-server")
    })
    .clone()
}

/// The central server: one data directory, started and stopped like the
/// office's administrator does. Stopped (SIGTERM, so it stops its
/// PostgreSQL cluster too) when dropped, also when a test fails.
pub struct Server {
    dir: PathBuf,
    child: Option<Child>,
    addr: Option<SocketAddr>,
    fingerprint: String,
}

impl Server {
    /// `regdesk-server --data-dir DIR init …`: a new office (the admin's
    /// password is the sample office's).
    pub fn init(dir: &Path) -> Server {
        std::fs::create_dir_all(dir).unwrap();
        let (code, o, e) = Self::admin(
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
        assert_eq!(code, 0, "init: {o}{e}");
        Server {
            dir: dir.to_path_buf(),
            child: None,
            addr: None,
            fingerprint: String::new(),
        }
    }

    /// One administrator's command on the server's data directory.
    pub fn admin(dir: &Path, args: &[&str]) -> (i32, String, String) {
        let o = Command::new(server_bin())
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .env("REGDESK_ADMIN_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }

    /// `station add --name NAME --json`: the one-time enrolment code.
    pub fn add_station(&self, name: &str) -> String {
        let (code, o, e) = Self::admin(&self.dir, &["station", "add", "--name", name, "--json"]);
        assert_eq!(code, 0, "station add: {o}{e}");
        let v: serde_json::Value = serde_json::from_str(o.trim()).unwrap();
        v["code"].as_str().unwrap().to_string()
    }

    /// `station add --name NAME --office CODE --json`: the one-time code of a
    /// station of an office of the office tree.
    pub fn add_station_of(&self, name: &str, office: &str) -> String {
        let (code, o, e) = Self::admin(
            &self.dir,
            &["station", "add", "--name", name, "--office", office, "--json"],
        );
        assert_eq!(code, 0, "station add --office {office}: {o}{e}");
        let v: serde_json::Value = serde_json::from_str(o.trim()).unwrap();
        assert_eq!(v["office_code"].as_str(), Some(office), "{o}");
        v["code"].as_str().unwrap().to_string()
    }

    /// Starts the server on a free loopback port; waits until it listens.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "the server is already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("server.log"))
            .unwrap();
        let mut child = Command::new(server_bin())
            .arg("--data-dir")
            .arg(&self.dir)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        self.child = Some(child);
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
            panic!(
                "the server did not start: {}",
                std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
            );
        };
        self.addr = Some(addr);
        self.fingerprint = fingerprint.expect("the fingerprint is printed before the address");
    }

    /// Where it listens (while it runs).
    pub fn addr(&self) -> SocketAddr {
        self.addr.expect("the server is not running")
    }

    pub fn url(&self) -> String {
        format!("https://{}", self.addr())
    }

    /// The office CA's fingerprint, as the server printed it.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Stops the server as its administrator does (SIGTERM): it stops its
    /// PostgreSQL cluster and ends with status 0.
    pub fn stop(&mut self) {
        if let Some(status) = self.halt() {
            assert!(status.success(), "the server ended with {status}");
        }
    }

    /// SIGTERM and a wait; a server that does not end is killed and its
    /// cluster stopped with `pg_ctl`. Its exit status, when it ended by itself.
    fn halt(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        self.addr = None;
        let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
                _ => break,
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        stop_cluster(&self.dir.join("pg").join("pgdata"));
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.halt();
        // A cluster left behind by a server that died: stop it too.
        let pgdata = self.dir.join("pg").join("pgdata");
        if pgdata.join("postmaster.pid").exists() {
            stop_cluster(&pgdata);
        }
    }
}

/// `pg_ctl stop -m fast` on a cluster (as `postgres` when running as root).
fn stop_cluster(pgdata: &Path) {
    let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") else {
        return;
    };
    let Some(pg_ctl) = entries
        .flatten()
        .map(|e| e.path().join("bin/pg_ctl"))
        .find(|p| p.is_file())
    else {
        return;
    };
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let mut c = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&pg_ctl);
        c
    } else {
        Command::new(&pg_ctl)
    };
    let _ = c
        .arg("-D")
        .arg(pgdata)
        .args(["stop", "-m", "fast", "-w"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The office network between one desk and the server: the desk knows the
/// server by this address, and every connection is carried through to
/// wherever the server listens now. Cut, the desk reaches nothing (its
/// open connections drop, new ones are closed at once); mended, it reaches
/// the server again.
pub struct Network {
    port: u16,
    upstream: Arc<AtomicU16>,
    cut: Arc<AtomicBool>,
    closed: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Network {
    /// A network to the server listening at `upstream` (changed with [`Network::route_to`]).
    pub fn new(upstream: SocketAddr) -> Network {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let net = Network {
            port,
            upstream: Arc::new(AtomicU16::new(upstream.port())),
            cut: Arc::new(AtomicBool::new(false)),
            closed: Arc::new(AtomicBool::new(false)),
            open: Arc::new(Mutex::new(Vec::new())),
        };
        let (upstream, cut, closed, open) = (
            net.upstream.clone(),
            net.cut.clone(),
            net.closed.clone(),
            net.open.clone(),
        );
        std::thread::spawn(move || {
            for desk in listener.incoming() {
                if closed.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(desk) = desk else { continue };
                if cut.load(Ordering::SeqCst) {
                    let _ = desk.shutdown(Shutdown::Both);
                    continue;
                }
                let port = upstream.load(Ordering::SeqCst);
                let Ok(server) = TcpStream::connect(("127.0.0.1", port)) else {
                    let _ = desk.shutdown(Shutdown::Both);
                    continue;
                };
                {
                    let mut open = open.lock().unwrap_or_else(|p| p.into_inner());
                    open.retain(|s| s.peer_addr().is_ok());
                    open.push(desk.try_clone().unwrap());
                    open.push(server.try_clone().unwrap());
                }
                carry(desk.try_clone().unwrap(), server.try_clone().unwrap());
                carry(server, desk);
            }
        });
        net
    }

    /// The server's address as the desk knows it.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// The server now listens at `addr`.
    pub fn route_to(&self, addr: SocketAddr) {
        self.upstream.store(addr.port(), Ordering::SeqCst);
    }

    /// The cable is pulled: open connections drop, new ones fail.
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        self.drop_open();
    }

    /// The cable is back.
    pub fn mend(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }

    fn drop_open(&self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        for s in open.drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::SeqCst);
        self.drop_open();
        // Wakes the accepting thread so it sees `closed` and ends.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Copies one direction of a connection until either side closes it.
fn carry(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(Shutdown::Both);
        let _ = from.shutdown(Shutdown::Both);
    });
}
