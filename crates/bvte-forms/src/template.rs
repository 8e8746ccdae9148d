//! A form template as data: one TOML file per form (page setup, blocks, which data fills each
//! field), parsed and checked with errors that name the file and the line. The format is
//! documented key by key in `docs/forms.md`; `registry.rs` holds the set of templates.

use crate::error::FormError;
use crate::expr::{DataPath, Expr};
use serde::Deserialize;

/// Horizontal alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Both edges (last line flush left).
    Justify,
}

/// Page setup (A4; distances in millimetres, sizes in points).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageSetup {
    /// `portrait` or `landscape`.
    pub orientation: Orientation,
    /// Top margin (Decree 30/2020: 20–25 mm).
    pub margin_top: f32,
    /// Bottom margin (20–25 mm).
    pub margin_bottom: f32,
    /// Left margin (30–35 mm).
    pub margin_left: f32,
    /// Right margin (15–20 mm).
    pub margin_right: f32,
    /// Body text size (13–14 pt).
    pub font_size: f32,
    /// Line height as a multiple of the font size.
    pub line_height: f32,
    /// Space after each paragraph, in points (≥ 6 pt for decisions).
    pub paragraph_spacing: f32,
    /// Page numbers from page 2, centred in the top margin.
    pub page_numbers: bool,
    /// Size of the page numbers.
    pub page_number_size: f32,
    /// Dots (…) printed for a missing value.
    pub dots: usize,
}

/// Page orientation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// 210 × 297 mm.
    Portrait,
    /// 297 × 210 mm.
    Landscape,
}

impl Default for PageSetup {
    fn default() -> Self {
        PageSetup {
            orientation: Orientation::Portrait,
            margin_top: 20.0,
            margin_bottom: 20.0,
            margin_left: 30.0,
            margin_right: 15.0,
            font_size: 13.0,
            line_height: 1.2,
            paragraph_spacing: 3.0,
            page_numbers: true,
            page_number_size: 13.0,
            dots: crate::expr::DEFAULT_DOTS,
        }
    }
}

impl PageSetup {
    /// Page width and height in mm.
    pub fn size(&self) -> (f32, f32) {
        match self.orientation {
            Orientation::Portrait => (210.0, 297.0),
            Orientation::Landscape => (297.0, 210.0),
        }
    }
}

/// The kind of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A paragraph.
    Text,
    /// Decree 30 header: issuing body, number, national title, motto, place and date.
    Header,
    /// Centred bold title lines, optional subtitle and rule.
    Title,
    /// A ruled table, with static rows or one row per item of a list in the data.
    Table,
    /// Criteria scored High / Medium / Low, with the totals row.
    Criteria,
    /// Side-by-side columns of lines: signatures, recipients.
    Columns,
    /// Vertical space.
    Spacer,
    /// Start a new page.
    PageBreak,
}

/// A table column, or a column of a `columns` block.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Header text (tables).
    pub title: Option<Expr>,
    /// Relative width.
    #[serde(default = "one")]
    pub width: f32,
    /// Alignment of the cells or lines.
    pub align: Option<Align>,
    /// Lines (columns blocks).
    #[serde(default)]
    pub lines: Vec<Line>,
}

fn one() -> f32 {
    1.0
}

/// One line of a `columns` block (it wraps if too long).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Text.
    pub text: Expr,
    /// Bold.
    #[serde(default)]
    pub bold: bool,
    /// Italic.
    #[serde(default)]
    pub italic: bool,
    /// Size in points (default: the page's).
    pub size: Option<f32>,
    /// Alignment (default: the column's, else centred).
    pub align: Option<Align>,
    /// Space above, in millimetres (room for a signature).
    #[serde(default)]
    pub space_before: f32,
}

/// A level of the criteria scale.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The code in the data (`high`).
    pub code: String,
    /// The printed name (`Cao`).
    pub label: Expr,
}

/// A criterion row.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// The criterion's code (`bvte_domain::criteria::Criterion`), which recorded items carry in
    /// their `criterion` field; the row is matched on it, never on wording.
    pub code: String,
    /// The printed criterion, in the form's own words.
    pub label: Expr,
    /// What each level means for this criterion, in the order of `levels` (optional).
    #[serde(default)]
    pub levels: Vec<Expr>,
}

