//! An unlocked installation and who is working in it.

use crate::error::CoreError;
use bvte_domain::Instant;
use bvte_domain::role::Role;
use bvte_domain::text::{MAX_NAME_CHARS, clean_line};
use bvte_domain::units::Commune;
use bvte_store::{Account, KdfParams, Origin, RecoveryCode, Store, Unlock, WriteCtx};
use std::path::Path;

/// Shortest accepted passphrase, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// An unlocked database, with the author and origin stamped on every write, and the account
/// signed in, whose role decides what the session may do (`access`).
#[derive(Debug)]
pub struct Session {
    /// The store.
    pub store: Store,
    author: String,
    origin: Origin,
    account: Account,
}

/// The account of a session opened with the recovery code: the code opens everything, as the
/// local admin.
pub const RECOVERY_ACCOUNT: &str = "Mã khôi phục";

/// Checks a new passphrase.
pub fn check_passphrase(p: &str) -> Result<(), CoreError> {
    if p.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(bvte_domain::ValidationError::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS,
        }
        .into());
    }
    Ok(())
}

impl Session {
    /// Sets up a new installation for the commune `commune_code` (a current official code; an
    /// old code is refused with the name of its successor). The officer becomes its first
    /// account, the local admin (named `bvte_store::accounts::DEFAULT_ADMIN_NAME` when no
    /// officer is given). Returns the session and the recovery code to show once.
    pub fn init(
        path: &Path,
        passphrase: &str,
        commune_code: &str,
        officer: &str,
        kdf: KdfParams,
        now: Instant,
    ) -> Result<(Session, RecoveryCode), CoreError> {
        Session::init_as(path, None, passphrase, commune_code, officer, kdf, now)
    }

    /// [`Session::init`] with the first account's name chosen (`None`: the officer's name).
    pub fn init_as(
        path: &Path,
        account: Option<&str>,
        passphrase: &str,
        commune_code: &str,
        officer: &str,
        kdf: KdfParams,
        now: Instant,
    ) -> Result<(Session, RecoveryCode), CoreError> {
        let commune = bvte_domain::reference::units().require_current("commune", commune_code)?;
        check_passphrase(passphrase)?;
        let officer = clean_line("officer", officer, MAX_NAME_CHARS)?;
        let named = clean_line("account_name", account.unwrap_or_default(), MAX_NAME_CHARS)?;
        let admin = Account {
            name: [named, officer.clone()]
                .into_iter()
                .find(|n| !n.is_empty())
                .unwrap_or_else(|| bvte_store::accounts::DEFAULT_ADMIN_NAME.to_string()),
            role: Role::Admin,
        };
        let (mut store, code) =
            Store::create_with(path, &admin, passphrase, &commune.code, kdf, now)?;
        if !officer.is_empty() {
            store.set_setting("officer_name", &officer)?;
        }
        let author = officer_or_default(&store);
        Ok((
            Session {
                store,
                author,
                origin: Origin::Cli,
                account: admin,
            },
            code,
        ))
    }

    /// Unlocks an installation; writes will carry `origin`.
    pub fn open(path: &Path, unlock: Unlock<'_>, origin: Origin) -> Result<Session, CoreError> {
        let store = Store::open(path, unlock)?;
        let author = officer_or_default(&store);
        let account = store.account().cloned().unwrap_or_else(|| Account {
            name: RECOVERY_ACCOUNT.into(),
            role: Role::Admin,
        });
        Ok(Session {
            store,
            author,
            origin,
            account,
        })
    }

    /// The account signed in.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// Overrides the author of the following writes (e.g. a second officer on a shared PC).
    pub fn set_author(&mut self, author: &str) -> Result<(), CoreError> {
        let a = clean_line("officer", author, MAX_NAME_CHARS)?;
        if !a.is_empty() {
            self.author = a;
        }
        Ok(())
    }

    /// Sets the origin of the following writes.
    pub fn set_origin(&mut self, origin: Origin) {
        self.origin = origin;
    }

    /// The author of writes.
    pub fn author(&self) -> &str {
        &self.author
    }

    /// The attribution for a write at `now`.
    pub fn write_ctx(&self, now: Instant) -> WriteCtx {
        WriteCtx {
            origin: self.origin,
            author: self.author.clone(),
            account: self.account.name.clone(),
            now,
        }
    }

    /// The installation's commune.
    pub fn commune(&self) -> Result<&'static Commune, CoreError> {
        Ok(bvte_domain::reference::units()
            .require_current("commune", &self.store.installation().commune_code)?)
    }
}

fn officer_or_default(store: &Store) -> String {
    store
        .setting("officer_name")
        .ok()
        .flatten()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Cán bộ bảo vệ trẻ em".to_string())
}
