//! Code 128 barcodes (subset B) for the case serial (流水号) printed on the
//! application form and, later, on labels.
//!
//! The encoding follows ISO/IEC 15417: a start symbol (Start B = 104), one
//! symbol per data character (value = ASCII code − 32), a check symbol
//! (weighted sum mod 103), and the stop pattern. Each symbol is three bars and
//! three spaces, eleven modules wide; the stop pattern has a fourth bar and is
//! thirteen modules wide.

use serde::{Deserialize, Serialize};

/// Symbol value of Start B.
pub const START_B: u8 = 104;
/// Symbol value of the stop pattern.
pub const STOP: u8 = 106;
/// Quiet zone each side of the symbol, in modules (the standard asks for at least ten).
pub const QUIET_ZONE_MODULES: u32 = 10;

/// Bar and space widths (in modules, bar first) of the symbol values 0–105.
const PATTERNS: [[u8; 6]; 106] = [
    [2, 1, 2, 2, 2, 2],
    [2, 2, 2, 1, 2, 2],
    [2, 2, 2, 2, 2, 1],
    [1, 2, 1, 2, 2, 3],
    [1, 2, 1, 3, 2, 2],
    [1, 3, 1, 2, 2, 2],
    [1, 2, 2, 2, 1, 3],
    [1, 2, 2, 3, 1, 2],
    [1, 3, 2, 2, 1, 2],
    [2, 2, 1, 2, 1, 3],
    [2, 2, 1, 3, 1, 2],
    [2, 3, 1, 2, 1, 2],
    [1, 1, 2, 2, 3, 2],
    [1, 2, 2, 1, 3, 2],
    [1, 2, 2, 2, 3, 1],
    [1, 1, 3, 2, 2, 2],
    [1, 2, 3, 1, 2, 2],
    [1, 2, 3, 2, 2, 1],
    [2, 2, 3, 2, 1, 1],
    [2, 2, 1, 1, 3, 2],
    [2, 2, 1, 2, 3, 1],
    [2, 1, 3, 2, 1, 2],
    [2, 2, 3, 1, 1, 2],
    [3, 1, 2, 1, 3, 1],
    [3, 1, 1, 2, 2, 2],
    [3, 2, 1, 1, 2, 2],
    [3, 2, 1, 2, 2, 1],
    [3, 1, 2, 2, 1, 2],
    [3, 2, 2, 1, 1, 2],
    [3, 2, 2, 2, 1, 1],
    [2, 1, 2, 1, 2, 3],
    [2, 1, 2, 3, 2, 1],
    [2, 3, 2, 1, 2, 1],
    [1, 1, 1, 3, 2, 3],
    [1, 3, 1, 1, 2, 3],
    [1, 3, 1, 3, 2, 1],
    [1, 1, 2, 3, 1, 3],
    [1, 3, 2, 1, 1, 3],
    [1, 3, 2, 3, 1, 1],
    [2, 1, 1, 3, 1, 3],
    [2, 3, 1, 1, 1, 3],
    [2, 3, 1, 3, 1, 1],
    [1, 1, 2, 1, 3, 3],
    [1, 1, 2, 3, 3, 1],
    [1, 3, 2, 1, 3, 1],
    [1, 1, 3, 1, 2, 3],
    [1, 1, 3, 3, 2, 1],
    [1, 3, 3, 1, 2, 1],
    [3, 1, 3, 1, 2, 1],
    [2, 1, 1, 3, 3, 1],
    [2, 3, 1, 1, 3, 1],
    [2, 1, 3, 1, 1, 3],
    [2, 1, 3, 3, 1, 1],
    [2, 1, 3, 1, 3, 1],
    [3, 1, 1, 1, 2, 3],
    [3, 1, 1, 3, 2, 1],
    [3, 3, 1, 1, 2, 1],
    [3, 1, 2, 1, 1, 3],
    [3, 1, 2, 3, 1, 1],
    [3, 3, 2, 1, 1, 1],
    [3, 1, 4, 1, 1, 1],
    [2, 2, 1, 4, 1, 1],
    [4, 3, 1, 1, 1, 1],
    [1, 1, 1, 2, 2, 4],
    [1, 1, 1, 4, 2, 2],
    [1, 2, 1, 1, 2, 4],
    [1, 2, 1, 4, 2, 1],
    [1, 4, 1, 1, 2, 2],
    [1, 4, 1, 2, 2, 1],
    [1, 1, 2, 2, 1, 4],
    [1, 1, 2, 4, 1, 2],
    [1, 2, 2, 1, 1, 4],
    [1, 2, 2, 4, 1, 1],
    [1, 4, 2, 1, 1, 2],
    [1, 4, 2, 2, 1, 1],
    [2, 4, 1, 2, 1, 1],
    [2, 2, 1, 1, 1, 4],
    [4, 1, 3, 1, 1, 1],
    [2, 4, 1, 1, 1, 2],
    [1, 3, 4, 1, 1, 1],
    [1, 1, 1, 2, 4, 2],
    [1, 2, 1, 1, 4, 2],
    [1, 2, 1, 2, 4, 1],
    [1, 1, 4, 2, 1, 2],
    [1, 2, 4, 1, 1, 2],
    [1, 2, 4, 2, 1, 1],
    [4, 1, 1, 2, 1, 2],
    [4, 2, 1, 1, 1, 2],
    [4, 2, 1, 2, 1, 1],
    [2, 1, 2, 1, 4, 1],
    [2, 1, 4, 1, 2, 1],
    [4, 1, 2, 1, 2, 1],
    [1, 1, 1, 1, 4, 3],
    [1, 1, 1, 3, 4, 1],
    [1, 3, 1, 1, 4, 1],
    [1, 1, 4, 1, 1, 3],
    [1, 1, 4, 3, 1, 1],
    [4, 1, 1, 1, 1, 3],
    [4, 1, 1, 3, 1, 1],
    [1, 1, 3, 1, 4, 1],
    [1, 1, 4, 1, 3, 1],
    [3, 1, 1, 1, 4, 1],
    [4, 1, 1, 1, 3, 1],
    [2, 1, 1, 4, 1, 2],
    [2, 1, 1, 2, 1, 4],
    [2, 1, 1, 2, 3, 2],
];

