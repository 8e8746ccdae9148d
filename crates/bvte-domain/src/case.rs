//! A case (*vụ việc*): a report about a child who is abused, at risk, or in special
//! circumstances, received by the commune (Decree 56/2017 Art 25). Its steps are events
//! (`event.rs`); its stage and deadlines are derived from them (`workflow/`).

use crate::codes::Code;
use crate::error::{Collector, ValidationError, ValidationErrors};
use crate::ids::{CaseId, ChildId};
use crate::text::{MAX_NAME_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS, clean_line, clean_text};
use crate::time::{Instant, local_date, not_future, parse_instant};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

crate::code_enum!(
    /// The child's category, footnote (4) of Mẫu 01.
    CaseCategory {
        /// Trẻ em bị xâm hại.
        Abused = ("abused", "Trẻ em bị xâm hại", "Abused"),
        /// Có nguy cơ bị bạo lực.
        AtRiskViolence = ("at_risk_violence", "Trẻ em có nguy cơ bị bạo lực", "At risk of violence"),
        /// Có nguy cơ bị bóc lột.
        AtRiskExploitation = ("at_risk_exploitation", "Trẻ em có nguy cơ bị bóc lột", "At risk of exploitation"),
        /// Có nguy cơ bị bỏ rơi.
        AtRiskAbandonment = ("at_risk_abandonment", "Trẻ em có nguy cơ bị bỏ rơi", "At risk of abandonment"),
        /// Trẻ em có hoàn cảnh đặc biệt.
        SpecialCircumstances = ("special_circumstances", "Trẻ em có hoàn cảnh đặc biệt", "Child in special circumstances"),
    }
);

crate::code_enum!(
    /// Forms of abuse (Law on Children 2016 Art 4 k5).
    AbuseForm {
        /// Bạo lực.
        Violence = ("violence", "Bạo lực", "Violence"),
        /// Bóc lột.
        Exploitation = ("exploitation", "Bóc lột", "Exploitation"),
        /// Xâm hại tình dục.
        SexualAbuse = ("sexual_abuse", "Xâm hại tình dục", "Sexual abuse"),
        /// Mua bán.
        Trafficking = ("trafficking", "Mua bán", "Trafficking"),
        /// Bỏ rơi.
        Abandonment = ("abandonment", "Bỏ rơi", "Abandonment"),
        /// Bỏ mặc.
        Neglect = ("neglect", "Bỏ mặc", "Neglect"),
        /// Hình thức gây tổn hại khác.
        Other = ("other", "Hình thức gây tổn hại khác", "Other harm"),
    }
);

crate::code_enum!(
    /// Where the abuse or risk arose (breakdown of indicator 0101, Circular 13/2021).
    Environment {
        /// Gia đình.
        Family = ("family", "Gia đình", "Family"),
        /// Trường học.
        School = ("school", "Trường học", "School"),
        /// Cộng đồng.
        Community = ("community", "Cộng đồng", "Community"),
        /// Môi trường mạng.
        Online = ("online", "Môi trường mạng", "Online"),
        /// Khác.
        Other = ("other", "Khác", "Other"),
    }
);

crate::code_enum!(
    /// How the report reached the commune (Decree 56 Art 25 k1 receiving places, Mẫu 01 A.1).
    Channel {
        /// Tổng đài 111.
        Hotline111 = ("hotline_111", "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111", "National hotline 111"),
        /// Hòm thư.
        Mailbox = ("mailbox", "Hòm thư", "Mailbox"),
        /// Điện thoại.
        Phone = ("phone", "Điện thoại", "Phone"),
        /// Gặp trực tiếp.
        InPerson = ("in_person", "Gặp trực tiếp", "In person"),
        /// Người khác báo.
        ThirdParty = ("third_party", "Người khác báo", "Reported by someone else"),
        /// Công an chuyển.
        Police = ("police", "Công an", "Police"),
        /// Nhà trường báo.
        School = ("school", "Nhà trường", "School"),
        /// Cơ quan lao động – xã hội / y tế.
        SocialAffairs = ("social_affairs", "Cơ quan quản lý nhà nước về trẻ em", "Child-affairs agency"),
        /// Trung tâm công tác xã hội.
        SocialWorkCentre = ("social_work_centre", "Trung tâm công tác xã hội", "Social work centre"),
        /// Khác.
        Other = ("other", "Khác", "Other"),
    }
);