/// One block of a template. Which keys apply depends on `type` (docs/forms.md).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// What the block is.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// Print the block only when this data path is true / non-empty.
    pub when: Option<DataPath>,
    /// Leave the block out when this data path is true / non-empty.
    pub unless: Option<DataPath>,
    /// Space above, in points.
    pub space_before: Option<f32>,
    /// Space below, in points.
    pub space_after: Option<f32>,
    /// Keep on the same page as the next block.
    #[serde(default)]
    pub keep_with_next: bool,

    /// `text`: the paragraph.
    pub text: Option<Expr>,
    /// `text`: alignment (default justify).
    pub align: Option<Align>,
    /// `text`: bold.
    #[serde(default)]
    pub bold: bool,
    /// `text`: italic.
    #[serde(default)]
    pub italic: bool,
    /// `text`, `title`, `table`, `criteria`: size in points.
    pub size: Option<f32>,
    /// `text`: first-line indent in mm.
    pub indent: Option<f32>,
    /// `text`: indent of the following lines in mm.
    pub hanging: Option<f32>,
    /// `text`: full dotted lines added for hand writing when every placeholder is missing.
    #[serde(default)]
    pub blank_lines: u32,

    /// `header`: parent body (capitals, regular), optional.
    pub parent_body: Option<Expr>,
    /// `header`: issuing body (capitals, bold, short rule under it).
    pub body: Option<Expr>,
    /// `header`: number and symbol line.
    pub number: Option<Expr>,
    /// `header`: place and date (italic).
    pub place_date: Option<Expr>,
    /// `header`: national title (default CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM).
    pub national_title: Option<Expr>,
    /// `header`: motto (default Độc lập - Tự do - Hạnh phúc).
    pub motto: Option<Expr>,
    /// `header`, `criteria`: share of the text width for the left column (default 0.38 for the
    /// header, 0.5 for criteria).
    pub left_width: Option<f32>,

    /// `title`: the title lines (bold, centred).
    #[serde(default)]
    pub lines: Vec<Expr>,
    /// `title`: the summary lines under it (bold, centred, not capitals).
    #[serde(default)]
    pub subtitle: Vec<Expr>,
    /// `title`: a short rule under the block.
    #[serde(default)]
    pub rule: bool,

    /// `table`, `columns`: the columns.
    #[serde(default)]
    pub columns: Vec<Column>,
    /// `table`: static rows, one template string per cell.
    #[serde(default)]
    pub rows: Vec<Vec<Expr>>,
    /// `table`: a list in the data; one row per item, cells from `row`.
    pub rows_from: Option<DataPath>,
    /// `table`: the cells of a row from `rows_from` (`{.field}`, `{#}`).
    #[serde(default)]
    pub row: Vec<Expr>,
    /// `table`, `criteria`: empty rows printed when the list is empty (blank forms).
    #[serde(default)]
    pub empty_rows: u32,
    /// `table`: a last row (totals).
    #[serde(default)]
    pub total: Vec<Expr>,

    /// `criteria`: the list of scored items (`{criterion, level, note}`) in the data.
    pub data: Option<DataPath>,
    /// `criteria`: header of the criterion column.
    pub heading: Option<Expr>,
    /// `criteria`: header of the level column.
    pub levels_heading: Option<Expr>,
    /// `criteria`: the scale (default Cao / Trung bình / Thấp = high / medium / low).
    #[serde(default)]
    pub levels: Vec<Level>,
    /// `criteria`: the criteria printed even when not scored; scored items matching none are
    /// added after them.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// `criteria`: label of the totals row (default "Tổng số"); `""` for none.
    pub totals: Option<Expr>,

    /// `spacer`: height in mm.
    pub height: Option<f32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    form: String,
    title: String,
    source: String,
    #[serde(default)]
    provisional: bool,
    #[serde(default)]
    provisional_reason: String,
    requires_step: Option<String>,
    #[serde(default)]
    page: PageSetup,
    blocks: Vec<toml::Spanned<Block>>,
}

/// A parsed, checked template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// Form number, two digits (`01`).
    pub form: String,
    /// Short title for lists ("Báo cáo tiếp nhận thông tin trẻ em").
    pub title: String,
    /// Where the layout comes from.
    pub source: String,
    /// The layout is a reconstruction, not the official one (shown in the app, not on paper).
    pub provisional: bool,
    /// Why it is provisional.
    pub provisional_reason: String,
    /// The case step (code) that must be recorded before the form can be filled.
    pub requires_step: Option<String>,
    /// Page setup.
    pub page: PageSetup,
    /// The blocks, in order.
    pub blocks: Vec<Block>,
    /// The file it came from.
    pub file: String,
}

