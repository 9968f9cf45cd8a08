//! The case lifecycle (案件状态) as one explicit state machine (docs/DOMAIN.md §5–§9).
//!
//! ```text
//! 草稿 ─提交签章→ 待签章 ─(最后一位签章)→ 待缴费 ─确认在线支付→ 待初审
//!                                        └登记线下付款→ 待核款 ─确认收款→ 待初审
//! 待初审 ─初审通过→ 待终审 ─终审通过→ 已登记 ─→ 已寄出 / 已领取
//!        ├退回补正→ 退回补正 ─提交签章→ 待签章（补正轮，已缴费）─重新提交→ 待初审
//!        └拟不予登记→ 拟不予登记 ─确认不予登记→ 不予登记（应退费）
//! 待终审 / 拟不予登记 ─退回初审→ 待初审
//! 登记前任一未终结状态 ─撤回→ 已撤回；补正逾期 ─逾期视为撤回→ 已撤回
//! 已登记 / 已寄出 / 已领取 ─撤销登记→ 已撤销
//! ```
//!
//! [`decide`] checks a command against the case facts, the actor's roles and the
//! time, and returns the events or a typed [`Refusal`]; [`apply`] folds one event
//! into the facts. Nothing here reads a clock.
//!
//! The registration number: the store allocates it inside the same transaction
//! that stores the approval and puts it into [`CaseCommand::Approve`]; if
//! [`decide`] refuses, the store rolls the transaction back, so no number is
//! consumed without a record.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::signature::{
    all_signed, record_signature, void_if_changed, ContentFingerprint, SignatureMethod, SignatureRecord,
    SignatureRefusal, SignatureVerdict, Signer, SignerRef,
};
use crate::staff::{PermissionDenied, Role};

/// 工作人员标识。
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct StaffId(pub String);

/// 操作人：工作人员及其岗位。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Actor {
    pub staff_id: StaffId,
    pub roles: Vec<Role>,
}

impl Actor {
    /// The staff member's id as stored.
    pub fn id(&self) -> &str {
        &self.staff_id.0
    }

    /// Whether the person holds `role`.
    pub fn holds(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The office's own rules acting, with no person behind them: a deadline
    /// that passed (a correction left past its period is withdrawn whether or
    /// not anyone is signed in). Only commands that need no role accept it.
    pub fn office_rule() -> Actor {
        Actor {
            staff_id: StaffId(String::new()),
            roles: Vec::new(),
        }
    }

    /// Whether this is [`Actor::office_rule`] rather than a person.
    pub fn is_office_rule(&self) -> bool {
        self.staff_id.0.is_empty()
    }
}

/// 案件状态。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 草稿
    #[default]
    Draft,
    /// 待签章
    AwaitingSignatures,
    /// 待缴费
    AwaitingPayment,
    /// 待核款（线下付款）
    AwaitingPaymentCheck,
    /// 待初审
    AwaitingFirstReview,
    /// 待终审
    AwaitingFinalReview,
    /// 拟不予登记（待终审确认）
    RefusalProposed,
    /// 退回补正
    ReturnedForCorrection,
    /// 已登记
    Registered,
    /// 已寄出
    Mailed,
    /// 已领取
    PickedUp,
    /// 不予登记
    Refused,
    /// 已撤回
    Withdrawn,
    /// 已撤销
    Revoked,
}

impl CaseState {
    /// Can the counter still change the filing? While signing is under way a
    /// change voids every signature (see [`CaseState::edit_voids_signatures`]).
    pub fn filing_editable(self) -> bool {
        matches!(
            self,
            CaseState::Draft | CaseState::ReturnedForCorrection | CaseState::AwaitingSignatures
        )
    }

    /// 办结时限在走：the case waits on the office (review), so its working-day clock runs.
    pub fn clock_runs(self) -> bool {
        matches!(
            self,
            CaseState::AwaitingFirstReview | CaseState::AwaitingFinalReview | CaseState::RefusalProposed
        )
    }

    /// Does saving a changed filing in this state void the signatures?
    pub fn edit_voids_signatures(self) -> bool {
        self == CaseState::AwaitingSignatures
    }

    pub const ALL: [CaseState; 14] = [
        CaseState::Draft,
        CaseState::AwaitingSignatures,
        CaseState::AwaitingPayment,
        CaseState::AwaitingPaymentCheck,
        CaseState::AwaitingFirstReview,
        CaseState::AwaitingFinalReview,
        CaseState::RefusalProposed,
        CaseState::ReturnedForCorrection,
        CaseState::Registered,
        CaseState::Mailed,
        CaseState::PickedUp,
        CaseState::Refused,
        CaseState::Withdrawn,
        CaseState::Revoked,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CaseState::Draft => "草稿",
            CaseState::AwaitingSignatures => "待签章",
            CaseState::AwaitingPayment => "待缴费",
            CaseState::AwaitingPaymentCheck => "待核款",
            CaseState::AwaitingFirstReview => "待初审",
            CaseState::AwaitingFinalReview => "待终审",
            CaseState::RefusalProposed => "拟不予登记",
            CaseState::ReturnedForCorrection => "退回补正",
            CaseState::Registered => "已登记",
            CaseState::Mailed => "已寄出",
            CaseState::PickedUp => "已领取",
            CaseState::Refused => "不予登记",
            CaseState::Withdrawn => "已撤回",
            CaseState::Revoked => "已撤销",
        }
    }

    /// Before registration and not finished: the applicant may still withdraw.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CaseState::Draft
                | CaseState::AwaitingSignatures
                | CaseState::AwaitingPayment
                | CaseState::AwaitingPaymentCheck
                | CaseState::AwaitingFirstReview
                | CaseState::AwaitingFinalReview
                | CaseState::RefusalProposed
                | CaseState::ReturnedForCorrection
        )
    }

    /// Registered (the certificate exists).
    pub fn is_registered(self) -> bool {
        matches!(self, CaseState::Registered | CaseState::Mailed | CaseState::PickedUp)
    }

    /// A notice goes to the applicant in this state: the correction notice
    /// (补正通知书) while returned, the refusal notice (不予登记通知书) once refused.
    pub fn has_notice(self) -> bool {
        matches!(self, CaseState::ReturnedForCorrection | CaseState::Refused)
    }

    /// The review desk that decides a case in this state: 初审 while it waits
    /// for first review, 终审 while it waits for final review or a proposed
    /// refusal waits for confirmation; none otherwise.
    pub fn decided_at(self) -> Option<crate::staff::Desk> {
        use crate::staff::Desk;
        match self {
            CaseState::AwaitingFirstReview => Some(Desk::FirstReview),
            CaseState::AwaitingFinalReview | CaseState::RefusalProposed => Some(Desk::FinalReview),
            _ => None,
        }
    }
}

/// 缴费方式。选定后不能更改。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// 在线支付（扫码）：核款人员按平台记录登记，另一位核款人员确认
    Online,
    /// 银行公对公转账
    BankTransfer,
    /// 转账至登记机构支付宝账户
    AlipayTransfer,
}

impl PaymentMethod {
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Online => "在线支付",
            PaymentMethod::BankTransfer => "银行公对公转账",
            PaymentMethod::AlipayTransfer => "支付宝转账",
        }
    }

    /// Offline payments (bank or Alipay transfers). Every payment, online ones included, is
    /// recorded by one finance person and confirmed by another (待核款).
    pub fn is_offline(self) -> bool {
        self != PaymentMethod::Online
    }
}

/// 不予登记的理由（作品自愿登记试行办法第五条）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefusalGround {
    /// 不受著作权法保护的作品
    NotAWork,
    /// 超过著作权保护期
    TermExpired,
    /// 依法禁止出版、传播
    PublicationProhibited,
    /// 著作权归属有争议
    OwnershipDisputed,
}

impl RefusalGround {
    pub fn label(self) -> &'static str {
        match self {
            RefusalGround::NotAWork => "不受著作权法保护的作品",
            RefusalGround::TermExpired => "超过著作权保护期",
            RefusalGround::PublicationProhibited => "依法禁止出版、传播",
            RefusalGround::OwnershipDisputed => "著作权归属有争议",
        }
    }
}

/// 撤销登记的理由（作品自愿登记试行办法第六条）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RevocationGround {
    /// 登记后发现有不予登记的情形
    RefusalGroundFoundLater,
    /// 登记事项与事实不符
    FactsMismatch,
    /// 申请人申请撤销
    ApplicantRequest,
    /// 重复登记
    DuplicateRegistration,
}

impl RevocationGround {
    pub fn label(self) -> &'static str {
        match self {
            RevocationGround::RefusalGroundFoundLater => "登记后发现有不予登记的情形",
            RevocationGround::FactsMismatch => "登记事项与事实不符",
            RevocationGround::ApplicantRequest => "申请人申请撤销",
            RevocationGround::DuplicateRegistration => "重复登记",
        }
    }
}

/// 撤回的原因。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalCause {
    /// 申请人申请撤回
    Request,
    /// 逾期未补正，视为撤回
    CorrectionExpired,
}

impl WithdrawalCause {
    pub fn label(self) -> &'static str {
        match self {
            WithdrawalCause::Request => "申请人撤回",
            WithdrawalCause::CorrectionExpired => "逾期未补正，视为撤回",
        }
    }
}

/// 线下付款记录（待核款）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfflinePayment {
    pub method: PaymentMethod,
    /// 到账金额（分）；一笔转账可能支付多件作品
    pub amount_fen: i64,
    /// 付款人（户名）
    pub payer: String,
    /// 转账流水号或凭证
    pub reference: String,
    /// 付款日期
    pub paid_on: NaiveDate,
    /// 登记人（不能由其本人确认收款）
    pub recorded_by: StaffId,
    pub recorded_at: DateTime<Utc>,
}

/// 补正通知。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Correction {
    /// 补正理由
    pub reasons: Vec<String>,
    /// 补正期限（过期视为撤回）
    pub deadline: DateTime<Utc>,
    pub returned_at: DateTime<Utc>,
}

/// 拟不予登记意见。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RefusalProposal {
    pub ground: RefusalGround,
    pub note: String,
}

/// 撤销登记记录。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Revocation {
    pub ground: RevocationGround,
    pub note: String,
}

/// 案件事实：状态机判断所需的一切。
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct CaseFacts {
    pub state: CaseState,
    /// 签章人名单（提交签章时由填报生成）
    pub signers: Vec<Signer>,
    /// 所签内容的指纹
    pub fingerprint: Option<ContentFingerprint>,
    /// 已有签章（按顺序）
    pub signatures: Vec<SignatureRecord>,
    /// 缴费方式（选定后不可更改）
    pub payment_method: Option<PaymentMethod>,
    /// 待核的付款（线下转账或在线支付；字段名沿用已存储的格式）
    pub offline_payment: Option<OfflinePayment>,
    /// 已确认计入本案的费用（分）；大于 0 即已缴费。只由另一位核款人员的确认写入
    pub paid_fen: i64,
    /// 在线支付平台交易号：earlier versions wrote it when one person confirmed an online payment
    /// alone; kept so that those cases keep their record. Nothing writes it now: an online payment
    /// is a recorded payment like a transfer (its reference is the transfer's).
    pub payment_reference: Option<String>,
    /// 受理时间（首次进入待初审）
    pub accepted_at: Option<DateTime<Utc>>,
    /// 审查时限起算时间（受理或补正后重新提交）
    pub clock_started_at: Option<DateTime<Utc>>,
    /// 做过初审决定的人员（不能终审本案）
    pub first_reviewers: Vec<StaffId>,
    /// 做过终审决定的人员（不能初审本案）
    pub final_reviewers: Vec<StaffId>,
    /// 进行中的补正
    pub correction: Option<Correction>,
    /// 退回补正次数
    pub corrections: u32,
    pub refusal_proposal: Option<RefusalProposal>,
    /// 登记号
    pub registration_number: Option<String>,
    pub registered_at: Option<DateTime<Utc>>,
    /// 应退费用（分）
    pub refund_owed_fen: i64,
    pub withdrawal: Option<WithdrawalCause>,
    pub revocation: Option<Revocation>,
    /// 寄送运单号
    pub tracking_number: Option<String>,
}

