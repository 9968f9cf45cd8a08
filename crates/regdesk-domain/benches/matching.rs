//! How long matching takes: one statement line against the open cases and the
//! recorded transfers of a busy office (2,000 candidates).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use regdesk_domain::payment::{match_line, Candidate, CreditLine};

fn candidates(n: usize) -> Vec<Candidate> {
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    (0..n)
        .map(|i| {
            if i % 4 == 0 {
                Candidate::RecordedTransfer {
                    id: format!("t{i}"),
                    reference: format!("ICBC{i:010}"),
                    amount_fen: 15_000,
                    payer: format!("杭州某某文化有限公司{}", i % 97),
                    received_on: day,
                }
            } else {
                Candidate::OpenCase {
                    serial: format!("ZJ-7F3A-20261120-{:04}", i % 10_000),
                    owed_fen: 15_000,
                    names: vec![format!("杭州某某文化有限公司{}", i % 97), format!("林晓雨{i}")],
                    awaiting_since: day,
                }
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cands = candidates(2_000);
    let line = CreditLine {
        date: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        payer: "杭州某某文化有限公司5".into(),
        amount_fen: 15_000,
        memo: "ZJ-7F3A-20261120-1234 作品登记费".into(),
        reference: "ICBC9999999999".into(),
    };
    c.bench_function("match one line against 2,000 candidates", |b| {
        b.iter(|| match_line(black_box(&line), black_box(&cands)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
