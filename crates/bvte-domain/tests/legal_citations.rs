//! Every article of Decree 56/2017 (and of the Law on Children 2016, where `docs/legal/` holds it)
//! that the Rust sources cite exists in `docs/legal/decree56-articles.md`, down to the clause
//! (*khoản*). The scan reads every `crates/*/src/**/*.rs` and `src-tauri/src/**/*.rs` file.
//!
//! How the code cites, and so what is parsed:
//! - English: `Decree 56 Art 26 k3`, `Decree 56/2017 Art 25`, `Arts 3–16`, `Art 28 k1–2`,
//!   `Art 28 k2, k4`, `Arts 28 k4, 29, 30`, `Art 30 k1 b, c` (points are not checked);
//! - Vietnamese: `Điều 26 khoản 3`, `Điều 26 khoản 2, 3 Nghị định 56/2017/NĐ-CP`,
//!   `Điều 28 khoản 4, Điều 29, 30`, `Luật Trẻ em, Điều 1`;
//! - `Article 31` and `Art. 31` are read too.
//!
//! A citation belongs to the law named just before it (`Law on Children 2016 Art 4`, `Civil Code
//! Art 147`) or just after it (`Điều 27, 28 Nghị định 56/2017/NĐ-CP`); a citation naming no law is
//! Decree 56's, the code's convention — so a citation of another law must name it. Citations of
//! laws whose text `docs/legal/` does not hold (Civil Code, Labour Code, Law on Residence, Circular
//! 14/2020, Law on Children articles other than 1 and 10) are not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Law {
    Decree56,
    Children,
    Other,
}

#[derive(Debug, PartialEq, Eq)]
struct Cited {
    law: Law,
    article: u32,
    clauses: Vec<u32>,
}

/// A citation found in a source file.
#[derive(Debug)]
struct Found {
    file: String,
    line: usize,
    text: String,
    cited: Vec<Cited>,
}

/// Citations that are not citations: (file, text of the match, why).
const NOT_CITATIONS: &[(&str, &str, &str)] = &[(
    "crates/bvte-forms/src/expr.rs",
    "Điều 1",
    "article 1 of a decision being printed, in a markup test",
)];

const KEYWORDS: &[&str] = &[
    "Articles ",
    "Article ",
    "Arts. ",
    "Arts ",
    "Art. ",
    "Art ",
    "Điều ",
];

const DECREE_56: &[&str] = &[
    "decree 56/2017/nđ-cp",
    "decree 56/2017",
    "decree 56",
    "decree no. 56/2017/nđ-cp",
    "nghị định số 56/2017/nđ-cp",
    "nghị định 56/2017/nđ-cp",
    "nghị định 56/2017",
    "nghị định 56",
    "56/2017/nđ-cp",
];
const LAW_ON_CHILDREN: &[&str] = &["law on children", "luật trẻ em"];
/// Words that name some other law, regulation or code.
const OTHER_LAW: &[&str] = &[
    "code",
    "law",
    "luật",
    "circular",
    "thông tư",
    "decree",
    "nghị định",
    "resolution",
    "nghị quyết",
    "constitution",
    "hiến pháp",
];

/// The sources as one string per file, with comment markers and line breaks folded to spaces so
/// that a citation wrapped over two comment lines reads as one. `lines[i]` is the 1-based line
/// of the `i`-th char.
fn flatten(src: &str) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::new();
    let mut lines = Vec::new();
    for (n, raw) in src.lines().enumerate() {
        let mut l = raw.trim();
        for marker in ["//!", "///", "//"] {
            if let Some(rest) = l.strip_prefix(marker) {
                l = rest.trim_start();
                break;
            }
        }
        let l = l.strip_suffix('\\').unwrap_or(l);
        for c in l.chars().chain(std::iter::once(' ')) {
            chars.push(c);
            lines.push(n + 1);
        }
    }
    (chars, lines)
}

fn starts_with(t: &[char], at: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(i, c)| t.get(at + i) == Some(&c))
}

fn number(t: &[char], at: &mut usize) -> Option<u32> {
    let start = *at;
    while t.get(*at).is_some_and(|c| c.is_ascii_digit()) {
        *at += 1;
    }
    if *at == start || t.get(*at).is_some_and(|c| c.is_alphabetic()) {
        *at = start;
        return None;
    }
    t[start..*at].iter().collect::<String>().parse().ok()
}