impl CaseFacts {
    /// 可登记线下转账：待缴费，且未选定方式或选定的是线下方式。
    pub fn takes_transfer(&self) -> bool {
        self.state == CaseState::AwaitingPayment && self.payment_method.is_none_or(PaymentMethod::is_offline)
    }

    /// 可登记在线支付：待缴费，且未选定方式或选定的是在线支付。
    pub fn takes_online_payment(&self) -> bool {
        self.takes_payment(PaymentMethod::Online)
    }

    /// 可登记这种方式的付款：待缴费，且未选定方式或选定的正是这种方式。
    pub fn takes_payment(&self, method: PaymentMethod) -> bool {
        self.state == CaseState::AwaitingPayment && self.payment_method.is_none_or(|m| m == method)
    }

    /// 待重新提交：a correction round in which everyone has signed again; the
    /// counter resubmits it to first review without a new fee ([`CaseCommand::Resubmit`]).
    pub fn awaits_resubmission(&self) -> bool {
        self.state == CaseState::AwaitingSignatures
            && self.correction.is_some()
            && crate::signature::all_signed(&self.signers, &self.signatures)
    }
}

/// 案件操作。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum CaseCommand {
    /// 提交签章：签章人名单与内容指纹由 `signature::signers` 与 `signature::fingerprint` 从填报算出
    SubmitForSigning {
        signers: Vec<Signer>,
        fingerprint: ContentFingerprint,
    },
    /// 记录一位签章人的签章；`fingerprint` 为当前填报内容的指纹
    RecordSignature {
        signer: SignerRef,
        method: SignatureMethod,
        fingerprint: ContentFingerprint,
    },
    /// 签章后修改填报：全部签章作废；`fingerprint` 为修改后内容的指纹
    VoidSignatures {
        fingerprint: ContentFingerprint,
    },
    ChoosePaymentMethod {
        method: PaymentMethod,
    },
    /// 管理员更改已选定的缴费方式（须说明原因；付款登记前）
    ChangePaymentMethod {
        method: PaymentMethod,
        reason: String,
    },
    /// 核款人员登记付款（线下转账或在线支付），案件进入待核款；`method` 须为本案选定的方式，
    /// `amount_fen` 为登记计入本案的金额
    RecordPayment {
        method: PaymentMethod,
        amount_fen: i64,
        payer: String,
        reference: String,
        paid_on: NaiveDate,
    },
    /// 另一位核款人员确认收款；`credited_fen` 为计入本案的金额（不超过登记的金额）
    ConfirmPayment {
        credited_fen: i64,
    },
    RejectPayment {
        reason: String,
    },
    PassFirstReview,
    /// 退回补正；`deadline` 由调用方按设置（如 30 日）算出
    ReturnForCorrection {
        reasons: Vec<String>,
        deadline: DateTime<Utc>,
    },
    ProposeRefusal {
        ground: RefusalGround,
        note: String,
    },
    /// 补正并重新签章后重新提交（不再缴费，时限重新起算）
    Resubmit,
    /// 终审通过；登记号由存储层在同一事务中分配。`None`：已加入中心服务器的
    /// 工作站，登记号由服务器在接受这条记录的事务中分配，案件先登记为待编号
    Approve {
        registration_number: Option<String>,
    },
    SendBackToFirstReview {
        note: String,
    },
    ConfirmRefusal,
    /// 申请人申请撤回
    Withdraw,
    /// 补正期限届满，视为撤回
    ExpireCorrection,
    Revoke {
        ground: RevocationGround,
        note: String,
    },
    MarkMailed {
        tracking_number: String,
    },
    MarkPickedUp,
}

/// 操作种类（用于权限、提示与测试表）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    SubmitForSigning,
    RecordSignature,
    VoidSignatures,
    ChoosePaymentMethod,
    ChangePaymentMethod,
    RecordPayment,
    ConfirmPayment,
    RejectPayment,
    PassFirstReview,
    ReturnForCorrection,
    ProposeRefusal,
    Resubmit,
    Approve,
    SendBackToFirstReview,
    ConfirmRefusal,
    Withdraw,
    ExpireCorrection,
    Revoke,
    MarkMailed,
    MarkPickedUp,
}

impl CommandKind {
    pub const ALL: [CommandKind; 20] = [
        CommandKind::SubmitForSigning,
        CommandKind::RecordSignature,
        CommandKind::VoidSignatures,
        CommandKind::ChoosePaymentMethod,
        CommandKind::ChangePaymentMethod,
        CommandKind::RecordPayment,
        CommandKind::ConfirmPayment,
        CommandKind::RejectPayment,
        CommandKind::PassFirstReview,
        CommandKind::ReturnForCorrection,
        CommandKind::ProposeRefusal,
        CommandKind::Resubmit,
        CommandKind::Approve,
        CommandKind::SendBackToFirstReview,
        CommandKind::ConfirmRefusal,
        CommandKind::Withdraw,
        CommandKind::ExpireCorrection,
        CommandKind::Revoke,
        CommandKind::MarkMailed,
        CommandKind::MarkPickedUp,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CommandKind::SubmitForSigning => "提交签章",
            CommandKind::RecordSignature => "记录签章",
            CommandKind::VoidSignatures => "作废签章",
            CommandKind::ChoosePaymentMethod => "选择缴费方式",
            CommandKind::ChangePaymentMethod => "更改缴费方式",
            CommandKind::RecordPayment => "登记付款",
            CommandKind::ConfirmPayment => "确认收款",
            CommandKind::RejectPayment => "退回付款",
            CommandKind::PassFirstReview => "初审通过",
            CommandKind::ReturnForCorrection => "退回补正",
            CommandKind::ProposeRefusal => "拟不予登记",
            CommandKind::Resubmit => "重新提交",
            CommandKind::Approve => "终审通过",
            CommandKind::SendBackToFirstReview => "退回初审",
            CommandKind::ConfirmRefusal => "确认不予登记",
            CommandKind::Withdraw => "撤回",
            CommandKind::ExpireCorrection => "逾期视为撤回",
            CommandKind::Revoke => "撤销登记",
            CommandKind::MarkMailed => "标记已寄出",
            CommandKind::MarkPickedUp => "标记已领取",
        }
    }

    /// The roles that may give this command (any one suffices); none for a command
    /// the rules give by themselves ([`Actor::office_rule`]).
    pub fn roles(self) -> &'static [Role] {
        use CommandKind as K;
        match self {
            K::SubmitForSigning | K::RecordSignature | K::VoidSignatures | K::Resubmit => &[Role::CounterClerk],
            // Chosen at the counter, or by finance when it records the applicant's transfer.
            K::ChoosePaymentMethod => &[Role::CounterClerk, Role::Finance],
            K::ChangePaymentMethod => &[Role::Admin],
            K::Withdraw => &[Role::CounterClerk],
            // Every payment, online ones included, is finance's: one person records it, another
            // confirms it (docs/DOMAIN.md §6).
            K::RecordPayment | K::ConfirmPayment | K::RejectPayment => &[Role::Finance],
            K::PassFirstReview | K::ReturnForCorrection | K::ProposeRefusal => &[Role::FirstReviewer],
            K::Approve | K::SendBackToFirstReview | K::ConfirmRefusal => &[Role::FinalReviewer],
            // No person decides it: the deadline does (docs/DOMAIN.md §7.3). Any station
            // records it, on start and every hour, whoever is signed in.
            K::ExpireCorrection => &[],
            K::Revoke => &[Role::Admin],
            K::MarkMailed | K::MarkPickedUp => &[Role::CertificateDesk],
        }
    }
}

impl CaseCommand {
    pub fn kind(&self) -> CommandKind {
        use CaseCommand as C;
        use CommandKind as K;
        match self {
            C::SubmitForSigning { .. } => K::SubmitForSigning,
            C::RecordSignature { .. } => K::RecordSignature,
            C::VoidSignatures { .. } => K::VoidSignatures,
            C::ChoosePaymentMethod { .. } => K::ChoosePaymentMethod,
            C::ChangePaymentMethod { .. } => K::ChangePaymentMethod,
            C::RecordPayment { .. } => K::RecordPayment,
            C::ConfirmPayment { .. } => K::ConfirmPayment,
            C::RejectPayment { .. } => K::RejectPayment,
            C::PassFirstReview => K::PassFirstReview,
            C::ReturnForCorrection { .. } => K::ReturnForCorrection,
            C::ProposeRefusal { .. } => K::ProposeRefusal,
            C::Resubmit => K::Resubmit,
            C::Approve { .. } => K::Approve,
            C::SendBackToFirstReview { .. } => K::SendBackToFirstReview,
            C::ConfirmRefusal => K::ConfirmRefusal,
            C::Withdraw => K::Withdraw,
            C::ExpireCorrection => K::ExpireCorrection,
            C::Revoke { .. } => K::Revoke,
            C::MarkMailed { .. } => K::MarkMailed,
            C::MarkPickedUp => K::MarkPickedUp,
        }
    }
}

/// 案件事件：谁、何时、发生了什么。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseEvent {
    pub at: DateTime<Utc>,
    pub by: StaffId,
    pub kind: CaseEventKind,
}

/// 事件内容。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum CaseEventKind {
    SubmittedForSigning {
        signers: Vec<Signer>,
        fingerprint: ContentFingerprint,
    },
    SignatureRecorded {
        record: SignatureRecord,
    },
    /// 全部签章完成，进入待缴费
    SigningCompleted,
    /// 全部签章作废（内容已修改），回到草稿或退回补正
    SignaturesVoided,
    PaymentMethodChosen {
        method: PaymentMethod,
    },
    /// 管理员更改了缴费方式
    PaymentMethodChanged {
        from: PaymentMethod,
        to: PaymentMethod,
        reason: String,
    },
    /// 付款已登记（线下转账或在线支付），待另一位核款人员确认
    PaymentRecorded {
        payment: OfflinePayment,
    },
    /// 付款已核实；案件受理，进入待初审
    PaymentConfirmed {
        credited_fen: i64,
    },
    PaymentRejected {
        reason: String,
    },
    FirstReviewPassed,
    ReturnedForCorrection {
        reasons: Vec<String>,
        deadline: DateTime<Utc>,
    },
    RefusalProposed {
        ground: RefusalGround,
        note: String,
    },
    /// 补正后重新提交，时限重新起算
    Resubmitted,
    /// `registration_number: None`：待编号（服务器分配后随同步到来）
    Approved {
        registration_number: Option<String>,
    },
    SentBackToFirstReview {
        note: String,
    },
    RefusalConfirmed {
        ground: RefusalGround,
    },
    /// 应退费
    RefundOwed {
        amount_fen: i64,
    },
    Withdrawn {
        cause: WithdrawalCause,
    },
    Revoked {
        ground: RevocationGround,
        note: String,
    },
    Mailed {
        tracking_number: String,
    },
    PickedUp,
}