/// The stop pattern: four bars and three spaces, thirteen modules.
const STOP_PATTERN: [u8; 7] = [2, 3, 3, 1, 1, 1, 2];

/// Why a text cannot be put into a Code 128 subset B barcode (条码).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    /// Nothing to encode.
    #[error("条码内容为空：请先生成流水号")]
    Empty,
    /// A character outside printable ASCII (space to `~`).
    #[error("条码内容第 {position} 个字符「{ch}」不能编入条码：只能使用英文字母、数字和半角符号")]
    UnsupportedChar {
        /// 1-based character position.
        position: usize,
        /// The offending character.
        ch: char,
    },
}

impl BarcodeError {
    /// Stable machine code of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "barcode_empty",
            Self::UnsupportedChar { .. } => "barcode_unsupported_char",
        }
    }
}

/// One printed bar: its left edge and width, in modules from the left edge of
/// the symbol (quiet zone not included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bar {
    /// Left edge, in modules.
    pub start: u32,
    /// Width, in modules (1–4).
    pub width: u32,
}

/// A Code 128 subset B symbol ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code128 {
    /// Symbol values: Start B, the data, the check symbol, Stop.
    pub symbols: Vec<u8>,
    /// The bars, left to right.
    pub bars: Vec<Bar>,
    /// Total width in modules, without the quiet zones.
    pub width_modules: u32,
}

impl Code128 {
    /// The check symbol (second to last symbol).
    pub fn check_symbol(&self) -> u8 {
        self.symbols
            .len()
            .checked_sub(2)
            .and_then(|i| self.symbols.get(i))
            .copied()
            .unwrap_or_default()
    }
}

/// Check symbol of a symbol sequence that starts with the start symbol:
/// start value plus each data value times its 1-based position, mod 103.
pub fn check_symbol(start_and_data: &[u8]) -> u8 {
    let sum: u64 = start_and_data
        .iter()
        .enumerate()
        .map(|(i, &v)| u64::from(v) * (i.max(1) as u64))
        .sum();
    // The remainder is below 103, so it fits a u8.
    u8::try_from(sum % 103).unwrap_or_default()
}

/// Bar/space widths (in modules, bar first) of one symbol value.
pub fn pattern(value: u8) -> &'static [u8] {
    if value == STOP {
        &STOP_PATTERN
    } else {
        PATTERNS.get(usize::from(value)).map_or(&STOP_PATTERN[..0], |p| &p[..])
    }
}

