//! `regdesk filing new|update|attach|submit|sign|sign-batch` and `regdesk file add|show`:
//! the counter's filing (作品填报) through the same store commands as the wizard.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use regdesk_domain::filing::FilingDraft;
use regdesk_domain::signature::SignatureMethod;
use regdesk_domain::staff::FilePurpose;
use regdesk_domain::work::Attribution;
use regdesk_store::{
    AttributionCheckInput, BatchCasesInput, BatchSignatureInput, CaseDetail, CaseRef, RecordSignatureInput,
    SaveDraftInput, Session, Store,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::case_cmd::case_json_with;
use crate::desk_io::{bad_input, case_at, emit, from_value, read_value, refused, InputProblems};
use crate::Io;

#[derive(Subcommand, Debug)]
pub enum FilingCmd {
    /// 新建暂存稿：读取与填报向导保存时相同的 JSON（整份填报，或 {"applicant_id": …, "draft": {…}}），输出一行 JSON；
    /// 错误逐条指出字段路径。
    ///
    /// New draft from the JSON the wizard saves (the filing, or {"applicant_id", "draft"}); prints one JSON
    /// object; every problem is named by its field path.
    New {
        /// JSON 文件（- 为标准输入） / JSON file (- for stdin)
        #[arg(long = "json", value_name = "FILE")]
        input: PathBuf,
        /// 用户信息编号（也可写在 JSON 的 applicant_id 中） / applicant profile id
        #[arg(long)]
        applicant: Option<String>,
    },
    /// 修改暂存稿（整份替换，须写完整证件号与地址）；已提交签章的，修改后签章作废。
    ///
    /// Replace a draft's filing from JSON (full ID numbers and address); voids signatures already made.
    Update {
        /// 流水号 / serial
        serial: String,
        /// JSON 文件（- 为标准输入） / JSON file (- for stdin)
        #[arg(long = "json", value_name = "FILE")]
        input: PathBuf,
    },
    /// 添加作品样本或其他附件（存入附件库并写入暂存稿）。
    ///
    /// Attach a work sample or another attachment to a draft (stored encrypted, added to the filing).
    Attach {
        /// 流水号 / serial
        serial: String,
        /// 文件 / file
        file: PathBuf,
        /// sample（作品样本）或 attachment（其他附件）
        #[arg(long, value_enum)]
        kind: AttachKind,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 提交签章：按全部规则检查填报（逐条指出字段），生成签章表。
    ///
    /// Submit for signing: every rule is checked (each problem by field), the signer list is made.
    Submit {
        /// 流水号 / serial
        serial: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 记录签章：--signer 为签章表中的序号（1 起，见 case show）；纸质签字须 --scan 扫描件。
    ///
    /// Record a signature: --signer is the position in the signer list (from 1, see case show);
    /// paper signatures need the --scan of the signed page.
    Sign {
        /// 流水号 / serial
        serial: String,
        /// 签章表中的序号（1 起） / position in the signer list (from 1)
        #[arg(long)]
        signer: usize,
        /// paper（纸质签字扫描）或 e-signature（在线电子签章）
        #[arg(long, value_enum, default_value = "paper")]
        method: SignMethod,
        /// 签章页扫描件（paper） / scan of the signed page (paper)
        #[arg(long)]
        scan: Option<PathBuf>,
        /// 电子签章平台流水号（e-signature） / e-signature platform reference
        #[arg(long)]
        reference: Option<String>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 一人一表（机构开启时）：同一申请人一并提交的作品，每位签章人一张签章表签全部作品。不带 --signer 时列出签章人；
    /// 带 --signer N --scan 文件 时把签好的签章表记入该签章人所签的每件作品（一条命令）。
    ///
    /// One form per signer for a batch (where the office allows it): without --signer, lists the batch's
    /// signers; with --signer N --scan FILE, records the signed form against every case that signer signs.
    SignBatch {
        /// 这批作品的流水号 / the batch's serials
        #[arg(required = true)]
        serials: Vec<String>,
        /// 这批的签章人序号（1 起，见不带 --signer 的输出） / the signer's place in the batch (from 1)
        #[arg(long, requires = "scan")]
        signer: Option<u32>,
        /// 签好的签章表扫描件 / scan of the signed form
        #[arg(long, requires = "signer")]
        scan: Option<PathBuf>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 改变权利归属方式前：哪些当事人将不再适合：individual joint employment corporate commissioned other。
    ///
    /// Before changing the attribution: which parties would no longer fit.
    CheckAttribution {
        /// 流水号 / serial
        serial: String,
        /// 新的权利归属方式 / the new attribution
        #[arg(long)]
        attribution: String,
        /// 每个当事人一行 JSON / one JSON object per party
        #[arg(long)]
        json: bool,
    },
    /// 批量受理（导入、模板）/ Batch intake (import, template)
    #[command(flatten)]
    Intake(crate::import_cmd::IntakeCmd),
}

#[derive(Subcommand, Debug)]
pub enum FileCmd {
    /// 存入附件库（加密保存），输出文件编号，供 JSON 中的 files、samples 等引用。
    ///
    /// Store a file (encrypted) and print its id, for the files and samples of a filing's JSON.
    Add {
        file: PathBuf,
        /// sample identity_proof signed_form receipt loss_statement
        #[arg(long)]
        purpose: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 附件记录：名称、大小、用途、SHA-256。 / A stored file's record.
    Show {
        id: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
}

/// 附件种类。
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AttachKind {
    /// 作品样本 / work sample
    Sample,
    /// 其他附件 / other attachment
    Attachment,
}

/// 签章方式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignMethod {
    /// 纸质签字后扫描 / paper, signed and scanned
    Paper,
    /// 在线电子签章 / online e-signature
    ESignature,
}

/// The wizard's save: the applicant and the filing.
#[derive(Debug, Serialize, Deserialize)]
struct DraftFile {
    #[serde(default)]
    applicant_id: Option<String>,
    draft: FilingDraft,
}

/// The filing in `raw`: the wizard's save (`{"applicant_id", "draft"}`) or the filing alone.
fn draft_from(raw: &Value) -> Result<DraftFile, InputProblems> {
    if raw.get("draft").is_some() {
        from_value(raw)
    } else {
        Ok(DraftFile {
            applicant_id: None,
            draft: from_value(raw)?,
        })
    }
}

/// A case after a counter command: one JSON object, or what the clerk sees.
pub fn case_out(store: &Store, s: &Session, d: &CaseDetail, json: bool, io: &mut Io<'_>) {
    if json {
        let mut v = case_json_with(store, s, d);
        if let Some(o) = v.as_object_mut() {
            o.insert("id".into(), json!(d.id));
            o.insert("version".into(), json!(d.version));
            o.insert("signing".into(), json!(d.signing));
        }
        emit(io, &v);
    } else {
        let _ = writeln!(io.out, "{}\t{}\t{}", d.serial, d.state_label, d.draft.work.title.trim());
        for (i, l) in d.signing.iter().enumerate() {
            let _ = writeln!(io.out, "  签章 {}：{}（{}）", i + 1, l.signer.name, l.status.label());
        }
        if let Some(n) = &d.registration_number {
            let _ = writeln!(io.out, "  登记号：{n}");
        }
    }
}

fn purpose_of(code: &str) -> Option<FilePurpose> {
    serde_json::from_value(Value::String(code.trim().to_string())).ok()
}

pub fn file(store: &Store, s: &Session, cmd: &FileCmd, io: &mut Io<'_>) -> u8 {
    let (got, json) = match cmd {
        FileCmd::Add { file, purpose, json } => {
            let Some(purpose) = purpose_of(purpose) else {
                let _ = writeln!(
                    io.err,
                    "未知文件用途“{purpose}”，可用：sample identity_proof signed_form receipt loss_statement"
                );
                return 2;
            };
            (store.add_file(s, file, purpose), *json)
        }
        FileCmd::Show { id, json } => (store.file(s, id), *json),
    };
    match got {
        Ok(f) => {
            if json {
                emit(io, &f);
            } else {
                let _ = writeln!(
                    io.out,
                    "{}\t{}\t{} 字节\t{}",
                    f.id,
                    f.original_name,
                    f.size,
                    f.purpose.map(|p| p.label()).unwrap_or("")
                );
            }
            0
        }
        Err(e) => refused(io, &e),
    }
}

pub fn filing(store: &Store, s: &Session, cmd: &FilingCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        FilingCmd::Intake(c) => crate::import_cmd::filing(store, s, c, io),
        FilingCmd::New { input, applicant } => {
            let f = match read_value(input).and_then(|raw| draft_from(&raw)) {
                Ok(f) => f,
                Err(p) => return bad_input(io, &p),
            };
            if let (Some(flag), Some(file)) = (applicant, &f.applicant_id) {
                if flag != file {
                    let _ = writeln!(
                        io.err,
                        "--applicant {flag} 与 JSON 中的 applicant_id {file} 不一致，请只写一处"
                    );
                    return 2;
                }
            }
            let save = SaveDraftInput {
                case_id: None,
                version: None,
                applicant_id: applicant.clone().or(f.applicant_id),
                draft: f.draft,
            };
            match store.save_draft(s, &save) {
                Ok(d) => {
                    case_out(store, s, &d, true, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        FilingCmd::Update { serial, input } => {
            let f = match read_value(input).and_then(|raw| draft_from(&raw)) {
                Ok(f) => f,
                Err(p) => return bad_input(io, &p),
            };
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let save = SaveDraftInput {
                case_id: Some(d.id.clone()),
                version: Some(d.version),
                applicant_id: f.applicant_id.or(d.applicant_id),
                draft: f.draft,
            };
            match store.save_draft(s, &save) {
                Ok(d) => {
                    case_out(store, s, &d, true, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        FilingCmd::Attach {
            serial,
            file,
            kind,
            json,
        } => {
            // The counter's edit form works on the full filing (a logged read).
            let d = match store.reveal_case(s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let f = match store.add_file(s, file, FilePurpose::Sample) {
                Ok(f) => f,
                Err(e) => return refused(io, &e),
            };
            let mut draft = d.draft.clone();
            match kind {
                AttachKind::Sample => draft.samples.push(f.id.clone()),
                AttachKind::Attachment => draft.other_files.push(f.id.clone()),
            }
            let save = SaveDraftInput {
                case_id: Some(d.id.clone()),
                version: Some(d.version),
                applicant_id: d.applicant_id.clone(),
                draft,
            };
            match store.save_draft(s, &save) {
                Ok(d) => {
                    case_out(store, s, &d, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        FilingCmd::CheckAttribution {
            serial,
            attribution,
            json,
        } => {
            let Ok(attribution) = serde_json::from_value::<Attribution>(Value::String(attribution.trim().to_string()))
            else {
                let _ = writeln!(
                    io.err,
                    "未知权利归属方式“{attribution}”，可用：individual joint employment corporate commissioned other"
                );
                return 2;
            };
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let input = AttributionCheckInput {
                draft: d.draft,
                attribution,
            };
            match store.parties_not_fitting(s, &input) {
                Ok(unfit) => {
                    for u in &unfit {
                        if *json {
                            emit(io, u);
                        } else {
                            let _ = writeln!(io.out, "{}：{}（{}）", u.field(), u.name, u.message);
                        }
                    }
                    if unfit.is_empty() && !*json {
                        let _ = writeln!(io.out, "各当事人均适合");
                    }
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        FilingCmd::Submit { serial, json } => {
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let input = CaseRef {
                case_id: d.id,
                version: d.version,
            };
            match store.submit_for_signing(s, &input) {
                Ok(d) => {
                    case_out(store, s, &d, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        FilingCmd::Sign {
            serial,
            signer,
            method,
            scan,
            reference,
            json,
        } => {
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let Some(line) = signer.checked_sub(1).and_then(|i| d.signing.get(i)) else {
                let _ = writeln!(
                    io.err,
                    "{} 的签章表有 {} 位签章人，--signer 请写 1–{}（见 case show）",
                    d.serial,
                    d.signing.len(),
                    d.signing.len()
                );
                return 2;
            };
            let method = match (method, scan, reference) {
                (SignMethod::Paper, Some(scan), None) => match store.add_file(s, scan, FilePurpose::SignedForm) {
                    Ok(f) => SignatureMethod::PaperScan { scan_ref: f.id },
                    Err(e) => return refused(io, &e),
                },
                (SignMethod::ESignature, None, Some(r)) => SignatureMethod::ESignature { reference: r.clone() },
                (SignMethod::Paper, _, _) => {
                    let _ = writeln!(io.err, "纸质签字须用 --scan 给出签章页扫描件（不用 --reference）");
                    return 2;
                }
                (SignMethod::ESignature, _, _) => {
                    let _ = writeln!(io.err, "在线电子签章须用 --reference 给出平台签章流水号（不用 --scan）");
                    return 2;
                }
            };
            let input = RecordSignatureInput {
                case_id: d.id.clone(),
                version: d.version,
                signer: line.signer.party,
                method,
            };
            match store.record_signature(s, &input) {
                Ok(d) => {
                    case_out(store, s, &d, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        FilingCmd::SignBatch {
            serials,
            signer,
            scan,
            json,
        } => sign_batch(store, s, serials, *signer, scan.as_deref(), *json, io),
    }
}

/// `filing sign-batch`: the batch's signers, or one signer's signed form recorded.
fn sign_batch(
    store: &Store,
    s: &Session,
    serials: &[String],
    signer: Option<u32>,
    scan: Option<&std::path::Path>,
    json: bool,
    io: &mut Io<'_>,
) -> u8 {
    let (Some(signer), Some(scan)) = (signer, scan) else {
        let view = match store.batch_signing(
            s,
            &BatchCasesInput {
                case_ids: serials.to_vec(),
            },
        ) {
            Ok(v) => v,
            Err(e) => return refused(io, &e),
        };
        if let Some(p) = &view.problem {
            let _ = writeln!(io.err, "{p}");
            return 1;
        }
        for v in &view.signers {
            if json {
                let _ = writeln!(io.out, "{}", json!(v));
            } else {
                let state = if v.signed_all {
                    "已签章"
                } else if v.may_sign_now {
                    "可签章"
                } else {
                    "须等前面的签章人"
                };
                let cases: Vec<String> = v
                    .cases
                    .iter()
                    .map(|c| format!("{}（{}）", c.serial, c.status_label))
                    .collect();
                let _ = writeln!(
                    io.out,
                    "{}\t{}\t{}\t{state}\t{}",
                    v.position,
                    v.name,
                    v.id_number,
                    cases.join("、")
                );
            }
        }
        return 0;
    };
    let file = match store.add_file(s, scan, FilePurpose::SignedForm) {
        Ok(f) => f,
        Err(e) => return refused(io, &e),
    };
    let input = BatchSignatureInput {
        case_ids: serials.to_vec(),
        signer,
        scan_ref: file.id,
    };
    match store.record_batch_signature(s, &input) {
        Ok(cases) => {
            for d in &cases {
                case_out(store, s, d, json, io);
            }
            0
        }
        Err(e) => refused(io, &e),
    }
}
