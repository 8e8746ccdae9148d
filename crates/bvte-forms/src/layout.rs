//! Layout of text: words measured with the real font, lines broken greedily (justified where
//! asked), paragraphs cut into chunks that are never split — one line each — so no line is ever
//! cut by a page break (`paginate.rs` places the chunks, `table.rs` lays out tables).
//! Positions are millimetres from the top-left corner of the page; `y` of text is its baseline.

use crate::expr::{Emph, Piece};
use crate::font::{self, ASCENT, DESCENT, Face, PT};
use crate::template::Align;
use std::rc::Rc;

/// Text style.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Size in points.
    pub size: f32,
}

impl Style {
    /// Regular text of `size` points.
    pub fn plain(size: f32) -> Style {
        Style {
            bold: false,
            italic: false,
            size,
        }
    }

    fn with(self, e: Emph) -> Style {
        Style {
            bold: self.bold || e.bold,
            italic: self.italic || e.italic,
            size: self.size,
        }
    }

    fn face(self) -> Face {
        Face::of(self.bold, self.italic)
    }
}

/// Something drawn on a page.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Text at a baseline.
    Text {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// Face.
        face: Face,
        /// Size in points.
        size: f32,
        /// The text.
        text: String,
    },
    /// A straight line.
    Line {
        /// Start.
        x1: f32,
        /// Start.
        y1: f32,
        /// End.
        x2: f32,
        /// End.
        y2: f32,
        /// Thickness in points.
        width: f32,
    },
    /// A check box: a square, crossed when ticked (☐ / ☒ drawn as vectors: the font has no
    /// such glyphs).
    Check {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Side.
        side: f32,
        /// Ticked.
        checked: bool,
    },
    /// A filled rectangle (a bar of a chart), grey level 0 (black) to 1 (white).
    Rect {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Grey level of the fill.
        gray: f32,
    },
}

impl Item {
    /// The same item moved down by `dy`.
    pub fn shifted(&self, dy: f32) -> Item {
        let mut i = self.clone();
        match &mut i {
            Item::Text { y, .. } | Item::Check { y, .. } | Item::Rect { y, .. } => *y += dy,
            Item::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
        }
        i
    }
}

/// An unbreakable piece of a page: a line of text, a table row, a header block.
#[derive(Clone, Debug, Default)]
pub struct Chunk {
    /// Height in mm.
    pub height: f32,
    /// Space above in mm, dropped at the top of a page.
    pub space_before: f32,
    /// What it draws, `y` relative to the chunk's top.
    pub items: Vec<Item>,
    /// Must stay on the same page as the next chunk.
    pub keep_with_next: bool,
    /// Repeated at the top of a new page before this chunk (a table's header row).
    pub header: Option<Rc<Chunk>>,
    /// Starts a new page.
    pub page_break_before: bool,
}

#[derive(Clone, Debug)]
enum Part {
    Text { text: String, face: Face, size: f32 },
    Check { checked: bool, size: f32 },
    Gap(f32),
}

impl Part {
    fn width(&self) -> f32 {
        match self {
            Part::Text { text, face, size } => font::width(*face, *size, text),
            Part::Check { size, .. } => CHECK_ADVANCE * size * PT,
            Part::Gap(w) => *w,
        }
    }
}

/// A check box takes 0.8 em, its square is 0.62 em.
const CHECK_ADVANCE: f32 = 0.8;
const CHECK_SIDE: f32 = 0.62;

#[derive(Clone, Debug, Default)]
struct Word {
    parts: Vec<Part>,
    width: f32,
    size: f32,
}

impl Word {
    fn push(&mut self, p: Part) {
        self.width += p.width();
        if let Part::Text { size, .. } | Part::Check { size, .. } = &p {
            self.size = self.size.max(*size);
        }
        self.parts.push(p);
    }

    fn push_char(&mut self, c: char, style: Style) {
        let face = style.face();
        let c = font::printable(face, c);
        let w = font::width(face, style.size, c.encode_utf8(&mut [0; 4]));
        if let Some(Part::Text {
            text,
            face: f,
            size,
        }) = self.parts.last_mut()
            && *f == face
            && *size == style.size
        {
            text.push(c);
            self.width += w;
            return;
        }
        self.push(Part::Text {
            text: c.to_string(),
            face,
            size: style.size,
        });
    }

    fn ends_with_check(&self) -> bool {
        matches!(self.parts.last(), Some(Part::Check { .. }))
    }
}

#[derive(Clone, Debug)]
enum Tok {
    Word(Word),
    Space { width: f32 },
    Break,
    Fill(Style),
}

