//! ISO 3166-1 alpha-2 country codes: the officially assigned ones, `EU`, and the
//! user-assigned ranges for hypothetical and test countries.

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted.
pub const ASSIGNED: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Why a string is not a valid country code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Not two ASCII capital letters.
    Malformed,
    /// Two capital letters that ISO 3166-1 does not assign.
    Unassigned,
}

/// Whether `code` is user-assigned: AA, QM–QZ, XA–XZ or ZZ.
pub fn is_user_assigned(code: &str) -> bool {
    match code.as_bytes() {
        [b'A', b'A'] | [b'Z', b'Z'] => true,
        [b'Q', c] => (b'M'..=b'Z').contains(c),
        [b'X', c] => c.is_ascii_uppercase(),
        _ => false,
    }
}

/// Checks a jurisdiction or country code.
///
/// Accepts the officially assigned ISO 3166-1 alpha-2 codes, `EU` (exceptionally
/// reserved for the European Union) and the user-assigned ranges.
pub fn check(code: &str) -> Result<(), CodeError> {
    let b = code.as_bytes();
    if b.len() != 2 || !b.iter().all(u8::is_ascii_uppercase) {
        return Err(CodeError::Malformed);
    }
    if code == "EU" || is_user_assigned(code) || ASSIGNED.binary_search(&code).is_ok() {
        Ok(())
    } else {
        Err(CodeError::Unassigned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(ASSIGNED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn accepts_assigned_eu_and_user_ranges() {
        for c in [
            "SG", "US", "TW", "AE", "EU", "AA", "QM", "QZ", "XA", "XK", "ZZ",
        ] {
            assert_eq!(check(c), Ok(()), "{c}");
        }
    }

    #[test]
    fn rejects_others() {
        assert_eq!(check("UK"), Err(CodeError::Unassigned));
        assert!(check("QA").is_ok(), "Qatar is assigned");
        assert_eq!(check("QL"), Err(CodeError::Unassigned));
        assert_eq!(check("sg"), Err(CodeError::Malformed));
        assert_eq!(check("SGP"), Err(CodeError::Malformed));
        assert_eq!(check("../../etc"), Err(CodeError::Malformed));
        assert_eq!(check(""), Err(CodeError::Malformed));
    }
}
