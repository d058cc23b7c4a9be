//! Shared cascades along chains: a node whose only dependent needs it hard does the
//! damage its dependent does, so the sweep cascades once per chain, not once per link.
//!
//! Let `v` have exactly one dependent `u`, through exactly one group of `u` that fails
//! as soon as any member fails (a required id, an implicit `org`/`parent`, an
//! `at-least` with k = n; never an `unknown`). Removing `v` fails `u` at once, and
//! every chain of failures from `v` runs through `u`, so the failures of removing `v`
//! are those of removing `u`, plus `v` (in both readings of `unknown`s, cycles
//! included: if `v` needs `u` back, removing `u` fails `v` too). Every other node has
//! the same status in both scenarios (only `u` depends on `v`, and `u` fails in both),
//! so the capabilities failed, the countries failed and the countries degraded are
//! equal; only the exposure differs, and the sweep reads it from `Reach`. Following
//! such links from a candidate reaches its *representative*, the first node that is
//! not a link; the sweep cascades once per representative.
//!
//! With scoped `unknown`s, a removal also puts at risk the open `unknown`s of the
//! layers it could be ([`crate::analysis::cascade::Cascade::could_be`]), so `v` is a
//! link to `u` only when both could be the same layers: then the two removals put the
//! same `unknown`s at risk and the argument above holds in the pessimistic reading.
//!
//! This holds because a removal's outcome is a function of the failures it causes;
//! `tests/integration/properties.rs` checks the ranking against the naive definition,
//! on random worlds that contain such chains.

use crate::graph::{NodeIdx, World};

/// The one dependent `u` that `v` is a hard link to, if `v` is one.
fn link(
    world: &World,
    v: NodeIdx,
    listed: &impl Fn(NodeIdx) -> bool,
    could_be: &impl Fn(NodeIdx) -> u8,
) -> Option<NodeIdx> {
    if listed(v) {
        return None;
    }
    let mut owners = world.dependents(v);
    let u = owners.next()?;
    if owners.any(|o| o != u) {
        return None;
    }
    let mut groups = world
        .node(u)
        .needs
        .iter()
        .filter(|g| g.members.contains(&v));
    let g = groups.next()?;
    let hard = !g.is_unknown() && g.need as usize == g.members.len();
    (hard && groups.next().is_none() && could_be(v) == could_be(u)).then_some(u)
}

/// For every node, its representative: itself, or the representative of the node it
/// is a hard link to. A cycle of links (each node of a cycle needed only by the next)
/// is represented by the node where the walk found it closed.
///
/// # Complexity
/// O(V + E): each node's link is found once (its dependents and its dependent's
/// groups are read once), and each walk stops at a node already resolved (its nodes
/// are then resolved to the same representative).
/// `listed` tells the capabilities (never links), `could_be` the layer mask a
/// removal of the node could be (links join only nodes of equal masks).
pub fn representatives(
    world: &World,
    listed: impl Fn(NodeIdx) -> bool,
    could_be: impl Fn(NodeIdx) -> u8,
) -> Vec<NodeIdx> {
    let n = world.len();
    const UNSET: usize = usize::MAX;
    const ON_WALK: usize = usize::MAX - 1;
    let mut rep = vec![UNSET; n];
    let mut walk: Vec<NodeIdx> = Vec::new();
    for start in world.indices() {
        if rep[start.index()] != UNSET {
            continue;
        }
        walk.clear();
        let mut v = start;
        let end = loop {
            match rep[v.index()] {
                UNSET => {}
                // A closed cycle of links: its first node met again stands for all.
                ON_WALK => break v,
                r => break NodeIdx::new(r),
            }
            rep[v.index()] = ON_WALK;
            walk.push(v);
            match link(world, v, &listed, &could_be) {
                Some(u) => v = u,
                None => break v,
            }
        };
        for &w in &walk {
            rep[w.index()] = end.index();
        }
    }
    rep.into_iter().map(NodeIdx::new).collect()
}
