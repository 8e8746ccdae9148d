//! A child in the register: identity, residence, family and carers, special circumstances,
//! disability, schooling. What a form or a script sends, and its validation, is in
//! `child_input`.

use crate::error::ValidationError;
use crate::ethnicity::Ethnicity;
use crate::groups::{Group, SpecialCircumstance};
use crate::ids::ChildId;
use crate::time::{Instant, age_on};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

pub use crate::child_input::{
    CarerInput, ChildInput, DisabilityInput, EstimatedAgeInput, GroupInput, HomeInput,
    SchoolingInput, ValidationContext, check_child_age,
};

/// A child is a person under 16 (Law on Children 2016 Art 1).
pub const CHILD_AGE_LIMIT: u32 = 16;

crate::code_enum!(
    /// Sex as recorded on Mẫu 01: Nam / Nữ / Không biết.
    Sex {
        /// Nam.
        Male = ("male", "Nam", "Male"),
        /// Nữ.
        Female = ("female", "Nữ", "Female"),
        /// Không rõ.
        Unknown = ("unknown", "Không rõ", "Unknown"),
    }
);

crate::code_enum!(
    /// Residence status in the commune (Law on Residence 2020). Besides a registered permanent
    /// or temporary residence, a child may live here with neither registered (Law on Residence
    /// Art 19 k1: the place of residence is then where the child actually lives), or be found
    /// here with no known residence at all — an abandoned child (Law on Children Art 10 k1 b),
    /// or one the report of Mẫu 01 describes before anything is verified (it records what is
    /// known).
    ResidenceStatus {
        /// Permanent resident (*thường trú*).
        ThuongTru = ("thuong_tru", "Thường trú", "Permanent resident"),
        /// Temporary resident (*tạm trú*).
        TamTru = ("tam_tru", "Tạm trú", "Temporary resident"),
        /// Lives here with no registered residence (*nơi ở hiện tại*, Law on Residence Art 19).
        NoiOHienTai = ("noi_o_hien_tai", "Nơi ở hiện tại (chưa đăng ký cư trú)", "No registered residence (lives here)"),
        /// Residence unknown: an abandoned child, or not yet known at the report.
        ChuaRo = ("chua_ro", "Chưa rõ nơi cư trú", "Residence unknown"),
        /// Not a resident here: a visiting or migrant child who lives in another commune (named
        /// in [`ChildData::home`]) and is recorded by the commune where the abuse happened or
        /// where the child is found, which receives the report, assesses it and takes the first
        /// emergency action (Decree 56 Art 25 k1, Art 26 k1, Art 31 k3 a, Art 32 k2) before
        /// handing the case over to the residence commune (Law on Children Art 52 k2).
        KhongCuTru = ("khong_cu_tru", "Không cư trú tại xã (trẻ cư trú ở xã khác)", "Not resident here (lives in another commune)"),
    }
);

crate::code_enum!(
    /// How a parent or carer is related to the child.
    CarerRelation {
        /// Cha.
        Father = ("father", "Cha", "Father"),
        /// Mẹ.
        Mother = ("mother", "Mẹ", "Mother"),
        /// Ông, bà.
        Grandparent = ("grandparent", "Ông/bà", "Grandparent"),
        /// Anh, chị.
        Sibling = ("sibling", "Anh/chị", "Sibling"),
        /// Other relative.
        Relative = ("relative", "Người thân thích khác", "Other relative"),
        /// Legal guardian.
        Guardian = ("guardian", "Người giám hộ", "Guardian"),
        /// Alternative carer: the person or family who receives the child in alternative care
        /// (*chăm sóc thay thế*). Law on Children Art 63 sets who may (consent, residence in
        /// Viet Nam, capacity, no record of child abuse…); Law on Children Art 62 lists which
        /// children receive it.
        AlternativeCarer = ("alternative_carer", "Người chăm sóc thay thế", "Alternative carer"),
        /// Anyone else.
        Other = ("other", "Khác", "Other"),
    }
);

crate::code_enum!(
    /// Degree of disability (Law on Persons with Disabilities 2010 Art 3).
    DisabilityLevel {
        /// Đặc biệt nặng.
        EspeciallySevere = ("especially_severe", "Khuyết tật đặc biệt nặng", "Especially severe"),
        /// Nặng.
        Severe = ("severe", "Khuyết tật nặng", "Severe"),
        /// Nhẹ.
        Mild = ("mild", "Khuyết tật nhẹ", "Mild"),
        /// Not yet assessed.
        Unassessed = ("unassessed", "Chưa xác định mức độ", "Not yet assessed"),
    }
);

