//! Printing the Decree 56 forms (Mẫu 01–07) of a case: which forms apply given the recorded
//! steps, the data tree the templates read (its paths are listed in docs/forms.md), and the PDF
//! from `bvte-forms`. The confidential reporter goes into the tree of Mẫu 01 only.

use crate::error::CoreError;
use crate::session::Session;
use bvte_domain::case::Case;
use bvte_domain::child::{CarerRelation, ChildData, ResidenceStatus};
use bvte_domain::codes::Code;
use bvte_domain::criteria::as_code;
use bvte_domain::event::{CaseEvent, RiskScore, Step, StepKind};
use bvte_domain::time::{local_date, to_rfc3339_local};
use bvte_domain::units::Commune;
use bvte_domain::{CaseId, Instant};
use bvte_forms::{FormError, Template, Templates};
use chrono::Datelike;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// A form that can be printed, as lists and the desktop app show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FormInfo {
    /// Form number (`01`).
    pub form: String,
    /// Title.
    pub title: String,
    /// The layout is a reconstruction, not the official one: show "mẫu tạm" in the app.
    pub provisional: bool,
    /// Why it is provisional.
    pub provisional_reason: String,
    /// Where the layout comes from.
    pub source: String,
    /// The step the form needs (code), if any.
    pub requires_step: Option<String>,
}

impl FormInfo {
    /// The description of a template.
    pub fn of(t: &Template) -> FormInfo {
        FormInfo {
            form: t.form.clone(),
            title: t.title.clone(),
            provisional: t.provisional,
            provisional_reason: t.provisional_reason.clone(),
            source: t.source.clone(),
            requires_step: t.requires_step.clone(),
        }
    }
}

/// Every form of a set of templates, in order.
pub fn all_forms(templates: &Templates) -> Vec<FormInfo> {
    templates.iter().map(FormInfo::of).collect()
}

/// A blank form for hand filling, without any database: the commune header is dotted too.
pub fn blank_form(templates: &Templates, form: &str) -> Result<Vec<u8>, CoreError> {
    let t = templates.get(form)?;
    Ok(bvte_forms::render(t, &json!({ "form": form_value(t) }))?)
}

fn form_value(t: &Template) -> Value {
    json!({"number": t.form, "title": t.title})
}

