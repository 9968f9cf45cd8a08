//! 作品类别 (work categories), after copyright law art. 3 and the national
//! registration statistics table (docs/DOMAIN.md §8).
//!
//! There are 17 categories. The national table names the film category twice
//! over the years — 电影和类似摄制电影方法创作的作品 (before the 2020 amendment of
//! the copyright law) and 视听作品 (after it) — but they are one and the same
//! category, so it is one variant here ([`WorkCategory::Audiovisual`]) whose
//! label is 视听作品 and whose [`WorkCategory::former_label`] is the old name;
//! counting both names gives the figure 18 that is sometimes quoted.
//! Computer software is registered in a separate system and is absent.
//!
//! The registration-number letter of each category is configurable data and
//! lives in `crate::regno::CategoryLetters`, not here.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// 作品类别。Serialized as the stable snake_case [`WorkCategory::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkCategory {
    /// 文字作品
    Text,
    /// 口述作品
    Oral,
    /// 音乐作品
    Music,
    /// 戏剧作品
    Drama,
    /// 曲艺作品
    Quyi,
    /// 舞蹈作品
    Dance,
    /// 杂技艺术作品
    Acrobatics,
    /// 美术作品
    FineArt,
    /// 建筑作品
    Architecture,
    /// 摄影作品
    Photography,
    /// 视听作品（原称：电影和类似摄制电影方法创作的作品）
    Audiovisual,
    /// 工程设计图
    EngineeringDrawing,
    /// 产品设计图
    ProductDrawing,
    /// 地图
    Map,
    /// 示意图
    Schematic,
    /// 模型作品
    Model,
    /// 其他作品
    Other,
}

impl WorkCategory {
    /// Every category, in the order of the national table (also the default letter order A, B, C, ...).
    pub const ALL: [WorkCategory; 17] = [
        WorkCategory::Text,
        WorkCategory::Oral,
        WorkCategory::Music,
        WorkCategory::Drama,
        WorkCategory::Quyi,
        WorkCategory::Dance,
        WorkCategory::Acrobatics,
        WorkCategory::FineArt,
        WorkCategory::Architecture,
        WorkCategory::Photography,
        WorkCategory::Audiovisual,
        WorkCategory::EngineeringDrawing,
        WorkCategory::ProductDrawing,
        WorkCategory::Map,
        WorkCategory::Schematic,
        WorkCategory::Model,
        WorkCategory::Other,
    ];

    /// Stable machine code (the serde form), e.g. `fine_art`.
    pub fn code(self) -> &'static str {
        match self {
            WorkCategory::Text => "text",
            WorkCategory::Oral => "oral",
            WorkCategory::Music => "music",
            WorkCategory::Drama => "drama",
            WorkCategory::Quyi => "quyi",
            WorkCategory::Dance => "dance",
            WorkCategory::Acrobatics => "acrobatics",
            WorkCategory::FineArt => "fine_art",
            WorkCategory::Architecture => "architecture",
            WorkCategory::Photography => "photography",
            WorkCategory::Audiovisual => "audiovisual",
            WorkCategory::EngineeringDrawing => "engineering_drawing",
            WorkCategory::ProductDrawing => "product_drawing",
            WorkCategory::Map => "map",
            WorkCategory::Schematic => "schematic",
            WorkCategory::Model => "model",
            WorkCategory::Other => "other",
        }
    }

    /// The category by its machine code.
    pub fn from_code(code: &str) -> Option<WorkCategory> {
        WorkCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Chinese label as printed on the certificate and in lists, e.g. 美术.
    pub fn label(self) -> &'static str {
        match self {
            WorkCategory::Text => "文字",
            WorkCategory::Oral => "口述",
            WorkCategory::Music => "音乐",
            WorkCategory::Drama => "戏剧",
            WorkCategory::Quyi => "曲艺",
            WorkCategory::Dance => "舞蹈",
            WorkCategory::Acrobatics => "杂技艺术",
            WorkCategory::FineArt => "美术",
            WorkCategory::Architecture => "建筑",
            WorkCategory::Photography => "摄影",
            WorkCategory::Audiovisual => "视听作品",
            WorkCategory::EngineeringDrawing => "工程设计图",
            WorkCategory::ProductDrawing => "产品设计图",
            WorkCategory::Map => "地图",
            WorkCategory::Schematic => "示意图",
            WorkCategory::Model => "模型",
            WorkCategory::Other => "其他",
        }
    }

    /// The category by its Chinese label; also accepts the former film label
    /// and the label followed by 作品 (文字作品, 美术作品).
    pub fn from_label(label: &str) -> Option<WorkCategory> {
        let l = label.trim();
        WorkCategory::ALL.into_iter().find(|c| {
            c.label() == l
                || c.former_label() == Some(l)
                || l.strip_suffix("作品").is_some_and(|s| !s.is_empty() && s == c.label())
        })
    }

    /// A former official name of the category, if it had one.
    pub fn former_label(self) -> Option<&'static str> {
        match self {
            WorkCategory::Audiovisual => Some("电影和类似摄制电影方法创作的作品"),
            _ => None,
        }
    }
}

impl std::fmt::Display for WorkCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_distinct_categories() {
        let mut codes: Vec<_> = WorkCategory::ALL.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 17);
        let mut labels: Vec<_> = WorkCategory::ALL.iter().map(|c| c.label()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), 17);
    }

    #[test]
    fn code_round_trips_and_matches_serde() {
        for c in WorkCategory::ALL {
            assert_eq!(WorkCategory::from_code(c.code()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.code()));
            assert_eq!(WorkCategory::from_label(c.label()), Some(c));
        }
        assert_eq!(WorkCategory::from_code("software"), None);
    }

    #[test]
    fn labels_by_table() {
        let cases = [
            ("美术", Some(WorkCategory::FineArt)),
            ("美术作品", Some(WorkCategory::FineArt)),
            ("电影和类似摄制电影方法创作的作品", Some(WorkCategory::Audiovisual)),
            ("视听作品", Some(WorkCategory::Audiovisual)),
            (" 文字 ", Some(WorkCategory::Text)),
            ("计算机软件", None),
            ("作品", None),
        ];
        for (label, want) in cases {
            assert_eq!(WorkCategory::from_label(label), want, "{label}");
        }
    }
}
