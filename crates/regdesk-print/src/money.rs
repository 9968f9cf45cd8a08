//! Money as printed on receipts and reports: integer fen (分) shown as yuan (元).

/// An amount in fen as documents print it (`1,350.00`): the domain's one formatter.
pub use regdesk_domain::fee::grouped_yuan as yuan;

/// An amount in fen as a number of yuan, for spreadsheet cells.
pub(crate) fn yuan_number(fen: i64) -> f64 {
    // Amounts stay far below 2^53 fen, so the conversion is exact.
    fen as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_cells_hold_yuan() {
        assert_eq!(yuan(135_050), "1,350.50");
        assert!((yuan_number(135_050) - 1350.5).abs() < 1e-9);
    }
}
