//! The criteria table of the assessment forms (Mẫu 06 §1a and the reconstructed tables of 02
//! and 03): criterion | levels, the recorded level ticked, and the totals row counting levels.
//! Each template row names its criterion's code (`bvte_domain::criteria`) and prints its own
//! wording, whatever the language of the screen that recorded the step.

use crate::blocks::Env;
use crate::expr::{Emph, Expr, Piece, display, is_missing};
use crate::layout::{self, Chunk, Style};
use crate::table::{self, Cell};
use crate::template::{Align, Block, Level};
use bvte_domain::codes::Code;
use bvte_domain::criteria::{as_code, criterion_code};
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
    // Rows are matched on codes, never on wording: an item names a fixed criterion by its code
    // (or, recorded before criteria were codes, by a wording the domain reads as its code).
    let named = |v: &Value| as_code(&field(v, "criterion")).to_string();
    let mut used = vec![false; items.len()];
    let mut rows: Vec<Row> = Vec::new();
    for c in &b.criteria {
        let found = items
            .iter()
            .enumerate()
            .find(|(i, it)| !used[*i] && named(it) == c.code);
        let (level, note) = match found {
            Some((i, it)) => {
                used[i] = true;
                (Some(field(it, "level")), field(it, "note"))
            }
            None => (None, String::new()),
        };
        rows.push((
            env.eval(&c.label),
            c.levels.iter().map(|d| env.eval(d)).collect(),
            level,
            note,
        ));
    }
    // The rest: the officer's own criteria as typed, or a fixed criterion the template does
    // not list, in the form's language.
    for (i, it) in items.iter().enumerate() {
        let crit = field(it, "criterion");
        if !used[i] && !crit.is_empty() {
            let label = match criterion_code(&crit) {
                Some(c) => c.label_vi().to_string(),
                None => crit,
            };
            rows.push((
                vec![Piece::Text(label, Emph::default())],
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

#[cfg(test)]
mod tests {
    use crate::expr::{Ctx, Piece};
    use crate::registry::Templates;
    use crate::template::Kind;
    use bvte_domain::codes::Code;
    use bvte_domain::criteria::CriteriaTable;
    use serde_json::Value;

    /// The shipped templates list, for each criteria table of the domain, exactly its fixed
    /// criteria in its order and worded as the screen words them in Vietnamese: what an
    /// officer scores on screen is the row it prints on.
    #[test]
    fn each_template_table_is_the_domains() {
        let mut seen = Vec::new();
        for t in Templates::embedded().iter() {
            for b in t.blocks.iter().filter(|b| b.kind == Kind::Criteria) {
                let data = b
                    .data
                    .as_ref()
                    .expect("a criteria block has data")
                    .as_string();
                let path = data.strip_prefix("steps.").unwrap().replace(".data.", ".");
                let table = CriteriaTable::ALL
                    .into_iter()
                    .find(|x| x.path() == path)
                    .unwrap_or_else(|| panic!("Mẫu {}: {data} is no criteria table", t.form));
                assert_eq!(t.form, table.form(), "{data}");
                let printed: Vec<(String, String)> = b
                    .criteria
                    .iter()
                    .map(|c| {
                        let label: String = c
                            .label
                            .eval(&Ctx {
                                root: &Value::Null,
                                row: None,
                                dots: 5,
                            })
                            .pieces
                            .iter()
                            .map(|p| match p {
                                Piece::Text(s, _) => s.as_str(),
                                _ => "",
                            })
                            .collect();
                        let unnumbered = label.split_once(". ").map_or(label.as_str(), |x| x.1);
                        (c.code.clone(), unnumbered.to_string())
                    })
                    .collect();
                let domain: Vec<(String, String)> = table
                    .criteria()
                    .iter()
                    .map(|(c, vi, _)| (c.code().to_string(), vi.to_string()))
                    .collect();
                assert_eq!(printed, domain, "Mẫu {} {data}", t.form);
                seen.push(table);
            }
        }
        assert_eq!(seen, CriteriaTable::ALL, "every table is printed once");
    }
}
