//! Synthetic worlds for benchmarks and scaling tests (`jenga generate`, the cascade
//! benches, the scale tests): a deterministic generator of large, valid worlds.
//!
//! A world is `countries` country files of `nodes` components each, plus shared
//! supplier files holding `suppliers` products owned by `suppliers / 20` supplier
//! organizations (at least 4) in several jurisdictions. The popularity of the shared
//! products and of their owners follows a Zipf law (exponent [`Spec::zipf`]), so a
//! handful of them sit under every country, as Nvidia, AWS and Meta do in the real
//! data.
//!
//! A country's components are spread over the layers (5 % chips, 20 % compute, 20 %
//! data, 30 % model, 20 % distribution, 5 % capabilities). Every component's `needs`
//! mixes plain required ids, `any` alternatives and `at-least k` thresholds over
//! nodes of lower layers (domestic, or shared products drawn by popularity); with
//! probability [`Spec::unknown`] a node also has an `unknown` dependency among two
//! candidates, and with probability [`Spec::cycles`] it also needs a node of its own
//! layer, which makes cycles of mutual dependence. A quarter of the components are
//! owned by the country's government organization.
//!
//! The output is a pure function of the [`Spec`] (SplitMix64 pseudo-random numbers,
//! no clock, no hashing order): the same spec gives byte-identical files on every
//! machine. Every file validates (`jenga check --strict`); ids are unique; every node
//! cites the one source.
//!
//! Cost: O(total nodes + total dependencies) time and output size.

use std::fmt::Write as _;

use crate::country;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Number of country files.
    pub countries: usize,
    /// Components per country (capabilities included).
    pub nodes: usize,
    /// Shared supplier products.
    pub suppliers: usize,
    /// Probability that a component also needs a node of its own layer (cycles).
    pub cycles: f64,
    /// Probability that a component also has an `unknown` dependency.
    pub unknown: f64,
    /// Zipf exponent of supplier popularity.
    pub zipf: f64,
    /// Seed of the pseudo-random numbers.
    pub seed: u64,
}

impl Default for Spec {
    /// The benchmark world: 40 countries × 1,000 nodes + 2,000 shared suppliers
    /// (about 42,000 nodes and 4 MB of YAML).
    fn default() -> Self {
        Spec {
            countries: 40,
            nodes: 1000,
            suppliers: 2000,
            cycles: 0.02,
            unknown: 0.01,
            zipf: 1.1,
            seed: 42,
        }
    }
}

/// Products per shared file, so that no file comes near the per-file parser budget
/// and large worlds parse in parallel.
const PRODUCTS_PER_FILE: usize = 5_000;

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same everywhere.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`0` when `n == 0`); the modulo bias is below 2^-40 for the
    /// sizes used here.
    fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n.max(1)).unwrap_or(u64::MAX);
        usize::try_from(self.next() % n).unwrap_or(0)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let x = (self.next() >> 11) as f64; // 53 random bits
        x / (1u64 << 53) as f64
    }
}

