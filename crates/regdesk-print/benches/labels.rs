//! 1,000 mailing labels (100×150 mm) into one PDF: the desk's batch must take at most 5 s.

use criterion::{criterion_group, criterion_main, Criterion};
use regdesk_print::{labels, ShippingLabel};

fn batch(n: usize) -> Vec<ShippingLabel> {
    (0..n)
        .map(|i| ShippingLabel {
            code: format!("YJ-7KQ2-261206{:03}", i + 1),
            recipient_name: format!("收件人{i}"),
            recipient_phone: format!("139{:08}", i),
            recipient_address: format!(
                "浙江省杭州市西湖区文三路 {} 号华星科技大厦 {} 楼",
                i % 500 + 1,
                i % 30 + 1
            ),
            sender_name: "浙江省版权局".into(),
            sender_phone: "0571-85100000".into(),
            sender_address: "浙江省杭州市西湖区文二路 1 号".into(),
            numbers: (0..(i % 3 + 1))
                .map(|k| format!("浙作登字-2026-F-{:08}", i * 3 + k))
                .collect(),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let one_thousand = batch(1000);
    let mut g = c.benchmark_group("labels");
    g.sample_size(10);
    g.bench_function("1000 labels 100x150 into one PDF", |b| {
        b.iter(|| labels(100.0, 150.0, &one_thousand).map(|pdf| pdf.len()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