/// `–N`, `-N` or `–kN` after a number: the end of a range.
fn range_end(t: &[char], at: &mut usize) -> Option<u32> {
    let save = *at;
    if matches!(t.get(*at), Some('–' | '-')) {
        *at += 1;
        if t.get(*at) == Some(&'k') {
            *at += 1;
        }
        if let Some(n) = number(t, at) {
            return Some(n);
        }
    }
    *at = save;
    None
}

/// ` k3`, ` k1–2`, ` k2, k4`, ` khoản 2, 3`, ` khoản 4` after an article number.
fn clauses(t: &[char], at: &mut usize) -> Vec<u32> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<u32>, a: u32, b: Option<u32>| out.extend(a..=b.unwrap_or(a).max(a));
    for (marker, more) in [(" khoản ", ", "), (" k", ", k")] {
        if !starts_with(t, *at, marker) {
            continue;
        }
        let save = *at;
        *at += marker.chars().count();
        let Some(a) = number(t, at) else {
            *at = save;
            continue;
        };
        let b = range_end(t, at);
        push(&mut out, a, b);
        // `khoản 2, 3` lists clauses; `k2, k4` repeats the `k`, and `k4, 29` names an article.
        loop {
            let save = *at;
            if !starts_with(t, *at, more) {
                break;
            }
            *at += more.chars().count();
            match number(t, at) {
                Some(a) if marker == " khoản " && continues(t, *at) => {
                    let b = range_end(t, at);
                    push(&mut out, a, b);
                }
                Some(a) if marker == " k" => {
                    let b = range_end(t, at);
                    push(&mut out, a, b);
                }
                _ => {
                    *at = save;
                    break;
                }
            }
        }
        break;
    }
    out
}

/// After a number in a list: does the list go on or end here (so that `Art 26 k3, 12 hours`
/// does not cite an article 12)?
fn continues(t: &[char], at: usize) -> bool {
    let mut probe = at;
    let _ = range_end(t, &mut probe);
    let _ = clauses(t, &mut probe);
    match t.get(probe) {
        None => true,
        Some(c) if ",)].;:\"'`".contains(*c) => true,
        Some(' ') => [" and ", " và ", " Nghị", " Decree", " of "]
            .iter()
            .any(|w| starts_with(t, probe, w)),
        _ => false,
    }
}

/// The articles and clauses of one citation starting after its keyword; returns them and the end.
/// After a plural keyword (`Arts 7 and 11 have`), a listed number is always an article.
fn parse_items(t: &[char], mut at: usize, plural: bool) -> (Vec<(u32, Vec<u32>)>, usize) {
    let mut items = Vec::new();
    while let Some(a) = number(t, &mut at) {
        if let Some(b) = range_end(t, &mut at) {
            items.extend((a..=b.max(a)).map(|n| (n, Vec::new())));
        } else {
            let cl = clauses(t, &mut at);
            items.push((a, cl));
        }
        let save = at;
        let sep = [", ", " and ", " và "]
            .into_iter()
            .find(|s| starts_with(t, at, s));
        match sep {
            Some(s) => {
                at += s.chars().count();
                let mut probe = at;
                if number(t, &mut probe).is_some() && (plural || continues(t, probe)) {
                    continue;
                }
                at = save;
                break;
            }
            None => break,
        }
    }
    (items, at)
}

fn lower(t: &[char], from: usize, to: usize) -> String {
    t[from..to].iter().collect::<String>().to_lowercase()
}

