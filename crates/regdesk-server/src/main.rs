//! `regdesk-server`: the central server of an office.
//!
//! Exit codes: 0 done; 1 refused or failed (the reason on stderr); 2 usage.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use regdesk_server::adopt::{self, AdoptError};
use regdesk_server::office::{self, InitInput, OfficeError};
use regdesk_server::pg::{Cluster, ClusterError, StopMode};
use regdesk_server::record::{self, RecordError};
use regdesk_server::stations::{self, StationError, CODE_TTL_SECS};
use regdesk_server::tls::{self, CertFiles, TlsError};
use regdesk_server::{http, schema};

/// mimalloc instead of glibc's malloc: under load the server's own CPU (outside
/// PostgreSQL) went largely to allocating and freeing the JSON of requests,
/// rows and answers from several threads (`docs/BENCHMARKS.md`, "Load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "regdesk-server",
    version,
    about = "作品登记工作台中心服务器：机构的统一记录（PostgreSQL），各工作站经 HTTPS 同步。 / RegDesk's central server: the office's one record in PostgreSQL, synced by every workstation over HTTPS.",
    after_help = "不带子命令时运行服务器，直到收到 SIGTERM 或 Ctrl-C。未给 --database-url 时，在 数据目录/pg 下建立并运行私有 PostgreSQL（需系统的 postgresql 软件包），退出时停止它。未给证书时，首次启动生成机构 CA 与服务器证书（数据目录/tls），并打印 CA 指纹供工作站核对。退出码：0 完成，1 被拒绝或失败（原因见标准错误），2 用法错误。\nWithout a subcommand the server runs until SIGTERM or Ctrl-C. Without --database-url it makes and runs a private PostgreSQL cluster under DIR/pg (system postgresql package) and stops it on exit. Without certificates it makes an office CA and a server certificate at first start (DIR/tls) and prints the CA fingerprint stations check. Exit codes: 0 done, 1 refused or failed (reason on stderr), 2 usage."
)]
struct Cli {
    /// 数据目录（私有数据库、证书）。 / Data directory (private database, certificates).
    #[arg(long, global = true, env = "REGDESK_SERVER_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// 监听地址（端口 0：由系统选择，实际地址打印在标准输出）。 / Address to listen on (port 0: the system picks; the real address is printed).
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: SocketAddr,
    /// 使用现有 PostgreSQL（如 postgresql://regdesk@db/regdesk），不启动私有数据库。 / Use an existing PostgreSQL instead of the private cluster.
    #[arg(long, global = true, env = "REGDESK_DATABASE_URL")]
    database_url: Option<String>,
    /// 本机构自有证书（PEM，完整证书链，CA 在最后）；须与 --tls-key 同时给出。 / The office's own certificate chain (PEM, CA last); with --tls-key.
    #[arg(long, global = true)]
    tls_cert: Option<PathBuf>,
    /// 本机构自有证书的私钥（PEM）。 / The private key of --tls-cert (PEM).
    #[arg(long, global = true)]
    tls_key: Option<PathBuf>,
    /// 服务器证书另含的主机名或 IP（可多次给出）。 / Extra host name or IP for the server certificate (repeatable).
    #[arg(long)]
    san: Vec<String>,
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// 新建机构与首位管理员（密码取自 REGDESK_ADMIN_PASSWORD）。 / Make the office and its first admin (password from REGDESK_ADMIN_PASSWORD).
    Init(InitArgs),
    /// 接收单机工作站的整个机构（人员、申请人、案件、日志、附件、登记号，计数器接续），并为该工作站生成加入码。 / Take a stand-alone workstation's office up whole, and make that workstation's enrolment code.
    Adopt(AdoptArgs),
    /// 工作站：生成加入码、列出、吊销。 / Stations: enrolment codes, list, revoke.
    #[command(subcommand)]
    Station(StationCmd),
    /// 登记号：核对号码去向。 / Registration numbers: account for every number.
    #[command(subcommand)]
    Numbers(NumbersCmd),
}

#[derive(Subcommand, Debug)]
enum NumbersCmd {
    /// 按 前缀/年份/类别字母 核对：已发出 = 已使用 + 已作废 + 已交还 + 在外未用，列出去向不明的号码与各工作站持有的号段；不平衡时退出码 1。 / Per prefix/year/letter: issued = used + voided + returned + outstanding; numbers of unknown fate named; each station's leases. Exit 1 when it does not balance.
    Audit {
        /// 只核对这一年 / Only this year
        #[arg(long)]
        year: Option<i32>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug)]
