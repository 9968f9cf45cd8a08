// Generated from the Rust types by regdesk-store (bindings.rs). Do not edit by hand:
// run `bash .ci/bindings` after changing a type that crosses to the UI.

export type Role = "counter_clerk" | "finance" | "first_reviewer" | "final_reviewer" | "certificate_desk" | "admin" | "supervisor";

export type Desk = "counter" | "payments" | "first_review" | "final_review" | "certificates" | "reports" | "admin";

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
desks: Array<DeskOption>, locked: boolean, must_change_password: boolean, };

export type AppStatus = { setup_done: boolean, office: Office | null, station_id: string, station_name: string, session: SessionView | null, idle_lock_minutes: number, 
/**
 * Journal entries not yet shipped to the central server.
 */
pending_sync: number, provinces: Array<ProvinceOption>, role_options: Array<RoleOption>, password_min_chars: number, };

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
fee_per_work_fen: number, };

export type UpdateSettingsInput = { version: number, idle_lock_minutes: number, review_working_days: number, correction_notice_days: number, correction_period_days: number, fee_per_work_fen: number, };

export type AuditReport = { 
/**
 * Entries checked.
 */
entries: number, ok: boolean, 
/**
 * The sequence number of the first broken entry.
 */
first_broken: number | null, message: string, };

export type AuditEntryView = { seq: number, at: string, staff_name: string | null, command: string, entity: string, entity_id: string, };

export type RecentAuditInput = { limit: number, };

export type ErrorKind = "validation" | "conflict" | "permission" | "auth" | "not_signed_in" | "session_locked" | "not_found" | "refused" | "storage";

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

export type QueueCount = { queue: Queue, label: string, count: number, };

export type DeskOverview = { desk: Desk, label: string, queues: Array<QueueCount>, };

export type CaseRow = { id: string, serial: string, title: string, category_label: string, state: CaseState, state_label: string, stage: Stage, applicant_name: string, created_at: string, due_on: string | null, };

export type CasePage = { rows: Array<CaseRow>, total: number, page: number, page_size: number, };

export type QueueInput = { queue: Queue, 
/**
 * From 1.
 */
page: number, page_size: number, 
/**
 * 流水号、登记号、作品名称、姓名或证件号
 */
search?: string, };

export type DeskInput = { desk: Desk, };

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
 * The full number (detail views of the counter desk).
 */
id_number: string, 
/**
 * 330106********1234, for lists.
 */
id_number_masked: string, pen_name: string | null, handler_name: string, handler_mobile: string, region: string | null, invoice_email: string, recipient_name: string, recipient_phone: string, postal_address: string, version: number, created_at: string, updated_at: string, };

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
edit_voids_signatures: boolean, version: number, applicant_id: string | null, applicant_name: string, draft: FilingDraft, 
/**
 * 签章表（提交签章后）
 */
signing: Array<SignerLine>, created_at: string, updated_at: string, accepted_on: string | null, due_on: string | null, registration_number: string | null, };

export type SaveDraftInput = { case_id: string | null, version: number | null, applicant_id: string | null, draft: FilingDraft, };

export type CaseRef = { case_id: string, version: number, };

export type RecordSignatureInput = { case_id: string, version: number, signer: SignerRef, method: SignatureMethod, };

export type CaseKey = { 
/**
 * 案件编号或流水号
 */
key: string, };

export type FileView = { id: string, sha256: string, size: number, original_name: string, mime: string, added_at: string, };

export type AddFileInput = { path: string, };

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