fn tokenize(pieces: &[Piece], base: Style) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut cur = Word::default();
    let flush = |cur: &mut Word, toks: &mut Vec<Tok>| {
        if !cur.parts.is_empty() {
            toks.push(Tok::Word(std::mem::take(cur)));
        }
    };
    for piece in pieces {
        match piece {
            Piece::Text(s, e) => {
                let style = base.with(*e);
                let space = font::width(style.face(), style.size, " ");
                for c in s.chars() {
                    match c {
                        ' ' | '\t' if cur.ends_with_check() => cur.push(Part::Gap(space)),
                        ' ' | '\t' => {
                            flush(&mut cur, &mut toks);
                            toks.push(Tok::Space { width: space });
                        }
                        '\n' => {
                            flush(&mut cur, &mut toks);
                            toks.push(Tok::Break);
                        }
                        '\r' => {}
                        '☐' | '☒' => cur.push(Part::Check {
                            checked: c == '☒',
                            size: style.size,
                        }),
                        c => cur.push_char(c, style),
                    }
                }
            }
            Piece::Check(checked, e) => cur.push(Part::Check {
                checked: *checked,
                size: base.with(*e).size,
            }),
            Piece::Fill(e) => {
                flush(&mut cur, &mut toks);
                toks.push(Tok::Fill(base.with(*e)));
            }
        }
    }
    flush(&mut cur, &mut toks);
    toks
}

#[derive(Clone, Debug, Default)]
struct Broken {
    /// Words with the natural gap before each.
    words: Vec<(f32, Word)>,
    natural: f32,
    /// Last line of a paragraph or before a forced break: never justified.
    last: bool,
}

impl Broken {
    fn push(&mut self, gap: f32, w: Word) {
        let gap = if self.words.is_empty() { 0.0 } else { gap };
        self.natural += gap + w.width;
        self.words.push((gap, w));
    }
}

/// Splits a word wider than a line into pieces that fit, character by character.
fn split_word(w: Word, avail: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word::default();
    for part in w.parts {
        match part {
            Part::Text { text, face, size } => {
                for c in text.chars() {
                    let cw = font::width(face, size, c.encode_utf8(&mut [0; 4]));
                    if cur.width + cw > avail && !cur.parts.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.push_char(
                        c,
                        Style {
                            bold: matches!(face, Face::Bold | Face::BoldItalic),
                            italic: matches!(face, Face::Italic | Face::BoldItalic),
                            size,
                        },
                    );
                }
            }
            other => {
                if cur.width + other.width() > avail && !cur.parts.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.push(other);
            }
        }
    }
    if !cur.parts.is_empty() {
        out.push(cur);
    }
    out
}

/// Greedy line breaking. `avail(i)` is the width of line `i`.
fn break_lines(toks: Vec<Tok>, avail: &dyn Fn(usize) -> f32) -> Vec<Broken> {
    let mut lines: Vec<Broken> = Vec::new();
    let mut cur = Broken::default();
    let mut gap = 0.0;
    let place = |w: Word, gap: f32, lines: &mut Vec<Broken>, cur: &mut Broken| {
        let a = avail(lines.len());
        if !cur.words.is_empty() && cur.natural + gap + w.width <= a + 0.01 {
            cur.push(gap, w);
            return;
        }
        if !cur.words.is_empty() {
            lines.push(std::mem::take(cur));
        }
        let a = avail(lines.len());
        if w.width <= a + 0.01 {
            cur.push(0.0, w);
        } else {
            let mut pieces = split_word(w, a);
            let last = pieces.pop();
            for p in pieces {
                cur.push(0.0, p);
                lines.push(std::mem::take(cur));
            }
            if let Some(p) = last {
                cur.push(0.0, p);
            }
        }
    };
    for tok in toks {
        match tok {
            Tok::Space { width } => {
                if !cur.words.is_empty() {
                    gap += width;
                }
            }
            Tok::Break => {
                cur.last = true;
                lines.push(std::mem::take(&mut cur));
                gap = 0.0;
            }
            Tok::Word(w) => {
                place(w, gap, &mut lines, &mut cur);
                gap = 0.0;
            }
            Tok::Fill(style) => {
                let face = style.face();
                let dot = font::width(face, style.size, "…");
                let mut room =
                    avail(lines.len()) - cur.natural - if cur.words.is_empty() { 0.0 } else { gap };
                if room < 3.0 * dot && !cur.words.is_empty() {
                    // Not stretched: the dots start the next line.
                    cur.last = true;
                    lines.push(std::mem::take(&mut cur));
                    room = avail(lines.len());
                }
                let n = ((room / dot).floor() as usize).max(1);
                let mut w = Word::default();
                w.push(Part::Text {
                    text: "…".repeat(n),
                    face,
                    size: style.size,
                });
                cur.push(gap, w);
                gap = 0.0;
            }
        }
    }
    if !cur.words.is_empty() || lines.is_empty() || lines.last().is_some_and(|l| l.last) {
        cur.last = true;
        lines.push(cur);
    } else if let Some(l) = lines.last_mut() {
        l.last = true;
    }
    lines
}

