//! The names of fields and steps as messages name them, in Vietnamese and English:
//! `carers[1].full_name` is "họ và tên (người chăm sóc 2)" / "full name (carer 2)",
//! `idle_lock_minutes` "thời gian tự khóa (phút)", never the JSON name an officer never sees.
//! Whether a field is chosen from a list (a select, radio buttons, check boxes, a search) or
//! typed decides how a message asks for it: "Hãy chọn…" or "Hãy nhập…".

/// How a field is filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Typed.
    Typed,
    /// One value chosen from a list (select, radio buttons, commune search).
    ChooseOne,
    /// Any number chosen from a list (check boxes).
    ChooseSome,
}

/// `(leaf, Vietnamese, English, entry)`: the label of a field by the last name of its path.
const LABELS: &[(&str, &str, &str, Entry)] = {
    use Entry::{ChooseOne as One, ChooseSome as Some, Typed as T};
    &[
        ("full_name", "họ và tên", "full name", T),
        ("date_of_birth", "ngày sinh", "date of birth", T),
        ("estimated_age", "tuổi ước lượng", "estimated age", T),
        ("years", "tuổi ước lượng", "estimated age", T),
        (
            "as_of",
            "ngày tính tuổi ước lượng",
            "date the age was estimated",
            T,
        ),
        ("sex", "giới tính", "sex", One),
        ("ethnicity", "dân tộc", "ethnicity", One),
        (
            "personal_id",
            "mã định danh cá nhân",
            "personal ID number",
            T,
        ),
        (
            "residence_status",
            "tình trạng cư trú",
            "residence status",
            One,
        ),
        ("commune_code", "xã/phường", "commune", One),
        ("commune", "xã/phường", "commune", One),
        ("village", "thôn/tổ dân phố", "village", T),
        ("relation", "quan hệ với trẻ", "relation to the child", One),
        ("birth_year", "năm sinh", "year of birth", T),
        ("occupation", "nghề nghiệp", "occupation", T),
        ("phone", "số điện thoại", "phone number", T),
        ("address", "địa chỉ", "address", T),
        (
            "group",
            "nhóm hoàn cảnh đặc biệt",
            "special-circumstance group",
            One,
        ),
        ("subgroup", "nhóm nhỏ", "sub-group", One),
        ("since", "ngày bắt đầu", "start date", T),
        ("until", "ngày kết thúc", "end date", T),
        (
            "period_from",
            "ngày đầu kỳ báo cáo (--from)",
            "first day of the report (--from)",
            T,
        ),
        (
            "period_to",
            "ngày cuối kỳ báo cáo (--to)",
            "last day of the report (--to)",
            T,
        ),
        (
            "report_from",
            "ngày đầu kỳ báo cáo",
            "first day of the report",
            T,
        ),
        (
            "report_to",
            "ngày cuối kỳ báo cáo",
            "last day of the report",
            T,
        ),
        ("report_year", "năm báo cáo", "year of the report", One),
        (
            "report_index",
            "tháng hoặc quý báo cáo",
            "month or quarter of the report",
            One,
        ),
        (
            "disability",
            "mức độ khuyết tật",
            "degree of disability",
            One,
        ),
        ("schooling", "tình trạng đi học", "schooling", One),
        ("status", "tình trạng đi học", "schooling", One),
        ("school", "trường", "school", T),
        ("grade", "lớp", "class", T),
        ("notes", "ghi chú", "notes", T),
        ("received_at", "thời điểm tiếp nhận", "time received", T),
        ("occurred_at", "thời điểm thực hiện", "date of the step", T),
        ("occurred_at_time", "giờ thực hiện", "time of the step", T),
        ("category", "loại vụ việc", "kind of case", One),
        ("abuse_forms", "hình thức xâm hại", "form of abuse", Some),
        ("environment", "môi trường xảy ra", "where it happened", One),
        ("channel", "nguồn tiếp nhận", "how the report came in", One),
        (
            "incident_commune",
            "xã nơi xảy ra vụ việc",
            "commune of the incident",
            One,
        ),
        (
            "residence_commune",
            "xã nơi trẻ cư trú",
            "commune where the child lives",
            One,
        ),
        (
            "incident_place",
            "địa điểm xảy ra",
            "place of the incident",
            T,
        ),
        ("days", "số ngày", "number of days", T),
        ("extra_days", "số ngày", "number of days", T),
        ("court", "Tòa án", "court", T),
        ("decision_no", "số quyết định", "decision number", T),
        // Mẫu 07, Decree 56 Art 32 k2, k4.
        (
            "shelter",
            "nơi tạm trú an toàn cho trẻ em",
            "safe temporary shelter for the child",
            T,
        ),
        (
            "carer",
            "cá nhân, gia đình hoặc cơ sở nhận chăm sóc thay thế",
            "alternative carer (person, family or facility)",
            T,
        ),
        (
            "decided_by",
            "người ra quyết định (Chủ tịch UBND xã)",
            "who decided (the commune chair)",
            T,
        ),
        (
            "decision_commune",
            "xã/phường của Chủ tịch ra quyết định",
            "commune whose chair decided",
            One,
        ),
        ("approver", "người ký phê duyệt", "who approved", T),
        ("to_commune", "xã chuyển đến", "receiving commune", One),
        ("data", "nội dung bước", "the step's content", T),
        ("date", "ngày", "date", T),
        (
            "reporter",
            "người cung cấp thông tin",
            "person who reported",
            T,
        ),
        ("step", "bước", "step", One),
        ("grounds", "căn cứ", "grounds", One),
        ("proposal", "đề xuất", "proposal", One),
        (
            "measures",
            "biện pháp can thiệp khẩn cấp",
            "emergency measures",
            Some,
        ),
        (
            "separated_from",
            "người bị cách ly khỏi trẻ",
            "separated from",
            Some,
        ),
        ("confirmed", "kết quả xác minh", "verification result", One),
        ("criterion", "tiêu chí", "criterion", T),
        ("note", "ghi chú", "note", T),
        ("summary", "tóm tắt", "summary", T),
        (
            "at_risk",
            "có nguy cơ rơi vào hoàn cảnh đặc biệt",
            "at risk",
            One,
        ),
        ("carers", "cha mẹ, người chăm sóc", "parents and carers", T),
        (
            "special_circumstances",
            "hoàn cảnh đặc biệt",
            "special circumstances",
            T,
        ),
        ("deceased", "đã mất", "deceased", One),
        (
            "lives_with_child",
            "sống cùng trẻ",
            "lives with the child",
            One,
        ),
        ("kind", "loại thay đổi", "kind of change", T),
        ("id", "mã bản ghi", "record id", T),
        ("case_id", "mã vụ việc", "case id", T),
        ("child_id", "trẻ em", "child", One),
        ("recorded_at", "thời điểm ghi", "time recorded", T),
        ("author", "người ghi", "author", T),
        (
            "seen",
            "các thay đổi đã xem khi xóa",
            "changes seen when deleting",
            T,
        ),
        ("working_days", "số ngày làm việc", "working days", T),
        // Set-up and settings.
        ("officer", "họ và tên cán bộ", "officer's full name", T),
        ("officer_name", "họ và tên cán bộ", "officer's full name", T),
        ("account_name", "tên tài khoản", "account name", T),
        ("role", "vai trò", "role", T),
        (
            "chair_name",
            "họ và tên Chủ tịch UBND xã",
            "chair's full name",
            T,
        ),
        (
            "commune_header",
            "tên cơ quan in trên biểu mẫu",
            "issuing body on forms",
            T,
        ),
        (
            "idle_lock_minutes",
            "thời gian tự khóa (phút)",
            "idle lock (minutes)",
            T,
        ),
        ("language", "ngôn ngữ", "language", One),
        ("passphrase", "mật khẩu", "passphrase", T),
        (
            "passphrase_confirm",
            "mật khẩu nhập lại",
            "passphrase again",
            T,
        ),
        ("new_passphrase", "mật khẩu mới", "new passphrase", T),
    ]
};

