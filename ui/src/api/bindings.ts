// Generated from the Rust types by regdesk-store (bindings.rs). Do not edit by hand:
// run `bash .ci/bindings` after changing a type that crosses to the UI.

export type Role = "counter_clerk" | "finance" | "first_reviewer" | "final_reviewer" | "certificate_desk" | "admin" | "supervisor";

export type Desk = "counter" | "payments" | "first_review" | "final_review" | "certificates" | "reports" | "admin";

export type FilePurpose = "sample" | "identity_proof" | "signed_form" | "receipt" | "loss_statement" | "power_of_attorney";

export type FieldError = { 
/**
 * The form field, in the transport's camel-less snake_case (`office_code`).
 */
field: string, 
/**
 * Stable machine code (`too_short`, `checksum`, ...).
 */
code: string, 
/**
 * Plain Chinese naming the field and the fix.
 */
message: string, };

export type OfficeInput = { 
/**
 * 机构名称，如 浙江省版权局
 */
name: string, 
/**
 * 机构代码（用于流水号），2–8 位大写字母或数字，如 ZJ
 */
office_code: string, 
/**
 * 登记号前缀，如 浙作登字
 */
reg_prefix: string, 
/**
 * 所在省份的两位代码，如 33
 */
province_code: string, };

export type Office = { name: string, office_code: string, reg_prefix: string, province_code: string, province_name: string, };

export type ProvinceOption = { code: string, name: string, };

export type RoleOption = { role: Role, label: string, };

export type DeskOption = { desk: Desk, label: string, };

export type SessionView = { staff_id: string, username: string, display_name: string, roles: Array<Role>, 
/**
 * The desks this person opens, in menu order.
 */
desks: Array<DeskOption>, locked: boolean, must_change_password: boolean, 
/**
 * May change an applicant's category (用户类别) after checking credentials.
 */
may_change_applicant_category: boolean, 
/**
 * The purposes this person may attach files for (`staff::attachable`); screens offer only these.
 */
attachable: Array<FilePurpose>, };

export type AppStatus = { setup_done: boolean, office: Office | null, station_id: string, station_name: string, 
/**
 * The office of the tree this station belongs to, when it is enrolled
 * for a subordinate office (杭州市版权局): the top bar names it instead
 * of the top office.
 */
station_office_name: string | null, session: SessionView | null, idle_lock_minutes: number, 
/**
 * Journal entries not yet shipped to the central server.
 */
pending_sync: number, provinces: Array<ProvinceOption>, role_options: Array<RoleOption>, password_min_chars: number, 
/**
 * The office's time zone (hours east of UTC): dates typed and shown at
 * the desk (today's date in a form) are the office's, not the machine's.
 */
office_utc_offset_hours: number, };

export type NewStaffInput = { username: string, display_name: string, roles: Array<Role>, password: string, };

export type SetupInput = { office: OfficeInput, station_name: string, admin: NewStaffInput, };

export type LoginInput = { username: string, password: string, };

export type UnlockInput = { password: string, };

export type ChangePasswordInput = { old_password: string, new_password: string, };

export type StaffView = { id: string, username: string, display_name: string, roles: Array<Role>, disabled: boolean, locked_until: string | null, must_change_password: boolean, version: number, created_at: string, updated_at: string, };

export type UpdateStaffInput = { id: string, version: number, display_name: string, roles: Array<Role>, };

export type SetDisabledInput = { id: string, version: number, disabled: boolean, };

export type ResetPasswordInput = { id: string, version: number, new_password: string, };

export type SettingsView = { version: number, idle_lock_minutes: number, 
/**
 * 办结时限（受理后工作日数）
 */
review_working_days: number, 
/**
 * 补正通知期限（自然日）
 */
correction_notice_days: number, 
/**
 * 补正期限（自然日）
 */
correction_period_days: number, 
/**
 * 每件作品登记费（分）
 */
fee_per_work_fen: number, 
/**
 * 一人一表：同一申请人一并提交的作品可每位签章人一张签章表（`set_batch_signing_form`）
 */
batch_signing_form: boolean, 
/**
 * 登记号租用：每次租给终审工作站的号码数（`set_number_leases`）
 */
number_lease_size: number, 
/**
 * 登记号租用：未用号码剩几个时续租
 */
number_refill_at: number, };

export type UpdateSettingsInput = { version: number, idle_lock_minutes: number, review_working_days: number, correction_notice_days: number, correction_period_days: number, fee_per_work_fen: number, };

export type NumberLeaseSettingsInput = { 
/**
 * The settings' version as read.
 */
version: number, lease_size: number, refill_at: number, };

export type AuditReport = { 
/**
 * Entries checked.
 */
entries: number, ok: boolean, 
/**
 * The sequence number of the first broken entry (or of the first deleted one at the end).
 */
first_broken: number | null, message: string, 
/**
 * Rows of the audited tables compared with their recorded digests.
 */
rows_checked: number, 
/**
 * What differs, the first [`MAX_PROBLEMS`] of them.
 */
problems: Array<AuditProblem>, 
/**
 * How many problems there are in all.
 */
problems_total: number, 
/**
 * The entry the signed head outside the database names, when it checked out.
 */
anchored_seq: number | null, 
/**
 * On an enrolled station, how the chain stood against the heads the
 * office's server recorded (compared, or why it could not be asked);
 * `None` on a station that works alone.
 */
server: ServerComparison | null, };

export type ServerComparison = { 
/**
 * The server answered and its recorded heads were compared.
 */
compared: boolean, 
/**
 * How many recorded heads were compared.
 */
heads: number, 
/**
 * What the comparison found or why it could not be made, in words.
 */
message: string, };

export type AuditProblem = { kind: AuditProblemKind, 
/**
 * The table (SQL name) of a row problem.
 */
table: string | null, 
/**
 * The row: a case's serial, a person's login name, else its key.
 */
record: string | null, 
/**
 * The columns that differ, when they can be named.
 */
columns: Array<string>, 
/**
 * The entry concerned (chain, tail and anchor problems).
 */
seq: number | null, message: string, };

export type AuditProblemKind = "chain" | "tail_deleted" | "anchor" | "row_changed" | "row_added" | "row_missing" | "count_differs";

export type AuditHead = { seq: number, 
/**
 * The first 16 hex digits of its entry hash.
 */
hash_prefix: string, };

export type ResetAnchorInput = { reason: string, };

export type AuditEntryView = { seq: number, at: string, staff_name: string | null, command: string, entity: string, entity_id: string, };

export type RecentAuditInput = { limit: number, };

export type ErrorKind = "validation" | "conflict" | "permission" | "auth" | "not_signed_in" | "session_locked" | "not_found" | "refused" | "storage" | "damaged";

export type ApiError = { kind: ErrorKind, 
/**
 * Plain Chinese, ready to show.
 */
message: string, 
/**
 * Per-field problems (validation only), shown under each field.
 */
fields: Array<FieldError>, };

export type Queue = "drafts" | "awaiting_signature" | "awaiting_payment" | "awaiting_payment_check" | "first_review" | "final_review" | "registered" | "other";

export type Stage = "draft" | "waiting_applicant" | "waiting_office" | "registered" | "closed";

export type CaseState = "draft" | "awaiting_signatures" | "awaiting_payment" | "awaiting_payment_check" | "awaiting_first_review" | "awaiting_final_review" | "refusal_proposed" | "returned_for_correction" | "registered" | "mailed" | "picked_up" | "refused" | "withdrawn" | "revoked";