struct InitArgs {
    /// 机构名称，如 浙江省版权局 / Office name
    #[arg(long)]
    office_name: String,
    /// 机构代码，2–8 位大写字母或数字，如 ZJ / Office code
    #[arg(long)]
    office_code: String,
    /// 登记号前缀，如 浙作登字 / Registration number prefix
    #[arg(long)]
    reg_prefix: String,
    /// 所在省份的两位代码，如 33（浙江） / Two-digit province code
    #[arg(long)]
    province: String,
    /// 首位管理员的登录名，如 admin / The first admin's login name
    #[arg(long)]
    admin_username: String,
    /// 首位管理员的姓名 / The first admin's display name
    #[arg(long)]
    admin_name: String,
}

#[derive(clap::Args, Debug)]
struct AdoptArgs {
    /// 单机工作站的数据目录（regdesk --data-dir 所用的目录；密钥按工作站的方式查找，含 REGDESK_KEY_FILE） / The workstation's data directory
    #[arg(long)]
    station_data_dir: PathBuf,
    /// 该工作站在服务器上的名称 / The workstation's name on the server
    #[arg(long, default_value = "原单机工作站")]
    station_name: String,
    /// 输出 JSON / JSON output
    #[arg(long)]
    json: bool,
    /// Validity of the code in seconds (tests).
    #[arg(long, hide = true, default_value_t = CODE_TTL_SECS)]
    code_ttl_secs: i64,
}

#[derive(Subcommand, Debug)]
enum StationCmd {
    /// 为新工作站生成一次性加入码（24 小时内有效，只能用一次），并打印 CA 指纹。 / A one-time enrolment code (24 h, single use) and the CA fingerprint.
    Add {
        /// 工作站名称，如 受理窗口2 / The station's name
        #[arg(long)]
        name: String,
        /// 工作站所属机构的代码（机构树中的下级机构）；不给出时为本机构（上级机构） / The office of the tree the station belongs to (default: the top office)
        #[arg(long)]
        office: Option<String>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
        /// Validity of the code in seconds (tests).
        #[arg(long, hide = true, default_value_t = CODE_TTL_SECS)]
        code_ttl_secs: i64,
    },
    /// 列出工作站与未使用的加入码。 / Stations and unused codes.
    List {
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 吊销工作站：其后的同步请求一律拒绝，本机数据仍可查看。 / Revoke a station: its later requests are refused.
    Revoke {
        /// 工作站名称 / The station's name
        name: String,
    },
}

#[derive(Debug, thiserror::Error)]
enum MainError {
    #[error("请用 --data-dir 指定服务器的数据目录（或设置 REGDESK_SERVER_DATA_DIR）")]
    NoDataDir,
    #[error("数据目录 {path}：{source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("--database-url 无法识别：{0}（应形如 postgresql://用户@主机/数据库）")]
    DatabaseUrl(String),
    #[error("连不上数据库：{0}")]
    Connect(String),
    #[error("不能监听 {addr}：{source}（端口被占用时请换一个 --listen）")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("环境变量 REGDESK_ADMIN_PASSWORD 未设置：请在其中给出首位管理员的密码")]
    NoAdminPassword,
    #[error(transparent)]
    Office(#[from] OfficeError),
    #[error(transparent)]
    Adopt(#[from] AdoptError),
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error(transparent)]
    Schema(#[from] schema::SchemaError),
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(transparent)]
    Station(#[from] StationError),
    #[error("数据库出错：{}", regdesk_server::pg_detail(.0))]
    Db(#[from] tokio_postgres::Error),
    #[error("服务器运行出错：{0}")]
    Serve(std::io::Error),
    #[error("输出失败：{0}")]
    Output(std::io::Error),
    #[error("登记号核对不平衡：有 {0} 个号码去向不明（见上），请核对后补登作废或交还记录")]
    Unbalanced(u64),
}

/// The database the server uses, and the private cluster it stops when it
/// ends: the serving process always owns its private cluster (one left
/// running by a server that crashed is taken over); an admin command stops it
/// only if it started it, so a running server keeps its database.
struct Database {
    config: tokio_postgres::Config,
    started: Option<Cluster>,
}

impl Database {
    async fn open(data_dir: &Path, url: Option<&str>, serving: bool) -> Result<Database, MainError> {
        let database = match url {
            Some(url) => Database {
                config: url
                    .parse::<tokio_postgres::Config>()
                    .map_err(|e| MainError::DatabaseUrl(e.to_string()))?,
                started: None,
            },
            None => {
                let cluster = Cluster::new(data_dir.join("pg"))?;
                let running = cluster.is_running().await;
                cluster.start().await?;
                Database {
                    config: cluster.config(),
                    started: (serving || !running).then_some(cluster),
                }
            }
        };
        let migrated = database.migrate().await;
        if let Err(e) = migrated {
            database.close().await;
            return Err(e);
        }
        Ok(database)
    }

    async fn connect(&self) -> Result<tokio_postgres::Client, MainError> {
        let (client, connection) = self
            .config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(|e| MainError::Connect(e.to_string()))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "database connection ended");
            }
        });
        Ok(client)
    }

