//! A private PostgreSQL cluster run from the system's PostgreSQL binaries
//! (Debian's `postgresql` package): the server's embedded default, and what
//! the tests start for themselves.
//!
//! The cluster lives in one folder (`pgdata/` for the data, the folder itself
//! for the Unix socket) and listens on its socket only, never on TCP, so
//! several clusters run side by side without ports to choose. PostgreSQL
//! refuses to run as root: when the server runs as root, the cluster's folder
//! belongs to the `postgres` account and the binaries run as it (`runuser`).

use std::path::{Path, PathBuf};
use std::process::Output;

use tokio::process::Command;

/// Errors of the private cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("找不到 PostgreSQL 程序（initdb、pg_ctl）：请安装 postgresql 软件包，或用 REGDESK_PG_BIN 指明其 bin 目录")]
    NoBinaries,
    #[error("以 root 运行时需要系统账户 postgres（postgresql 软件包会创建它）")]
    NoPostgresAccount,
    #[error("数据库目录 {path} 的路径太长（Unix 套接字路径最多 100 个字节），请换一个较短的数据目录")]
    PathTooLong { path: String },
    #[error("{what} 失败：{detail}")]
    Command { what: &'static str, detail: String },
    #[error("数据库目录 {path}：{source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

type Result<T> = std::result::Result<T, ClusterError>;

/// The database user and database the server uses in its private cluster.
pub const DATABASE: &str = "regdesk";
/// The cluster's port: only names its socket file, the cluster listens on no TCP port.
pub const PORT: u16 = 5432;

/// How to stop the cluster (`pg_ctl -m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopMode {
    /// Waits for sessions to end after rolling back their work: a clean stop.
    Fast,
    /// Stops at once, as a power cut would; the next start recovers from the WAL.
    Immediate,
}

/// A private cluster in one folder.
#[derive(Debug, Clone)]
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// `Some("postgres")` when this process is root.
    run_as: Option<String>,
}

/// The bin folder of the newest PostgreSQL installed, or `REGDESK_PG_BIN`.
pub fn find_binaries() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("REGDESK_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if dir.join("initdb").is_file() {
            Ok(dir)
        } else {
            Err(ClusterError::NoBinaries)
        };
    }
    let mut found: Vec<(u32, PathBuf)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        for e in entries.flatten() {
            let bin = e.path().join("bin");
            let version = e.file_name().to_string_lossy().parse::<u32>().unwrap_or(0);
            if bin.join("initdb").is_file() && bin.join("pg_ctl").is_file() {
                found.push((version, bin));
            }
        }
    }
    found.sort();
    found.pop().map(|(_, bin)| bin).ok_or(ClusterError::NoBinaries)
}