export type DeadlineLevel = "normal" | "soon" | "overdue";

export type QueueCount = { queue: Queue, label: string, count: number, 
/**
 * 已超过办结期限的案件数（审查中）
 */
overdue: number, };

export type DeskOverview = { desk: Desk, label: string, queues: Array<QueueCount>, };

export type CaseRow = { id: string, serial: string, title: string, category_label: string, state: CaseState, state_label: string, stage: Stage, applicant_name: string, created_at: string, 
/**
 * 受理日期（办结时限起算日）
 */
accepted_on: string | null, due_on: string | null, 
/**
 * 剩余工作日（审查中的案件）：0 为最后一天，负数为已超期
 */
days_left: number | null, 
/**
 * 期限状态（正常、临近、已逾期），与剩余工作日一起给出
 */
deadline_level: DeadlineLevel | null, 
/**
 * 已受理但办结期限所在年度的工作日历尚未载入
 */
due_pending: boolean, 
/**
 * 登记号（已登记、已撤销）
 */
registration_number: string | null, };

export type CasePage = { rows: Array<CaseRow>, 
/**
 * 队列中的案件数；搜索时只数到 [`SEARCH_COUNT_CAP`] 为止（见 `more`）
 */
total: number, page: number, page_size: number, 
/**
 * 搜索到的案件多于 `total`（不再往下数，只列出最近录入或修改的 `total` 件）
 */
more: boolean, 
/**
 * 下一页的翻页位置（交回 `QueueInput.cursor`）；没有下一页时为空
 */
next: string | null, 
/**
 * 上一页的翻页位置（交回 `QueueInput.cursor`）；第一页时为空
 */
previous: string | null, };

export type QueueInput = { queue: Queue, 
/**
 * From 1.
 */
page: number, page_size: number, 
/**
 * 流水号、登记号、作品名称、姓名或证件号
 */
search?: string, 
/**
 * 不指定时：办结期限最早的在前，再按填报时间
 */
sort?: QueueSort, 
/**
 * 只看某一机构（机构代码）的案件；不指定时为全部
 */
office?: string, 
/**
 * 翻页位置：上一次结果的 `next` 或 `previous`，原样交回（给出时不看 `page`）。
 * 队列、机构、搜索、排序和每页条数须与那一次相同。
 */
cursor?: string, };

export type QueueSort = { key: QueueSortKey, descending: boolean, };

export type QueueSortKey = "serial" | "title" | "applicant" | "created" | "due";

export type DeskInput = { desk: Desk, };

export type CaseSearchInput = { 
/**
 * 流水号、登记号、作品名称、姓名或证件号
 */
text: string, 
/**
 * 最多返回几条（默认 10，至多 50）
 */
limit?: number, };

export type CaseHit = { case: CaseRow, queue: Queue, queue_label: string, desks: Array<Desk>, 
/**
 * The case was accepted (payment confirmed, clock started) and the
 * searching person may print its 受理通知书 (`Store::acceptance_notice_pdf`).
 */
has_acceptance_notice: boolean, };

export type CaseSearchResult = { hits: Array<CaseHit>, 
/**
 * 符合条件的案件数（可能多于返回的条数）；`more` 时只数到这里为止
 */
total: number, 
/**
 * 符合条件的案件多于 `total`（不再往下数）
 */
more: boolean, 
/**
 * 历史登记（本机构旧平台的登记，只读）中符合的
 */
historic: Array<HistoricView>, };

export type ApplicantCategory = "individual" | "organisation" | "agency" | "lawyer";

export type ApplicantInput = { category: ApplicantCategory, 
/**
 * 姓名或名称
 */
name: string, id_type: DocumentType, id_number: string, 
/**
 * 笔名（可选）
 */
pen_name: string, 
/**
 * 经办人
 */
handler_name: string, 
/**
 * 经办人联系手机
 */
handler_mobile: string, 
/**
 * 所属地区（可选）
 */
region: string, 
/**
 * 电子发票接收邮箱
 */
invoice_email: string, 
/**
 * 纸质证书收件人
 */
recipient_name: string, 
/**
 * 收件手机
 */
recipient_phone: string, 
/**
 * 纸质证书收件地址
 */
postal_address: string, };

export type IdConsequence = "guardian_required" | "residence_proof_required" | "licence_required" | "id_scan_required";

export type DocumentType = "resident_id" | "uscc" | "hk_macao_permit" | "taiwan_permit" | "residence_permit" | "foreign_permanent_id" | "passport" | "other";

export type IdentityDocument = { doc_type: DocumentType, 
/**
 * 规范化后的号码（去掉首尾空白，字母大写）
 */
number: string, person: PersonFacts | null, organisation: OrganisationFacts | null, 
/**
 * 提醒（不影响通过）
 */
warnings: Array<IdWarning>, };

export type PersonFacts = { birth_date: string, sex: Sex, 
/**
 * 签发地（居民身份证为户籍地区；居住证为港澳台；永居证为受理省份）
 */
region: Region, };

export type OrganisationFacts = { 
/**
 * 登记管理部门名称，如 工商/市场监管
 */
registering_body: string | null, 
/**
 * 机构类别名称，如 企业
 */
entity_type: string | null, 
/**
 * 登记管理机关行政区划
 */
region: Region, 
/**
 * 主体标识码（组织机构代码），9 位
 */
organisation_code: string, };

export type Region = { 
/**
 * 6 位行政区划代码
 */
code: string, 
/**
 * 省级名称
 */
province: string | null, 
/**
 * 地级名称（直辖市与省直辖县没有）
 */
city: string | null, 
/**
 * 县级名称（代码本身是省级或地级时没有）
 */
county: string | null, 
/**
 * 整个 6 位代码是否在行政区划表中
 */
known: boolean, 
/**
 * 是否为已撤销的旧代码（老证件仍在使用）
 */
historic: boolean, };

export type Sex = "male" | "female";

export type IdWarning = { 
/**
 * Stable machine code (`region_unknown`, ...).
 */
code: string, 
/**
 * Plain Chinese for the clerk.
 */
message: string, };

export type ApplicantView = { id: string, category: ApplicantCategory, category_label: string, name: string, id_type: DocumentType, id_type_label: string, 
/**
 * The number, masked by its kind (`privacy::mask_id`) unless `revealed`.
 */
id_number: string, 
/**
 * 330106********1234, for lists.
 */
id_number_masked: string, pen_name: string | null, handler_name: string, handler_mobile: string, region: string | null, invoice_email: string, recipient_name: string, recipient_phone: string, 
/**
 * Masked (`privacy::mask_address`) unless `revealed`.
 */
postal_address: string, 
/**
 * `id_number` and `postal_address` are the full values: the counter's
 * own save, or a logged read (`reveal_applicant`).
 */
revealed: boolean, version: number, created_at: string, updated_at: string, };

export type UpdateApplicantInput = { id: string, version: number, applicant: ApplicantInput, };

export type ChangeCategoryInput = { id: string, version: number, category: ApplicantCategory, reason: string, };

export type FindApplicantsInput = { query: string, limit: number, };

export type IdCheckInput = { doc_type: DocumentType | null, number: string, };

