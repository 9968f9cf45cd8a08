//! The HTTPS interface: the router, the checks every request passes (body
//! size, protocol version headers, the station's credential) and refusals as
//! [`ErrorReply`] JSON with the matching status, each one logged (tracing and
//! the `refusals` table).
//!
//! Layers, outermost first: refusal log → body limit → version headers →
//! the endpoint (which takes [`StationAuth`] when it needs a station).

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use deadpool_postgres::Pool;
use regdesk_sync::protocol::{
    ChainReply, EnrolReply, EnrolRequest, ErrorCode, ErrorReply, Hello, HelloReply, LeaseReply, LeaseRequest,
    NumbersAuditRequest, PullRequest, PushReply, PushRequest, SnapshotChunk, SnapshotRequest, StateReply, HEADER_APP,
    HEADER_PROTOCOL, MAX_BODY_BYTES, MIN_PROTOCOL_VERSION, PATH_BLOBS, PATH_CHAIN, PATH_ENROL, PATH_HELLO, PATH_LEASES,
    PATH_NUMBERS, PATH_PULL, PATH_PUSH, PATH_SNAPSHOT, PATH_STATE, PROTOCOL_VERSION,
};
use serde::de::DeserializeOwned;

use crate::auth::{self, StationAuth};
use crate::blobs::{self, BlobStore};
use crate::record::{self, RecordError};
use crate::{office, stations};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    /// The office CA's fingerprint, handed to enrolling stations.
    pub ca_fingerprint: String,
    /// Wakes long-polling pulls when an entry is accepted.
    pub waker: record::Waker,
    /// Attachments by SHA-256 (`DATA_DIR/blobs`).
    pub blobs: BlobStore,
}

/// The oldest journal payload format the server reads (older ones are upgraded by `regdesk_domain::stored`).
pub const MIN_PAYLOAD_FORMAT: i64 = 1;

/// A refused request: its status, code and Chinese message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    pub fn unauthenticated(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, message)
    }

    /// The database could not be reached: the station tries again later.
    pub fn unavailable(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(%detail, "database unavailable");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            "服务器的数据库暂时不可用，未作任何更改：请稍后再试",
        )
    }

    /// A failure of the server's own: nothing was applied.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(%detail, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "服务器出错，未作任何更改：请稍后再试，仍不行请联系系统管理员查看服务器日志",
        )
    }
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(e: tokio_postgres::Error) -> ApiError {
        if e.is_closed() {
            ApiError::unavailable(e)
        } else {
            ApiError::internal(e)
        }
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> ApiError {
        ApiError::unavailable(e)
    }
}

impl From<RecordError> for ApiError {
    fn from(e: RecordError) -> ApiError {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            tracing::error!(error = %e, "record failed");
        }
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorReply {
            code: self.code,
            message: self.message,
        };
        let mut response = (self.status, Json(body.clone())).into_response();
        response.extensions_mut().insert(body);
        response
    }
}

/// A JSON body whose refusal is an [`ErrorReply`]: 413 `too_large` past
/// [`MAX_BODY_BYTES`], else 400 `bad_request` naming what is wrong.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(rejection) => Err(json_refusal(&rejection)),
        }
    }
}

fn json_refusal(rejection: &JsonRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::TooLarge,
            format!("请求太大（超过 {} MB）：请分批发送", MAX_BODY_BYTES / (1024 * 1024)),
        );
    }
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::bad_request("请求缺少 Content-Type: application/json：请使用 RegDesk 工作台程序同步")
        }
        other => ApiError::bad_request(format!(
            "请求内容无法读取（{}）：请使用 RegDesk 工作台程序同步",
            other.body_text()
        )),
    }
}

/// The calling station, from `Authorization: Bearer <credential>`: unknown
/// or missing → 401 `unauthenticated`, revoked → 403 `station_revoked`. Marks
/// the station as seen.
impl FromRequestParts<AppState> for StationAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                ApiError::unauthenticated("请求没有工作站凭据：请先在本工作站“加入已有机构”（sync enrol）")
            })?;
        let app_version = parts
            .headers
            .get(HEADER_APP)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let client = state.pool.get().await?;
        stations::authenticate(&client, header, &app_version).await
    }
}