/// Encodes `data` (printable ASCII only) as Code 128 subset B.
pub fn encode_b(data: &str) -> Result<Code128, BarcodeError> {
    if data.is_empty() {
        return Err(BarcodeError::Empty);
    }
    let mut symbols = Vec::with_capacity(data.len() + 3);
    symbols.push(START_B);
    for (i, ch) in data.chars().enumerate() {
        if !(' '..='~').contains(&ch) {
            return Err(BarcodeError::UnsupportedChar { position: i + 1, ch });
        }
        // ' '..='~' is 32..=126, so the value is 0..=94.
        symbols.push(ch as u8 - 32);
    }
    symbols.push(check_symbol(&symbols));
    symbols.push(STOP);

    let mut bars = Vec::new();
    let mut x = 0u32;
    for &s in &symbols {
        for (i, &w) in pattern(s).iter().enumerate() {
            let w = u32::from(w);
            if i % 2 == 0 {
                bars.push(Bar { start: x, width: w });
            }
            x += w;
        }
    }
    Ok(Code128 {
        symbols,
        bars,
        width_modules: x,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Renders the symbol as a string of modules: '1' bar, '0' space.
    fn modules(code: &Code128) -> String {
        let mut out = vec![b'0'; code.width_modules as usize];
        for b in &code.bars {
            for m in b.start..b.start + b.width {
                out[m as usize] = b'1';
            }
        }
        String::from_utf8(out).unwrap()
    }

    /// Decodes a module string back to symbol values via the pattern table.
    fn decode(bits: &str) -> Vec<u8> {
        let mut values = Vec::new();
        let mut rest = bits;
        while rest.len() >= 11 {
            let (take, is_stop) = if rest.len() == 13 { (13, true) } else { (11, false) };
            let chunk = &rest[..take];
            let mut widths = Vec::new();
            let mut prev = ' ';
            for c in chunk.chars() {
                if c == prev {
                    *widths.last_mut().unwrap() += 1u8;
                } else {
                    widths.push(1);
                    prev = c;
                }
            }
            let value = if is_stop {
                assert_eq!(widths, STOP_PATTERN);
                STOP
            } else {
                (0..106u8).find(|&v| pattern(v) == widths.as_slice()).unwrap()
            };
            values.push(value);
            rest = &rest[take..];
        }
        assert!(rest.is_empty());
        values
    }

    #[test]
    fn pattern_table_is_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for v in 0..106u8 {
            let p = pattern(v);
            assert_eq!(p.len(), 6, "value {v}");
            assert_eq!(p.iter().map(|&w| u32::from(w)).sum::<u32>(), 11, "value {v}");
            // Bars of every symbol add up to an even number of modules.
            assert_eq!((p[0] + p[2] + p[4]) % 2, 0, "value {v}");
            assert!(p.iter().all(|&w| (1..=4).contains(&w)), "value {v}");
            assert!(seen.insert(p.to_vec()), "duplicate pattern at {v}");
        }
        assert_eq!(pattern(STOP).iter().map(|&w| u32::from(w)).sum::<u32>(), 13);
    }

    #[test]
    fn known_symbols_and_check_values() {
        // Check values worked out by hand: 104 + Σ value × position, mod 103.
        let cases: &[(&str, &[u8], u8)] = &[
            // P=48 J=42 J=42 1=17 2=18 3=19 C=35: 104+48+84+126+68+90+114+245 = 879 ≡ 55
            ("PJJ123C", &[48, 42, 42, 17, 18, 19, 35], 55),
            // Z=58 J=42 -=13 0=16 1=17: 104+58+84+39+64+85 = 434 ≡ 22
            ("ZJ-01", &[58, 42, 13, 16, 17], 22),
            // space=0: 104 ≡ 1
            (" ", &[0], 1),
            // ~=94 ~=94: 104+94+188 = 386 ≡ 77
            ("~~", &[94, 94], 77),
        ];
        for &(data, values, check) in cases {
            let code = encode_b(data).unwrap();
            let mut expected = vec![START_B];
            expected.extend_from_slice(values);
            expected.push(check);
            expected.push(STOP);
            assert_eq!(code.symbols, expected, "{data}");
            assert_eq!(code.check_symbol(), check, "{data}");
            assert_eq!(code.width_modules, 11 * (values.len() as u32 + 2) + 13, "{data}");
        }
    }

    #[test]
    fn start_and_stop_module_patterns() {
        let bits = modules(&encode_b("A").unwrap());
        // Start B, 'A' (33), check (104 + 33 = 137 ≡ 34), Stop.
        assert_eq!(&bits[..11], "11010010000");
        assert_eq!(&bits[11..22], "10100011000");
        assert_eq!(&bits[22..33], "10001011000");
        assert_eq!(&bits[33..], "1100011101011");
    }

    #[test]
    fn refuses_what_subset_b_cannot_carry() {
        let cases: &[(&str, BarcodeError)] = &[
            ("", BarcodeError::Empty),
            ("ZJ-01-流水", BarcodeError::UnsupportedChar { position: 7, ch: '流' }),
            ("AB\tC", BarcodeError::UnsupportedChar { position: 3, ch: '\t' }),
            ("é", BarcodeError::UnsupportedChar { position: 1, ch: 'é' }),
        ];
        for (data, err) in cases {
            let got = encode_b(data).unwrap_err();
            assert_eq!(&got, err, "{data:?}");
            assert!(!got.to_string().is_empty());
            assert!(got.code().starts_with("barcode_"));
        }
    }

    proptest! {
        #[test]
        fn any_printable_ascii_round_trips(data in "[ -~]{1,40}") {
            let code = encode_b(&data).unwrap();
            let bits = modules(&code);
            prop_assert!(bits.starts_with("11010010000"), "Start B first");
            prop_assert!(bits.ends_with("1100011101011"), "Stop last");
            let values = decode(&bits);
            prop_assert_eq!(&values, &code.symbols);
            prop_assert_eq!(values[0], START_B);
            prop_assert_eq!(*values.last().unwrap(), STOP);
            let data_values: Vec<u8> = data.bytes().map(|b| b - 32).collect();
            prop_assert_eq!(&values[1..values.len() - 2], data_values.as_slice());
            let weighted: u64 = 104 + data_values.iter().enumerate().map(|(i, &v)| u64::from(v) * (i as u64 + 1)).sum::<u64>();
            prop_assert_eq!(u64::from(values[values.len() - 2]), weighted % 103);
            // Bars and spaces alternate: no two bars touch.
            for pair in code.bars.windows(2) {
                prop_assert!(pair[0].start + pair[0].width < pair[1].start);
            }
        }
    }
}
