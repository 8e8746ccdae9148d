//! Accounts (issue 14): each person who works in the register has an account — a name, a role
//! and a passphrase. Each account's passphrase wraps the same database key in its own slot of
//! the envelope (`keys`), so adding or removing an account never re-encrypts the database, the
//! recovery code still opens it, and a removed account's passphrase no longer does.
//!
//! Names are NFC with single spaces, unique without regard to case ("Nguyễn Thị Hòa" and
//! "nguyễn thị hòa" are one account; "Hoa" and "Hòa" are two people). An envelope written
//! before accounts has one passphrase slot without a name: at its first unlock by passphrase
//! it becomes the local admin account, named after the officer set up on the register, or
//! [`DEFAULT_ADMIN_NAME`] when none was.
//!
//! The role is bound to the slot's encryption (its associated data): editing the role in the
//! file makes that passphrase stop working instead of raising its rights.

use crate::Store;
use crate::error::{Result, StoreError};
use crate::keys::{DbKey, Envelope, SlotKind, wrap_account};
use bvte_domain::role::Role;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The name of the local admin account an older register's passphrase becomes when no
/// officer was set up on it.
pub const DEFAULT_ADMIN_NAME: &str = "Quản trị";

/// An account: who signs in, and with which role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Account {
    /// The name chosen for it (NFC, single spaces), shown on the unlock screen.
    pub name: String,
    /// What it may do (`bvte_core::access`).
    pub role: Role,
}

/// The form of a name that decides whether two names are the same account: NFC, single spaces,
/// lower case.
pub fn name_key(name: &str) -> String {
    bvte_domain::text::nfc(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Account failures.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Several accounts and none named.
    #[error(
        "Sổ này có nhiều tài khoản ({}). Hãy chọn tài khoản của mình (dòng lệnh: --account TÊN hoặc biến môi trường BVTE_ACCOUNT).",
        .names.join(", ")
    )]
    Required {
        /// The accounts' names.
        names: Vec<String>,
    },
    /// No account of that name.
    #[error("Không có tài khoản “{name}”. Các tài khoản của sổ này: {}.", .names.join(", "))]
    Unknown {
        /// The name asked for.
        name: String,
        /// The accounts' names.
        names: Vec<String>,
    },
    /// A name already taken.
    #[error(
        "Đã có tài khoản “{name}” (tên không phân biệt chữ hoa, chữ thường). Hãy chọn tên khác."
    )]
    Exists {
        /// The name already there.
        name: String,
    },
    /// Removing the last local admin would leave nobody able to manage the accounts.
    #[error(
        "Không xóa được tài khoản “{name}”: đây là tài khoản quản trị cuối cùng. Hãy thêm một tài khoản quản trị khác trước."
    )]
    LastAdmin {
        /// The account.
        name: String,
    },
}

impl AccountError {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::Required { .. } => "account_required",
            AccountError::Unknown { .. } => "no_such_account",
            AccountError::Exists { .. } => "account_exists",
            AccountError::LastAdmin { .. } => "last_admin",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            AccountError::Required { names } => format!(
                "This register has several accounts ({}); say which is yours (--account NAME or BVTE_ACCOUNT).",
                names.join(", ")
            ),
            AccountError::Unknown { name, names } => format!(
                "No account \"{name}\"; the accounts of this register: {}.",
                names.join(", ")
            ),
            AccountError::Exists { name } => {
                format!(
                    "There is already an account \"{name}\" (case does not matter); choose another name."
                )
            }
            AccountError::LastAdmin { name } => format!(
                "\"{name}\" is the last local admin account and cannot be removed; add another admin first."
            ),
        }
    }
}

/// Whose passphrase slot: an account's, or the single slot of an envelope without accounts.
enum Target {
    Account(usize),
    Unnamed,
}

impl Envelope {
    /// The accounts, in the order they were added.
    pub fn accounts(&self) -> Vec<Account> {
        self.slots
            .iter()
            .filter(|s| s.kind == SlotKind::Passphrase)
            .filter_map(|s| s.account.clone())
            .collect()
    }

    /// Whether a passphrase slot without an account is left (an envelope written before
    /// accounts).
    pub fn has_unnamed_passphrase(&self) -> bool {
        self.slots
            .iter()
            .any(|s| s.kind == SlotKind::Passphrase && s.account.is_none())
    }

