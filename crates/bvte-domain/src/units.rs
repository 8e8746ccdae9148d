//! Administrative units. Since 1 July 2025 Vietnam has two levels (province → commune). Codes
//! are the official statistics codes; records are matched by code, never by name (the old list
//! has eight communes called Đại Đồng). Old codes map to their successors through the official
//! conversion table.

use crate::error::ValidationError;
use serde::Serialize;
use std::collections::HashMap;

/// A current commune-level unit (xã, phường or đặc khu).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commune {
    /// Five-digit code.
    pub code: String,
    /// Official name ("Xã Thạch Thất").
    pub name: String,
    /// xã / phường / đặc khu.
    pub division_type: String,
    /// Province code.
    pub province_code: String,
    /// Province name.
    pub province_name: String,
}

impl Commune {
    /// "Xã Thạch Thất, Thành phố Hà Nội".
    pub fn full_name(&self) -> String {
        format!("{}, {}", self.name, self.province_name)
    }
}

/// A commune of the list before 1 July 2025.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LegacyCommune {
    /// Five-digit code.
    pub code: String,
    /// Name ("Xã Đại Đồng").
    pub name: String,
    /// District name.
    pub district_name: String,
    /// Province name.
    pub province_name: String,
}

/// What a commune code refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommuneLookup<'a> {
    /// A current commune.
    Current(&'a Commune),
    /// A code that the 2025 reform replaced; `partly` when the old commune was split and a
    /// person must choose among the successors.
    Merged {
        /// The old commune.
        old: &'a LegacyCommune,
        /// Its successors in the current list.
        successors: Vec<&'a Commune>,
        /// Whether the old commune was split between several successors.
        partly: bool,
    },
    /// Not a known code.
    Unknown,
}

/// The unit tables.
#[derive(Clone, Debug, Default)]
pub struct Units {
    provinces: HashMap<String, String>,
    communes: HashMap<String, Commune>,
    legacy: HashMap<String, LegacyCommune>,
    conversion: HashMap<String, Vec<(String, bool)>>,
}

impl Units {
    /// Builds the tables from the four embedded CSV files.
    pub fn from_csv(
        current: &str,
        changes: &str,
        legacy: &str,
        conversion: &str,
    ) -> Result<Self, String> {
        let mut u = Self::default();
        let mut communes = Vec::new();
        for (i, cols) in csv_rows(current) {
            let [level, code, name, division_type, parent] = cols[..] else {
                return Err(format!("units line {i}: expected 5 columns"));
            };
            match level {
                "1" => {
                    u.provinces.insert(code.to_string(), name.to_string());
                }
                "2" => communes.push((code, name, division_type, parent)),
                _ => return Err(format!("units line {i}: level {level}")),
            }
        }
        for (code, name, division_type, parent) in communes {
            let province_name = u
                .provinces
                .get(parent)
                .ok_or_else(|| format!("commune {code}: unknown province {parent}"))?
                .clone();
            u.communes.insert(
                code.to_string(),
                Commune {
                    code: code.to_string(),
                    name: name.to_string(),
                    division_type: division_type.to_string(),
                    province_code: parent.to_string(),
                    province_name,
                },
            );
        }
        for (i, cols) in csv_rows(changes) {
            let [_date, _basis, level, code, new_name, new_type, ..] = cols[..] else {
                return Err(format!("changes line {i}: expected 7 columns"));
            };
            match level {
                "1" => {
                    u.provinces.insert(code.to_string(), new_name.to_string());
                    for c in u.communes.values_mut().filter(|c| c.province_code == code) {
                        c.province_name = new_name.to_string();
                    }
                }
                _ => {
                    let c = u
                        .communes
                        .get_mut(code)
                        .ok_or_else(|| format!("changes line {i}: unknown commune {code}"))?;
                    c.name = new_name.to_string();
                    c.division_type = new_type.to_string();
                }
            }
        }
        for (i, cols) in csv_rows(legacy) {
            let [_pc, province_name, _dc, district_name, code, name, _type] = cols[..] else {
                return Err(format!("legacy line {i}: expected 7 columns"));
            };
            if code.is_empty() {
                // Island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn,
                // Côn Đảo) have a row of their own with no commune code.
                continue;
            }
            u.legacy.insert(
                code.to_string(),
                LegacyCommune {
                    code: code.to_string(),
                    name: name.to_string(),
                    district_name: district_name.to_string(),
                    province_name: province_name.to_string(),
                },
            );
        }
        for (i, cols) in csv_rows(conversion) {
            let [old, _d, _p, new, _np, partly] = cols[..] else {
                return Err(format!("conversion line {i}: expected 6 columns"));
            };
            u.conversion
                .entry(old.to_string())
                .or_default()
                .push((new.to_string(), partly == "1"));
        }
        Ok(u)
    }

