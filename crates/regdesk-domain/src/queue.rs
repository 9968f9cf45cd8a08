//! Work queues (作品列表): which case states each queue holds, which desk shows
//! which queues, and the lifecycle stage that gives a state its colour.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lifecycle::CaseState;
use crate::staff::{desk_label, desks_for, Desk, PermissionDenied, Role};

/// 作品队列 (the platform's menu: 待提交(含初审退回) … 其他).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    /// 待提交（含退回）
    Drafts,
    /// 待签章
    AwaitingSignature,
    /// 待缴费
    AwaitingPayment,
    /// 待核款
    AwaitingPaymentCheck,
    /// 待初审
    FirstReview,
    /// 待终审
    FinalReview,
    /// 已登记（含已寄出、已领取）
    Registered,
    /// 其他（不予登记、已撤回、已撤销）
    Other,
}

/// 生命周期阶段：one colour per stage everywhere (UI.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 草稿（灰）
    Draft,
    /// 等待申请人（橙）
    WaitingApplicant,
    /// 等待本机构（蓝）
    WaitingOffice,
    /// 已登记（绿）
    Registered,
    /// 不予登记、撤回、撤销（红）
    Closed,
}

impl Queue {
    pub const ALL: [Queue; 8] = [
        Queue::Drafts,
        Queue::AwaitingSignature,
        Queue::AwaitingPayment,
        Queue::AwaitingPaymentCheck,
        Queue::FirstReview,
        Queue::FinalReview,
        Queue::Registered,
        Queue::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Queue::Drafts => "待提交（含退回）",
            Queue::AwaitingSignature => "待签章",
            Queue::AwaitingPayment => "待缴费",
            Queue::AwaitingPaymentCheck => "待核款",
            Queue::FirstReview => "待初审",
            Queue::FinalReview => "待终审",
            Queue::Registered => "已登记",
            Queue::Other => "其他",
        }
    }

    /// The case states this queue lists.
    pub fn states(self) -> Vec<CaseState> {
        CaseState::ALL.into_iter().filter(|s| queue_of(*s) == self).collect()
    }
}

/// The one queue a case in `state` appears in.
pub fn queue_of(state: CaseState) -> Queue {
    match state {
        CaseState::Draft | CaseState::ReturnedForCorrection => Queue::Drafts,
        CaseState::AwaitingSignatures => Queue::AwaitingSignature,
        CaseState::AwaitingPayment => Queue::AwaitingPayment,
        CaseState::AwaitingPaymentCheck => Queue::AwaitingPaymentCheck,
        CaseState::AwaitingFirstReview => Queue::FirstReview,
        CaseState::AwaitingFinalReview | CaseState::RefusalProposed => Queue::FinalReview,
        CaseState::Registered | CaseState::Mailed | CaseState::PickedUp => Queue::Registered,
        CaseState::Refused | CaseState::Withdrawn | CaseState::Revoked => Queue::Other,
    }
}

/// The stage (colour) of a state.
pub fn stage_of(state: CaseState) -> Stage {
    match state {
        CaseState::Draft => Stage::Draft,
        CaseState::ReturnedForCorrection | CaseState::AwaitingSignatures | CaseState::AwaitingPayment => {
            Stage::WaitingApplicant
        }
        CaseState::AwaitingPaymentCheck
        | CaseState::AwaitingFirstReview
        | CaseState::AwaitingFinalReview
        | CaseState::RefusalProposed => Stage::WaitingOffice,
        CaseState::Registered | CaseState::Mailed | CaseState::PickedUp => Stage::Registered,
        CaseState::Refused | CaseState::Withdrawn | CaseState::Revoked => Stage::Closed,
    }
}

/// The queues a desk opens on, in tab order.
pub fn desk_queues(desk: Desk) -> &'static [Queue] {
    match desk {
        Desk::Counter => &[Queue::Drafts, Queue::AwaitingSignature, Queue::AwaitingPayment],
        Desk::Payments => &[Queue::AwaitingPaymentCheck, Queue::AwaitingPayment],
        Desk::FirstReview => &[Queue::FirstReview],
        Desk::FinalReview => &[Queue::FinalReview],
        Desk::Certificates => &[Queue::Registered],
        Desk::Reports => &Queue::ALL,
        Desk::Admin => &[],
    }
}

/// 可处理某队列案件的工作台：the desks of a person holding `roles` that show
/// `queue`, the working desk first (in menu order).
pub fn desks_handling(roles: &[Role], queue: Queue) -> Vec<Desk> {
    desks_for(roles)
        .into_iter()
        .filter(|d| desk_queues(*d).contains(&queue))
        .collect()
}

