//! Validation errors: a closed list with stable codes and messages in Vietnamese (first) and
//! English. Each message says what is wrong and how to fix it.

use crate::labels::{Entry, field_entry};
pub use crate::labels::{field_label_en, field_label_vi, step_label_en, step_label_vi};
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// Why an input was refused. `code()` is stable (UI, CLI exit codes and tests rely on it).
/// Variant fields are named for what they hold (`field` is a JSON path).
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValidationError {
    /// A required value is missing or empty.
    Required { field: String },
    /// A value is longer than allowed.
    TooLong {
        field: String,
        max: usize,
        actual: usize,
    },
    /// A value contains a control character (often pasted from another program).
    ControlCharacter { field: String, code_point: u32 },
    /// A date or time could not be read.
    BadDate { field: String, value: String },
    /// A date or time that does not exist (30 February, 25:00…).
    ImpossibleDate { field: String, value: String },
    /// A date or time after now.
    FutureDate { field: String, value: String },
    /// A date that cannot be right for a child born in this century or the last (before 1900).
    DateTooOld { field: String, value: String },
    /// The person is 16 or older at the reference date, so not a child (Law on Children Art 1).
    NotAChild {
        field: String,
        age: u32,
        at: NaiveDate,
    },
    /// Both or neither of date of birth and estimated age were given.
    BirthAmbiguous { both: bool },
    /// A value outside a closed list.
    UnknownCode {
        field: String,
        value: String,
        allowed: Vec<String>,
    },
    /// A special-circumstance sub-group that does not exist for its group.
    UnknownSubgroup {
        field: String,
        group: String,
        subgroup: u8,
        allowed: Vec<String>,
    },
    /// The same special-circumstance group listed twice with overlapping periods.
    DuplicateGroup { field: String, group: String },
    /// An end date before its start date.
    PeriodInverted { field: String },
    /// A personal identification number that is not 12 digits.
    BadPersonalId { value: String },
    /// A commune code that is not in the official list.
    UnknownCommune { field: String, code: String },
    /// A commune code that the 2025 reform merged into another commune.
    MergedCommune {
        field: String,
        code: String,
        old_name: String,
        successors: Vec<String>,
    },
    /// A number outside its allowed range.
    OutOfRange {
        field: String,
        min: i64,
        max: i64,
        value: i64,
    },
    /// A case step that the law does not allow yet (or any more) — the reason says why.
    StepNotAllowed {
        step: String,
        reason_vi: String,
        reason_en: String,
    },
    /// A step dated before the step it depends on (or before the report was received).
    StepBeforePrevious {
        step: String,
        previous: String,
        previous_at: String,
    },
    /// Temporary separation longer than the 15 days allowed (Decree 56 Art 32 k3).
    SeparationTooLong { field: String, total_days: u32 },
    /// A report dated before the child was born.
    BeforeBirth { field: String, born: NaiveDate },
    /// Structured data that does not have the expected fields or types.
    InvalidShape { field: String, detail: String },
    /// The passphrase and its confirmation differ.
    PassphraseMismatch,
    /// A passphrase shorter than the minimum.
    PassphraseTooShort { min: usize },
    /// A child with this personal identification number is already registered.
    DuplicatePersonalId { existing_id: String },
    /// A child with cases cannot be deleted: the cases are the commune's legal record.
    ChildHasCases { cases: usize },
    /// A new child living in another commune: each commune keeps the children living in it.
    OtherCommune {
        field: String,
        code: String,
        name: String,
        own: String,
    },
    /// The home commune of a child: named for a resident (`here: false`), or naming the commune
    /// keeping the record for a child said to live elsewhere (`here: true`).
    HomeCommune { field: String, here: bool },
    /// A field this version does not know, in synced data: from a newer version, or not made by
    /// BVTE. Code `invalid_shape`, like [`Self::InvalidShape`].
    UnknownField { field: String },
    /// A value of the wrong JSON type in synced data. Code `invalid_shape`.
    WrongType { field: String, expected: Expected },
    /// Synced text that is not exactly what a form stores (Unicode NFC, trimmed, single spaces
    /// where the form makes them so): every device must hold, search and print the same text.
    NotNormalized { field: String },
}

