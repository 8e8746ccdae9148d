//! The installation as the desktop app sees it: set up once (commune, officer, passphrase,
//! recovery code, optional demo data), then locked or unlocked, with the lock-out policy of
//! `lockout` applied to passphrase attempts — by the desktop app and the CLI alike.

use crate::error::CoreError;
use crate::lockout::{Attempts, Moment};
use crate::session::{MIN_PASSPHRASE_CHARS, Session, check_passphrase};
use crate::settings::DEFAULT_IDLE_LOCK_MINUTES;
use bvte_domain::error::Collector;
use bvte_domain::text::{MAX_NAME_CHARS, clean_line};
use bvte_domain::units::{Commune, CommuneLookup};
use bvte_domain::{Instant, ValidationError};
use bvte_store::{KdfParams, Origin, RecoveryCode, StoreError, Unlock};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Children created when the officer asks for demonstration data at set-up.
pub const DEMO_CHILDREN: usize = 500;

/// Where the installation stands.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AppStatus {
    /// `setup`, `locked` or `unlocked`.
    pub state: String,
    /// The commune, once unlocked.
    pub commune: Option<Commune>,
    /// The officer, once unlocked.
    pub officer_name: Option<String>,
    /// Wrong passphrases in a row.
    pub failed_attempts: u32,
    /// Seconds before another attempt is allowed.
    pub retry_after_seconds: Option<i64>,
    /// Minutes without activity before locking.
    pub idle_lock_minutes: u32,
    /// App version.
    pub version: String,
    /// Once unlocked: the account signed in (issue 14).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub account: Option<bvte_store::Account>,
    /// Once unlocked: what the account's role allows (`access`), for the window to hide the
    /// rest; the backend refuses it anyway.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub allowed: Option<Vec<crate::access::Action>>,
    /// While locked: the accounts' names, for the unlock screen to choose from (empty or one:
    /// no choice needed).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub accounts: Option<Vec<String>>,
}

/// A commune offered by the set-up search.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CommuneHit {
    /// Current code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Province.
    pub province_name: String,
    /// For an old code: what it was and that it merged here.
    pub note: Option<String>,
}

/// What the set-up wizard sends.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SetupInput {
    /// Commune code.
    pub commune_code: String,
    /// Officer's name (required: it signs every form and every change).
    pub officer_name: String,
    /// The chair of the commune People's Committee, who signs decisions (Mẫu 05, 07); may be
    /// left for Settings.
    #[serde(default)]
    pub chair_name: String,
    /// Passphrase.
    pub passphrase: String,
    /// Passphrase again.
    pub passphrase_confirm: String,
    /// Fill the register with demonstration data.
    pub load_demo: bool,
}

/// What set-up returns: the recovery code, shown once.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SetupResult {
    /// The recovery code (`ABCD-EFGH-…`).
    pub recovery_code: String,
    /// The status after set-up (unlocked).
    pub status: AppStatus,
}

/// What the recovery flow returns: the new recovery code, shown once (the one just used no
/// longer opens the database), and the status (unlocked).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RecoverResult {
    /// The new recovery code (`ABCD-EFGH-…`).
    pub recovery_code: String,
    /// The status after recovery (unlocked).
    pub status: AppStatus,
}

/// The status of the installation at `db`.
pub fn status(db: &Path, session: Option<&Session>, now: &Moment) -> AppStatus {
    let attempts = Attempts::current(db, now);
    let retry = attempts.retry_after(now);
    let (state, commune, officer, idle) = match session {
        Some(s) => (
            "unlocked",
            s.commune().ok().cloned(),
            Some(s.author().to_string()),
            s.settings()
                .map(|x| x.idle_lock_minutes)
                .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES),
        ),
        None if db.is_file() => ("locked", None, None, DEFAULT_IDLE_LOCK_MINUTES),
        None => ("setup", None, None, DEFAULT_IDLE_LOCK_MINUTES),
    };
    AppStatus {
        state: state.into(),
        commune,
        officer_name: officer,
        failed_attempts: attempts.failures,
        retry_after_seconds: (retry > 0).then_some(retry),
        idle_lock_minutes: idle,
        version: env!("CARGO_PKG_VERSION").into(),
        account: session.map(|s| s.account().clone()),
        allowed: session.map(|s| {
            <crate::access::Action as bvte_domain::codes::Code>::ALL
                .iter()
                .copied()
                .filter(|a| s.may(*a))
                .collect()
        }),
        accounts: match (session, state) {
            (None, "locked") => crate::accounts::account_names(db).ok(),
            _ => None,
        },
    }
}

