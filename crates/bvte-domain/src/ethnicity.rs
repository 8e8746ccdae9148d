//! Ethnic groups (*dân tộc*), coded by Decision 121-TCTK/PPCĐ (1979). The code system is stored
//! with the code, because a later numbering (1019/QĐ-TCTK, 2008) differs from code 04 on.

use crate::error::ValidationError;
use serde::{Deserialize, Serialize};

/// The code system used for ethnicity codes.
pub const CODE_SYSTEM_121: &str = "121-TCTK";

/// An ethnicity as stored on a child: code and its code system.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ethnicity {
    /// Code system, always `121-TCTK` for now.
    pub system: String,
    /// Two-digit code ("01" = Kinh).
    pub code: String,
}

/// One ethnic group.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EthnicGroup {
    /// Two-digit code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Other names, separated by `;` in the source.
    pub variants: Vec<String>,
}

/// The list of ethnic groups.
#[derive(Clone, Debug, Default)]
pub struct EthnicGroups {
    /// All groups in code order.
    pub all: Vec<EthnicGroup>,
}

impl EthnicGroups {
    /// Reads `code_121,name,name_variants`.
    pub fn from_csv(text: &str) -> Result<Self, String> {
        let mut all = Vec::new();
        for (i, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.splitn(3, ',').collect();
            let [code, name, variants] = cols.as_slice() else {
                return Err(format!("dòng {}: thiếu cột", i + 1));
            };
            all.push(EthnicGroup {
                code: code.to_string(),
                name: name.to_string(),
                variants: variants
                    .split([';', ','])
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect(),
            });
        }
        Ok(Self { all })
    }

    /// The group with this code.
    pub fn get(&self, code: &str) -> Option<&EthnicGroup> {
        self.all.iter().find(|g| g.code == code)
    }

    /// Resolves a code ("01"), a number ("1") or a name ("Kinh", "kinh", "Việt").
    pub fn resolve(&self, field: &str, input: &str) -> Result<Ethnicity, ValidationError> {
        let s = input.trim();
        let code = if s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() && s.len() <= 2 {
            format!("{:0>2}", s)
        } else {
            let folded = crate::text::fold(s);
            self.all
                .iter()
                .find(|g| {
                    crate::text::fold(&g.name) == folded
                        || g.variants.iter().any(|v| crate::text::fold(v) == folded)
                })
                .map(|g| g.code.clone())
                .unwrap_or_default()
        };
        match self.get(&code) {
            Some(g) => Ok(Ethnicity {
                system: CODE_SYSTEM_121.into(),
                code: g.code.clone(),
            }),
            None => Err(ValidationError::UnknownCode {
                field: field.to_string(),
                value: crate::text::truncate_for_message(s),
                allowed: vec![
                    "mã 2 chữ số theo 121-TCTK (01 = Kinh … 54), hoặc tên dân tộc".into(),
                ],
            }),
        }
    }
}
