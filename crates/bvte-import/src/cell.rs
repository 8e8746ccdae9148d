//! A cell as a workbook holds it, and its value read as a field of the register: dates in every
//! form officers type, sexes in words, personal ids that a spreadsheet stored as numbers.

use chrono::{Datelike, Duration, NaiveDate};

/// A cell's content, whatever the file's format.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text (already read back from a legacy encoding).
    Text(String),
    /// A number (spreadsheets keep ids, years and dates as numbers).
    Number(f64),
    /// A date the file marks as a date.
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text: numbers without a useless ".0", dates as dd/mm/yyyy.
    pub fn text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(s) => s.trim().to_string(),
            Self::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            Self::Number(n) => n.to_string(),
            Self::Date(d) => d.format("%d/%m/%Y").to_string(),
        }
    }

    /// Whether the cell holds nothing but spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A birth as written: a full date, or a year alone (then only an estimated age is known).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Birth {
    /// The date of birth.
    Date(NaiveDate),
    /// The year of birth only.
    Year(i32),
}

/// Excel's day 0 in the 1900 date system (serial 1 is 01/01/1900; Excel counts a 29/02/1900
/// that never was, so serials from 61 on are one day ahead, which starting on 30/12/1899 undoes).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// A date serial of the 1900 system, when it is a plausible date of birth (1990 to 2100).
fn from_serial(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 || !(32_874.0..=73_051.0).contains(&n) {
        return None;
    }
    // In range, so the cast is exact.
    excel_epoch().checked_add_signed(Duration::days(n as i64))
}

/// A two-digit year: this century up to `this_year`, the last century above it.
fn full_year(yy: i32, this_year: i32) -> i32 {
    let century = this_year / 100 * 100;
    if century + yy <= this_year {
        century + yy
    } else {
        century - 100 + yy
    }
}

/// Reads a birth in any form officers type: `dd/mm/yyyy`, `d/m/yy`, `dd-mm-yyyy`,
/// `dd.mm.yyyy`, `yyyy-mm-dd`, a date cell, an Excel date serial, or a year alone (`2015`,
/// `2015.0`). `None` when it is none of these (the caller reports the cell as it was typed);
/// the date itself is judged by the register's rules afterwards (not in the future, a child's).
pub fn birth(cell: &Cell, today: NaiveDate) -> Option<Birth> {
    match cell {
        Cell::Empty => None,
        Cell::Date(d) => Some(Birth::Date(*d)),
        Cell::Number(n) => {
            if n.fract() == 0.0 && (1900.0..=2100.0).contains(n) {
                // In range, so the cast is exact.
                return Some(Birth::Year(*n as i32));
            }
            from_serial(*n).map(Birth::Date)
        }
        Cell::Text(s) => birth_text(s.trim(), today),
    }
}

fn birth_text(s: &str, today: NaiveDate) -> Option<Birth> {
    if let Ok(y) = s.parse::<i32>()
        && (1900..=2100).contains(&y)
    {
        return Some(Birth::Year(y));
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |x: &str| -> Option<i32> {
        (!x.is_empty() && x.len() <= 4 && x.chars().all(|c| c.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
    };
    let (a, b, c) = (num(a)?, num(b)?, num(c)?);
    let (day, month, year) = if parts[0].len() == 4 {
        (c, b, a)
    } else if parts[2].len() == 2 {
        (a, b, full_year(c, today.year()))
    } else if parts[2].len() == 4 {
        (a, b, c)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
        .map(Birth::Date)
}

/// A sex as written: `male`, `female`, `unknown` ("không rõ", as BVTE's own lists write it), or
/// `None` when the words say none of them.
pub fn sex(text: &str) -> Option<&'static str> {
    match bvte_domain::text::fold(text).trim() {
        "nam" | "trai" | "con trai" | "be trai" | "m" | "male" | "x" => Some("male"),
        "nu" | "gai" | "con gai" | "be gai" | "f" | "female" => Some("female"),
        "khong ro" | "khong biet" | "unknown" => Some("unknown"),
        _ => None,
    }
}

/// A personal id: digits only; a number cell (which lost its leading zeros) padded back to the
/// 12 digits of a personal identification number.
pub fn personal_id(cell: &Cell) -> Option<String> {
    let digits: String = match cell {
        Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 1e12 => format!("{:012.0}", n),
        c => c
            .text()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect(),
    };
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn births_in_every_form() {
        let today = d(2026, 12, 7);
        let t = |s: &str| birth(&Cell::Text(s.into()), today);
        assert_eq!(t("05/09/2015"), Some(Birth::Date(d(2015, 9, 5))));
        assert_eq!(t("5/9/2015"), Some(Birth::Date(d(2015, 9, 5))));
        assert_eq!(t("5/9/15"), Some(Birth::Date(d(2015, 9, 5))));
        assert_eq!(t("5/9/98"), Some(Birth::Date(d(1998, 9, 5))));
        assert_eq!(t("05-09-2015"), Some(Birth::Date(d(2015, 9, 5))));
        assert_eq!(t("05.09.2015"), Some(Birth::Date(d(2015, 9, 5))));
        assert_eq!(t("2015-09-05"), Some(Birth::Date(d(2015, 9, 5))));
        assert_eq!(t("2015"), Some(Birth::Year(2015)));
        assert_eq!(t("31/02/2015"), None);
        assert_eq!(t("khoảng 2015"), None);
        assert_eq!(birth(&Cell::Number(2015.0), today), Some(Birth::Year(2015)));
        // 42252 is 05/09/2015 in Excel's 1900 system.
        assert_eq!(
            birth(&Cell::Number(42_252.0), today),
            Some(Birth::Date(d(2015, 9, 5)))
        );
        assert_eq!(birth(&Cell::Number(12.5), today), None);
    }

    #[test]
    fn sexes_and_ids() {
        assert_eq!(sex("Nam"), Some("male"));
        assert_eq!(sex(" NỮ "), Some("female"));
        assert_eq!(sex("gái"), Some("female"));
        assert_eq!(sex("?"), None);
        assert_eq!(
            sex("Không rõ"),
            Some("unknown"),
            "as BVTE's own lists write it"
        );
        assert_eq!(
            personal_id(&Cell::Number(1_234_567_890.0)).as_deref(),
            Some("001234567890")
        );
        assert_eq!(
            personal_id(&Cell::Text("001 234 567 890".into())).as_deref(),
            Some("001234567890")
        );
        assert_eq!(personal_id(&Cell::Empty), None);
        assert_eq!(Cell::Number(2015.0).text(), "2015");
    }
}
