//! 登记号核对 on an enrolled station: the numbers audit of the office's
//! record (the server's, the same as `regdesk-server numbers audit`) as the
//! admin's screen shows it — per prefix/year/letter, issued = used + voided +
//! returned + outstanding, the numbers of unknown fate, and the numbers each
//! station holds unused, this station's marked.

use regdesk_domain::staff::Permission;
use regdesk_sync::protocol::NumbersAuditReply;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::session::{actor, Session};
use crate::Store;

/// 登记号核对: the office's numbers, as the server accounts for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NumbersAuditView {
    pub series: Vec<NumberSeriesView>,
    pub leases: Vec<LeaseHoldingView>,
    /// Every series balances.
    pub balanced: bool,
}

/// One prefix/year/letter: where each issued number went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NumberSeriesView {
    /// `浙作登字-2026-F`.
    pub series: String,
    #[ts(type = "number")]
    pub issued: u64,
    #[ts(type = "number")]
    pub used: u64,
    #[ts(type = "number")]
    pub voided: u64,
    #[ts(type = "number")]
    pub returned: u64,
    #[ts(type = "number")]
    pub outstanding: u64,
    /// issued = used + voided + returned + outstanding, and no number of unknown fate.
    pub balanced: bool,
    /// The numbers of unknown fate, runs as `FIRST–LAST`.
    pub unknown: Vec<String>,
}

/// The numbers one station holds unused in one series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LeaseHoldingView {
    pub station_name: String,
    /// The station this app runs on.
    pub this_station: bool,
    pub series: String,
    #[ts(type = "number")]
    pub unused: u64,
    /// The unused numbers, runs as `FIRST–LAST`.
    pub numbers: Vec<String>,
}

impl Store {
    /// The server's numbers audit (`reply`) for who may view the audit, with
    /// this station's leases marked.
    pub fn numbers_audit(&self, session: &Session, reply: NumbersAuditReply) -> Result<NumbersAuditView> {
        actor(&self.conn(), self.now(), Some(session), Some(Permission::ViewAudit))?;
        let own = self.station_id().to_string();
        let series = reply
            .series
            .iter()
            .map(|l| NumberSeriesView {
                series: format!("{}-{}-{}", l.prefix, l.year, l.letter),
                issued: l.issued,
                used: l.used,
                voided: l.voided,
                returned: l.returned,
                outstanding: l.outstanding,
                balanced: l.balanced(),
                unknown: l.unknown_text(),
            })
            .collect::<Vec<_>>();
        let leases = reply
            .leases
            .into_iter()
            .map(|h| LeaseHoldingView {
                this_station: h.station_id == own,
                station_name: h.station_name,
                series: format!("{}-{}-{}", h.prefix, h.year, h.letter),
                unused: h.unused,
                numbers: h.numbers,
            })
            .collect();
        Ok(NumbersAuditView {
            balanced: reply.balanced && series.iter().all(|s| s.balanced),
            series,
            leases,
        })
    }
}