    async fn migrate(&self) -> Result<(), MainError> {
        let mut client = self.connect().await?;
        let applied = schema::migrate(&mut client).await?;
        if applied > 0 {
            tracing::info!(applied, "database schema migrated");
        }
        Ok(())
    }

    fn pool(&self) -> Result<Pool, MainError> {
        let manager = Manager::from_config(
            self.config.clone(),
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        Pool::builder(manager)
            .max_size(16)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(http::POOL_WAIT))
            .create_timeout(Some(http::POOL_WAIT))
            .build()
            .map_err(|e| MainError::Connect(e.to_string()))
    }

    /// Stops the private cluster if this command started it.
    async fn close(self) {
        if let Some(cluster) = self.started {
            match cluster.stop(StopMode::Fast).await {
                Ok(()) => tracing::info!("private PostgreSQL stopped"),
                Err(e) => tracing::error!(error = %e, "private PostgreSQL did not stop"),
            }
        }
    }
}

fn data_dir(cli: &Cli) -> Result<PathBuf, MainError> {
    let dir = cli.data_dir.clone().ok_or(MainError::NoDataDir)?;
    std::fs::create_dir_all(&dir).map_err(|source| MainError::DataDir {
        path: dir.display().to_string(),
        source,
    })?;
    std::fs::canonicalize(&dir).map_err(|source| MainError::DataDir {
        path: dir.display().to_string(),
        source,
    })
}

fn cert_files(cli: &Cli) -> CertFiles {
    CertFiles {
        cert: cli.tls_cert.clone(),
        key: cli.tls_key.clone(),
    }
}

/// Who runs an admin command, for the records it leaves (`made_by`, `revoked_by`).
fn operator() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .map(|u| format!("server:{u}"))
        .unwrap_or_else(|_| "server".to_string())
}

fn out(line: impl std::fmt::Display) -> Result<(), MainError> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").map_err(MainError::Output)?;
    stdout.flush().map_err(MainError::Output)
}

async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = terminate => {}
        r = tokio::signal::ctrl_c() => {
            if let Err(e) = r {
                tracing::error!(error = %e, "cannot listen for Ctrl-C");
                std::future::pending::<()>().await;
            }
        }
    }
}

async fn serve(cli: &Cli, dir: &Path, database: &Database) -> Result<(), MainError> {
    let tls = tls::prepare(dir, &cert_files(cli), &cli.san)?;
    let pool = database.pool()?;
    let state = http::AppState {
        pool: pool.clone(),
        ca_fingerprint: tls.ca_fingerprint.clone(),
        waker: record::Waker::start(database.config.clone()),
        blobs: regdesk_server::blobs::BlobStore::shared(dir, pool.clone()),
    };
    let app = http::router(state);
    let listener = std::net::TcpListener::bind(cli.listen).map_err(|source| MainError::Listen {
        addr: cli.listen,
        source,
    })?;
    let listen_error = |source| MainError::Listen {
        addr: cli.listen,
        source,
    };
    listener.set_nonblocking(true).map_err(listen_error)?;
    let addr = listener.local_addr().map_err(listen_error)?;
    out(format_args!(
        "regdesk-server: CA fingerprint (SHA-256) {}",
        tls.ca_fingerprint
    ))?;
    out(format_args!("regdesk-server: listening on https://{addr}"))?;
    tracing::info!(%addr, "serving");

    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("stopping");
        stopper.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    // TCP_NODELAY on every accepted connection: an answer's last TLS record
    // is sent at once, not held until the station acknowledges the one
    // before it (which a station may delay by up to 40 ms).
    let acceptor =
        axum_server::tls_rustls::RustlsAcceptor::new(axum_server::tls_rustls::RustlsConfig::from_config(tls.config))
            .acceptor(axum_server::accept::NoDelayAcceptor::new());
    let served = axum_server::from_tcp(listener)
        .acceptor(acceptor)
        .handle(handle)
        .serve(app.into_make_service_with_connect_info::<SocketAddr>())
        .await;
    pool.close();
    served.map_err(MainError::Serve)
}

