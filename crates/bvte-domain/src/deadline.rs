//! Legal deadlines of a case, derived from its folded state, the working-day calendar and now.
//!
//! - Hour-based limits run on the clock, nights, weekends and holidays included.
//! - Day-based limits start counting on the day after the event (Civil Code 2015 Art 147 k2–k3) and
//!   end at the end (23:59:59, Vietnam time) of their last day; working-day limits count only
//!   working days.
//! - The 15 days of a temporary separation are a cap on how long a child is kept apart, not a
//!   time limit for an act, so they are calendar days and are not extended when the 15th day is
//!   a day off (Civil Code Art 148 k5 would allow that for time limits; it would keep a child
//!   separated beyond what Decree 56 Art 32 k3 permits).

use crate::calendar::WorkingCalendar;
pub use crate::deadline_settings::{DeadlineSettings, PlanClockStart, ProvinceDeadlineSettings};
use crate::event::CloseReason;
use crate::time::{Instant, end_of_day, local_date};
use crate::workflow::CaseState;
use chrono::Duration;
use serde::Serialize;

crate::code_enum!(
    /// A legal time limit on a case.
    DeadlineRule {
        /// Guidance, not a legal limit: the initial assessment in time for emergency measures,
        /// i.e. within 12 hours of receipt. Decree 56 sets no limit of its own for it (Art 26
        /// k2); the 12 hours are those of the emergency rule it decides on (Art 26 k3, Art 31
        /// k2).
        InitialAssessment12h = ("initial_assessment_12h", "Đánh giá nguy cơ ban đầu kịp trong 12 giờ kể từ khi nhận thông tin (mốc khuyến nghị)", "Initial assessment within 12 hours of receipt (guidance)"),
        /// Emergency measures or temporary separation within 12 hours of receipt, when the
        /// initial assessment finds that the child needs emergency protection: serious risk or
        /// harm, or harm caused by the parent or carer (Decree 56 Art 31 k1).
        Emergency12h = ("emergency_12h", "Áp dụng biện pháp can thiệp khẩn cấp trong 12 giờ kể từ khi nhận thông tin", "Emergency measures within 12 hours of receipt"),
        /// The plan built and submitted to the chair within 5 working days (Decree 56 Art 28 k1:
        /// "xây dựng kế hoạch hỗ trợ, can thiệp trình Chủ tịch Ủy ban nhân dân cấp xã phê
        /// duyệt"): met by the first submission of the cycle's plan, not by drafting it. Its
        /// start is a province's reading ([`PlanClockStart`], receipt by default).
        Plan5WorkingDays = ("plan_5_working_days", "Xây dựng kế hoạch hỗ trợ, can thiệp và trình Chủ tịch UBND xã trong 05 ngày làm việc", "Plan built and submitted to the chair within 5 working days"),
        /// The chair approves within 2 working days of the dossier.
        Approval2WorkingDays = ("approval_2_working_days", "Chủ tịch UBND xã phê duyệt kế hoạch trong 02 ngày làm việc", "Chair's approval within 2 working days"),
        /// Temporary separation ends after at most 15 days (Decree 56 Art 32 k3), unless a
        /// court orders it continued (Law on Children Art 52 k3; Circular 14/2020 Art 14 k3 b).
        /// The label tells the officer, before the end, what must happen by then.
        Separation15Days = ("separation_15_days", "Hết thời hạn tạm thời cách ly (tối đa 15 ngày): trước khi hết hạn, trẻ em phải trở về gia đình, được chăm sóc thay thế, hoặc có quyết định của Tòa án tiếp tục cách ly", "End of temporary separation (15 days at most): before it, the child must return home, go to alternative care, or a court must order the separation continued"),
    }
);

impl DeadlineRule {
    /// Whether the rule is guidance derived from another rule rather than a time limit the law
    /// sets itself: never "quá hạn" (overdue) against the law, and not kept after closing.
    pub fn is_guidance(self) -> bool {
        // Decree 56 Art 26 k2 sets no time for the initial assessment; Art 26 k3 and Art 31 k2
        // limit the emergency measures it decides on to 12 hours from receipt.
        matches!(self, Self::InitialAssessment12h)
    }