/// The kind of JSON value a field holds, for [`ValidationError::WrongType`]. (Not a code of
/// the UI's: only its labels reach a message.)
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Text,
    TrueFalse,
    Integer,
    Date,
    Instant,
    Id,
    Code,
    List,
    Object,
}

impl Expected {
    /// The Vietnamese description ("một đoạn chữ").
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Text => "một đoạn chữ",
            Self::TrueFalse => "đúng/sai (true/false)",
            Self::Integer => "một số nguyên",
            Self::Date => "một ngày dạng yyyy-mm-dd",
            Self::Instant => "một thời điểm dạng RFC 3339",
            Self::Id => "một mã UUID",
            Self::Code => "một mã trong danh mục",
            Self::List => "một danh sách",
            Self::Object => "một nhóm trường có tên (đối tượng JSON)",
        }
    }

    /// The English description ("text").
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::TrueFalse => "true or false",
            Self::Integer => "a whole number",
            Self::Date => "a date yyyy-mm-dd",
            Self::Instant => "an RFC 3339 time",
            Self::Id => "a UUID",
            Self::Code => "a code from its list",
            Self::List => "a list",
            Self::Object => "an object",
        }
    }
}

use ValidationError as E;

impl ValidationError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            E::Required { .. } => "required",
            E::TooLong { .. } => "too_long",
            E::ControlCharacter { .. } => "control_character",
            E::BadDate { .. } => "bad_date",
            E::ImpossibleDate { .. } => "impossible_date",
            E::FutureDate { .. } => "future_date",
            E::DateTooOld { .. } => "date_too_old",
            E::NotAChild { .. } => "not_a_child",
            E::BirthAmbiguous { .. } => "birth_ambiguous",
            E::UnknownCode { .. } => "unknown_code",
            E::UnknownSubgroup { .. } => "unknown_subgroup",
            E::DuplicateGroup { .. } => "duplicate_group",
            E::PeriodInverted { .. } => "period_inverted",
            E::BadPersonalId { .. } => "bad_personal_id",
            E::UnknownCommune { .. } => "unknown_commune",
            E::MergedCommune { .. } => "merged_commune",
            E::OutOfRange { .. } => "out_of_range",
            E::StepNotAllowed { .. } => "step_not_allowed",
            E::StepBeforePrevious { .. } => "step_before_previous",
            E::SeparationTooLong { .. } => "separation_too_long",
            E::BeforeBirth { .. } => "before_birth",
            E::InvalidShape { .. } => "invalid_shape",
            E::PassphraseTooShort { .. } => "passphrase_too_short",
            E::PassphraseMismatch => "passphrase_mismatch",
            E::DuplicatePersonalId { .. } => "duplicate_personal_id",
            E::ChildHasCases { .. } => "child_has_cases",
            E::OtherCommune { .. } => "other_commune",
            E::HomeCommune { .. } => "home_commune",
            E::UnknownField { .. } | E::WrongType { .. } => "invalid_shape",
            E::NotNormalized { .. } => "not_normalized",
        }
    }

    /// The field the error is about (a JSON path such as `carers[0].full_name`), if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            E::Required { field }
            | E::TooLong { field, .. }
            | E::ControlCharacter { field, .. }
            | E::BadDate { field, .. }
            | E::ImpossibleDate { field, .. }
            | E::FutureDate { field, .. }
            | E::DateTooOld { field, .. }
            | E::UnknownCode { field, .. }
            | E::PeriodInverted { field }
            | E::UnknownCommune { field, .. }
            | E::MergedCommune { field, .. }
            | E::OutOfRange { field, .. }
            | E::InvalidShape { field, .. }
            | E::NotAChild { field, .. }
            | E::UnknownSubgroup { field, .. }
            | E::DuplicateGroup { field, .. }
            | E::SeparationTooLong { field, .. }
            | E::BeforeBirth { field, .. }
            | E::OtherCommune { field, .. }
            | E::HomeCommune { field, .. }
            | E::UnknownField { field }
            | E::WrongType { field, .. }
            | E::NotNormalized { field } => Some(field),
            E::BirthAmbiguous { .. } => Some("date_of_birth"),
            E::BadPersonalId { .. } => Some("personal_id"),
            E::StepNotAllowed { .. } | E::StepBeforePrevious { .. } => Some("step"),
            E::PassphraseTooShort { .. } => Some("passphrase"),
            E::PassphraseMismatch => Some("passphrase_confirm"),
            E::DuplicatePersonalId { .. } => Some("personal_id"),
            E::ChildHasCases { .. } => None,
        }
    }

    /// The message in Vietnamese: what is wrong and how to fix it.
    pub fn message_vi(&self) -> String {
        let f = |field: &str| field_label_vi(field);
        match self {
            E::Required { field } => match field_entry(field) {
                Entry::Typed => format!("Chưa nhập {}. Hãy nhập giá trị này.", f(field)),
                Entry::ChooseOne => format!(
                    "Chưa chọn {}. Hãy chọn một mục trong danh sách.",
                    f(field)
                ),
                Entry::ChooseSome => format!("Chưa chọn {}. Hãy chọn ít nhất một.", f(field)),
            },
            E::TooLong { field, max, actual } => format!(
                "{} quá dài ({} ký tự). Tối đa {} ký tự, hãy rút gọn.",
                capitalise(&f(field)),
                group_thousands(*actual),
                group_thousands(*max)
            ),
            E::ControlCharacter { field, code_point } => format!(
                "{} chứa ký tự điều khiển không in được (U+{code_point:04X}). Hãy gõ lại giá trị, đừng dán từ chương trình khác.",
                capitalise(&f(field))
            ),
            E::BadDate { field, value } => format!(
                "{}: không đọc được {}. Hãy nhập ngày theo dạng dd/mm/yyyy (ví dụ 05/09/2015).",
                capitalise(&f(field)),
                quote(value, "ngày")
            ),
            E::ImpossibleDate { field, value } => format!(
                "{}: ngày {} không có thật. Hãy kiểm tra lại ngày và tháng.",
                capitalise(&f(field)),
                quote(value, "này")
            ),
            E::FutureDate { field, value } => format!(
                "{}: {} là thời điểm trong tương lai. Hãy nhập ngày không muộn hơn hôm nay (và kiểm tra đồng hồ máy tính).",
                capitalise(&f(field)),
                quote(value, "đây")
            ),
            E::DateTooOld { field, value } => format!(
                "{}: {} quá xa trong quá khứ. Hãy kiểm tra lại năm.",
                capitalise(&f(field)),
                quote(value, "ngày này")
            ),
            E::NotAChild { age, at, .. } => format!(
                "Người này đã {age} tuổi vào ngày {}, không còn là trẻ em (Luật Trẻ em, Điều 1: trẻ em là người dưới 16 tuổi). Hãy kiểm tra lại ngày sinh.",
                at.format("%d/%m/%Y")
            ),
            E::BirthAmbiguous { both: true } => "Chỉ nhập một trong hai: ngày sinh hoặc tuổi ước lượng.".into(),
            E::BirthAmbiguous { both: false } => {
                "Chưa có ngày sinh. Hãy nhập ngày sinh, hoặc tuổi ước lượng nếu không biết ngày sinh.".into()
            }
            E::UnknownCode { field, value, allowed } => format!(
                "{}: {} không phải giá trị hợp lệ. Chọn một trong: {}.",
                capitalise(&f(field)),
                quote(value, "giá trị này"),
                allowed.join(", ")
            ),
            E::UnknownSubgroup { group, subgroup, allowed, .. } => {
                if allowed.is_empty() {
                    format!("Nhóm {group} không chia nhóm nhỏ; hãy bỏ trống nhóm nhỏ (đang là {subgroup}).")
                } else {
                    format!(
                        "Nhóm {group} không có nhóm nhỏ {subgroup}. Chọn một trong: {}.",
                        allowed.join(", ")
                    )
                }
            }
            E::DuplicateGroup { group, .. } => format!(
                "Nhóm hoàn cảnh đặc biệt {group} được nhập hai lần cho cùng thời gian. Hãy gộp lại thành một dòng."
            ),
            E::PeriodInverted { field } => format!(
                "{}: ngày kết thúc trước ngày bắt đầu. Hãy kiểm tra lại hai ngày.",
                capitalise(&f(field))
            ),
            E::BadPersonalId { value } => format!(
                "Mã định danh cá nhân {}không hợp lệ: phải gồm đúng 12 chữ số. Hãy kiểm tra lại, hoặc để trống nếu chưa biết.",
                quote_then_space(value)
            ),
            E::UnknownCommune { field, code } => format!(
                "{}: không có xã/phường mã {} trong danh mục hành chính hiện hành. Hãy kiểm tra lại mã (5 chữ số).",
                capitalise(&f(field)),
                quote(code, "này")
            ),
            E::MergedCommune { field, code, old_name, successors } => format!(
                "{}: mã {code} ({old_name}) là mã cũ, đã sáp nhập từ 01/07/2025. Hãy dùng mã mới: {}.",
                capitalise(&f(field)),
                successors.join(" hoặc ")
            ),
            E::OutOfRange { field, min, max, value } => format!(
                "{}: {value} nằm ngoài khoảng cho phép ({min}–{max}).",
                capitalise(&f(field))
            ),
            E::StepNotAllowed { step, reason_vi, .. } => {
                format!("Chưa thể ghi bước “{}”: {reason_vi}", step_label_vi(step))
            }
            E::StepBeforePrevious { step, previous, previous_at } => format!(
                "Thời điểm của bước “{}” sớm hơn bước “{}” ({previous_at}). Hãy kiểm tra lại ngày giờ.",
                step_label_vi(step),
                step_label_vi(previous)
            ),
            E::SeparationTooLong { total_days, .. } => format!(
                "Tổng thời gian tạm thời cách ly sẽ là {total_days} ngày, quá 15 ngày cho phép (Điều 32 khoản 3 Nghị định 56/2017/NĐ-CP). Nếu cần cách ly lâu hơn, phải đề nghị Tòa án quyết định, rồi ghi nhận việc gia hạn theo quyết định của Tòa án (ô \"Tòa án quyết định tiếp tục cách ly\")."
            ),
            E::InvalidShape { field, detail } => format!(
                "{}: dữ liệu không đúng dạng ({detail}). Xem mẫu JSON trong docs/json.md.",
                capitalise(&f(field))
            ),
            E::BeforeBirth { field, born } => format!(
                "{}: thời điểm này trước ngày sinh của trẻ ({}). Hãy kiểm tra lại ngày.",
                capitalise(&f(field)),
                born.format("%d/%m/%Y")
            ),
            E::PassphraseMismatch => {
                "Hai lần nhập mật khẩu không khớp. Hãy nhập lại cho giống nhau.".into()
            }
            E::PassphraseTooShort { min } => format!(
                "Mật khẩu quá ngắn. Hãy dùng ít nhất {min} ký tự (nên là một câu dễ nhớ)."
            ),
            E::DuplicatePersonalId { existing_id } => format!(
                "Đã có trẻ em với mã định danh cá nhân này trong sổ (mã hồ sơ {existing_id}). Hãy mở hồ sơ đó thay vì thêm mới."
            ),
            E::OtherCommune { code, name, own, .. } => format!(
                "Trẻ cư trú ở {name} ({code}) không thêm được vào sổ của xã này ({own}): mỗi xã quản lý trẻ em cư trú (thường trú hoặc tạm trú) tại xã mình. Nếu trẻ bị xâm hại hoặc được phát hiện tại xã này, hãy giữ xã này, chọn nơi cư trú “Không cư trú tại xã” và ghi xã nơi trẻ cư trú ({code}): xã nơi xảy ra vụ việc tiếp nhận, đánh giá ban đầu và can thiệp khẩn cấp (Điều 25 khoản 1, Điều 26 khoản 1 Nghị định 56/2017/NĐ-CP). Nếu trẻ đã có hồ sơ ở đây và nay chuyển đi, hãy sửa xã trong hồ sơ đó để chuyển hồ sơ sang xã mới."
            ),
            E::HomeCommune { here: true, .. } => "Xã nơi trẻ cư trú trùng với xã này. Trẻ cư trú tại xã này thì hãy chọn nơi cư trú thường trú, tạm trú hoặc nơi ở hiện tại; “Không cư trú tại xã” chỉ dành cho trẻ cư trú ở xã khác.".into(),
            E::HomeCommune { here: false, .. } => "Chỉ ghi xã nơi trẻ cư trú khi trẻ không cư trú tại xã này. Hãy chọn nơi cư trú “Không cư trú tại xã”, hoặc bỏ trống xã nơi trẻ cư trú.".into(),
            E::ChildHasCases { cases } => format!(
                "Không xóa được hồ sơ này: trẻ đã có {cases} vụ việc, và vụ việc phải được lưu giữ. Nếu đây là hồ sơ nhập trùng, hãy giữ hồ sơ có vụ việc và xóa hồ sơ kia."
            ),
            E::UnknownField { field } => format!(
                "Dữ liệu có trường “{field}” mà phiên bản BVTE này không nhận. Nếu máy gửi dùng phiên bản BVTE mới hơn, hãy cập nhật BVTE trên máy chủ và mọi máy tính."
            ),
            E::WrongType { field, expected } => format!(
                "{}: dữ liệu không đúng kiểu (cần {}). Hãy dùng cùng một phiên bản BVTE trên máy chủ và mọi máy tính, rồi nhập lại giá trị này.",
                capitalise(&f(field)),
                expected.label_vi()
            ),
            E::NotNormalized { field } => format!(
                "{} không ở dạng BVTE lưu (chữ Unicode dựng sẵn NFC, không thừa khoảng trắng). Hãy nhập lại giá trị này trong BVTE.",
                capitalise(&f(field))
            ),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_vi())
    }
}

