//! The English wording of validation errors (the Vietnamese is next to the errors, in
//! `error.rs`): the same facts, for the English UI and the `message_en` of every report.

use crate::error::{ValidationError, ValidationError as E, quote_en};
use crate::labels::{Entry, field_entry, field_label_en, step_label_en};

impl ValidationError {
    /// The message in English, naming fields and steps as the English UI does ("Idle lock
    /// (minutes): 0 is outside 1–240."), never by their JSON names.
    pub fn message_en(&self) -> String {
        let mut named = self.clone();
        let mut entry = Entry::Typed;
        if let Some(field) = named.labelled_field() {
            entry = field_entry(field);
            *field = capitalise_en(&field_label_en(field));
        }
        match &mut named {
            E::StepNotAllowed { step, .. } | E::StepBeforePrevious { step, .. } => {
                *step = step_label_en(step).to_string();
            }
            _ => {}
        }
        if let E::StepBeforePrevious { previous, .. } = &mut named {
            *previous = step_label_en(previous).to_string();
        }
        named.message_en_named(entry)
    }

    /// The field a message names, for the variants that name one by its path (not an unknown
    /// field, whose JSON name is the point of its message).
    fn labelled_field(&mut self) -> Option<&mut String> {
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
            | E::BeforeBirth { field, .. }
            | E::WrongType { field, .. }
            | E::NotNormalized { field } => Some(field),
            _ => None,
        }
    }

    fn message_en_named(&self, entry: Entry) -> String {
        match self {
            E::Required { field } => match entry {
                Entry::Typed => format!("{field} is required."),
                Entry::ChooseOne => format!("{field} is not chosen; choose one from the list."),
                Entry::ChooseSome => format!("{field} is not chosen; choose at least one."),
            },
            E::TooLong { field, max, actual } => {
                format!("{field} is too long ({actual} characters); at most {max}.")
            }
            E::ControlCharacter { field, code_point } => {
                format!("{field} contains a control character (U+{code_point:04X}); retype it.")
            }
            E::BadDate { field, value } => format!(
                "{field}: cannot read {}; use dd/mm/yyyy (e.g. 05/09/2015).",
                quote_en(value, "the date")
            ),
            E::ImpossibleDate { field, value } => {
                format!("{field}: {} does not exist.", quote_en(value, "the date"))
            }
            E::FutureDate { field, value } => format!(
                "{field}: {} is in the future; check the date and the PC clock.",
                quote_en(value, "the date")
            ),
            E::DateTooOld { field, value } => format!(
                "{field}: {} is too far in the past.",
                quote_en(value, "the date")
            ),
            E::NotAChild { age, at, .. } => format!(
                "This person is {age} years old on {at}; a child is under 16 (Law on Children Art 1)."
            ),
            E::BirthAmbiguous { both: true } => {
                "Give either a date of birth or an estimated age, not both.".into()
            }
            E::BirthAmbiguous { both: false } => {
                "Give a date of birth, or an estimated age when it is unknown.".into()
            }
            E::UnknownCode {
                field,
                value,
                allowed,
            } => {
                format!(
                    "{field}: {} is not valid; use one of {}.",
                    quote_en(value, "the value"),
                    allowed.join(", ")
                )
            }
            E::UnknownSubgroup {
                group, subgroup, ..
            } => {
                format!("Group {group} has no sub-group {subgroup}.")
            }
            E::DuplicateGroup { group, .. } => {
                format!("Group {group} is listed twice for the same period.")
            }
            E::PeriodInverted { field } => {
                format!("{field}: the end date is before the start date.")
            }
            E::BadPersonalId { value } if value.is_empty() => {
                "The personal ID must be exactly 12 digits.".into()
            }
            E::BadPersonalId { value } => {
                format!("Personal ID \"{value}\" must be exactly 12 digits.")
            }
            E::UnknownCommune { field, code } => format!(
                "{field}: no commune with code {} in the current official list.",
                quote_en(code, "this")
            ),
            E::MergedCommune {
                field,
                code,
                old_name,
                successors,
            } => format!(
                "{field}: {code} ({old_name}) was merged in the 2025 reform; use {}.",
                successors.join(" or ")
            ),
            E::OutOfRange {
                field,
                min,
                max,
                value,
            } => {
                format!("{field}: {value} is outside {min}–{max}.")
            }
            E::StepNotAllowed {
                step, reason_en, ..
            } => {
                format!("Step \"{step}\" is not allowed now: {reason_en}")
            }
            E::StepBeforePrevious {
                step,
                previous,
                previous_at,
            } => format!("Step \"{step}\" is dated before \"{previous}\" ({previous_at})."),
            E::SeparationTooLong { total_days, .. } => format!(
                "Temporary separation would total {total_days} days; the maximum is 15 (Decree 56 Art 32 k3) unless a court orders the separation continued: record its decision with `court`."
            ),
            E::InvalidShape { field, detail } => {
                format!("{field}: unexpected data ({detail}); see docs/json.md.")
            }
            E::BeforeBirth { field, born } => {
                format!("{field}: this is before the child's date of birth ({born}).")
            }
            E::PassphraseMismatch => "The two passphrases differ; type them again.".into(),
            E::PassphraseTooShort { min } => {
                format!("The passphrase is too short; use at least {min} characters.")
            }
            E::DuplicatePersonalId { existing_id } => {
                format!("A child with this personal ID is already registered ({existing_id}).")
            }
            E::OtherCommune {
                code, name, own, ..
            } => format!(
                "A child living in {name} ({code}) cannot be added to this commune's register ({own}): each commune keeps the children living in it. If the child was abused or found in this commune, keep this commune, choose the residence status “Not resident here” and name the home commune ({code}): the commune where it happened receives the report, assesses it and takes the first emergency action (Decree 56 Art 25 k1, Art 26 k1). If the child has a record here and is moving away, change the commune in that record to move it."
            ),
            E::HomeCommune { here: true, .. } => "The home commune is this commune. For a child living here choose permanent, temporary or current residence; “Not resident here” is for a child who lives in another commune.".into(),
            E::HomeCommune { here: false, .. } => "Name a home commune only for a child who does not live in this commune: choose “Not resident here”, or leave the home commune empty.".into(),
            E::ChildHasCases { cases } => format!(
                "This record cannot be deleted: the child has {cases} case(s), which must be kept. If it was entered twice, keep the record with the cases and delete the other one."
            ),
            E::UnknownField { field } => format!(
                "{field} is not a field this version of BVTE knows. If the sending PC runs a newer BVTE, update BVTE on the server and every PC."
            ),
            E::WrongType { field, expected } => format!(
                "{field}: wrong type of data (expected {}). Run the same version of BVTE on the server and every PC, then enter this value again.",
                expected.label_en()
            ),
            E::NotNormalized { field } => format!(
                "{field} is not in the form BVTE stores (Unicode NFC, no extra spaces); enter it again in BVTE."
            ),
        }
    }
}

fn capitalise_en(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
