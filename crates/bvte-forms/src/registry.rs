//! The set of templates: the seven shipped in `assets/forms/` (embedded at build time), and
//! the corrected or added ones of an override directory (`BVTE_FORMS_DIR`, `--templates DIR`).

use crate::error::FormError;
use crate::template::{Template, normalise_form};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

/// The templates shipped with the program.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "mau-01.toml",
        include_str!("../../../assets/forms/mau-01.toml"),
    ),
    (
        "mau-02.toml",
        include_str!("../../../assets/forms/mau-02.toml"),
    ),
    (
        "mau-03.toml",
        include_str!("../../../assets/forms/mau-03.toml"),
    ),
    (
        "mau-04.toml",
        include_str!("../../../assets/forms/mau-04.toml"),
    ),
    (
        "mau-05.toml",
        include_str!("../../../assets/forms/mau-05.toml"),
    ),
    (
        "mau-06.toml",
        include_str!("../../../assets/forms/mau-06.toml"),
    ),
    (
        "mau-07.toml",
        include_str!("../../../assets/forms/mau-07.toml"),
    ),
];

/// The environment variable naming a directory of corrected templates.
pub const FORMS_DIR_ENV: &str = "BVTE_FORMS_DIR";

/// A set of templates by form number.
#[derive(Clone, Debug)]
pub struct Templates {
    forms: BTreeMap<String, Template>,
}

static EMBEDDED_SET: LazyLock<Templates> = LazyLock::new(|| {
    let mut forms = BTreeMap::new();
    for (file, src) in EMBEDDED {
        let t = Template::parse(file, src)
            .unwrap_or_else(|e| panic!("embedded template is broken (a test catches this): {e}"));
        forms.insert(t.form.clone(), t);
    }
    Templates { forms }
});

impl Templates {
    /// The templates shipped with the program.
    pub fn embedded() -> &'static Templates {
        &EMBEDDED_SET
    }

    /// The shipped templates, with every `*.toml` file of `dir` (if given) replacing the
    /// template of the same form number or adding a new form. A broken file is an error
    /// naming the file and the line; nothing is silently skipped.
    pub fn load(dir: Option<&Path>) -> Result<Templates, FormError> {
        let mut set = Templates::embedded().clone();
        let Some(dir) = dir else {
            return Ok(set);
        };
        let io = |source| FormError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        files.sort();
        for path in files {
            let src = std::fs::read_to_string(&path).map_err(|source| FormError::Io {
                path: path.clone(),
                source,
            })?;
            let t = Template::parse(&path.display().to_string(), &src)?;
            set.forms.insert(t.form.clone(), t);
        }
        Ok(set)
    }

    /// The shipped templates with the overrides of `BVTE_FORMS_DIR`, when it is set.
    pub fn from_env() -> Result<Templates, FormError> {
        match std::env::var_os(FORMS_DIR_ENV).filter(|v| !v.is_empty()) {
            Some(dir) => Templates::load(Some(Path::new(&dir))),
            None => Ok(Templates::embedded().clone()),
        }
    }

    /// The template of a form (`01`, `1`); the error lists the forms that exist.
    pub fn get(&self, form: &str) -> Result<&Template, FormError> {
        self.forms
            .get(&normalise_form(form))
            .ok_or_else(|| FormError::UnknownForm {
                form: form.trim().to_string(),
                valid: self.numbers(),
            })
    }

    /// The form numbers, in order.
    pub fn numbers(&self) -> Vec<String> {
        self.forms.keys().cloned().collect()
    }

    /// Every template, in form order.
    pub fn iter(&self) -> impl Iterator<Item = &Template> {
        self.forms.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_parses_and_says_where_it_comes_from() {
        let set = Templates::embedded();
        assert_eq!(set.numbers(), ["01", "02", "03", "04", "05", "06", "07"]);
        for t in set.iter() {
            assert!(!t.source.is_empty() && !t.title.is_empty(), "{}", t.file);
            assert!(
                t.requires_step.is_some(),
                "{} says which step it needs",
                t.file
            );
        }
        // forms.md marks 02–05 and 07 as reconstructions, and the tail of 06.
        let provisional: Vec<_> = set
            .iter()
            .filter(|t| t.provisional)
            .map(|t| t.form.as_str())
            .collect();
        assert_eq!(provisional, ["02", "03", "04", "05", "06", "07"]);
        assert!(set.get("1").is_ok() && set.get("Mẫu 07").is_ok());
        let e = set.get("08").unwrap_err().to_string();
        assert!(
            e.contains("08") && e.contains("01, 02, 03, 04, 05, 06, 07"),
            "{e}"
        );
    }

    #[test]
    fn an_override_directory_replaces_a_form_and_a_broken_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fixed = EMBEDDED[0]
            .1
            .replace("BÁO CÁO TIẾP NHẬN", "BÁO CÁO ĐÃ SỬA TIẾP NHẬN");
        std::fs::write(dir.path().join("mau-01.toml"), fixed).unwrap();
        let set = Templates::load(Some(dir.path())).unwrap();
        assert_ne!(
            set.get("01").unwrap(),
            Templates::embedded().get("01").unwrap()
        );
        assert_eq!(
            set.get("02").unwrap(),
            Templates::embedded().get("02").unwrap()
        );

        std::fs::write(dir.path().join("mau-02.toml"), "form = \"02\"\ntitle = [\n").unwrap();
        let msg = Templates::load(Some(dir.path())).unwrap_err().to_string();
        assert!(
            msg.contains("mau-02.toml") && msg.contains("dòng 2"),
            "{msg}"
        );

        let missing = dir.path().join("không-có");
        assert_eq!(
            Templates::load(Some(&missing)).unwrap_err().code(),
            "templates_unreadable"
        );
    }
}
