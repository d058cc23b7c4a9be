//! The dataset importers on the real files of `../shared/datasets` (or
//! `JENGA_DATASETS`): each world passes `check`, and the answers hold,
//! computed again here directly from the CSVs. Skipped when the datasets are absent,
//! unless `JENGA_REQUIRE_DATASETS=1` (CI), which makes their absence a failure.
//! Malformed rows give exact located errors and write nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{jenga_in, root};

/// The datasets folder, or None (skip) when it is absent and not required.
fn datasets() -> Option<PathBuf> {
    let required = std::env::var_os("JENGA_REQUIRE_DATASETS").is_some_and(|v| v == "1");
    let dir = std::env::var_os("JENGA_DATASETS")
        .map_or_else(|| root().join("../shared/datasets"), PathBuf::from);
    if dir.join("eto-chip-explorer/provision.csv").is_file() {
        Some(dir)
    } else if required {
        panic!(
            "JENGA_REQUIRE_DATASETS=1 but {} holds no datasets (set JENGA_DATASETS)",
            dir.display()
        );
    } else {
        eprintln!("skipped: no datasets at {}", dir.display());
        None
    }
}

/// Imports into `tmp/out` and checks the world; returns the output directory.
fn import_checked(tmp: &Path, args: &[&str]) -> PathBuf {
    let out = tmp.join("out");
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", "out"]);
    let r = jenga_in(tmp, &all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let check = jenga_in(tmp, &["--stacks", "out", "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.ends_with("; no problems\n"),
        "{}",
        check.stderr
    );
    out
}

fn json(tmp: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--stacks", "out"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let r = jenga_in(tmp, &all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(|s| s.trim().to_owned()))
                .collect()
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn eto_import_passes_check_and_carries_its_licence() {
    let Some(ds) = datasets() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let eto = ds.join("eto-chip-explorer");
    let out = import_checked(tmp.path(), &["eto", eto.to_str().unwrap()]);
    let notice = std::fs::read_to_string(out.join("LICENSE-ETO-DATA.md")).unwrap();
    assert!(notice.contains("Attribution-NonCommercial 4.0 International"));
    let yaml = std::fs::read_to_string(out.join("eto-chip-explorer.yaml")).unwrap();
    assert!(yaml.contains("Licence: CC BY-NC 4.0"));
    // EUR and "Various countries" are kept as what they are.
    assert!(yaml.contains(
        "  - id: eto-p312\n    name: \"Europe (EUR, country view)\"\n    jurisdiction: XE\n"
    ));
    assert!(yaml.contains(
        "  - id: eto-p5\n    name: \"Various countries (country view)\"\n    jurisdiction: XV\n"
    ));
    // An absent share is unknown, not zero (Discrete GPUs: Nvidia, no share).
    assert!(yaml.contains("{ id: eto-p11-n2 }"));
}

#[test]
fn eto_cutting_off_the_netherlands_loses_all_euv_supply() {
    let Some(ds) = datasets() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let eto = ds.join("eto-chip-explorer");
    import_checked(tmp.path(), &["eto", eto.to_str().unwrap()]);
    let v = json(tmp.path(), &["scenario", "--remove", "jurisdiction:NL"]);
    let supply = v["quantities"]["supply"].as_array().unwrap();
    let euv = supply.iter().find(|s| s["id"] == "eto-n20").unwrap();
    assert_eq!(euv["status"], "failed");
    assert_eq!(euv["surviving"]["low"], 0.0);
    assert_eq!(euv["surviving"]["high"], 0.0);
    let views: BTreeSet<&str> = euv["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            assert_eq!(g["surviving"]["high"], 0.0);
            g["view"].as_str().unwrap()
        })
        .collect();
    assert_eq!(views, BTreeSet::from(["country", "org"]));
    // ArF immersion keeps Japan's 0.7 % (of the 100 % published).
    let arf = supply.iter().find(|s| s["id"] == "eto-n22").unwrap();
    assert!(
        close(arf["surviving"]["low"].as_f64().unwrap(), 0.7),
        "{arf}"
    );
}

#[test]
fn asml_is_among_the_top_organisation_chokepoints() {
    let Some(ds) = datasets() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let eto = ds.join("eto-chip-explorer");
    import_checked(tmp.path(), &["eto", eto.to_str().unwrap()]);
    let v = json(
        tmp.path(),
        &[
            "chokepoints",
            "--by",
            "org",
            "--key",
            "supply",
            "--top",
            "5",
        ],
    );
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"eto-p88"), "{ids:?}");
}