impl Session {
    /// The forms that apply to a case given its recorded steps (e.g. Mẫu 02 once an initial
    /// assessment exists, Mẫu 07 once a separation was decided), with the shipped templates
    /// and those of `BVTE_FORMS_DIR`.
    pub fn applicable_forms(&self, case_id: CaseId) -> Result<Vec<FormInfo>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        self.applicable_forms_with(&Templates::from_env()?, case_id)
    }

    /// [`Session::applicable_forms`] with a given set of templates.
    pub fn applicable_forms_with(
        &self,
        templates: &Templates,
        case_id: CaseId,
    ) -> Result<Vec<FormInfo>, CoreError> {
        self.require(crate::access::Action::ViewRecords)?;
        let events = self.store.case_events(case_id)?;
        Ok(templates
            .iter()
            .filter(|t| missing_step(t, &events).is_none())
            .map(FormInfo::of)
            .collect())
    }

    /// The PDF of `form` (`01`…`07`) filled from a case, with the shipped templates and those
    /// of `BVTE_FORMS_DIR`. Errors: unknown form (lists the valid ones), a form that needs a
    /// step not recorded yet, a case that does not exist, a broken override template.
    pub fn print_form(
        &self,
        case_id: CaseId,
        form: &str,
        now: Instant,
    ) -> Result<Vec<u8>, CoreError> {
        self.require(crate::access::Action::Print)?;
        self.print_form_with(&Templates::from_env()?, case_id, form, now)
    }

    /// [`Session::print_form`] with a given set of templates.
    pub fn print_form_with(
        &self,
        templates: &Templates,
        case_id: CaseId,
        form: &str,
        now: Instant,
    ) -> Result<Vec<u8>, CoreError> {
        self.require(crate::access::Action::Print)?;
        let t = templates.get(form)?;
        let data = self.form_data(t, case_id, now)?;
        Ok(bvte_forms::render(t, &data)?)
    }

    /// A blank form for hand filling, with the commune header, place and officer from the
    /// settings.
    pub fn print_blank(&self, form: &str) -> Result<Vec<u8>, CoreError> {
        self.require(crate::access::Action::Print)?;
        self.print_blank_with(&Templates::from_env()?, form)
    }

    /// [`Session::print_blank`] with a given set of templates.
    pub fn print_blank_with(
        &self,
        templates: &Templates,
        form: &str,
    ) -> Result<Vec<u8>, CoreError> {
        self.require(crate::access::Action::Print)?;
        let t = templates.get(form)?;
        let mut data = self.header_data()?;
        data.insert("form".into(), form_value(t));
        Ok(bvte_forms::render(t, &Value::Object(data))?)
    }

    /// The data tree `template` is filled from, for a case. Fails when the form needs a step
    /// that is not recorded yet.
    pub fn form_data(
        &self,
        template: &Template,
        case_id: CaseId,
        now: Instant,
    ) -> Result<Value, CoreError> {
        self.require(crate::access::Action::Print)?;
        let case = self.store.case(case_id)?;
        let events = self.store.case_events(case_id)?;
        if let Some(step) = missing_step(template, &events) {
            return Err(FormError::NotApplicable {
                form: template.form.clone(),
                step_label: StepKind::from_code_str(&step)
                    .map_or_else(|| step.clone(), |k| k.label_vi().to_string()),
                step,
            }
            .into());
        }
        let child = self.store.child(case.data.child_id)?;
        let mut data = self.header_data()?;
        data.insert("form".into(), form_value(template));
        data.insert(
            "today".into(),
            json!(local_date(now).format("%Y-%m-%d").to_string()),
        );
        data.insert(
            "child".into(),
            child_value(&child.data, case.data.received_at, child.id),
        );
        data.insert("case".into(), case_value(&case));
        let mut steps = steps_value(&events, &child.data);
        decided_by(
            &mut steps,
            &self.settings()?.chair_name,
            &self.commune()?.name,
        );
        data.insert("steps".into(), steps);
        // The reporter's identity is confidential (Mẫu 01 section A.3): only on Mẫu 01.
        if template.form == "01"
            && let Some(r) = self.store.case_reporter(case_id)?
        {
            data.insert(
                "reporter".into(),
                json!({"full_name": r.full_name, "phone": r.phone, "address": r.address}),
            );
        }
        Ok(Value::Object(data))
    }

    fn header_data(&self) -> Result<Map<String, Value>, CoreError> {
        let s = self.settings()?;
        let c = self.commune()?;
        let mut m = Map::new();
        m.insert(
            "settings".into(),
            json!({"officer_name": s.officer_name, "commune_header": s.commune_header, "chair_name": s.chair_name}),
        );
        m.insert("commune".into(), commune_value(c));
        Ok(m)
    }
}

/// Who decided the separation and for which commune (Decree 56 Art 32 k2), as Mẫu 07 prints
/// them: `signer` (the recorded chair, or the chair of the settings for a decision recorded
/// before `decided_by` existed) and `decision_commune_name` (the recorded commune, or this one).
fn decided_by(steps: &mut Value, chair_name: &str, this_commune: &str) {
    let Some(d) = steps
        .pointer_mut("/separation_decided/data")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let text = |k: &str| {
        d.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let signer = Some(text("decided_by")).filter(|s| !s.is_empty());
    let commune = bvte_domain::reference::units().lookup(&text("decision_commune"));
    let commune = match commune {
        bvte_domain::units::CommuneLookup::Current(c) => c.name.clone(),
        _ => this_commune.to_string(),
    };
    d.insert(
        "signer".into(),
        json!(signer.unwrap_or(chair_name.to_string())),
    );
    d.insert("decision_commune_name".into(), json!(commune));
}

/// The step a template needs that the case lacks, if any.
pub(crate) fn missing_step(t: &Template, events: &[CaseEvent]) -> Option<String> {
    let step = t.requires_step.as_ref()?;
    (!events.iter().any(|e| e.step.kind().code() == step)).then(|| step.clone())
}

/// "Xã Thạch Thất" → ("Thạch Thất", "xã Thạch Thất"): the place name of the date line and the
/// name as written inside a sentence.
fn commune_value(c: &Commune) -> Value {
    let (place, in_text) = place_and_name_in_text(c);
    json!({
        "code": c.code, "name": c.name, "name_in_text": in_text, "place": place,
        "division": c.division_type, "province": c.province_name, "full_name": c.full_name(),
    })
}

/// "Xã Thạch Thất" → ("Thạch Thất", "xã Thạch Thất").
pub(crate) fn place_and_name_in_text(c: &Commune) -> (String, String) {
    match c.name.get(..c.division_type.len()) {
        Some(prefix) if prefix.to_lowercase() == c.division_type.to_lowercase() => (
            c.name[c.division_type.len()..].trim().to_string(),
            format!(
                "{}{}",
                c.division_type.to_lowercase(),
                &c.name[c.division_type.len()..]
            ),
        ),
        _ => (c.name.clone(), c.name.clone()),
    }
}

fn commune_name(code: &str) -> Option<String> {
    match bvte_domain::reference::units().lookup(code) {
        bvte_domain::units::CommuneLookup::Current(c) => Some(c.full_name()),
        _ => None,
    }
}

fn labels<T: Code>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.label_vi())
        .collect::<Vec<_>>()
        .join(", ")
}