impl std::error::Error for ValidationError {}

/// One or more validation errors, all reported at once so a form can mark every bad field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    /// The errors as `{code, field, message, message_en}` records for JSON output.
    pub fn to_reports(&self) -> Vec<ErrorReport> {
        self.0.iter().map(ErrorReport::from).collect()
    }

    /// The first error (there is always at least one).
    pub fn first(&self) -> &ValidationError {
        &self.0[0]
    }
}

impl From<ValidationError> for ValidationErrors {
    fn from(e: ValidationError) -> Self {
        Self(vec![e])
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msgs: Vec<String> = self.0.iter().map(ValidationError::message_vi).collect();
        f.write_str(&msgs.join(" "))
    }
}

impl std::error::Error for ValidationErrors {}

/// A validation error as data, for JSON.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ErrorReport {
    /// Stable code.
    pub code: &'static str,
    /// JSON path of the field, if any.
    pub field: Option<String>,
    /// Vietnamese message.
    pub message: String,
    /// English message.
    pub message_en: String,
}

impl From<&ValidationError> for ErrorReport {
    fn from(e: &ValidationError) -> Self {
        Self {
            code: e.code(),
            field: e.field().map(str::to_string),
            message: e.message_vi(),
            message_en: e.message_en(),
        }
    }
}

