//! The files of a generated world: the shared supplier organizations and products,
//! and each country's file (split into `cc-part-NNN.yaml` past [`NODES_PER_FILE`]).

use std::fmt::Write as _;

use super::{
    File, LAYERS, NODES_PER_FILE, PRODUCTS_PER_FILE, Rng, SUPPLIER_JURISDICTIONS, SUPPLIER_SHARES,
    Spec, Zipf,
};

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn share(n: usize, s: f64) -> usize {
    ((n as f64) * s).round() as usize
}

/// The shared products: ids are `sup-NNNNNN`, grouped by layer.
pub(super) struct Suppliers {
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

pub(super) fn supplier_files(spec: &Spec, rng: &mut Rng, files: &mut Vec<File>) -> Suppliers {
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

/// The country's file, then its `cc-part-NNN.yaml` files when it has more than
/// [`NODES_PER_FILE`] components.
pub(super) fn country_file(
    spec: &Spec,
    rng: &mut Rng,
    suppliers: &Suppliers,
    code: &str,
) -> Vec<File> {
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