async fn station(cli: &Cli, dir: &Path, database: &Database, cmd: &StationCmd) -> Result<(), MainError> {
    let mut client = database.connect().await?;
    match cmd {
        StationCmd::Add {
            name,
            office,
            json,
            code_ttl_secs,
        } => {
            let fingerprint = tls::ca_fingerprint(dir, &cert_files(cli))?;
            let code = stations::add_code_for(
                &mut client,
                name,
                office.as_deref(),
                &operator(),
                *code_ttl_secs,
                &fingerprint,
            )
            .await?;
            if *json {
                out(serde_json::to_string(&code).map_err(|e| MainError::Output(e.into()))?)?;
            } else {
                out(format_args!("工作站 / station: {}", code.station_name))?;
                out(format_args!(
                    "所属机构 / office: {}",
                    code.office_code.as_deref().unwrap_or("本机构 / the top office")
                ))?;
                out(format_args!("加入码 / code: {}", code.code))?;
                out(format_args!(
                    "有效期至 / expires: {}",
                    code.expires_at.format("%Y-%m-%d %H:%M:%S UTC")
                ))?;
                out(format_args!("CA 指纹 / CA fingerprint: {}", code.ca_fingerprint))?;
            }
        }
        StationCmd::List { json } => {
            let list = stations::list(&client).await?;
            if *json {
                out(serde_json::to_string(&list).map_err(|e| MainError::Output(e.into()))?)?;
            } else if list.is_empty() {
                out("（尚无工作站） / no stations")?;
            } else {
                let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
                    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(|| "-".into())
                };
                for s in list {
                    let state = match s.status {
                        "enrolled" => "已加入",
                        "revoked" => "已吊销",
                        _ => "待加入",
                    };
                    out(format_args!(
                        "{}\t{}\t机构 {}\t{}\t加入 {}\t最近同步 {}\t{}",
                        s.name,
                        state,
                        s.office_code.as_deref().unwrap_or("本机构"),
                        s.station_id.as_deref().unwrap_or("-"),
                        time(s.enrolled_at),
                        time(s.last_seen_at),
                        match s.status {
                            "pending" => format!("加入码有效至 {}", time(s.code_expires_at)),
                            "revoked" => format!("吊销于 {}", time(s.revoked_at)),
                            _ => s.app_version.unwrap_or_default(),
                        }
                    ))?;
                }
            }
        }
        StationCmd::Revoke { name } => {
            let r = stations::revoke(&mut client, name, &operator()).await?;
            if r.stations > 0 {
                out(format_args!(
                    "已吊销工作站“{}”，收回其未用的登记号 {} 个。 / revoked; {} unused numbers returned.",
                    name.trim(),
                    r.numbers_returned,
                    r.numbers_returned
                ))?;
            } else {
                out(format_args!(
                    "“{}”尚未加入，其加入码已作废。 / its unused code was cancelled.",
                    name.trim()
                ))?;
            }
        }
    }
    Ok(())
}

async fn numbers(database: &Database, cmd: &NumbersCmd) -> Result<(), MainError> {
    let NumbersCmd::Audit { year, json } = cmd;
    let pool = database.pool()?;
    let audit = record::numbers_audit(&pool, *year).await?;
    if *json {
        out(serde_json::to_string(&audit).map_err(|e| MainError::Output(e.into()))?)?;
    } else {
        if audit.series.is_empty() {
            out("（尚未发出登记号） / no numbers issued")?;
        }
        for l in &audit.series {
            out(format_args!(
                "{}-{}-{}\t已发出 {} = 已使用 {} + 已作废 {} + 已交还 {} + 在外未用 {}{}",
                l.prefix,
                l.year,
                l.letter,
                l.issued,
                l.used,
                l.voided,
                l.returned,
                l.outstanding,
                if l.balanced() {
                    "\t平衡".to_string()
                } else {
                    format!("\t去向不明 {} 个：{}", l.unknown_count(), l.unknown_text().join("、"))
                }
            ))?;
        }
        for s in &audit.leases {
            out(format_args!(
                "工作站 {}\t{}-{}-{}\t持有未用 {}：{}",
                s.station_name,
                s.prefix,
                s.year,
                s.letter,
                s.unused,
                s.numbers.join("、")
            ))?;
        }
    }
    if audit.balanced {
        Ok(())
    } else {
        Err(MainError::Unbalanced(
            audit.series.iter().map(|l| l.unknown_count()).sum(),
        ))
    }
}

