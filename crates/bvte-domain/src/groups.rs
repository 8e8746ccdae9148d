//! The 14 groups of children in special circumstances (Law on Children 2016 Art 10 k1, points
//! a–o) and the sub-groups Decree 56/2017 defines for them (Arts 3–16). A child can belong to
//! several groups at once, each with its own period. "At risk of falling into special
//! circumstances" is not a group: it is a separate flag on the child.

use crate::codes::Code;
use crate::error::ValidationError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::code_enum!(
    /// A group of Law on Children Art 10 k1; the code is the point's letter (`dd` for đ).
    Group {
        /// Point a — Decree 56 Art 3.
        A = ("a", "Trẻ em mồ côi cả cha và mẹ", "Orphaned of both parents"),
        /// Point b — Decree 56 Art 4.
        B = ("b", "Trẻ em bị bỏ rơi", "Abandoned"),
        /// Point c — Decree 56 Art 5.
        C = ("c", "Trẻ em không nơi nương tựa", "No one to rely on"),
        /// Point d — Decree 56 Art 6.
        D = ("d", "Trẻ em khuyết tật", "Disabled"),
        /// Point đ — Decree 56 Art 7.
        Dd = ("dd", "Trẻ em nhiễm HIV/AIDS", "Living with HIV/AIDS"),
        /// Point e — Decree 56 Art 8.
        E = ("e", "Trẻ em vi phạm pháp luật", "In conflict with the law"),
        /// Point g — Decree 56 Art 9.
        G = ("g", "Trẻ em nghiện ma túy", "Drug-addicted"),
        /// Point h — Decree 56 Art 10.
        H = ("h", "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở", "Dropped out of school to earn a living before finishing lower secondary"),
        /// Point i — Decree 56 Art 11.
        I = ("i", "Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực", "Seriously harmed physically and mentally by violence"),
        /// Point k — Decree 56 Art 12.
        K = ("k", "Trẻ em bị bóc lột", "Exploited"),
        /// Point l — Decree 56 Art 13.
        L = ("l", "Trẻ em bị xâm hại tình dục", "Sexually abused"),
        /// Point m — Decree 56 Art 14.
        M = ("m", "Trẻ em bị mua bán", "Trafficked"),
        /// Point n — Decree 56 Art 15.
        N = ("n", "Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo hoặc hộ cận nghèo", "Severe or long-term illness in a poor or near-poor household"),
        /// Point o — Decree 56 Art 16.
        O = ("o", "Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc", "Migrant, displaced or refugee child with no known parent or carer"),
    }
);

/// A sub-group: number within its group, Vietnamese and English description.
pub type Subgroup = (u8, &'static str, &'static str);

impl Group {
    /// Parses a group code; accepts the letter `đ` for point đ.
    pub fn parse_code(field: &str, s: &str) -> Result<Self, ValidationError> {
        if s.trim() == "đ" || s.trim() == "Đ" {
            return Ok(Self::Dd);
        }
        Self::parse(field, &s.trim().to_lowercase())
    }

    /// The Decree 56 article that details this group.
    pub fn decree56_article(self) -> u8 {
        Self::ALL.iter().position(|g| *g == self).unwrap_or(0) as u8 + 3
    }