    /// The source of the rule when the case is an emergency (Decree 56 Art 31 k1), for the two
    /// limits Art 28 sets "trừ trường hợp khẩn cấp": then they are guidance, not legal limits.
    pub fn emergency_basis(self) -> Option<&'static str> {
        match self {
            Self::Plan5WorkingDays => Some(
                "Mốc khuyến nghị, không phải thời hạn luật định: Điều 28 khoản 1 Nghị định 56/2017/NĐ-CP đặt thời hạn 05 ngày làm việc \"trừ trường hợp khẩn cấp\", và trẻ em cần được bảo vệ khẩn cấp (Điều 31 khoản 1)",
            ),
            Self::Approval2WorkingDays => Some(
                "Mốc khuyến nghị, không phải thời hạn luật định: Điều 28 khoản 4 Nghị định 56/2017/NĐ-CP đặt thời hạn 02 ngày làm việc \"trừ trường hợp khẩn cấp\", và trẻ em cần được bảo vệ khẩn cấp (Điều 31 khoản 1)",
            ),
            _ => None,
        }
    }

    /// The legal source of the rule, cited on screen and in exports.
    pub fn legal_basis(self) -> &'static str {
        match self {
            Self::InitialAssessment12h => {
                "Mốc khuyến nghị, không phải thời hạn luật định: suy ra từ Điều 26 khoản 2, 3 và Điều 31 khoản 2 Nghị định 56/2017/NĐ-CP (kết quả đánh giá ban đầu là căn cứ áp dụng biện pháp can thiệp khẩn cấp, phải thực hiện trong 12 giờ kể từ khi nhận thông tin)"
            }
            Self::Emergency12h => {
                "Điều 26 khoản 3, Điều 31 khoản 1, 2, Điều 32 khoản 2 Nghị định 56/2017/NĐ-CP"
            }
            Self::Plan5WorkingDays => "Điều 28 khoản 1 Nghị định 56/2017/NĐ-CP",
            Self::Approval2WorkingDays => "Điều 28 khoản 4 Nghị định 56/2017/NĐ-CP",
            Self::Separation15Days => "Điều 32 khoản 3 Nghị định 56/2017/NĐ-CP",
        }
    }
}

crate::code_enum!(
    /// Status of a deadline.
    DeadlineStatus {
        /// Not yet met, not yet due.
        Pending = ("pending", "Đang trong hạn", "Pending"),
        /// Met in time.
        Met = ("met", "Đã hoàn thành đúng hạn", "Met"),
        /// Met after the limit.
        MetLate = ("met_late", "Hoàn thành quá hạn", "Met late"),
        /// Not met and past the limit, the case still open.
        Overdue = ("overdue", "Quá hạn", "Overdue"),
        /// Not met, and the case has ended: the duty was missed and stays on the record.
        Missed = ("missed", "Không thực hiện trong thời hạn (vụ việc đã kết thúc)", "Missed (the case has ended)"),
        /// A guidance time (not a legal limit) passed: not met by then, or met after it.
        PastGuidance = ("past_guidance", "Quá mốc khuyến nghị (không phải thời hạn luật định)", "Past the guidance time (not a legal limit)"),
    }
);

/// A deadline on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The rule.
    pub rule: DeadlineRule,
    /// Its legal source.
    pub legal_basis: &'static str,
    /// The limit.
    pub due_at: Instant,
    /// When it was met.
    pub met_at: Option<Instant>,
    /// Past a legal limit without being met in time (never for guidance).
    pub overdue: bool,
    /// Status.
    pub status: DeadlineStatus,
    /// Guidance derived from a legal rule, not a time limit the law sets itself.
    pub guidance: bool,
}