fn person(c: &bvte_domain::child::Carer, year: i32) -> Value {
    json!({
        "full_name": c.full_name,
        "birth_year": c.birth_year,
        "age": c.birth_year.map(|b| year - b).filter(|a| *a > 0),
        "occupation": c.occupation,
        "phone": c.phone,
        "address": c.address,
        "relation_label": c.relation.label_vi(),
        "deceased": c.deceased,
    })
}

fn child_value(c: &ChildData, received_at: Instant, id: bvte_domain::ChildId) -> Value {
    let on = local_date(received_at);
    let ethnicity = c
        .ethnicity
        .as_ref()
        .and_then(|e| bvte_domain::reference::ethnic_groups().get(&e.code))
        .map(|g| g.name.clone());
    let commune = commune_name(&c.commune_code);
    let place = [Some(c.village.clone()).filter(|v| !v.is_empty()), commune]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    // "Nơi cư trú" as the law reads it (Law on Residence 2020 Art 19): without a registered
    // residence it is where the child lives now; an unknown one is said, with where the child is.
    let address = match c.residence_status {
        ResidenceStatus::ThuongTru | ResidenceStatus::TamTru => place,
        ResidenceStatus::NoiOHienTai => {
            format!("{place} (nơi ở hiện tại, chưa đăng ký thường trú, tạm trú)")
        }
        ResidenceStatus::ChuaRo if place.is_empty() => "chưa rõ".to_string(),
        ResidenceStatus::ChuaRo => format!("chưa rõ (trẻ đang ở {place})"),
        // A child who lives in another commune, recorded where it happened or was found
        // (Decree 56 Art 25 k1): its residence is its home commune.
        ResidenceStatus::KhongCuTru => {
            let home = c.home.as_ref();
            let there = [
                home.map(|h| h.address.clone()).filter(|a| !a.is_empty()),
                home.and_then(|h| commune_name(&h.commune_code)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            match (there.is_empty(), place.is_empty()) {
                (true, _) => format!("chưa rõ (trẻ đang ở {place})"),
                (false, true) => there,
                (false, false) => format!("{there} (trẻ đang ở {place})"),
            }
        }
    };
    let find = |r: CarerRelation| {
        c.carers
            .iter()
            .find(|p| p.relation == r)
            .map(|p| person(p, on.year()))
    };
    let carers = c
        .carers
        .iter()
        .filter(|p| !p.full_name.is_empty())
        .map(|p| format!("{}: {}", p.relation.label_vi(), p.full_name))
        .collect::<Vec<_>>()
        .join("; ");
    json!({
        "id": id,
        "full_name": c.full_name,
        "date_of_birth": c.date_of_birth.map(|d| d.format("%Y-%m-%d").to_string()),
        "estimated_age": c.estimated_age.as_ref().map(|e| format!("{} tuổi", e.years)),
        "age": c.age_on(on),
        "sex": c.sex.code(),
        "sex_label": c.sex.label_vi(),
        "ethnicity": ethnicity,
        "personal_id": c.personal_id,
        "residence_status_label": c.residence_status.label_vi(),
        "village": c.village,
        "address": address,
        "father": find(CarerRelation::Father),
        "mother": find(CarerRelation::Mother),
        "carers": carers,
    })
}

fn case_value(case: &Case) -> Value {
    let d = &case.data;
    let category = d.category.label_vi();
    let title = category
        .strip_prefix("Trẻ em ")
        .unwrap_or(category)
        .to_uppercase();
    json!({
        "id": case.id,
        "received_at": to_rfc3339_local(d.received_at),
        "category": d.category.code(),
        "category_label": category,
        "category_title": title,
        "abuse_forms_label": labels(&d.abuse_forms),
        "environment_label": d.environment.label_vi(),
        "channel": d.channel.code(),
        "channel_label": d.channel.label_vi(),
        "incident_place": d.incident_place,
        "incident_commune": commune_name(&d.incident_commune),
        "residence_commune": commune_name(&d.residence_commune),
        "summary": d.summary,
    })
}

fn scores(items: &[RiskScore]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|s| {
                json!({"criterion": as_code(&s.criterion), "level": s.level.map(|l| l.code()),
                    "level_label": s.level.map(|l| l.label_vi()), "note": s.note})
            })
            .collect(),
    )
}

