//! Whether the law allows a step now, and why not ([`admit`]).

use super::{CaseState, MAX_SEPARATION_DAYS, Separation, Stage};
use crate::codes::Code;
use crate::error::ValidationError;
use crate::event::{CloseReason, Step, StepKind};
use crate::time::{Instant, format_local};

/// Why a step is refused: Vietnamese and English reasons.
fn refuse(kind: StepKind, vi: &str, en: &str) -> ValidationError {
    ValidationError::StepNotAllowed {
        step: kind.code().to_string(),
        reason_vi: vi.to_string(),
        reason_en: en.to_string(),
    }
}

/// Refuses a step dated before the step it depends on.
fn after(
    kind: StepKind,
    t: Instant,
    prev: StepKind,
    prev_at: Option<Instant>,
) -> Result<(), ValidationError> {
    match prev_at {
        Some(p) if t < p => Err(ValidationError::StepBeforePrevious {
            step: kind.code().to_string(),
            previous: prev.code().to_string(),
            previous_at: format_local(p),
        }),
        _ => Ok(()),
    }
}

/// Whether the law allows recording `step` at `t` on a case in state `s`; if not, says why and
/// what to do first. `t` must already be checked not to be in the future.
pub fn admit(s: &CaseState, step: &Step, t: Instant) -> Result<(), ValidationError> {
    use StepKind as K;
    let kind = step.kind();
    let stage = s.stage();
    if !s.is_open() {
        return Err(refuse(
            kind,
            "vụ việc đã kết thúc hoặc đã chuyển cho xã khác. Nếu có thông tin mới, hãy mở vụ việc mới.",
            "the case is closed or transferred; open a new case for new information.",
        ));
    }
    after(kind, t, K::Intake, Some(s.received_at))?;
    let need_initial = || {
        if s.initial_assessment_at.is_none() {
            Err(refuse(
                kind,
                "cần đánh giá nguy cơ ban đầu (Mẫu 02) trước: kết quả đánh giá quyết định có áp dụng biện pháp can thiệp khẩn cấp hay không (Điều 26 khoản 2, 3 Nghị định 56/2017/NĐ-CP).",
                "record the initial assessment (form 02) first (Decree 56 Art 26 k2–3).",
            ))
        } else {
            after(kind, t, K::InitialAssessment, s.initial_assessment_at)
        }
    };
    // Law on Children 2016 Art 52 k2: "Ủy ban nhân dân cấp xã nơi trẻ em cư trú chủ trì …
    // xây dựng, phê duyệt, thực hiện kế hoạch hỗ trợ, can thiệp". The plan of a child living in
    // another commune is drafted, submitted and approved there: here the case is handed over.
    // The assessments stay allowed (Decree 56 Art 26, Art 27 k1, Art 32 k2 let the commune where
    // it happened act); events already recorded are folded as before.
    if let Some(residence) = &s.residence_elsewhere
        && matches!(
            step,
            Step::PlanDrafted(_)
                | Step::PlanSubmitted(_)
                | Step::PlanApproved(_)
                | Step::ContinuationApproved(_)
        )
    {
        return Err(refuse(
            kind,
            &format!(
                "trẻ em cư trú tại xã khác (mã {residence}): Ủy ban nhân dân cấp xã nơi trẻ em cư trú xây dựng, phê duyệt và thực hiện kế hoạch hỗ trợ, can thiệp (Điều 52 khoản 2 Luật Trẻ em 2016). Hãy chuyển vụ việc cho xã nơi trẻ em cư trú (bước \"Chuyển vụ việc cho xã khác\")."
            ),
            &format!(
                "the child lives in another commune ({residence}): the residence commune drafts, approves and carries out the plan (Law on Children Art 52 k2). Hand the case over to it (`transferred`)."
            ),
        ));
    }
    match step {
        Step::Intake(_) => Err(refuse(
            kind,
            "thông tin tiếp nhận (Mẫu 01) được ghi khi mở vụ việc.",
            "the report (form 01) is recorded when the case is opened.",
        )),
        // Decree 56 Art 25 k2: checking "tính xác thực về hành vi xâm hại, tình trạng mất an
        // toàn, mức độ nguy cơ gây tổn hại đối với trẻ em khi được yêu cầu" sets no order among
        // the steps: allowed in any open stage (closed and transferred cases are refused above).
        Step::Verification(_) => Ok(()),
        Step::InitialAssessment(_) => {
            if s.initial_assessment_at.is_some() {
                Err(refuse(
                    kind,
                    "vụ việc đã có đánh giá nguy cơ ban đầu. Đánh giá tiếp theo là thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu 03).",
                    "the initial assessment is already recorded; the next assessment is the detailed one (form 03).",
                ))
            } else {
                Ok(())
            }
        }
        // Decree 56 Art 31 k3 a and k4 a: the officer and the police act on receipt ("Tiếp nhận
        // thông tin, kết nối với cơ quan công an để ngăn chặn …", "Tiếp nhận thông tin, triển
        // khai việc ngăn chặn …"), within 12 hours of it (k2): a measure may come before Mẫu 02.
        Step::EmergencyMeasures(_) => Ok(()),
        Step::SeparationDecided(d) => {
            need_initial()?;
            // Decree 56 Art 32 k2: "Chủ tịch Ủy ban nhân dân cấp xã nơi trẻ em cư trú hoặc nơi
            // xảy ra trường hợp quy định tại khoản 1 Điều này có thẩm quyền ra quyết định". When
            // both communes are known, the deciding commune is one of them (empty: not recorded,
            // as in steps recorded before the field; `StepInput::parse` requires it now).
            let decided = d.decision_commune.trim();
            if let Some((incident, residence)) = &s.communes_known
                && !decided.is_empty()
                && decided != incident
                && decided != residence
            {
                return Err(refuse(
                    kind,
                    "chỉ Chủ tịch UBND xã nơi trẻ em cư trú hoặc nơi xảy ra vụ việc có thẩm quyền ra quyết định tạm thời cách ly (Điều 32 khoản 2 Nghị định 56/2017/NĐ-CP). Hãy chọn đúng xã của Chủ tịch đã ra quyết định.",
                    "only the chair of the commune where the child lives or where the case happened may decide a temporary separation (Decree 56 Art 32 k2).",
                ));
            }
            if s.separation_in_force(t).is_some() {
                return Err(refuse(
                    kind,
                    "đang có quyết định tạm thời cách ly còn hiệu lực. Hãy gia hạn hoặc hủy bỏ quyết định đó.",
                    "a temporary separation is already in force; extend or revoke it.",
                ));
            }
            Ok(())
        }
        Step::SeparationExtended(x) => {
            let sep = separation_in_force(s, kind, t)?;
            after(kind, t, K::SeparationDecided, Some(sep.decided_at))?;
            let total = sep.total_days.saturating_add(x.extra_days);
            // Decree 56 Art 32 k3: at most 15 days "trừ trường hợp phải tiếp tục cách ly theo
            // yêu cầu của cơ quan có thẩm quyền" — a court's decision (Law on Children Art 52 k3;
            // Circular 14/2020 Art 14 k3 b), recorded with `court`.
            if total > MAX_SEPARATION_DAYS && !x.by_court() {
                return Err(ValidationError::SeparationTooLong {
                    field: "data.extra_days".into(),
                    total_days: total,
                });
            }
            Ok(())
        }
        Step::SeparationRevoked(_) => {
            let sep = separation_in_force(s, kind, t)?;
            after(kind, t, K::SeparationDecided, Some(sep.decided_at))
        }
        Step::DetailedAssessment(_) => need_initial(),
        // Decree 56 Art 30 k1 c: the next plan is built once the chair agrees to continue.
        Step::NeedsMeeting(_) | Step::PlanDrafted(_) | Step::PlanSubmitted(_)
            if stage == Stage::Continuing =>
        {
            Err(awaiting_continuation(kind))
        }
        Step::NeedsMeeting(_) => {
            if s.detailed_assessment_at.is_none() && s.cycle == 1 {
                return Err(need_detailed(kind));
            }
            match stage {
                Stage::Planning => after(kind, t, K::DetailedAssessment, s.detailed_assessment_at),
                _ => Err(not_planning(kind)),
            }
        }
        Step::PlanDrafted(_) => match stage {
            Stage::Planning => {
                after(kind, t, K::DetailedAssessment, s.detailed_assessment_at)?;
                after(kind, t, K::ContinuationApproved, s.cycle_started_at)
            }
            Stage::Received | Stage::InitialAssessed => Err(need_detailed(kind)),
            _ => Err(not_planning(kind)),
        },
        Step::PlanSubmitted(_) => match (stage, s.plan_drafted_at) {
            // Decree 56 Art 27 k2: "Chủ tịch Ủy ban nhân dân cấp xã chủ trì cuộc họp … để xác
            // định các biện pháp bảo vệ trẻ em"; Art 28 k2 b: the dossier submitted to the chair
            // holds "biên bản cuộc họp xác định nhu cầu cần hỗ trợ, can thiệp cho trẻ em tại
            // khoản 2 Điều 27". No meeting in this cycle, no minutes: no submission. (Cases
            // submitted without one under the old rules fold as before: only `admit` refuses.)
            (Stage::Planning, Some(_)) if s.needs_meeting_at.is_none() => Err(refuse(
                kind,
                "chưa có cuộc họp xác định nhu cầu hỗ trợ, can thiệp do Chủ tịch UBND xã chủ trì (Điều 27 khoản 2 Nghị định 56/2017/NĐ-CP). Biên bản cuộc họp là một phần của hồ sơ trình Chủ tịch phê duyệt kế hoạch (Điều 28 khoản 2 điểm b): hãy ghi nhận cuộc họp trước khi trình.",
                "no needs meeting chaired by the commune chair has been recorded (Decree 56 Art 27 k2); its minutes belong to the dossier submitted to the chair (Art 28 k2 b): record the meeting first.",
            )),
            (Stage::Planning, Some(d)) => {
                after(kind, t, K::PlanDrafted, Some(d))?;
                after(kind, t, K::NeedsMeeting, s.needs_meeting_at)
            }
            (Stage::Planning | Stage::Received | Stage::InitialAssessed, _) => Err(refuse(
                kind,
                "chưa có kế hoạch hỗ trợ, can thiệp (Mẫu 04). Hãy xây dựng kế hoạch trước khi trình (Điều 28 khoản 1, 2).",
                "no plan (form 04) has been drafted yet (Art 28 k1–2).",
            )),
            _ => Err(not_planning(kind)),
        },
        Step::PlanApproved(_) | Step::PlanReturned(_) => match stage {
            Stage::AwaitingApproval => after(kind, t, K::PlanSubmitted, s.plan_submitted_at),
            // Decree 56 Art 30 k1 b: the officer "Trình Chủ tịch Ủy ban nhân dân cấp xã việc kết
            // thúc kế hoạch hỗ trợ, can thiệp"; the chair decides. Agreeing is `closed`
            // (`plan_completed`); refusing is `plan_returned`: the chair sends the proposal back
            // and the approved plan goes on being carried out (stage `implementing`), until a
            // new review proposes ending it again or, if risk remains, a new plan cycle (Art 30
            // k1 c). The article names no other outcome of a refusal, so the case does not go
            // back to planning by itself.
            //
            // Art 30 k1 c, the same for a proposal to continue: the officer "Trình Chủ tịch Ủy
            // ban nhân dân cấp xã tiếp tục quy trình xây dựng, phê duyệt kế hoạch hỗ trợ, can
            // thiệp nếu trẻ em vẫn có nguy cơ bị xâm hại". Agreeing is `continuation_approved`
            // (the next cycle starts from it); refusing is `plan_returned`, and the approved plan
            // goes on (stage `implementing`).
            Stage::Closing if matches!(step, Step::PlanReturned(_)) => {
                after(kind, t, K::Review, s.end_proposed_at)
            }
            Stage::Continuing if matches!(step, Step::PlanReturned(_)) => {
                after(kind, t, K::Review, s.continue_proposed_at)
            }
            Stage::Continuing => Err(awaiting_continuation(kind)),
            Stage::Implementing | Stage::Closing => Err(refuse(
                kind,
                "kế hoạch của chu kỳ này đã được phê duyệt.",
                "this cycle's plan is already approved.",
            )),
            _ => Err(refuse(
                kind,
                "kế hoạch chưa được trình Chủ tịch UBND xã. Hãy xây dựng kế hoạch (Mẫu 04) và ghi nhận việc trình trước khi phê duyệt (Điều 28 khoản 2, 4).",
                "the plan has not been submitted to the chair; draft (form 04) and submit it first (Art 28 k2, k4).",
            )),
        },
        Step::ImplementationActivity(_) | Step::Review(_) => match stage {
            Stage::Implementing => after(kind, t, K::PlanApproved, s.plan_approved_at),
            Stage::Closing => Err(refuse(
                kind,
                "rà soát đã đề nghị kết thúc kế hoạch; chờ Chủ tịch UBND xã quyết định: đồng ý thì ghi nhận \"Kết thúc vụ việc\", không đồng ý thì ghi nhận \"Chủ tịch trả lại\" để tiếp tục thực hiện kế hoạch (Điều 30 khoản 1 Nghị định 56/2017/NĐ-CP).",
                "the review proposed ending the plan; the chair's decision is pending: record `closed` if the chair agrees, `plan_returned` if not, and the plan goes on (Decree 56 Art 30 k1).",
            )),
            Stage::Continuing => Err(awaiting_continuation(kind)),
            _ => Err(refuse(
                kind,
                "kế hoạch hỗ trợ, can thiệp chưa được phê duyệt (Điều 28 khoản 4, Điều 29, 30).",
                "the plan has not been approved yet (Arts 28 k4, 29, 30).",
            )),
        },
        // Art 30 k1 c: the chair's agreement answers a review proposing to continue, and only
        // that. Art 30 names no time for the decision (nor for the decision to end): no
        // deadline runs for it (`deadline.rs`).
        Step::ContinuationApproved(_) => match stage {
            Stage::Continuing => after(kind, t, K::Review, s.continue_proposed_at),
            _ => Err(refuse(
                kind,
                "chưa có rà soát, đánh giá (Mẫu 06) đề nghị tiếp tục xây dựng, phê duyệt kế hoạch đang chờ Chủ tịch UBND xã quyết định (Điều 30 khoản 1 điểm c Nghị định 56/2017/NĐ-CP).",
                "no review (form 06) proposing to continue awaits the chair's decision (Decree 56 Art 30 k1 c).",
            )),
        },
        // Decree 56 Art 32 k3 caps a temporary separation and says when the chair revokes it;
        // it does not forbid ending the case or handing it over while the separation runs (the
        // hand-over to the residence commune, Law on Children Art 52 k2, usually happens then).
        // The separation's deadline stays on the record after the case ends (`deadline.rs`).
        Step::Closed(c) => {
            // Decree 56 Art 26 k2: the initial assessment (Mẫu 02) is made "để có cơ sở áp dụng
            // hoặc không áp dụng các biện pháp can thiệp khẩn cấp"; "no intervention needed" is
            // that finding and cannot come before it.
            if c.reason == Some(CloseReason::NoInterventionNeeded)
                && s.initial_assessment_at.is_none()
            {
                return Err(refuse(
                    kind,
                    "chưa có đánh giá nguy cơ ban đầu (Mẫu 02): chỉ kết luận \"không cần hỗ trợ, can thiệp\" sau khi đánh giá (Điều 26 khoản 2 Nghị định 56/2017/NĐ-CP).",
                    "no initial assessment (form 02) yet: \"no intervention needed\" can only follow it (Decree 56 Art 26 k2).",
                ));
            }
            // Art 31 k1–2: a child who needs emergency protection must be protected "không quá
            // 12 giờ từ khi nhận được thông tin". Closing must not hide that the duty was not
            // done: without a recorded measure, the officer says why.
            if s.emergency_required()
                && s.emergency_at.is_none()
                && c.no_emergency_reason.trim().is_empty()
            {
                return Err(refuse(
                    kind,
                    "trẻ em cần được bảo vệ khẩn cấp nhưng chưa ghi nhận biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly nào. Hãy ghi nhận biện pháp đã áp dụng, hoặc ghi lý do không áp dụng vào ô \"Lý do không áp dụng biện pháp can thiệp khẩn cấp\" (Điều 31 khoản 1, 2 Nghị định 56/2017/NĐ-CP).",
                    "the child needs emergency protection but no emergency measure or separation is recorded: record it, or give the reason none was applied (no_emergency_reason) (Decree 56 Art 31 k1–2).",
                ));
            }
            match (c.reason, stage) {
                (Some(CloseReason::PlanCompleted), Stage::Closing) => {
                    after(kind, t, K::Review, s.end_proposed_at)
                }
                (Some(CloseReason::PlanCompleted), _) => Err(refuse(
                    kind,
                    "chỉ kết thúc kế hoạch sau khi rà soát, đánh giá (Mẫu 06) đề nghị kết thúc (Điều 30 khoản 1).",
                    "end the plan only after a review (form 06) proposes it (Art 30 k1).",
                )),
                (
                    Some(CloseReason::Unfounded | CloseReason::NoInterventionNeeded),
                    Stage::Received | Stage::InitialAssessed | Stage::Planning,
                ) => Ok(()),
                (Some(CloseReason::Unfounded | CloseReason::NoInterventionNeeded), _) => {
                    Err(refuse(
                        kind,
                        "kế hoạch đã được trình hoặc phê duyệt; hãy rà soát, đánh giá (Mẫu 06) rồi kết thúc kế hoạch.",
                        "a plan is submitted or approved; review it (form 06) and end it instead.",
                    ))
                }
                _ => Ok(()),
            }
        }
        Step::Transferred(_) => Ok(()),
    }
}