/// The person who reported, only when they agreed to give their details (Mẫu 01 A.3).
/// Confidential: never on dashboards, reports or exports, never synced off the device that
/// recorded it; `Debug` does not show it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Reporter {
    /// Họ và tên.
    pub full_name: String,
    /// Số điện thoại.
    pub phone: String,
    /// Địa chỉ.
    pub address: String,
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Reporter(<confidential>)")
    }
}

/// The Mẫu 01 description of the situation (section A.2), recorded with the report.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IntakeReport {
    /// Tình trạng hiện tại của trẻ em.
    pub child_condition: String,
    /// Phỏng đoán hậu quả có thể xảy ra nếu không được hỗ trợ, can thiệp.
    pub likely_consequences: String,
    /// Hoàn cảnh gia đình.
    pub family_circumstances: String,
    /// Hiện tại người chăm sóc trẻ em.
    pub current_carer: String,
    /// Những hành động hỗ trợ, can thiệp đã thực hiện trước khi nhận thông tin.
    pub prior_support: String,
    /// Ghi thêm.
    pub notes: String,
}

/// The validated content of a case. Field names are exported: do not rename.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseData {
    /// The child.
    pub child_id: ChildId,
    /// When the commune received the information (starts the 12-hour clock).
    pub received_at: Instant,
    /// Category (Mẫu 01 footnote 4).
    pub category: CaseCategory,
    /// Forms of abuse.
    pub abuse_forms: Vec<AbuseForm>,
    /// Environment.
    pub environment: Environment,
    /// Commune where it happened (does the initial assessment, Decree 56 Art 26).
    pub incident_commune: String,
    /// Commune where the child lives (plans and approves, Law on Children Art 52 k2).
    pub residence_commune: String,
    /// Place where it happened.
    pub incident_place: String,
    /// How the report came in.
    pub channel: Channel,
    /// Short summary.
    pub summary: String,
}

/// A case as stored.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Id.
    pub id: CaseId,
    /// Content.
    #[serde(flatten)]
    pub data: CaseData,
    /// When the record was created.
    pub created_at: Instant,
}

/// A case as typed (`bvte case open`). See `docs/json.md`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseInput {
    /// The child's id (required).
    pub child_id: String,
    /// When the information was received (default: now).
    pub received_at: Option<String>,
    /// Category code (required).
    pub category: String,
    /// Abuse form codes.
    pub abuse_forms: Vec<String>,
    /// Environment code (required).
    pub environment: String,
    /// Incident commune (default: the installation's commune).
    pub incident_commune: Option<String>,
    /// Residence commune (default: the child's commune).
    pub residence_commune: Option<String>,
    /// Place.
    pub incident_place: Option<String>,
    /// Channel code (required).
    pub channel: String,
    /// Summary.
    pub summary: Option<String>,
    /// Reporter, if they agreed.
    pub reporter: Option<Reporter>,
    /// Mẫu 01 description.
    pub intake: Option<IntakeReport>,
}

/// What case validation needs: now, the installation's commune, the child's birth date and commune.
#[derive(Clone, Debug)]
pub struct CaseContext {
    /// Now.
    pub now: Instant,
    /// The installation's commune.
    pub default_commune: String,
    /// The child's birth date (actual or estimated).
    pub child_birth_date: Option<NaiveDate>,
    /// The child's commune.
    pub child_commune: String,
}

/// A validated new case: its data, the confidential reporter and the Mẫu 01 description.
#[derive(Clone, Debug)]
pub struct NewCase {
    /// Case content.
    pub data: CaseData,
    /// Reporter (confidential).
    pub reporter: Option<Reporter>,
    /// Mẫu 01 description, recorded as the first event.
    pub intake: IntakeReport,
}

