//! `regdesk review first|final|history|duplicates`: the review desks (初审台、终审台)
//! through their store commands; four eyes is the core's rule.

use clap::{ArgGroup, Subcommand};
use regdesk_domain::lifecycle::RefusalGround;
use regdesk_store::{FinalDecision, FinalDecisionInput, ReviewDecision, ReviewDecisionInput, Session, Store};
use serde_json::Value;

use crate::desk_io::{case_at, emit, refused};
use crate::filing_cmd::case_out;
use crate::Io;

#[derive(Subcommand, Debug)]
pub enum ReviewCmd {
    /// 初审：--pass 通过；--return 补正意见（可重复）退回补正；--propose-refusal 理由 --note 说明 拟不予登记。
    ///
    /// First review: --pass; --return REASON (repeatable) for correction; --propose-refusal GROUND --note TEXT.
    #[command(group(ArgGroup::new("decision").required(true).args(["pass", "return_reasons", "propose_refusal"])))]
    First {
        /// 流水号 / serial
        serial: String,
        /// 初审通过 / pass
        #[arg(long)]
        pass: bool,
        /// 退回补正，写明补正意见（可重复） / return for correction, with each reason
        #[arg(long = "return", value_name = "REASON")]
        return_reasons: Vec<String>,
        /// 拟不予登记：not_a_work term_expired publication_prohibited ownership_disputed
        #[arg(long, value_name = "GROUND", requires = "note")]
        propose_refusal: Option<String>,
        /// 拟不予登记的说明 / the proposal's note
        #[arg(long)]
        note: Option<String>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 终审：--approve 通过（分配登记号）；--send-back 意见 退回初审；--confirm-refusal 确认不予登记。
    /// 同一人不能既初审又终审同一案件。
    ///
    /// Final review: --approve (assigns the registration number); --send-back NOTE; --confirm-refusal.
    /// Whoever decided the first review may not decide the final one.
    #[command(group(ArgGroup::new("decision").required(true).args(["approve", "send_back", "confirm_refusal"])))]
    Final {
        /// 流水号 / serial
        serial: String,
        /// 终审通过 / approve
        #[arg(long)]
        approve: bool,
        /// 退回初审，写明意见 / send back to first review, with a note
        #[arg(long, value_name = "NOTE")]
        send_back: Option<String>,
        /// 确认不予登记 / confirm the refusal
        #[arg(long)]
        confirm_refusal: bool,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 审查记录：谁、何时、作何决定。 / The case's review history.
    History {
        /// 流水号 / serial
        serial: String,
        /// 每条一行 JSON / one JSON object per record
        #[arg(long)]
        json: bool,
    },
    /// 疑似重复登记的案件。 / Possible duplicates of the case.
    Duplicates {
        /// 流水号 / serial
        serial: String,
        /// 每件一行 JSON / one JSON object per case
        #[arg(long)]
        json: bool,
    },
}

pub fn review(store: &Store, s: &Session, cmd: &ReviewCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        ReviewCmd::First {
            serial,
            pass,
            return_reasons,
            propose_refusal,
            note,
            json,
        } => {
            let decision = if *pass {
                ReviewDecision::Pass
            } else if let Some(ground) = propose_refusal {
                let Ok(ground) = serde_json::from_value::<RefusalGround>(Value::String(ground.trim().to_string()))
                else {
                    let _ = writeln!(
                        io.err,
                        "未知不予登记理由“{ground}”，可用：not_a_work term_expired publication_prohibited ownership_disputed"
                    );
                    return 2;
                };
                ReviewDecision::ProposeRefusal {
                    ground,
                    note: note.clone().unwrap_or_default(),
                }
            } else {
                ReviewDecision::ReturnForCorrection {
                    reasons: return_reasons.clone(),
                }
            };
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let input = ReviewDecisionInput {
                case_id: d.id,
                version: d.version,
                decision,
            };
            match store.first_review(s, &input) {
                Ok(d) => {
                    case_out(store, s, &d, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        ReviewCmd::Final {
            serial,
            approve,
            send_back,
            confirm_refusal,
            json,
        } => {
            let decision = match (approve, send_back, confirm_refusal) {
                (true, None, false) => FinalDecision::Approve,
                (false, Some(note), false) => FinalDecision::SendBack { note: note.clone() },
                (false, None, true) => FinalDecision::ConfirmRefusal,
                _ => {
                    let _ = writeln!(
                        io.err,
                        "请写 --approve、--send-back 意见 或 --confirm-refusal（三选一）"
                    );
                    return 2;
                }
            };
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let input = FinalDecisionInput {
                case_id: d.id,
                version: d.version,
                decision,
            };
            match store.final_review(s, &input) {
                Ok(d) => {
                    case_out(store, s, &d, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        ReviewCmd::History { serial, json } => {
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            match store.review_history(s, &d.id) {
                Ok(rows) => {
                    for r in &rows {
                        if *json {
                            emit(io, r);
                        } else {
                            let at = (r.at
                                + chrono::Duration::hours(i64::from(regdesk_store::OFFICE_UTC_OFFSET_HOURS)))
                            .format("%Y-%m-%d %H:%M");
                            let details: Vec<&str> = r
                                .reasons
                                .iter()
                                .map(String::as_str)
                                .chain(r.ground_label.as_deref())
                                .chain(Some(r.note.as_str()).filter(|n| !n.is_empty()))
                                .chain(r.registration_number.as_deref())
                                .collect();
                            let _ = writeln!(
                                io.out,
                                "{at}\t{}\t{}\t{}",
                                r.staff_name,
                                r.command_label,
                                details.join("；")
                            );
                        }
                    }
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        ReviewCmd::Duplicates { serial, json } => {
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            match store.possible_duplicates(s, &d.id) {
                Ok(rows) => {
                    for r in &rows {
                        if *json {
                            emit(io, r);
                        } else {
                            let _ = writeln!(
                                io.out,
                                "{}\t{}\t{}\t{}",
                                r.serial,
                                r.state_label,
                                r.title,
                                r.registration_number.as_deref().unwrap_or("")
                            );
                        }
                    }
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
    }
}