/// The separation in force at `t`, or why there is none: never decided or revoked, or lapsed at
/// the end of its term (Decree 56 Art 32 k3), which no extension or revocation can reach.
fn separation_in_force(
    s: &CaseState,
    kind: StepKind,
    t: Instant,
) -> Result<&Separation, ValidationError> {
    match &s.separation {
        Some(sep) if sep.in_force_at(t) => Ok(sep),
        Some(sep) if sep.lapsed_at(t) => Err(refuse(
            kind,
            &format!(
                "quyết định tạm thời cách ly đã hết thời hạn lúc {} và không còn hiệu lực: không thể gia hạn hay hủy bỏ. Nếu trẻ em vẫn cần được cách ly, hãy ghi nhận quyết định tạm thời cách ly mới hoặc quyết định của Tòa án (Điều 32 khoản 3 Nghị định 56/2017/NĐ-CP).",
                format_local(sep.ends_at())
            ),
            &format!(
                "the temporary separation's term ended at {} and it is no longer in force: it cannot be extended or revoked (Decree 56 Art 32 k3).",
                format_local(sep.ends_at())
            ),
        )),
        _ => Err(refuse(
            kind,
            "không có quyết định tạm thời cách ly nào đang có hiệu lực.",
            "no temporary separation is in force.",
        )),
    }
}