/// Concentration recomputed from provision.csv and providers.csv alone.
#[derive(Debug, PartialEq)]
struct Expected {
    status: &'static str,
    top_share: Option<f64>,
    hhi: Option<f64>,
    to_75: Option<u64>,
    providers: usize,
}

fn expected_concentration(dir: &Path, country: bool) -> BTreeMap<String, Expected> {
    let providers: HashMap<String, String> = rows(&dir.join("providers.csv"))
        .into_iter()
        .map(|r| (r["provider_id"].clone(), r["provider_type"].clone()))
        .collect();
    let mut per: BTreeMap<String, BTreeMap<String, Option<f64>>> = BTreeMap::new();
    for r in rows(&dir.join("provision.csv")) {
        let is_country = providers[&r["provider_id"]] == "country";
        if is_country != country {
            continue;
        }
        let share =
            (!r["share_provided"].is_empty()).then(|| r["share_provided"].parse::<f64>().unwrap());
        per.entry(format!("eto-{}", r["provided_id"].to_lowercase()))
            .or_default()
            .insert(r["provider_id"].clone(), share);
    }
    per.into_iter()
        .map(|(id, p)| {
            let known: Vec<f64> = p.values().flatten().copied().collect();
            let e = if known.len() < p.len() {
                Expected {
                    status: if known.is_empty() {
                        "missing"
                    } else {
                        "partial"
                    },
                    top_share: None,
                    hhi: None,
                    to_75: None,
                    providers: p.len(),
                }
            } else {
                let mut s = known.clone();
                s.sort_by(|a, b| b.total_cmp(a));
                let mut acc = 0.0;
                let mut to_75 = None;
                for (k, x) in s.iter().enumerate() {
                    acc += x;
                    if acc >= 75.0 {
                        to_75 = Some(k as u64 + 1);
                        break;
                    }
                }
                Expected {
                    status: "scored",
                    top_share: s.first().copied(),
                    hhi: Some(s.iter().map(|x| x * x).sum()),
                    to_75,
                    providers: p.len(),
                }
            };
            (id, e)
        })
        .collect()
}

#[test]
fn concentration_matches_a_computation_from_provision_csv_for_every_input() {
    let Some(ds) = datasets() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let eto = ds.join("eto-chip-explorer");
    import_checked(tmp.path(), &["eto", eto.to_str().unwrap()]);
    for (by, country) in [("country", true), ("org", false)] {
        let v = json(tmp.path(), &["concentration", "--by", by]);
        let got: BTreeMap<String, Expected> = v["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let status = match c["status"].as_str().unwrap() {
                    "scored" => "scored",
                    "partial" => "partial",
                    _ => "missing",
                };
                (
                    c["id"].as_str().unwrap().to_owned(),
                    Expected {
                        status,
                        top_share: c["top_share"].as_f64(),
                        hhi: c["hhi"].as_f64(),
                        to_75: c["to_75"].as_u64(),
                        providers: c["providers"].as_array().unwrap().len(),
                    },
                )
            })
            .collect();
        let want = expected_concentration(&eto, country);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "by {by}: the same inputs"
        );
        for (id, w) in &want {
            let g = &got[id];
            assert_eq!(
                (g.status, g.to_75, g.providers),
                (w.status, w.to_75, w.providers),
                "{id} by {by}"
            );
            for (a, b) in [(g.top_share, w.top_share), (g.hhi, w.hhi)] {
                assert!(
                    a.zip(b).is_none_or(|(a, b)| close(a, b)) && a.is_some() == b.is_some(),
                    "{id} by {by}: {a:?} vs {b:?}"
                );
            }
        }
        // EUV tools: one country (one firm) reaches 75 %, HHI 10,000.
        let euv = &got["eto-n20"];
        assert_eq!((euv.to_75, euv.hhi), (Some(1), Some(10_000.0)), "by {by}");
        // Discrete GPUs have providers but no shares: flagged, not scored.
        assert_eq!(got["eto-n2"].status, "missing", "by {by}");
    }
}

/// Whether a chip or supplier text names Nvidia.
fn is_nvidia(text: &str) -> bool {
    text.to_lowercase().starts_with("nvidia")
}

