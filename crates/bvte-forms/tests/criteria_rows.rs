//! The criteria tables of Mẫu 02, 03 and 06 as an officer reads them on paper: every recorded
//! level ticked on its own numbered row, under the template's own wording, and no row added,
//! whichever words the screen sent (the codes the app sends now, or what the Vietnamese and the
//! English screens and the templates wrote before criteria were codes).
//!
//! Read back from the PDF: the words and their places with `pdftotext -bbox`, and which box is
//! ticked from the page rendered by `pdftoppm` (the boxes are drawn, not text). Needs
//! poppler-utils, like `render.rs`.

use bvte_forms::{Templates, render_document};
use serde_json::{Value, json};
use std::process::Command;

fn run(tool: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} cannot run ({e}): these tests need poppler-utils (apt-get install poppler-utils)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    page: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// A page rendered in grey levels, `DPI` dots per inch.
struct Image {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

const DPI: f64 = 144.0;

impl Image {
    fn read_pgm(bytes: &[u8]) -> Image {
        // "P5\n<w> <h>\n255\n" then one byte per pixel.
        let mut fields = Vec::new();
        let mut i = 0;
        while fields.len() < 4 {
            while bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let start = i;
            while !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
        }
        assert_eq!(fields[0], "P5", "a binary grey map");
        let (width, height) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
        Image {
            width,
            height,
            pixels: bytes[i + 1..].to_vec(),
        }
    }

    /// Dark pixels in a rectangle given in points.
    fn dark(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> usize {
        let px = |v: f64, max: usize| ((v * DPI / 72.0).round().max(0.0) as usize).min(max);
        let (a, b) = (px(x0, self.width), px(x1, self.width));
        let (c, d) = (px(y0, self.height), px(y1, self.height));
        (c..d)
            .flat_map(|y| (a..b).map(move |x| (x, y)))
            .filter(|(x, y)| self.pixels[y * self.width + x] < 128)
            .count()
    }
}

/// A printed form: its words and its pages as images.
struct Printed {
    words: Vec<Word>,
    pages: Vec<Image>,
    text: String,
}

fn print(form: &str, data: &Value) -> Printed {
    let t = Templates::embedded().get(form).unwrap();
    let pdf = render_document(t, data).unwrap().pdf;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let p = path.to_str().unwrap();
    let html = String::from_utf8(run("pdftotext", &["-bbox", p, "-"])).unwrap();
    let mut words = Vec::new();
    let mut page = 0;
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let attr = |name: &str| -> f64 {
                let start = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                rest[start..].split('"').next().unwrap().parse().unwrap()
            };
            let text = rest.split('>').nth(1).unwrap().split('<').next().unwrap();
            words.push(Word {
                text: text
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'"),
                page: page - 1,
                x0: attr("xMin"),
                y0: attr("yMin"),
                x1: attr("xMax"),
                y1: attr("yMax"),
            });
        }
    }
    let prefix = dir.path().join("page");
    run(
        "pdftoppm",
        &["-gray", "-r", "144", p, prefix.to_str().unwrap()],
    );
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|f| f.extension().is_some_and(|x| x == "pgm"))
        .collect();
    files.sort();
    let pages = files
        .iter()
        .map(|f| Image::read_pgm(&std::fs::read(f).unwrap()))
        .collect();
    let text = words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Printed { words, pages, text }
}

/// A row of a criteria table as printed: the criterion column's text and the ticked level.
#[derive(Debug, PartialEq)]
struct Row {
    criterion: String,
    ticked: Option<&'static str>,
}

/// The first words of the level labels, as the right column prints them (`Cao`, or `Cao:`
/// before a level's definition).
const LEVELS: [(&str, &str); 3] = [("Cao", "high"), ("Trung", "medium"), ("Thấp", "low")];

fn level_of(w: &Word) -> Option<&'static str> {
    LEVELS
        .iter()
        .find(|(l, _)| w.text == *l || w.text.strip_suffix(':') == Some(*l))
        .map(|(_, code)| *code)
}

impl Printed {
    fn key(w: &Word) -> (usize, f64) {
        (w.page, w.y0)
    }