/// Refuses a step while a review's proposal to continue awaits the chair (Decree 56 Art 30 k1
/// c), saying what to record.
fn awaiting_continuation(kind: StepKind) -> ValidationError {
    refuse(
        kind,
        "rà soát đã đề nghị tiếp tục xây dựng, phê duyệt kế hoạch mới; chờ Chủ tịch UBND xã quyết định: đồng ý thì ghi nhận \"Chủ tịch UBND xã đồng ý tiếp tục xây dựng, phê duyệt kế hoạch\" rồi xây dựng kế hoạch mới, không đồng ý thì ghi nhận \"Chủ tịch trả lại\" để tiếp tục thực hiện kế hoạch đã phê duyệt (Điều 30 khoản 1 điểm c Nghị định 56/2017/NĐ-CP).",
        "the review proposed continuing with a new plan; the chair's decision is pending: record `continuation_approved` if the chair agrees, then build the new plan; `plan_returned` if not, and the approved plan goes on (Decree 56 Art 30 k1 c).",
    )
}

fn need_detailed(kind: StepKind) -> ValidationError {
    refuse(
        kind,
        "cần thu thập thông tin, đánh giá nguy cơ cụ thể (Mẫu 03) trước khi xây dựng kế hoạch (Điều 27, 28 Nghị định 56/2017/NĐ-CP).",
        "record the detailed assessment (form 03) before planning (Arts 27–28).",
    )
}

fn not_planning(kind: StepKind) -> ValidationError {
    refuse(
        kind,
        "vụ việc không ở giai đoạn xây dựng kế hoạch (kế hoạch đã được trình hoặc phê duyệt).",
        "the case is not in the planning stage.",
    )
}
