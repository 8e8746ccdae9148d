//! "Tài khoản" in Settings (issue 14): the accounts, added, removed, given a new passphrase.
//! Each command calls `bvte-core`, which refuses what the account's role may not do.

use crate::state::AppState;
use bvte_core::accounts::{AccountRow, NewAccount};
use bvte_core::error::Problem;
use bvte_core::now;
use tauri::State;

type Res<T> = Result<T, Problem>;

/// The accounts (local admin).
#[tauri::command(async)]
pub fn list_accounts(state: State<'_, AppState>) -> Res<Vec<AccountRow>> {
    state.with(|s| s.accounts())
}

/// Adds an account (local admin); returns the accounts.
#[tauri::command(async)]
pub fn add_account(state: State<'_, AppState>, input: NewAccount) -> Res<Vec<AccountRow>> {
    state.with(|s| s.add_account(&input, now()))
}

/// Removes an account (local admin); returns the accounts.
#[tauri::command(async)]
pub fn remove_account(state: State<'_, AppState>, name: String) -> Res<Vec<AccountRow>> {
    state.with(|s| s.remove_account(&name, now()))
}

/// Sets the passphrase of account `name`: one's own, or (local admin) another's.
#[tauri::command(async)]
pub fn set_account_passphrase(
    state: State<'_, AppState>,
    name: String,
    passphrase: String,
    passphrase_confirm: String,
) -> Res<()> {
    state.with(|s| s.set_account_passphrase(&name, &passphrase, &passphrase_confirm, now()))
}
