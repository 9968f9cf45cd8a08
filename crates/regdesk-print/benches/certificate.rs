//! What a certificate costs to render: one electronic certificate (the
//! target is 10 ms), and a batch of 1,000 into one PDF (the target is 10 s).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use regdesk_print::{certificate, certificate_batch, Certificate, CertificateMode, SheetLayout};

fn sample(i: usize) -> Certificate {
    Certificate {
        office_name: "浙江省版权局".into(),
        registration_number: format!("浙作登字-2026-F-{:08}", i + 1),
        work_title: format!("西湖十景之断桥残雪（系列美术作品第{}幅）", i + 1),
        category: "美术作品".into(),
        authors: vec!["林晓燕".into(), "王立".into(), "陈一鸣".into()],
        owners: vec!["杭州湖光影像文化传媒有限公司".into()],
        completed_on: "2026年03月07日".into(),
        published_on: if i.is_multiple_of(2) {
            None
        } else {
            Some("2026年04月01日".into())
        },
        applicant: "杭州湖光影像文化传媒有限公司".into(),
        registered_on: "2026年11月25日".into(),
        verification_link: format!(
            "https://bqdj.example.cn/zsyz?no=%E6%B5%99%E4%BD%9C%E7%99%BB%E5%AD%97-2026-F-{:08}&code=7K3M9QXT2D",
            i + 1
        ),
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("certificate");
    let one = sample(0);
    // Parse the font once, as a running app has.
    certificate(&one).unwrap();
    g.bench_function("one", |b| b.iter(|| certificate(&one).unwrap()));
    g.sample_size(10);
    let batch: Vec<Certificate> = (0..1000).map(sample).collect();
    let layout = SheetLayout {
        mode: CertificateMode::Full,
        ..SheetLayout::default()
    };
    g.bench_function("batch_1000", |b| {
        b.iter(|| certificate_batch(&batch, &layout, &mut |_, _| true).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
