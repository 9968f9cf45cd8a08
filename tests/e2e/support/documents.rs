//! The documents the desk wrote, read back as a person and a scanner would:
//! pages as PNG beside the screenshots (poppler's `pdftoppm`), the text in
//! reading order (`pdftotext -layout`), the page size (`pdfinfo`) and the
//! barcodes on a page (`zbarimg`, Debian's zbar-tools).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a reading tool; its output, or a panic that names it (they are part of the test set-up).
fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?} could not run ({e}): apt-get install poppler-utils zbar-tools"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PDF's pages `first..=last` as `<name>-N.png` at `dpi` in `dir`; their paths.
pub fn pages_as_png(pdf: &Path, dir: &Path, name: &str, dpi: u32, first: u32, last: u32) -> Vec<PathBuf> {
    let stem = dir.join(name);
    run(Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-png",
            "-f",
            &first.to_string(),
            "-l",
            &last.to_string(),
        ])
        .arg(pdf)
        .arg(&stem));
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{name}-")) && n.ends_with(".png"))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "pdftoppm made no page of {}", pdf.display());
    out
}

/// The PDF's text in reading order, laid out as on the page.
pub fn text(pdf: &Path) -> String {
    run(Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-"))
}

/// What `pdfinfo` says of the PDF.
pub fn info(pdf: &Path) -> String {
    run(Command::new("pdfinfo").arg(pdf))
}

/// The barcodes zbarimg reads on page `page` rendered at 300 dpi, as `TYPE:data` lines.
pub fn barcodes(pdf: &Path, page: u32, dir: &Path) -> Vec<String> {
    let png = pages_as_png(pdf, dir, "scan-300dpi", 300, page, page);
    let out = Command::new("zbarimg")
        .args(["--quiet"])
        .arg(&png[0])
        .output()
        .unwrap_or_else(|e| panic!("zbarimg could not run ({e}): apt-get install zbar-tools"));
    let _ = std::fs::remove_file(&png[0]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The PDFs in `dir`, oldest first.
pub fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .map(|p| (std::fs::metadata(&p).and_then(|m| m.modified()).unwrap(), p))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.into_iter().map(|(_, p)| p).collect()
}