    /// The criteria tables in print order, each as its rows. A table's rows are found by the
    /// first level of each row (`Cao`) in the levels column; it ends at its totals row.
    fn tables(&self) -> Vec<Vec<Row>> {
        let totals: Vec<&Word> = self.words.iter().filter(|w| w.text == "Tổng").collect();
        let mut tables = Vec::new();
        let mut from = (0, f64::MIN);
        for t in totals {
            let end = Self::key(t);
            let in_table = |w: &Word| Self::key(w) > from && (w.page, w.y0 + 2.0) < (end.0, end.1);
            let starts: Vec<&Word> = self
                .words
                .iter()
                .filter(|w| in_table(w) && level_of(w) == Some("high"))
                .collect();
            if starts.is_empty() {
                from = end;
                continue;
            }
            let split = starts.iter().map(|w| w.x0).fold(f64::MAX, f64::min) - 20.0;
            let mut rows = Vec::new();
            for (i, s) in starts.iter().enumerate() {
                let top = (s.page, s.y0 - 2.0);
                let bottom = starts
                    .get(i + 1)
                    .map(|n| (n.page, n.y0 - 2.0))
                    .unwrap_or((end.0, end.1 - 2.0));
                let band =
                    |w: &&Word| in_table(w) && (w.page, w.y0) >= top && (w.page, w.y0) < bottom;
                let criterion = self
                    .words
                    .iter()
                    .filter(band)
                    .filter(|w| w.x1 < split)
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let boxes: Vec<(&'static str, usize)> = self
                    .words
                    .iter()
                    .filter(band)
                    .filter(|w| w.x0 > split)
                    .filter_map(|w| level_of(w).map(|l| (l, self.box_ink(w))))
                    .collect();
                assert_eq!(boxes.len(), 3, "three level boxes on a row: {boxes:?}");
                let most = boxes.iter().max_by_key(|(_, n)| *n).unwrap();
                let least = boxes.iter().map(|(_, n)| *n).min().unwrap();
                // A crossed box has its two diagonals: clearly more ink than an empty one.
                let ticked = (most.1 * 4 > least * 5).then_some(most.0);
                rows.push(Row { criterion, ticked });
            }
            tables.push(rows);
            from = end;
        }
        tables
    }

    /// The ink of the box printed just before a level's label.
    fn box_ink(&self, w: &Word) -> usize {
        let size = (w.y1 - w.y0) / 1.107;
        self.pages[w.page].dark(w.x0 - 1.15 * size, w.y0, w.x0 - 0.1 * size, w.y1)
    }
}

fn row(criterion: &str, ticked: &'static str) -> Row {
    Row {
        criterion: criterion.into(),
        ticked: Some(ticked),
    }
}

/// The case of `render.rs` with `items` as the scored criteria at `path` (a step's field).
fn with_scores(fields: &[(&str, &str, Vec<Value>)]) -> Value {
    let mut data: Value =
        serde_json::from_str(include_str!("fixtures/case.json")).expect("fixture is JSON");
    for (step, field, items) in fields {
        data["steps"][step]["data"][field] = Value::Array(items.clone());
    }
    data
}

fn scores(names: [&str; 4]) -> Vec<Value> {
    let levels = [
        ("high", "Cao", "Nhiều vết bầm"),
        ("medium", "Trung bình", ""),
        ("low", "Thấp", ""),
        ("high", "Cao", ""),
    ];
    names
        .iter()
        .zip(levels)
        .filter(|(n, _)| !n.is_empty())
        .map(|(n, (l, label, note))| {
            json!({"criterion": n, "level": l, "level_label": label, "note": note})
        })
        .collect()
}

/// What the screens sent for Mẫu 02 and 03 before criteria were codes, and what they send now.
const ASSESSMENT_SENT: [(&str, [&str; 3]); 4] = [
    (
        "codes",
        ["harm_severity", "abuser_access", "care_obstacles"],
    ),
    (
        "the Vietnamese screen",
        [
            "Mức độ tổn hại đến tính mạng, sức khỏe, nhân phẩm của trẻ em",
            "Khả năng tiếp cận trẻ em của đối tượng xâm hại",
            "Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em",
        ],
    ),
    (
        "the English screen",
        [
            "Severity of harm to life, health or dignity",
            "The abuser's access to the child",
            "Obstacles to safety in the care environment",
        ],
    ),
    (
        "the Mẫu 02 template",
        [
            "1. Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em",
            "2. Khả năng tiếp cận trẻ em của đối tượng xâm hại",
            "3. Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em",
        ],
    ),
];

const ROW_2: &str = "2. Khả năng tiếp cận trẻ em của đối tượng xâm hại";
const ROW_3: &str =
    "3. Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em";

#[test]
fn mau_02_ticks_each_level_on_its_numbered_row_whatever_the_screen_sent() {
    for (how, [a, b, c]) in ASSESSMENT_SENT {
        for extra in ["Trẻ sợ về nhà", "The child is afraid to go home"] {
            let data = with_scores(&[("initial_assessment", "criteria", scores([a, b, c, extra]))]);
            let printed = print("02", &data);
            assert_eq!(
                printed.tables(),
                vec![vec![
                    row(
                        "1. Mức độ tổn hại đối với tính mạng, sức khỏe, nhân phẩm của trẻ em Ghi chú: Nhiều vết bầm",
                        "high"
                    ),
                    row(ROW_2, "medium"),
                    row(ROW_3, "low"),
                    // The officer's own criterion ("Thêm tiêu chí"), as typed.
                    row(extra, "high"),
                ]],
                "Mẫu 02 recorded with {how}:\n{}",
                printed.text
            );
        }
    }
}

#[test]
fn mau_03_ticks_each_level_on_its_numbered_row_whatever_the_screen_sent() {
    for (how, [a, b, c]) in ASSESSMENT_SENT {
        let data = with_scores(&[(
            "detailed_assessment",
            "criteria",
            scores([a, b, c, "Trẻ sợ về nhà"]),
        )]);
        let printed = print("03", &data);
        assert_eq!(
            printed.tables(),
            vec![vec![
                row(
                    "1. Mức độ tổn hại của trẻ em Ghi chú: Nhiều vết bầm",
                    "high"
                ),
                row(ROW_2, "medium"),
                row(ROW_3, "low"),
                row("Trẻ sợ về nhà", "high"),
            ]],
            "Mẫu 03 recorded with {how}:\n{}",
            printed.text
        );
    }
}

#[test]
fn mau_06_ticks_each_level_on_its_numbered_row_whatever_the_screen_sent() {
    let sent: [(&str, [&str; 3]); 4] = [
        (
            "codes",
            ["harm_severity", "abuser_access", "care_obstacles"],
        ),
        (
            "the Vietnamese screen",
            [
                "Mức độ tổn hại của trẻ em có còn nghiêm trọng không",
                "Khả năng tiếp cận trẻ em của đối tượng xâm hại",
                "Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em",
            ],
        ),
        (
            "the English screen",
            [
                "Is the harm still serious",
                "The abuser's access to the child",
                "Obstacles to safety in the care environment",
            ],
        ),
        (
            "the Mẫu 06 template",
            [
                "1. Mức độ tổn hại của trẻ em có còn nghiêm trọng không",
                "2. Khả năng tiếp cận trẻ em của đối tượng xâm hại",
                "3. Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho trẻ em",
            ],
        ),
    ];
    for (how, [a, b, c]) in sent {
        let data = with_scores(&[
            ("review", "harm", scores([a, b, c, ""])),
            (
                "review",
                "self_protection",
                scores(["Trẻ biết gọi 111", "Trẻ đi học đều", "", ""]),
            ),
        ]);
        let printed = print("06", &data);
        // §1a prints each level's meaning in the levels column; the criterion column has the
        // template's wording and the note. §1b has no fixed criteria: the officer's, as typed.
        assert_eq!(
            printed.tables(),
            vec![
                vec![
                    row(
                        "1. Mức độ tổn hại của trẻ em có còn nghiêm trọng không Ghi chú: Nhiều vết bầm",
                        "high"
                    ),
                    row(ROW_2, "medium"),
                    row(ROW_3, "low"),
                ],
                vec![
                    row("Trẻ biết gọi 111 Ghi chú: Nhiều vết bầm", "high"),
                    row("Trẻ đi học đều", "medium"),
                ],
            ],
            "Mẫu 06 recorded with {how}:\n{}",
            printed.text
        );
    }
}