/// The latest step of each kind, with labels next to the codes.
fn steps_value(events: &[CaseEvent], child: &ChildData) -> Value {
    let mut latest: BTreeMap<&'static str, &CaseEvent> = BTreeMap::new();
    for e in events {
        let k = e.step.kind().code();
        if latest
            .get(k)
            .is_none_or(|p| (e.occurred_at, e.recorded_at) >= (p.occurred_at, p.recorded_at))
        {
            latest.insert(k, e);
        }
    }
    let mut out = Map::new();
    for (k, e) in latest {
        let mut data = serde_json::to_value(&e.step)
            .ok()
            .and_then(|v| v.get("data").cloned())
            .unwrap_or_else(|| json!({}));
        if let Value::Object(m) = &mut data {
            enrich(m, &e.step, e.occurred_at, child);
        }
        out.insert(
            k.to_string(),
            json!({
                "occurred_at": to_rfc3339_local(e.occurred_at),
                "recorded_at": to_rfc3339_local(e.recorded_at),
                "author": e.author,
                "label": e.step.kind().label_vi(),
                "data": data,
            }),
        );
    }
    Value::Object(out)
}

fn enrich(m: &mut Map<String, Value>, step: &Step, at: Instant, child: &ChildData) {
    match step {
        Step::InitialAssessment(a) => {
            m.insert("criteria".into(), scores(&a.criteria));
        }
        Step::DetailedAssessment(a) => {
            m.insert("criteria".into(), scores(&a.criteria));
        }
        Step::Review(r) => {
            m.insert("harm".into(), scores(&r.harm));
            m.insert("self_protection".into(), scores(&r.self_protection));
            m.insert(
                "proposal_label".into(),
                json!(r.proposal.map(|p| p.label_vi())),
            );
        }
        Step::EmergencyMeasures(x) => {
            m.insert("measures_label".into(), json!(labels(&x.measures)));
        }
        Step::SeparationDecided(s) => {
            let names: Vec<&str> = child
                .carers
                .iter()
                .filter(|c| s.separated_from.contains(&c.relation) && !c.full_name.is_empty())
                .map(|c| c.full_name.as_str())
                .collect();
            m.insert(
                "grounds_label".into(),
                json!(s.grounds.map(|g| g.label_vi())),
            );
            m.insert(
                "separated_from_labels".into(),
                json!(labels(&s.separated_from)),
            );
            m.insert(
                "separated_from_carer".into(),
                json!(
                    s.separated_from
                        .iter()
                        .any(|r| !matches!(r, CarerRelation::Father | CarerRelation::Mother))
                ),
            );
            m.insert("separated_from_names".into(), json!(names.join(", ")));
            m.insert(
                "until".into(),
                json!(to_rfc3339_local(
                    at + chrono::Duration::days(i64::from(s.days))
                )),
            );
        }
        Step::PlanDrafted(p) => {
            let costs: Vec<u64> = p.activities.iter().filter_map(|a| a.cost).collect();
            m.insert(
                "total_cost".into(),
                json!((!costs.is_empty()).then(|| costs.iter().sum::<u64>())),
            );
        }
        Step::Closed(c) => {
            m.insert("reason_label".into(), json!(c.reason.map(|r| r.label_vi())));
        }
        Step::Transferred(t) => {
            m.insert("to_commune_name".into(), json!(commune_name(&t.to_commune)));
        }
        _ => {}
    }
}

#[cfg(test)]
#[path = "print_tests.rs"]
mod tests;