    fn names(&self) -> Vec<String> {
        self.accounts().into_iter().map(|a| a.name).collect()
    }

    fn position(&self, name: &str) -> Option<usize> {
        let key = name_key(name);
        self.slots.iter().position(|s| {
            s.kind == SlotKind::Passphrase
                && s.account.as_ref().is_some_and(|a| name_key(&a.name) == key)
        })
    }

    /// Which slot a passphrase is for: the named account; without a name, the only account,
    /// or the unnamed slot of an envelope written before accounts (a name given for such an
    /// envelope is not needed and not checked).
    fn target(&self, name: Option<&str>) -> Result<Target> {
        let accounts = self.accounts();
        if accounts.is_empty() || (name.is_none() && self.has_unnamed_passphrase()) {
            return Ok(Target::Unnamed);
        }
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => self.position(n).map(Target::Account).ok_or_else(|| {
                AccountError::Unknown {
                    name: bvte_domain::text::truncate_for_message(n),
                    names: self.names(),
                }
                .into()
            }),
            None if accounts.len() == 1 => Ok(Target::Account(
                self.position(&accounts[0].name).unwrap_or_default(),
            )),
            None => Err(AccountError::Required {
                names: self.names(),
            }
            .into()),
        }
    }

    /// Unwraps the key with the passphrase of account `name` (see [`Self::target`] for when
    /// no name is needed). Returns the account, `None` for an envelope without accounts.
    pub fn unlock_account(
        &self,
        name: Option<&str>,
        passphrase: &str,
    ) -> Result<(DbKey, Option<Account>)> {
        match self.target(name)? {
            Target::Account(i) => {
                let slot = &self.slots[i];
                let key = self.unlock_passphrase_slots(std::iter::once(slot), passphrase)?;
                Ok((key, slot.account.clone()))
            }
            Target::Unnamed => {
                let unnamed = self
                    .slots
                    .iter()
                    .filter(|s| s.kind == SlotKind::Passphrase && s.account.is_none());
                Ok((self.unlock_passphrase_slots(unnamed, passphrase)?, None))
            }
        }
    }

    /// Unwraps the key with `passphrase`, whichever account's it is (each slot is tried: about
    /// half a second per account). Returns the account whose it was.
    pub fn unlock_any(&self, passphrase: &str) -> Result<(DbKey, Option<Account>)> {
        for slot in self.slots.iter().filter(|s| s.kind == SlotKind::Passphrase) {
            if let Ok(key) = self.unlock_passphrase_slots(std::iter::once(slot), passphrase) {
                return Ok((key, slot.account.clone()));
            }
        }
        Err(StoreError::WrongPassphrase)
    }

    fn settle_version(&mut self) {
        self.version = if self.accounts().is_empty() { 1 } else { 2 };
    }

    /// Adds `account` with its passphrase; refuses a name already taken.
    pub(crate) fn add_account(
        &mut self,
        key: &DbKey,
        account: &Account,
        passphrase: &str,
    ) -> Result<()> {
        if let Some(i) = self.position(&account.name) {
            let name = self.slots[i]
                .account
                .as_ref()
                .map_or_else(|| account.name.clone(), |a| a.name.clone());
            return Err(AccountError::Exists { name }.into());
        }
        let slot = wrap_account(key, account, passphrase, self.kdf())?;
        self.slots.push(slot);
        self.settle_version();
        Ok(())
    }

    /// Removes account `name`: its passphrase no longer opens the database. The last local
    /// admin is kept.
    pub(crate) fn remove_account(&mut self, name: &str) -> Result<Account> {
        let Target::Account(i) = self.target(Some(name))? else {
            return Err(AccountError::Unknown {
                name: bvte_domain::text::truncate_for_message(name),
                names: self.names(),
            }
            .into());
        };
        let gone = self.slots[i].account.clone().unwrap_or_else(|| Account {
            name: name.to_string(),
            role: Role::Officer,
        });
        let admins = self
            .accounts()
            .iter()
            .filter(|a| a.role == Role::Admin)
            .count();
        if gone.role == Role::Admin && admins <= 1 {
            return Err(AccountError::LastAdmin { name: gone.name }.into());
        }
        self.slots.remove(i);
        self.settle_version();
        Ok(gone)
    }

    /// Gives account `name` (or, without a name, the only passphrase) a new passphrase.
    pub(crate) fn set_account_passphrase(
        &mut self,
        key: &DbKey,
        name: Option<&str>,
        passphrase: &str,
    ) -> Result<Option<Account>> {
        match self.target(name)? {
            Target::Account(i) => {
                let account = self.slots[i].account.clone().unwrap_or_else(|| Account {
                    name: DEFAULT_ADMIN_NAME.into(),
                    role: Role::Admin,
                });
                self.slots[i] = wrap_account(key, &account, passphrase, self.kdf())?;
                Ok(Some(account))
            }
            Target::Unnamed => {
                self.set_passphrase(key, passphrase)?;
                Ok(None)
            }
        }
    }

    /// Makes the unnamed passphrase of an envelope written before accounts the account
    /// `account` (the same passphrase, now bound to its name and role).
    pub(crate) fn adopt_unnamed(
        &mut self,
        key: &DbKey,
        account: &Account,
        passphrase: &str,
    ) -> Result<()> {
        let slot = wrap_account(key, account, passphrase, self.kdf())?;
        self.slots
            .retain(|s| !(s.kind == SlotKind::Passphrase && s.account.is_none()));
        self.slots.push(slot);
        self.settle_version();
        Ok(())
    }
}