/// Communes matching what the officer types (name without accents, or code), at most 30; an
/// old code leads to its successor with a note.
pub fn search_communes(query: &str) -> Vec<CommuneHit> {
    let units = bvte_domain::reference::units();
    let mut hits = Vec::new();
    if let CommuneLookup::Merged {
        old, successors, ..
    } = units.lookup(query)
    {
        for s in successors {
            hits.push(CommuneHit {
                code: s.code.clone(),
                name: s.name.clone(),
                province_name: s.province_name.clone(),
                note: Some(format!(
                    "Mã cũ {} ({}, {}) đã sáp nhập vào đây từ 01/07/2025",
                    old.code, old.name, old.district_name
                )),
            });
        }
    }
    if query.trim().chars().count() >= 2 {
        hits.extend(units.search(query, 30).into_iter().map(|c| CommuneHit {
            code: c.code.clone(),
            name: c.name.clone(),
            province_name: c.province_name.clone(),
            note: None,
        }));
    }
    hits.truncate(30);
    hits
}

/// Sets the installation up and unlocks it. Every problem of the input is reported at once
/// (commune, officer, chair, passphrase and its confirmation), so the screen marks each field;
/// nothing is created while one remains.
pub fn setup(db: &Path, input: &SetupInput, now: Instant) -> Result<(Session, String), CoreError> {
    let mut c = Collector::default();
    let commune = if input.commune_code.trim().is_empty() {
        c.push(ValidationError::Required {
            field: "commune_code".into(),
        });
        None
    } else {
        c.take(bvte_domain::reference::units().require_current("commune_code", &input.commune_code))
    };
    let officer = c
        .take(clean_line(
            "officer_name",
            &input.officer_name,
            MAX_NAME_CHARS,
        ))
        .filter(|o| {
            if o.is_empty() {
                c.push(ValidationError::Required {
                    field: "officer_name".into(),
                });
            }
            !o.is_empty()
        });
    let chair = c.take(clean_line("chair_name", &input.chair_name, MAX_NAME_CHARS));
    if input.passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        c.push(ValidationError::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    if input.passphrase != input.passphrase_confirm {
        c.push(ValidationError::PassphraseMismatch);
    }
    c.finish(|| ())?;
    // Each value is missing only with its error recorded, so this never answers.
    let (Some(commune), Some(officer), Some(chair)) = (commune, officer, chair) else {
        return Err(ValidationError::Required {
            field: "officer_name".into(),
        }
        .into());
    };
    let (mut session, code) = Session::init(
        db,
        &input.passphrase,
        &commune.code,
        &officer,
        KdfParams::default(),
        now,
    )?;
    if !chair.is_empty() {
        session.store.set_setting("chair_name", &chair)?;
    }
    session.set_origin(Origin::Ui);
    if input.load_demo {
        session.generate_demo(DEMO_CHILDREN, 1, now, |_, _| {})?;
        session.set_origin(Origin::Ui);
    }
    Ok((session, code.display()))
}

/// Fails with `LockedOut` while the lock-out makes the next passphrase wait: what the CLI
/// checks before asking for a passphrase that could not be tried anyway.
pub fn check_wait(db: &Path, now: &Moment) -> Result<(), CoreError> {
    let before = Attempts::current(db, now);
    let wait = before.retry_after(now);
    if wait > 0 {
        return Err(CoreError::LockedOut {
            failures: before.failures,
            retry_after_seconds: wait,
        });
    }
    Ok(())
}

/// Opens the database with the lock-out policy: a passphrase waits while the lock-out runs;
/// every wrong passphrase or recovery code counts; success clears the count. The recovery code
/// does not wait (160 random bits cannot be guessed, and the lock-out message offers it).
/// Writes will carry `origin`.
pub fn open(
    db: &Path,
    unlock: Unlock<'_>,
    origin: Origin,
    now: &Moment,
) -> Result<Session, CoreError> {
    if let Unlock::Passphrase(_) | Unlock::Account(..) | Unlock::AnyPassphrase(_) = unlock {
        check_wait(db, now)?;
    }
    let before = Attempts::current(db, now);
    match Session::open(db, unlock, origin) {
        Ok(s) => {
            Attempts::succeeded(db);
            // Wrong passphrases cannot be entered while the database is locked: they are,
            // counted, at the next sign-in (issue 14).
            if before.failures > 0 {
                s.note(
                    now.wall,
                    bvte_store::AuditAction::SignInFailed,
                    "session",
                    &format!(
                        "{} lần sai mật khẩu trước lần đăng nhập này{}",
                        before.failures,
                        before.tried_vi()
                    ),
                )?;
            }
            let how = match unlock {
                Unlock::Passphrase(_) | Unlock::Account(..) | Unlock::AnyPassphrase(_) => {
                    "mật khẩu"
                }
                Unlock::Recovery(_) => "mã khôi phục",
            };
            s.note(now.wall, bvte_store::AuditAction::SignIn, "session", how)?;
            Ok(s)
        }
        Err(CoreError::Store(StoreError::WrongPassphrase)) => {
            let tried = match unlock {
                Unlock::Account(name, _) => Some(name),
                _ => None,
            };
            let a = Attempts::failed_for(db, now, tried);
            Err(CoreError::WrongPassphrase {
                failures: a.failures,
                retry_after_seconds: a.retry_after(now),
            })
        }
        Err(e) => Err(e),
    }
}

/// Unlocks with the passphrase, applying the lock-out policy.
pub fn unlock(db: &Path, passphrase: &str, now: &Moment) -> Result<Session, CoreError> {
    open(db, Unlock::Passphrase(passphrase), Origin::Ui, now)
}

/// Unlocks with the passphrase of account `account` (`None`: the only account), applying the
/// lock-out policy.
pub fn unlock_account(
    db: &Path,
    account: Option<&str>,
    passphrase: &str,
    now: &Moment,
) -> Result<Session, CoreError> {
    let unlock = match account.map(str::trim).filter(|a| !a.is_empty()) {
        Some(name) => Unlock::Account(name, passphrase),
        None => Unlock::Passphrase(passphrase),
    };
    open(db, unlock, Origin::Ui, now)
}

/// Unlocks with the recovery code, sets a new passphrase and replaces the recovery code (the
/// one used was typed somewhere and may have been seen: it no longer opens the database).
/// Returns the session (writes from the window: origin `ui`) and the new code, to show once.
pub fn recover(
    db: &Path,
    code: &str,
    new_passphrase: &str,
    now: &Moment,
) -> Result<(Session, String), CoreError> {
    recover_account(db, code, None, new_passphrase, now)
}

/// [`recover`] setting the new passphrase of account `account` (`None`: the only account).
pub fn recover_account(
    db: &Path,
    code: &str,
    account: Option<&str>,
    new_passphrase: &str,
    now: &Moment,
) -> Result<(Session, String), CoreError> {
    check_passphrase(new_passphrase)?;
    let code = RecoveryCode::parse(code);
    let session = open(db, Unlock::Recovery(&code), Origin::Ui, now)?;
    let account = account.map(str::trim).filter(|a| !a.is_empty());
    let fresh = bvte_store::Store::recover(db, &code, account, new_passphrase)?;
    Ok((session, fresh.display()))
}
