//! Identity-document numbers (证件号码): every parser, the type guesser and `check`.
//!
//! Input: first byte picks "today" (a day within about 8 months of 2026-01-01, so birth-date-in-the-
//! future checks move), the rest is the typed text (lossy UTF-8, as a text box would give it).
//! Properties: no panic; an accepted number is the trimmed (and, where the alphabet is uppercase,
//! upper-cased) input, carries no white space, is accepted again as itself with the same facts, and for
//! the checked kinds ends with the check character its body computes; a refusal has a message and a code.
#![no_main]

use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use regdesk_domain::identity::{check, gb11643_check_char, guess_type, parse_uscc, uscc_check_char, DocumentType};

fuzz_target!(|data: &[u8]| {
    let Some((&day, rest)) = data.split_first() else {
        return;
    };
    let Some(today) = NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.checked_add_days(Days::new(u64::from(day))))
    else {
        return;
    };
    let input = String::from_utf8_lossy(rest);
    let input = input.as_ref();
    let _ = guess_type(input);
    for doc_type in DocumentType::ALL {
        match check(doc_type, input, today) {
            Ok(doc) => {
                assert_eq!(doc.doc_type, doc_type);
                let trimmed = input.trim();
                let free = matches!(doc_type, DocumentType::Passport | DocumentType::Other);
                let expected = if free {
                    trimmed.to_string()
                } else {
                    trimmed.to_ascii_uppercase()
                };
                assert_eq!(doc.number, expected, "{doc_type:?} {input:?}");
                assert!(!doc.number.chars().any(char::is_whitespace), "{doc_type:?} {input:?}");
                let again = check(doc_type, &doc.number, today);
                assert_eq!(again.as_ref(), Ok(&doc), "{doc_type:?} {input:?} not stable");
                match doc_type {
                    DocumentType::ResidentId | DocumentType::ResidencePermit => {
                        assert_eq!(doc.number.len(), 18);
                        let want = gb11643_check_char(&doc.number[..17]);
                        assert_eq!(want, doc.number.chars().last(), "{input:?}");
                        let person = doc.person.as_ref().expect("person facts");
                        assert!(person.birth_date <= today, "{input:?} born after today");
                        assert_eq!(person.region.code, doc.number[..6]);
                    }
                    DocumentType::Uscc => {
                        assert_eq!(doc.number.chars().count(), 18);
                        let body: String = doc.number.chars().take(17).collect();
                        assert_eq!(uscc_check_char(&body), doc.number.chars().last(), "{input:?}");
                        let u = parse_uscc(&doc.number).expect("accepted again");
                        assert_eq!(u.number, doc.number);
                    }
                    _ => {}
                }
            }
            Err(e) => {
                assert_eq!(e.doc_type(), doc_type);
                assert!(!e.code().is_empty());
                assert!(!e.to_string().is_empty());
            }
        }
    }
});
