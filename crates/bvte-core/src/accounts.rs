//! Accounts as the local admin manages them (issue 14): list, add, remove, set a passphrase.
//! Each account's passphrase wraps the same database key (`bvte_store::accounts`), so none of
//! this re-encrypts the database. Every change is entered in the audit trail, naming the
//! account (a staff member, never a child).

use crate::Session;
use crate::access::Action;
use crate::error::CoreError;
use crate::session::check_passphrase;
use bvte_domain::codes::Code;
use bvte_domain::error::Collector;
use bvte_domain::role::Role;
use bvte_domain::text::{MAX_NAME_CHARS, clean_line};
use bvte_domain::{Instant, ValidationError};
use bvte_store::{Account, AuditAction, Store};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// An account as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AccountRow {
    /// Its name.
    pub name: String,
    /// Its role (`officer`, `leader`, `admin`).
    pub role: Role,
    /// The role in Vietnamese.
    pub role_vi: String,
    /// The role in English.
    pub role_en: String,
    /// Whether it is the account signed in.
    pub signed_in: bool,
}

/// A new account, as the form or `bvte account add` sends it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewAccount {
    /// Its name (a person's name is usual), unique whatever the case.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its passphrase (at least 8 characters).
    pub passphrase: String,
    /// The passphrase again.
    pub passphrase_confirm: String,
}

/// The names of the accounts of the register at `db`, for the unlock screen (read from the
/// key file: no passphrase needed, no secret shown). Empty for a register made before
/// accounts, which needs no name.
pub fn account_names(db: &Path) -> Result<Vec<String>, CoreError> {
    Ok(Store::accounts_of(db)?
        .into_iter()
        .map(|a| a.name)
        .collect())
}

fn checked_passphrase(p: &str, confirm: &str, c: &mut Collector) {
    if let Err(CoreError::Invalid(e)) = check_passphrase(p) {
        for e in e.0 {
            c.push(e);
        }
    }
    if p != confirm {
        c.push(ValidationError::PassphraseMismatch);
    }
}

impl Session {
    /// The accounts (local admin only).
    pub fn accounts(&self) -> Result<Vec<AccountRow>, CoreError> {
        self.require(Action::Accounts)?;
        let me = bvte_store::accounts::name_key(&self.account().name);
        Ok(self
            .store
            .accounts()?
            .into_iter()
            .map(|a| AccountRow {
                signed_in: bvte_store::accounts::name_key(&a.name) == me,
                role_vi: a.role.label_vi().into(),
                role_en: a.role.label_en().into(),
                name: a.name,
                role: a.role,
            })
            .collect())
    }

    /// Adds an account (local admin only). Every problem of the input is reported at once.
    pub fn add_account(
        &mut self,
        input: &NewAccount,
        now: Instant,
    ) -> Result<Vec<AccountRow>, CoreError> {
        self.require(Action::Accounts)?;
        let mut c = Collector::default();
        let name = c.take(clean_line("account_name", &input.name, MAX_NAME_CHARS));
        if name.as_deref() == Some("") {
            c.push(ValidationError::Required {
                field: "account_name".into(),
            });
        }
        let name = name.unwrap_or_default();
        checked_passphrase(&input.passphrase, &input.passphrase_confirm, &mut c);
        c.finish(|| ())?;
        let account = Account {
            name,
            role: input.role,
        };
        self.store.add_account(&account, &input.passphrase)?;
        self.note(
            now,
            AuditAction::Account,
            "account",
            &format!("thêm “{}” ({})", account.name, account.role.code()),
        )?;
        self.accounts()
    }

    /// Removes an account (local admin only): its passphrase no longer opens the register. The
    /// last local admin cannot be removed.
    pub fn remove_account(
        &mut self,
        name: &str,
        now: Instant,
    ) -> Result<Vec<AccountRow>, CoreError> {
        self.require(Action::Accounts)?;
        let gone = self.store.remove_account(name)?;
        self.note(
            now,
            AuditAction::Account,
            "account",
            &format!("xóa “{}” ({})", gone.name, gone.role.code()),
        )?;
        self.accounts()
    }

    /// Sets the passphrase of account `name`: one's own (every account), or another's (local
    /// admin only, e.g. for an officer who forgot theirs).
    pub fn set_account_passphrase(
        &mut self,
        name: &str,
        passphrase: &str,
        passphrase_confirm: &str,
        now: Instant,
    ) -> Result<(), CoreError> {
        let own = bvte_store::accounts::name_key(name)
            == bvte_store::accounts::name_key(&self.account().name);
        self.require(if own {
            Action::OwnPassphrase
        } else {
            Action::Accounts
        })?;
        let mut c = Collector::default();
        checked_passphrase(passphrase, passphrase_confirm, &mut c);
        c.finish(|| ())?;
        let account = self.store.set_account_passphrase(name, passphrase)?;
        self.note(
            now,
            AuditAction::Account,
            "account",
            &format!("đổi mật khẩu “{}”", account.name),
        )
    }
}