impl CaseInput {
    /// Validates the input. The child must be under 16 when the report was received.
    pub fn validate(
        &self,
        child_id: ChildId,
        ctx: &CaseContext,
    ) -> Result<NewCase, ValidationErrors> {
        let mut c = Collector::default();
        let received_at = match self.received_at.as_deref() {
            Some(s) if !s.trim().is_empty() => c.take(
                parse_instant("received_at", s).and_then(|t| not_future("received_at", t, ctx.now)),
            ),
            _ => Some(ctx.now),
        };
        if let (Some(t), Some(born)) = (received_at, ctx.child_birth_date) {
            if born > local_date(t) {
                c.push(ValidationError::BeforeBirth {
                    field: "received_at".into(),
                    born,
                });
            } else {
                c.take(crate::child::check_child_age(
                    "received_at",
                    born,
                    local_date(t),
                ));
            }
        }
        let category = c.take(required::<CaseCategory>("category", &self.category));
        let mut abuse_forms = Vec::new();
        for (i, f) in self.abuse_forms.iter().enumerate() {
            if let Some(f) = c.take(AbuseForm::parse(&format!("abuse_forms[{i}]"), f))
                && !abuse_forms.contains(&f)
            {
                abuse_forms.push(f);
            }
        }
        if category == Some(CaseCategory::Abused)
            && abuse_forms.is_empty()
            && self.abuse_forms.is_empty()
        {
            c.push(ValidationError::Required {
                field: "abuse_forms".into(),
            });
        }
        let environment = c.take(required::<Environment>("environment", &self.environment));
        let units = crate::reference::units();
        let incident_commune = c.take(
            units
                .require_current(
                    "incident_commune",
                    non_empty(&self.incident_commune).unwrap_or(&ctx.default_commune),
                )
                .map(|u| u.code.clone()),
        );
        let residence_commune = c.take(
            units
                .require_current(
                    "residence_commune",
                    non_empty(&self.residence_commune).unwrap_or(&ctx.child_commune),
                )
                .map(|u| u.code.clone()),
        );
        let incident_place = c.take(clean_line(
            "incident_place",
            self.incident_place.as_deref().unwrap_or(""),
            MAX_SHORT_CHARS,
        ));
        let channel = c.take(required::<Channel>("channel", &self.channel));
        let summary = c.take(clean_text(
            "summary",
            self.summary.as_deref().unwrap_or(""),
            MAX_TEXT_CHARS,
        ));
        let reporter = self.reporter.as_ref().and_then(|r| {
            let full_name = c.take(clean_line(
                "reporter.full_name",
                &r.full_name,
                MAX_NAME_CHARS,
            ));
            let phone = c.take(clean_line("reporter.phone", &r.phone, 30));
            let address = c.take(clean_line("reporter.address", &r.address, MAX_SHORT_CHARS));
            Some(Reporter {
                full_name: full_name?,
                phone: phone?,
                address: address?,
            })
            .filter(|r| !(r.full_name.is_empty() && r.phone.is_empty() && r.address.is_empty()))
        });
        let intake = self.intake.clone().unwrap_or_default();
        let intake = c.take(clean_intake(&intake));
        c.finish(|| NewCase {
            data: CaseData {
                child_id,
                received_at: received_at.unwrap_or(ctx.now),
                category: category.unwrap_or(CaseCategory::Abused),
                abuse_forms,
                environment: environment.unwrap_or(Environment::Other),
                incident_commune: incident_commune.unwrap_or_default(),
                residence_commune: residence_commune.unwrap_or_default(),
                incident_place: incident_place.unwrap_or_default(),
                channel: channel.unwrap_or(Channel::Other),
                summary: summary.unwrap_or_default(),
            },
            reporter,
            intake: intake.unwrap_or_default(),
        })
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.trim().is_empty())
}

fn required<T: Code>(field: &str, s: &str) -> Result<T, ValidationError> {
    if s.trim().is_empty() {
        Err(ValidationError::Required {
            field: field.to_string(),
        })
    } else {
        T::parse(field, s)
    }
}

fn clean_intake(i: &IntakeReport) -> Result<IntakeReport, ValidationError> {
    let t = |f: &str, s: &str| clean_text(&format!("intake.{f}"), s, MAX_TEXT_CHARS);
    Ok(IntakeReport {
        child_condition: t("child_condition", &i.child_condition)?,
        likely_consequences: t("likely_consequences", &i.likely_consequences)?,
        family_circumstances: t("family_circumstances", &i.family_circumstances)?,
        current_carer: t("current_carer", &i.current_carer)?,
        prior_support: t("prior_support", &i.prior_support)?,
        notes: t("notes", &i.notes)?,
    })
}
