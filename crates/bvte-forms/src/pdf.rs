//! Laid-out pages to PDF with printpdf: real text (subset TrueType fonts with a ToUnicode map,
//! so copy, search and screen readers get the Vietnamese letters), vector rules, boxes and
//! filled bars, no images.

use crate::error::FormError;
use crate::font::{self, Face};
use crate::layout::Item;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
};
use std::collections::{BTreeMap, BTreeSet};

fn pt(mm: f32) -> Pt {
    Mm(mm).into_pt()
}

fn line(points: &[(f32, f32)], closed: bool, page_h: f32) -> Op {
    Op::DrawLine {
        line: Line {
            points: points
                .iter()
                .map(|(x, y)| LinePoint {
                    p: Point {
                        x: pt(*x),
                        y: pt(page_h - y),
                    },
                    bezier: false,
                })
                .collect(),
            is_closed: closed,
        },
    }
}

/// Writes the pages (items in mm from the top-left corner) as a PDF of `size` mm.
pub fn write(
    title: &str,
    author: &str,
    pages: &[Vec<Item>],
    size: (f32, f32),
) -> Result<Vec<u8>, FormError> {
    let (page_w, page_h) = size;
    let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for item in pages.iter().flatten() {
        if let Item::Text { face, text, .. } = item {
            used.entry(*face).or_default().extend(text.chars());
        }
    }
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.author = author.to_string();
    doc.metadata.info.creator = "BVTE".to_string();
    let mut ids: BTreeMap<Face, FontId> = BTreeMap::new();
    for (face, chars) in &used {
        let subset = font::subset(*face, chars).map_err(FormError::Pdf)?;
        ids.insert(*face, doc.add_font(&subset));
    }
    let black = Color::Rgb(Rgb {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        icc_profile: None,
    });
    let mut out = Vec::with_capacity(pages.len());
    for items in pages {
        let mut ops = vec![
            Op::SetOutlineColor { col: black.clone() },
            Op::SetFillColor { col: black.clone() },
        ];
        let mut thickness = f32::NAN;
        for item in items {
            match item {
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    if *width != thickness {
                        thickness = *width;
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    }
                    ops.push(line(&[(*x1, *y1), (*x2, *y2)], false, page_h));
                }
                Item::Check {
                    x,
                    y,
                    side,
                    checked,
                } => {
                    if thickness != 0.6 {
                        thickness = 0.6;
                        ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
                    }
                    let (x2, y2) = (x + side, y + side);
                    ops.push(line(
                        &[(*x, *y), (x2, *y), (x2, y2), (*x, y2)],
                        true,
                        page_h,
                    ));
                    if *checked {
                        let m = side * 0.18;
                        ops.push(line(&[(x + m, y + m), (x2 - m, y2 - m)], false, page_h));
                        ops.push(line(&[(x + m, y2 - m), (x2 - m, y + m)], false, page_h));
                    }
                }
                Item::Rect { x, y, w, h, gray } => {
                    let grey = Color::Rgb(Rgb {
                        r: *gray,
                        g: *gray,
                        b: *gray,
                        icc_profile: None,
                    });
                    ops.push(Op::SetFillColor { col: grey });
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: pt(*x),
                            y: pt(page_h - y - h),
                            width: pt(*w),
                            height: pt(*h),
                            mode: Some(PaintMode::Fill),
                            winding_order: None,
                        },
                    });
                    ops.push(Op::SetFillColor { col: black.clone() });
                }
                Item::Text { .. } => {}
            }
        }
        ops.push(Op::StartTextSection);
        let mut current: Option<(Face, f32)> = None;
        for item in items {
            if let Item::Text {
                x,
                y,
                face,
                size,
                text,
            } = item
            {
                let id = ids
                    .get(face)
                    .ok_or_else(|| FormError::Pdf("font missing".into()))?;
                if current != Some((*face, *size)) {
                    current = Some((*face, *size));
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(id.clone()),
                        size: Pt(*size),
                    });
                }
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(pt(*x), pt(page_h - y)),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
            }
        }
        ops.push(Op::EndTextSection);
        out.push(PdfPage::new(Mm(page_w), Mm(page_h), ops));
    }
    let mut warnings = Vec::new();
    Ok(doc
        .with_pages(out)
        .save(&PdfSaveOptions::default(), &mut warnings))
}