async fn run(cli: Cli) -> Result<(), MainError> {
    let dir = data_dir(&cli)?;
    cert_files(&cli).check()?;
    // An office's input is checked before anything is made, so a mistake leaves nothing behind.
    let first = match &cli.cmd {
        Some(Cmd::Init(args)) => Some(first_rows(args)?),
        _ => None,
    };
    // So is the workstation to adopt: read whole before the database starts.
    let adopting = match &cli.cmd {
        Some(Cmd::Adopt(args)) => Some(adopt::read_station(&args.station_data_dir)?),
        _ => None,
    };
    let database = Database::open(&dir, cli.database_url.as_deref(), cli.cmd.is_none()).await?;
    let result = match &cli.cmd {
        None => serve(&cli, &dir, &database).await,
        Some(Cmd::Station(cmd)) => station(&cli, &dir, &database, cmd).await,
        Some(Cmd::Numbers(cmd)) => numbers(&database, cmd).await,
        Some(Cmd::Init(_)) => match first {
            Some(first) => init(&database, first).await,
            None => Ok(()),
        },
        Some(Cmd::Adopt(args)) => match adopting {
            Some((store, station)) => take_up(&cli, &dir, &database, args, &store, &station).await,
            None => Ok(()),
        },
    };
    database.close().await;
    result
}

fn first_rows(args: &InitArgs) -> Result<office::FirstRows, MainError> {
    let password = std::env::var("REGDESK_ADMIN_PASSWORD").map_err(|_| MainError::NoAdminPassword)?;
    let input = InitInput {
        office: regdesk_domain::office::OfficeInput {
            name: args.office_name.clone(),
            office_code: args.office_code.clone(),
            reg_prefix: args.reg_prefix.clone(),
            province_code: args.province.clone(),
        },
        admin_username: args.admin_username.clone(),
        admin_name: args.admin_name.clone(),
        admin_password: password,
    };
    Ok(office::first_rows(&input, chrono::Utc::now())?)
}

/// Records the office and puts its first rows into the record, in one transaction.
async fn init(database: &Database, first: office::FirstRows) -> Result<(), MainError> {
    let mut client = database.connect().await?;
    let tx = client.transaction().await?;
    let office_id = uuid::Uuid::now_v7().to_string();
    let office = office::create(&tx, &first.office, &office_id).await?;
    record::seed_rows(&tx, &office_id, &first.rows).await?;
    tx.commit().await?;
    out(format_args!(
        "已建立登记机构“{}”（{}，登记号前缀 {}），首位管理员已建立，可在各工作站登录。 / office made: {}",
        office.name, office.code, office.prefix, office.id
    ))
}

/// Takes the workstation's office up (see `adopt`) and prints what it took
/// and the workstation's enrolment code.
async fn take_up(
    cli: &Cli,
    dir: &Path,
    database: &Database,
    args: &AdoptArgs,
    store: &regdesk_store::Store,
    station: &adopt::StationOffice,
) -> Result<(), MainError> {
    let mut client = database.connect().await?;
    adopt::check_no_office(&client).await?;
    let fingerprint = tls::ca_fingerprint(dir, &cert_files(cli))?;
    let files = adopt::copy_blobs(store, station, &dir.join(adopt::BLOB_DIR))?;
    let summary = adopt::take_up(
        &mut client,
        station,
        &args.station_name,
        files,
        &operator(),
        args.code_ttl_secs,
        &fingerprint,
    )
    .await?;
    if args.json {
        return out(serde_json::to_string(&summary).map_err(|e| MainError::Output(e.into()))?);
    }
    out(format_args!(
        "已接收登记机构“{}”（{}）：人员 {}，申请人 {}，案件 {}，登记号 {}，附件 {}，共 {} 行、{} 条日志。 / adopted.",
        summary.office_name,
        summary.office_code,
        summary.staff,
        summary.applicants,
        summary.cases,
        summary.numbers,
        summary.files,
        summary.rows,
        summary.entries
    ))?;
    out(format_args!("工作站 / station: {}", summary.code.station_name))?;
    out(format_args!("加入码 / code: {}", summary.code.code))?;
    out(format_args!(
        "有效期至 / expires: {}",
        summary.code.expires_at.format("%Y-%m-%d %H:%M:%S UTC")
    ))?;
    out(format_args!(
        "CA 指纹 / CA fingerprint: {}",
        summary.code.ca_fingerprint
    ))?;
    out(format_args!(
        "请在该工作站上运行 regdesk --data-dir {} sync enrol --server https://主机:端口 --code {} --fingerprint {}；加入之前请勿在该工作站上继续办理。",
        station.dir.display(),
        summary.code.code,
        summary.code.ca_fingerprint
    ))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("regdesk-server: 无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("regdesk-server: {e}");
            match e {
                MainError::NoDataDir => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}