    /// The sub-groups of this group, in the words of Decree 56/2017 Arts 3–16: each Vietnamese
    /// label is its clause, without the final full stop, as `docs/legal/decree56-articles.md` §2
    /// quotes it (Art 10 k1's "phố cập" there is the copy's typo for "phổ cập", the word of the
    /// article's title and of Law Art 10 k1 h). Groups đ and i have none.
    pub fn subgroups(self) -> &'static [Subgroup] {
        match self {
            // Art 3.
            Self::A => &[
                (
                    1,
                    "Trẻ em mồ côi cả cha và mẹ không có người chăm sóc",
                    "No carer",
                ),
                (
                    2,
                    "Trẻ em mồ côi cả cha và mẹ được nuôi dưỡng trong cơ sở cung cấp dịch vụ bảo vệ trẻ em hoặc cơ sở trợ giúp xã hội",
                    "Raised in a child-protection or social-assistance facility",
                ),
                (
                    3,
                    "Trẻ em mồ côi cả cha và mẹ sống với người thân thích",
                    "Living with relatives",
                ),
                (
                    4,
                    "Trẻ em mồ côi cả cha và mẹ được nhận chăm sóc thay thế bởi cá nhân, gia đình không phải người thân thích, trừ trường hợp được nhận làm con nuôi",
                    "In alternative care with a non-relative (not adopted)",
                ),
            ],
            // Art 4.
            Self::B => &[
                (
                    1,
                    "Trẻ em bị bỏ rơi chưa được chăm sóc thay thế",
                    "Not yet in alternative care",
                ),
                (
                    2,
                    "Trẻ em bị bỏ rơi được chăm sóc thay thế",
                    "In alternative care",
                ),
            ],
            // Art 5.
            Self::C => &[
                (
                    1,
                    "Trẻ em mồ côi cha hoặc mẹ và người còn lại mất tích theo quy định của pháp luật",
                    "One parent dead, the other legally missing",
                ),
                (
                    2,
                    "Trẻ em mồ côi cha hoặc mẹ và người còn lại đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội hoặc không còn khả năng chăm sóc, nuôi dưỡng",
                    "One parent dead, the other in a social-assistance facility or unable to care",
                ),
                (
                    3,
                    "Trẻ em mồ côi cha hoặc mẹ và người còn lại đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc",
                    "One parent dead, the other in prison or compulsory education or rehab",
                ),
                (
                    4,
                    "Trẻ em có cả cha và mẹ mất tích theo quy định của pháp luật",
                    "Both parents legally missing",
                ),
                (
                    5,
                    "Trẻ em có cha hoặc mẹ mất tích theo quy định của pháp luật và người còn lại đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội",
                    "One parent missing, the other in a social-assistance facility",
                ),
                (
                    6,
                    "Trẻ em có cha hoặc mẹ mất tích theo quy định của pháp luật và người còn lại đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc",
                    "One parent missing, the other in prison or compulsory education or rehab",
                ),
                (
                    7,
                    "Trẻ em có cả cha và mẹ không còn khả năng chăm sóc trẻ em",
                    "Both parents unable to care",
                ),
                (
                    8,
                    "Trẻ em có cả cha và mẹ đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội",
                    "Both parents in social-assistance facilities",
                ),
                (
                    9,
                    "Trẻ em có cả cha và mẹ đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc",
                    "Both parents in prison or compulsory education or rehab",
                ),
                (
                    10,
                    "Trẻ em có cha hoặc mẹ đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội và người còn lại đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc",
                    "One parent in a social-assistance facility, the other in prison or compulsory education or rehab",
                ),
                (
                    11,
                    "Trẻ em sống trong gia đình có cả cha và mẹ trong độ tuổi trẻ em",
                    "Both parents are themselves children",
                ),
                (
                    12,
                    "Trẻ em có cả cha và mẹ bị hạn chế quyền làm cha mẹ hoặc tạm thời cách ly khỏi cha hoặc mẹ theo quy định của pháp luật",
                    "Both parents restricted in parental rights, or child temporarily separated from them",
                ),
            ],
            // Art 6.
            Self::D => &[
                (
                    1,
                    "Trẻ em khuyết tật đặc biệt nặng",
                    "Especially severe disability",
                ),
                (2, "Trẻ em khuyết tật nặng", "Severe disability"),
                (3, "Trẻ em khuyết tật nhẹ", "Mild disability"),
            ],
            // Art 8.
            Self::E => &[
                (
                    1,
                    "Trẻ em vi phạm pháp luật đang bị áp dụng biện pháp xử lý hành chính, giáo dục tại xã, phường, thị trấn hoặc biện pháp đưa vào trường giáo dưỡng; đang bị áp dụng biện pháp thay thế xử lý vi phạm hành chính quản lý tại gia đình",
                    "Under an administrative measure (education in the commune, reform school, family supervision)",
                ),
                (
                    2,
                    "Trẻ em vi phạm pháp luật chưa xác định được nơi cư trú ổn định đang chấp hành biện pháp xử lý hành chính giáo dục tại xã, phường, thị trấn, tại cơ sở cung cấp dịch vụ bảo vệ trẻ em, cơ sở trợ giúp xã hội",
                    "No stable residence, under administrative education in the commune or a facility",
                ),
                (
                    3,
                    "Trẻ em vi phạm pháp luật đang bị áp dụng biện pháp tư pháp giáo dục tại xã, phường, thị trấn hoặc đưa vào trường giáo dưỡng; đang bị áp dụng hình phạt cải tạo không giam giữ, tù có thời hạn hoặc tù có thời hạn nhưng được hưởng án treo",
                    "Under a judicial measure or a non-custodial, custodial or suspended sentence",
                ),
                (
                    4,
                    "Trẻ em chấp hành xong hình phạt tù có thời hạn hoặc chấp hành xong biện pháp đưa vào trường giáo dưỡng",
                    "Has completed a prison term or reform school",
                ),
            ],
            // Art 9.
            Self::G => &[
                (
                    1,
                    "Trẻ em nghiện ma túy trong cơ sở cai nghiện",
                    "In a rehabilitation facility",
                ),
                (
                    2,
                    "Trẻ em nghiện ma túy đang áp dụng biện pháp cai nghiện, điều trị nghiện tại gia đình, cộng đồng",
                    "In rehabilitation at home or in the community",
                ),
            ],
            // Art 10.
            Self::H => &[
                (
                    1,
                    "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở không có người chăm sóc",
                    "No carer",
                ),
                (
                    2,
                    "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở sống cùng cha, mẹ hoặc người chăm sóc",
                    "Living with parents or a carer",
                ),
            ],
            // Art 12.
            Self::K => &[
                (
                    1,
                    "Trẻ em bị bắt buộc tham gia lao động trái quy định của pháp luật về lao động",
                    "Forced to work against labour law",
                ),
                (
                    2,
                    "Trẻ em bị rủ rê, xúi giục, kích động, lợi dụng, lôi kéo, dụ dỗ, ép buộc tham gia các hoạt động trình diễn hoặc bị sử dụng trong sản xuất các sản phẩm khiêu dâm",
                    "Used in pornographic performances or products",
                ),
                (
                    3,
                    "Trẻ em bị rủ rê, xúi giục, kích động, lợi dụng, lôi kéo, dụ dỗ, ép buộc tham gia hoạt động du lịch mà bị xâm hại tình dục; bị cho, nhận hoặc cung cấp để hoạt động mại dâm",
                    "Sexually abused in tourism, or supplied for prostitution",
                ),
                (
                    4,
                    "Trẻ em bị rủ rê, xúi giục, kích động, lợi dụng, lôi kéo, dụ dỗ, ép buộc tham gia hoạt động vận chuyển, mua bán, sản xuất, tàng trữ chất gây nghiện và các hàng hóa khác bị cấm giao dịch theo quy định của pháp luật",
                    "Used to transport, trade, make or hold drugs or banned goods",
                ),
                (
                    5,
                    "Trẻ em bị rủ rê, xúi giục, kích động, lợi dụng, lôi kéo, dụ dỗ, ép buộc tham gia các hoạt động trục lợi khác",
                    "Used for other profit",
                ),
            ],
            // Art 13.
            Self::L => &[
                (1, "Trẻ em bị hiếp dâm", "Raped"),
                (2, "Trẻ em bị cưỡng dâm", "Forced into sex"),
                (3, "Trẻ em bị giao cấu", "Sexual intercourse with a child"),
                (4, "Trẻ em bị dâm ô", "Molested"),
                (
                    5,
                    "Trẻ em bị sử dụng vào mục đích mại dâm, khiêu dâm dưới mọi hình thức",
                    "Used for prostitution or pornography",
                ),
            ],
            // Art 14.
            Self::M => &[
                (
                    1,
                    "Trẻ em bị mua bán trở về sống với cha, mẹ",
                    "Returned to live with parents",
                ),
                (
                    2,
                    "Trẻ em bị mua bán trở về được nhận chăm sóc thay thế",
                    "Returned into alternative care",
                ),
            ],
            // Art 15.
            Self::N => &[
                (
                    1,
                    "Trẻ em thuộc hộ nghèo mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày theo quy định của cơ quan có thẩm quyền",
                    "Poor household",
                ),
                (
                    2,
                    "Trẻ em thuộc hộ cận nghèo mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày theo quy định của cơ quan có thẩm quyền",
                    "Near-poor household",
                ),
            ],
            // Art 16.
            Self::O => &[
                (
                    1,
                    "Trẻ em là công dân Việt Nam di cư, lánh nạn trong nước chưa xác định được cha mẹ hoặc không có người chăm sóc",
                    "Vietnamese citizen displaced within the country, no known parent or carer",
                ),
                (
                    2,
                    "Trẻ em có quốc tịch nước ngoài di cư, lánh nạn, tị nạn không có người chăm sóc",
                    "Foreign national, migrant or refugee, no carer",
                ),
                (
                    3,
                    "Trẻ em chưa xác định được quốc tịch, chưa xác định được cha mẹ hoặc không có người chăm sóc di cư, lánh nạn, tị nạn vào Việt Nam",
                    "Unknown nationality or parents, or no carer, migrating or fleeing into Viet Nam",
                ),
            ],
            // Arts 7 and 11 have no sub-groups.
            Self::Dd | Self::I => &[],
        }
    }
}

/// Membership of a child in one group, over a period.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialCircumstance {
    /// The group.
    pub group: Group,
    /// The sub-group number, when the group has sub-groups and it is known.
    pub subgroup: Option<u8>,
    /// Since when, if known.
    pub since: Option<NaiveDate>,
    /// Until when (`None` = still in this situation).
    pub until: Option<NaiveDate>,
}

impl SpecialCircumstance {
    /// Whether the membership holds on `date`.
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.since.is_none_or(|s| s <= date) && self.until.is_none_or(|u| u >= date)
    }
}

/// Checks a sub-group number against its group.
pub fn check_subgroup(
    field: &str,
    group: Group,
    subgroup: Option<u8>,
) -> Result<(), ValidationError> {
    let Some(n) = subgroup else { return Ok(()) };
    let known = group.subgroups();
    if known.iter().any(|(k, _, _)| *k == n) {
        Ok(())
    } else {
        Err(ValidationError::UnknownSubgroup {
            field: field.to_string(),
            group: group.code().to_string(),
            subgroup: n,
            allowed: known
                .iter()
                .map(|(k, vi, _)| format!("{k} ({vi})"))
                .collect(),
        })
    }
}