export type IdCheckView = { doc_type: DocumentType, doc_type_label: string, valid: boolean, error: FieldError | null, document: IdentityDocument | null, age: number | null, sex_label: string | null, 
/**
 * 浙江省 杭州市 西湖区
 */
region_text: string | null, warnings: Array<string>, consequences: Array<ConsequenceView>, 
/**
 * A profile that already has this number.
 */
known_applicant: ApplicantView | null, };

export type ConsequenceView = { code: IdConsequence, message: string, };

export type IdInput = { id: string, };

export type WorkCategory = "text" | "oral" | "music" | "drama" | "quyi" | "dance" | "acrobatics" | "fine_art" | "architecture" | "photography" | "audiovisual" | "engineering_drawing" | "product_drawing" | "map" | "schematic" | "model" | "other";

export type CreationNature = "original" | "adaptation" | "translation" | "compilation" | "annotation" | "arrangement" | "other";

export type PublicationStatus = "published" | "unpublished";

export type Attribution = "individual" | "joint" | "employment" | "corporate" | "commissioned" | "other";

export type Acquisition = "original" | "inheritance" | "succession" | "other";

export type Ownership = "full" | "partial";

export type Right = "publication" | "attribution" | "alteration" | "integrity" | "reproduction" | "distribution" | "rental" | "exhibition" | "performance" | "presentation" | "broadcasting" | "network_dissemination" | "cinematography" | "adaptation" | "translation" | "compilation" | "other";

export type PartyKind = "natural_person" | "organisation";

export type SignedAs = "real_name" | "alias" | "anonymous";

export type AttachmentKind = "identity_proof" | "residence_proof" | "business_licence" | "guardian_identity" | "household_register";

export type Delivery = "mail" | "pickup";

export type PartyFile = { file_id: string, kind: AttachmentKind, };

export type WorkDraft = { title: string, category: WorkCategory | null, nature: CreationNature | null, nature_note: string, 
/**
 * As typed: 2026-11-25, 2026/11/25, 20261125, 2026-11, 2026 or 2026年11月25日.
 */
completed_on: string, completed_place: string, publication: PublicationStatus | null, first_published_on: string, first_published_place: string, attribution: Attribution | null, acquisition: Acquisition | null, ownership: Ownership | null, rights: Array<Right>, other_rights_note: string, };

export type OwnerDraft = { kind: PartyKind | null, name: string, id_type: DocumentType | null, id_number: string, handling_person: string, region: string, guardian_name: string, guardian_id_type: DocumentType | null, guardian_id_number: string, files: Array<PartyFile>, };

export type AuthorDraft = { kind: PartyKind | null, name: string, signed_as: SignedAs | null, signed_name: string, };

export type WriterDraft = { name: string, id_type: DocumentType | null, id_number: string, guardian_name: string, guardian_id_type: DocumentType | null, guardian_id_number: string, files: Array<PartyFile>, };

export type FilingDraft = { work: WorkDraft, owners: Array<OwnerDraft>, authors: Array<AuthorDraft>, writer: WriterDraft | null, 
/**
 * 作品样本（附件库中的文件）
 */
samples: Array<string>, 
/**
 * 其他附件
 */
other_files: Array<string>, 
/**
 * 作品简介及创意
 */
description: string, 
/**
 * 创作经过及意图
 */
creation_story: string, delivery: Delivery | null, recipient_name: string, recipient_phone: string, postal_address: string, invoice_email: string, };

export type SignerRef = { "role": "owner", index: number, } | { "role": "writer" };

export type Signer = { party: SignerRef, 
/**
 * 当事人姓名或名称
 */
name: string, 
/**
 * 签章所用证件号码（未成年人用监护人的证件号码）
 */
id_number: string, 
/**
 * 代为签章的监护人姓名（未成年人）
 */
guardian_name: string | null, };

export type SignerStatus = "current" | "waiting" | "signed";

export type SignatureMethod = { "kind": "paper_scan", scan_ref: string, } | { "kind": "e_signature", reference: string, };

export type ContentFingerprint = string;

export type SignatureRecord = { signer: SignerRef, 
/**
 * 签章人姓名或名称
 */
name: string, method: SignatureMethod, signed_at: string, 
/**
 * 所签内容的指纹
 */
fingerprint: ContentFingerprint, };

export type SignerLine = { signer: Signer, status: SignerStatus, record: SignatureRecord | null, };

export type CaseDetail = { id: string, 
/**
 * 流水号
 */
serial: string, state: CaseState, state_label: string, stage: Stage, 
/**
 * The counter may still change the filing.
 */
editable: boolean, 
/**
 * Saving a change now voids the signatures (the screen asks first).
 */
edit_voids_signatures: boolean, 
/**
 * 已登记（证书已生成，可撤销登记）
 */
registered: boolean, 
/**
 * The review desk that decides the case now (初审 / 终审), if any.
 */
decided_at: Desk | null, 
/**
 * A notice (补正通知书 / 不予登记通知书) can be printed in this state.
 */
has_notice: boolean, 
/**
 * Everyone signed again in a correction round: the counter may resubmit.
 */
awaits_resubmission: boolean, 
/**
 * 待编号: registered on a station enrolled with the central server, the
 * registration number not yet come from the server (no certificate until it does).
 */
number_pending: boolean, 
/**
 * The case was accepted (payment confirmed, clock started): its 受理通知书
 * exists (`Store::acceptance_notice_pdf`).
 */
has_acceptance_notice: boolean, 
/**
 * Not finished and not registered: the applicant may still withdraw it (撤回).
 */
withdrawable: boolean, version: number, applicant_id: string | null, applicant_name: string, 
/**
 * The filing. Its ID numbers and postal address are masked
 * (`privacy::mask_draft`) unless `revealed`.
 */
draft: FilingDraft, 
/**
 * The draft carries the full ID numbers and address: read by
 * `reveal_case` (the reveal, the counter's edit form), and logged.
 */
revealed: boolean, 
/**
 * 签章表（提交签章后）
 */
signing: Array<SignerLine>, created_at: string, updated_at: string, accepted_on: string | null, due_on: string | null, registration_number: string | null, 
/**
 * Entries about this case the central server rejected, still in 需处理:
 * the case shows the server's record with a banner linking to the inbox.
 */
sync_inbox: number, 
/**
 * A case of another office this station sees (a supervisor's station
 * sees its subordinate offices' cases): why it may only look, in
 * Chinese. Then nothing is editable or withdrawable here.
 */
read_only: string | null, };

export type SaveDraftInput = { case_id: string | null, version: number | null, applicant_id: string | null, draft: FilingDraft, };

export type CaseRef = { case_id: string, version: number, };

export type RecordSignatureInput = { case_id: string, version: number, signer: SignerRef, method: SignatureMethod, };

export type CaseKey = { 
/**
 * 案件编号或流水号
 */
key: string, };

export type FileView = { id: string, sha256: string, size: number, original_name: string, mime: string, added_at: string, 
/**
 * 用途（早于用途记录加入的文件为空）
 */
purpose: FilePurpose | null, 
/**
 * 本机是否已有文件内容：在其他工作站加入、尚未下载的为 false（显示“未下载”）
 */
downloaded: boolean, };

export type FileFetchProgress = { file_id: string, bytes_done: number, bytes_total: number, };

export type AddFileInput = { path: string, purpose: FilePurpose, };

export type AttributionCheckInput = { draft: FilingDraft, attribution: Attribution, };