    /// Number of provinces and of communes in the current list.
    pub fn counts(&self) -> (usize, usize) {
        (self.provinces.len(), self.communes.len())
    }

    /// Number of communes in the legacy list.
    pub fn legacy_count(&self) -> usize {
        self.legacy.len()
    }

    /// Every current commune (unordered).
    pub fn communes(&self) -> impl Iterator<Item = &Commune> {
        self.communes.values()
    }

    /// What `code` refers to: a current commune first, else an old one with its successors.
    pub fn lookup(&self, code: &str) -> CommuneLookup<'_> {
        let code = code.trim();
        if let Some(c) = self.communes.get(code) {
            return CommuneLookup::Current(c);
        }
        match (self.legacy.get(code), self.conversion.get(code)) {
            (Some(old), Some(targets)) => {
                let successors: Vec<&Commune> = targets
                    .iter()
                    .filter_map(|(new, _)| self.communes.get(new))
                    .collect();
                if successors.is_empty() {
                    CommuneLookup::Unknown
                } else {
                    CommuneLookup::Merged {
                        old,
                        successors,
                        partly: targets.iter().any(|(_, p)| *p) || targets.len() > 1,
                    }
                }
            }
            _ => CommuneLookup::Unknown,
        }
    }

    /// The current commune with `code`, or an error that names the successor of an old code.
    pub fn require_current(&self, field: &str, code: &str) -> Result<&Commune, ValidationError> {
        match self.lookup(code) {
            CommuneLookup::Current(c) => Ok(c),
            CommuneLookup::Merged {
                old, successors, ..
            } => Err(ValidationError::MergedCommune {
                field: field.to_string(),
                code: code.trim().to_string(),
                old_name: format!("{}, {}, {}", old.name, old.district_name, old.province_name),
                successors: successors
                    .iter()
                    .map(|s| format!("{} {}", s.code, s.name))
                    .collect(),
            }),
            CommuneLookup::Unknown => Err(ValidationError::UnknownCommune {
                field: field.to_string(),
                code: crate::text::truncate_for_message(code.trim()),
            }),
        }
    }

    /// Current communes whose name, province or code (folded) contains every word of `query`,
    /// best first: exact name, then name prefix, then name containing the phrase, then the
    /// rest; ties by province and name.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Commune> {
        let q = crate::text::fold(query);
        let words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
        let mut hits: Vec<(u8, &Commune)> = self
            .communes
            .values()
            .filter_map(|c| {
                let hay = crate::text::fold(&format!("{} {} {}", c.name, c.province_name, c.code));
                if !words.iter().all(|w| hay.contains(w)) {
                    return None;
                }
                let name = crate::text::fold(&c.name);
                let bare = name.split_once(' ').map(|(_, n)| n).unwrap_or(&name);
                let rank = if bare == q || name == q || c.code == q {
                    0
                } else if bare.starts_with(&q) {
                    1
                } else if name.contains(&q) {
                    2
                } else {
                    3
                };
                Some((rank, c))
            })
            .collect();
        hits.sort_by(|a, b| {
            (a.0, &a.1.province_name, &a.1.name).cmp(&(b.0, &b.1.province_name, &b.1.name))
        });
        hits.into_iter().take(limit).map(|(_, c)| c).collect()
    }
}

fn csv_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split(',').collect()))
}