/// Collects errors from several checks, keeping the good values.
#[derive(Default)]
pub struct Collector(pub Vec<ValidationError>);

impl Collector {
    /// Keeps the value, or records the error and returns `None`.
    pub fn take<T>(&mut self, r: Result<T, ValidationError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Records an error.
    pub fn push(&mut self, e: ValidationError) {
        self.0.push(e);
    }

    /// `Ok(value)` when no error was recorded.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(ValidationErrors(self.0))
        }
    }
}

impl ValidationError {
    /// The error without the value that was refused: checks of synced data report the field
    /// and the rule, never the value, which may be a child's name or personal id (style habit 9).
    pub fn without_value(mut self) -> Self {
        match &mut self {
            E::BadDate { value, .. }
            | E::ImpossibleDate { value, .. }
            | E::FutureDate { value, .. }
            | E::DateTooOld { value, .. }
            | E::UnknownCode { value, .. }
            | E::BadPersonalId { value }
            | E::UnknownCommune { code: value, .. } => value.clear(),
            _ => {}
        }
        self
    }
}

/// `“value”` for a message, or `instead` when the value was withheld ([`ValidationError::without_value`]).
fn quote(value: &str, instead: &str) -> String {
    if value.is_empty() {
        instead.to_string()
    } else {
        format!("“{value}”")
    }
}

fn quote_then_space(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!("“{value}” ")
    }
}

pub(crate) fn quote_en(value: &str, instead: &str) -> String {
    if value.is_empty() {
        instead.to_string()
    } else {
        format!("\"{value}\"")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn group_thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}