/// The law a citation at `start..end` belongs to, by the words around it.
fn law_of(t: &[char], start: usize, end: usize) -> Law {
    // Before: `Decree 56/2017 Art`, `Law on Children 2016 Art`, `Luật Trẻ em, Điều`.
    let from = start.saturating_sub(60);
    let before = lower(t, from, start);
    let before = before.trim_end_matches([' ', ',']);
    // `Law on Children 2016`: the year may stand between the name and the article.
    let without_year = before
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end();
    for b in [before, without_year] {
        if DECREE_56.iter().any(|n| b.ends_with(n)) {
            return Law::Decree56;
        }
        if LAW_ON_CHILDREN.iter().any(|n| b.ends_with(n)) {
            return Law::Children;
        }
    }
    // The words since the last bracket, semicolon or sentence end: `Law on Persons with
    // Disabilities 2010 Art 3`, `Circular 14/2020 Art 14`.
    let clause_start = without_year
        .char_indices()
        .rfind(|(i, c)| "(;:—".contains(*c) || without_year[*i..].starts_with(". "))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let tail = &without_year[clause_start..];
    // Its last phrase, after a comma: `*nơi ở hiện tại*, Law on Residence Art 19`.
    let phrase = tail.rsplit(", ").next().unwrap_or(tail);
    let words: Vec<&str> = phrase
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let phrase = words.join(" ");
    // After: `Điều 27, 28 Nghị định 56/2017/NĐ-CP`, `Điều 52 Luật trẻ em`, `of the Civil Code`.
    let after = lower(t, end, (end + 40).min(t.len()));
    let after = after.trim_start_matches([' ', ',']);
    let of = after
        .strip_prefix("of the ")
        .or_else(|| after.strip_prefix("of "));
    let after = of.unwrap_or(after);
    // `Art 112 of the Labour Code`: a word for a law among the next three words.
    if of.is_some() {
        let next: Vec<&str> = after
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(3)
            .collect();
        if !DECREE_56.iter().any(|n| after.starts_with(n))
            && !LAW_ON_CHILDREN.iter().any(|n| after.starts_with(n))
            && next.iter().any(|w| OTHER_LAW.contains(w))
        {
            return Law::Other;
        }
    }
    if DECREE_56.iter().any(|n| after.starts_with(n)) {
        return Law::Decree56;
    }
    if LAW_ON_CHILDREN.iter().any(|n| after.starts_with(n)) {
        return Law::Children;
    }
    // A phrase that is a law's name starts or ends with a word for a law: `Law on Residence`,
    // `Circular 14 2020`, `Civil Code`; `as the law says` does neither.
    let names_other = |s: &str| {
        OTHER_LAW
            .iter()
            .any(|w| s == *w || s.starts_with(&format!("{w} ")) || s.ends_with(&format!(" {w}")))
    };
    if OTHER_LAW
        .iter()
        .any(|w| after.starts_with(&format!("{w} ")))
    {
        return Law::Other;
    }
    // `Law on Residence 2020 Art 19` — a law named right before, in the same phrase.
    if names_other(&phrase) {
        return Law::Other;
    }
    Law::Decree56
}

/// Every citation in one source text.
fn citations(file: &str, src: &str) -> Vec<Found> {
    let (t, lines) = flatten(src);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let boundary = i == 0 || !t[i - 1].is_alphanumeric();
        let kw = KEYWORDS
            .iter()
            .find(|k| boundary && starts_with(&t, i, k))
            .copied();
        let Some(kw) = kw else {
            i += 1;
            continue;
        };
        let start = i;
        let plural = kw.starts_with("Arts") || kw.starts_with("Articles");
        let (items, end) = parse_items(&t, i + kw.chars().count(), plural);
        if items.is_empty() {
            i += 1;
            continue;
        }
        let text: String = t[start..end].iter().collect();
        let exempt = NOT_CITATIONS
            .iter()
            .any(|(f, m, _)| file.ends_with(f) && text == *m);
        if !exempt {
            let law = law_of(&t, start, end);
            out.push(Found {
                file: file.to_string(),
                line: lines[start],
                text,
                cited: items
                    .into_iter()
                    .map(|(article, clauses)| Cited {
                        law,
                        article,
                        clauses,
                    })
                    .collect(),
            });
        }
        i = end.max(i + 1);
    }
    out
}