/// 操作被拒。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Forbidden(PermissionDenied),
    #[error("该作品当前状态为{}，不能执行“{}”", state.label(), command.label())]
    WrongState { state: CaseState, command: CommandKind },
    #[error("您已参与本案{done}，不能再做{wanted}：同一案件的初审与终审须由不同人员完成")]
    FourEyesReview { done: &'static str, wanted: &'static str },
    #[error("这笔付款由您登记，不能由您本人确认收款，请由另一位核款人员确认")]
    FourEyesPayment,
    #[error("计入本案的金额 {} 超过登记的付款 {}：只能确认实际登记并核实的金额", crate::fee::format_yuan(*credited_fen), crate::fee::format_yuan(*recorded_fen))]
    CreditExceedsRecorded { credited_fen: i64, recorded_fen: i64 },
    #[error("{0}")]
    Signature(SignatureRefusal),
    #[error("签章人名单为空，请先填写著作权人")]
    NoSigners,
    #[error("填报内容没有变化，签章仍然有效，无需作废")]
    ContentUnchanged,
    #[error("缴费方式已选定为{}，不能更改", chosen.label())]
    PaymentMethodFixed { chosen: PaymentMethod },
    #[error("请先选择缴费方式")]
    PaymentMethodMissing,
    #[error("缴费方式已是{}，无需更改", chosen.label())]
    PaymentMethodUnchanged { chosen: PaymentMethod },
    #[error("本案尚未选定缴费方式，无需更改：缴费时直接选定即可")]
    PaymentMethodNotChosen,
    #[error("本案已登记付款，不能更改缴费方式；如需更改请先退回该笔付款")]
    PaymentAlreadyRecorded,
    #[error("本案缴费方式为{}，不能登记{}的付款；请按本案选定的缴费方式登记", chosen.label(), given.label())]
    PaymentMethodMismatch {
        chosen: PaymentMethod,
        given: PaymentMethod,
    },
    #[error("{label}应大于 0 元")]
    Amount { label: &'static str },
    #[error("请填写{label}")]
    Required { field: &'static str, label: &'static str },
    #[error("补正期限应晚于现在，请重新设置期限")]
    DeadlineInPast,
    #[error("补正期限至 {} 尚未届满，不能视为撤回", deadline.format("%Y-%m-%d %H:%M UTC"))]
    DeadlineNotPassed { deadline: DateTime<Utc> },
    #[error("本案不在补正中，不能执行“{}”", command.label())]
    NotInCorrection { command: CommandKind },
    #[error("还有当事人未签章，全部签章后才能重新提交")]
    SignaturesIncomplete,
    #[error("初审意见为拟不予登记：请确认不予登记，或退回初审")]
    RefusalIsProposed,
    #[error("初审没有提出不予登记意见，不能确认不予登记")]
    NoRefusalProposed,
}

impl Refusal {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Forbidden(_) => "forbidden",
            Refusal::WrongState { .. } => "wrong_state",
            Refusal::FourEyesReview { .. } => "four_eyes_review",
            Refusal::FourEyesPayment => "four_eyes_payment",
            Refusal::CreditExceedsRecorded { .. } => "credit_exceeds_recorded",
            Refusal::Signature(s) => s.code(),
            Refusal::NoSigners => "no_signers",
            Refusal::ContentUnchanged => "content_unchanged",
            Refusal::PaymentMethodFixed { .. } => "payment_method_fixed",
            Refusal::PaymentMethodMissing => "payment_method_missing",
            Refusal::PaymentMethodUnchanged { .. } => "payment_method_unchanged",
            Refusal::PaymentMethodNotChosen => "payment_method_not_chosen",
            Refusal::PaymentAlreadyRecorded => "payment_already_recorded",
            Refusal::PaymentMethodMismatch { .. } => "payment_method_mismatch",
            Refusal::Amount { .. } => "amount",
            Refusal::Required { .. } => "required",
            Refusal::DeadlineInPast => "deadline_in_past",
            Refusal::DeadlineNotPassed { .. } => "deadline_not_passed",
            Refusal::NotInCorrection { .. } => "not_in_correction",
            Refusal::SignaturesIncomplete => "signatures_incomplete",
            Refusal::RefusalIsProposed => "refusal_proposed",
            Refusal::NoRefusalProposed => "no_refusal_proposed",
        }
    }
}

fn require_roles(actor: &Actor, kind: CommandKind) -> Result<(), Refusal> {
    let needed = kind.roles();
    if needed.is_empty() || actor.roles.iter().any(|r| needed.contains(r)) {
        return Ok(());
    }
    let names: Vec<&str> = needed.iter().map(|r| r.label()).collect();
    Err(Refusal::Forbidden(PermissionDenied {
        action: kind.label().to_string(),
        needed: names.join("或"),
    }))
}

fn required(field: &'static str, label: &'static str, value: &str) -> Result<String, Refusal> {
    let v = value.trim();
    if v.is_empty() {
        Err(Refusal::Required { field, label })
    } else {
        Ok(v.to_string())
    }
}

fn positive(label: &'static str, fen: i64) -> Result<i64, Refusal> {
    if fen > 0 {
        Ok(fen)
    } else {
        Err(Refusal::Amount { label })
    }
}

fn not_first_reviewer(case: &CaseFacts, actor: &Actor) -> Result<(), Refusal> {
    if case.first_reviewers.contains(&actor.staff_id) {
        Err(Refusal::FourEyesReview {
            done: "初审",
            wanted: "终审",
        })
    } else {
        Ok(())
    }
}

fn not_final_reviewer(case: &CaseFacts, actor: &Actor) -> Result<(), Refusal> {
    if case.final_reviewers.contains(&actor.staff_id) {
        Err(Refusal::FourEyesReview {
            done: "终审",
            wanted: "初审",
        })
    } else {
        Ok(())
    }
}

