//! The Vietnamese names of fields and steps, as messages name them: `carers[1].full_name` is
//! "họ và tên (người chăm sóc 2)", `plan_drafted` the step's label.

/// The Vietnamese label of a field path (`carers[1].full_name` → "họ và tên (người chăm sóc 2)").
pub fn field_label_vi(path: &str) -> String {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    let leaf = leaf.split('[').next().unwrap_or(leaf);
    let label = match leaf {
        "full_name" => "họ và tên",
        "date_of_birth" => "ngày sinh",
        "estimated_age" | "years" => "tuổi ước lượng",
        "as_of" => "ngày ước lượng tuổi",
        "sex" => "giới tính",
        "ethnicity" => "dân tộc",
        "personal_id" => "mã định danh cá nhân",
        "residence_status" => "tình trạng cư trú",
        "commune_code" | "commune" => "mã xã/phường",
        "village" => "thôn/tổ dân phố",
        "relation" => "quan hệ với trẻ",
        "birth_year" => "năm sinh",
        "occupation" => "nghề nghiệp",
        "phone" => "số điện thoại",
        "address" => "địa chỉ",
        "group" => "nhóm hoàn cảnh đặc biệt",
        "subgroup" => "nhóm nhỏ",
        "since" => "ngày bắt đầu",
        "until" => "ngày kết thúc",
        // A risk score's level (case steps) is not a disability's.
        "level" if !path.starts_with("disability") => "mức độ",
        "disability" | "level" => "mức độ khuyết tật",
        "schooling" | "status" => "tình trạng đi học",
        "school" => "trường",
        "grade" => "lớp",
        "notes" => "ghi chú",
        "received_at" => "thời điểm tiếp nhận",
        "occurred_at" => "thời điểm thực hiện",
        "category" => "loại vụ việc",
        "abuse_forms" => "hình thức xâm hại",
        "environment" => "môi trường xảy ra",
        "channel" => "nguồn tiếp nhận",
        "incident_commune" => "xã nơi xảy ra vụ việc",
        "residence_commune" => "xã nơi trẻ cư trú",
        "incident_place" => "địa điểm xảy ra",
        "days" | "extra_days" => "số ngày",
        "decision_no" => "số quyết định",
        "to_commune" => "xã chuyển đến",
        "data" => "nội dung bước",
        "date" => "ngày",
        "reporter" => "người cung cấp thông tin",
        "step" => "bước",
        "reason" => "lý do",
        "grounds" => "căn cứ",
        "proposal" => "đề xuất",
        "note" => "ghi chú",
        "summary" => "tóm tắt",
        "at_risk" => "có nguy cơ rơi vào hoàn cảnh đặc biệt",
        "carers" => "cha mẹ, người chăm sóc",
        "special_circumstances" => "hoàn cảnh đặc biệt",
        "deceased" => "đã mất",
        "lives_with_child" => "sống cùng trẻ",
        "kind" => "loại thay đổi",
        "id" => "mã bản ghi",
        "case_id" => "mã vụ việc",
        "child_id" => "mã trẻ em",
        "recorded_at" => "thời điểm ghi",
        "author" => "người ghi",
        "seen" => "các thay đổi đã xem khi xóa",
        "working_days" => "số ngày làm việc",
        _ => return format!("trường “{path}”"),
    };
    if let Some(idx) = path.find('[') {
        let n: String = path[idx + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(i) = n.parse::<usize>() {
            let owner = if path.starts_with("carers") {
                "người chăm sóc"
            } else {
                "dòng"
            };
            return format!("{label} ({owner} {})", i + 1);
        }
    }
    label.to_string()
}

/// The Vietnamese label of a step code, for messages.
pub fn step_label_vi(step: &str) -> &str {
    crate::event::StepKind::from_code_str(step)
        .map(crate::codes::Code::label_vi)
        .unwrap_or(step)
}
