//! The reporting deadline on the overview (issue 11): the period and due day set last, how many
//! days are left, which communes have synced data covering the period and which are missing
//! (the rule: [`crate::reporting`]), and the form a supervisor or an administrator sets it with
//! (`POST /deadline`, with the session's form token).

use super::admin::CSRF_REFUSED;
use super::pages::{self, PeriodQuery};
use super::session::{Signed, forbidden};
use super::text::Lang;
use super::view::commune_name;
use super::{WebState, local_time};
use crate::clock::now_ms;
use crate::reporting::{self, DeadlineStatus};
use crate::storage::{DeadlineRow, DeviceRow};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bvte_domain::time::{from_unix_millis, local_date};
use serde::Deserialize;

/// The deadline panel of the overview.
pub struct DeadlineView {
    /// The report's title.
    pub title: String,
    /// First and last day of the period, due day (dd/mm/yyyy).
    pub from: String,
    pub to: String,
    pub due: String,
    /// Who set it.
    pub set_by: String,
    /// "Còn 3 ngày", "Hôm nay là hạn nộp", "Đã quá hạn 2 ngày".
    pub when: String,
    /// Whether the due day has passed.
    pub late: bool,
    /// Communes covered, of all.
    pub covered: usize,
    pub total: usize,
    /// Missing communes: code, name, last sync (or empty).
    pub missing: Vec<(String, String, String)>,
}

/// The deadline form's fields (those typed, after a mistake; else the deadline set).
#[derive(Default, Deserialize)]
pub struct DeadlineForm {
    #[serde(default)]
    pub csrf: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub period_from: String,
    #[serde(default)]
    pub period_to: String,
    #[serde(default)]
    pub due_on: String,
}

impl DeadlineForm {
    /// The form filled with a deadline set.
    pub fn of(d: &DeadlineRow) -> DeadlineForm {
        DeadlineForm {
            csrf: None,
            title: d.title.clone(),
            period_from: d.from.format("%d/%m/%Y").to_string(),
            period_to: d.to.format("%d/%m/%Y").to_string(),
            due_on: d.due_on.format("%d/%m/%Y").to_string(),
        }
    }
}

/// The status of `deadline` now, for the registered communes.
pub fn status(deadline: &DeadlineRow, codes: &[String], devices: &[DeviceRow]) -> DeadlineStatus {
    let today = local_date(from_unix_millis(now_ms()).unwrap_or_default());
    reporting::status(deadline, codes, devices, today)
}

/// The panel of a status, in the reader's language.
pub fn view(s: &DeadlineStatus, lang: Lang) -> DeadlineView {
    let a = lang.admin();
    let d = &s.deadline;
    let when = match s.days_left {
        0 => a.due_today.to_owned(),
        n if n > 0 => a.days_left.replace("{}", &n.to_string()),
        n => a.days_late.replace("{}", &(-n).to_string()),
    };
    let missing: Vec<_> = s
        .missing()
        .map(|c| {
            (
                c.code.clone(),
                commune_name(&c.code),
                c.last_sync_ms.map_or_else(String::new, local_time),
            )
        })
        .collect();
    DeadlineView {
        title: d.title.clone(),
        from: d.from.format("%d/%m/%Y").to_string(),
        to: d.to.format("%d/%m/%Y").to_string(),
        due: d.due_on.format("%d/%m/%Y").to_string(),
        set_by: d.set_by.clone(),
        when,
        late: s.days_left < 0,
        covered: s.communes.len() - missing.len(),
        total: s.communes.len(),
        missing,
    }
}

/// `POST /deadline`: sets the reporting period and its due day (a supervisor or an
/// administrator), then shows the overview; a mistake shows the overview with the form as typed
/// and what is wrong (400), nothing stored.
pub async fn set(
    s: Signed,
    State(state): State<WebState>,
    Form(form): Form<DeadlineForm>,
) -> Response {
    if !form.csrf.as_deref().is_some_and(|t| s.csrf_ok(t)) {
        return forbidden(CSRF_REFUSED);
    }
    let parsed = reporting::parse(
        &form.title,
        &form.period_from,
        &form.period_to,
        &form.due_on,
        &s.session.user_name,
        now_ms(),
    );
    match parsed {
        Ok(row) => {
            let storage = state.storage.clone();
            let saved = tokio::task::spawn_blocking(move || storage.set_deadline(&row)).await;
            match saved {
                Ok(Ok(())) => Redirect::to("/").into_response(),
                _ => StatusCode::SERVICE_UNAVAILABLE.into_response(),
            }
        }
        Err((vi, en)) => {
            let a = s.lang.admin();
            let message = format!("{} {}", a.bad_deadline, s.lang.pick(&vi, &en));
            pages::render_overview(s, state, PeriodQuery::default(), Some((form, message))).await
        }
    }
}