crate::code_enum!(
    /// Schooling.
    SchoolingStatus {
        /// Too young for school.
        NotYet = ("not_yet", "Chưa đến tuổi đi học", "Not yet of school age"),
        /// Kindergarten.
        Preschool = ("preschool", "Học mầm non", "Preschool"),
        /// At school.
        InSchool = ("in_school", "Đang đi học", "At school"),
        /// Dropped out.
        DroppedOut = ("dropped_out", "Đã bỏ học", "Dropped out"),
        /// Never went to school.
        Never = ("never", "Chưa từng đi học", "Never attended"),
    }
);

/// Age estimated by the officer when the date of birth is unknown (Mẫu 01: "hoặc ước lượng tuổi").
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimatedAge {
    /// Age in whole years.
    pub years: u8,
    /// The date the estimate was made.
    pub as_of: NaiveDate,
}

/// A parent or carer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carer {
    /// Relation to the child.
    pub relation: CarerRelation,
    /// Full name.
    pub full_name: String,
    /// Year of birth, if known.
    pub birth_year: Option<i32>,
    /// Occupation.
    pub occupation: String,
    /// Phone number.
    pub phone: String,
    /// Address, when different from the child's.
    pub address: String,
    /// Whether this person has died.
    pub deceased: bool,
    /// Whether the child lives with this person.
    pub lives_with_child: bool,
}

/// Disability.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disability {
    /// Degree.
    pub level: DisabilityLevel,
    /// Kind of disability and notes.
    pub note: String,
}

/// Schooling.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schooling {
    /// Status.
    pub status: SchoolingStatus,
    /// School name.
    pub school: String,
    /// Grade or class.
    pub grade: String,
}

/// Where a child who does not live in this commune lives ([`ResidenceStatus::KhongCuTru`]):
/// the residence commune, which plans for the child (Law on Children Art 52 k2), and what is
/// known of the address there. Field names are stored and synced: do not rename them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeResidence {
    /// The residence commune (current official code).
    pub commune_code: String,
    /// What is known of the address there (thôn / tổ dân phố, số nhà), possibly empty.
    pub address: String,
}

/// The validated content of a child record. Field names are the export's field names: do not
/// rename them (the JSON is stored, synced and documented in `docs/json.md`).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildData {
    /// Full name, NFC, family name first.
    pub full_name: String,
    /// Date of birth, when known.
    pub date_of_birth: Option<NaiveDate>,
    /// Estimated age, when the date of birth is unknown.
    pub estimated_age: Option<EstimatedAge>,
    /// Sex.
    pub sex: Sex,
    /// Ethnicity, with its code system.
    pub ethnicity: Option<Ethnicity>,
    /// Personal identification number (*mã định danh cá nhân*), 12 digits.
    pub personal_id: Option<String>,
    /// Permanent or temporary resident, or not a resident here (`khong_cu_tru`).
    pub residence_status: ResidenceStatus,
    /// The commune that keeps the record: the commune of residence, or for a child who lives
    /// elsewhere (`khong_cu_tru`) the commune acting for it (current official code).
    pub commune_code: String,
    /// Village or residential group (*thôn / tổ dân phố*).
    pub village: String,
    /// Parents and carers.
    pub carers: Vec<Carer>,
    /// Groups of children in special circumstances.
    pub special_circumstances: Vec<SpecialCircumstance>,
    /// At risk of falling into special circumstances (a flag, not a 15th group).
    pub at_risk: bool,
    /// Disability, if any.
    pub disability: Option<Disability>,
    /// Schooling, if recorded.
    pub schooling: Option<Schooling>,
    /// Notes.
    pub notes: String,
    /// Where the child lives, when not in this commune (`residence_status` is `khong_cu_tru`):
    /// the record is kept by `commune_code`, the commune acting for the child (Decree 56
    /// Art 25 k1, Art 26 k1). Absent for a resident child (not serialized, so a resident's
    /// record is what older versions wrote and read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub home: Option<HomeResidence>,
}

