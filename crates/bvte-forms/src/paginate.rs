//! Pagination: chunks placed top to bottom, a new page when the next one does not fit (with the
//! one after it when it must stay with it), a table's header row repeated on each new page.

use crate::layout::{Chunk, Item};

/// Places chunks on pages between `top` and `bottom` (mm from the top of the page).
pub fn paginate(chunks: &[Chunk], top: f32, bottom: f32) -> Vec<Vec<Item>> {
    let mut pages: Vec<Vec<Item>> = vec![Vec::new()];
    let mut y = top;
    let mut empty = true;
    for (i, c) in chunks.iter().enumerate() {
        if c.page_break_before && !empty {
            pages.push(Vec::new());
            y = top;
            empty = true;
        }
        let before = if empty { 0.0 } else { c.space_before };
        let mut need = before + c.height;
        if c.keep_with_next
            && let Some(next) = chunks.get(i + 1)
        {
            need += next.space_before + next.height;
        }
        if !empty && y + need > bottom + 0.01 {
            pages.push(Vec::new());
            y = top;
            empty = true;
            if let Some(h) = &c.header {
                let page = pages.last_mut().expect("a page");
                page.extend(h.items.iter().map(|it| it.shifted(y)));
                y += h.height;
                empty = false;
            }
        }
        let before = if empty { 0.0 } else { c.space_before };
        y += before;
        let page = pages.last_mut().expect("a page");
        page.extend(c.items.iter().map(|it| it.shifted(y)));
        y += c.height;
        if c.height > 0.0 || !c.items.is_empty() {
            empty = false;
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Emph, Piece};
    use crate::layout::Style;
    use crate::table::{Cell, table};
    use crate::template::Align;

    fn text_of(items: &[Item]) -> String {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn pagination_never_splits_a_chunk_and_repeats_table_headers() {
        let chunk = |h: f32| Chunk {
            height: h,
            items: vec![Item::Line {
                x1: 0.0,
                y1: 0.0,
                x2: 1.0,
                y2: h,
                width: 1.0,
            }],
            ..Chunk::default()
        };
        let chunks: Vec<Chunk> = (0..30).map(|_| chunk(10.0)).collect();
        let pages = paginate(&chunks, 20.0, 277.0);
        assert_eq!(pages.len(), 2, "25 chunks of 10 mm fit in 257 mm");
        for p in &pages {
            for i in p {
                if let Item::Line { y1, y2, .. } = i {
                    assert!(*y1 >= 20.0 && *y2 <= 277.01);
                }
            }
        }
        let widths = [80.0, 85.0];
        let cell = |t: &str| Cell {
            pieces: vec![Piece::Text(t.into(), Emph::default())],
            style: Style::plain(12.0),
            align: Align::Left,
        };
        let rows: Vec<Vec<Cell>> = (0..80)
            .map(|i| vec![cell(&format!("dòng {i}")), cell("x")])
            .collect();
        let chunks = table(
            30.0,
            &widths,
            Some(vec![cell("TIÊU ĐỀ"), cell("B")]),
            rows,
            1.2,
            240.0,
            0.0,
        );
        let pages = paginate(&chunks, 20.0, 277.0);
        assert!(pages.len() >= 2);
        for p in &pages {
            assert!(text_of(p).starts_with("TIÊU ĐỀ"), "header on every page");
        }
    }
}