export type PartyRole = "owner" | "author" | "writer";

export type UnfitParty = { role: PartyRole, 
/**
 * Index in `owners` or `authors`; 0 for the writer.
 */
index: number, name: string, 
/**
 * Stable code (`author_must_be_person`, `author_must_be_organisation`, `owner_must_be_organisation`, `writer_not_applicable`).
 */
code: string, 
/**
 * Chinese explanation for the clerk.
 */
message: string, };

export type ProofKind = "id_front" | "id_back" | "licence" | "household_register" | "guardian_id" | "residence_proof" | "power_of_attorney" | "other";

export type IdentityProofView = { id: string, applicant_id: string, file_id: string, file_name: string, mime: string, kind: ProofKind, kind_label: string, added_by_name: string, added_at: string, 
/**
 * 核验人（与原件核对过的工作人员）；未核验时为空
 */
checked_by_name: string | null, checked_at: string | null, };

export type AddProofInput = { applicant_id: string, file_id: string, kind: ProofKind, };

export type PaymentMethod = "online" | "bank_transfer" | "alipay_transfer";

export type TransferState = "recorded" | "confirmed" | "rejected";

export type TransferCommand = { "command": "confirm" } | { "command": "reject", reason: string, };

export type TransferInput = { 
/**
 * 缴费方式：银行公对公转账、支付宝转账或在线支付
 */
method: PaymentMethod, 
/**
 * 付款人（户名）
 */
payer: string, 
/**
 * 付款账号（可选）：银行账号只含数字和空格；支付宝账号为手机号或邮箱（常被打码）
 */
payer_account: string, 
/**
 * 付款银行（可选）
 */
payer_bank: string, 
/**
 * 到账金额（分）
 */
amount_fen: number, 
/**
 * 到账时间
 */
received_at: string, 
/**
 * 转账流水号或凭证号；在线支付为平台交易号（见 [`normalize_platform_reference`]）
 */
reference: string, 
/**
 * 用途或附言（可选）
 */
purpose: string, };

export type RefundMethod = "bank_transfer" | "alipay" | "online";

export type RefundInput = { method: RefundMethod, 
/**
 * 退费金额（分）
 */
amount_fen: number, 
/**
 * 退费流水号
 */
reference: string, 
/**
 * 退费日期
 */
refunded_on: string, };

export type DayReportRow = { day: string, method: PaymentMethod, 
/**
 * 当日到账
 */
received_fen: number, received_count: number, 
/**
 * 当日核款确认（不论哪天到账）
 */
confirmed_fen: number, confirmed_count: number, 
/**
 * 当日核款退回
 */
rejected_fen: number, rejected_count: number, 
/**
 * 当日到账、至今未确认也未退回
 */
pending_fen: number, pending_count: number, 
/**
 * 当日退费
 */
refunded_fen: number, refunded_count: number, };

export type DayReportTotals = { received_fen: number, received_count: number, confirmed_fen: number, confirmed_count: number, rejected_fen: number, rejected_count: number, pending_fen: number, pending_count: number, refunded_fen: number, refunded_count: number, };

export type PaymentCaseRow = { case_id: string, serial: string, title: string, applicant_id: string | null, applicant_name: string, state: CaseState, state_label: string, method: PaymentMethod | null, method_label: string | null, 
/**
 * 应缴（分）
 */
owed_fen: number, 
/**
 * 已登记到账（未退回的转账分配给本案的金额）
 */
covered_fen: number, 
/**
 * 尚差（分）
 */
short_fen: number, 
/**
 * 申请人余额（多付且已确认）
 */
applicant_balance_fen: number, awaiting_since: string | null, 
/**
 * 可登记线下转账（待缴费且方式为线下或未选）
 */
takes_transfer: boolean, 
/**
 * 可登记在线支付（待缴费且方式为在线或未选）；与转账一样由核款人员登记、另一位核款人员确认
 */
takes_online_payment: boolean, version: number, };

export type PaymentCasesInput = { search: string | null, };

export type ShareInput = { case_id: string, amount_fen: number, };

export type RecordTransferInput = { transfer: TransferInput, receipt_file_id: string | null, shares: Array<ShareInput>, };

export type AllocationView = { case_id: string, serial: string, title: string, amount_fen: number, case_state: CaseState, case_state_label: string, 
/**
 * The case was accepted (payment confirmed, clock started): its 受理通知书 can be printed.
 */
has_acceptance_notice: boolean, };

export type TransferView = { id: string, method: PaymentMethod, method_label: string, payer: string, payer_account: string, payer_bank: string, amount_fen: number, received_at: string, reference: string, purpose: string, receipt_file_id: string | null, 
/**
 * 多付（分），确认后计入申请人余额
 */
over_fen: number, state: TransferState, state_label: string, recorded_by_name: string, recorded_at: string, checked_by_name: string | null, checked_at: string | null, reject_reason: string | null, 
/**
 * 来自银行流水导入
 */
from_statement: boolean, 
/**
 * 当前登录人能否确认（核款岗位且不是登记人）
 */
may_confirm: boolean, allocations: Array<AllocationView>, version: number, };

export type TransfersInput = { 
/**
 * 只看某一状态；为空时看全部（最近 200 笔）
 */
state: TransferState | null, };

export type CheckTransferInput = { id: string, version: number, command: TransferCommand, };

export type ChooseMethodInput = { case_id: string, version: number, method: PaymentMethod, };

export type ChangeMethodInput = { case_id: string, version: number, method: PaymentMethod, reason: string, };

export type ImportStatementInput = { path: string, dry_run: boolean, };

export type StatementProgress = { done: number, total: number, };

export type LineDecision = "matched" | "ambiguous" | "unmatched" | "ignored";

export type CandidateView = { 
/**
 * 案件：流水号；转账：登记的流水号
 */
label: string, case_id: string | null, transfer_id: string | null, score: number, reasons: Array<string>, };

export type StatementLineView = { 
/**
 * 已导入的行有编号；预览时为空
 */
id: string | null, line: number, date: string, time: string | null, payer: string, payer_account: string, 
/**
 * 贷方（入账）金额（分）
 */
amount_fen: number | null, debit_fen: number | null, reference: string, memo: string, decision: LineDecision, decision_label: string, 
/**
 * 匹配到的案件流水号
 */
case_serial: string | null, transfer_id: string | null, 
/**
 * 此前已导入过（不会重复入账）
 */
already_imported: boolean, candidates: Array<CandidateView>, };

export type StatementImportView = { import_id: string | null, file_name: string, format_label: string, header_line: number, lines: Array<StatementLineView>, 
/**
 * 跳过的行（空行、合计行、说明文字）
 */
skipped: Array<string>, matched: number, waiting: number, ignored: number, already_imported: number, dry_run: boolean, };

export type ResolveLineInput = { line_id: string, shares: Array<ShareInput>, };

export type DismissLineInput = { line_id: string, note: string, };

export type RefundDueRow = { case_id: string, serial: string, title: string, applicant_name: string, state_label: string, paid_by: PaymentMethod | null, owed_fen: number, };

export type RecordRefundInput = { case_id: string, refund: RefundInput, };

export type InvoiceDueRow = { case_id: string, serial: string, title: string, payer_name: string, 
/**
 * 统一社会信用代码（单位）；个人为空
 */
tax_id: string, amount_fen: number, paid_on: string | null, 
/**
 * 发票接收邮箱（本案填写的，否则用户信息中的）
 */
email: string, 
/**
 * 邮箱为空或格式不对时的说明（须先在用户信息中补正）；邮箱可用时没有
 */
email_problem?: string, };