/// Every request but the two open ones states its protocol and app version;
/// a version the server cannot serve is refused with 426 before anything else.
async fn check_versions(headers: HeaderMap, request: Request, next: Next) -> Response {
    match versions(&headers) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

fn versions(headers: &HeaderMap) -> Result<(), ApiError> {
    let protocol = headers
        .get(HEADER_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "请求没有注明同步协议版本（{HEADER_PROTOCOL}）：请使用 RegDesk 工作台程序同步"
            ))
        })?;
    let protocol: u32 = protocol.trim().parse().map_err(|_| {
        ApiError::bad_request(format!(
            "同步协议版本“{protocol}”无法识别（{HEADER_PROTOCOL} 应为数字）：请使用 RegDesk 工作台程序同步"
        ))
    })?;
    protocol_supported(protocol)?;
    let app = headers
        .get(HEADER_APP)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if app.is_empty() || app.len() > 64 {
        return Err(ApiError::bad_request(format!(
            "请求没有注明程序版本（{HEADER_APP}）：请使用 RegDesk 工作台程序同步"
        )));
    }
    Ok(())
}

fn protocol_supported(protocol: u32) -> Result<(), ApiError> {
    if protocol < MIN_PROTOCOL_VERSION {
        return Err(ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            ErrorCode::StationTooOld,
            format!(
                "本工作站的程序太旧（同步协议第 {protocol} 版），服务器只支持第 {MIN_PROTOCOL_VERSION}–{PROTOCOL_VERSION} 版：请升级工作台程序后再同步，待同步的记录仍保留在本机"
            ),
        ));
    }
    if protocol > PROTOCOL_VERSION {
        return Err(ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            ErrorCode::StationTooNew,
            format!(
                "本工作站的程序比服务器新（同步协议第 {protocol} 版），服务器只支持到第 {PROTOCOL_VERSION} 版：请先升级中心服务器，待同步的记录仍保留在本机"
            ),
        ));
    }
    Ok(())
}

/// Logs each refusal: tracing, and a row of `refusals` (who, what, why).
async fn log_refusals(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let source = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let claimed = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::parse_bearer)
        .map(|(id, _)| id.chars().take(64).collect::<String>());
    let response = next.run(request).await;
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        let (code, message) = match response.extensions().get::<ErrorReply>() {
            Some(r) => (
                serde_json::to_value(r.code)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                r.message.clone(),
            ),
            None => (String::new(), status.canonical_reason().unwrap_or_default().to_string()),
        };
        tracing::warn!(%source, station = claimed.as_deref().unwrap_or("-"), %method, %path,
            status = status.as_u16(), %code, %message, "request refused");
        let pool = state.pool.clone();
        tokio::spawn(async move {
            let logged = async {
                let client = pool.get().await.map_err(|e| e.to_string())?;
                client
                    .execute(
                        "INSERT INTO refusals (source_ip, station_id, method, path, status, code, message)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        &[
                            &source,
                            &claimed,
                            &method,
                            &path,
                            &i32::from(status.as_u16()),
                            &code,
                            &message,
                        ],
                    )
                    .await
                    .map_err(|e| e.to_string())
            };
            if let Err(e) = logged.await {
                tracing::warn!(error = %e, "refusal not written to the refusals table");
            }
        });
    }
    response
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::BadRequest,
        "这个接口不接受这种请求方式：请使用与服务器相配的 RegDesk 工作台程序",
    )
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::BadRequest,
        "服务器没有这个接口：请确认服务器地址，并使用与服务器相配的工作台程序",
    )
}

/// `POST /v1/hello`: versions and the office; no credential needed, but one
/// that is sent is checked (a station learns at its handshake that it was revoked).
async fn hello(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(hello): JsonBody<Hello>,
) -> Result<Json<HelloReply>, ApiError> {
    protocol_supported(hello.protocol_version)?;
    payload_format_supported(hello.payload_format)?;
    let client = state.pool.get().await?;
    if let Some(header) = headers.get(axum::http::header::AUTHORIZATION) {
        let header = header
            .to_str()
            .map_err(|_| ApiError::unauthenticated("工作站凭据无效：请在本工作站重新加入机构（sync enrol）"))?;
        stations::authenticate(&client, header, &hello.app_version).await?;
    }
    let office = office::get(&**client).await?;
    Ok(Json(HelloReply {
        server_version: env!("CARGO_PKG_VERSION").to_string(),
        protocol_version: PROTOCOL_VERSION,
        min_protocol_version: MIN_PROTOCOL_VERSION,
        payload_formats: (MIN_PAYLOAD_FORMAT, regdesk_domain::stored::JOURNAL_FORMAT),
        office: office.map(|o| o.info()),
    }))
}

