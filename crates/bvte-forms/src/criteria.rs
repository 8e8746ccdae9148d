//! The criteria table of the assessment forms (Mẫu 06 §1a and the reconstructed tables of 02
//! and 03): criterion | levels, the recorded level ticked, and the totals row counting levels.

use crate::blocks::Env;
use crate::expr::{Emph, Expr, Piece, display, is_missing};
use crate::layout::{self, Chunk, Style};
use crate::table::{self, Cell};
use crate::template::{Align, Block, Level};
use serde_json::Value;

fn default_levels() -> Vec<Level> {
    [("high", "Cao"), ("medium", "Trung bình"), ("low", "Thấp")]
        .into_iter()
        .map(|(code, label)| Level {
            code: code.into(),
            label: Expr::literal(label),
        })
        .collect()
}

fn plain_text(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t, _) => t.as_str(),
            _ => "",
        })
        .collect()
}

/// A criteria row: label, what each level means, the chosen level code, the note.
type Row = (Vec<Piece>, Vec<Vec<Piece>>, Option<String>, String);

/// Criteria scored on the High / Medium / Low scale (Mẫu 06 §1a): criterion | levels, one
/// ticked box per row, and the totals row counting the levels.
pub fn criteria(env: &Env<'_>, b: &Block, size: f32) -> Vec<Chunk> {
    let levels = if b.levels.is_empty() {
        default_levels()
    } else {
        b.levels.clone()
    };
    let level_labels: Vec<String> = levels
        .iter()
        .map(|l| plain_text(&env.eval(&l.label)))
        .collect();
    let items: Vec<&Value> = match b.data.as_ref().and_then(|p| p.get(env.data)) {
        Some(Value::Array(a)) => a.iter().collect(),
        _ => Vec::new(),
    };
    let field = |v: &Value, k: &str| v.get(k).and_then(display).unwrap_or_default();
    let fold = |s: &str| {
        bvte_domain::text::fold(
            s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' '),
        )
    };
    let mut used = vec![false; items.len()];
    let mut rows: Vec<Row> = Vec::new();
    for c in &b.criteria {
        let label = env.eval(&c.label);
        let key = fold(&plain_text(&label));
        let found = items.iter().enumerate().find(|(i, it)| {
            !used[*i] && {
                let crit = field(it, "criterion");
                crit == c.code || (!crit.is_empty() && fold(&crit) == key)
            }
        });
        let (level, note) = match found {
            Some((i, it)) => {
                used[i] = true;
                (Some(field(it, "level")), field(it, "note"))
            }
            None => (None, String::new()),
        };
        rows.push((
            label,
            c.levels.iter().map(|d| env.eval(d)).collect(),
            level,
            note,
        ));
    }
    for (i, it) in items.iter().enumerate() {
        let crit = field(it, "criterion");
        if !used[i] && !crit.is_empty() {
            rows.push((
                vec![Piece::Text(crit, Emph::default())],
                Vec::new(),
                Some(field(it, "level")),
                field(it, "note"),
            ));
        }
    }
    let plain = Style::plain(size);
    let cell = |pieces: Vec<Piece>, align: Align, bold: bool| Cell {
        pieces,
        style: Style { bold, ..plain },
        align,
    };
    let mut table_rows = Vec::new();
    for (label, defs, level, note) in &rows {
        let mut left = label.clone();
        if !note.is_empty() {
            left.push(Piece::Text(
                "\nGhi chú: ".into(),
                Emph {
                    bold: false,
                    italic: true,
                },
            ));
            left.push(Piece::Text(
                note.clone(),
                Emph {
                    bold: false,
                    italic: true,
                },
            ));
        }
        let mut right = Vec::new();
        for (k, l) in levels.iter().enumerate() {
            let ticked = level.as_deref() == Some(l.code.as_str());
            if k > 0 {
                right.push(Piece::Text(
                    if defs.is_empty() { "    " } else { "\n" }.into(),
                    Emph::default(),
                ));
            }
            right.push(Piece::Check(ticked, Emph::default()));
            right.push(Piece::Text(
                format!(" {}", level_labels[k]),
                Emph {
                    bold: !defs.is_empty(),
                    italic: false,
                },
            ));
            if let Some(d) = defs.get(k) {
                right.push(Piece::Text(": ".into(), Emph::default()));
                right.extend(d.iter().cloned());
            }
        }
        table_rows.push(vec![
            cell(left, Align::Left, false),
            cell(right, Align::Left, false),
        ]);
    }
    if rows.is_empty() {
        table_rows.extend((0..b.empty_rows.max(1)).map(|_| {
            let mut right = Vec::new();
            for (k, l) in level_labels.iter().enumerate() {
                if k > 0 {
                    right.push(Piece::Text("    ".into(), Emph::default()));
                }
                right.push(Piece::Check(false, Emph::default()));
                right.push(Piece::Text(format!(" {l}"), Emph::default()));
            }
            vec![
                cell(Vec::new(), Align::Left, false),
                cell(right, Align::Left, false),
            ]
        }));
    }
    let totals = b.totals.clone().unwrap_or_else(|| Expr::literal("Tổng số"));
    if !totals.is_empty() {
        let counted = items.iter().any(|it| !is_missing(it.get("level")));
        let mut right = Vec::new();
        for (k, l) in levels.iter().enumerate() {
            let n = items
                .iter()
                .filter(|it| field(it, "level") == l.code)
                .count();
            let value = if counted {
                n.to_string()
            } else {
                "……".into()
            };
            right.push(Piece::Text(
                format!(
                    "{}{}: {value}",
                    if k > 0 { "    " } else { "" },
                    level_labels[k]
                ),
                Emph::default(),
            ));
        }
        table_rows.push(vec![
            cell(env.eval(&totals), Align::Left, true),
            cell(right, Align::Left, false),
        ]);
    }
    let heading = b
        .heading
        .as_ref()
        .map(|h| env.eval(h))
        .unwrap_or_else(|| vec![Piece::Text("Tiêu chí".into(), Emph::default())]);
    let levels_heading = b
        .levels_heading
        .as_ref()
        .map(|h| env.eval(h))
        .unwrap_or_else(|| {
            vec![Piece::Text(
                format!("Mức độ ({})", level_labels.join(", ")),
                Emph::default(),
            )]
        });
    let header = vec![
        cell(heading, Align::Center, true),
        cell(levels_heading, Align::Center, true),
    ];
    let left = b.left_width.unwrap_or(0.5);
    let w = [env.width * left, env.width * (1.0 - left)];
    let min_row = layout::line_metrics(size, env.page.line_height).0 * 1.6;
    table::table(
        env.x0,
        &w,
        Some(header),
        table_rows,
        env.page.line_height,
        env.body_height - 20.0,
        min_row,
    )
}
