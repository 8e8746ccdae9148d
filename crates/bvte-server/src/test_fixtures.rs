//! What the server's unit tests share: a device enrolled as a PC would be, and a child's
//! record as the forms validate it.

use crate::storage::{DeviceAuth, Enrollment, Storage};
use serde_json::{Value, json};
use uuid::Uuid;

/// Registers `commune` and enrolls a PC of it with the one-time code `code`.
pub fn enroll(storage: &dyn Storage, commune: &str, code: &str) -> DeviceAuth {
    let now = crate::clock::now_ms();
    storage.add_commune(commune, now).unwrap();
    let hash = crate::codes::enroll_code_hash(code);
    storage
        .add_enroll_code(&hash, commune, now, now + 60_000)
        .unwrap();
    storage
        .enroll(&Enrollment {
            code_hash: hash,
            device_id: Uuid::now_v7(),
            fresh_id: Uuid::now_v7(),
            proven: None,
            device_name: "Máy UBND".into(),
            officer: "Cán bộ xã".into(),
            commune_code: commune.into(),
            token_hash: crate::codes::token_hash(code),
            now_ms: now,
        })
        .unwrap()
}

/// The fields of a complete child record named `name` living in `commune`, as bvte-domain
/// validates them.
pub fn child_fields(commune: &str, name: &str) -> Value {
    let input: bvte_domain::child::ChildInput = serde_json::from_value(json!({
        "full_name": name, "date_of_birth": "2016-03-08", "sex": "female",
        "residence_status": "thuong_tru", "village": "Thôn 3", "commune_code": commune
    }))
    .unwrap();
    let ctx = bvte_domain::child::ValidationContext {
        today: chrono::Utc::now().date_naive(),
        default_commune: commune.into(),
    };
    serde_json::to_value(input.validate(&ctx).unwrap()).unwrap()
}