impl Template {
    /// Parses and checks a template; errors name `file` and the line.
    pub fn parse(file: &str, src: &str) -> Result<Template, FormError> {
        let bad =
            |line: Option<usize>, column: Option<usize>, message: String| FormError::Template {
                file: file.to_string(),
                line,
                column,
                message,
            };
        let parsed: TemplateFile = toml::from_str(src).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_col(src, s.start))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            bad(line, column, e.message().trim().to_string())
        })?;
        let form = normalise_form(&parsed.form);
        if form.is_empty() {
            return Err(bad(None, None, "thiếu số mẫu (khóa form)".into()));
        }
        if parsed.source.trim().is_empty() {
            return Err(bad(None, None, "thiếu nguồn của mẫu (khóa source)".into()));
        }
        if parsed.provisional && parsed.provisional_reason.trim().is_empty() {
            return Err(bad(
                None,
                None,
                "mẫu tạm (provisional = true) phải ghi lý do (khóa provisional_reason)".into(),
            ));
        }
        let p = &parsed.page;
        for (key, v, lo, hi) in [
            ("page.margin_top", p.margin_top, 5.0, 60.0),
            ("page.margin_bottom", p.margin_bottom, 5.0, 60.0),
            ("page.margin_left", p.margin_left, 5.0, 60.0),
            ("page.margin_right", p.margin_right, 5.0, 60.0),
            ("page.font_size", p.font_size, 6.0, 30.0),
            ("page.line_height", p.line_height, 0.8, 3.0),
            ("page.page_number_size", p.page_number_size, 6.0, 30.0),
        ] {
            if !(lo..=hi).contains(&v) {
                return Err(bad(
                    None,
                    None,
                    format!("{key} = {v} nằm ngoài khoảng {lo}–{hi}"),
                ));
            }
        }
        let mut blocks = Vec::with_capacity(parsed.blocks.len());
        for spanned in parsed.blocks {
            let (line, column) = line_col(src, spanned.span().start);
            let block = spanned.into_inner();
            crate::check::check_block(&block).map_err(|m| bad(Some(line), Some(column), m))?;
            blocks.push(block);
        }
        Ok(Template {
            form,
            title: parsed.title.trim().to_string(),
            source: parsed.source.trim().to_string(),
            provisional: parsed.provisional,
            provisional_reason: parsed.provisional_reason.trim().to_string(),
            requires_step: parsed.requires_step.filter(|s| !s.trim().is_empty()),
            page: parsed.page,
            blocks,
            file: file.to_string(),
        })
    }

    /// Every data path the template reads from the root, sorted, without duplicates.
    pub fn paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut data_paths = Vec::new();
        let mut add = |e: &Expr| out.extend(e.paths());
        for b in &self.blocks {
            let exprs = [
                &b.text,
                &b.parent_body,
                &b.body,
                &b.number,
                &b.place_date,
                &b.national_title,
                &b.motto,
                &b.heading,
                &b.levels_heading,
                &b.totals,
            ];
            exprs.into_iter().flatten().for_each(&mut add);
            b.lines
                .iter()
                .chain(&b.subtitle)
                .chain(&b.row)
                .chain(&b.total)
                .for_each(&mut add);
            b.rows.iter().flatten().for_each(&mut add);
            for c in &b.columns {
                c.title.iter().for_each(&mut add);
                c.lines.iter().for_each(|l| add(&l.text));
            }
            for c in &b.criteria {
                add(&c.label);
                c.levels.iter().for_each(&mut add);
            }
            b.levels.iter().for_each(|l| add(&l.label));
            for p in [&b.when, &b.unless, &b.rows_from, &b.data]
                .into_iter()
                .flatten()
            {
                data_paths.push(p.as_string());
            }
        }
        out.extend(data_paths);
        out.sort();
        out.dedup();
        out
    }
}

/// Line and column (from 1) of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `1`, `01`, `Mẫu 01` → `01`; anything else is kept as typed.
pub fn normalise_form(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    match digits.parse::<u32>() {
        Ok(n) if !digits.is_empty() && digits.len() <= 3 => format!("{n:02}"),
        _ => s.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_template_names_the_file_and_the_line() {
        let src = "form = \"09\"\ntitle = \"x\"\nsource = \"y\"\nrequires_step = \"intake\"\n\n[[blocks]]\ntype = \"text\"\ntext = \"ok\"\n\n[[blocks]]\ntype = \"text\"\ntext = \"{child.full_name|uper}\"\n";
        let e = Template::parse("mau-09.toml", src).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("mau-09.toml") && msg.contains("dòng 12"),
            "{msg}"
        );
        assert!(msg.contains("uper"), "{msg}");

        let src = src.replace("text = \"{child.full_name|uper}\"", "txet = \"x\"");
        let msg = Template::parse("mau-09.toml", &src)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("dòng 12") && msg.contains("txet"), "{msg}");

        // A key that does not belong to the block's type: the block's line.
        let src = "form = \"09\"\ntitle = \"x\"\nsource = \"y\"\n\n[[blocks]]\ntype = \"spacer\"\nheight = 3\ntext = \"x\"\n";
        let msg = Template::parse("mau-09.toml", src).unwrap_err().to_string();
        assert!(msg.contains("dòng 5") && msg.contains("“text”"), "{msg}");

        let msg = Template::parse("a.toml", "form = \"09\"\nblocks = [\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("a.toml") && msg.contains("dòng 2"), "{msg}");
        let src = "form = \"09\"\ntitle = \"x\"\nsource = \"y\"\nprovisional = true\nblocks = []\n";
        let msg = Template::parse("a.toml", src).unwrap_err().to_string();
        assert!(msg.contains("provisional_reason"), "{msg}");
    }
}