/// A child record as stored.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    /// Id.
    pub id: ChildId,
    /// Content.
    #[serde(flatten)]
    pub data: ChildData,
    /// When the record was created.
    pub created_at: Instant,
    /// When the record last changed.
    pub updated_at: Instant,
}

impl ChildData {
    /// The date of birth, or the one implied by the estimated age.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        self.date_of_birth.or_else(|| {
            self.estimated_age.as_ref().and_then(|e| {
                e.as_of
                    .checked_sub_months(Months::new(u32::from(e.years) * 12))
            })
        })
    }

    /// Age in whole years on `date`.
    pub fn age_on(&self, date: NaiveDate) -> Option<u32> {
        self.birth_date().map(|b| age_on(b, date))
    }

    /// Groups the child belongs to on `date`.
    pub fn groups_on(&self, date: NaiveDate) -> Vec<Group> {
        let mut g: Vec<Group> = self
            .special_circumstances
            .iter()
            .filter(|s| s.active_on(date))
            .map(|s| s.group)
            .collect();
        g.sort();
        g.dedup();
        g
    }

    /// Whether both parents are recorded as dead, or the child is in group a.
    pub fn orphan_of_both(&self, date: NaiveDate) -> bool {
        let dead = |r| self.carers.iter().any(|c| c.relation == r && c.deceased);
        self.groups_on(date).contains(&Group::A)
            || (dead(CarerRelation::Father) && dead(CarerRelation::Mother))
    }

    /// Whether at least one parent is recorded as dead, or the child is in group a.
    pub fn orphan(&self, date: NaiveDate) -> bool {
        self.orphan_of_both(date)
            || self.carers.iter().any(|c| {
                matches!(c.relation, CarerRelation::Father | CarerRelation::Mother) && c.deceased
            })
    }

    /// Whether the child lives in another commune than the one keeping the record (a visiting
    /// or migrant child, [`ResidenceStatus::KhongCuTru`]); not counted among the commune's
    /// resident children.
    pub fn lives_elsewhere(&self) -> bool {
        self.residence_status == ResidenceStatus::KhongCuTru
    }

    /// The commune where the child lives: the home commune of a child living elsewhere, else
    /// the commune keeping the record.
    pub fn residence_commune(&self) -> &str {
        match &self.home {
            Some(h) if self.lives_elsewhere() => &h.commune_code,
            _ => &self.commune_code,
        }
    }

    /// The record once handed over to the commune where the child lives (the `transferred`
    /// step to its home commune, Law on Children Art 52 k2): kept by that commune, with the
    /// address known there as its village, and a residence status left to that commune to
    /// verify (`chua_ro` until its officer records thường trú or tạm trú). `None` for a child
    /// who lives here.
    pub fn handed_over_home(&self) -> Option<ChildData> {
        let home = self.home.as_ref().filter(|_| self.lives_elsewhere())?;
        let mut d = self.clone();
        d.commune_code = home.commune_code.clone();
        d.village = home.address.clone();
        d.residence_status = ResidenceStatus::ChuaRo;
        d.home = None;
        Some(d)
    }

    /// Whether a disability is recorded or the child is in group d.
    pub fn disabled(&self, date: NaiveDate) -> bool {
        self.disability.is_some() || self.groups_on(date).contains(&Group::D)
    }
}

/// A new child's record must be kept by the commune whose register this is: each commune keeps
/// the children living in it, and the district server keeps every commune's records apart
/// (design §5 and §7; a product rule, not a quoted article). A child who lives in another
/// commune is recorded here as not resident (`khong_cu_tru`, its home commune in `home`) when
/// this is the commune where the abuse happened or where the child is found (Decree 56 Art 25
/// k1, Art 26 k1): the record stays this commune's until the case is handed over. A child who
/// moves away keeps its record, whose commune is changed, which moves it with its cases.
pub fn check_own_commune(data: &ChildData, own: &str) -> Result<(), ValidationError> {
    if data.commune_code == own {
        return Ok(());
    }
    let name = match crate::reference::units().lookup(&data.commune_code) {
        crate::units::CommuneLookup::Current(c) => c.full_name(),
        _ => data.commune_code.clone(),
    };
    Err(ValidationError::OtherCommune {
        field: "commune_code".into(),
        code: data.commune_code.clone(),
        name,
        own: own.to_owned(),
    })
}