/// The loss `--remove nvidia` must report per country, in H100e, from the CSVs:
/// (country code → (total, lost)).
fn epoch_expected(dir: &Path) -> BTreeMap<String, (f64, f64)> {
    let hardware: HashMap<String, String> = rows(&dir.join("ml_hardware.csv"))
        .into_iter()
        .map(|r| (r["Hardware name"].to_lowercase(), r["Manufacturer"].clone()))
        .collect();
    let clusters = rows(&dir.join("gpu_clusters.csv"));
    let norm = |s: &str| s.trim().trim_matches('"').trim().to_owned();
    let eligible = |r: &HashMap<String, String>| {
        r["Status"] == "Existing"
            && r["Certainty"] != "Unlikely"
            && r["Possible Duplicate"] != "TRUE"
    };
    let names: BTreeSet<String> = clusters
        .iter()
        .filter(|r| eligible(r))
        .map(|r| norm(&r["Name"]))
        .collect();
    let built_upon: BTreeSet<String> = clusters
        .iter()
        .filter(|r| eligible(r) && !r["Builds Upon"].is_empty())
        .map(|r| norm(&r["Builds Upon"]))
        .collect();
    let mut out: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for r in clusters.iter().filter(|r| eligible(r)) {
        if names.contains(&norm(&r["Superseded by"])) || built_upon.contains(&norm(&r["Name"])) {
            continue;
        }
        let Some(cc) = jenga::import::countries::from_name(&r["Country"]) else {
            continue;
        };
        let Ok(h) = r["H100 equivalents"].parse::<f64>() else {
            continue;
        };
        let nvidia_chip = [
            ("Chip type (primary)", "GPU Supplier (primary)"),
            ("Chip type (secondary)", "GPU supplier (secondary)"),
        ]
        .iter()
        .any(|(chip, sup)| match hardware.get(&r[*chip].to_lowercase()) {
            Some(m) => is_nvidia(m),
            None if !r[*chip].is_empty() => is_nvidia(&r[*chip]) || is_nvidia(&r[*sup]),
            None => is_nvidia(&r[*sup]),
        });
        let nvidia_owner = r["Owner"].split(',').any(|o| is_nvidia(o.trim()));
        let e = out.entry(cc.to_owned()).or_default();
        e.0 += h;
        if nvidia_chip || nvidia_owner {
            e.1 += h;
        }
    }
    out
}

fn lost_per_country(v: &Value, unit: &str) -> BTreeMap<String, (f64, f64)> {
    v["quantities"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| {
            let cap = c["capacity"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["unit"] == unit)?;
            Some((
                c["code"].as_str().unwrap().to_owned(),
                (
                    cap["total"].as_f64().unwrap(),
                    cap["lost"]["low"].as_f64().unwrap(),
                ),
            ))
        })
        .collect()
}

#[test]
fn epoch_world_passes_check_and_removing_nvidia_loses_the_h100e_the_csv_gives() {
    let Some(ds) = datasets() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let e = ds.join("epoch");
    import_checked(
        tmp.path(),
        &[
            "epoch",
            e.join("gpu_clusters.csv").to_str().unwrap(),
            e.join("ml_hardware.csv").to_str().unwrap(),
        ],
    );
    let v = json(tmp.path(), &["scenario", "--remove", "nvidia"]);
    let got = lost_per_country(&v, "H100e");
    let want = epoch_expected(&e);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (cc, (total, lost)) in &want {
        let (gt, gl) = got[cc];
        assert!(
            close(gt, *total) && close(gl, *lost),
            "{cc}: got {gt}/{gl}, want {total}/{lost}"
        );
    }
    // The UAE's clusters run on Nvidia: more than three quarters of its H100e go.
    let (t, l) = got["AE"];
    assert!(l / t > 0.75, "{l}/{t}");
}