/// Whether the server reads journal payloads of `format`.
pub fn payload_format_supported(format: i64) -> Result<(), ApiError> {
    let newest = regdesk_domain::stored::JOURNAL_FORMAT;
    if format > newest {
        return Err(ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            ErrorCode::StationTooNew,
            format!(
                "本工作站记录的格式（第 {format} 版）比服务器新，服务器只读得懂到第 {newest} 版：请先升级中心服务器，待同步的记录仍保留在本机"
            ),
        ));
    }
    if format < MIN_PAYLOAD_FORMAT {
        return Err(ApiError::bad_request(format!(
            "记录格式“{format}”无效（应为 {MIN_PAYLOAD_FORMAT}–{newest}）：请使用 RegDesk 工作台程序同步"
        )));
    }
    Ok(())
}

/// `POST /v1/enrol`: a one-time code for the station's own credential.
async fn enrol(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(request): JsonBody<EnrolRequest>,
) -> Result<Json<EnrolReply>, ApiError> {
    let mut client = state.pool.get().await?;
    let reply = stations::enrol(&mut client, &request, peer.ip(), &state.ca_fingerprint).await?;
    Ok(Json(reply))
}

/// `POST /v1/push`: one verdict per entry (`record::push`).
async fn push(
    State(state): State<AppState>,
    who: StationAuth,
    JsonBody(request): JsonBody<PushRequest>,
) -> Result<Json<PushReply>, ApiError> {
    Ok(Json(record::push(&state.pool, &state.blobs, &who, request).await?))
}

/// `POST /v1/pull`: accepted entries after a cursor, long-polling (`record::pull`).
async fn pull(
    State(state): State<AppState>,
    who: StationAuth,
    JsonBody(request): JsonBody<PullRequest>,
) -> Result<Json<record::PullAnswer>, ApiError> {
    Ok(Json(record::pull(&state.pool, &state.waker, &who, request).await?))
}

/// `POST /v1/leases`: gives back and tops up the station's leased numbers (`record::lease`).
async fn leases(
    State(state): State<AppState>,
    who: StationAuth,
    JsonBody(request): JsonBody<LeaseRequest>,
) -> Result<Json<LeaseReply>, ApiError> {
    Ok(Json(record::lease(&state.pool, &who, request).await?))
}

/// `GET /v1/state`: the record's cursor and state hash (`record::state`).
async fn state(State(state): State<AppState>, who: StationAuth) -> Result<Json<StateReply>, ApiError> {
    Ok(Json(record::state(&state.pool, &who).await?))
}

/// `GET /v1/chain`: the heads of the station's audit chain the record kept (`record::chain`).
async fn chain(State(state): State<AppState>, who: StationAuth) -> Result<Json<ChainReply>, ApiError> {
    Ok(Json(record::chain(&state.pool, &who).await?))
}

/// `POST /v1/numbers`: the numbers audit of the record (`record::numbers_audit`),
/// as `regdesk-server numbers audit --json` gives it. Read-only and holding no
/// personal data, it is open to every enrolled station; the station shows it
/// only to who may view the audit.
async fn numbers(
    State(state): State<AppState>,
    _who: StationAuth,
    JsonBody(request): JsonBody<NumbersAuditRequest>,
) -> Result<Json<record::NumbersAudit>, ApiError> {
    Ok(Json(record::numbers_audit(&state.pool, request.year).await?))
}

/// `POST /v1/snapshot`: a page of the office's rows (`record::snapshot`).
async fn snapshot(
    State(state): State<AppState>,
    who: StationAuth,
    JsonBody(request): JsonBody<SnapshotRequest>,
) -> Result<Json<SnapshotChunk>, ApiError> {
    Ok(Json(record::snapshot(&state.pool, &who, request).await?))
}

/// The server's router: the open endpoints (hello, enrol), the record's
/// (push, pull, state, snapshot, blobs, each for an authenticated station) and every check.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route(PATH_PUSH, post(push))
        .route(PATH_PULL, post(pull))
        .route(PATH_STATE, get(self::state))
        .route(PATH_CHAIN, get(chain))
        .route(PATH_SNAPSHOT, post(snapshot))
        .route(PATH_LEASES, post(leases))
        .route(PATH_NUMBERS, post(numbers))
        .route(
            &format!("{PATH_BLOBS}/{{sha256}}"),
            get(blobs::get).head(blobs::head).put(blobs::put),
        );
    router_with(routes, state)
}

/// `routes` (handlers over [`AppState`] taking [`StationAuth`]) behind the same checks as the open endpoints.
pub fn router_with(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .route(PATH_HELLO, post(hello))
        .route(PATH_ENROL, post(enrol))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(check_versions))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), log_refusals))
        .with_state(state)
}

/// How long a refused connection's pool wait may take before the request is answered 503.
pub const POOL_WAIT: Duration = Duration::from_secs(5);
