//! `GET /api/v1/release?target=deb-amd64`: the newest release the server holds for the
//! device's kind of PC ([`bvte_update::LatestRelease`], `release: null` when none), and
//! `GET /api/v1/release/file/{file}`: that package's bytes. Enrolled devices only, like sync
//! (a revoked device gets nothing). The device checks the package's signature itself.

use super::AppState;
use super::auth::Device;
use crate::error::Refusal;
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use bvte_update::{LatestRelease, Package};
use serde::Deserialize;

/// The query: the device's kind of PC.
#[derive(Deserialize)]
pub struct ReleaseQuery {
    target: String,
}

/// `GET /api/v1/release?target=…`.
pub async fn latest(
    State(state): State<AppState>,
    Device(_device): Device,
    query: Result<Query<ReleaseQuery>, QueryRejection>,
) -> Result<Json<LatestRelease>, Refusal> {
    let target = query
        .ok()
        .map(|Query(q)| q.target)
        .filter(|t| bvte_update::package::valid_target(t))
        .ok_or_else(|| {
            Refusal::bad(
                "Tham số target phải là loại máy, ví dụ deb-amd64, rpm-x86_64, nsis-x64.",
                "The target parameter must be a kind of PC, e.g. deb-amd64, rpm-x86_64, nsis-x64.",
            )
        })?;
    let releases = state.blocking(|s| s.releases()).await?;
    Ok(Json(LatestRelease {
        release: crate::releases::newest(releases, &target),
    }))
}

/// `GET /api/v1/release/file/{file}`: a stored package, by its file name.
pub async fn file(
    State(state): State<AppState>,
    Device(_device): Device,
    Path(file): Path<String>,
) -> Result<Response, Refusal> {
    // Only a package name (never a path), and only one the server recorded.
    Package::from_file_name(&file).map_err(|_| Refusal::NotFound)?;
    let wanted = file.clone();
    let known = state
        .blocking(move |s| Ok(s.releases()?.iter().any(|r| r.manifest.file == wanted)))
        .await?;
    if !known {
        return Err(Refusal::NotFound);
    }
    let path = crate::releases::folder(&state.data).join(&file);
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        eprintln!("release file unreadable: {e}");
        Refusal::Storage
    })?;
    Ok((
        [
            (CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        Body::from(bytes),
    )
        .into_response())
}