/// Vertical metrics of a line of text of `size` points: its height and baseline offset, mm.
pub fn line_metrics(size: f32, line_height: f32) -> (f32, f32) {
    let h = size * line_height * PT;
    let glyphs = (ASCENT + DESCENT) * size * PT;
    (h, (h - glyphs) / 2.0 + ASCENT * size * PT)
}

/// One laid-out line: items relative to the line's top, its height and the text's width.
#[derive(Clone, Debug, Default)]
pub struct LaidLine {
    /// Items, `y` relative to the line's top.
    pub items: Vec<Item>,
    /// Height in mm.
    pub height: f32,
    /// Width of the text (natural, before justification).
    pub width: f32,
}

/// How a paragraph is set.
#[derive(Clone, Copy, Debug)]
pub struct Para {
    /// Base style.
    pub style: Style,
    /// Alignment.
    pub align: Align,
    /// Left edge of the text box.
    pub x: f32,
    /// Width of the text box.
    pub width: f32,
    /// First-line indent.
    pub indent: f32,
    /// Indent of the other lines.
    pub hanging: f32,
    /// Line height factor.
    pub line_height: f32,
}

/// Lays out a paragraph into lines.
pub fn lay_lines(pieces: &[Piece], p: Para) -> Vec<LaidLine> {
    let toks = tokenize(pieces, p.style);
    let indent_of = |i: usize| if i == 0 { p.indent } else { p.hanging };
    let avail = move |i: usize| (p.width - indent_of(i)).max(5.0);
    let broken = break_lines(toks, &avail);
    broken
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let size = line
                .words
                .iter()
                .map(|(_, w)| w.size)
                .fold(0.0_f32, f32::max)
                .max(if line.words.is_empty() {
                    p.style.size
                } else {
                    0.0
                });
            let (height, baseline) = line_metrics(size, p.line_height);
            let room = avail(i) - line.natural;
            let justify = p.align == Align::Justify && !line.last && line.words.len() > 1;
            let extra = if justify {
                room / (line.words.len() - 1) as f32
            } else {
                0.0
            };
            let start = p.x
                + indent_of(i)
                + match p.align {
                    Align::Center => room / 2.0,
                    Align::Right => room,
                    Align::Left | Align::Justify => 0.0,
                };
            let mut items: Vec<Item> = Vec::new();
            let mut x = start;
            for (k, (gap, w)) in line.words.into_iter().enumerate() {
                if k > 0 {
                    x += gap + extra;
                }
                // Merge with the previous text item when nothing was stretched, so that copied
                // text has its real spaces.
                let mut first = true;
                for part in w.parts {
                    let pw = part.width();
                    match part {
                        Part::Text { text, face, size } => {
                            let joined = first
                                && k > 0
                                && !justify
                                && match items.last_mut() {
                                    Some(Item::Text {
                                        face: f,
                                        size: s,
                                        text: t,
                                        x: tx,
                                        ..
                                    }) if *f == face && *s == size => {
                                        let spaces =
                                            (gap / font::width(face, size, " ")).round().max(1.0)
                                                as usize;
                                        let expected = *tx + font::width(face, size, t) + gap;
                                        if (expected - x).abs() < 0.05 {
                                            t.push_str(&" ".repeat(spaces));
                                            t.push_str(&text);
                                            true
                                        } else {
                                            false
                                        }
                                    }
                                    _ => false,
                                };
                            if !joined {
                                items.push(Item::Text {
                                    x,
                                    y: baseline,
                                    face,
                                    size,
                                    text,
                                });
                            }
                        }
                        Part::Check { checked, size } => {
                            let side = CHECK_SIDE * size * PT;
                            items.push(Item::Check {
                                x: x + (pw - side) / 2.0,
                                y: baseline - side - 0.02 * size * PT,
                                side,
                                checked,
                            });
                        }
                        Part::Gap(_) => {}
                    }
                    first = false;
                    x += pw;
                }
            }
            LaidLine {
                items,
                height,
                width: line.natural,
            }
        })
        .collect()
}

/// A paragraph as chunks, one per line, keeping its first two and last two lines together.
pub fn paragraph(pieces: &[Piece], p: Para) -> Vec<Chunk> {
    let lines = lay_lines(pieces, p);
    let n = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| Chunk {
            height: l.height,
            items: l.items,
            keep_with_next: n > 1 && (i == 0 || i + 2 == n),
            ..Chunk::default()
        })
        .collect()
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