impl Deadline {
    fn new(rule: DeadlineRule, due_at: Instant, met_at: Option<Instant>, now: Instant) -> Self {
        Self::judged(rule, due_at, met_at, now, false)
    }

    /// A deadline that is guidance when `emergency` and the rule's limit does not apply in an
    /// emergency ([`DeadlineRule::emergency_basis`]).
    fn judged(
        rule: DeadlineRule,
        due_at: Instant,
        met_at: Option<Instant>,
        now: Instant,
        emergency: bool,
    ) -> Self {
        let emergency_basis = rule.emergency_basis().filter(|_| emergency);
        let guidance = rule.is_guidance() || emergency_basis.is_some();
        let status = match met_at {
            Some(m) if m <= due_at => DeadlineStatus::Met,
            Some(_) if guidance => DeadlineStatus::PastGuidance,
            Some(_) => DeadlineStatus::MetLate,
            None if now > due_at && guidance => DeadlineStatus::PastGuidance,
            None if now > due_at => DeadlineStatus::Overdue,
            None => DeadlineStatus::Pending,
        };
        Self {
            rule,
            legal_basis: emergency_basis.unwrap_or(rule.legal_basis()),
            due_at,
            met_at,
            overdue: matches!(status, DeadlineStatus::Overdue | DeadlineStatus::MetLate),
            status,
            guidance,
        }
    }
}

/// End of the `n`-th working day after the day of `t`.
pub fn working_days_after(cal: &WorkingCalendar, t: Instant, n: u32) -> Instant {
    end_of_day(cal.add_working_days(local_date(t), n))
}

/// The deadlines that apply to a case now, in order of the steps they govern. Once a case is
/// closed or transferred, closing must not erase a missed duty (issue 15): a deadline that was
/// met stays as it was; one that was not met stays as [`DeadlineStatus::Missed`] when the duty
/// was missed — the emergency limit whenever the child needed emergency protection (Decree 56
/// Art 31 k1–2: the measure was never recorded), any other limit when it had already passed as
/// the case ended. A temporary separation's end stays too, since the separation does not end
/// with the case: pending until its end, then missed if it passed unrevoked. The rest (not yet
/// due when the case ended) can no longer be met and go.
pub fn deadlines(s: &CaseState, cal: &WorkingCalendar, now: Instant) -> Vec<Deadline> {
    deadlines_with(s, cal, &DeadlineSettings::default(), now)
}