impl Store {
    /// The accounts of the register at `path`, read from its key file without unlocking it
    /// (for the unlock screen's list of names). Empty for a register made before accounts.
    pub fn accounts_of(path: &Path) -> Result<Vec<Account>> {
        Ok(Envelope::read(path)?.accounts())
    }

    /// The account that unlocked this store; `None` when the recovery code did.
    pub fn account(&self) -> Option<&Account> {
        self.account.as_ref()
    }

    /// The accounts, in the order they were added.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        Store::accounts_of(&self.path)
    }

    /// Adds an account (name already cleaned by the caller) with its passphrase.
    pub fn add_account(&self, account: &Account, passphrase: &str) -> Result<()> {
        let mut envelope = Envelope::read(&self.path)?;
        envelope.add_account(&self.key, account, passphrase)?;
        envelope.write(&self.path)?;
        Ok(())
    }

    /// Removes an account; its passphrase no longer opens the database.
    pub fn remove_account(&self, name: &str) -> Result<Account> {
        let mut envelope = Envelope::read(&self.path)?;
        let gone = envelope.remove_account(name)?;
        envelope.write(&self.path)?;
        Ok(gone)
    }

    /// Gives account `name` a new passphrase.
    pub fn set_account_passphrase(&self, name: &str, passphrase: &str) -> Result<Account> {
        let mut envelope = Envelope::read(&self.path)?;
        let account = envelope.set_account_passphrase(&self.key, Some(name), passphrase)?;
        envelope.write(&self.path)?;
        account.ok_or_else(|| {
            AccountError::Unknown {
                name: bvte_domain::text::truncate_for_message(name),
                names: Vec::new(),
            }
            .into()
        })
    }

    /// After an unlock by the passphrase of a register made before accounts: that passphrase
    /// becomes the local admin account, named after the register's officer (or
    /// [`DEFAULT_ADMIN_NAME`]). Best effort: a key file that cannot be written now is converted
    /// at a later unlock; the session is the admin's either way.
    pub(crate) fn adopt_unnamed(&mut self, mut envelope: Envelope, passphrase: &str) {
        let name = self
            .setting("officer_name")
            .ok()
            .flatten()
            .and_then(|n| {
                bvte_domain::text::clean_line("name", &n, bvte_domain::text::MAX_NAME_CHARS).ok()
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| DEFAULT_ADMIN_NAME.to_string());
        let account = Account {
            name,
            role: Role::Admin,
        };
        if envelope
            .adopt_unnamed(&self.key, &account, passphrase)
            .is_ok()
        {
            let _ = envelope.write(&self.path);
        }
        self.account = Some(account);
    }
}

impl From<AccountError> for StoreError {
    fn from(e: AccountError) -> Self {
        StoreError::Account(e)
    }
}