#[test]
fn top500_world_passes_check_and_removing_nvidia_loses_the_rmax_the_csv_gives() {
    let Some(ds) = datasets() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let f = ds.join("top500/june2025.csv");
    import_checked(tmp.path(), &["top500", f.to_str().unwrap()]);
    let v = json(tmp.path(), &["scenario", "--remove", "nvidia"]);
    let got = lost_per_country(&v, "Rmax TFlop/s");
    let mut want: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for r in rows(&f) {
        let cc = jenga::import::countries::from_name(&r["Country"]).unwrap();
        let rmax: f64 = r["Rmax [TFlop/s]"].parse().unwrap();
        let chip = |c: &str| {
            let t = r[c].to_lowercase();
            t.starts_with("nvidia")
                || t.starts_with("gh superchip")
                || t.contains("gh200")
                || t.contains("grace")
        };
        let integrator = r["Manufacturer"]
            .split([',', '/'])
            .any(|i| is_nvidia(i.trim()));
        let e = want.entry(cc.to_owned()).or_default();
        e.0 += rmax;
        if chip("Processor") || chip("Accelerator/Co-Processor") || integrator {
            e.1 += rmax;
        }
    }
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (cc, (total, lost)) in &want {
        let (gt, gl) = got[cc];
        assert!(
            close(gt, *total) && close(gl, *lost),
            "{cc}: got {gt}/{gl}, want {total}/{lost}"
        );
    }
}

