//! # bvte-forms — the Decree 56 forms as PDF
//!
//! Owns: the form templates kept as data (`assets/forms/mau-0N.toml`, embedded, replaceable at
//! run time from a directory: [`Templates::load`]), the generic renderer that fills a template
//! from a data tree ([`render`]) with the Decree 30/2020 layout (A4, margins, header with
//! national title and motto, number, place and date, title, body, tables, check boxes,
//! signature and recipients, page numbers from page 2), and the embedded Liberation Serif
//! fonts, subset per document. All text is NFC before layout; the PDF has real, extractable
//! text and vector rules, never images.
//!
//! Also the commune report as PDF ([`report_pdf`]), in the same layout, from a computed
//! `bvte_report::Report` and its laid-out tables, with bar charts drawn as vector rectangles.
//!
//! Must never depend on the store, the core use cases or a UI: it takes a template and a
//! `serde_json::Value` (or a report) and returns bytes (dependency direction domain ← report ←
//! forms ← core). What
//! the data tree contains is decided by `bvte-core` (`print.rs`) and listed in docs/forms.md.

pub mod blocks;
pub mod check;
pub mod criteria;
pub mod error;
pub mod expr;
pub mod font;
pub mod layout;
pub mod paginate;
pub mod pdf;
pub mod registry;
pub mod report_pdf;
pub mod table;
pub mod template;
pub mod value;

pub use error::FormError;
pub use registry::{FORMS_DIR_ENV, Templates};
pub use template::{Template, normalise_form};

use serde_json::Value;

/// A rendered form.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
}

/// Fills `template` from `data` and returns the PDF. Missing values print as dots; an empty
/// object gives the blank form for hand filling.
pub fn render(template: &Template, data: &Value) -> Result<Vec<u8>, FormError> {
    render_document(template, data).map(|r| r.pdf)
}

/// Like [`render`], with the page count.
pub fn render_document(template: &Template, data: &Value) -> Result<Rendered, FormError> {
    let page = &template.page;
    let (pw, ph) = page.size();
    let env = blocks::Env {
        page,
        data,
        x0: page.margin_left,
        width: pw - page.margin_left - page.margin_right,
        body_height: ph - page.margin_top - page.margin_bottom,
    };
    let chunks: Vec<layout::Chunk> = template
        .blocks
        .iter()
        .flat_map(|b| blocks::block(&env, b))
        .collect();
    let mut pages = paginate::paginate(&chunks, page.margin_top, ph - page.margin_bottom);
    if page.page_numbers {
        for (i, items) in pages.iter_mut().enumerate().skip(1) {
            items.push(blocks::page_number(page, i + 1));
        }
    }
    let author = data
        .pointer("/settings/officer_name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let title = format!("Mẫu số {} — {}", template.form, template.title);
    let pdf = pdf::write(&title, author, &pages, (pw, ph))?;
    Ok(Rendered {
        pdf,
        pages: pages.len(),
    })
}
