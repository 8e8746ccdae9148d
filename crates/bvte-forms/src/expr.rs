//! Template strings: literal text with `**bold**` and `*italic*` markup, `☐`/`☒` boxes, and
//! placeholders `{path|filter|filter:arg}` filled from the data tree (docs/forms.md lists the
//! filters). Data never goes through the markup parser: a `*` in a child's notes stays a `*`.
//!
//! A placeholder whose value is missing (absent, null, empty) prints as the dotted placeholder
//! of the paper form, never as "null".

use serde_json::Value;

pub use crate::value::{display, is_missing, is_truthy};

/// Default number of dots (U+2026 "…", one em wide each) for a missing value.
pub const DEFAULT_DOTS: usize = 8;

/// Emphasis of a piece of text, added to the block's own style.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Emph {
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

/// What a template string evaluates to.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Text.
    Text(String, Emph),
    /// A check box, ticked or not.
    Check(bool, Emph),
    /// Dots to the end of the line (a missing value with the `fill` filter).
    Fill(Emph),
}

/// Where a placeholder reads from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Source {
    /// From the root of the data tree.
    Root(Vec<String>),
    /// From the current table row (`{.service}`; `{.}` is the row itself).
    Row(Vec<String>),
    /// The row number from 1 (`{#}`).
    RowNumber,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Filter {
    Upper,
    Date,
    Day,
    Month,
    Year,
    Time,
    Hour,
    Minute,
    Number(String),
    Money,
    YesNo,
    Check(Option<String>),
    Dots(usize),
    Or(String),
    Fill,
    Sum(String),
    Count,
}

/// The names of the filters, for error messages and docs.
pub const FILTERS: &[&str] = &[
    "upper",
    "date",
    "day",
    "month",
    "year",
    "time",
    "hour",
    "minute",
    "number:SYM",
    "money",
    "yesno",
    "check",
    "check:VALUE",
    "dots:N",
    "or:TEXT",
    "fill",
    "sum:FIELD",
    "count",
];

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Var {
    pub(crate) source: Source,
    pub(crate) filters: Vec<Filter>,
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Lit(String, Emph),
    Var(Var, Emph),
}

/// A parsed template string.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    segs: Vec<Seg>,
}

impl<'de> serde::Deserialize<'de> for Expr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Expr::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What evaluating a template string gave.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluated {
    /// The pieces, in order.
    pub pieces: Vec<Piece>,
    /// How many placeholders (check boxes excluded) it has.
    pub vars: usize,
    /// How many of them had no value.
    pub missing: usize,
}

impl Evaluated {
    /// Every placeholder was missing (and there was at least one): the field is blank.
    pub fn all_missing(&self) -> bool {
        self.vars > 0 && self.missing == self.vars
    }
}

/// The data a template string reads: the tree, and the current table row if any.
#[derive(Clone, Copy, Debug)]
pub struct Ctx<'a> {
    /// The whole data tree.
    pub root: &'a Value,
    /// The current row of a table and its index from 0.
    pub row: Option<(&'a Value, usize)>,
    /// Dots for a missing value.
    pub dots: usize,
}