/// Writes a copy of the ETO folder into `tmp/eto` with `provision.csv` replaced.
fn eto_with(tmp: &Path, ds: &Path, provision: &str) {
    let dir = tmp.join("eto");
    std::fs::create_dir(&dir).unwrap();
    for f in ["inputs.csv", "stages.csv", "providers.csv", "sequence.csv"] {
        std::fs::copy(ds.join("eto-chip-explorer").join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("provision.csv"), provision).unwrap();
}

const PROVISION_HEADER: &str =
    "provider_name,provider_id,provided_name,provided_id,share_provided,year,source\n";

#[test]
fn malformed_rows_are_located_and_nothing_is_written() {
    let Some(ds) = datasets() else { return };
    let cases: [(&str, String, &str); 4] = [
        (
            "eto",
            format!(
                "{PROVISION_HEADER}ASML,P88,EUV lithography tools,N20,100.0,2025,ok\nASML,P88,ArF,N22,\"99,3 %\",2025,x\n"
            ),
            "error: eto/provision.csv:3:18: `99,3 %` is not a number (column `share_provided`); write a decimal number such as 12.5, or leave the cell empty when unknown\n",
        ),
        (
            "eto",
            format!("{PROVISION_HEADER}ASML,P88,EUV lithography tools,N20,140,2025,ok\n"),
            "error: eto/provision.csv:2:36: share 140 is not a percentage (column `share_provided`); write the global market share in percent, from 0 to 100, or leave the cell empty when unknown\n",
        ),
        (
            "eto",
            format!("{PROVISION_HEADER}ASML,P9999,EUV lithography tools,N20,100,2025,ok\n"),
            "error: eto/provision.csv:2:6: provider `P9999` is not in providers.csv (column `provider_id`); give a provider_id that providers.csv defines\n",
        ),
        (
            "eto",
            format!("{PROVISION_HEADER}ASML,P88,EUV lithography tools,N20,100\n"),
            "error: eto/provision.csv:2:1: this row has 5 fields, the header has 7; quote fields that contain commas (\"a, b\") or add the missing cells\n",
        ),
    ];
    for (_, provision, message) in &cases {
        let tmp = tempfile::tempdir().unwrap();
        eto_with(tmp.path(), &ds, provision);
        let r = jenga_in(tmp.path(), &["import", "eto", "eto", "-o", "out"]);
        assert_eq!((r.code, r.stderr.as_str()), (1, *message));
        assert!(
            !tmp.path().join("out").exists(),
            "nothing is written on error"
        );
    }
    // Epoch and TOP500: a bad number in a real row's place.
    let tmp = tempfile::tempdir().unwrap();
    let clusters = std::fs::read_to_string(ds.join("epoch/gpu_clusters.csv")).unwrap();
    let header = clusters.lines().next().unwrap();
    let h100 = header
        .split(',')
        .position(|h| h == "H100 equivalents")
        .unwrap();
    let mut cells: Vec<String> = header.split(',').map(|_| String::new()).collect();
    cells[0] = "Test cluster".into();
    cells[1] = "Existing".into();
    cells[2] = "Confirmed".into();
    cells[h100] = "lots".into();
    cells[header.split(',').position(|h| h == "Country").unwrap()] = "Japan".into();
    let prefix: usize = cells[..h100].iter().map(|c| c.chars().count() + 1).sum();
    std::fs::write(
        tmp.path().join("c.csv"),
        format!("{header}\n{}\n", cells.join(",")),
    )
    .unwrap();
    let r = jenga_in(tmp.path(), &["import", "epoch", "c.csv", "-o", "out"]);
    assert_eq!(
        r.stderr,
        format!(
            "error: c.csv:2:{}: `lots` is not a number (column `H100 equivalents`); write a decimal number such as 12.5, or leave the cell empty when unknown\n",
            prefix + 1
        )
    );
    assert_eq!(r.code, 1);
    assert!(!tmp.path().join("out").exists());

    let list = std::fs::read_to_string(ds.join("top500/june2025.csv")).unwrap();
    let mut lines = list.lines();
    let header = lines.next().unwrap();
    let first = lines.next().unwrap().replacen(",1742000,", ",-5,", 1);
    std::fs::write(tmp.path().join("t.csv"), format!("{header}\n{first}\n")).unwrap();
    let r = jenga_in(tmp.path(), &["import", "top500", "t.csv", "-o", "out"]);
    let col = first.find(",-5,").unwrap() + 2;
    assert_eq!(
        r.stderr,
        format!(
            "error: t.csv:2:{col}: Rmax `-5` is not a non-negative number (column `Rmax [TFlop/s]`); write the measured Rmax in TFlop/s\n"
        )
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn shares_and_capacities_out_of_range_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("s")).unwrap();
    std::fs::write(
        tmp.path().join("s/a.yaml"),
        "nodes:\n  - id: x\n    name: X\n    layer: chips\n    needs:\n      - any: [{ id: a, share: 80 }, b, { id: c, share: 120 }]\n    capacity: { value: -3, unit: \"\" }\n  - { id: a, name: A, layer: chips }\n  - { id: b, name: B, layer: chips }\n  - { id: c, name: C, layer: chips }\n",
    )
    .unwrap();
    let r = jenga_in(tmp.path(), &["--stacks", "s", "check"]);
    assert_eq!(r.code, 1);
    for want in [
        "error[share-out-of-range]: share 120 is not a percentage\n --> s/a.yaml:6:56\n",
        "error[capacity-out-of-range]: capacity -3 is not an amount\n --> s/a.yaml:7:24\n",
        "error[capacity-unit]: capacity has an empty unit\n --> s/a.yaml:7:34\n",
    ] {
        assert!(r.stderr.contains(want), "{want}\n{}", r.stderr);
    }
}

/// A small xorshift generator: the mutations are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `text`'s first `lines` lines with `k` random edits: a byte replaced, inserted or
/// removed, drawn from what breaks CSV and YAML (quotes, separators, newlines, C1
/// controls, line separators, invalid UTF-8).
fn mutate(text: &str, lines: usize, k: usize, rng: &mut Rng) -> Vec<u8> {
    let head: String = text.split_inclusive('\n').take(lines).collect();
    let mut bytes = head.into_bytes();
    let pieces: [&[u8]; 14] = [
        b",",
        b"\"",
        b"\n",
        b"\r\n",
        b"-1",
        b"1e999",
        b"NaN",
        b"",
        b"x",
        "\u{85}".as_bytes(),
        "\u{2028}".as_bytes(),
        b"\xff",
        b": [",
        b"150",
    ];
    for _ in 0..k {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        let piece = pieces[rng.below(pieces.len())];
        match rng.below(3) {
            0 => {
                bytes.splice(at..=at, piece.iter().copied());
            }
            1 => {
                bytes.splice(at..at, piece.iter().copied());
            }
            _ => {
                bytes.remove(at);
            }
        }
    }
    bytes
}

/// Every importer output parses and validates without an error.
fn assert_valid(files: &[jenga::import::OutFile]) {
    let limits = jenga::load::Limits::default();
    let mut loaded = jenga::load::Loaded::default();
    for f in files.iter().filter(|f| f.name.ends_with(".yaml")) {
        match jenga::load::parse_bytes(Path::new(&f.name), f.text.clone().into_bytes(), &limits) {
            Ok(file) => loaded.files.push(file),
            Err(d) => panic!("{} does not parse: {}\n{}", f.name, d.render(false), f.text),
        }
    }
    let diags = jenga::validate::validate(&loaded, &limits);
    assert!(!diags.has_errors(false), "{}", diags.render(false));
}

/// Whether an import error is located: `name:line:column: ...`.
fn located(e: &jenga::import::ImportError, names: &[&str]) -> bool {
    names.iter().any(|n| {
        e.0.strip_prefix(n)
            .and_then(|r| r.strip_prefix(':'))
            .and_then(|r| r.split_once(':'))
            .is_some_and(|(line, rest)| {
                line.parse::<u64>().is_ok()
                    && rest
                        .split_once(':')
                        .is_some_and(|(col, _)| col.parse::<u64>().is_ok())
            })
    })
}

#[test]
fn mutated_rows_never_panic_and_either_import_to_a_valid_world_or_are_located() {
    let Some(ds) = datasets() else { return };
    use jenga::import::{Input, epoch, eto, top500};
    let read = |p: &str| std::fs::read_to_string(ds.join(p)).unwrap();
    let eto_dir = "eto-chip-explorer";
    let names = [
        "inputs.csv",
        "stages.csv",
        "providers.csv",
        "provision.csv",
        "sequence.csv",
    ];
    let originals: Vec<String> = names
        .iter()
        .map(|n| read(&format!("{eto_dir}/{n}")))
        .collect();
    let clusters = read("epoch/gpu_clusters.csv");
    let hardware = read("epoch/ml_hardware.csv");
    let list = read("top500/june2025.csv");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut err) = (0, 0);
    for round in 0..30 {
        // ETO: mutate one of the five files (whole, so references still resolve).
        let which = round % names.len();
        let mut bytes: Vec<Vec<u8>> = originals.iter().map(|t| t.clone().into_bytes()).collect();
        bytes[which] = mutate(&originals[which], usize::MAX, 1 + rng.below(4), &mut rng);
        let at = |k: usize| Input {
            name: names[k],
            bytes: &bytes[k],
        };
        let r = eto::import(&eto::Files {
            inputs: at(0),
            stages: at(1),
            providers: at(2),
            provision: at(3),
            sequence: at(4),
            license: None,
        });
        match r {
            Ok(i) => {
                assert_valid(&i.files);
                ok += 1;
            }
            Err(e) => {
                assert!(located(&e, &names), "not located: {}", e.0);
                err += 1;
            }
        }
        // Epoch and TOP500: the first 80 rows, mutated.
        let c = mutate(&clusters, 80, 1 + rng.below(4), &mut rng);
        let h = mutate(&hardware, 60, rng.below(3), &mut rng);
        match epoch::import(&[
            Input {
                name: "c.csv",
                bytes: &c,
            },
            Input {
                name: "h.csv",
                bytes: &h,
            },
        ]) {
            Ok(i) => assert_valid(&i.files),
            Err(e) => assert!(located(&e, &["c.csv", "h.csv"]), "not located: {}", e.0),
        }
        let t = mutate(&list, 80, 1 + rng.below(4), &mut rng);
        match top500::import(Input {
            name: "t.csv",
            bytes: &t,
        }) {
            Ok(i) => assert_valid(&i.files),
            Err(e) => assert!(located(&e, &["t.csv"]), "not located: {}", e.0),
        }
    }
    assert!(
        ok > 0 && err > 0,
        "both outcomes are exercised: {ok} imported, {err} refused"
    );
}