export type MarkInvoicesInput = { case_ids: Array<string>, invoice_number: string, };

export type DayReportInput = { from: string, to: string, };

export type DayReportLine = { row: DayReportRow, method_label: string, };

export type DayReportView = { from: string, to: string, lines: Array<DayReportLine>, totals: DayReportTotals, 
/**
 * The audit chain's last entry as the report is made (printed on it, so paper anchors the head too).
 */
audit_head: AuditHead | null, };

export type ExportKind = "invoice_list_xlsx" | "day_report_pdf" | "day_report_xlsx";

export type ExportInput = { kind: ExportKind, report: DayReportInput | null, };

export type RefusalGround = "not_a_work" | "term_expired" | "publication_prohibited" | "ownership_disputed";

export type RevocationGround = "refusal_ground_found_later" | "facts_mismatch" | "applicant_request" | "duplicate_registration";

export type CommandKind = "submit_for_signing" | "record_signature" | "void_signatures" | "choose_payment_method" | "change_payment_method" | "record_payment" | "confirm_payment" | "reject_payment" | "pass_first_review" | "return_for_correction" | "propose_refusal" | "resubmit" | "approve" | "send_back_to_first_review" | "confirm_refusal" | "withdraw" | "expire_correction" | "revoke" | "mark_mailed" | "mark_picked_up";

export type ReviewDecision = { "kind": "pass" } | { "kind": "return_for_correction", reasons: Array<string>, } | { "kind": "propose_refusal", ground: RefusalGround, note: string, };

export type ReviewDecisionInput = { case_id: string, version: number, decision: ReviewDecision, };

export type FinalDecision = { "kind": "approve" } | { "kind": "send_back", note: string, } | { "kind": "confirm_refusal" };

export type FinalDecisionInput = { case_id: string, version: number, decision: FinalDecision, };

export type RevokeInput = { case_id: string, version: number, ground: RevocationGround, note: string, };

export type ResubmitInput = { case_id: string, version: number, };

export type WithdrawInput = { case_id: string, version: number, 
/**
 * 撤回原因（如 申请人书面申请撤回）
 */
reason: string, };

export type DuplicateView = { case_id: string, 
/**
 * 流水号
 */
serial: string, 
/**
 * 作品名称
 */
title: string, state_label: string, registration_number: string | null, applicant_name: string, 
/**
 * 历史登记（旧平台的登记，没有案件可打开；`case_id` 与 `serial` 为空）
 */
historic: boolean, };

export type ReviewRecordView = { at: string, staff_id: string, staff_name: string, command: CommandKind, command_label: string, 
/**
 * 补正理由
 */
reasons: Array<string>, 
/**
 * 不予登记或撤销登记的理由
 */
ground_label: string | null, 
/**
 * 意见或说明
 */
note: string, 
/**
 * 补正期限
 */
deadline: string | null, registration_number: string | null, };

export type BatchCasesInput = { case_ids: Array<string>, };

export type BatchSignatureInput = { case_ids: Array<string>, 
/**
 * The signer's place in the batch's signer list (from 1).
 */
signer: number, 
/**
 * The signed form's scan (a file added for 签章页扫描件); not needed to print.
 */
scan_ref: string, };

export type BatchSigningView = { 
/**
 * The office allows one form per signer for a batch.
 */
allowed: boolean, 
/**
 * Why these cases cannot be signed on one form each (the core's message), if so.
 */
problem: string | null, signers: Array<BatchSignerView>, };

export type BatchSignerView = { 
/**
 * Place in the batch's signer list (from 1).
 */
position: number, name: string, guardian_name: string | null, 
/**
 * The signing ID number, masked.
 */
id_number: string, cases: Array<BatchSignerCaseView>, 
/**
 * It is this signer's turn in every case they have still to sign: their form can be recorded now.
 */
may_sign_now: boolean, 
/**
 * They have signed every case of the batch they sign.
 */
signed_all: boolean, };

export type BatchSignerCaseView = { case_id: string, serial: string, title: string, status: SignerStatus, status_label: string, };

export type BatchSigningSettingInput = { 
/**
 * The settings' version as read.
 */
version: number, allowed: boolean, };

export type SubordinateOfficeInput = { code: string, name: string, 
/**
 * 上级机构代码：本机构或已有的下级机构
 */
parent_code: string, };

export type TransferCaseInput = { case_id: string, version: number, 
/**
 * 移交到的机构代码：本机构或机构树中的下级机构
 */
office_code: string, 
/**
 * 移交原因
 */
reason: string, };

export type OfficeCounts = { 
/**
 * 受理中（待提交、待签章）
 */
counter: number, 
/**
 * 缴费中（待缴费、待核款）
 */
payment: number, 
/**
 * 审查中（待初审、待终审）
 */
review: number, 
/**
 * 已登记（含已发证）
 */
registered: number, 
/**
 * 其他（不予登记、撤回、撤销）
 */
other: number, 
/**
 * 超过办结期限
 */
overdue: number, };

export type OfficeNode = { code: string, name: string, 
/**
 * 上级机构代码；本机构为空
 */
parent_code: string | null, 
/**
 * 层级：本机构 0，其下级 1，……
 */
depth: number, 
/**
 * 是否本机构
 */
own: boolean, counts: OfficeCounts, };

export type CalendarYearView = { year: number, 
/**
 * 来源通知
 */
source: string, holidays: number, make_up_workdays: number, 
/**
 * 随软件提供（未被管理员替换）
 */
builtin: boolean, };

export type LoadCalendarInput = { text: string, path: string | null, };

export type LoadedYear = { year: number, holidays: number, make_up_workdays: number, 
/**
 * A year loaded before was replaced.
 */
replaced: boolean, };

export type BackupSettingsView = { 
/**
 * The office settings' version (the backup settings are part of them).
 */
version: number, 
/**
 * 备份目录 ('' = none chosen: no scheduled backups).
 */
folder: string, 
/**
 * 保留份数
 */
keep: number, 
/**
 * 每隔几小时自动备份
 */
every_hours: number, };

export type BackupSettingsInput = { version: number, folder: string, keep: number, every_hours: number, };

export type BackupTrigger = "manual" | "scheduled";

export type BackupRecord = { id: string, started_at: string, finished_at: string, folder: string, 
/**
 * The generation's folder name ('' when none was made).
 */
generation: string, trigger: BackupTrigger, 
/**
 * Who asked (none: the schedule).
 */
staff_name: string | null, 
/**
 * Made and verified.
 */
ok: boolean, 
/**
 * The verification's result, or why the backup failed.
 */
message: string, 
/**
 * The last journal entry the copy holds.
 */
journal_seq: number, files: number, bytes: number, };

export type GenerationView = { name: string, path: string, made_at: string, journal_seq: number, files: number, bytes: number, 
/**
 * The verification recorded when it was made (none: made elsewhere or by another database).
 */
verified: boolean | null, message: string | null, 
/**
 * The command that restores it (with the app closed).
 */
restore_command: string, };