fn is_root() -> bool {
    // The effective user is root when the home of the process owner is owned
    // by uid 0 is not reliable; `id -u` is what every Debian system has.
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn check(what: &'static str, out: std::io::Result<Output>) -> Result<Output> {
    let out = out.map_err(|e| ClusterError::Command {
        what,
        detail: e.to_string(),
    })?;
    if out.status.success() {
        Ok(out)
    } else {
        let mut detail = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if detail.is_empty() {
            detail = String::from_utf8_lossy(&out.stdout).trim().to_string();
        }
        Err(ClusterError::Command { what, detail })
    }
}

impl Cluster {
    /// The cluster in `dir` (made by [`Cluster::init`] if it has no `pgdata/` yet).
    pub fn new(dir: impl Into<PathBuf>) -> Result<Cluster> {
        let dir = dir.into();
        // The socket is `<dir>/.s.PGSQL.5432`: keep within sun_path's 108 bytes.
        if dir.as_os_str().len() > 100 {
            return Err(ClusterError::PathTooLong {
                path: dir.display().to_string(),
            });
        }
        let run_as = if is_root() { Some("postgres".to_string()) } else { None };
        Ok(Cluster {
            dir,
            bin: find_binaries()?,
            run_as,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn data(&self) -> PathBuf {
        self.dir.join("pgdata")
    }

    /// Whether the cluster was made already.
    pub fn exists(&self) -> bool {
        self.data().join("PG_VERSION").is_file()
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    /// Makes the folder reachable and owned by the account PostgreSQL runs as.
    async fn prepare_dir(&self) -> Result<()> {
        tokio::fs::create_dir_all(&self.dir).await.map_err(io(&self.dir))?;
        if let Some(user) = &self.run_as {
            let ok = std::process::Command::new("id")
                .arg("-u")
                .arg(user)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            if !ok {
                return Err(ClusterError::NoPostgresAccount);
            }
            check(
                "chown",
                Command::new("chown")
                    .arg("-R")
                    .arg(format!("{user}:{user}"))
                    .arg(&self.dir)
                    .output()
                    .await,
            )?;
            // The account must be able to pass through every parent folder.
            let mut parent = self.dir.parent();
            while let Some(p) = parent {
                if p.as_os_str().is_empty() || p == Path::new("/") {
                    break;
                }
                check("chmod", Command::new("chmod").arg("o+x").arg(p).output().await)?;
                parent = p.parent();
            }
        }
        Ok(())
    }

    /// Makes the cluster (`initdb`, trust on the socket only) and its database.
    pub async fn init(&self) -> Result<()> {
        self.prepare_dir().await?;
        let data = self.data();
        check(
            "initdb",
            self.command("initdb")
                .arg("-D")
                .arg(&data)
                .arg("--auth=trust")
                .arg("--username")
                .arg(DATABASE)
                .arg("--encoding=UTF8")
                .arg("--locale=C.UTF-8")
                .arg("--no-instructions")
                .output()
                .await,
        )?;
        self.start().await?;
        check(
            "createdb",
            self.command("createdb")
                .arg("-h")
                .arg(&self.dir)
                .arg("-p")
                .arg(PORT.to_string())
                .arg("-U")
                .arg(DATABASE)
                .arg(DATABASE)
                .output()
                .await,
        )?;
        Ok(())
    }

    /// Starts the cluster (making it first if it does not exist) and waits until it takes connections.
    pub async fn start(&self) -> Result<()> {
        if !self.exists() {
            return Box::pin(self.init()).await;
        }
        if self.is_running().await {
            return Ok(());
        }
        let opts = format!(
            "-p {PORT} -k {} -c listen_addresses='' -c unix_socket_permissions=0700",
            self.dir.display()
        );
        check(
            "pg_ctl start",
            self.command("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .arg("-o")
                .arg(opts)
                .arg("-l")
                .arg(self.dir.join("postgresql.log"))
                .arg("-w")
                .arg("-t")
                .arg("60")
                .arg("start")
                .output()
                .await,
        )?;
        Ok(())
    }

    /// Whether the cluster's postmaster is running.
    pub async fn is_running(&self) -> bool {
        self.command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("status")
            .output()
            .await
            .map(|o| o.status.success())
            .unwrap_or(false)
    }

    /// Stops the cluster.
    pub async fn stop(&self, mode: StopMode) -> Result<()> {
        if !self.is_running().await {
            return Ok(());
        }
        let m = match mode {
            StopMode::Fast => "fast",
            StopMode::Immediate => "immediate",
        };
        check(
            "pg_ctl stop",
            self.command("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .arg("-m")
                .arg(m)
                .arg("-w")
                .arg("stop")
                .output()
                .await,
        )?;
        Ok(())
    }

    /// The connection settings for tokio-postgres (`host` is the socket folder).
    pub fn config(&self) -> tokio_postgres::Config {
        let mut c = tokio_postgres::Config::new();
        c.host_path(&self.dir).port(PORT).user(DATABASE).dbname(DATABASE);
        c
    }

    /// The same as a connection string, for `--database-url` and `psql`.
    pub fn url(&self) -> String {
        format!(
            "postgresql://{DATABASE}@/{DATABASE}?host={}&port={PORT}",
            self.dir.display()
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn a_private_cluster_starts_answers_and_stops() {
        let tmp = tempfile::tempdir().unwrap();
        let cluster = Cluster::new(tmp.path().join("pg")).unwrap();
        assert!(!cluster.exists());
        cluster.start().await.unwrap();
        assert!(cluster.exists());
        assert!(cluster.is_running().await);

        let (client, conn) = cluster.config().connect(tokio_postgres::NoTls).await.unwrap();
        let task = tokio::spawn(conn);
        let row = client.query_one("SELECT 40 + 2", &[]).await.unwrap();
        assert_eq!(row.get::<_, i32>(0), 42);
        drop(client);
        let _ = task.await;

        // A power cut, then a start that recovers.
        cluster.stop(StopMode::Immediate).await.unwrap();
        assert!(!cluster.is_running().await);
        cluster.start().await.unwrap();
        let (client, conn) = cluster.config().connect(tokio_postgres::NoTls).await.unwrap();
        let task = tokio::spawn(conn);
        client.batch_execute("CREATE TABLE t (x int)").await.unwrap();
        drop(client);
        let _ = task.await;
        cluster.stop(StopMode::Fast).await.unwrap();
        assert!(!cluster.is_running().await);
    }
}