/// The label's row for `path`: its last name without an index, with the few names whose
/// meaning depends on where they are (a risk score's `level` is not a disability's; a closing
/// step's `reason` is chosen, a deletion's is typed).
fn row(path: &str) -> Option<(&'static str, &'static str, Entry)> {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    let leaf = leaf.split('[').next().unwrap_or(leaf);
    match leaf {
        "level" if path.starts_with("disability") => Some((
            "mức độ khuyết tật",
            "degree of disability",
            Entry::ChooseOne,
        )),
        "level" => Some(("mức độ", "level", Entry::ChooseOne)),
        "reason" if path.starts_with("data.") => Some(("lý do", "reason", Entry::ChooseOne)),
        "reason" => Some(("lý do", "reason", Entry::Typed)),
        _ => LABELS
            .iter()
            .find(|(name, ..)| *name == leaf)
            .map(|&(_, vi, en, entry)| (vi, en, entry)),
    }
}

/// The number of the row in a list (`carers[1].full_name` → "người chăm sóc 2" / "carer 2").
fn owner(path: &str, vi: bool) -> Option<String> {
    let idx = path.find('[')?;
    let n: String = path[idx + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let i = n.parse::<usize>().ok()?;
    let carer = path.starts_with("carers");
    Some(match (carer, vi) {
        (true, true) => format!("người chăm sóc {}", i + 1),
        (true, false) => format!("carer {}", i + 1),
        (false, true) => format!("dòng {}", i + 1),
        (false, false) => format!("row {}", i + 1),
    })
}

/// The Vietnamese label of a field path (`carers[1].full_name` → "họ và tên (người chăm sóc 2)").
pub fn field_label_vi(path: &str) -> String {
    match row(path) {
        Some((vi, ..)) => match owner(path, true) {
            Some(o) => format!("{vi} ({o})"),
            None => vi.to_string(),
        },
        None => format!("trường “{path}”"),
    }
}

/// The English label of a field path (`carers[1].full_name` → "full name (carer 2)").
pub fn field_label_en(path: &str) -> String {
    match row(path) {
        Some((_, en, _)) => match owner(path, false) {
            Some(o) => format!("{en} ({o})"),
            None => en.to_string(),
        },
        None => format!("field \"{path}\""),
    }
}

/// How the field at `path` is filled in (typed when unknown).
pub fn field_entry(path: &str) -> Entry {
    row(path).map_or(Entry::Typed, |(.., e)| e)
}

/// The Vietnamese label of a step code, for messages.
pub fn step_label_vi(step: &str) -> &str {
    crate::event::StepKind::from_code_str(step)
        .map(crate::codes::Code::label_vi)
        .unwrap_or(step)
}

/// The English label of a step code, for messages.
pub fn step_label_en(step: &str) -> &str {
    crate::event::StepKind::from_code_str(step)
        .map(crate::codes::Code::label_en)
        .unwrap_or(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_and_set_up_field_has_a_name_an_officer_knows() {
        for f in [
            "idle_lock_minutes",
            "officer_name",
            "chair_name",
            "commune_header",
            "language",
            "passphrase",
            "passphrase_confirm",
            "commune_code",
        ] {
            assert!(!field_label_vi(f).contains(f), "{f}: {}", field_label_vi(f));
            // "language" is its own English name; a JSON name would be quoted or snake_case.
            let en = field_label_en(f);
            assert!(!en.contains('"') && !en.contains('_'), "{f}: {en}");
        }
        assert_eq!(
            field_label_vi("idle_lock_minutes"),
            "thời gian tự khóa (phút)"
        );
    }

    #[test]
    fn lists_and_choices_are_told_apart() {
        assert_eq!(field_label_en("carers[1].full_name"), "full name (carer 2)");
        assert_eq!(field_entry("sex"), Entry::ChooseOne);
        assert_eq!(
            field_entry("special_circumstances[0].group"),
            Entry::ChooseOne
        );
        assert_eq!(field_entry("data.reason"), Entry::ChooseOne);
        assert_eq!(field_entry("reason"), Entry::Typed);
        assert_eq!(field_entry("abuse_forms"), Entry::ChooseSome);
        assert_eq!(field_entry("full_name"), Entry::Typed);
        assert_eq!(field_label_vi("disability.level"), "mức độ khuyết tật");
        assert_eq!(field_label_vi("data.criteria[0].level"), "mức độ (dòng 1)");
    }
}
