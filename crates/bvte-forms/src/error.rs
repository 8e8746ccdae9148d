//! What can go wrong when loading templates or printing: a stable code, a Vietnamese message
//! that says what to fix, and the same in English.

use std::path::PathBuf;

/// A printing error.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    /// A template file that does not parse or breaks a rule of the format (docs/forms.md).
    #[error("Tệp mẫu biểu “{file}” bị lỗi{}: {message}. Hãy sửa tệp theo docs/forms.md.", at_vi(.line, .column))]
    Template {
        /// The file name (`mau-01.toml`) or path of an override.
        file: String,
        /// Line of the problem (from 1), when known.
        line: Option<usize>,
        /// Column of the problem (from 1), when known.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A form number that no template has.
    #[error("Không có Mẫu số {form}. Các mẫu in được: {}.", .valid.join(", "))]
    UnknownForm {
        /// What was asked for.
        form: String,
        /// The forms that exist.
        valid: Vec<String>,
    },
    /// The form needs a case step that has not been recorded yet.
    #[error(
        "Chưa in được Mẫu số {form} cho vụ việc này: cần ghi bước “{step_label}” ({step}) trước."
    )]
    NotApplicable {
        /// The form.
        form: String,
        /// The step code it needs.
        step: String,
        /// The step's Vietnamese label.
        step_label: String,
    },
    /// The override directory cannot be read.
    #[error("Không đọc được thư mục mẫu biểu “{}”: {source}.", .path.display())]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// The system error.
        source: std::io::Error,
    },
    /// The PDF could not be produced (a font or PDF library failure; not expected).
    #[error("Không tạo được tệp PDF: {0}.")]
    Pdf(String),
}

fn at_vi(line: &Option<usize>, column: &Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" ở dòng {l}, cột {c}"),
        (Some(l), None) => format!(" ở dòng {l}"),
        _ => String::new(),
    }
}

impl FormError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            FormError::Template { .. } => "bad_template",
            FormError::UnknownForm { .. } => "unknown_form",
            FormError::NotApplicable { .. } => "form_not_applicable",
            FormError::Io { .. } => "templates_unreadable",
            FormError::Pdf(_) => "pdf_failed",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            FormError::Template {
                file,
                line,
                column,
                message,
            } => {
                let at = match (line, column) {
                    (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
                    (Some(l), None) => format!(" at line {l}"),
                    _ => String::new(),
                };
                format!("Form template \"{file}\" is broken{at}: {message}. See docs/forms.md.")
            }
            FormError::UnknownForm { form, valid } => {
                format!("There is no form {form}. Forms: {}.", valid.join(", "))
            }
            FormError::NotApplicable { form, step, .. } => format!(
                "Form {form} cannot be printed for this case yet: record the step \"{step}\" first."
            ),
            FormError::Io { path, source } => {
                format!(
                    "Cannot read the templates directory {}: {source}.",
                    path.display()
                )
            }
            FormError::Pdf(m) => format!("The PDF could not be produced: {m}."),
        }
    }
}
