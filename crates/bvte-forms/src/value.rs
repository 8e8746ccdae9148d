//! Values of the data tree as a form prints them: lookup by path, what counts as missing, how a
//! value displays, and the filters (dates with leading zeros, document numbers, money, sums,
//! check boxes, dots).

use crate::expr::{Ctx, Emph, Filter, Piece, Source, Var};
use serde_json::Value;

/// Whether the value at a path is "true": `true`, a non-zero number, non-empty text or list.
pub fn is_truthy(v: Option<&Value>) -> bool {
    truthy(v)
}

pub(crate) fn lookup<'a>(mut v: &'a Value, keys: &[String]) -> Option<&'a Value> {
    for k in keys {
        v = match v {
            Value::Object(m) => m.get(k)?,
            Value::Array(a) => a.get(k.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Whether a value counts as missing: absent, null, blank text, empty list or object.
pub fn is_missing(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
        other => !is_missing(other),
    }
}

/// How a value prints: text as is, whole numbers without decimals, booleans as Có/Không,
/// lists joined with commas. `None` for missing values and objects.
pub fn display(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(if *b { "Có" } else { "Không" }.to_string()),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().filter_map(display).collect();
            (!items.is_empty()).then(|| items.join(", "))
        }
        Value::Object(_) => None,
    }
}

/// Date and time parts of `yyyy-mm-dd[Thh:mm…]` (the tree carries local times).
struct DateParts<'a> {
    y: &'a str,
    m: &'a str,
    d: &'a str,
    time: Option<(&'a str, &'a str)>,
}

fn date_parts(s: &str) -> Option<DateParts<'_>> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10))
    {
        return None;
    }
    let time = (matches!(b.get(10), Some(b'T' | b' '))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16))
    .then(|| (&s[11..13], &s[14..16]));
    Some(DateParts {
        y: &s[0..4],
        m: &s[5..7],
        d: &s[8..10],
        time,
    })
}