export type BackupStatus = { settings: BackupSettingsView, 
/**
 * The last backup, made or failed.
 */
last: BackupRecord | null, 
/**
 * The last verified one.
 */
last_ok: BackupRecord | null, 
/**
 * When the schedule makes the next one (none: no folder chosen).
 */
next_due_at: string | null, generations: Array<GenerationView>, 
/**
 * Why the folder cannot be listed (not connected, not readable).
 */
folder_problem: string | null, };

export type BackupStage = "database" | "attachments" | "verifying" | "pruning";

export type BackupProgress = { stage: BackupStage, done: number, total: number, };

export type VerifyReport = { path: string, ok: boolean, journal_seq: number, files: number, 
/**
 * Each problem found, in plain Chinese.
 */
problems: Array<string>, message: string, };

export type LastBackup = { path: string, made_at: string, journal_seq: number, };

export type DamagedDatabase = { 
/**
 * What happened, ready to show.
 */
message: string, 
/**
 * What SQLite found.
 */
detail: string, data_dir: string, last_backup: LastBackup | null, 
/**
 * The exact command that restores the last verified backup.
 */
restore_command: string | null, };

export type PersonalDataView = "full_identity" | "identity_scan" | "application_form";

export type AccessLogEntry = { seq: number, at: string, staff_username: string | null, staff_name: string | null, what: PersonalDataView, what_label: string, case_id: string | null, 
/**
 * 流水号
 */
serial: string | null, applicant_id: string | null, applicant_name: string | null, 
/**
 * The scan's file name (identity scans).
 */
file_name: string | null, };

export type AccessLogInput = { 
/**
 * 工作人员的登录名
 */
staff: string | null, 
/**
 * 案件的流水号或编号
 */
case: string | null, 
/**
 * 起始日期（含，本机构日期）
 */
from: string | null, 
/**
 * 截止日期（含）
 */
to: string | null, 
/**
 * 最多条数（1–1000，默认 200）
 */
limit: number | null, };

export type RowProblem = { 
/**
 * The row's line in the sheet (1-based, as the spreadsheet shows it); 0 for the sheet as a whole.
 */
line: number, 
/**
 * The column's header (empty when the whole row is meant).
 */
column: string, 
/**
 * Stable machine code.
 */
code: string, 
/**
 * Plain Chinese naming the problem and the fix.
 */
message: string, };

export type ImportFilingsInput = { 
/**
 * The filled-in template (xlsx) or a CSV of the same columns (UTF-8 or GBK).
 */
path: string, 
/**
 * The folder holding the files the rows name.
 */
files_dir: string, 
/**
 * The applicant every draft is made for (the agency's client, or the agency).
 */
applicant_id: string, 
/**
 * Only check and preview.
 */
dry_run: boolean, };

export type IntakeRowView = { 
/**
 * The row's number in the sheet.
 */
line: number, title: string, category_label: string, 
/**
 * 著作权人
 */
owners: Array<string>, 
/**
 * 作者
 */
authors: Array<string>, 
/**
 * Files the row names.
 */
files: Array<string>, 
/**
 * Every problem of the row (empty: the row is good).
 */
problems: Array<RowProblem>, 
/**
 * The draft made for it (after a real import).
 */
case_id: string | null, serial: string | null, };

export type FilingImportView = { file_name: string, applicant_name: string, dry_run: boolean, 
/**
 * Problems of the sheet as a whole (its header); then no row is read.
 */
sheet_problems: Array<RowProblem>, rows: Array<IntakeRowView>, 
/**
 * Rows without a problem.
 */
good: number, 
/**
 * Drafts made.
 */
created: number, 
/**
 * The import was stopped (取消) before every good row was made.
 */
cancelled: boolean, };

export type IntakeProgress = { done: number, total: number, };

export type RegisterImportInput = { 
/**
 * The export (xlsx or CSV, UTF-8 or GBK).
 */
path: string, 
/**
 * Only check and show what would be imported.
 */
dry_run: boolean, };

export type RegisterImportView = { file_name: string, dry_run: boolean, 
/**
 * Rows below the header (blank rows not counted).
 */
rows: number, 
/**
 * Rows imported (or that would be, in a dry run).
 */
imported: number, 
/**
 * Every bad row, by line and column; these rows were skipped.
 */
problems: Array<RowProblem>, 
/**
 * The counters the import touched, after it.
 */
counters: Array<CounterView>, };

export type CounterView = { prefix: string, year: number, letter: string, 
/**
 * The next number's serial.
 */
next: number, 
/**
 * The highest serial in the ledger (issued here or imported); the next may not go below it.
 */
highest_known: number, };

export type SetCounterInput = { prefix: string, year: number, letter: string, next: number, };

export type HistoricView = { number: string, registered_on: string, title: string, category_label: string, owners: Array<string>, authors: Array<string>, completed_on: string | null, published_on: string | null, 
/**
 * 已撤销
 */
revoked: boolean, revoke_reason: string | null, };

export type RevokeHistoricInput = { number: string, ground: RevocationGround, note: string, };

export type BatchSubmitView = { case_id: string, serial: string, 
/**
 * Moved to 待签章.
 */
submitted: boolean, 
/**
 * Why not (every problem named), when not.
 */
message: string, };

export type SubmitManyInput = { case_ids: Array<string>, };

export type PrintKind = "first" | "reprint";

export type CertificateQueueFilter = { 
/**
 * 登记日期自（含）
 */
registered_from: string | null, 
/**
 * 登记日期至（含）
 */
registered_to: string | null, category: WorkCategory | null, delivery: Delivery | null, 
/**
 * 申请人或代理机构名称中的文字
 */
party: string, 
/**
 * 也列出证书已打印过的（重印用）
 */
include_printed: boolean, 
/**
 * 翻页位置：上一次结果的 `next` 或 `previous`，原样交回；不给时为第一页。
 * 筛选条件须与那一次相同。
 */
cursor?: string, 
/**
 * 每页条数（默认 [`CERTIFICATE_PAGE`]，至多 [`CERTIFICATE_PAGE_MAX`]）
 */
page_size?: number, };

export type CertificateRow = { case_id: string, serial: string, registration_number: string, title: string, category: WorkCategory | null, applicant_name: string, delivery: Delivery | null, registered_on: string, 
/**
 * 已打印且未作废的证书纸张数；大于 0 时再打印即为重印，须填原因
 */
printed_sheets: number, };

export type CertificatePage = { rows: Array<CertificateRow>, 
/**
 * 符合条件的件数；筛选或含已打印时只数到 [`CERTIFICATE_COUNT_CAP`] 为止（见 `more`）
 */
total: number, 
/**
 * 符合条件的多于 `total`（不再往下数）
 */
more: boolean, 
/**
 * 下一页的翻页位置（交回 `CertificateQueueFilter.cursor`）；没有下一页时为空
 */
next: string | null, 
/**
 * 上一页的翻页位置；第一页时为空
 */
previous: string | null, };

export type PrintCertificatesInput = { numbers: Array<string>, mode: CertificateModeInput, 
/**
 * 打印机名称；空：在看图程序中打开（不加偏移）
 */
printer: string, 
/**
 * 重印原因（有证书已打印过时必填）
 */
reprint_reason: string, 
/**
 * 第一张预印证书纸的编号（套打时），后续各张依次加一；空：不记录
 */
first_sheet_number: string, };

export type CertificateModeInput = "full" | "overprint";

export type SkippedCertificate = { registration_number: string, message: string, };