/// The articles `docs/legal/decree56-articles.md` quotes, with their clauses: the headings
/// `Điều 8.1.NĐ.1.N.` (Decree 56) and `Điều 8.1.LQ.N.` (Law on Children) at the start of a line
/// inside the quoted text, and the clause lines `1. …` under them.
fn articles_in_docs(md: &str) -> BTreeMap<(Law, u32), BTreeSet<u32>> {
    let mut out: BTreeMap<(Law, u32), BTreeSet<u32>> = BTreeMap::new();
    let mut current: Option<(Law, u32)> = None;
    let mut in_text = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_text = line.starts_with("```text");
            current = None;
            continue;
        }
        if !in_text {
            continue;
        }
        let heading = [
            ("Điều 8.1.NĐ.1.", Law::Decree56),
            ("Điều 8.1.LQ.", Law::Children),
        ]
        .into_iter()
        .find_map(|(p, law)| {
            let rest = line.strip_prefix(p)?;
            let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
            rest[n.len()..]
                .starts_with('.')
                .then(|| (law, n.parse().ok()))
                .and_then(|(l, n)| Some((l, n?)))
        });
        if let Some(key) = heading {
            out.entry(key).or_default();
            current = Some(key);
            continue;
        }
        let n: String = line.chars().take_while(char::is_ascii_digit).collect();
        if let Some(key) = current
            && !n.is_empty()
            && line[n.len()..].starts_with(". ")
        {
            out.entry(key).or_default().insert(n.parse().unwrap());
        }
    }
    out
}

/// What is wrong with a citation, if anything.
fn problem(c: &Cited, docs: &BTreeMap<(Law, u32), BTreeSet<u32>>) -> Option<String> {
    let name = match c.law {
        Law::Decree56 => "Decree 56",
        Law::Children => "Law on Children",
        Law::Other => return None,
    };
    let Some(clauses) = docs.get(&(c.law, c.article)) else {
        // docs/legal holds the whole of Decree 56's Arts 3–16 and 25–32, but of the Law only
        // Arts 1 and 10: another Law article cannot be checked here.
        return (c.law == Law::Decree56)
            .then(|| format!("{name} Art {} is not in docs/legal", c.article));
    };
    let missing: Vec<u32> = c
        .clauses
        .iter()
        .copied()
        .filter(|k| !clauses.contains(k))
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "{name} Art {} has clauses {clauses:?} in docs/legal, not {missing:?}",
            c.article
        )
    })
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn legal_docs() -> BTreeMap<(Law, u32), BTreeSet<u32>> {
    let md = std::fs::read_to_string(workspace().join("docs/legal/decree56-articles.md"))
        .expect("docs/legal/decree56-articles.md");
    articles_in_docs(&md)
}

fn check(file: &str, src: &str) -> Vec<String> {
    let docs = &legal_docs();
    citations(file, src)
        .iter()
        .flat_map(|f| {
            f.cited.iter().filter_map(move |c| {
                problem(c, docs).map(|p| format!("{}:{}: `{}`: {p}", f.file, f.line, f.text))
            })
        })
        .collect()
}