impl Expr {
    /// Parses a template string; the error says what is wrong in Vietnamese.
    pub fn parse(src: &str) -> Result<Expr, String> {
        let src = bvte_domain::text::nfc(src);
        let mut segs = Vec::new();
        let mut lit = String::new();
        let mut emph = Emph::default();
        let mut chars = src.chars().peekable();
        let flush = |lit: &mut String, segs: &mut Vec<Seg>, emph: Emph| {
            if !lit.is_empty() {
                segs.push(Seg::Lit(std::mem::take(lit), emph));
            }
        };
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(n) => lit.push(n),
                    None => return Err("chuỗi kết thúc bằng dấu “\\”".into()),
                },
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '}' => {
                    return Err(format!(
                        "dấu “}}” thừa trong “{src}” (viết “}}}}” để in dấu “}}”)"
                    ));
                }
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('{') | None => {
                                return Err(format!("thiếu dấu “}}” đóng trong “{src}”"));
                            }
                            Some(ch) => inner.push(ch),
                        }
                    }
                    flush(&mut lit, &mut segs, emph);
                    segs.push(Seg::Var(parse_var(&inner)?, emph));
                }
                '*' if chars.peek() == Some(&'*') => {
                    chars.next();
                    flush(&mut lit, &mut segs, emph);
                    emph.bold = !emph.bold;
                }
                '*' => {
                    flush(&mut lit, &mut segs, emph);
                    emph.italic = !emph.italic;
                }
                c => lit.push(c),
            }
        }
        if emph.bold || emph.italic {
            return Err(format!(
                "thiếu dấu “**” hoặc “*” đóng chữ đậm/nghiêng trong “{src}” (viết “\\\\*” để in dấu “*”)"
            ));
        }
        flush(&mut lit, &mut segs, emph);
        Ok(Expr { segs })
    }

    /// A literal string (no markup, no placeholders).
    pub fn literal(s: &str) -> Expr {
        Expr {
            segs: vec![Seg::Lit(bvte_domain::text::nfc(s), Emph::default())],
        }
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.segs.is_empty()
    }

    /// The data paths read from the root (`child.full_name`), for checks and docs.
    pub fn paths(&self) -> Vec<String> {
        self.segs
            .iter()
            .filter_map(|s| match s {
                Seg::Var(
                    Var {
                        source: Source::Root(p),
                        ..
                    },
                    _,
                ) => Some(p.join(".")),
                _ => None,
            })
            .collect()
    }

    /// Evaluates the string against the data.
    pub fn eval(&self, ctx: &Ctx<'_>) -> Evaluated {
        let mut out = Evaluated::default();
        for seg in &self.segs {
            match seg {
                Seg::Lit(s, e) => out.pieces.push(Piece::Text(s.clone(), *e)),
                Seg::Var(v, e) => {
                    let (piece, counted, missing) = crate::value::eval_var(v, ctx, *e);
                    if counted {
                        out.vars += 1;
                        out.missing += usize::from(missing);
                    }
                    out.pieces.push(piece);
                }
            }
        }
        out
    }
}

fn parse_var(inner: &str) -> Result<Var, String> {
    let mut parts = inner.split('|');
    let path = parts.next().unwrap_or("").trim();
    let source = if path == "#" {
        Source::RowNumber
    } else if path == "." {
        Source::Row(vec![])
    } else if let Some(rel) = path.strip_prefix('.') {
        Source::Row(split_path(rel, inner)?)
    } else {
        Source::Root(split_path(path, inner)?)
    };
    let mut filters = Vec::new();
    for f in parts {
        let f = f.trim();
        let (name, arg) = match f.split_once(':') {
            Some((n, a)) => (n.trim(), Some(a.to_string())),
            None => (f, None),
        };
        let need = |a: Option<String>| {
            a.filter(|a| !a.trim().is_empty()).ok_or_else(|| {
                format!("bộ lọc “{name}” cần một giá trị sau dấu “:” trong “{{{inner}}}”")
            })
        };
        filters.push(match name {
            "upper" => Filter::Upper,
            "date" => Filter::Date,
            "day" => Filter::Day,
            "month" => Filter::Month,
            "year" => Filter::Year,
            "time" => Filter::Time,
            "hour" => Filter::Hour,
            "minute" => Filter::Minute,
            "number" => Filter::Number(need(arg)?.trim().to_string()),
            "money" => Filter::Money,
            "yesno" => Filter::YesNo,
            "check" => Filter::Check(arg.map(|a| a.trim().to_string())),
            "dots" => Filter::Dots(
                need(arg)?
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=200).contains(n))
                    .ok_or_else(|| format!("“dots” cần một số từ 1 đến 200 trong “{{{inner}}}”"))?,
            ),
            "or" => Filter::Or(arg.unwrap_or_default()),
            "fill" => Filter::Fill,
            "sum" => Filter::Sum(need(arg)?.trim().to_string()),
            "count" => Filter::Count,
            other => {
                return Err(format!(
                    "bộ lọc không có “{other}” trong “{{{inner}}}”; các bộ lọc: {}",
                    FILTERS.join(", ")
                ));
            }
        });
    }
    Ok(Var { source, filters })
}

