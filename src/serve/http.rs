//! The dev server's HTTP side (axum): serves the in-memory site and nothing else (a path is a key
//! into the rendered output, so no request can reach a file outside it), checks the `Host` header,
//! sends no CORS headers, injects the live-reload script into pages, streams reload events. A
//! request for a file being rebuilt waits until it is current.

use super::{Lookup, Shared};
use crate::error::{Error, Result};
use axum::body::Body;
use axum::extract::{Request, State as AxumState};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

const LIVE_JS: &str = include_str!("live.js");
const DEFAULT_PORT: u16 = 1111;

/// How long a request waits for a file being rebuilt before giving up.
const WAIT: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Clone)]
struct App {
    state: Arc<Shared>,
    tx: broadcast::Sender<u64>,
    addr: SocketAddr,
}

/// Binds `bind:port`, or the first free port from 1111 when no port is given.
pub async fn bind(bind: &str, port: Option<u16>) -> Result<(tokio::net::TcpListener, SocketAddr)> {
    let ports: Vec<u16> = match port {
        Some(p) => vec![p],
        None => (DEFAULT_PORT..DEFAULT_PORT + 50).collect(),
    };
    for p in ports {
        if let Ok(l) = tokio::net::TcpListener::bind((bind, p)).await {
            let addr = l.local_addr().map_err(|e| Error::Other(e.to_string()))?;
            return Ok((l, addr));
        }
    }
    Err(Error::Usage(format!("无法在 {bind} 上监听端口（{}）", port.map_or("1111 起".into(), |p| p.to_string()))))
}

pub async fn run(
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    state: Arc<Shared>,
    tx: broadcast::Sender<u64>,
) -> Result<()> {
    let app = App { state, tx, addr };
    let router = Router::new()
        .route("/__gongshi/live.js", get(live_js))
        .route("/__gongshi/status", get(status))
        .route("/__gongshi/events", get(events))
        .fallback(get(page))
        .with_state(app);
    axum::serve(listener, router).await.map_err(|e| Error::Other(format!("预览服务出错：{e}")))
}

/// Only names of this machine may address the server (DNS-rebinding defence).
fn host_allowed(headers: &HeaderMap, addr: SocketAddr) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    let port = addr.port();
    let ok = [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}"), format!("{addr}")];
    ok.iter().any(|h| h.eq_ignore_ascii_case(host))
}

fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "Host 不被允许").into_response()
}

async fn live_js(AxumState(app): AxumState<App>, headers: HeaderMap) -> Response {
    if !host_allowed(&headers, app.addr) {
        return forbidden();
    }
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS).into_response()
}

async fn status(AxumState(app): AxumState<App>, headers: HeaderMap) -> Response {
    if !host_allowed(&headers, app.addr) {
        return forbidden();
    }
    let body = {
        let s = app.state.lock();
        serde_json::json!({ "generation": s.generation, "errors": s.errors })
    };
    ([(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body.to_string())
        .into_response()
}

async fn events(AxumState(app): AxumState<App>, headers: HeaderMap) -> Response {
    if !host_allowed(&headers, app.addr) {
        return forbidden();
    }
    let stream = BroadcastStream::new(app.tx.subscribe())
        .filter_map(|g| g.ok())
        .map(|g| Ok::<_, std::convert::Infallible>(Event::default().event("reload").data(g.to_string())));
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

async fn page(AxumState(app): AxumState<App>, req: Request) -> Response {
    if !host_allowed(req.headers(), app.addr) {
        return forbidden();
    }
    let Some(key) = output_key(req.uri().path()) else {
        return (StatusCode::NOT_FOUND, "找不到").into_response();
    };
    let Some(bytes) = current(&app.state, &key).await else {
        return (StatusCode::NOT_FOUND, "找不到该页面").into_response();
    };
    let body = if key.ends_with(".html") { inject_live_reload(&bytes) } else { bytes.as_ref().clone() };
    ([(header::CONTENT_TYPE, content_type(&key)), (header::CACHE_CONTROL, "no-store")], Body::from(body))
        .into_response()
}

/// The file at `key` once it is current, or `None` when the site has no such file.
async fn current(state: &Shared, key: &str) -> Option<crate::render::Bytes> {
    let mut changes = state.subscribe()?;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        // Subscribed before looking: a change after the look wakes the wait below.
        let found = state.lock().lookup(key);
        match found {
            Lookup::Found(bytes) => return Some(bytes),
            Lookup::Missing => return None,
            Lookup::Wait => {
                if tokio::time::timeout_at(deadline, changes.changed()).await.map_or(true, |r| r.is_err()) {
                    return None;
                }
            }
        }
    }
}

/// The output key of a request path, or `None` for anything that tries to climb out.
pub fn output_key(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn inject_live_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let tag = "<script src=\"/__gongshi/live.js\"></script>";
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_output_keys_and_never_climb() {
        assert_eq!(output_key("/").as_deref(), Some("index.html"));
        assert_eq!(output_key("/orgs/").as_deref(), Some("orgs/index.html"));
        assert_eq!(output_key("/orgs/hexing/index.html").as_deref(), Some("orgs/hexing/index.html"));
        for bad in ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/orgs/..%2F..%2FCargo.toml", "/a\\..\\b", "/%00"] {
            assert_eq!(output_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_local_host_names_are_allowed() {
        let addr: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "localhost:1111".parse().unwrap());
        assert!(host_allowed(&h, addr));
        h.insert(header::HOST, "evil.example:1111".parse().unwrap());
        assert!(!host_allowed(&h, addr));
    }
}