/// Decides a command: the events it produces, or why it is refused. The actor's roles are
/// checked first, then the state, then the command's own rules (four eyes included).
pub fn decide(
    case: &CaseFacts,
    cmd: &CaseCommand,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<CaseEvent>, Refusal> {
    use CaseCommand as C;
    use CaseEventKind as E;
    use CaseState as S;
    let kind = cmd.kind();
    require_roles(actor, kind)?;
    let wrong = || Refusal::WrongState {
        state: case.state,
        command: kind,
    };
    let ev = |k: CaseEventKind| CaseEvent {
        at: now,
        by: actor.staff_id.clone(),
        kind: k,
    };
    let events = match (case.state, cmd) {
        (S::Draft | S::ReturnedForCorrection, C::SubmitForSigning { signers, fingerprint }) => {
            if signers.is_empty() {
                return Err(Refusal::NoSigners);
            }
            vec![ev(E::SubmittedForSigning {
                signers: signers.clone(),
                fingerprint: fingerprint.clone(),
            })]
        }
        (
            S::AwaitingSignatures,
            C::RecordSignature {
                signer,
                method,
                fingerprint,
            },
        ) => {
            if case.fingerprint.as_ref() != Some(fingerprint) {
                return Err(Refusal::Signature(SignatureRefusal::ContentChanged));
            }
            let record = record_signature(
                &case.signers,
                &case.signatures,
                *signer,
                method.clone(),
                now,
                fingerprint,
            )
            .map_err(Refusal::Signature)?;
            let mut all = case.signatures.clone();
            all.push(record.clone());
            let mut out = vec![ev(E::SignatureRecorded { record })];
            // In a correction round the fee is paid already: the clerk resubmits instead.
            if all_signed(&case.signers, &all) && case.paid_fen == 0 {
                out.push(ev(E::SigningCompleted));
            }
            out
        }
        (S::AwaitingSignatures | S::AwaitingPayment, C::VoidSignatures { fingerprint }) => {
            let old = case.fingerprint.clone().unwrap_or(ContentFingerprint(String::new()));
            if void_if_changed(&old, fingerprint) == SignatureVerdict::Keep {
                return Err(Refusal::ContentUnchanged);
            }
            vec![ev(E::SignaturesVoided)]
        }
        (S::AwaitingPayment, C::ChoosePaymentMethod { method }) => {
            if let Some(chosen) = case.payment_method {
                return Err(Refusal::PaymentMethodFixed { chosen });
            }
            vec![ev(E::PaymentMethodChosen { method: *method })]
        }
        (S::AwaitingPayment, C::ChangePaymentMethod { method, reason }) => {
            let Some(chosen) = case.payment_method else {
                return Err(Refusal::PaymentMethodNotChosen);
            };
            if chosen == *method {
                return Err(Refusal::PaymentMethodUnchanged { chosen });
            }
            if case.offline_payment.is_some() || case.paid_fen > 0 {
                return Err(Refusal::PaymentAlreadyRecorded);
            }
            vec![ev(E::PaymentMethodChanged {
                from: chosen,
                to: *method,
                reason: required("reason", "更改缴费方式的原因", reason)?,
            })]
        }
        (
            S::AwaitingPayment,
            C::RecordPayment {
                method,
                amount_fen,
                payer,
                reference,
                paid_on,
            },
        ) => {
            match case.payment_method {
                None => return Err(Refusal::PaymentMethodMissing),
                Some(chosen) if chosen != *method => {
                    return Err(Refusal::PaymentMethodMismatch { chosen, given: *method })
                }
                Some(_) => {}
            }
            let reference_label = if *method == PaymentMethod::Online {
                "平台交易号"
            } else {
                "转账流水号或凭证"
            };
            vec![ev(E::PaymentRecorded {
                payment: OfflinePayment {
                    method: *method,
                    amount_fen: positive("到账金额", *amount_fen)?,
                    payer: required("payer", "付款人", payer)?,
                    reference: required("reference", reference_label, reference)?,
                    paid_on: *paid_on,
                    recorded_by: actor.staff_id.clone(),
                    recorded_at: now,
                },
            })]
        }
        (S::AwaitingPaymentCheck, C::ConfirmPayment { credited_fen }) => {
            if case
                .offline_payment
                .as_ref()
                .is_some_and(|p| p.recorded_by == actor.staff_id)
            {
                return Err(Refusal::FourEyesPayment);
            }
            let credited_fen = positive("计入本案的金额", *credited_fen)?;
            let recorded_fen = case.offline_payment.as_ref().map_or(0, |p| p.amount_fen);
            if credited_fen > recorded_fen {
                return Err(Refusal::CreditExceedsRecorded {
                    credited_fen,
                    recorded_fen,
                });
            }
            vec![ev(E::PaymentConfirmed { credited_fen })]
        }
        (S::AwaitingPaymentCheck, C::RejectPayment { reason }) => {
            vec![ev(E::PaymentRejected {
                reason: required("reason", "退回付款的原因", reason)?,
            })]
        }
        (S::AwaitingFirstReview, C::PassFirstReview) => {
            not_final_reviewer(case, actor)?;
            vec![ev(E::FirstReviewPassed)]
        }
        (S::AwaitingFirstReview, C::ReturnForCorrection { reasons, deadline }) => {
            not_final_reviewer(case, actor)?;
            let reasons: Vec<String> = reasons
                .iter()
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            if reasons.is_empty() {
                return Err(Refusal::Required {
                    field: "reasons",
                    label: "补正理由",
                });
            }
            if *deadline <= now {
                return Err(Refusal::DeadlineInPast);
            }
            vec![ev(E::ReturnedForCorrection {
                reasons,
                deadline: *deadline,
            })]
        }
        (S::AwaitingFirstReview, C::ProposeRefusal { ground, note }) => {
            not_final_reviewer(case, actor)?;
            vec![ev(E::RefusalProposed {
                ground: *ground,
                note: note.trim().to_string(),
            })]
        }
        (S::AwaitingSignatures, C::Resubmit) => {
            if case.correction.is_none() {
                return Err(Refusal::NotInCorrection { command: kind });
            }
            if !all_signed(&case.signers, &case.signatures) {
                return Err(Refusal::SignaturesIncomplete);
            }
            vec![ev(E::Resubmitted)]
        }
        (S::ReturnedForCorrection, C::Resubmit) => return Err(Refusal::SignaturesIncomplete),
        (S::AwaitingFinalReview, C::Approve { registration_number }) => {
            not_first_reviewer(case, actor)?;
            vec![ev(E::Approved {
                registration_number: registration_number
                    .as_deref()
                    .map(|n| required("registration_number", "登记号", n))
                    .transpose()?,
            })]
        }
        (S::RefusalProposed, C::Approve { .. }) => return Err(Refusal::RefusalIsProposed),
        (S::AwaitingFinalReview | S::RefusalProposed, C::SendBackToFirstReview { note }) => {
            not_first_reviewer(case, actor)?;
            vec![ev(E::SentBackToFirstReview {
                note: required("note", "退回初审的意见", note)?,
            })]
        }
        (S::RefusalProposed, C::ConfirmRefusal) => {
            not_first_reviewer(case, actor)?;
            let Some(p) = &case.refusal_proposal else {
                return Err(Refusal::NoRefusalProposed);
            };
            let mut out = vec![ev(E::RefusalConfirmed { ground: p.ground })];
            if case.paid_fen > 0 {
                out.push(ev(E::RefundOwed {
                    amount_fen: case.paid_fen,
                }));
            }
            out
        }
        (S::AwaitingFinalReview, C::ConfirmRefusal) => return Err(Refusal::NoRefusalProposed),
        (state, C::Withdraw) if state.is_open() => vec![ev(E::Withdrawn {
            cause: WithdrawalCause::Request,
        })],
        (S::ReturnedForCorrection | S::AwaitingSignatures, C::ExpireCorrection) => {
            let Some(c) = &case.correction else {
                return Err(Refusal::NotInCorrection { command: kind });
            };
            if now <= c.deadline {
                return Err(Refusal::DeadlineNotPassed { deadline: c.deadline });
            }
            vec![ev(E::Withdrawn {
                cause: WithdrawalCause::CorrectionExpired,
            })]
        }
        (state, C::Revoke { ground, note }) if state.is_registered() => vec![ev(E::Revoked {
            ground: *ground,
            note: note.trim().to_string(),
        })],
        (S::Registered, C::MarkMailed { tracking_number }) => vec![ev(E::Mailed {
            tracking_number: required("tracking_number", "运单号", tracking_number)?,
        })],
        (S::Registered, C::MarkPickedUp) => vec![ev(E::PickedUp)],
        _ => return Err(wrong()),
    };
    Ok(events)
}

/// Folds one event into the facts. Events come from [`decide`]; `apply` does not check them again.
pub fn apply(case: &CaseFacts, event: &CaseEvent) -> CaseFacts {
    use CaseEventKind as E;
    use CaseState as S;
    let mut c = case.clone();
    let at = event.at;
    match &event.kind {
        E::SubmittedForSigning { signers, fingerprint } => {
            c.state = S::AwaitingSignatures;
            c.signers = signers.clone();
            c.fingerprint = Some(fingerprint.clone());
            c.signatures.clear();
        }
        E::SignatureRecorded { record } => c.signatures.push(record.clone()),
        E::SigningCompleted => c.state = S::AwaitingPayment,
        E::SignaturesVoided => {
            c.signatures.clear();
            c.signers.clear();
            c.fingerprint = None;
            c.state = if c.correction.is_some() {
                S::ReturnedForCorrection
            } else {
                S::Draft
            };
        }
        E::PaymentMethodChosen { method } => c.payment_method = Some(*method),
        E::PaymentMethodChanged { to, .. } => c.payment_method = Some(*to),
        E::PaymentRecorded { payment } => {
            c.offline_payment = Some(payment.clone());
            c.state = S::AwaitingPaymentCheck;
        }
        E::PaymentConfirmed { credited_fen } => {
            c.paid_fen = *credited_fen;
            accept(&mut c, at);
        }
        E::PaymentRejected { .. } => {
            c.offline_payment = None;
            c.state = S::AwaitingPayment;
        }
        E::FirstReviewPassed => {
            push_once(&mut c.first_reviewers, &event.by);
            c.state = S::AwaitingFinalReview;
        }
        E::ReturnedForCorrection { reasons, deadline } => {
            push_once(&mut c.first_reviewers, &event.by);
            c.correction = Some(Correction {
                reasons: reasons.clone(),
                deadline: *deadline,
                returned_at: at,
            });
            c.corrections += 1;
            c.state = S::ReturnedForCorrection;
        }
        E::RefusalProposed { ground, note } => {
            push_once(&mut c.first_reviewers, &event.by);
            c.refusal_proposal = Some(RefusalProposal {
                ground: *ground,
                note: note.clone(),
            });
            c.state = S::RefusalProposed;
        }
        E::Resubmitted => {
            c.correction = None;
            c.clock_started_at = Some(at);
            c.state = S::AwaitingFirstReview;
        }
        E::Approved { registration_number } => {
            push_once(&mut c.final_reviewers, &event.by);
            c.registration_number = registration_number.clone();
            c.registered_at = Some(at);
            c.state = S::Registered;
        }
        E::SentBackToFirstReview { .. } => {
            push_once(&mut c.final_reviewers, &event.by);
            c.refusal_proposal = None;
            c.state = S::AwaitingFirstReview;
        }
        E::RefusalConfirmed { .. } => {
            push_once(&mut c.final_reviewers, &event.by);
            c.state = S::Refused;
        }
        E::RefundOwed { amount_fen } => c.refund_owed_fen = *amount_fen,
        E::Withdrawn { cause } => {
            c.withdrawal = Some(*cause);
            c.state = S::Withdrawn;
        }
        E::Revoked { ground, note } => {
            c.revocation = Some(Revocation {
                ground: *ground,
                note: note.clone(),
            });
            c.state = S::Revoked;
        }
        E::Mailed { tracking_number } => {
            c.tracking_number = Some(tracking_number.clone());
            c.state = S::Mailed;
        }
        E::PickedUp => c.state = S::PickedUp,
    }
    c
}

fn accept(c: &mut CaseFacts, at: DateTime<Utc>) {
    if c.accepted_at.is_none() {
        c.accepted_at = Some(at);
    }
    c.clock_started_at = Some(at);
    c.state = CaseState::AwaitingFirstReview;
}

fn push_once(list: &mut Vec<StaffId>, id: &StaffId) {
    if !list.contains(id) {
        list.push(id.clone());
    }
}

/// Decides and applies in one step: the new facts and the events to store.
pub fn execute(
    case: &CaseFacts,
    cmd: &CaseCommand,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(CaseFacts, Vec<CaseEvent>), Refusal> {
    let events = decide(case, cmd, actor, now)?;
    let facts = events.iter().fold(case.clone(), |c, e| apply(&c, e));
    Ok((facts, events))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use CaseState as S;
    use CommandKind as K;

    /// Expected outcome of one (state, command) pair.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Expect {
        To(CaseState),
        No(&'static str),
    }
    use Expect::{No, To};

    /// Every state × every command, with the standard facts of [`fixture`], the standard command
    /// of [`sample`] and an actor holding every role who has not yet touched the case.
    const TABLE: [(CaseState, CommandKind, Expect); 280] = [
        (S::Draft, K::SubmitForSigning, To(S::AwaitingSignatures)),
        (S::Draft, K::RecordSignature, No("wrong_state")),
        (S::Draft, K::VoidSignatures, No("wrong_state")),
        (S::Draft, K::ChoosePaymentMethod, No("wrong_state")),
        (S::Draft, K::ChangePaymentMethod, No("wrong_state")),
        (S::Draft, K::RecordPayment, No("wrong_state")),
        (S::Draft, K::ConfirmPayment, No("wrong_state")),
        (S::Draft, K::RejectPayment, No("wrong_state")),
        (S::Draft, K::PassFirstReview, No("wrong_state")),
        (S::Draft, K::ReturnForCorrection, No("wrong_state")),
        (S::Draft, K::ProposeRefusal, No("wrong_state")),
        (S::Draft, K::Resubmit, No("wrong_state")),
        (S::Draft, K::Approve, No("wrong_state")),
        (S::Draft, K::SendBackToFirstReview, No("wrong_state")),
        (S::Draft, K::ConfirmRefusal, No("wrong_state")),
        (S::Draft, K::Withdraw, To(S::Withdrawn)),
        (S::Draft, K::ExpireCorrection, No("wrong_state")),
        (S::Draft, K::Revoke, No("wrong_state")),
        (S::Draft, K::MarkMailed, No("wrong_state")),
        (S::Draft, K::MarkPickedUp, No("wrong_state")),
        (S::AwaitingSignatures, K::SubmitForSigning, No("wrong_state")),
        (S::AwaitingSignatures, K::RecordSignature, To(S::AwaitingSignatures)),
        (S::AwaitingSignatures, K::VoidSignatures, To(S::Draft)),
        (S::AwaitingSignatures, K::ChoosePaymentMethod, No("wrong_state")),
        (S::AwaitingSignatures, K::ChangePaymentMethod, No("wrong_state")),
        (S::AwaitingSignatures, K::RecordPayment, No("wrong_state")),
        (S::AwaitingSignatures, K::ConfirmPayment, No("wrong_state")),
        (S::AwaitingSignatures, K::RejectPayment, No("wrong_state")),
        (S::AwaitingSignatures, K::PassFirstReview, No("wrong_state")),
        (S::AwaitingSignatures, K::ReturnForCorrection, No("wrong_state")),
        (S::AwaitingSignatures, K::ProposeRefusal, No("wrong_state")),
        (S::AwaitingSignatures, K::Resubmit, No("not_in_correction")),
        (S::AwaitingSignatures, K::Approve, No("wrong_state")),
        (S::AwaitingSignatures, K::SendBackToFirstReview, No("wrong_state")),
        (S::AwaitingSignatures, K::ConfirmRefusal, No("wrong_state")),
        (S::AwaitingSignatures, K::Withdraw, To(S::Withdrawn)),
        (S::AwaitingSignatures, K::ExpireCorrection, No("not_in_correction")),
        (S::AwaitingSignatures, K::Revoke, No("wrong_state")),
        (S::AwaitingSignatures, K::MarkMailed, No("wrong_state")),
        (S::AwaitingSignatures, K::MarkPickedUp, No("wrong_state")),
        (S::AwaitingPayment, K::SubmitForSigning, No("wrong_state")),
        (S::AwaitingPayment, K::RecordSignature, No("wrong_state")),
        (S::AwaitingPayment, K::VoidSignatures, To(S::Draft)),
        (S::AwaitingPayment, K::ChoosePaymentMethod, To(S::AwaitingPayment)),
        (
            S::AwaitingPayment,
            K::ChangePaymentMethod,
            No("payment_method_not_chosen"),
        ),
        (S::AwaitingPayment, K::RecordPayment, No("payment_method_missing")),
        (S::AwaitingPayment, K::ConfirmPayment, No("wrong_state")),
        (S::AwaitingPayment, K::RejectPayment, No("wrong_state")),
        (S::AwaitingPayment, K::PassFirstReview, No("wrong_state")),
        (S::AwaitingPayment, K::ReturnForCorrection, No("wrong_state")),
        (S::AwaitingPayment, K::ProposeRefusal, No("wrong_state")),
        (S::AwaitingPayment, K::Resubmit, No("wrong_state")),
        (S::AwaitingPayment, K::Approve, No("wrong_state")),
        (S::AwaitingPayment, K::SendBackToFirstReview, No("wrong_state")),
        (S::AwaitingPayment, K::ConfirmRefusal, No("wrong_state")),
        (S::AwaitingPayment, K::Withdraw, To(S::Withdrawn)),
        (S::AwaitingPayment, K::ExpireCorrection, No("wrong_state")),
        (S::AwaitingPayment, K::Revoke, No("wrong_state")),
        (S::AwaitingPayment, K::MarkMailed, No("wrong_state")),
        (S::AwaitingPayment, K::MarkPickedUp, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::SubmitForSigning, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::RecordSignature, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::VoidSignatures, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::ChoosePaymentMethod, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::ChangePaymentMethod, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::RecordPayment, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::ConfirmPayment, To(S::AwaitingFirstReview)),
        (S::AwaitingPaymentCheck, K::RejectPayment, To(S::AwaitingPayment)),
        (S::AwaitingPaymentCheck, K::PassFirstReview, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::ReturnForCorrection, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::ProposeRefusal, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::Resubmit, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::Approve, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::SendBackToFirstReview, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::ConfirmRefusal, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::Withdraw, To(S::Withdrawn)),
        (S::AwaitingPaymentCheck, K::ExpireCorrection, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::Revoke, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::MarkMailed, No("wrong_state")),
        (S::AwaitingPaymentCheck, K::MarkPickedUp, No("wrong_state")),
        (S::AwaitingFirstReview, K::SubmitForSigning, No("wrong_state")),
        (S::AwaitingFirstReview, K::RecordSignature, No("wrong_state")),
        (S::AwaitingFirstReview, K::VoidSignatures, No("wrong_state")),
        (S::AwaitingFirstReview, K::ChoosePaymentMethod, No("wrong_state")),
        (S::AwaitingFirstReview, K::ChangePaymentMethod, No("wrong_state")),
        (S::AwaitingFirstReview, K::RecordPayment, No("wrong_state")),
        (S::AwaitingFirstReview, K::ConfirmPayment, No("wrong_state")),
        (S::AwaitingFirstReview, K::RejectPayment, No("wrong_state")),
        (S::AwaitingFirstReview, K::PassFirstReview, To(S::AwaitingFinalReview)),
        (
            S::AwaitingFirstReview,
            K::ReturnForCorrection,
            To(S::ReturnedForCorrection),
        ),
        (S::AwaitingFirstReview, K::ProposeRefusal, To(S::RefusalProposed)),
        (S::AwaitingFirstReview, K::Resubmit, No("wrong_state")),
        (S::AwaitingFirstReview, K::Approve, No("wrong_state")),
        (S::AwaitingFirstReview, K::SendBackToFirstReview, No("wrong_state")),
        (S::AwaitingFirstReview, K::ConfirmRefusal, No("wrong_state")),
        (S::AwaitingFirstReview, K::Withdraw, To(S::Withdrawn)),
        (S::AwaitingFirstReview, K::ExpireCorrection, No("wrong_state")),
        (S::AwaitingFirstReview, K::Revoke, No("wrong_state")),
        (S::AwaitingFirstReview, K::MarkMailed, No("wrong_state")),
        (S::AwaitingFirstReview, K::MarkPickedUp, No("wrong_state")),
        (S::AwaitingFinalReview, K::SubmitForSigning, No("wrong_state")),
        (S::AwaitingFinalReview, K::RecordSignature, No("wrong_state")),
        (S::AwaitingFinalReview, K::VoidSignatures, No("wrong_state")),
        (S::AwaitingFinalReview, K::ChoosePaymentMethod, No("wrong_state")),
        (S::AwaitingFinalReview, K::ChangePaymentMethod, No("wrong_state")),
        (S::AwaitingFinalReview, K::RecordPayment, No("wrong_state")),
        (S::AwaitingFinalReview, K::ConfirmPayment, No("wrong_state")),
        (S::AwaitingFinalReview, K::RejectPayment, No("wrong_state")),
        (S::AwaitingFinalReview, K::PassFirstReview, No("wrong_state")),
        (S::AwaitingFinalReview, K::ReturnForCorrection, No("wrong_state")),
        (S::AwaitingFinalReview, K::ProposeRefusal, No("wrong_state")),
        (S::AwaitingFinalReview, K::Resubmit, No("wrong_state")),
        (S::AwaitingFinalReview, K::Approve, To(S::Registered)),
        (
            S::AwaitingFinalReview,
            K::SendBackToFirstReview,
            To(S::AwaitingFirstReview),
        ),
        (S::AwaitingFinalReview, K::ConfirmRefusal, No("no_refusal_proposed")),
        (S::AwaitingFinalReview, K::Withdraw, To(S::Withdrawn)),
        (S::AwaitingFinalReview, K::ExpireCorrection, No("wrong_state")),
        (S::AwaitingFinalReview, K::Revoke, No("wrong_state")),
        (S::AwaitingFinalReview, K::MarkMailed, No("wrong_state")),
        (S::AwaitingFinalReview, K::MarkPickedUp, No("wrong_state")),
        (S::RefusalProposed, K::SubmitForSigning, No("wrong_state")),
        (S::RefusalProposed, K::RecordSignature, No("wrong_state")),
        (S::RefusalProposed, K::VoidSignatures, No("wrong_state")),
        (S::RefusalProposed, K::ChoosePaymentMethod, No("wrong_state")),
        (S::RefusalProposed, K::ChangePaymentMethod, No("wrong_state")),
        (S::RefusalProposed, K::RecordPayment, No("wrong_state")),
        (S::RefusalProposed, K::ConfirmPayment, No("wrong_state")),
        (S::RefusalProposed, K::RejectPayment, No("wrong_state")),
        (S::RefusalProposed, K::PassFirstReview, No("wrong_state")),
        (S::RefusalProposed, K::ReturnForCorrection, No("wrong_state")),
        (S::RefusalProposed, K::ProposeRefusal, No("wrong_state")),
        (S::RefusalProposed, K::Resubmit, No("wrong_state")),
        (S::RefusalProposed, K::Approve, No("refusal_proposed")),
        (S::RefusalProposed, K::SendBackToFirstReview, To(S::AwaitingFirstReview)),
        (S::RefusalProposed, K::ConfirmRefusal, To(S::Refused)),
        (S::RefusalProposed, K::Withdraw, To(S::Withdrawn)),
        (S::RefusalProposed, K::ExpireCorrection, No("wrong_state")),
        (S::RefusalProposed, K::Revoke, No("wrong_state")),
        (S::RefusalProposed, K::MarkMailed, No("wrong_state")),
        (S::RefusalProposed, K::MarkPickedUp, No("wrong_state")),
        (S::ReturnedForCorrection, K::SubmitForSigning, To(S::AwaitingSignatures)),
        (S::ReturnedForCorrection, K::RecordSignature, No("wrong_state")),
        (S::ReturnedForCorrection, K::VoidSignatures, No("wrong_state")),
        (S::ReturnedForCorrection, K::ChoosePaymentMethod, No("wrong_state")),
        (S::ReturnedForCorrection, K::ChangePaymentMethod, No("wrong_state")),
        (S::ReturnedForCorrection, K::RecordPayment, No("wrong_state")),
        (S::ReturnedForCorrection, K::ConfirmPayment, No("wrong_state")),
        (S::ReturnedForCorrection, K::RejectPayment, No("wrong_state")),
        (S::ReturnedForCorrection, K::PassFirstReview, No("wrong_state")),
        (S::ReturnedForCorrection, K::ReturnForCorrection, No("wrong_state")),
        (S::ReturnedForCorrection, K::ProposeRefusal, No("wrong_state")),
        (S::ReturnedForCorrection, K::Resubmit, No("signatures_incomplete")),
        (S::ReturnedForCorrection, K::Approve, No("wrong_state")),
        (S::ReturnedForCorrection, K::SendBackToFirstReview, No("wrong_state")),
        (S::ReturnedForCorrection, K::ConfirmRefusal, No("wrong_state")),
        (S::ReturnedForCorrection, K::Withdraw, To(S::Withdrawn)),
        (S::ReturnedForCorrection, K::ExpireCorrection, To(S::Withdrawn)),
        (S::ReturnedForCorrection, K::Revoke, No("wrong_state")),
        (S::ReturnedForCorrection, K::MarkMailed, No("wrong_state")),
        (S::ReturnedForCorrection, K::MarkPickedUp, No("wrong_state")),
        (S::Registered, K::SubmitForSigning, No("wrong_state")),
        (S::Registered, K::RecordSignature, No("wrong_state")),
        (S::Registered, K::VoidSignatures, No("wrong_state")),
        (S::Registered, K::ChoosePaymentMethod, No("wrong_state")),
        (S::Registered, K::ChangePaymentMethod, No("wrong_state")),
        (S::Registered, K::RecordPayment, No("wrong_state")),
        (S::Registered, K::ConfirmPayment, No("wrong_state")),
        (S::Registered, K::RejectPayment, No("wrong_state")),
        (S::Registered, K::PassFirstReview, No("wrong_state")),
        (S::Registered, K::ReturnForCorrection, No("wrong_state")),
        (S::Registered, K::ProposeRefusal, No("wrong_state")),
        (S::Registered, K::Resubmit, No("wrong_state")),
        (S::Registered, K::Approve, No("wrong_state")),
        (S::Registered, K::SendBackToFirstReview, No("wrong_state")),
        (S::Registered, K::ConfirmRefusal, No("wrong_state")),
        (S::Registered, K::Withdraw, No("wrong_state")),
        (S::Registered, K::ExpireCorrection, No("wrong_state")),
        (S::Registered, K::Revoke, To(S::Revoked)),
        (S::Registered, K::MarkMailed, To(S::Mailed)),
        (S::Registered, K::MarkPickedUp, To(S::PickedUp)),
        (S::Mailed, K::SubmitForSigning, No("wrong_state")),
        (S::Mailed, K::RecordSignature, No("wrong_state")),
        (S::Mailed, K::VoidSignatures, No("wrong_state")),
        (S::Mailed, K::ChoosePaymentMethod, No("wrong_state")),
        (S::Mailed, K::ChangePaymentMethod, No("wrong_state")),
        (S::Mailed, K::RecordPayment, No("wrong_state")),
        (S::Mailed, K::ConfirmPayment, No("wrong_state")),
        (S::Mailed, K::RejectPayment, No("wrong_state")),
        (S::Mailed, K::PassFirstReview, No("wrong_state")),
        (S::Mailed, K::ReturnForCorrection, No("wrong_state")),
        (S::Mailed, K::ProposeRefusal, No("wrong_state")),
        (S::Mailed, K::Resubmit, No("wrong_state")),
        (S::Mailed, K::Approve, No("wrong_state")),
        (S::Mailed, K::SendBackToFirstReview, No("wrong_state")),
        (S::Mailed, K::ConfirmRefusal, No("wrong_state")),
        (S::Mailed, K::Withdraw, No("wrong_state")),
        (S::Mailed, K::ExpireCorrection, No("wrong_state")),
        (S::Mailed, K::Revoke, To(S::Revoked)),
        (S::Mailed, K::MarkMailed, No("wrong_state")),
        (S::Mailed, K::MarkPickedUp, No("wrong_state")),
        (S::PickedUp, K::SubmitForSigning, No("wrong_state")),
        (S::PickedUp, K::RecordSignature, No("wrong_state")),
        (S::PickedUp, K::VoidSignatures, No("wrong_state")),
        (S::PickedUp, K::ChoosePaymentMethod, No("wrong_state")),
        (S::PickedUp, K::ChangePaymentMethod, No("wrong_state")),
        (S::PickedUp, K::RecordPayment, No("wrong_state")),
        (S::PickedUp, K::ConfirmPayment, No("wrong_state")),
        (S::PickedUp, K::RejectPayment, No("wrong_state")),
        (S::PickedUp, K::PassFirstReview, No("wrong_state")),
        (S::PickedUp, K::ReturnForCorrection, No("wrong_state")),
        (S::PickedUp, K::ProposeRefusal, No("wrong_state")),
        (S::PickedUp, K::Resubmit, No("wrong_state")),
        (S::PickedUp, K::Approve, No("wrong_state")),
        (S::PickedUp, K::SendBackToFirstReview, No("wrong_state")),
        (S::PickedUp, K::ConfirmRefusal, No("wrong_state")),
        (S::PickedUp, K::Withdraw, No("wrong_state")),
        (S::PickedUp, K::ExpireCorrection, No("wrong_state")),
        (S::PickedUp, K::Revoke, To(S::Revoked)),
        (S::PickedUp, K::MarkMailed, No("wrong_state")),
        (S::PickedUp, K::MarkPickedUp, No("wrong_state")),
        (S::Refused, K::SubmitForSigning, No("wrong_state")),
        (S::Refused, K::RecordSignature, No("wrong_state")),
        (S::Refused, K::VoidSignatures, No("wrong_state")),
        (S::Refused, K::ChoosePaymentMethod, No("wrong_state")),
        (S::Refused, K::ChangePaymentMethod, No("wrong_state")),
        (S::Refused, K::RecordPayment, No("wrong_state")),
        (S::Refused, K::ConfirmPayment, No("wrong_state")),
        (S::Refused, K::RejectPayment, No("wrong_state")),
        (S::Refused, K::PassFirstReview, No("wrong_state")),
        (S::Refused, K::ReturnForCorrection, No("wrong_state")),
        (S::Refused, K::ProposeRefusal, No("wrong_state")),
        (S::Refused, K::Resubmit, No("wrong_state")),
        (S::Refused, K::Approve, No("wrong_state")),
        (S::Refused, K::SendBackToFirstReview, No("wrong_state")),
        (S::Refused, K::ConfirmRefusal, No("wrong_state")),
        (S::Refused, K::Withdraw, No("wrong_state")),
        (S::Refused, K::ExpireCorrection, No("wrong_state")),
        (S::Refused, K::Revoke, No("wrong_state")),
        (S::Refused, K::MarkMailed, No("wrong_state")),
        (S::Refused, K::MarkPickedUp, No("wrong_state")),
        (S::Withdrawn, K::SubmitForSigning, No("wrong_state")),
        (S::Withdrawn, K::RecordSignature, No("wrong_state")),
        (S::Withdrawn, K::VoidSignatures, No("wrong_state")),
        (S::Withdrawn, K::ChoosePaymentMethod, No("wrong_state")),
        (S::Withdrawn, K::ChangePaymentMethod, No("wrong_state")),
        (S::Withdrawn, K::RecordPayment, No("wrong_state")),
        (S::Withdrawn, K::ConfirmPayment, No("wrong_state")),
        (S::Withdrawn, K::RejectPayment, No("wrong_state")),
        (S::Withdrawn, K::PassFirstReview, No("wrong_state")),
        (S::Withdrawn, K::ReturnForCorrection, No("wrong_state")),
        (S::Withdrawn, K::ProposeRefusal, No("wrong_state")),
        (S::Withdrawn, K::Resubmit, No("wrong_state")),
        (S::Withdrawn, K::Approve, No("wrong_state")),
        (S::Withdrawn, K::SendBackToFirstReview, No("wrong_state")),
        (S::Withdrawn, K::ConfirmRefusal, No("wrong_state")),
        (S::Withdrawn, K::Withdraw, No("wrong_state")),
        (S::Withdrawn, K::ExpireCorrection, No("wrong_state")),
        (S::Withdrawn, K::Revoke, No("wrong_state")),
        (S::Withdrawn, K::MarkMailed, No("wrong_state")),
        (S::Withdrawn, K::MarkPickedUp, No("wrong_state")),
        (S::Revoked, K::SubmitForSigning, No("wrong_state")),
        (S::Revoked, K::RecordSignature, No("wrong_state")),
        (S::Revoked, K::VoidSignatures, No("wrong_state")),
        (S::Revoked, K::ChoosePaymentMethod, No("wrong_state")),
        (S::Revoked, K::ChangePaymentMethod, No("wrong_state")),
        (S::Revoked, K::RecordPayment, No("wrong_state")),
        (S::Revoked, K::ConfirmPayment, No("wrong_state")),
        (S::Revoked, K::RejectPayment, No("wrong_state")),
        (S::Revoked, K::PassFirstReview, No("wrong_state")),
        (S::Revoked, K::ReturnForCorrection, No("wrong_state")),
        (S::Revoked, K::ProposeRefusal, No("wrong_state")),
        (S::Revoked, K::Resubmit, No("wrong_state")),
        (S::Revoked, K::Approve, No("wrong_state")),
        (S::Revoked, K::SendBackToFirstReview, No("wrong_state")),
        (S::Revoked, K::ConfirmRefusal, No("wrong_state")),
        (S::Revoked, K::Withdraw, No("wrong_state")),
        (S::Revoked, K::ExpireCorrection, No("wrong_state")),
        (S::Revoked, K::Revoke, No("wrong_state")),
        (S::Revoked, K::MarkMailed, No("wrong_state")),
        (S::Revoked, K::MarkPickedUp, No("wrong_state")),
    ];

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap()
    }

    /// The time the table runs at: after the fixture's correction deadline.
    fn table_now() -> DateTime<Utc> {
        t0() + Duration::days(60)
    }

    fn actor(id: &str, roles: &[Role]) -> Actor {
        Actor {
            staff_id: StaffId(id.into()),
            roles: roles.to_vec(),
        }
    }

    fn clerk() -> Actor {
        actor("clerk-1", &[Role::CounterClerk])
    }
    fn finance() -> Actor {
        actor("fin-1", &[Role::Finance])
    }
    /// The finance person who recorded the payments of [`fixture`].
    fn recorder() -> Actor {
        actor("fin-0", &[Role::Finance])
    }
    fn first() -> Actor {
        actor("rev-1", &[Role::FirstReviewer])
    }
    fn final_() -> Actor {
        actor("rev-2", &[Role::FinalReviewer])
    }
    fn desk() -> Actor {
        actor("desk-1", &[Role::CertificateDesk])
    }
    fn admin() -> Actor {
        actor("admin-1", &[Role::Admin])
    }
    fn everyone() -> Actor {
        actor("all-roles", &Role::ALL)
    }

    fn fp(s: &str) -> ContentFingerprint {
        ContentFingerprint(s.into())
    }

    fn two_signers() -> Vec<Signer> {
        ["张三", "李四"]
            .iter()
            .enumerate()
            .map(|(i, n)| Signer {
                party: SignerRef::Owner { index: i },
                name: (*n).into(),
                id_number: format!("33010619900101123{i}"),
                guardian_name: None,
            })
            .collect()
    }

    fn sign(i: usize, content: &str) -> CaseCommand {
        CaseCommand::RecordSignature {
            signer: SignerRef::Owner { index: i },
            method: SignatureMethod::PaperScan {
                scan_ref: format!("sha256:{i}"),
            },
            fingerprint: fp(content),
        }
    }

    /// The standard command of each kind.
    fn sample(kind: CommandKind, now: DateTime<Utc>) -> CaseCommand {
        match kind {
            K::SubmitForSigning => CaseCommand::SubmitForSigning {
                signers: two_signers(),
                fingerprint: fp("fp1"),
            },
            K::RecordSignature => sign(0, "fp1"),
            K::VoidSignatures => CaseCommand::VoidSignatures { fingerprint: fp("fp2") },
            K::ChoosePaymentMethod => CaseCommand::ChoosePaymentMethod {
                method: PaymentMethod::BankTransfer,
            },
            K::ChangePaymentMethod => CaseCommand::ChangePaymentMethod {
                method: PaymentMethod::AlipayTransfer,
                reason: "申请人改用支付宝转账".into(),
            },
            K::RecordPayment => CaseCommand::RecordPayment {
                method: PaymentMethod::BankTransfer,
                amount_fen: 30_000,
                payer: "某某文化有限公司".into(),
                reference: "BANK-42".into(),
                paid_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            },
            K::ConfirmPayment => CaseCommand::ConfirmPayment { credited_fen: 15_000 },
            K::RejectPayment => CaseCommand::RejectPayment {
                reason: "未查到到账记录".into(),
            },
            K::PassFirstReview => CaseCommand::PassFirstReview,
            K::ReturnForCorrection => CaseCommand::ReturnForCorrection {
                reasons: vec!["作品样本不清晰".into()],
                deadline: now + Duration::days(30),
            },
            K::ProposeRefusal => CaseCommand::ProposeRefusal {
                ground: RefusalGround::NotAWork,
                note: "为单纯事实消息".into(),
            },
            K::Resubmit => CaseCommand::Resubmit,
            K::Approve => CaseCommand::Approve {
                registration_number: Some("浙作登字-2026-F-00000001".into()),
            },
            K::SendBackToFirstReview => CaseCommand::SendBackToFirstReview {
                note: "请核对著作权人证件".into(),
            },
            K::ConfirmRefusal => CaseCommand::ConfirmRefusal,
            K::Withdraw => CaseCommand::Withdraw,
            K::ExpireCorrection => CaseCommand::ExpireCorrection,
            K::Revoke => CaseCommand::Revoke {
                ground: RevocationGround::DuplicateRegistration,
                note: "与 2025 年登记重复".into(),
            },
            K::MarkMailed => CaseCommand::MarkMailed {
                tracking_number: "SF1234567890".into(),
            },
            K::MarkPickedUp => CaseCommand::MarkPickedUp,
        }
    }

    /// An online payment as finance records it from the platform's record.
    fn online_payment(reference: &str, amount_fen: i64) -> CaseCommand {
        CaseCommand::RecordPayment {
            method: PaymentMethod::Online,
            amount_fen,
            payer: "张三".into(),
            reference: reference.into(),
            paid_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        }
    }

    fn run(case: &CaseFacts, cmd: CaseCommand, who: &Actor, at: DateTime<Utc>) -> CaseFacts {
        match execute(case, &cmd, who, at) {
            Ok((facts, _)) => facts,
            Err(e) => panic!("{:?} by {} refused: {} ({})", cmd.kind(), who.staff_id.0, e, e.code()),
        }
    }

    /// Standard facts for each state, reached through the real commands by single-role staff.
    fn fixture(state: CaseState) -> CaseFacts {
        let now = t0();
        let draft = CaseFacts::default();
        let signing = run(&draft, sample(K::SubmitForSigning, now), &clerk(), now);
        let signed_once = run(&signing, sign(0, "fp1"), &clerk(), now);
        let payment = run(&signed_once, sign(1, "fp1"), &clerk(), now);
        let with_method = run(&payment, sample(K::ChoosePaymentMethod, now), &clerk(), now);
        let check = run(&with_method, sample(K::RecordPayment, now), &recorder(), now);
        let first_review = run(&check, sample(K::ConfirmPayment, now), &finance(), now);
        let final_review = run(&first_review, CaseCommand::PassFirstReview, &first(), now);
        let proposed = run(&first_review, sample(K::ProposeRefusal, now), &first(), now);
        let returned = run(
            &first_review,
            CaseCommand::ReturnForCorrection {
                reasons: vec!["作品样本不清晰".into()],
                deadline: now + Duration::days(1),
            },
            &first(),
            now,
        );
        let registered = run(&final_review, sample(K::Approve, now), &final_(), now);
        match state {
            S::Draft => draft,
            S::AwaitingSignatures => signing,
            S::AwaitingPayment => payment,
            S::AwaitingPaymentCheck => check,
            S::AwaitingFirstReview => first_review,
            S::AwaitingFinalReview => final_review,
            S::RefusalProposed => proposed,
            S::ReturnedForCorrection => returned,
            S::Registered => registered,
            S::Mailed => run(&registered, sample(K::MarkMailed, now), &desk(), now),
            S::PickedUp => run(&registered, CaseCommand::MarkPickedUp, &desk(), now),
            S::Refused => run(&proposed, CaseCommand::ConfirmRefusal, &final_(), now),
            S::Withdrawn => run(&draft, CaseCommand::Withdraw, &clerk(), now),
            S::Revoked => run(&registered, sample(K::Revoke, now), &admin(), now),
        }
    }

    #[test]
    fn what_the_screens_ask_of_a_state() {
        use crate::staff::Desk;
        for s in CaseState::ALL {
            let f = fixture(s);
            let decided = match s {
                S::AwaitingFirstReview => Some(Desk::FirstReview),
                S::AwaitingFinalReview | S::RefusalProposed => Some(Desk::FinalReview),
                _ => None,
            };
            assert_eq!(s.decided_at(), decided, "{s:?}");
            assert_eq!(
                s.has_notice(),
                matches!(s, S::ReturnedForCorrection | S::Refused),
                "{s:?}"
            );
            // Outside a correction round nothing waits for resubmission, signed or not.
            assert!(!f.awaits_resubmission(), "{s:?}");
        }
    }

    #[test]
    fn fixtures_are_in_their_states() {
        for s in CaseState::ALL {
            assert_eq!(fixture(s).state, s);
        }
    }

    #[test]
    fn the_table_covers_every_state_and_command_once() {
        let mut seen = std::collections::BTreeSet::new();
        for (s, k, _) in TABLE {
            assert!(seen.insert((s, k)), "duplicate row {s:?} {k:?}");
        }
        for s in CaseState::ALL {
            for k in CommandKind::ALL {
                assert!(seen.contains(&(s, k)), "missing row {s:?} {k:?}");
            }
        }
        assert_eq!(seen.len(), CaseState::ALL.len() * CommandKind::ALL.len());
    }

    #[test]
    fn every_state_and_command() {
        let now = table_now();
        for (state, kind, want) in TABLE {
            let case = fixture(state);
            let cmd = sample(kind, now);
            assert_eq!(cmd.kind(), kind);
            let got = match execute(&case, &cmd, &everyone(), now) {
                Ok((facts, events)) => {
                    assert!(!events.is_empty(), "{state:?} {kind:?}: no events");
                    assert!(events.iter().all(|e| e.at == now && e.by == everyone().staff_id));
                    To(facts.state)
                }
                Err(e) => {
                    if e.code() == "wrong_state" {
                        assert_eq!(
                            e.to_string(),
                            format!("该作品当前状态为{}，不能执行“{}”", state.label(), kind.label())
                        );
                    }
                    No(e.code())
                }
            };
            assert_eq!(got, want, "{state:?} × {kind:?}");
        }
    }

    #[test]
    fn which_states_let_the_counter_change_the_filing() {
        for s in CaseState::ALL {
            let editable = matches!(s, S::Draft | S::ReturnedForCorrection | S::AwaitingSignatures);
            assert_eq!(s.filing_editable(), editable, "{s:?}");
            assert_eq!(s.edit_voids_signatures(), s == S::AwaitingSignatures, "{s:?}");
        }
    }

    #[test]
    fn wrong_state_message() {
        let e = decide(
            &fixture(S::AwaitingFirstReview),
            &sample(K::ConfirmPayment, t0()),
            &everyone(),
            t0(),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "该作品当前状态为待初审，不能执行“确认收款”");
    }

    #[test]
    fn roles() {
        let now = table_now();
        let table: [(CommandKind, &[Role]); 20] = [
            (K::SubmitForSigning, &[Role::CounterClerk]),
            (K::RecordSignature, &[Role::CounterClerk]),
            (K::VoidSignatures, &[Role::CounterClerk]),
            (K::ChoosePaymentMethod, &[Role::CounterClerk, Role::Finance]),
            (K::ChangePaymentMethod, &[Role::Admin]),
            (K::RecordPayment, &[Role::Finance]),
            (K::ConfirmPayment, &[Role::Finance]),
            (K::RejectPayment, &[Role::Finance]),
            (K::PassFirstReview, &[Role::FirstReviewer]),
            (K::ReturnForCorrection, &[Role::FirstReviewer]),
            (K::ProposeRefusal, &[Role::FirstReviewer]),
            (K::Resubmit, &[Role::CounterClerk]),
            (K::Approve, &[Role::FinalReviewer]),
            (K::SendBackToFirstReview, &[Role::FinalReviewer]),
            (K::ConfirmRefusal, &[Role::FinalReviewer]),
            (K::Withdraw, &[Role::CounterClerk]),
            (K::ExpireCorrection, &[]),
            (K::Revoke, &[Role::Admin]),
            (K::MarkMailed, &[Role::CertificateDesk]),
            (K::MarkPickedUp, &[Role::CertificateDesk]),
        ];
        for (kind, allowed) in table {
            assert_eq!(kind.roles(), allowed, "{kind:?}");
            for role in Role::ALL {
                // Draft refuses most commands by state; a forbidden role is refused before the state is looked at.
                let r = decide(&fixture(S::Draft), &sample(kind, now), &actor("x", &[role]), now);
                let forbidden = matches!(r, Err(Refusal::Forbidden(_)));
                assert_eq!(
                    forbidden,
                    !allowed.is_empty() && !allowed.contains(&role),
                    "{kind:?} by {role:?}"
                );
            }
            // The office's rules alone may give only what needs no person.
            let r = decide(&fixture(S::Draft), &sample(kind, now), &Actor::office_rule(), now);
            assert_eq!(
                matches!(r, Err(Refusal::Forbidden(_))),
                !allowed.is_empty(),
                "{kind:?} by the office's rules"
            );
        }
        let e = decide(&fixture(S::Registered), &sample(K::Revoke, now), &final_(), now).unwrap_err();
        assert_eq!(e.code(), "forbidden");
        assert_eq!(
            e.to_string(),
            "您没有“撤销登记”的权限，需要岗位：系统管理员。请联系系统管理员分配岗位。"
        );
    }

    #[test]
    fn four_eyes_on_review() {
        let now = table_now();
        let both = actor("rev-1", &[Role::FirstReviewer, Role::FinalReviewer]);
        let other = actor("rev-9", &[Role::FirstReviewer, Role::FinalReviewer]);
        // rev-1 passed the first review of the fixture.
        for kind in [K::Approve, K::SendBackToFirstReview] {
            let e = decide(&fixture(S::AwaitingFinalReview), &sample(kind, now), &both, now).unwrap_err();
            assert_eq!(e.code(), "four_eyes_review", "{kind:?}");
            assert!(decide(&fixture(S::AwaitingFinalReview), &sample(kind, now), &other, now).is_ok());
        }
        for kind in [K::ConfirmRefusal, K::SendBackToFirstReview] {
            let e = decide(&fixture(S::RefusalProposed), &sample(kind, now), &both, now).unwrap_err();
            assert_eq!(e.code(), "four_eyes_review", "{kind:?}");
        }
        assert_eq!(
            decide(&fixture(S::AwaitingFinalReview), &sample(K::Approve, now), &both, now)
                .unwrap_err()
                .to_string(),
            "您已参与本案初审，不能再做终审：同一案件的初审与终审须由不同人员完成"
        );
        // Whoever returned a case for correction took part in its first review too.
        let returned = fixture(S::ReturnedForCorrection);
        assert_eq!(returned.first_reviewers, vec![StaffId("rev-1".into())]);
        // A final reviewer who sent the case back may not do its first review.
        let back = run(
            &fixture(S::AwaitingFinalReview),
            sample(K::SendBackToFirstReview, now),
            &other,
            now,
        );
        assert_eq!(back.state, S::AwaitingFirstReview);
        for kind in [K::PassFirstReview, K::ReturnForCorrection, K::ProposeRefusal] {
            let e = decide(&back, &sample(kind, now), &other, now).unwrap_err();
            assert_eq!(e.code(), "four_eyes_review", "{kind:?}");
        }
        let again = run(&back, CaseCommand::PassFirstReview, &first(), now);
        let e = decide(&again, &sample(K::Approve, now), &first(), now).unwrap_err();
        assert_eq!(e.code(), "forbidden");
        let done = run(&again, sample(K::Approve, now), &other, now);
        assert_eq!(done.state, S::Registered);
        assert_eq!(done.registration_number.as_deref(), Some("浙作登字-2026-F-00000001"));
        // On a station enrolled with the central server the number comes from the server: 待编号.
        let pending = CaseCommand::Approve {
            registration_number: None,
        };
        let waiting = run(&again, pending, &other, now);
        assert_eq!(waiting.state, S::Registered);
        assert_eq!(waiting.registration_number, None);
        assert_eq!(waiting.registered_at, Some(now));
        // An empty number is still refused.
        let blank = CaseCommand::Approve {
            registration_number: Some("  ".into()),
        };
        assert!(decide(&again, &blank, &other, now).is_err());
    }

    #[test]
    fn four_eyes_on_payment() {
        let now = table_now();
        let check = fixture(S::AwaitingPaymentCheck);
        let recorder = actor("fin-0", &[Role::CounterClerk, Role::Finance]);
        let e = decide(&check, &sample(K::ConfirmPayment, now), &recorder, now).unwrap_err();
        assert_eq!(e.code(), "four_eyes_payment");
        // The recorder may still send back a wrong record.
        assert!(decide(&check, &sample(K::RejectPayment, now), &recorder, now).is_ok());
        let ok = run(&check, sample(K::ConfirmPayment, now), &finance(), now);
        assert_eq!((ok.state, ok.paid_fen), (S::AwaitingFirstReview, 15_000));
        assert_eq!(ok.accepted_at, Some(now));
        // A payment recorded by finance is confirmed by another finance person.
        let mut case = fixture(S::AwaitingPayment);
        case = run(&case, sample(K::ChoosePaymentMethod, now), &clerk(), now);
        case = run(&case, sample(K::RecordPayment, now), &finance(), now);
        assert_eq!(
            decide(&case, &sample(K::ConfirmPayment, now), &finance(), now)
                .unwrap_err()
                .code(),
            "four_eyes_payment"
        );
        assert!(decide(
            &case,
            &sample(K::ConfirmPayment, now),
            &actor("fin-2", &[Role::Finance]),
            now
        )
        .is_ok());
    }

    /// Maker-checker on a payment waiting for its check (待核款), for an offline transfer and an
    /// online payment alike: who may give each payment command.
    #[test]
    fn payment_maker_checker_table() {
        #[derive(Debug, Clone, Copy)]
        enum Who {
            /// the finance person who recorded the payment
            Recorder,
            /// another finance person
            OtherFinance,
            /// a counter clerk
            Counter,
        }
        let table: [(PaymentMethod, CommandKind, Who, Expect); 12] = [
            (
                PaymentMethod::BankTransfer,
                K::ConfirmPayment,
                Who::Recorder,
                No("four_eyes_payment"),
            ),
            (
                PaymentMethod::BankTransfer,
                K::ConfirmPayment,
                Who::OtherFinance,
                To(S::AwaitingFirstReview),
            ),
            (
                PaymentMethod::BankTransfer,
                K::ConfirmPayment,
                Who::Counter,
                No("forbidden"),
            ),
            (
                PaymentMethod::BankTransfer,
                K::RejectPayment,
                Who::Recorder,
                To(S::AwaitingPayment),
            ),
            (
                PaymentMethod::BankTransfer,
                K::RejectPayment,
                Who::OtherFinance,
                To(S::AwaitingPayment),
            ),
            (
                PaymentMethod::BankTransfer,
                K::RejectPayment,
                Who::Counter,
                No("forbidden"),
            ),
            (
                PaymentMethod::Online,
                K::ConfirmPayment,
                Who::Recorder,
                No("four_eyes_payment"),
            ),
            (
                PaymentMethod::Online,
                K::ConfirmPayment,
                Who::OtherFinance,
                To(S::AwaitingFirstReview),
            ),
            (PaymentMethod::Online, K::ConfirmPayment, Who::Counter, No("forbidden")),
            (
                PaymentMethod::Online,
                K::RejectPayment,
                Who::Recorder,
                To(S::AwaitingPayment),
            ),
            (
                PaymentMethod::Online,
                K::RejectPayment,
                Who::OtherFinance,
                To(S::AwaitingPayment),
            ),
            (PaymentMethod::Online, K::RejectPayment, Who::Counter, No("forbidden")),
        ];
        let now = t0();
        for (method, kind, who, want) in table {
            let chosen = run(
                &fixture(S::AwaitingPayment),
                CaseCommand::ChoosePaymentMethod { method },
                &clerk(),
                now,
            );
            let recorded = match method {
                PaymentMethod::Online => run(&chosen, online_payment("WX-0001", 15_000), &recorder(), now),
                _ => run(&chosen, sample(K::RecordPayment, now), &recorder(), now),
            };
            let actor = match who {
                Who::Recorder => recorder(),
                Who::OtherFinance => finance(),
                Who::Counter => clerk(),
            };
            let got = match execute(&recorded, &sample(kind, now), &actor, now) {
                Ok((facts, _)) => To(facts.state),
                Err(e) => No(e.code()),
            };
            assert_eq!(got, want, "{method:?} {kind:?} by {who:?}");
        }
    }

    #[test]
    fn an_online_payment_is_recorded_by_finance_and_confirmed_by_another() {
        let now = t0();
        let online = run(
            &fixture(S::AwaitingPayment),
            CaseCommand::ChoosePaymentMethod {
                method: PaymentMethod::Online,
            },
            &clerk(),
            now,
        );
        // The counter no longer marks a case paid online.
        let e = decide(&online, &online_payment("WX-0001", 15_000), &clerk(), now).unwrap_err();
        assert_eq!(e.code(), "forbidden");
        assert_eq!(
            e.to_string(),
            "您没有“登记付款”的权限，需要岗位：缴费核对。请联系系统管理员分配岗位。"
        );
        let recorded = run(&online, online_payment("WX-0001", 15_000), &recorder(), now);
        assert_eq!((recorded.state, recorded.paid_fen), (S::AwaitingPaymentCheck, 0));
        let payment = recorded.offline_payment.clone().unwrap();
        assert_eq!(
            (
                payment.method,
                payment.reference.as_str(),
                payment.recorded_by.0.as_str()
            ),
            (PaymentMethod::Online, "WX-0001", "fin-0")
        );
        let e = decide(&recorded, &sample(K::ConfirmPayment, now), &recorder(), now).unwrap_err();
        assert_eq!(
            e.to_string(),
            "这笔付款由您登记，不能由您本人确认收款，请由另一位核款人员确认"
        );
        // Only what was recorded can be confirmed, and so later refunded.
        let e = decide(
            &recorded,
            &CaseCommand::ConfirmPayment { credited_fen: 15_001 },
            &finance(),
            now,
        )
        .unwrap_err();
        assert_eq!(e.code(), "credit_exceeds_recorded");
        assert_eq!(
            e.to_string(),
            "计入本案的金额 ¥150.01 超过登记的付款 ¥150.00：只能确认实际登记并核实的金额"
        );
        let paid = run(&recorded, sample(K::ConfirmPayment, now), &finance(), now);
        assert_eq!((paid.state, paid.paid_fen), (S::AwaitingFirstReview, 15_000));
        assert_eq!(paid.accepted_at, Some(now));
        let proposed = run(&paid, sample(K::ProposeRefusal, now), &first(), now);
        let refused = run(&proposed, CaseCommand::ConfirmRefusal, &final_(), now);
        assert_eq!((refused.state, refused.refund_owed_fen), (S::Refused, 15_000));
    }

    #[test]
    fn signing_in_order_then_payment() {
        let now = t0();
        let case = fixture(S::AwaitingSignatures);
        let e = decide(&case, &sign(1, "fp1"), &clerk(), now).unwrap_err();
        assert_eq!(e.code(), "out_of_order");
        let e = decide(&case, &sign(0, "fp-other"), &clerk(), now).unwrap_err();
        assert_eq!(e.code(), "content_changed");
        let once = run(&case, sign(0, "fp1"), &clerk(), now);
        assert_eq!(once.state, S::AwaitingSignatures);
        let (done, events) = execute(&once, &sign(1, "fp1"), &clerk(), now).unwrap();
        assert_eq!(done.state, S::AwaitingPayment);
        assert!(matches!(
            events.last().map(|e| &e.kind),
            Some(CaseEventKind::SigningCompleted)
        ));
        assert_eq!(
            decide(
                &done,
                &CaseCommand::VoidSignatures { fingerprint: fp("fp1") },
                &clerk(),
                now
            )
            .unwrap_err()
            .code(),
            "content_unchanged"
        );
        let e = decide(
            &fixture(S::Draft),
            &CaseCommand::SubmitForSigning {
                signers: vec![],
                fingerprint: fp("x"),
            },
            &clerk(),
            now,
        )
        .unwrap_err();
        assert_eq!(e.code(), "no_signers");
    }

    #[test]
    fn which_payment_a_case_takes() {
        let now = t0();
        let open = fixture(S::AwaitingPayment);
        assert!(open.takes_transfer() && open.takes_online_payment());
        let bank = run(&open, sample(K::ChoosePaymentMethod, now), &clerk(), now);
        assert!(bank.takes_transfer() && !bank.takes_online_payment());
        let online = run(
            &open,
            CaseCommand::ChoosePaymentMethod {
                method: PaymentMethod::Online,
            },
            &clerk(),
            now,
        );
        assert!(!online.takes_transfer() && online.takes_online_payment());
        let checking = fixture(S::AwaitingPaymentCheck);
        assert!(!checking.takes_transfer() && !checking.takes_online_payment());
    }

    #[test]
    fn only_an_admin_changes_a_chosen_method_with_a_reason_before_any_payment() {
        let now = t0();
        let chosen = run(
            &fixture(S::AwaitingPayment),
            sample(K::ChoosePaymentMethod, now),
            &clerk(),
            now,
        );
        let change = |method, reason: &str| CaseCommand::ChangePaymentMethod {
            method,
            reason: reason.into(),
        };
        assert_eq!(
            decide(&chosen, &change(PaymentMethod::Online, "改为扫码支付"), &clerk(), now)
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert_eq!(
            decide(&chosen, &change(PaymentMethod::Online, "  "), &admin(), now)
                .unwrap_err()
                .code(),
            "required"
        );
        let same = decide(&chosen, &change(PaymentMethod::BankTransfer, "误选"), &admin(), now).unwrap_err();
        assert_eq!(same.to_string(), "缴费方式已是银行公对公转账，无需更改");
        let changed = run(
            &chosen,
            change(PaymentMethod::Online, "申请人改为扫码支付"),
            &admin(),
            now,
        );
        assert_eq!(changed.payment_method, Some(PaymentMethod::Online));
        // Once a transfer is recorded, the method stays.
        let recorded = run(&chosen, sample(K::RecordPayment, now), &finance(), now);
        assert_eq!(recorded.state, S::AwaitingPaymentCheck);
        let rejected = run(&recorded, sample(K::RejectPayment, now), &finance(), now);
        assert_eq!(
            (rejected.state, rejected.offline_payment.clone()),
            (S::AwaitingPayment, None)
        );
        assert!(decide(
            &rejected,
            &change(PaymentMethod::AlipayTransfer, "改用支付宝"),
            &admin(),
            now
        )
        .is_ok());
    }

    #[test]
    fn payment_method_is_fixed_and_must_match() {
        let now = t0();
        let case = fixture(S::AwaitingPayment);
        let online = run(
            &case,
            CaseCommand::ChoosePaymentMethod {
                method: PaymentMethod::Online,
            },
            &clerk(),
            now,
        );
        let e = decide(&online, &sample(K::ChoosePaymentMethod, now), &clerk(), now).unwrap_err();
        assert_eq!(e.code(), "payment_method_fixed");
        assert_eq!(e.to_string(), "缴费方式已选定为在线支付，不能更改");
        let e = decide(&online, &sample(K::RecordPayment, now), &finance(), now).unwrap_err();
        assert_eq!(e.code(), "payment_method_mismatch");
        assert_eq!(
            e.to_string(),
            "本案缴费方式为在线支付，不能登记银行公对公转账的付款；请按本案选定的缴费方式登记"
        );
        let recorded = run(&online, online_payment("WX-0001", 15_000), &finance(), now);
        assert_eq!(recorded.state, S::AwaitingPaymentCheck);
        let paid = run(
            &recorded,
            sample(K::ConfirmPayment, now),
            &actor("fin-2", &[Role::Finance]),
            now,
        );
        assert_eq!((paid.state, paid.paid_fen), (S::AwaitingFirstReview, 15_000));
        let bank = fixture(S::AwaitingPaymentCheck);
        let rejected = run(&bank, sample(K::RejectPayment, now), &finance(), now);
        assert_eq!(rejected.state, S::AwaitingPayment);
        assert_eq!(rejected.payment_method, Some(PaymentMethod::BankTransfer));
        assert_eq!(
            decide(&rejected, &online_payment("WX-0001", 15_000), &finance(), now)
                .unwrap_err()
                .code(),
            "payment_method_mismatch"
        );
        // Editing after signing keeps the chosen method.
        let edited = run(
            &fixture(S::AwaitingPayment),
            sample(K::ChoosePaymentMethod, now),
            &clerk(),
            now,
        );
        let edited = run(&edited, sample(K::VoidSignatures, now), &clerk(), now);
        assert_eq!(
            (edited.state, edited.payment_method),
            (S::Draft, Some(PaymentMethod::BankTransfer))
        );
        assert!(edited.signatures.is_empty() && edited.signers.is_empty());
        let bad = [online_payment("WX", 0), online_payment(" ", 15_000)];
        let refusals: Vec<(&str, String)> = bad
            .iter()
            .map(|c| {
                let e = decide(&online, c, &finance(), now).unwrap_err();
                (e.code(), e.to_string())
            })
            .collect();
        assert_eq!(
            refusals,
            vec![
                ("amount", "到账金额应大于 0 元".to_string()),
                ("required", "请填写平台交易号".to_string())
            ]
        );
    }

    #[test]
    fn correction_round_needs_no_new_payment_and_restarts_the_clock() {
        let t1 = t0() + Duration::hours(1);
        let returned = fixture(S::ReturnedForCorrection);
        let accepted = returned.accepted_at;
        assert_eq!(returned.corrections, 1);
        let signing = run(
            &returned,
            CaseCommand::SubmitForSigning {
                signers: two_signers(),
                fingerprint: fp("fp3"),
            },
            &clerk(),
            t1,
        );
        assert_eq!(signing.state, S::AwaitingSignatures);
        assert!(signing.signatures.is_empty());
        assert_eq!(
            decide(&signing, &CaseCommand::Resubmit, &clerk(), t1)
                .unwrap_err()
                .code(),
            "signatures_incomplete"
        );
        // The deadline has not passed yet.
        assert_eq!(
            decide(&signing, &CaseCommand::ExpireCorrection, &clerk(), t1)
                .unwrap_err()
                .code(),
            "deadline_not_passed"
        );
        let signed = run(
            &run(&signing, sign(0, "fp3"), &clerk(), t1),
            sign(1, "fp3"),
            &clerk(),
            t1,
        );
        assert_eq!(signed.state, S::AwaitingSignatures, "paid already: no payment step");
        assert!(!signing.awaits_resubmission(), "not everyone signed yet");
        assert!(signed.awaits_resubmission());
        let t2 = t1 + Duration::hours(2);
        let back = run(&signed, CaseCommand::Resubmit, &clerk(), t2);
        assert_eq!(back.state, S::AwaitingFirstReview);
        assert_eq!(back.clock_started_at, Some(t2));
        assert_eq!(back.accepted_at, accepted);
        assert_eq!(back.correction, None);
        assert_eq!(back.paid_fen, 15_000);
        // Voiding during a correction goes back to the correction, not to a draft.
        let voided = run(
            &signing,
            CaseCommand::VoidSignatures { fingerprint: fp("fp4") },
            &clerk(),
            t1,
        );
        assert_eq!(voided.state, S::ReturnedForCorrection);
    }

    #[test]
    fn correction_deadline_and_reasons() {
        let now = t0();
        let case = fixture(S::AwaitingFirstReview);
        let cases = [
            (vec![" ".to_string()], now + Duration::days(30), "required"),
            (vec!["样本不清晰".to_string()], now, "deadline_in_past"),
        ];
        for (reasons, deadline, code) in cases {
            let cmd = CaseCommand::ReturnForCorrection { reasons, deadline };
            assert_eq!(decide(&case, &cmd, &first(), now).unwrap_err().code(), code);
        }
        let returned = fixture(S::ReturnedForCorrection);
        let deadline = returned.correction.as_ref().map(|c| c.deadline).unwrap();
        let e = decide(&returned, &CaseCommand::ExpireCorrection, &admin(), deadline).unwrap_err();
        assert_eq!(e.code(), "deadline_not_passed");
        let gone = run(
            &returned,
            CaseCommand::ExpireCorrection,
            &Actor::office_rule(),
            deadline + Duration::seconds(1),
        );
        assert_eq!(
            (gone.state, gone.withdrawal),
            (S::Withdrawn, Some(WithdrawalCause::CorrectionExpired))
        );
    }

    #[test]
    fn refusal_owes_a_refund() {
        let now = t0();
        let (facts, events) = execute(
            &fixture(S::RefusalProposed),
            &CaseCommand::ConfirmRefusal,
            &final_(),
            now,
        )
        .unwrap();
        assert_eq!(facts.state, S::Refused);
        assert_eq!(facts.refund_owed_fen, 15_000);
        assert!(events
            .iter()
            .any(|e| e.kind == CaseEventKind::RefundOwed { amount_fen: 15_000 }));
        let sent_back = run(
            &fixture(S::RefusalProposed),
            sample(K::SendBackToFirstReview, now),
            &final_(),
            now,
        );
        assert_eq!(sent_back.refusal_proposal, None);
        let e = decide(
            &fixture(S::AwaitingFinalReview),
            &CaseCommand::SendBackToFirstReview { note: " ".into() },
            &final_(),
            now,
        )
        .unwrap_err();
        assert_eq!(e.code(), "required");
        assert_eq!(e.to_string(), "请填写退回初审的意见");
    }
}