fn split_path(p: &str, inner: &str) -> Result<Vec<String>, String> {
    let keys: Vec<String> = p.split('.').map(|k| k.trim().to_string()).collect();
    if keys.iter().any(|k| {
        k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }) {
        return Err(format!(
            "đường dẫn dữ liệu không hợp lệ “{p}” trong “{{{inner}}}” (dạng child.full_name)"
        ));
    }
    Ok(keys)
}

/// A data path in a template key (`rows_from`, `when`…): `steps.plan_drafted.data.activities`.
#[derive(Clone, Debug, PartialEq)]
pub struct DataPath(Vec<String>);

impl DataPath {
    /// Parses `a.b.c`.
    pub fn parse(s: &str) -> Result<DataPath, String> {
        split_path(s.trim(), s).map(DataPath)
    }

    /// The value at this path.
    pub fn get<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        crate::value::lookup(root, &self.0)
    }

    /// The path as written.
    pub fn as_string(&self) -> String {
        self.0.join(".")
    }
}

impl<'de> serde::Deserialize<'de> for DataPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DataPath::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// The text an expression evaluates to, check boxes as ☒/☐ and fills as `<fill>`.
    pub(crate) fn text(src: &str, data: &Value) -> String {
        let e = Expr::parse(src).unwrap();
        e.eval(&Ctx {
            root: data,
            row: None,
            dots: 5,
        })
        .pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t, _) => t.clone(),
            Piece::Check(true, _) => "☒".into(),
            Piece::Check(false, _) => "☐".into(),
            Piece::Fill(_) => "<fill>".into(),
        })
        .collect()
    }

    #[test]
    fn markup_is_parsed_in_templates_but_never_in_data() {
        let d = json!({"x": "a *star* {brace}"});
        let e = Expr::parse("**Điều 1.** {x}").unwrap();
        let out = e.eval(&Ctx {
            root: &d,
            row: None,
            dots: 5,
        });
        assert_eq!(
            out.pieces,
            vec![
                Piece::Text(
                    "Điều 1.".into(),
                    Emph {
                        bold: true,
                        italic: false
                    }
                ),
                Piece::Text(" ".into(), Emph::default()),
                Piece::Text("a *star* {brace}".into(), Emph::default()),
            ]
        );
        assert_eq!(text("{{x}} \\*", &d), "{x} *");
    }

    #[test]
    fn mistakes_in_template_strings_are_explained() {
        assert!(
            Expr::parse("{child.full_name|uper}")
                .unwrap_err()
                .contains("uper")
        );
        assert!(
            Expr::parse("{child.full_name")
                .unwrap_err()
                .contains("thiếu dấu")
        );
        assert!(Expr::parse("**đậm").unwrap_err().contains("**"));
        assert!(Expr::parse("{a..b}").unwrap_err().contains("đường dẫn"));
        assert!(Expr::parse("{a|dots:0}").unwrap_err().contains("dots"));
    }

    #[test]
    fn rows_and_row_numbers() {
        let root = json!({});
        let row = json!({"service": "Tư vấn"});
        let e = Expr::parse("{#}. {.service} {.missing}").unwrap();
        let out = e.eval(&Ctx {
            root: &root,
            row: Some((&row, 2)),
            dots: 3,
        });
        let s: String = out
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t, _) => t.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(s, "3. Tư vấn ………");
        assert_eq!((out.vars, out.missing), (3, 1));
    }
}