export type CertificateSheetView = { id: string, print_id: string, registration_number: string, serial: string, kind: PrintKind, reprint_reason: string, sheet_number: string | null, 
/**
 * printed 已打印 / voided 已作废 / recalled 已收回（登记已撤销）
 */
state: string, printed_at: string, printed_by: string, changed_at: string | null, reason: string | null, };

export type PrintSummary = { print_id: string, printed: number, reprinted: number, skipped: Array<SkippedCertificate>, sheets: Array<CertificateSheetView>, };

export type PrintedCertificates = { summary: PrintSummary, file: string, printer: string, 
/**
 * What went wrong after the sheets were recorded (the viewer or the printer
 * could not be reached); '' when nothing did. The file is kept either way.
 */
note: string, };

export type SystemPrinters = { service: boolean, printers: Array<string>, };

export type VoidSheetInput = { sheet_id: string, reason: string, };

export type PrinterView = { name: string, offset_x_mm: number, offset_y_mm: number, version: number, };

export type PrinterInput = { name: string, offset_x_mm: number, offset_y_mm: number, version: number, };

export type CertificateSettingsView = { 
/**
 * 证书二维码打开的查验地址（登记号与查验码附在其后）；空：未设置，不能出证
 */
verification_url: string, version: number, printers: Array<PrinterView>, };

export type VerificationUrlInput = { verification_url: string, version: number, };

export type LetterEntryView = { category: WorkCategory, label: string, letter: string, 
/**
 * 真实证书上已确认的字母；None：未见实例，表中字母为推定
 */
confirmed_letter: string | null, 
/**
 * 表中字母与已确认的字母相同
 */
confirmed: boolean, };

export type LetterTableView = { 
/**
 * 启用日期；None：内置默认表
 */
starts_on: string | null, text: string, entries: Array<LetterEntryView>, };

export type LetterTablesView = { in_force: LetterTableView, scheduled: Array<LetterTableView>, 
/**
 * 按现行表已分配的登记号数；大于 0 时修改须填写启用日期
 */
numbers_issued: number, last_issued_on: string | null, };

export type SetLettersInput = { text: string, starts_on: string | null, };

export type CertificateProgress = { done: number, total: number, };

export type CalibrationInput = { printer: string, mode: CertificateModeInput, };

export type LabelSize = "mm100x150" | "mm100x180" | "mm100x210" | "mm76x130";

export type SfField = "order_ref" | "recipient_name" | "recipient_phone" | "recipient_address" | "sender_name" | "sender_phone" | "sender_address" | "contents" | "quantity" | "payment" | "remark";

export type SfColumn = { header: string, field: SfField, };

export type CollectorKind = "own" | "agent";

export type HandoverInput = { collector: CollectorKind, 
/**
 * 领取人姓名
 */
name: string, id_type: DocumentType, 
/**
 * 领取人证件号码
 */
id_number: string, 
/**
 * 已核对证件原件（证件核验面板）
 */
id_checked: boolean, 
/**
 * 已查验受理通知书
 */
notice_seen: boolean, 
/**
 * 遗失说明扫描件（附件库中的文件，用途 loss_statement）；未带受理通知书时必须有
 */
loss_statement_file: string | null, 
/**
 * 授权委托书扫描件（用途 power_of_attorney）；代理人领取时必须有
 */
power_of_attorney_file: string | null, };

export type MailCaseRow = { case_id: string, serial: string, registration_number: string, title: string, applicant_name: string, recipient_name: string, 
/**
 * Masked (138****1234).
 */
recipient_phone: string, 
/**
 * Masked.
 */
postal_address: string, 
/**
 * Why it cannot be mailed yet (收件信息不全), if so.
 */
problem: string | null, };

export type DeliveredCase = { case_id: string, serial: string, registration_number: string, title: string, };

export type ShipmentView = { id: string, 
/**
 * 邮件编号 (our Code 128 on the label)
 */
code: string, recipient_name: string, 
/**
 * Masked.
 */
recipient_phone: string, 
/**
 * Masked.
 */
postal_address: string, cases: Array<DeliveredCase>, labels_printed: number, 
/**
 * 顺丰运单号, once scanned.
 */
waybill: string | null, shipped_at: string | null, shipped_by: string | null, version: number, };

export type MailDesk = { waiting: Array<MailCaseRow>, open: Array<ShipmentView>, shipped_today: Array<ShipmentView>, label_size: LabelSize, };

export type PrepareShipmentsInput = { case_ids: Array<string>, };

export type ShipmentsInput = { shipments: Array<string>, };

export type ScanWaybillInput = { shipment: string, waybill: string, };

export type ShipCasesInput = { cases: Array<string>, waybill: string, };

export type PickupRow = { case_id: string, version: number, serial: string, registration_number: string | null, title: string, applicant_name: string, state: CaseState, state_label: string, delivery_label: string, invoice_sent: boolean, 
/**
 * The certificate may be handed over now.
 */
can_hand_over: boolean, 
/**
 * Why not, in plain Chinese, when not.
 */
blocked_reason: string | null, };

export type PickupFindInput = { query: string, };

export type HandOverInput = { case_ids: Array<string>, collector: HandoverInput, };

export type HandoverView = { id: string, 
/**
 * 领取登记号 (on the receipt)
 */
number: string, collector: CollectorKind, collector_label: string, collector_name: string, id_type_label: string, 
/**
 * Masked.
 */
id_number: string, 
/**
 * 查验材料
 */
documents: Array<string>, at: string, clerk_name: string, cases: Array<DeliveredCase>, };

export type ShippingListInput = { day: string | null, xlsx: boolean, };

export type DeliverySettingsView = { version: number, label_size: LabelSize, 
/**
 * '' = the office's name.
 */
sender_name: string, sender_phone: string, sender_address: string, sf_columns: Array<SfColumn>, };

export type UpdateDeliverySettingsInput = { version: number, label_size: LabelSize, sender_name: string, sender_phone: string, sender_address: string, sf_columns: Array<SfColumn>, };

export type SyncStatusView = { 
/**
 * Enrolled with a central server (else the station works alone).
 */
enrolled: boolean, server_url: string | null, 
/**
 * The name the server's admin gave this station.
 */
station_name: string | null, office_name: string | null, 
/**
 * The pinned office CA's SHA-256 fingerprint.
 */
ca_fingerprint: string | null, enrolled_at: string | null, last_success: string | null, last_attempt: string | null, 
/**
 * Why the last round failed, in words (`None` after a successful one).
 */
last_error: string | null, 
/**
 * The last round failed: the header shows 离线 · N 条待同步.
 */
offline: boolean, 
/**
 * Entries waiting for the server's verdict.
 */
pending: number, 
/**
 * Rejected entries in 需处理 not yet redone or discarded.
 */
inbox: number, 
/**
 * The office cursor applied up to.
 */
cursor: number, 
/**
 * A first sync under way.
 */
snapshot: SnapshotProgress | null, };

export type SnapshotProgress = { snapshot_id: string, rows_done: number, rows_total: number, bytes_done: number, bytes_total: number, 
/**
 * The snapshot is complete; pulls go on from its cursor.
 */
done: boolean, };

