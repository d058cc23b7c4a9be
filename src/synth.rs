//! Synthetic stacks for benchmarks and scale tests: a deterministic generator of
//! large, valid worlds (layers, organizations in several jurisdictions, `any`,
//! `at-least`, `unknown` groups and dependency cycles). Pure: returns file names and
//! YAML text; the caller decides where they go.

use std::fmt::Write as _;

/// Sizes of a synthetic world.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Number of countries (codes `XA`, `XB`, ... from the user-assigned range, then
    /// `QM`..`QZ`).
    pub countries: usize,
    /// Nodes declared in each country file.
    pub nodes_per_country: usize,
    /// Nodes in the shared suppliers file.
    pub shared_nodes: usize,
    /// Organizations in the shared file.
    pub organizations: usize,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
}

impl Shape {
    /// About 40,000 nodes: 20 countries of 1,000 nodes and 20,000 shared ones.
    pub fn large() -> Shape {
        Shape {
            countries: 20,
            nodes_per_country: 1_000,
            shared_nodes: 20_000,
            organizations: 400,
            seed: 42,
        }
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn country_code(k: usize) -> String {
    // XA..XZ then QM..QZ: user-assigned ISO 3166-1 codes.
    if k < 26 {
        format!("X{}", char::from(b'A' + (k as u8)))
    } else {
        format!("Q{}", char::from(b'M' + ((k - 26) % 14) as u8))
    }
}

const JURISDICTIONS: [&str; 8] = ["US", "FR", "JP", "GB", "KR", "TW", "CN", "DE"];
const LAYERS: [&str; 5] = ["chips", "compute", "data", "model", "distribution"];

/// Writes the `needs` of one node whose candidates are `pool` (ids of lower nodes).
fn needs(out: &mut String, rng: &mut Rng, pool: &[String]) {
    if pool.is_empty() {
        return;
    }
    let _ = writeln!(out, "    needs:");
    let pick = |rng: &mut Rng, k: usize| -> Vec<&String> {
        let mut v: Vec<&String> = (0..k).map(|_| &pool[rng.below(pool.len())]).collect();
        v.sort();
        v.dedup();
        v
    };
    let _ = writeln!(out, "      - {}", pick(rng, 1)[0]);
    match rng.below(10) {
        0..=3 => {
            let alts = pick(rng, 3);
            let list: Vec<&str> = alts.iter().map(|s| s.as_str()).collect();
            let _ = writeln!(out, "      - any: [{}]", list.join(", "));
        }
        4..=5 => {
            let of = pick(rng, 4);
            let k = 1 + rng.below(of.len());
            let list: Vec<&str> = of.iter().map(|s| s.as_str()).collect();
            let _ = writeln!(out, "      - {{at-least: {k}, of: [{}]}}", list.join(", "));
        }
        6 if rng.below(10) == 0 => {
            let among = pick(rng, 2);
            let list: Vec<&str> = among.iter().map(|s| s.as_str()).collect();
            let _ = writeln!(
                out,
                "      - {{unknown: partner to be determined, among: [{}]}}",
                list.join(", ")
            );
        }
        _ => {}
    }
}

/// Generates the files of a synthetic world: `(file name, YAML text)`, the shared
/// file first. Every file validates; ids are unique; every node cites a source.
///
/// # Complexity
/// O(total nodes).
pub fn stacks(shape: Shape) -> Vec<(String, String)> {
    let mut rng = Rng(shape.seed.max(1));
    let mut files = Vec::new();
    let mut shared = String::from(
        "bibliography:\n  - {id: synth, title: Synthetic data, author: jenga, date: 2024-01}\norganizations:\n",
    );
    let orgs: Vec<String> = (0..shape.organizations.max(1))
        .map(|k| format!("org-{k}"))
        .collect();
    for (k, o) in orgs.iter().enumerate() {
        let _ = writeln!(
            shared,
            "  - {{id: {o}, name: Org {k}, jurisdiction: {}, sources: [synth]}}",
            JURISDICTIONS[k % JURISDICTIONS.len()]
        );
    }
    shared.push_str("nodes:\n");
    // Shared nodes by layer: each layer draws its needs from the layers below.
    let per_layer = shape.shared_nodes / LAYERS.len();
    let mut by_layer: Vec<Vec<String>> = vec![Vec::new(); LAYERS.len()];
    for (li, layer) in LAYERS.iter().enumerate() {
        for k in 0..per_layer {
            let id = format!("{layer}-{k}");
            let org = &orgs[rng.below(orgs.len())];
            let _ = writeln!(
                shared,
                "  - id: {id}\n    name: {layer} {k}\n    layer: {layer}\n    org: {org}\n    sources: [synth]"
            );
            if li > 0 {
                let lower = &by_layer[rng.below(li)];
                needs(&mut shared, &mut rng, lower);
            }
            by_layer[li].push(id);
        }
    }
    files.push(("shared.yaml".to_owned(), shared));
    for c in 0..shape.countries {
        let code = country_code(c);
        let lc = code.to_lowercase();
        let mut s = format!(
            "country: {code}\nname: Country {code}\ncapabilities: [{lc}-cap-0, {lc}-cap-1]\norganizations:\n  - {{id: {lc}-lab, name: Lab {code}, jurisdiction: {code}, sources: [synth]}}\nnodes:\n"
        );
        let mut local: Vec<String> = Vec::new();
        for k in 0..shape.nodes_per_country.saturating_sub(2) {
            let li = 1 + rng.below(LAYERS.len() - 1);
            let id = format!("{lc}-n{k}");
            let _ = writeln!(
                s,
                "  - id: {id}\n    name: {code} node {k}\n    layer: {}\n    org: {lc}-lab\n    sources: [synth]",
                LAYERS[li]
            );
            // Mostly shared dependencies from below, sometimes local ones (which
            // makes cycles possible through the capabilities' cones).
            let mut pool = by_layer[rng.below(li)].clone();
            if !local.is_empty() && rng.below(4) == 0 {
                pool = local.clone();
            }
            needs(&mut s, &mut rng, &pool);
            local.push(id);
        }
        // A cycle of mutual dependence that the capabilities may rest on.
        let last = local
            .last()
            .cloned()
            .unwrap_or_else(|| "chips-0".to_owned());
        let _ = writeln!(
            s,
            "  - id: {lc}-loop-a\n    name: {code} loop A\n    layer: model\n    needs: [{lc}-loop-b]\n    sources: [synth]\n  - id: {lc}-loop-b\n    name: {code} loop B\n    layer: model\n    needs: [{lc}-loop-a, {last}]\n    sources: [synth]"
        );
        local.push(format!("{lc}-loop-a"));
        for cap in 0..2 {
            let _ = writeln!(
                s,
                "  - id: {lc}-cap-{cap}\n    name: {code} capability {cap}\n    layer: capability\n    sources: [synth]"
            );
            let tops: Vec<String> = local.iter().rev().take(40).cloned().collect();
            needs(&mut s, &mut rng, &tops);
        }
        files.push((format!("{lc}.yaml"), s));
    }
    files
}
