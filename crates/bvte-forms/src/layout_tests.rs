//! Tests of `layout.rs`.
use super::*;

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

fn para(width: f32, align: Align) -> Para {
    Para {
        style: Style::plain(13.0),
        align,
        x: 30.0,
        width,
        indent: 0.0,
        hanging: 0.0,
        line_height: 1.2,
    }
}

#[test]
fn long_text_wraps_within_the_width_and_keeps_every_word() {
    let words: Vec<String> = (0..300).map(|i| format!("từ{i}")).collect();
    let text = words.join(" ");
    let lines = lay_lines(
        &[Piece::Text(text, Emph::default())],
        para(100.0, Align::Justify),
    );
    assert!(lines.len() > 10);
    for l in &lines {
        for i in &l.items {
            if let Item::Text {
                x,
                text,
                face,
                size,
                ..
            } = i
            {
                let right = x + font::width(*face, *size, text);
                assert!(*x >= 29.99 && right <= 130.05, "{text} at {x}..{right}");
            }
        }
    }
    let all: Vec<String> = lines
        .iter()
        .flat_map(|l| {
            text_of(&l.items)
                .split(' ')
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(all, words, "every word once, in order");
}

#[test]
fn a_word_longer_than_the_line_is_cut_into_pieces_that_fit() {
    let long = "a".repeat(400);
    let lines = lay_lines(
        &[Piece::Text(long.clone(), Emph::default())],
        para(50.0, Align::Left),
    );
    assert!(lines.len() >= 4);
    assert_eq!(
        lines.iter().map(|l| text_of(&l.items)).collect::<String>(),
        long
    );
}

#[test]
fn fill_runs_dots_to_the_end_of_the_line_and_boxes_stay_with_their_label() {
    let pieces = vec![
        Piece::Text("Họ và tên: ".into(), Emph::default()),
        Piece::Fill(Emph::default()),
    ];
    let lines = lay_lines(&pieces, para(120.0, Align::Left));
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].width > 115.0 && lines[0].width <= 120.01,
        "{}",
        lines[0].width
    );
    let pieces = vec![
        Piece::Check(true, Emph::default()),
        Piece::Text(" Nam".into(), Emph::default()),
    ];
    let lines = lay_lines(&pieces, para(120.0, Align::Left));
    assert!(matches!(
        lines[0].items[0],
        Item::Check { checked: true, .. }
    ));
}