/// May a person holding `roles` list `queue`? Only through a desk of theirs that shows it.
pub fn may_view_queue(roles: &[Role], queue: Queue) -> Result<(), PermissionDenied> {
    if !desks_handling(roles, queue).is_empty() {
        return Ok(());
    }
    let desks: Vec<&str> = Desk::ALL
        .into_iter()
        .filter(|d| desk_queues(*d).contains(&queue))
        .map(desk_label)
        .collect();
    Err(PermissionDenied {
        action: format!("查看“{}”队列", queue.label()),
        needed: format!("能进入{}的岗位", desks.join("或")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_is_in_exactly_one_queue() {
        let mut seen = Vec::new();
        for q in Queue::ALL {
            seen.extend(q.states());
        }
        seen.sort();
        let mut all = CaseState::ALL.to_vec();
        all.sort();
        assert_eq!(seen, all);
    }

    #[test]
    fn queues_and_stages_by_state() {
        let table = [
            (CaseState::Draft, Queue::Drafts, Stage::Draft),
            (CaseState::ReturnedForCorrection, Queue::Drafts, Stage::WaitingApplicant),
            (
                CaseState::AwaitingSignatures,
                Queue::AwaitingSignature,
                Stage::WaitingApplicant,
            ),
            (
                CaseState::AwaitingPayment,
                Queue::AwaitingPayment,
                Stage::WaitingApplicant,
            ),
            (
                CaseState::AwaitingPaymentCheck,
                Queue::AwaitingPaymentCheck,
                Stage::WaitingOffice,
            ),
            (CaseState::AwaitingFirstReview, Queue::FirstReview, Stage::WaitingOffice),
            (CaseState::AwaitingFinalReview, Queue::FinalReview, Stage::WaitingOffice),
            (CaseState::RefusalProposed, Queue::FinalReview, Stage::WaitingOffice),
            (CaseState::Registered, Queue::Registered, Stage::Registered),
            (CaseState::Mailed, Queue::Registered, Stage::Registered),
            (CaseState::PickedUp, Queue::Registered, Stage::Registered),
            (CaseState::Refused, Queue::Other, Stage::Closed),
            (CaseState::Withdrawn, Queue::Other, Stage::Closed),
            (CaseState::Revoked, Queue::Other, Stage::Closed),
        ];
        assert_eq!(table.len(), CaseState::ALL.len());
        for (s, q, st) in table {
            assert_eq!((queue_of(s), stage_of(s)), (q, st), "{s:?}");
        }
    }

    #[test]
    fn who_may_view_which_queue() {
        let table: &[(Role, &[Queue])] = &[
            (
                Role::CounterClerk,
                &[Queue::Drafts, Queue::AwaitingSignature, Queue::AwaitingPayment],
            ),
            (Role::Finance, &Queue::ALL),
            (Role::FirstReviewer, &[Queue::FirstReview]),
            (Role::FinalReviewer, &[Queue::FinalReview]),
            (Role::CertificateDesk, &[Queue::Registered]),
            (Role::Admin, &[]),
            (Role::Supervisor, &Queue::ALL),
        ];
        for (role, allowed) in table {
            for q in Queue::ALL {
                assert_eq!(
                    may_view_queue(&[*role], q).is_ok(),
                    allowed.contains(&q),
                    "{role:?} {q:?}"
                );
            }
        }
        let e = may_view_queue(&[Role::FirstReviewer], Queue::FinalReview)
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|m| m.contains("终审台")));
    }

    #[test]
    fn desks_handling_a_queue_working_desk_first() {
        let table: &[(&[Role], Queue, &[Desk])] = &[
            (
                &[Role::Finance, Role::CounterClerk],
                Queue::AwaitingPayment,
                &[Desk::Counter, Desk::Payments, Desk::Reports],
            ),
            (
                &[Role::Supervisor, Role::FirstReviewer],
                Queue::FirstReview,
                &[Desk::FirstReview, Desk::Reports],
            ),
            (&[Role::FirstReviewer], Queue::FinalReview, &[]),
            (&[Role::CertificateDesk], Queue::Registered, &[Desk::Certificates]),
            (&[Role::Admin], Queue::Registered, &[]),
            (&[Role::CounterClerk], Queue::Other, &[]),
        ];
        for (roles, queue, desks) in table {
            assert_eq!(desks_handling(roles, *queue), desks.to_vec(), "{roles:?} {queue:?}");
        }
    }
}