#[test]
fn every_article_cited_in_the_code_is_in_docs_legal() {
    let root = workspace();
    let mut files = Vec::new();
    let crates = std::fs::read_dir(root.join("crates")).expect("crates/");
    for c in crates.flatten() {
        rust_files(&c.path().join("src"), &mut files);
    }
    rust_files(&root.join("src-tauri/src"), &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in &files {
        let src = std::fs::read_to_string(path).unwrap();
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        checked += citations(&name, &src)
            .iter()
            .flat_map(|f| &f.cited)
            .filter(|c| c.law == Law::Decree56)
            .count();
        problems.extend(check(&name, &src));
    }
    // The scan must see the code's citations, or it proves nothing.
    assert!(checked > 80, "only {checked} Decree 56 citations found");
    assert!(
        problems.is_empty(),
        "{} citation(s) name an article or clause that docs/legal/decree56-articles.md does not \
         hold:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn docs_legal_holds_the_articles_the_check_relies_on() {
    let docs = legal_docs();
    let d56: Vec<u32> = docs
        .keys()
        .filter(|(l, _)| *l == Law::Decree56)
        .map(|(_, n)| *n)
        .collect();
    assert_eq!(d56, (3..=16).chain(25..=32).collect::<Vec<_>>());
    assert_eq!(docs[&(Law::Decree56, 31)], BTreeSet::from([1, 2, 3, 4, 5]));
    assert_eq!(docs[&(Law::Decree56, 30)], BTreeSet::from([1, 2, 3]));
    assert!(docs.contains_key(&(Law::Children, 1)));
    assert!(docs.contains_key(&(Law::Children, 10)));
}

fn parsed(src: &str) -> Vec<(Law, u32, Vec<u32>)> {
    citations("x.rs", src)
        .into_iter()
        .flat_map(|f| f.cited)
        .map(|c| (c.law, c.article, c.clauses))
        .collect()
}

#[test]
fn the_parser_reads_the_forms_the_code_uses() {
    use Law::*;
    let d = |a, k: &[u32]| (Decree56, a, k.to_vec());
    assert_eq!(parsed("(Decree 56 Art 26 k3)."), [d(26, &[3])]);
    assert_eq!(
        parsed("/// case file (Decree\n/// 56 Art 30 k3)."),
        [d(30, &[3])]
    );
    assert_eq!(
        parsed("(Arts 28 k4, 29, 30)"),
        [d(28, &[4]), d(29, &[]), d(30, &[])]
    );
    assert_eq!(parsed("(Art 28 k2, k4)"), [d(28, &[2, 4])]);
    assert_eq!(parsed("(Art 26 k2–3)"), [d(26, &[2, 3])]);
    assert_eq!(parsed("(Art 26 k2–k3)"), [d(26, &[2, 3])]);
    assert_eq!(parsed("(Art 30 k1 b, c)"), [d(30, &[1])]);
    assert_eq!(parsed("(Arts 27–28)"), [d(27, &[]), d(28, &[])]);
    assert_eq!(parsed("Arts 7 and 11 have none"), [d(7, &[]), d(11, &[])]);
    assert_eq!(
        parsed("Decree 56/2017 Arts 3–16"),
        (3..=16).map(|a| d(a, &[])).collect::<Vec<_>>()
    );
    assert_eq!(parsed("Art. 31 and Article 32"), [d(31, &[]), d(32, &[])]);
    assert_eq!(parsed("(Art 26 k3, 12 hours)"), [d(26, &[3])]);
    assert_eq!(
        parsed("\"(Điều 26 khoản 2, 3 Nghị định 56/2017/NĐ-CP)\""),
        [d(26, &[2, 3])]
    );
    assert_eq!(
        parsed("(Điều 28 khoản 4, Điều 29, 30)."),
        [d(28, &[4]), d(29, &[]), d(30, &[])]
    );
    assert_eq!(
        parsed("(Điều 27, 28 Nghị định 56/2017/NĐ-CP)."),
        [d(27, &[]), d(28, &[])]
    );
    // Other laws, named before or after.
    assert_eq!(
        parsed("(Law on Children 2016 Art 4 k5)"),
        [(Children, 4, vec![5])]
    );
    assert_eq!(
        parsed("(Luật Trẻ em, Điều 1: trẻ em là)"),
        [(Children, 1, vec![])]
    );
    assert_eq!(parsed("(Civil Code 2015 Art 147 k2–k3)")[0].0, Other);
    assert_eq!(parsed("(Labour Code Art 111 k3)")[0].0, Other);
    assert_eq!(parsed("(Art 112 of the Labour Code)")[0].0, Other);
    assert_eq!(parsed("(Art 52 k3 of the Law on Children)")[0].0, Children);
    assert_eq!(parsed("(Art 32 k3 of Decree 56)"), [d(32, &[3])]);
    assert_eq!(parsed("(Art 32 k3 of the decision)"), [d(32, &[3])]);
    assert_eq!(
        parsed("(Law on Residence Art 19 k1: the place)")[0].0,
        Other
    );
    assert_eq!(
        parsed("(Law on Persons with Disabilities 2010 Art 3)")[0].0,
        Other
    );
    assert_eq!(parsed("(Circular 14/2020 Art 14 k3 b)")[0].0, Other);
    assert_eq!(parsed("theo khoản 3 Điều 52 Luật trẻ em")[0].0, Children);
    assert_eq!(
        parsed("(*nơi ở hiện tại*, Law on Residence Art 19)")[0].0,
        Other
    );
    assert_eq!(parsed("(as the law says, Art 31 k2)"), [d(31, &[2])]);
    // A law named in an earlier phrase does not carry over.
    assert_eq!(
        parsed("(Law on Children Art 52 k2), verified (Art 25 k2)"),
        [(Children, 52, vec![2]), d(25, &[2])]
    );
    // Not citations.
    assert_eq!(parsed("Part 3, Start 4, Mẫu 06 §1a"), []);
}

#[test]
fn a_wrong_citation_is_caught() {
    let problems = check(
        "x.rs",
        "/// Kept (Decree 56 Art 20–26); emergency within 12 hours (Art 31 k6); \
         the case file (Art 30 k3); separation (Điều 32 khoản 5); Law on Children Art 10 k3; \
         alternative carer (Law on Children Art 62).",
    );
    assert_eq!(
        problems,
        [
            "x.rs:1: `Art 20–26`: Decree 56 Art 20 is not in docs/legal",
            "x.rs:1: `Art 20–26`: Decree 56 Art 21 is not in docs/legal",
            "x.rs:1: `Art 20–26`: Decree 56 Art 22 is not in docs/legal",
            "x.rs:1: `Art 20–26`: Decree 56 Art 23 is not in docs/legal",
            "x.rs:1: `Art 20–26`: Decree 56 Art 24 is not in docs/legal",
            "x.rs:1: `Art 31 k6`: Decree 56 Art 31 has clauses {1, 2, 3, 4, 5} in docs/legal, not [6]",
            "x.rs:1: `Điều 32 khoản 5`: Decree 56 Art 32 has clauses {1, 2, 3, 4} in docs/legal, not [5]",
            "x.rs:1: `Art 10 k3`: Law on Children Art 10 has clauses {1, 2} in docs/legal, not [3]",
        ]
    );
}

/// The text of the quoted articles: for each article, its numbered clauses (`1. …`) and its
/// points (`a) …`), without the final `.` or `;`.
fn article_text(md: &str, heading: &str) -> (BTreeMap<u32, String>, BTreeMap<String, String>) {
    let start = md.find(&format!("\n{heading} ")).expect(heading) + 1;
    let block = &md[start..];
    let end = block
        .match_indices("\nĐiều 8.1.")
        .next()
        .map_or(block.len(), |(i, _)| i);
    let end = end.min(block.find("\n```").unwrap_or(block.len()));
    let (mut clauses, mut points) = (BTreeMap::new(), BTreeMap::new());
    for line in block[..end].lines().skip(1) {
        let line = line.trim().trim_end_matches(['.', ';']);
        if let Some((n, text)) = line.split_once(". ")
            && let Ok(n) = n.parse::<u32>()
        {
            clauses.insert(n, text.to_string());
        } else if let Some((p, text)) = line.split_once(") ")
            && p.chars().count() == 1
        {
            points.insert(p.to_string(), text.to_string());
        }
    }
    (clauses, points)
}

#[test]
fn group_and_subgroup_labels_are_the_laws_words() {
    use bvte_domain::codes::Code;
    use bvte_domain::groups::Group;
    let md = std::fs::read_to_string(workspace().join("docs/legal/decree56-articles.md")).unwrap();
    let (_, points) = article_text(&md, "Điều 8.1.LQ.10.");
    let mut wrong = Vec::new();
    for g in Group::ALL {
        let point = if *g == Group::Dd { "đ" } else { g.code() };
        if points.get(point).map(String::as_str) != Some(g.label_vi()) {
            wrong.push(format!(
                "group {}: {:?} ≠ Law Art 10 k1 {point}) {:?}",
                g.code(),
                g.label_vi(),
                points.get(point)
            ));
        }
        let article = g.decree56_article();
        let (clauses, _) = article_text(&md, &format!("Điều 8.1.NĐ.1.{article}."));
        let labels: BTreeMap<u32, String> = g
            .subgroups()
            .iter()
            .map(|(n, vi, _)| (u32::from(*n), (*vi).to_string()))
            .collect();
        // The copy of Art 10 k1 reads "phố cập", a typo for the title's "phổ cập".
        let clauses: BTreeMap<u32, String> = clauses
            .into_iter()
            .map(|(n, t)| (n, t.replace("phố cập", "phổ cập")))
            .collect();
        if labels != clauses {
            wrong.push(format!(
                "group {} (Decree 56 Art {article}):\n  code: {labels:?}\n  law:  {clauses:?}",
                g.code()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