export type InboxItemView = { 
/**
 * The rejected journal entry's id.
 */
entry_id: string, staff_id: string | null, 
/**
 * Who made it (their display name at this station).
 */
staff_name: string | null, 
/**
 * When they made it (their station's clock).
 */
at: string, 
/**
 * The command's name (`final_review`, `save_draft`, …): the form 重做 opens.
 */
command: string, 
/**
 * The command in words (终审、保存填报……).
 */
command_words: string, entity: string, entity_id: string, 
/**
 * The case concerned, when the entry was about one: its screen shows the banner.
 */
case_id: string | null, 
/**
 * What they entered, all of it: 重做 prefills the form from it.
 */
payload: unknown, 
/**
 * The server's reason code (`conflict`, `four_eyes`, …).
 */
code: string, 
/**
 * The server's reason, in Chinese.
 */
reason: string, received_at: string, 
/**
 * Each row the entry touched: their values beside the server's current ones.
 */
rows: Array<InboxRowView>, 
/**
 * Everything they entered, labelled and display-ready (ID numbers and
 * addresses masked); `payload` keeps the values for 重做.
 */
entered: Array<InboxLineView>, };

export type InboxRowView = { table: string, 
/**
 * The table's name in words (案件、申请人……).
 */
table_label: string, key: string, 
/**
 * The row as people name it: a case's serial, a person's name, else its key's value.
 */
record: string, 
/**
 * The row as the person's command left it is gone (a deletion).
 */
theirs_deleted: boolean, 
/**
 * The server has no such row.
 */
server_missing: boolean, 
/**
 * Each field in which the two differ (all fields when one side has no
 * row), bookkeeping columns left out and a JSON column opened into its fields.
 */
fields: Array<InboxFieldView>, };

export type InboxFieldView = { 
/**
 * The column, or `column.path` of a field inside a JSON column.
 */
column: string, 
/**
 * The field in words (作品名称、著作权人 1 · 证件号码……).
 */
label: string, 
/**
 * Display-ready values: masked, money in yuan, codes in words.
 */
theirs: string | null, server: string | null, };

export type InboxLineView = { label: string, value: string, };

export type DiscardInboxInput = { entry_id: string, 
/**
 * The person confirmed: the entry will never reach the server.
 */
confirm: boolean, };

export type RedoneInboxInput = { entry_id: string, };

export type NumbersAuditView = { series: Array<NumberSeriesView>, leases: Array<LeaseHoldingView>, 
/**
 * Every series balances.
 */
balanced: boolean, };

export type NumberSeriesView = { 
/**
 * `浙作登字-2026-F`.
 */
series: string, issued: number, used: number, voided: number, returned: number, outstanding: number, 
/**
 * issued = used + voided + returned + outstanding, and no number of unknown fate.
 */
balanced: boolean, 
/**
 * The numbers of unknown fate, runs as `FIRST–LAST`.
 */
unknown: Array<string>, };

export type LeaseHoldingView = { station_name: string, 
/**
 * The station this app runs on.
 */
this_station: boolean, series: string, unused: number, 
/**
 * The unused numbers, runs as `FIRST–LAST`.
 */
numbers: Array<string>, };

export type EnrolInput = { 
/**
 * `https://host:port`
 */
server_url: string, 
/**
 * The one-time enrolment code.
 */
code: string, 
/**
 * The office CA's SHA-256 fingerprint, however it was typed.
 */
fingerprint: string, };

export type SyncOutcome = { pushed: number, accepted: number, rejected: number, pulled: number, 
/**
 * The office cursor after the round.
 */
cursor: number, 
/**
 * Why the round stopped early, in Chinese (`None`: it completed).
 */
error: string | null, };

export type FormColumn = "text" | "oral" | "music" | "drama" | "quyi" | "dance" | "acrobatics" | "fine_art" | "photography" | "architecture" | "film" | "graphic" | "model" | "other" | "sound_recording" | "video_recording";

export type Period = { "kind": "month", year: number, month: number, } | { "kind": "quarter", year: number, quarter: number, } | { "kind": "year", year: number, } | { "kind": "range", from: string, to: string, };

export type StatsInput = { period: Period, 
/**
 * 机构代码；空为本机构
 */
office: string | null, 
/**
 * 仅统计该机构本级（不含下级机构）
 */
own_only: boolean, };

export type FormColumnView = { column: FormColumn, label: string, };

export type FormRow = { 
/**
 * 机构代码；合计行为空
 */
office_code: string, label: string, 
/**
 * 合计
 */
total: number, 
/**
 * 各栏件数，与 `columns` 一一对应
 */
counts: Array<number>, };

export type MonthlyFormView = { title: string, period: Period, period_label: string, office_code: string, office_name: string, unit: string, columns: Array<FormColumnView>, 
/**
 * 各机构一行：本级，然后各直属下级机构（含其下级）
 */
rows: Array<FormRow>, total: FormRow, 
/**
 * 期间内登记、其后已撤销的件数（不计入上表）
 */
revoked: number, };

export type AnnouncementRow = { number: string, registered_on: string, title: string, category: WorkCategory | null, category_label: string, 
/**
 * 著作权人（多人以“、”分隔）
 */
owners: string, completed_on: string, 
/**
 * 首次发表日期；未发表为空
 */
published_on: string, office_code: string, };

export type AnnouncementView = { title: string, period: Period, period_label: string, office_code: string, office_name: string, rows: Array<AnnouncementRow>, revoked: Array<AnnouncementRow>, };

export type ShareRow = { key: string, label: string, count: number, percent: number | null, };

export type SummaryView = { period: Period, period_label: string, office_code: string, office_name: string, total: number, previous_period_label: string, previous_total: number, 
/**
 * 同比增减（%）；上年同期为 0 时为空
 */
change_percent: number | null, by_category: Array<ShareRow>, by_office: Array<ShareRow>, };

export type MonthCompare = { month: number, this_year: number, last_year: number, };

export type StageCount = { key: string, label: string, count: number, };

export type BacklogPoint = { year: number, month: number, label: string, in_review: number, };

export type DurationMonth = { year: number, month: number, label: string, 
/**
 * 计入的登记数
 */
registered: number, 
/**
 * 中位数（工作日）
 */
median: number | null, 
/**
 * 第 90 百分位（工作日）
 */
p90: number | null, 
/**
 * 在办结时限内登记的件数
 */
within_limit: number, within_percent: number | null, 
/**
 * 工作日历未载入等原因无法计算的件数
 */
not_counted: number, };

export type WorkloadRow = { staff_id: string, staff_name: string, 
/**
 * 该周的星期一
 */
week: string, 
/**
 * 初审决定（通过、退回补正、拟不予登记）
 */
first_review: number, 
/**
 * 终审决定（登记、退回初审、不予登记）
 */
final_review: number, };

export type SupervisorView = { period: Period, period_label: string, office_code: string, office_name: string, 
/**
 * 期间结束所在年份（与上年逐月比较）
 */
year: number, monthly: Array<MonthCompare>, summary: SummaryView, backlog_now: Array<StageCount>, backlog_by_month: Array<BacklogPoint>, durations: Array<DurationMonth>, 
/**
 * 办结时限（工作日）
 */
limit_working_days: number, 
/**
 * 当前超过办结期限的案件
 */
overdue_now: number, 
/**
 * 每位审查人员每周的决定；无权查看时为空
 */
workload: Array<WorkloadRow> | null, };

export type ReportKind = "monthly_form" | "announcement" | "summary" | "supervisor";

export type ReportFormat = "xlsx" | "pdf";

export type ReportExportInput = { kind: ReportKind, format: ReportFormat, stats: StatsInput, };
