//! `regdesk applicant add|update|find|show|change-category|add-proof|proofs|check-proof|remove-proof`:
//! applicant profiles (用户信息) and their identity proofs through the counter's store commands.

use std::path::PathBuf;

use clap::Subcommand;
use regdesk_domain::applicant::{ApplicantCategory, ApplicantInput, ProofKind};
use regdesk_domain::identity::DocumentType;
use regdesk_domain::staff::FilePurpose;
use regdesk_store::{
    AddProofInput, ApplicantView, ChangeCategoryInput, FindApplicantsInput, IdCheckInput, IdentityProofView, Session,
    Store, UpdateApplicantInput,
};
use serde_json::Value;

use crate::desk_io::{bad_input, emit, read_json, refused};
use crate::Io;

#[derive(Subcommand, Debug)]
pub enum ApplicantCmd {
    /// 新增用户信息：读取 JSON 文件（字段同桌面程序的用户信息表，见 README），输出一行 JSON。
    ///
    /// Add a profile from a JSON file (the fields the desk saves); prints one JSON object.
    Add {
        /// JSON 文件（- 为标准输入） / JSON file (- for stdin)
        #[arg(long = "json", value_name = "FILE")]
        input: PathBuf,
    },
    /// 修改用户信息（类别不变）：读取 JSON 文件，须写完整证件号与地址。
    ///
    /// Update a profile from a JSON file (the category stays; full ID number and address).
    Update {
        /// 用户编号（applicant find 给出） / profile id (from applicant find)
        id: String,
        /// JSON 文件（- 为标准输入） / JSON file (- for stdin)
        #[arg(long = "json", value_name = "FILE")]
        input: PathBuf,
    },
    /// 查找用户信息：姓名、证件号或手机号；证件号与地址遮蔽显示。
    ///
    /// Find profiles by name, ID number or mobile (ID numbers and addresses masked).
    Find {
        text: String,
        /// 最多几条（1–50，默认 10） / at most (1–50, default 10)
        #[arg(long, default_value_t = 10)]
        limit: u32,
        /// 每条一行 JSON / one JSON object per profile
        #[arg(long)]
        json: bool,
    },
    /// 显示一条用户信息；--full 显示完整证件号与地址（记入查阅记录）。
    ///
    /// Show a profile; --full shows the full ID number and address (logged).
    Show {
        id: String,
        /// 完整证件号与地址（记入查阅记录） / full ID number and address (logged)
        #[arg(long)]
        full: bool,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 修改用户类别（管理员，核实代理资质后）：individual organisation agency lawyer。
    ///
    /// Change a profile's category (admin, after checking the agency's credentials).
    ChangeCategory {
        id: String,
        /// individual organisation agency lawyer
        #[arg(long)]
        category: String,
        /// 原因 / reason
        #[arg(long)]
        reason: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 上传身份证明文件：id_front id_back licence household_register guardian_id residence_proof power_of_attorney。
    ///
    /// Add an identity-proof scan to a profile (an image or a PDF), of the given kind.
    AddProof {
        /// 用户编号 / profile id
        id: String,
        /// 扫描件 / scan
        file: PathBuf,
        /// id_front id_back licence household_register guardian_id residence_proof power_of_attorney
        #[arg(long)]
        kind: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 用户的身份证明文件（查看记入查阅记录）。
    ///
    /// A profile's identity-proof scans (the read is logged).
    Proofs {
        /// 用户编号 / profile id
        id: String,
        /// 每份一行 JSON / one JSON object per scan
        #[arg(long)]
        json: bool,
    },
    /// 已与原件核对：记下核验人。 / Mark a scan as checked against the original.
    CheckProof {
        /// 证明文件编号（proofs 给出） / proof id (from proofs)
        proof: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 证件核验（受理台的证件面板）：是否有效、推导信息、提示，以及已有的用户信息。
    ///
    /// Check an ID number as the counter's ID panel does: valid or not, what follows, a profile that has it.
    CheckId {
        /// 证件号 / the number
        number: String,
        /// 证件类型（不填按号码形状推断）：resident_id uscc hk_macao_permit taiwan_permit residence_permit foreign_permanent_id passport
        #[arg(long = "type")]
        doc_type: Option<String>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 删除一份身份证明文件。 / Remove an identity-proof scan.
    RemoveProof {
        /// 证明文件编号 / proof id
        proof: String,
    },
}

fn proof_out(io: &mut Io<'_>, p: &IdentityProofView, json: bool) {
    if json {
        emit(io, p);
    } else {
        let _ = writeln!(
            io.out,
            "{}\t{}\t{}\t上传 {}\t{}",
            p.id,
            p.kind_label,
            p.file_name,
            p.added_by_name,
            p.checked_by_name
                .as_deref()
                .map(|c| format!("已核验（{c}）"))
                .unwrap_or_else(|| "未核验".into())
        );
    }
}

fn line(a: &ApplicantView) -> String {
    format!(
        "{}\t{}\t{}\t{} {}\t经办人 {} {}",
        a.id, a.category_label, a.name, a.id_type_label, a.id_number, a.handler_name, a.handler_mobile
    )
}

fn show(io: &mut Io<'_>, a: &ApplicantView, json: bool) {
    if json {
        emit(io, a);
    } else {
        let _ = writeln!(io.out, "{}", line(a));
    }
}

pub fn applicant(store: &Store, s: &Session, cmd: &ApplicantCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        ApplicantCmd::Add { input } => {
            let a: ApplicantInput = match read_json(input) {
                Ok(a) => a,
                Err(p) => return bad_input(io, &p),
            };
            match store.create_applicant(s, &a) {
                Ok(v) => {
                    emit(io, &v);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        ApplicantCmd::Update { id, input } => {
            let a: ApplicantInput = match read_json(input) {
                Ok(a) => a,
                Err(p) => return bad_input(io, &p),
            };
            let current = match store.applicant(s, id) {
                Ok(v) => v,
                Err(e) => return refused(io, &e),
            };
            let upd = UpdateApplicantInput {
                id: current.id,
                version: current.version,
                applicant: a,
            };
            match store.update_applicant(s, &upd) {
                Ok(v) => {
                    emit(io, &v);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        ApplicantCmd::Find { text, limit, json } => {
            let input = FindApplicantsInput {
                query: text.clone(),
                limit: *limit,
            };
            match store.find_applicants(s, &input) {
                Ok(found) => {
                    for a in &found {
                        show(io, a, *json);
                    }
                    if found.is_empty() && !*json {
                        let _ = writeln!(io.err, "没有找到“{text}”");
                    }
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        ApplicantCmd::Show { id, full, json } => {
            let got = if *full {
                store.reveal_applicant(s, id)
            } else {
                store.applicant(s, id)
            };
            match got {
                Ok(a) => {
                    if *json {
                        emit(io, &a);
                    } else {
                        let _ = writeln!(
                            io.out,
                            "用户：{}（{}）\n证件：{} {}\n经办人：{} {}\n发票邮箱：{}\n证书收件：{} {} {}",
                            a.name,
                            a.category_label,
                            a.id_type_label,
                            a.id_number,
                            a.handler_name,
                            a.handler_mobile,
                            a.invoice_email,
                            a.recipient_name,
                            a.recipient_phone,
                            a.postal_address
                        );
                    }
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        ApplicantCmd::AddProof { id, file, kind, json } => {
            let Ok(kind) = serde_json::from_value::<ProofKind>(Value::String(kind.trim().to_string())) else {
                let _ = writeln!(
                    io.err,
                    "未知证明文件种类“{kind}”，可用：id_front id_back licence household_register guardian_id residence_proof power_of_attorney"
                );
                return 2;
            };
            let f = match store.add_file(s, file, FilePurpose::IdentityProof) {
                Ok(f) => f,
                Err(e) => return refused(io, &e),
            };
            let input = AddProofInput {
                applicant_id: id.clone(),
                file_id: f.id,
                kind,
            };
            match store.add_identity_proof(s, &input) {
                Ok(p) => {
                    proof_out(io, &p, *json);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        ApplicantCmd::CheckId { number, doc_type, json } => {
            let doc_type = match doc_type {
                Some(t) => match serde_json::from_value::<DocumentType>(Value::String(t.trim().to_string())) {
                    Ok(d) => Some(d),
                    Err(_) => {
                        let _ = writeln!(
                            io.err,
                            "未知证件类型“{t}”，可用：resident_id uscc hk_macao_permit taiwan_permit residence_permit foreign_permanent_id passport"
                        );
                        return 2;
                    }
                },
                None => None,
            };
            let input = IdCheckInput {
                doc_type,
                number: number.clone(),
            };
            match store.check_id(s, &input) {
                Ok(v) => {
                    if *json {
                        emit(io, &v);
                    } else {
                        let verdict = match &v.error {
                            None => "有效".to_string(),
                            Some(e) => e.message.clone(),
                        };
                        let _ = writeln!(io.out, "{}：{verdict}", v.doc_type_label);
                        let facts: Vec<String> = [
                            v.sex_label.clone(),
                            v.age.map(|a| format!("{a} 岁")),
                            v.region_text.clone(),
                        ]
                        .into_iter()
                        .flatten()
                        .collect();
                        if !facts.is_empty() {
                            let _ = writeln!(io.out, "{}", facts.join("，"));
                        }
                        for w in v.warnings.iter().chain(v.consequences.iter().map(|c| &c.message)) {
                            let _ = writeln!(io.out, "提示：{w}");
                        }
                        if let Some(a) = &v.known_applicant {
                            let _ = writeln!(io.out, "已有用户信息：{}", line(a));
                        }
                    }
                    if v.valid {
                        0
                    } else {
                        1
                    }
                }
                Err(e) => refused(io, &e),
            }
        }
        ApplicantCmd::Proofs { id, json } => match store.identity_proofs(s, id) {
            Ok(list) => {
                for p in &list {
                    proof_out(io, p, *json);
                }
                0
            }
            Err(e) => refused(io, &e),
        },
        ApplicantCmd::CheckProof { proof, json } => match store.check_identity_proof(s, proof) {
            Ok(p) => {
                proof_out(io, &p, *json);
                0
            }
            Err(e) => refused(io, &e),
        },
        ApplicantCmd::RemoveProof { proof } => match store.remove_identity_proof(s, proof) {
            Ok(()) => {
                let _ = writeln!(io.out, "已删除身份证明文件：{proof}");
                0
            }
            Err(e) => refused(io, &e),
        },
        ApplicantCmd::ChangeCategory {
            id,
            category,
            reason,
            json,
        } => {
            let Ok(category) = serde_json::from_value::<ApplicantCategory>(Value::String(category.trim().to_string()))
            else {
                let _ = writeln!(
                    io.err,
                    "未知用户类别“{category}”，可用：individual organisation agency lawyer"
                );
                return 2;
            };
            let current = match store.applicant(s, id) {
                Ok(v) => v,
                Err(e) => return refused(io, &e),
            };
            let input = ChangeCategoryInput {
                id: current.id,
                version: current.version,
                category,
                reason: reason.clone(),
            };
            match store.change_applicant_category(s, &input) {
                Ok(a) => {
                    show(io, &a, *json);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
    }
}