/// Found by the `import_top500` fuzz target: a list whose every row is skipped (here
/// an unmapped country) wrote `organizations:` and `nodes:` with nothing after them,
/// which the loader rejects as null. Now the empty lists are left out and the world
/// passes `check`. Needs no dataset (the header is the list's column names).
#[test]
fn a_top500_list_whose_rows_are_all_skipped_still_imports_to_a_valid_world() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("t.csv"),
        "Rank,Previous Rank,First Appearance,First Rank,Name,Computer,Site,Manufacturer,Country,Year,Segment,Total Cores,Accelerator/Co-Processor Cores,Rmax [TFlop/s],Rpeak [TFlop/s],Nmax,Nhalf,HPCG [TFlop/s],Power (kW),Power Source,Energy Efficiency [GFlops/Watts],Memory,Architecture,Processor,Processor Technology,Processor Speed (MHz),Operating System,OS Family,Accelerator/Co-Processor,Cores per Socket,Processor Generation,System Model,System Family,Interconnect Family,Interconnect,Continent,Site ID,System ID\n1,,2025,1,Sys,Computer X,Some Site,HPE,Atlantis,2025,Research,100,0,10,20,,,,,,,,,CPU X,,,,,,,,,,,,,1,2\n",
    )
    .unwrap();
    let r = jenga_in(tmp.path(), &["import", "top500", "t.csv", "-o", "out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("Country \"Atlantis\" is not mapped"),
        "{}",
        r.stderr
    );
    let check = jenga_in(tmp.path(), &["--stacks", "out", "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}
