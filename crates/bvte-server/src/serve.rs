//! `serve`: the HTTPS API on the address asked for, until SIGTERM or Ctrl-C, with every wait
//! on a client bounded and the connections capped (`connections.rs`).

use crate::api::{self, AppState};
use crate::cli::ServeArgs;
use crate::connections::{CapAcceptor, Limits};
use crate::error::CliError;
use crate::{storage, tls};
use axum_server::tls_rustls::RustlsConfig;
use std::io::Write;
use std::time::Duration;

/// How long requests in flight may finish after a stop signal.
const GRACE: Duration = Duration::from_secs(10);

/// Serves until stopped. Prints `listening on https://IP:PORT` once ready.
///
/// Errors: no database or certificate; the address cannot be bound; the runtime fails.
pub fn run(args: &ServeArgs) -> Result<(), CliError> {
    let common = &args.common;
    // Owner-only, whatever happened to it since `init` (issue 10 item 9; see `folder`).
    crate::folder::make_private(&common.data)?;
    // Held here until the runtime is gone: a PostgreSQL connection must not be closed from
    // inside the async runtime (its sync client blocks on a runtime of its own).
    let storage = storage::open(&common.data, common.database_url.as_deref(), false)?;
    let app_storage = std::sync::Arc::clone(&storage);
    let identity = api::Identity::new(storage.server_id()?);
    // The reference lists the check of every pushed change reads, loaded before the first push.
    let _ = (
        bvte_domain::reference::units(),
        bvte_domain::reference::ethnic_groups(),
    );
    let config = RustlsConfig::from_config(tls::server_config(&common.data)?);
    let listener = std::net::TcpListener::bind(&args.listen).map_err(|e| {
        CliError::input(
            format!(
                "Không lắng nghe được trên {} ({e}): cổng đang bận hoặc địa chỉ sai",
                args.listen
            ),
            format!("cannot listen on {}: port busy or bad address", args.listen),
        )
    })?;
    let runtime_failure = |e: std::io::Error| CliError::Files {
        vi: format!("Máy chủ dừng vì lỗi: {e}"),
        en: format!("the server stopped: {e}"),
    };
    let addr = listener.local_addr().map_err(runtime_failure)?;
    let data = common.data.clone();
    let limits = Limits::new(
        args.max_connections as usize,
        args.max_connections_per_address as usize,
        args.slow_client_ms.map(Duration::from_millis),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(runtime_failure)?;
    runtime
        .block_on(async move {
            let handle = axum_server::Handle::new();
            let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(config)
                .handshake_timeout(limits.handshake)
                .acceptor(CapAcceptor::new(limits));
            // HTTP/1.1 only (the TLS configuration offers nothing else): the header timeout
            // below is HTTP/1's; it also closes a kept-alive connection left idle that long.
            let mut server = axum_server::from_tcp(listener)?
                .http1_only()
                .first_request_timeout(limits.headers)
                .accept_error_handler(|_, e| eprintln!("connection closed: {e}"))
                .acceptor(acceptor)
                .handle(handle.clone());
            server
                .http_builder()
                .http1()
                .header_read_timeout(limits.headers);
            tokio::spawn(stop_on_signal(handle));
            let mut out = std::io::stdout();
            writeln!(out, "listening on https://{addr}")?;
            out.flush()?;
            // The communes' report inputs, read ahead from the start.
            let reports = std::sync::Arc::new(crate::report_cache::ReportCache::default());
            reports.refresh_soon(app_storage.clone());
            server
                .serve(
                    api::router(AppState {
                        storage: app_storage.clone(),
                        identity,
                        data: data.into(),
                        reports: reports.clone(),
                    })
                    // The area dashboard's pages, beside the API.
                    .merge(crate::web::router(crate::web::WebState {
                        storage: app_storage,
                        limits: crate::accounts::SessionLimits::default(),
                        reports,
                    }))
                    .layer(axum::Extension(api::RequestTimeout(limits.request)))
                    // The client's address, for the rate limit on failed attempts.
                    .into_make_service_with_connect_info::<std::net::SocketAddr>(),
                )
                .await
        })
        .map_err(runtime_failure)?;
    drop(runtime);
    drop(storage);
    eprintln!("stopped");
    Ok(())
}

async fn stop_on_signal(handle: axum_server::Handle<std::net::SocketAddr>) {
    let ctrl_c = tokio::signal::ctrl_c();
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = ctrl_c.await;
        }
    }
    eprintln!("stopping: finishing requests in flight");
    handle.graceful_shutdown(Some(GRACE));
}