/// Ranks `0..n` with probability ∝ 1/(rank+1)^s, by binary search in the cumulative
/// weights: O(n) to build, O(log n) per draw.
#[derive(Debug, Clone)]
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|k| {
                #[allow(clippy::cast_precision_loss)]
                let w = 1.0 / (k as f64).powf(s);
                total += w;
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn draw(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// The layers of a country in bottom-to-top order, with their share of its nodes.
const LAYERS: [(&str, f64); 6] = [
    ("chips", 0.05),
    ("compute", 0.20),
    ("data", 0.20),
    ("model", 0.30),
    ("distribution", 0.20),
    ("capability", 0.05),
];

/// Supplier layers (the first five country layers) with their share of the products.
const SUPPLIER_SHARES: [f64; 5] = [0.20, 0.25, 0.10, 0.25, 0.20];

/// Jurisdictions of the supplier organizations, most frequent first.
const SUPPLIER_JURISDICTIONS: [&str; 12] = [
    "US", "US", "US", "US", "CN", "TW", "KR", "JP", "NL", "FR", "DE", "GB",
];

/// Why a spec cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError(pub String);

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

/// The user-assigned codes in the order a synthetic world uses them: XA–XZ, QM–QZ,
/// AA, ZZ (so small worlds never look like real countries).
fn user_assigned() -> impl Iterator<Item = String> {
    let x = (b'A'..=b'Z').map(|c| format!("X{}", char::from(c)));
    let q = (b'M'..=b'Z').map(|c| format!("Q{}", char::from(c)));
    x.chain(q).chain(["AA".to_owned(), "ZZ".to_owned()])
}

/// The country codes of a world of `n` countries: the user-assigned ones first, then
/// the officially assigned ones.
fn codes(n: usize) -> Vec<String> {
    let mut out: Vec<String> = user_assigned().take(n).collect();
    if out.len() < n {
        out.extend(
            country::ASSIGNED
                .iter()
                .map(|s| (*s).to_owned())
                .take(n - out.len()),
        );
    }
    out
}

/// The most countries a world can have (one per ISO 3166-1 code).
pub fn max_countries() -> usize {
    user_assigned().count() + country::ASSIGNED.len()
}

/// One generated file: its name (no directory) and YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// File name, e.g. `xa.yaml`.
    pub name: String,
    /// YAML text.
    pub text: String,
}

/// Components of a country per file: past it, the rest of the country's nodes go to
/// `cc-part-NNN.yaml` files (nodes only), so no file exceeds the loader's default
/// YAML node budget (250,000; a component costs at most about 55 YAML nodes, with
/// every group kind, an `unknown` group and a cycle edge, so 4,000 stay under 220,000).
pub const NODES_PER_FILE: usize = 4_000;

/// The most shared supplier products (their `suppliers / 20` organizations are one
/// file, which must stay within the same budget).
pub const MAX_SUPPLIERS: usize = 200_000;

/// Checks that `spec` can be generated, and that the world it makes loads under the
/// default [`crate::load::Limits`] (so `generate` never writes a world its own loader
/// rejects: no file over the YAML node budget, see [`NODES_PER_FILE`], and no more
/// nodes in all than the default `--max-nodes`).
///
/// # Errors
/// More countries than there are codes, fewer nodes per country than layers, more
/// nodes in all than the loader's default budget or more than [`MAX_SUPPLIERS`]
/// suppliers, or a
/// probability outside [0, 1], or a negative or non-finite Zipf exponent.
pub fn check(spec: &Spec) -> Result<(), SpecError> {
    if spec.countries > max_countries() {
        return Err(SpecError(format!(
            "at most {} countries can be generated (one per ISO 3166-1 code)",
            max_countries()
        )));
    }
    for (name, p) in [("--cycles", spec.cycles), ("--unknown", spec.unknown)] {
        if !(0.0..=1.0).contains(&p) {
            return Err(SpecError(format!(
                "{name} is a probability between 0 and 1"
            )));
        }
    }
    if !(spec.zipf.is_finite() && spec.zipf >= 0.0) {
        return Err(SpecError(
            "--zipf is an exponent of 0 or more (0 = uniform popularity)".to_owned(),
        ));
    }
    let total = spec
        .countries
        .checked_mul(spec.nodes)
        .and_then(|t| t.checked_add(spec.suppliers))
        .and_then(|t| t.checked_add(spec.suppliers / 20));
    let max_total = crate::load::Limits::default().max_total_nodes;
    if total.is_none_or(|t| t > max_total) {
        return Err(SpecError(format!(
            "--countries × --nodes + --suppliers (with their organizations) is at most {max_total} nodes, the loader's default `--max-nodes`"
        )));
    }
    if spec.suppliers > MAX_SUPPLIERS {
        return Err(SpecError(format!(
            "--suppliers is at most {MAX_SUPPLIERS} (their organizations share one file, which must stay within the loader's YAML node budget)"
        )));
    }
    if spec.countries > 0 && spec.nodes < LAYERS.len() {
        return Err(SpecError(format!(
            "--nodes must be at least {} (one per layer)",
            LAYERS.len()
        )));
    }
    Ok(())
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn share(n: usize, s: f64) -> usize {
    ((n as f64) * s).round() as usize
}

/// The shared products: ids are `sup-NNNNNN`, grouped by layer.
struct Suppliers {
    /// Product numbers of each supplier layer, bottom first.
    by_layer: [Vec<usize>; 5],
    /// Popularity within each layer.
    zipf: Vec<Zipf>,
}

impl Suppliers {
    /// A product of a supplier layer strictly below country layer `layer`.
    fn pick(&self, rng: &mut Rng, layer: usize) -> Option<usize> {
        let below = layer.min(5);
        let available = (0..below).filter(|&l| !self.by_layer[l].is_empty()).count();
        if available == 0 {
            return None;
        }
        let mut k = rng.below(available);
        let l = (0..below)
            .filter(|&l| !self.by_layer[l].is_empty())
            .find(|_| {
                let hit = k == 0;
                k = k.saturating_sub(1);
                hit
            })?;
        Some(self.by_layer[l][self.zipf[l].draw(rng)])
    }
}

fn supplier_files(spec: &Spec, rng: &mut Rng, files: &mut Vec<File>) -> Suppliers {
    let orgs = (spec.suppliers / 20).max(4);
    let org_zipf = Zipf::new(orgs, spec.zipf);
    let mut by_layer: [Vec<usize>; 5] = Default::default();
    let mut layer_of = Vec::with_capacity(spec.suppliers);
    for (pos, &s) in SUPPLIER_SHARES.iter().enumerate() {
        let left = spec.suppliers - layer_of.len();
        let count = if pos + 1 == SUPPLIER_SHARES.len() {
            left
        } else {
            share(spec.suppliers, s).min(left)
        };
        for _ in 0..count {
            by_layer[pos].push(layer_of.len());
            layer_of.push(pos);
        }
    }
    let zipf: Vec<Zipf> = by_layer
        .iter()
        .map(|v| Zipf::new(v.len(), spec.zipf))
        .collect();
    let mut text = String::with_capacity(orgs * 120);
    text.push_str(
        "# Supplier organizations of a synthetic world (jenga generate).\norganizations:\n",
    );
    for o in 0..orgs {
        let j = SUPPLIER_JURISDICTIONS[o % SUPPLIER_JURISDICTIONS.len()];
        let _ = writeln!(
            text,
            "  - {{id: org-{o}, name: Supplier {o}, jurisdiction: {j}, kind: company, sources: [synth]}}"
        );
    }
    files.push(File {
        name: "organizations.yaml".to_owned(),
        text,
    });
    for (chunk, start) in (0..spec.suppliers).step_by(PRODUCTS_PER_FILE).enumerate() {
        let end = (start + PRODUCTS_PER_FILE).min(spec.suppliers);
        let mut text = String::with_capacity((end - start) * 130);
        text.push_str(
            "# Shared supplier products of a synthetic world (jenga generate).\nnodes:\n",
        );
        for (s, &layer) in layer_of.iter().enumerate().take(end).skip(start) {
            let org = org_zipf.draw(rng);
            let _ = write!(
                text,
                "  - {{id: sup-{s}, name: Product {s}, layer: {}, org: org-{org}, ",
                LAYERS[layer].0
            );
            // A product above chips needs a popular product of the layer below.
            if let Some(l) = (0..layer).rev().find(|&l| !by_layer[l].is_empty()) {
                let dep = by_layer[l][zipf[l].draw(rng)];
                let _ = write!(text, "needs: [sup-{dep}], ");
            }
            text.push_str("sources: [synth]}\n");
        }
        files.push(File {
            name: format!("suppliers-{chunk:03}.yaml"),
            text,
        });
    }
    Suppliers { by_layer, zipf }
}

/// Generates every file of the world described by `spec`, in a fixed order: the
/// bibliography, the supplier organizations, the supplier products, the countries.
///
/// # Errors
/// When [`check`] refuses the spec.
pub fn generate(spec: &Spec) -> Result<Vec<File>, SpecError> {
    check(spec)?;
    let mut rng = Rng(spec.seed);
    let mut files = Vec::with_capacity(spec.countries + 3);
    files.push(File {
        name: "sources.yaml".to_owned(),
        text: "bibliography:\n  - id: synth\n    title: Synthetic world for benchmarks\n    author: jenga generate\n    date: 2026-11\n".to_owned(),
    });
    let suppliers = supplier_files(spec, &mut rng, &mut files);
    for code in codes(spec.countries) {
        files.extend(country_file(spec, &mut rng, &suppliers, &code));
    }
    Ok(files)
}

/// A dependency chain of `nodes` nodes spread over `files` files, for the depth tests
/// and benchmarks: country `XA` has one capability `c0`, `c0` needs `c1`, …, and the
/// last node `c{nodes-1}` is a chip owned by `chipco` (jurisdiction US). Every walk
/// over it is `nodes` deep; no node has an alternative.
///
/// # Complexity
/// O(nodes) time and output size.
pub fn chain(nodes: usize, files: usize) -> Vec<File> {
    let nodes = nodes.max(2);
    let files = files.clamp(1, nodes);
    let per = nodes.div_ceil(files);
    let mut out = Vec::with_capacity(files + 2);
    out.push(File {
        name: "xa.yaml".to_owned(),
        text: "country: XA\nname: Chainland\ncapabilities: [c0]\nsources: [synth]\nbibliography:\n  - {id: synth, title: Synthetic chain, author: jenga generate, date: 2026-11}\norganizations:\n  - {id: chipco, name: ChipCo, jurisdiction: US, sources: [synth]}\n".to_owned(),
    });
    for f in 0..files {
        let (lo, hi) = (f * per, ((f + 1) * per).min(nodes));
        if lo >= hi {
            break;
        }
        let mut text = String::with_capacity((hi - lo) * 72 + 8);
        text.push_str("nodes:\n");
        for i in lo..hi {
            let _ = if i == 0 {
                writeln!(
                    text,
                    "  - {{id: c0, name: C 0, layer: capability, needs: [c1], sources: [synth]}}"
                )
            } else if i + 1 == nodes {
                writeln!(
                    text,
                    "  - {{id: c{i}, name: C {i}, layer: chips, org: chipco, sources: [synth]}}"
                )
            } else {
                writeln!(
                    text,
                    "  - {{id: c{i}, name: C {i}, layer: compute, needs: [c{}], sources: [synth]}}",
                    i + 1
                )
            };
        }
        out.push(File {
            name: format!("chain-{f:05}.yaml"),
            text,
        });
    }
    out
}

/// `k` pairs ANDed, for the cut-set budget tests: country `XA`'s capability `top` works
/// when any of `q0 … q{k-1}` works, and `qi` needs both `ai` and `bi` (chips, each its
/// own organization's). `top` fails iff every `qi` does, so its minimal cut sets over
/// the leaves pick one of `ai`/`bi` (or of their owners) per pair: over the chips
/// alone, exactly 2^k sets of order k.
///
/// # Complexity
/// O(k) time and output size.
pub fn any_pairs(k: usize) -> File {
    let k = k.max(1);
    let mut text = String::with_capacity(k * 200 + 256);
    text.push_str("country: XA\nname: Pairland\ncapabilities: [top]\nsources: [synth]\nbibliography:\n  - {id: synth, title: Synthetic pairs, author: jenga generate, date: 2026-11}\nnodes:\n  - {id: top, name: Top, layer: capability, needs: [{any: [");
    for i in 0..k {
        if i > 0 {
            text.push_str(", ");
        }
        let _ = write!(text, "q{i}");
    }
    text.push_str("]}], sources: [synth]}\n");
    for i in 0..k {
        let _ = writeln!(
            text,
            "  - {{id: q{i}, name: Q {i}, layer: compute, needs: [a{i}, b{i}], sources: [synth]}}\n  - {{id: a{i}, name: A {i}, layer: chips, sources: [synth]}}\n  - {{id: b{i}, name: B {i}, layer: chips, sources: [synth]}}"
        );
    }
    File {
        name: "xa.yaml".to_owned(),
        text,
    }
}

/// The country's file, then its `cc-part-NNN.yaml` files when it has more than
/// [`NODES_PER_FILE`] components.
fn country_file(spec: &Spec, rng: &mut Rng, suppliers: &Suppliers, code: &str) -> Vec<File> {
    let lc = code.to_ascii_lowercase();
    // Nodes per layer (at least one each), the model layer adjusted to the total.
    let mut counts = [0usize; 6];
    for (i, &(_, s)) in LAYERS.iter().enumerate() {
        counts[i] = share(spec.nodes, s).max(1);
    }
    let assigned: usize = counts.iter().sum();
    counts[3] = (counts[3] + spec.nodes).saturating_sub(assigned).max(1);
    let mut first = [0usize; 6];
    let mut acc = 0;
    for (i, c) in counts.iter().enumerate() {
        first[i] = acc;
        acc += c;
    }
    let id = |n: usize| format!("{lc}-{n}");
    let mut text = String::with_capacity(acc.min(NODES_PER_FILE) * 150);
    let _ = write!(
        text,
        "# Synthetic country {code} (jenga generate, seed {}).\ncountry: {code}\nname: Country {code}\ncapabilities: [",
        spec.seed
    );
    for n in 0..counts[5] {
        if n > 0 {
            text.push_str(", ");
        }
        text.push_str(&id(first[5] + n));
    }
    let _ = write!(
        text,
        "]\nsources: [synth]\norganizations:\n  - {{id: {lc}-gov, name: Government of {code}, jurisdiction: {code}, kind: government, sources: [synth]}}\nnodes:\n"
    );
    let mut used: Vec<String> = Vec::with_capacity(16);
    let mut terms: Vec<String> = Vec::with_capacity(8);
    let mut files = Vec::new();
    let mut in_file = 0;
    for (layer, &(layer_name, _)) in LAYERS.iter().enumerate() {
        for n in first[layer]..first[layer] + counts[layer] {
            if in_file == NODES_PER_FILE {
                let name = if files.is_empty() {
                    format!("{lc}.yaml")
                } else {
                    format!("{lc}-part-{:03}.yaml", files.len())
                };
                let next = format!(
                    "# Synthetic country {code}, continued (jenga generate, seed {}).\nnodes:\n",
                    spec.seed
                );
                files.push(File {
                    name,
                    text: std::mem::replace(&mut text, next),
                });
                in_file = 0;
            }
            in_file += 1;
            let _ = write!(
                text,
                "  - {{id: {}, name: {code} {n}, layer: {layer_name}, ",
                id(n)
            );
            if layer < 5 && rng.below(4) == 0 {
                let _ = write!(text, "org: {lc}-gov, ");
            }
            // Candidates: domestic nodes of lower layers, or shared products.
            let lower = first[layer];
            used.clear();
            terms.clear();
            let pick = |rng: &mut Rng, used: &mut Vec<String>| -> Option<String> {
                for _ in 0..8 {
                    let candidate = if lower > 0 && (layer == 5 || rng.below(2) == 0) {
                        Some(id(rng.below(lower)))
                    } else {
                        suppliers.pick(rng, layer).map(|s| format!("sup-{s}"))
                    };
                    if let Some(c) = candidate
                        && !used.contains(&c)
                    {
                        used.push(c.clone());
                        return Some(c);
                    }
                }
                None
            };
            for _ in 0..1 + rng.below(3) {
                let roll = rng.below(100);
                if roll < 60 {
                    terms.extend(pick(rng, &mut used));
                    continue;
                }
                let k = if roll < 85 {
                    2 + rng.below(2)
                } else {
                    3 + rng.below(2)
                };
                let members: Vec<String> = (0..k).filter_map(|_| pick(rng, &mut used)).collect();
                if members.len() < 2 {
                    terms.extend(members);
                } else if roll < 85 {
                    terms.push(format!("{{any: [{}]}}", members.join(", ")));
                } else {
                    terms.push(format!(
                        "{{at-least: {}, of: [{}]}}",
                        members.len() - 1,
                        members.join(", ")
                    ));
                }
            }
            if layer < 5 && rng.unit() < spec.unknown {
                let among: Vec<String> = (0..2).filter_map(|_| pick(rng, &mut used)).collect();
                if !among.is_empty() {
                    terms.push(format!(
                        "{{unknown: partner to be determined, among: [{}]}}",
                        among.join(", ")
                    ));
                }
            }
            if rng.unit() < spec.cycles && counts[layer] > 1 {
                let peer = first[layer] + rng.below(counts[layer]);
                let p = id(peer);
                if peer != n && !used.contains(&p) {
                    terms.push(p);
                }
            }
            if !terms.is_empty() {
                let _ = write!(text, "needs: [{}], ", terms.join(", "));
            }
            text.push_str("sources: [synth]}\n");
        }
    }
    let name = if files.is_empty() {
        format!("{lc}.yaml")
    } else {
        format!("{lc}-part-{:03}.yaml", files.len())
    };
    files.push(File { name, text });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Spec {
        Spec {
            countries: 3,
            nodes: 50,
            suppliers: 40,
            ..Spec::default()
        }
    }

    #[test]
    fn deterministic_and_sized() {
        let a = generate(&small()).unwrap();
        let b = generate(&small()).unwrap();
        assert_eq!(a, b);
        // sources, organizations, one products file, three countries
        assert_eq!(a.len(), 3 + 3);
        let ids = |f: &File| f.text.matches("\n  - {id: ").count();
        assert_eq!(ids(&a[1]), 4, "40 products / 20, at least 4 organizations");
        assert_eq!(ids(&a[2]), 40);
        for f in &a[3..] {
            assert_eq!(ids(f), 51, "50 components and the government: {}", f.name);
        }
        let other = generate(&Spec { seed: 7, ..small() }).unwrap();
        assert_ne!(a, other);
    }

    #[test]
    fn large_supplier_counts_are_split_across_files() {
        let spec = Spec {
            countries: 1,
            nodes: 10,
            suppliers: 12_000,
            ..Spec::default()
        };
        let files = generate(&spec).unwrap();
        let products: Vec<&File> = files
            .iter()
            .filter(|f| f.name.starts_with("suppliers-"))
            .collect();
        assert_eq!(products.len(), 3);
        let total: usize = products
            .iter()
            .map(|f| f.text.matches("\n  - {id: ").count())
            .sum();
        assert_eq!(total, 12_000);
    }

    #[test]
    fn every_kind_of_dependency_appears() {
        let files = generate(&Spec {
            unknown: 0.2,
            cycles: 0.2,
            ..small()
        })
        .unwrap();
        let all: String = files.iter().map(|f| f.text.as_str()).collect();
        for form in ["{any: [", "{at-least: ", "{unknown: ", ", org: "] {
            assert!(all.contains(form), "{form}");
        }
    }

    #[test]
    fn zipf_is_skewed() {
        let z = Zipf::new(100, 1.1);
        let mut rng = Rng(1);
        let mut hits = [0u32; 100];
        for _ in 0..10_000 {
            hits[z.draw(&mut rng)] += 1;
        }
        assert!(hits[0] > hits[10] * 5, "{:?}", &hits[..12]);
        assert!(hits.iter().all(|&h| h < 10_000));
    }

    #[test]
    fn country_codes_are_distinct_and_valid() {
        let c = codes(max_countries());
        let set: std::collections::BTreeSet<&String> = c.iter().collect();
        assert_eq!(set.len(), c.len());
        assert!(c.iter().all(|k| country::check(k).is_ok()), "{c:?}");
        assert_eq!(&c[..2], ["XA", "XB"]);
    }

    #[test]
    fn rejects_bad_specs() {
        let bad = [
            Spec {
                countries: max_countries() + 1,
                ..small()
            },
            Spec {
                cycles: 2.0,
                ..small()
            },
            Spec {
                unknown: -0.1,
                ..small()
            },
            Spec {
                zipf: f64::NAN,
                ..small()
            },
            Spec {
                nodes: 2,
                ..small()
            },
        ];
        for s in bad {
            assert!(generate(&s).is_err(), "{s:?}");
        }
    }
}
