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
//!
//! This file holds the spec, its check and the random sources; `world` writes the
//! files of a world, `shapes` the chain and the ANDed pairs of the depth and budget
//! tests.

mod shapes;
mod world;

pub use shapes::{any_pairs, chain};

use crate::country;
use world::{country_file, supplier_files};

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

/// Why a spec cannot be generated (a usage error: each names the flag to change).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// More countries than there are codes.
    #[error("at most {max} countries can be generated (one per ISO 3166-1 code)")]
    TooManyCountries {
        /// [`max_countries`].
        max: usize,
    },
    /// `--cycles` or `--unknown` outside [0, 1].
    #[error("{flag} is a probability between 0 and 1")]
    NotAProbability {
        /// The flag.
        flag: &'static str,
    },
    /// A negative or non-finite Zipf exponent.
    #[error("--zipf is an exponent of 0 or more (0 = uniform popularity)")]
    Zipf,
    /// More nodes in all than the loader's default budget.
    #[error(
        "--countries × --nodes + --suppliers (with their organizations) is at most {max} nodes, the loader's default `--max-nodes`"
    )]
    TooManyNodes {
        /// The loader's default `max_total_nodes`.
        max: usize,
    },
    /// More than [`MAX_SUPPLIERS`] suppliers.
    #[error(
        "--suppliers is at most {} (their organizations share one file, which must stay within the loader's YAML node budget)",
        MAX_SUPPLIERS
    )]
    TooManySuppliers,
    /// Fewer nodes per country than layers.
    #[error("--nodes must be at least {min} (one per layer)")]
    TooFewNodes {
        /// The number of layers.
        min: usize,
    },
}

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
        return Err(SpecError::TooManyCountries {
            max: max_countries(),
        });
    }
    for (flag, p) in [("--cycles", spec.cycles), ("--unknown", spec.unknown)] {
        if !(0.0..=1.0).contains(&p) {
            return Err(SpecError::NotAProbability { flag });
        }
    }
    if !(spec.zipf.is_finite() && spec.zipf >= 0.0) {
        return Err(SpecError::Zipf);
    }
    let total = spec
        .countries
        .checked_mul(spec.nodes)
        .and_then(|t| t.checked_add(spec.suppliers))
        .and_then(|t| t.checked_add(spec.suppliers / 20));
    let max_total = crate::load::Limits::default().max_total_nodes;
    if total.is_none_or(|t| t > max_total) {
        return Err(SpecError::TooManyNodes { max: max_total });
    }
    if spec.suppliers > MAX_SUPPLIERS {
        return Err(SpecError::TooManySuppliers);
    }
    if spec.countries > 0 && spec.nodes < LAYERS.len() {
        return Err(SpecError::TooFewNodes { min: LAYERS.len() });
    }
    Ok(())
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