fn group_thousands(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn doc_number(s: &str, symbol: &str) -> String {
    let s = s.trim();
    let pad = |n: &str| {
        if !n.is_empty() && n.len() < 2 && n.chars().all(|c| c.is_ascii_digit()) {
            format!("0{n}")
        } else {
            n.to_string()
        }
    };
    match s.split_once('/') {
        Some((n, rest)) => format!("{}/{}", pad(n.trim()), rest.trim()),
        None => format!("{}/{symbol}", pad(s)),
    }
}

/// Evaluates one placeholder: the piece, whether it counts as a value, whether it was missing.
pub(crate) fn eval_var(v: &Var, ctx: &Ctx<'_>, emph: Emph) -> (Piece, bool, bool) {
    let row_number;
    let mut value: Option<Value> = match &v.source {
        Source::Root(keys) => lookup(ctx.root, keys).cloned(),
        Source::Row(keys) => ctx.row.and_then(|(r, _)| lookup(r, keys)).cloned(),
        Source::RowNumber => {
            row_number = ctx.row.map(|(_, i)| Value::from(i + 1));
            row_number
        }
    };
    let mut dots: Option<usize> = None;
    let mut fallback: Option<String> = None;
    let mut fill = false;
    let mut missing_suffix = String::new();
    let mut check: Option<Option<String>> = None;
    let mut date_part = false;
    for f in &v.filters {
        let text = value.as_ref().and_then(display);
        value = match f {
            Filter::Dots(n) => {
                dots = Some(*n);
                value
            }
            Filter::Or(t) => {
                fallback = Some(t.clone());
                value
            }
            Filter::Fill => {
                fill = true;
                value
            }
            Filter::Check(arg) => {
                check = Some(arg.clone());
                value
            }
            Filter::Upper => text.map(|t| Value::String(t.to_uppercase())),
            Filter::Date | Filter::Day | Filter::Month | Filter::Year => {
                date_part = !matches!(f, Filter::Date);
                text.and_then(|t| {
                    date_parts(&t).map(|p| match f {
                        Filter::Date => format!("{}/{}/{}", p.d, p.m, p.y),
                        Filter::Day => p.d.to_string(),
                        Filter::Month => p.m.to_string(),
                        _ => p.y.to_string(),
                    })
                })
                .map(Value::String)
            }
            Filter::Time | Filter::Hour | Filter::Minute => {
                date_part = !matches!(f, Filter::Time);
                text.and_then(|t| {
                    date_parts(&t).and_then(|p| p.time).map(|(h, m)| match f {
                        Filter::Time => format!("{h}:{m}"),
                        Filter::Hour => h.to_string(),
                        _ => m.to_string(),
                    })
                })
                .map(Value::String)
            }
            Filter::Number(sym) => {
                missing_suffix = format!("/{sym}");
                text.map(|t| Value::String(doc_number(&t, sym)))
            }
            Filter::Money => match value.as_ref() {
                Some(Value::Number(n)) => n
                    .as_f64()
                    .map(|x| Value::String(group_thousands(x.round() as i128))),
                _ => text.map(Value::String),
            },
            Filter::YesNo => value,
            Filter::Sum(field) => match value.as_ref() {
                Some(Value::Array(items)) => {
                    let nums: Vec<f64> = items
                        .iter()
                        .filter_map(|i| i.get(field).and_then(Value::as_f64))
                        .collect();
                    (!nums.is_empty()).then(|| {
                        let total: f64 = nums.iter().sum();
                        serde_json::Number::from_f64(total).map_or(Value::Null, Value::Number)
                    })
                }
                _ => None,
            },
            Filter::Count => match value.as_ref() {
                Some(Value::Array(items)) => Some(Value::from(items.len())),
                _ => None,
            },
        };
    }
    if let Some(arg) = check {
        let ticked = match arg {
            None => truthy(value.as_ref()),
            Some(want) => match value.as_ref() {
                Some(Value::Array(items)) => {
                    items.iter().any(|i| display(i).as_deref() == Some(&want))
                }
                Some(Value::Bool(b)) => b.to_string() == want,
                Some(other) => display(other).as_deref() == Some(&want),
                None => false,
            },
        };
        return (Piece::Check(ticked, emph), false, false);
    }
    match value.as_ref().and_then(display) {
        Some(t) => (Piece::Text(bvte_domain::text::nfc(&t), emph), true, false),
        None => {
            let piece = if let Some(f) = fallback {
                Piece::Text(f, emph)
            } else if fill {
                Piece::Fill(emph)
            } else {
                let n = dots.unwrap_or(if date_part { 2 } else { ctx.dots });
                Piece::Text(format!("{}{missing_suffix}", "…".repeat(n)), emph)
            };
            (piece, true, true)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::expr::tests::text;
    use serde_json::json;

    #[test]
    fn values_fill_placeholders_and_missing_ones_print_dots_never_null() {
        let d = json!({"child": {"full_name": "Nguyễn Thị Dũng", "notes": null, "empty": ""}});
        assert_eq!(
            text("Họ và tên: {child.full_name}", &d),
            "Họ và tên: Nguyễn Thị Dũng"
        );
        assert_eq!(
            text("{child.notes}", &d),
            "……………",
            "null prints as the paper form's dots"
        );
        assert_eq!(text("{child.empty}", &d), "……………");
        assert_eq!(text("{nothing.here|dots:3}", &d), "………");
        assert_eq!(text("{child.notes|or:không có}", &d), "không có");
        assert_eq!(text("{child.notes|fill}", &d), "<fill>");
    }

    #[test]
    fn dates_keep_leading_zeros_and_missing_parts_are_short_dots() {
        let d = json!({"t": "2026-03-05T08:07:00+07:00", "d": "2015-09-05"});
        assert_eq!(
            text("ngày {t|day} tháng {t|month} năm {t|year}, {t|time}", &d),
            "ngày 05 tháng 03 năm 2026, 08:07"
        );
        assert_eq!(text("{d|date}", &d), "05/09/2015");
        assert_eq!(text("{d|hour}", &d), "……", "a date has no hour");
        assert_eq!(text("ngày {x|day}", &d), "ngày ……");
    }

    #[test]
    fn document_numbers_get_leading_zeros_and_the_symbol() {
        let d = json!({"a": "5/QĐ-UBND", "b": "12", "c": 7});
        assert_eq!(text("Số: {a|number:QĐ-UBND}", &d), "Số: 05/QĐ-UBND");
        assert_eq!(text("Số: {b|number:QĐ-UBND}", &d), "Số: 12/QĐ-UBND");
        assert_eq!(text("Số: {c|number:QĐ-UBND}", &d), "Số: 07/QĐ-UBND");
        assert_eq!(text("Số: {z|number:QĐ-UBND|dots:3}", &d), "Số: ………/QĐ-UBND");
    }

    #[test]
    fn checks_sums_money_and_upper() {
        let d = json!({"sex": "female", "from": ["father", "mother"], "risk": false,
            "acts": [{"cost": 1500000}, {"cost": 250000}, {}], "body": "ủy ban nhân dân xã đồng"});
        assert_eq!(
            text("{sex|check:male} Nam {sex|check:female} Nữ", &d),
            "☐ Nam ☒ Nữ"
        );
        assert_eq!(text("{from|check:mother}{from|check:guardian}", &d), "☒☐");
        assert_eq!(
            text("{risk|check}{risk|check:false}{none|check}", &d),
            "☐☒☐"
        );
        assert_eq!(text("{acts|sum:cost|money} đồng", &d), "1.750.000 đồng");
        assert_eq!(text("{acts|count}", &d), "3");
        assert_eq!(text("{body|upper}", &d), "ỦY BAN NHÂN DÂN XÃ ĐỒNG");
    }
}
