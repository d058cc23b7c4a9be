//! Chip vendors, foundries and system integrators named by the Epoch and TOP500
//! data: a normalised id (`NVIDIA`, `Nvidia` → `nvidia`), a display name and the
//! jurisdiction of the headquarters. The datasets give names only; the
//! headquarters are public facts kept in this one table, and a name that is not in
//! it is reported in the import summary's `unmapped` table (jurisdiction `ZZ`).

/// (id, display name, jurisdiction, names and prefixes as the datasets write them,
/// lower case).
const TABLE: &[(&str, &str, &str, &[&str])] = &[
    ("nvidia", "Nvidia", "US", &["nvidia"]),
    ("amd", "AMD", "US", &["amd", "advanced micro devices"]),
    ("intel", "Intel", "US", &["intel"]),
    ("google", "Google", "US", &["google"]),
    ("amazon", "Amazon", "US", &["amazon aws", "amazon", "aws"]),
    ("microsoft", "Microsoft", "US", &["microsoft"]),
    ("meta", "Meta", "US", &["meta"]),
    ("tesla", "Tesla", "US", &["tesla"]),
    ("cerebras", "Cerebras", "US", &["cerebras"]),
    ("ibm", "IBM", "US", &["ibm"]),
    (
        "hpe",
        "Hewlett Packard Enterprise",
        "US",
        &[
            "hpe",
            "hewlett packard enterprise",
            "hewlett packard",
            "cray",
        ],
    ),
    ("dell", "Dell Technologies", "US", &["dell", "dell emc"]),
    (
        "supermicro",
        "Supermicro",
        "US",
        &["supermicro", "super micro"],
    ),
    (
        "penguin",
        "Penguin Computing",
        "US",
        &["penguin computing", "penguin"],
    ),
    ("eviden", "Eviden", "FR", &["eviden", "atos", "bull"]),
    ("lenovo", "Lenovo", "CN", &["lenovo"]),
    ("inspur", "Inspur", "CN", &["inspur"]),
    ("sugon", "Sugon", "CN", &["sugon", "dawning"]),
    ("huawei", "Huawei", "CN", &["huawei"]),
    (
        "kunlunxin",
        "Kunlunxin (Baidu)",
        "CN",
        &["kunlunxin baidu", "kunlunxin", "baidu"],
    ),
    ("cambricon", "Cambricon", "CN", &["cambricon"]),
    ("metax", "MetaX", "CN", &["metax"]),
    (
        "iluvatar",
        "Iluvatar CoreX",
        "CN",
        &["iluvatar corex", "iluvatar"],
    ),
    (
        "nudt",
        "National University of Defense Technology",
        "CN",
        &["national university of defense technology", "nudt"],
    ),
    (
        "moore-threads",
        "Moore Threads",
        "CN",
        &["moore threads (tencent)", "moore threads"],
    ),
    ("sunway", "Sunway", "CN", &["sunway"]),
    ("biren", "Biren", "CN", &["biren"]),
    ("hygon", "Hygon", "CN", &["hygon"]),
    ("alibaba", "Alibaba", "CN", &["alibaba"]),
    ("pezy", "PEZY Computing", "JP", &["pezy"]),
    ("fujitsu", "Fujitsu", "JP", &["fujitsu"]),
    ("nec", "NEC", "JP", &["nec"]),
    (
        "preferred-networks",
        "Preferred Networks",
        "JP",
        &["preferred networks", "mn-core"],
    ),
    ("tsmc", "TSMC", "TW", &["tsmc"]),
    ("samsung", "Samsung", "KR", &["samsung"]),
    ("smic", "SMIC", "CN", &["smic"]),
    (
        "globalfoundries",
        "GlobalFoundries",
        "US",
        &["globalfoundries"],
    ),
    ("arm", "Arm", "GB", &["arm"]),
    ("ampere", "Ampere Computing", "US", &["ampere"]),
    ("marvell", "Marvell", "US", &["marvell"]),
    ("sipearl", "SiPearl", "FR", &["sipearl"]),
    ("gigabyte", "Gigabyte", "TW", &["gigabyte"]),
    ("asus", "ASUS", "TW", &["asus", "asustek"]),
    ("quanta", "Quanta", "TW", &["quanta"]),
    ("megware", "MEGWARE", "DE", &["megware"]),
    ("clustervision", "ClusterVision", "NL", &["clustervision"]),
    ("t-platforms", "T-Platforms", "RU", &["t-platforms"]),
    ("yandex", "Yandex", "RU", &["yandex"]),
    ("sber", "Sber", "RU", &["sber"]),
    ("mts", "MTS", "RU", &["mts"]),
    ("exxact", "Exxact", "US", &["exxact"]),
    ("nebius", "Nebius", "NL", &["nebius"]),
    ("coreweave", "CoreWeave", "US", &["coreweave"]),
    ("mellanox", "Mellanox (Nvidia)", "IL", &["mellanox"]),
    ("xfusion", "xFusion", "CN", &["xfusion"]),
    ("nrcpc", "NRCPC", "CN", &["nrcpc"]),
    ("partec", "ParTec", "DE", &["partec"]),
    ("hypertec", "Hypertec", "CA", &["hypertec"]),
    ("nscale", "Nscale", "GB", &["nscale"]),
    ("atipa", "Atipa Technologies", "US", &["atipa"]),
    (
        "netweb",
        "Netweb Technologies",
        "IN",
        &["netweb technologies", "netweb"],
    ),
];

/// A vendor of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vendor {
    /// Normalised id (`nvidia`).
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Jurisdiction of the headquarters.
    pub jurisdiction: &'static str,
}

/// The vendor a name or product text starts with, case-insensitively, on a word
/// boundary (`"Nvidia H100 SXM5 94Gb"` → Nvidia); the longest matching name wins.
pub fn find(text: &str) -> Option<Vendor> {
    let t = text.trim().to_lowercase();
    let mut best: Option<(usize, Vendor)> = None;
    for (id, name, j, names) in TABLE {
        for n in *names {
            let boundary = t.strip_prefix(n).is_some_and(|rest| {
                rest.is_empty() || !rest.starts_with(|c: char| c.is_alphanumeric())
            });
            if boundary && best.is_none_or(|(l, _)| n.len() > l) {
                best = Some((
                    n.len(),
                    Vendor {
                        id,
                        name,
                        jurisdiction: j,
                    },
                ));
            }
        }
    }
    best.map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_names_are_normalised() {
        assert_eq!(find("NVIDIA H100 SXM5 80GB").unwrap().id, "nvidia");
        assert_eq!(find("Nvidia H100 SXM5 94Gb").unwrap().id, "nvidia");
        assert_eq!(find("AMD Instinct MI250X").unwrap().id, "amd");
        assert_eq!(find("Amazon AWS").unwrap().id, "amazon");
        assert_eq!(find("Metaverse"), None);
        assert_eq!(find("Meta").unwrap().id, "meta");
        for (_, _, j, _) in TABLE {
            assert!(crate::country::check(j).is_ok());
        }
    }
}
