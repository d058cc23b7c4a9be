//! Worlds of a fixed shape for the depth and budget tests: a dependency chain and
//! `k` ANDed pairs.

use std::fmt::Write as _;

use super::File;

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
