//! Country names and ISO 3166-1 alpha-3 codes of the datasets, mapped to alpha-2.
//!
//! One table, each row an alpha-2 code, its alpha-3 code and the English names the
//! datasets write (Epoch uses ISO's long forms, "Korea (Republic of)"; TOP500 short
//! ones, "South Korea"). A name that is not in the table is never dropped silently:
//! callers record it in their [`Summary`](super::Summary)'s `unmapped` table.
//!
//! Two values of the ETO data are not countries and are kept as what they are, with
//! user-assigned codes: `EUR` ("Europe", a region) is [`EUROPE`] and "Various
//! countries" is [`VARIOUS`]; a provider without a headquarters is [`UNKNOWN`].

/// `XE`: ETO's `EUR`, Europe as a region (not the EU, and not one country).
pub const EUROPE: &str = "XE";
/// `XV`: ETO's "Various countries", an aggregate of unnamed countries.
pub const VARIOUS: &str = "XV";
/// `ZZ`: no country given.
pub const UNKNOWN: &str = "ZZ";

/// (alpha-2, alpha-3, English names as the datasets write them).
const TABLE: &[(&str, &str, &[&str])] = &[
    ("AE", "ARE", &["United Arab Emirates", "UAE"]),
    ("AR", "ARG", &["Argentina"]),
    ("AT", "AUT", &["Austria"]),
    ("AU", "AUS", &["Australia"]),
    ("BE", "BEL", &["Belgium"]),
    ("BG", "BGR", &["Bulgaria"]),
    ("BR", "BRA", &["Brazil"]),
    ("BY", "BLR", &["Belarus"]),
    ("CA", "CAN", &["Canada"]),
    ("CH", "CHE", &["Switzerland"]),
    ("CL", "CHL", &["Chile"]),
    ("CN", "CHN", &["China"]),
    ("CZ", "CZE", &["Czechia", "Czech Republic"]),
    ("DE", "DEU", &["Germany"]),
    ("DK", "DNK", &["Denmark"]),
    ("EE", "EST", &["Estonia"]),
    ("EG", "EGY", &["Egypt"]),
    ("ES", "ESP", &["Spain"]),
    ("FI", "FIN", &["Finland"]),
    ("FR", "FRA", &["France"]),
    (
        "GB",
        "GBR",
        &[
            "United Kingdom",
            "United Kingdom of Great Britain and Northern Ireland",
            "UK",
        ],
    ),
    ("GR", "GRC", &["Greece"]),
    ("HK", "HKG", &["Hong Kong"]),
    ("HU", "HUN", &["Hungary"]),
    ("ID", "IDN", &["Indonesia"]),
    ("IE", "IRL", &["Ireland"]),
    ("IL", "ISR", &["Israel"]),
    ("IN", "IND", &["India"]),
    ("IS", "ISL", &["Iceland"]),
    ("IT", "ITA", &["Italy"]),
    ("JP", "JPN", &["Japan"]),
    (
        "KR",
        "KOR",
        &[
            "South Korea",
            "Korea (Republic of)",
            "Korea, South",
            "Republic of Korea",
        ],
    ),
    ("KZ", "KAZ", &["Kazakhstan"]),
    ("LU", "LUX", &["Luxembourg"]),
    ("MA", "MAR", &["Morocco"]),
    ("MX", "MEX", &["Mexico"]),
    ("MY", "MYS", &["Malaysia"]),
    ("NL", "NLD", &["Netherlands", "Netherlands (the)"]),
    ("NO", "NOR", &["Norway"]),
    ("NZ", "NZL", &["New Zealand"]),
    ("PH", "PHL", &["Philippines", "Philippines (the)"]),
    ("PL", "POL", &["Poland"]),
    ("PT", "PRT", &["Portugal"]),
    ("QA", "QAT", &["Qatar"]),
    ("RO", "ROU", &["Romania"]),
    ("RU", "RUS", &["Russia", "Russian Federation"]),
    ("SA", "SAU", &["Saudi Arabia"]),
    ("SE", "SWE", &["Sweden"]),
    ("SG", "SGP", &["Singapore"]),
    ("SI", "SVN", &["Slovenia"]),
    ("SK", "SVK", &["Slovakia"]),
    ("TH", "THA", &["Thailand"]),
    ("TR", "TUR", &["Turkey", "Türkiye"]),
    ("TW", "TWN", &["Taiwan", "Taiwan (Province of China)"]),
    ("UA", "UKR", &["Ukraine"]),
    (
        "US",
        "USA",
        &["United States", "United States of America", "USA"],
    ),
    ("VN", "VNM", &["Vietnam", "Viet Nam"]),
    ("ZA", "ZAF", &["South Africa"]),
];

/// The alpha-2 code of an alpha-3 code (`NLD` → `NL`); `EUR` is [`EUROPE`].
pub fn from_alpha3(code: &str) -> Option<&'static str> {
    if code == "EUR" {
        return Some(EUROPE);
    }
    TABLE
        .iter()
        .find(|(_, a3, _)| *a3 == code)
        .map(|(a2, _, _)| *a2)
}

/// The alpha-2 code of an English country name as the datasets write it
/// (case-insensitive); "Various countries" is [`VARIOUS`].
pub fn from_name(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("Various countries") {
        return Some(VARIOUS);
    }
    TABLE
        .iter()
        .find(|(_, _, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .map(|(a2, _, _)| *a2)
}

/// The English name of an alpha-2 code of the table.
pub fn name_of(code: &str) -> Option<&'static str> {
    match code {
        EUROPE => Some("Europe"),
        VARIOUS => Some("Various countries"),
        UNKNOWN => Some("Unknown"),
        _ => TABLE
            .iter()
            .find(|(a2, _, _)| *a2 == code)
            .and_then(|(_, _, names)| names.first().copied()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_accepted_by_the_checker_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (a2, a3, _) in TABLE {
            assert!(crate::country::check(a2).is_ok(), "{a2}");
            assert!(seen.insert(*a2) && seen.insert(*a3), "{a2} {a3} twice");
        }
        for c in [EUROPE, VARIOUS, UNKNOWN] {
            assert!(crate::country::is_user_assigned(c), "{c}");
        }
    }

    #[test]
    fn names_and_codes_map() {
        assert_eq!(from_alpha3("NLD"), Some("NL"));
        assert_eq!(from_alpha3("EUR"), Some(EUROPE));
        assert_eq!(from_alpha3("XYZ"), None);
        assert_eq!(from_name("Korea (Republic of)"), Some("KR"));
        assert_eq!(from_name("united states of america"), Some("US"));
        assert_eq!(from_name("Various countries"), Some(VARIOUS));
        assert_eq!(from_name("Atlantis"), None);
    }
}
