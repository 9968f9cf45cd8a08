//! How long a bank statement takes to read: a month of a busy office account
//! (10,000 lines) as a GBK CSV with a preamble and a totals line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn statement(lines: usize) -> Vec<u8> {
    let mut text = String::from("中国工商银行 账户明细\n账号,1202020209000012345\n户名,浙江省版权局\n\n");
    text.push_str("交易日期,交易时间,对方户名,对方账号,借方发生额,贷方发生额,余额,摘要,交易流水号\n");
    for i in 0..lines {
        let (debit, credit) = if i % 7 == 0 { ("320.00", "") } else { ("", "150.00") };
        text.push_str(&format!(
            "2026-11-{:02},{:02}:{:02}:00,杭州某某文化有限公司{},=\"6222020200{:09}\",{debit},{credit},\"1,{:03},000.00\",ZJ-7F3A-202611{:02}-{:04} 作品登记费,ICBC{:010}\n",
            1 + i % 28,
            8 + i % 10,
            i % 60,
            i % 97,
            i,
            i % 1000,
            1 + i % 28,
            i % 10_000,
            i
        ));
    }
    text.push_str("合计,,,,,,,,\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    bytes.into_owned()
}

fn bench(c: &mut Criterion) {
    let data = statement(10_000);
    let mut g = c.benchmark_group("statement");
    g.throughput(Throughput::Elements(10_000));
    g.sample_size(20);
    g.bench_function("parse GBK CSV, 10k lines", |b| {
        b.iter(|| regdesk_statement::parse(black_box(&data), "流水.csv").unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
