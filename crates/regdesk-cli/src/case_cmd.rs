//! `regdesk case list|find|show|revoke|transfer|resubmit|withdraw|expire-corrections` and
//! `regdesk print application-form|notice`.

use std::path::PathBuf;

use clap::Subcommand;
use regdesk_domain::queue::{may_view_queue, Queue};
use regdesk_store::{CaseDetail, QueueInput, Session, Store, StoreError};
use serde_json::{json, Value};

use crate::Io;

#[derive(Subcommand, Debug)]
pub enum CaseCmd {
    /// 列出案件（不指定 --queue 时列出本人能看到的全部队列）。 / List cases (without --queue: every queue you may see).
    List {
        /// drafts awaiting_signature awaiting_payment awaiting_payment_check first_review final_review registered other
        #[arg(long)]
        queue: Option<String>,
        /// 流水号、登记号、作品名称、姓名或证件号
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 查找案件（各队列）：流水号、登记号、作品名称、姓名或证件号；整号在前，再按最近填报或修改。 / Find cases in every queue by serial, registration number, title, name or ID number.
    Find {
        text: String,
        /// 最多几件（1–50，默认 10）
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// 显示一个案件（流水号或编号）；证件号与地址遮蔽显示。 / Show a case (serial or id); ID numbers and addresses masked.
    Show {
        serial: String,
        /// 显示完整证件号与地址（限受理、初审、终审、制证发证岗位；记入查阅记录）
        #[arg(long)]
        full: bool,
        #[arg(long)]
        json: bool,
    },
    /// 撤销登记（管理员）：refusal_ground_found_later facts_mismatch applicant_request duplicate_registration / Revoke a registration (admin), with its ground.
    Revoke {
        serial: String,
        #[arg(long)]
        ground: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 移交案件（管理员）：把案件移交到机构树中的另一机构（本机构或下级机构），须写明原因。 / Transfer a case to another office of the office tree (admin), with the reason.
    Transfer {
        /// 流水号 / serial
        serial: String,
        /// 移交到的机构代码 / the office's code
        #[arg(long)]
        office: String,
        /// 移交原因 / the reason
        #[arg(long)]
        reason: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 重新提交：退回补正的案件修改并全部重新签章后，回到待初审（不再缴费）。
    ///
    /// Resubmit a corrected case once everyone has signed again (no new payment).
    Resubmit {
        /// 流水号 / serial
        serial: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 撤回：申请人申请撤回尚未办结的作品（窗口）。
    ///
    /// Withdraw an open case at the applicant's request (counter).
    Withdraw {
        /// 流水号 / serial
        serial: String,
        /// 撤回原因（记入审查记录） / the applicant's reason (kept in the review log)
        #[arg(long)]
        reason: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 补正逾期视为撤回：列出本次撤回的案件（桌面程序每小时自动执行）。
    ///
    /// Withdraw every correction left past its deadline; prints the serials (the app does it hourly).
    ExpireCorrections {
        /// 每件一行 JSON / one JSON object per case
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum PrintCmd {
    /// 申请表 PDF。 / The application form, as PDF.
    ApplicationForm {
        serial: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 邮寄面单 PDF：案件（流水号或登记号）按收件人装入邮件，每个邮件一张面单。 / Mailing labels as PDF: the cases (serials or registration numbers) packed by recipient, one label per shipment.
    Labels {
        /// 流水号或登记号 / serials or registration numbers
        #[arg(required = true)]
        numbers: Vec<String>,
        /// 输出文件 / output file
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 受理通知书 PDF（缴费核实、开始计时之后）。 / The acceptance notice as PDF (once the case was accepted).
    AcceptanceNotice {
        /// 流水号 / serial
        serial: String,
        /// 输出文件 / output file
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 一人一表的签章表 PDF：这批作品中第 N 位签章人所签的每件作品。 / One signer's batch signing form as PDF.
    BatchSigningForm {
        /// 这批作品的流水号 / the batch's serials
        #[arg(required = true)]
        serials: Vec<String>,
        /// 签章人序号（1 起，见 filing sign-batch） / the signer's place in the batch (from 1)
        #[arg(long)]
        signer: u32,
        /// 输出文件 / output file
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 补正通知书或不予登记通知书 PDF。 / The correction or refusal notice, as PDF.
    Notice {
        /// 流水号 / serial
        serial: String,
        /// 输出文件 / output file
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 电子证书 PDF（登记号或流水号；制证发证岗位）。 / The e-certificate as PDF (registration number or serial; certificate desk).
    Certificate {
        /// 登记号或流水号 / registration number or serial
        number: String,
        /// 输出文件 / output file
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

fn parse_queue(code: &str) -> Option<Queue> {
    serde_json::from_value(Value::String(code.trim().to_string())).ok()
}

fn owners(d: &CaseDetail) -> Vec<String> {
    d.draft
        .owners
        .iter()
        .map(|o| o.name.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

/// The names of who decided each review (初审、终审), from the case's review history.
fn reviewers(store: &Store, s: &Session, d: &CaseDetail) -> (Vec<String>, Vec<String>) {
    use regdesk_domain::lifecycle::CommandKind as K;
    let history = store.review_history(s, &d.id).unwrap_or_default();
    let names = |kinds: &[K]| {
        let mut out: Vec<String> = Vec::new();
        for r in history.iter().filter(|r| kinds.contains(&r.command)) {
            if !out.contains(&r.staff_name) {
                out.push(r.staff_name.clone());
            }
        }
        out
    };
    (
        names(&[K::PassFirstReview, K::ReturnForCorrection, K::ProposeRefusal]),
        names(&[K::Approve, K::SendBackToFirstReview, K::ConfirmRefusal]),
    )
}

/// The stable JSON of a case for scripts, with the names of its reviewers.
pub fn case_json_with(store: &Store, s: &Session, d: &CaseDetail) -> Value {
    let mut v = case_json(d);
    let (first, last) = reviewers(store, s, d);
    if let Some(o) = v.as_object_mut() {
        o.insert("first_reviewers".into(), json!(first));
        o.insert("final_reviewers".into(), json!(last));
    }
    v
}

/// The stable JSON of a case for scripts.
pub fn case_json(d: &CaseDetail) -> Value {
    json!({
        "serial": d.serial,
        "title": d.draft.work.title.trim(),
        "state": d.state,
        "state_label": d.state_label,
        "category": d.draft.work.category,
        "owners": owners(d),
        "applicant": d.applicant_name,
        "created_at": d.created_at,
        "accepted_on": d.accepted_on,
        "due_on": d.due_on,
        "registration_number": d.registration_number,
    })
}

fn fail(io: &mut Io<'_>, e: &StoreError) -> u8 {
    crate::desk_io::refused(io, e)
}

pub fn case(store: &Store, s: &Session, cmd: &CaseCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        CaseCmd::List { queue, search, json } => {
            let queues: Vec<Queue> = match queue {
                Some(code) => match parse_queue(code) {
                    Some(q) => vec![q],
                    None => {
                        let _ = writeln!(
                            io.err,
                            "未知队列“{code}”，可用：drafts awaiting_signature awaiting_payment awaiting_payment_check first_review final_review registered other"
                        );
                        return 2;
                    }
                },
                None => {
                    let roles = match store.session_view(s) {
                        Ok(v) => v.roles,
                        Err(e) => return fail(io, &e),
                    };
                    Queue::ALL
                        .into_iter()
                        .filter(|q| may_view_queue(&roles, *q).is_ok())
                        .collect()
                }
            };
            for q in queues {
                let mut page = 1;
                loop {
                    let input = QueueInput {
                        queue: q,
                        page,
                        page_size: 200,
                        search: search.clone(),
                        sort: None,
                        office: None,
                        cursor: None,
                    };
                    let rows = match store.list_queue(s, &input) {
                        Ok(p) => p,
                        Err(e) => return fail(io, &e),
                    };
                    for r in &rows.rows {
                        let detail = match store.case_detail(s, &r.id) {
                            Ok(d) => d,
                            Err(e) => return fail(io, &e),
                        };
                        if *json {
                            let _ = writeln!(io.out, "{}", case_json_with(store, s, &detail));
                        } else {
                            let _ = writeln!(
                                io.out,
                                "{}\t{}\t{}\t{}",
                                detail.serial,
                                detail.state_label,
                                detail.draft.work.title.trim(),
                                owners(&detail).join("、")
                            );
                        }
                    }
                    if page * 200 >= rows.total {
                        break;
                    }
                    page += 1;
                }
            }
            0
        }
        CaseCmd::Find { text, limit, json } => {
            let input = regdesk_store::CaseSearchInput {
                text: text.clone(),
                limit: *limit,
            };
            let found = match store.search_cases(s, &input) {
                Ok(f) => f,
                Err(e) => return fail(io, &e),
            };
            for h in &found.hits {
                let c = &h.case;
                if *json {
                    let v = json!({
                        "serial": c.serial,
                        "title": c.title,
                        "state": c.state,
                        "state_label": c.state_label,
                        "queue": h.queue,
                        "queue_label": h.queue_label,
                        "applicant": c.applicant_name,
                        "registration_number": c.registration_number,
                        "accepted_on": c.accepted_on,
                        "due_on": c.due_on,
                        "days_left": c.days_left,
                        "desks": h.desks,
                    });
                    let _ = writeln!(io.out, "{v}");
                } else {
                    let _ = writeln!(
                        io.out,
                        "{}\t{}\t{}\t{}\t{}",
                        c.serial,
                        c.state_label,
                        c.title,
                        c.applicant_name,
                        c.registration_number.as_deref().unwrap_or("")
                    );
                }
            }
            if found.more || found.total as usize > found.hits.len() {
                let more = if found.more { "以上" } else { "" };
                let _ = writeln!(
                    io.err,
                    "共 {} 件{more}，列出 {} 件；请输入更具体的内容或加 --limit",
                    found.total,
                    found.hits.len()
                );
            }
            0
        }
        CaseCmd::Revoke { serial, ground, note } => {
            let Ok(ground) = serde_json::from_value::<regdesk_domain::lifecycle::RevocationGround>(Value::String(
                ground.trim().to_string(),
            )) else {
                let _ = writeln!(
                    io.err,
                    "未知撤销理由“{ground}”，可用：refusal_ground_found_later facts_mismatch applicant_request duplicate_registration"
                );
                return 2;
            };
            let d = match store.case_detail(s, serial) {
                Ok(d) => d,
                Err(e) => return fail(io, &e),
            };
            let input = regdesk_store::RevokeInput {
                case_id: d.id.clone(),
                version: d.version,
                ground,
                note: note.clone(),
            };
            match store.revoke_registration(s, &input) {
                Ok(d) => {
                    let _ = writeln!(
                        io.out,
                        "已撤销登记：{} {}（{}）",
                        d.serial,
                        d.registration_number.as_deref().unwrap_or(""),
                        ground.label()
                    );
                    0
                }
                Err(e) => fail(io, &e),
            }
        }
        CaseCmd::Transfer {
            serial,
            office,
            reason,
            json,
        } => {
            let d = match store.case_detail(s, serial) {
                Ok(d) => d,
                Err(e) => return fail(io, &e),
            };
            let input = regdesk_domain::office::TransferCaseInput {
                case_id: d.id.clone(),
                version: d.version,
                office_code: office.clone(),
                reason: reason.clone(),
            };
            match store.transfer_case(s, &input) {
                Ok(d) => {
                    if *json {
                        let _ = writeln!(
                            io.out,
                            "{}",
                            json!({ "serial": d.serial, "office_code": office.trim().to_uppercase(), "version": d.version })
                        );
                    } else {
                        let _ = writeln!(
                            io.out,
                            "已把案件 {} 移交到机构 {}（原因：{}）",
                            d.serial,
                            office.trim().to_uppercase(),
                            reason.trim()
                        );
                    }
                    0
                }
                Err(e) => fail(io, &e),
            }
        }
        CaseCmd::Resubmit { serial, json } | CaseCmd::Withdraw { serial, json, .. } => {
            let d = match store.case_detail(s, serial) {
                Ok(d) => d,
                Err(e) => return fail(io, &e),
            };
            let done = match cmd {
                CaseCmd::Withdraw { reason, .. } => store.withdraw(
                    s,
                    &regdesk_store::WithdrawInput {
                        case_id: d.id,
                        version: d.version,
                        reason: reason.clone(),
                    },
                ),
                _ => store.resubmit(
                    s,
                    &regdesk_store::ResubmitInput {
                        case_id: d.id,
                        version: d.version,
                    },
                ),
            };
            match done {
                Ok(d) => {
                    crate::filing_cmd::case_out(store, s, &d, *json, io);
                    0
                }
                Err(e) => fail(io, &e),
            }
        }
        CaseCmd::ExpireCorrections { json } => match store.expire_corrections(s) {
            Ok(serials) => {
                for serial in &serials {
                    if *json {
                        let _ = writeln!(io.out, "{}", json!({ "serial": serial, "state": "withdrawn" }));
                    } else {
                        let _ = writeln!(io.out, "{serial}\t逾期未补正，视为撤回");
                    }
                }
                if serials.is_empty() && !*json {
                    let _ = writeln!(io.out, "没有逾期未补正的案件");
                }
                0
            }
            Err(e) => fail(io, &e),
        },
        CaseCmd::Show { serial, full, json } => match if *full {
            store.reveal_case(s, serial)
        } else {
            store.case_detail(s, serial)
        } {
            Ok(d) => {
                if *json {
                    let mut v = case_json_with(store, s, &d);
                    if let Some(o) = v.as_object_mut() {
                        o.insert("draft".into(), json!(d.draft));
                        o.insert("signing".into(), json!(d.signing));
                    }
                    let _ = writeln!(io.out, "{v}");
                } else {
                    let _ = writeln!(
                        io.out,
                        "流水号：{}\n状态：{}\n作品名称：{}",
                        d.serial, d.state_label, d.draft.work.title
                    );
                    let _ = writeln!(io.out, "著作权人：{}", owners(&d).join("、"));
                    if let Some(n) = &d.registration_number {
                        let _ = writeln!(io.out, "登记号：{n}");
                    }
                    for l in &d.signing {
                        let _ = writeln!(io.out, "签章：{}（{}）", l.signer.name, l.status.label());
                    }
                }
                0
            }
            Err(e) => fail(io, &e),
        },
    }
}

pub fn print(store: &Store, s: &Session, cmd: &PrintCmd, io: &mut Io<'_>) -> u8 {
    let (made, output) = match cmd {
        PrintCmd::ApplicationForm { serial, output } => (
            store
                .application_form_pdf(s, serial)
                .map(|(serial, pdf)| (format!("{serial} 的申请表"), pdf)),
            output,
        ),
        PrintCmd::Notice { serial, output } => (store.notice_pdf(s, serial), output),
        PrintCmd::BatchSigningForm {
            serials,
            signer,
            output,
        } => (
            store
                .batch_signing_form_pdf(
                    s,
                    &regdesk_store::BatchSignatureInput {
                        case_ids: serials.clone(),
                        signer: *signer,
                        scan_ref: String::new(),
                    },
                )
                .map(|(name, pdf)| (name.trim_end_matches(".pdf").to_string(), pdf)),
            output,
        ),
        PrintCmd::Certificate { number, output } => {
            return crate::certificate_cmd::print_certificate(store, s, number, output, io)
        }
        PrintCmd::Labels { numbers, output } => {
            return crate::shipping_cmd::print_labels(store, s, numbers, output, io)
        }
        PrintCmd::AcceptanceNotice { serial, output } => {
            return crate::shipping_cmd::print_notice(store, s, serial, output, io)
        }
    };
    match made {
        Ok((what, pdf)) => match std::fs::write(output, pdf) {
            Ok(()) => {
                let _ = writeln!(io.out, "已生成 {what}：{}", output.display());
                0
            }
            Err(e) => {
                let _ = writeln!(io.err, "无法写入 {}：{e}", output.display());
                1
            }
        },
        Err(e) => fail(io, &e),
    }
}
