//! The dashboard's words, Vietnamese first and English when the reader switches (`?lang=en`,
//! remembered in the cookie `bvte_lang`). Figures' labels come with the report's layout.

/// The reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Vietnamese (the default).
    Vi,
    /// English.
    En,
}

impl Lang {
    /// From `vi` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// `vi` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The words of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    /// Picks the Vietnamese or English of a pair.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// Every fixed word of the pages.
#[allow(missing_docs)]
pub struct Texts {
    pub app: &'static str,
    pub switch_label: &'static str,
    pub switch_lang: &'static str,
    pub sign_in: &'static str,
    pub name: &'static str,
    pub password: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,
    pub wrong_password: &'static str,
    pub locked: &'static str,
    pub expired: &'static str,
    pub overview: &'static str,
    pub overdue: &'static str,
    pub accounts: &'static str,
    pub period: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub show: &'static str,
    pub download_xlsx: &'static str,
    pub download_pdf: &'static str,
    pub area_totals: &'static str,
    pub communes: &'static str,
    pub commune: &'static str,
    pub children: &'static str,
    pub special: &'static str,
    pub cases: &'static str,
    pub open_cases: &'static str,
    pub overdue_steps: &'static str,
    pub incomplete: &'static str,
    pub last_sync: &'static str,
    pub never: &'static str,
    pub no_communes: &'static str,
    pub tables: &'static str,
    pub case_code: &'static str,
    pub stage: &'static str,
    pub step_due: &'static str,
    pub due_at: &'static str,
    pub overdue_by: &'static str,
    pub no_overdue: &'static str,
    pub role: &'static str,
    pub last_sign_in: &'static str,
    pub is_locked: &'static str,
    pub forbidden: &'static str,
    pub no_names: &'static str,
    pub provisional: &'static str,
    pub days: &'static str,
    pub hours: &'static str,
    pub bad_period: &'static str,
}

/// Vietnamese.
pub static VI: Texts = Texts {
    app: "Bảng điều khiển khu vực BVTE",
    switch_label: "English",
    switch_lang: "en",
    sign_in: "Đăng nhập",
    name: "Tên đăng nhập",
    password: "Mật khẩu",
    sign_out: "Đăng xuất",
    signed_in_as: "Đang đăng nhập",
    wrong_password: "Tên đăng nhập hoặc mật khẩu không đúng.",
    locked: "Tài khoản tạm khóa vì nhập sai mật khẩu nhiều lần. Hãy thử lại sau (phút):",
    expired: "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.",
    overview: "Tổng quan",
    overdue: "Vụ việc quá hạn",
    accounts: "Tài khoản",
    period: "Kỳ báo cáo",
    from: "Từ ngày",
    to: "Đến ngày",
    show: "Xem",
    download_xlsx: "Tải báo cáo khu vực (XLSX)",
    download_pdf: "Tải báo cáo khu vực (PDF)",
    area_totals: "Số liệu toàn địa bàn",
    communes: "Các xã",
    commune: "Xã",
    children: "Trẻ em",
    special: "Hoàn cảnh đặc biệt",
    cases: "Vụ việc trong kỳ",
    open_cases: "Đang mở cuối kỳ",
    overdue_steps: "Bước quá hạn",
    incomplete: "Hồ sơ trẻ em thiếu thông tin",
    last_sync: "Đồng bộ lần cuối",
    never: "chưa đồng bộ",
    no_communes: "Chưa có xã nào được đăng ký trên máy chủ này.",
    tables: "Các bảng số liệu (tổng các xã)",
    case_code: "Mã vụ việc",
    stage: "Đang ở bước",
    step_due: "Thời hạn bị trễ",
    due_at: "Hạn",
    overdue_by: "Quá hạn",
    no_overdue: "Không có vụ việc nào quá hạn.",
    role: "Vai trò",
    last_sign_in: "Đăng nhập lần cuối",
    is_locked: "Đang bị khóa",
    forbidden: "Trang này chỉ dành cho quản trị viên.",
    no_names: "Trang này không hiển thị tên trẻ em hay người báo tin.",
    provisional: "Mẫu báo cáo tạm thời.",
    days: "ngày",
    hours: "giờ",
    bad_period: "Kỳ báo cáo không hợp lệ:",
};

/// English.
pub static EN: Texts = Texts {
    app: "BVTE area dashboard",
    switch_label: "Tiếng Việt",
    switch_lang: "vi",
    sign_in: "Sign in",
    name: "Name",
    password: "Password",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",
    wrong_password: "Wrong name or password.",
    locked: "Account locked after repeated wrong passwords. Try again in (minutes):",
    expired: "Your session has expired. Please sign in again.",
    overview: "Overview",
    overdue: "Overdue cases",
    accounts: "Accounts",
    period: "Period",
    from: "From",
    to: "To",
    show: "Show",
    download_xlsx: "Download the area report (XLSX)",
    download_pdf: "Download the area report (PDF)",
    area_totals: "Area totals",
    communes: "Communes",
    commune: "Commune",
    children: "Children",
    special: "Special circumstances",
    cases: "Cases in period",
    open_cases: "Open at end",
    overdue_steps: "Overdue steps",
    incomplete: "Children with missing details",
    last_sync: "Last sync",
    never: "never synced",
    no_communes: "No commune is registered on this server yet.",
    tables: "Tables (sum of the communes)",
    case_code: "Case code",
    stage: "Stage",
    step_due: "Deadline missed",
    due_at: "Due",
    overdue_by: "Overdue by",
    no_overdue: "No case is overdue.",
    role: "Role",
    last_sign_in: "Last sign-in",
    is_locked: "Locked",
    forbidden: "This page is for administrators only.",
    no_names: "This page never shows a child's or a reporter's name.",
    provisional: "Provisional report layout.",
    days: "days",
    hours: "h",
    bad_period: "Invalid period:",
};