/// [`deadlines`] under a province's readings of the law ([`DeadlineSettings`]).
pub fn deadlines_with(
    s: &CaseState,
    cal: &WorkingCalendar,
    settings: &DeadlineSettings,
    now: Instant,
) -> Vec<Deadline> {
    use DeadlineRule as R;
    let open = s.is_open();
    let mut out = Vec::new();
    let twelve_hours = s
        .received_at
        .checked_add_signed(Duration::hours(12))
        .unwrap_or(Instant::MAX_UTC);
    out.push(Deadline::new(
        R::InitialAssessment12h,
        twelve_hours,
        s.initial_assessment_at,
        now,
    ));
    // Art 31 k1 (either trigger) and k2: "không quá 12 giờ từ khi nhận được thông tin".
    if s.emergency_required() {
        out.push(Deadline::new(
            R::Emergency12h,
            twelve_hours,
            s.emergency_at,
            now,
        ));
    }
    // Decree 56 Art 28 k1: "trong thời hạn 05 ngày làm việc, trừ trường hợp khẩn cấp, người làm
    // công tác bảo vệ trẻ em cấp xã xây dựng kế hoạch hỗ trợ, can thiệp trình Chủ tịch Ủy ban
    // nhân dân cấp xã phê duyệt". The duty is met by submitting the plan to the chair, not by
    // drafting it. The article names no start event: the province's reading (`settings`,
    // receipt by default) for the first cycle; for a later cycle (Art 30 k1 c) the chair's
    // agreement to continue that opened it (the review, in histories recorded before that
    // decision could be), or the reading's step if later in the cycle. Not listed until its
    // start is recorded. While a proposal awaits the chair, no limit runs: Art 30 names none for
    // the decision, to continue as to end.
    //
    // "trừ trường hợp khẩn cấp" (also Art 28 k4: "trong thời hạn 02 ngày làm việc trừ trường
    // hợp khẩn cấp") qualifies the time limit, not the duty: when the child needs emergency
    // protection (Art 31 k1) neither limit binds, and both are shown as guidance.
    let emergency = s.emergency_required();
    let in_cycle = |t: Option<Instant>| match s.cycle_started_at {
        Some(c) => Some(t.map_or(c, |t| t.max(c))),
        None => t,
    };
    let plan_start = match settings.plan_clock_start {
        PlanClockStart::Receipt => Some(s.cycle_started_at.unwrap_or(s.received_at)),
        // A later cycle needs no new Mẫu 03: its review (Mẫu 06) reassessed the child; it counts
        // from the cycle's start (the chair's agreement).
        PlanClockStart::DetailedAssessment => in_cycle(s.first_detailed_assessment_at),
        PlanClockStart::NeedsMeeting => s.needs_meeting_at,
    };
    // Stage `received`, `initial_assessed` or `planning` — or was, when the case ended.
    let planning_reachable = s.plan_submitted_at.is_none()
        && s.plan_approved_at.is_none()
        && s.end_proposed_at.is_none();
    if let Some(start) = plan_start
        && (planning_reachable || s.plan_first_submitted_at.is_some())
    {
        out.push(Deadline::judged(
            R::Plan5WorkingDays,
            working_days_after(cal, start, 5),
            s.plan_first_submitted_at,
            now,
            emergency,
        ));
    }
    if let Some(submitted) = s.plan_submitted_at {
        out.push(Deadline::judged(
            R::Approval2WorkingDays,
            working_days_after(cal, submitted, 2),
            s.plan_approved_at,
            now,
            emergency,
        ));
    }
    // Decree 56 Art 32 k3: the separation lapses at the end of its term. The deadline is met by
    // recording its end before then (the revocation: the child returns home or goes to
    // alternative care), or moved by an extension (beyond 15 days in total only on a court's
    // decision, Law on Children Art 52 k3, Circular 14/2020 Art 14 k3 b). Past the end with
    // nothing recorded it is `overdue` while the case is open and `missed` once it has ended,
    // as every legal limit. Each separation keeps its own.
    for sep in s.earlier_separations.iter().chain(&s.separation) {
        out.push(Deadline::new(
            R::Separation15Days,
            sep.ends_at(),
            sep.revoked_at,
            now,
        ));
    }
    if !open {
        let ended_at = s
            .closed
            .map(|(t, _)| t)
            .or(s.transferred.as_ref().map(|(t, _)| *t))
            .unwrap_or(s.last_at);
        // Closed because the report was unfounded or no intervention was needed: no plan was
        // due (Art 28 k1 counts "căn cứ mức độ tổn hại và nhu cầu cần hỗ trợ, can thiệp").
        let no_plan_needed = matches!(
            s.closed,
            Some((
                _,
                CloseReason::Unfounded | CloseReason::NoInterventionNeeded
            ))
        );
        out.retain_mut(|d| {
            if d.met_at.is_some() {
                return true;
            }
            if d.guidance {
                // Not a legal limit: nothing was missed against the law.
                return false;
            }
            let missed = match d.rule {
                R::Emergency12h => true,
                // The separation does not end with the case (Decree 56 Art 32 k3 sets its term,
                // not the case's): its deadline stays, pending until its end, then missed if
                // the end passed unrevoked.
                R::Separation15Days if d.status == DeadlineStatus::Pending => return true,
                R::Separation15Days => true,
                R::Plan5WorkingDays if no_plan_needed => false,
                _ => d.due_at < ended_at,
            };
            if missed {
                d.status = DeadlineStatus::Missed;
                d.overdue = true;
            }
            missed
        });
    }
    out
}
