//! Market concentration of each input's supply, from the shares of its dependency
//! groups: the top share, the Herfindahl–Hirschman index (HHI, the sum of squared
//! percentage shares: 10,000 for a monopoly) and how many providers it takes to
//! reach 75 % (ETO's measure of concentration).
//!
//! A node's supply is read in one *view*: `country` reads the groups whose members
//! are all owned by organizations of kind `country` (a dataset's country view),
//! aggregated by jurisdiction; `org` reads the other share groups, aggregated by
//! owning organization (a member without an owner stands for itself). The views
//! are never derived from each other: a node with no country-view group has no
//! country reading, rather than its firms' headquarters summed.
//!
//! A reading is scored only when every provider has a share. A provider without one
//! (the data gives none, or only in words) makes the reading `partial` (some shares)
//! or `missing` (none): flagged, never scored, because a "1 country to 75 %" from
//! the one provider that happens to have a number would be wrong.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::{NodeIdx, World};
use crate::model::OrgKind;

/// Which view of the supply to read (a `concentration --by` value; `help` is its
/// text there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    /// Countries: groups of country-view members, by jurisdiction.
    #[value(help = "Countries (groups of country-view providers)")]
    Country,
    /// Organizations: the other share groups, by owner.
    #[value(help = "Organizations (firms)")]
    Org,
}

/// One provider's share of a node's supply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provider {
    /// Jurisdiction code (country view) or organization id (org view).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Percent, `None` when the data gives none.
    pub share: Option<f64>,
}

/// Whether a reading is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scored {
    /// Every provider has a share.
    Scored,
    /// Some providers have no share: flagged, not scored.
    Partial,
    /// No provider has a share: flagged, not scored.
    Missing,
}

/// The concentration of one node's supply in one view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concentration {
    /// Node id.
    pub id: String,
    /// Node name.
    pub name: String,
    /// Whether it is scored.
    pub status: Scored,
    /// The largest share (scored readings only).
    pub top_share: Option<f64>,
    /// The provider with the largest share (ties: the first by id).
    pub top: Option<String>,
    /// Sum of squared percentage shares (scored only).
    pub hhi: Option<f64>,
    /// The fewest providers whose shares reach 75 % (scored only; `None` also when
    /// all together stay below 75 %).
    pub to_75: Option<usize>,
    /// The providers, largest share first, then by id; unknown shares last.
    pub providers: Vec<Provider>,
}

/// Whether every member of a group is owned by an organization of kind `country`.
fn country_view(world: &World, members: &[NodeIdx]) -> bool {
    !members.is_empty()
        && members.iter().all(|&m| {
            world
                .node(m)
                .org
                .is_some_and(|o| world.node(o).org_kind == Some(OrgKind::Country))
        })
}

/// The concentration of every node with a share group of view `by`, most
/// concentrated first (by HHI, then top share), unscored readings after the
/// scored ones; ties by id.
///
/// # Complexity
/// O(S log S) for S members of share groups.
pub fn concentration(world: &World, by: By) -> Vec<Concentration> {
    // (node) -> provider key -> (name, share sum, any unknown)
    let mut per: BTreeMap<NodeIdx, BTreeMap<String, (String, f64, bool)>> = BTreeMap::new();
    for (&(node, group), shares) in &world.quantities.shares {
        let Some(g) = world.node(node).needs.get(group as usize) else {
            continue;
        };
        if country_view(world, &g.members) != (by == By::Country) {
            continue;
        }
        let entry = per.entry(node).or_default();
        for (&m, share) in g.members.iter().zip(shares) {
            let n = world.node(m);
            let (key, name) = match by {
                By::Country => {
                    let j = n.jurisdiction.clone().unwrap_or_default();
                    let name = n
                        .org
                        .map_or_else(|| j.clone(), |o| world.node(o).name.clone());
                    (j, name)
                }
                By::Org => match n.org {
                    Some(o) => (world.node(o).id.clone(), world.node(o).name.clone()),
                    None => (n.id.clone(), n.name.clone()),
                },
            };
            let e = entry.entry(key).or_insert((name, 0.0, false));
            match share {
                Some(s) => e.1 += s,
                None => e.2 = true,
            }
        }
    }
    let mut out: Vec<Concentration> = per
        .into_iter()
        .map(|(node, providers)| {
            let mut providers: Vec<Provider> = providers
                .into_iter()
                .map(|(id, (name, sum, unknown))| Provider {
                    id,
                    name,
                    share: (!unknown).then_some(sum),
                })
                .collect();
            providers.sort_by(|a, b| match (a.share, b.share) {
                (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.id.cmp(&b.id)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.id.cmp(&b.id),
            });
            let known = providers.iter().filter(|p| p.share.is_some()).count();
            let status = if known == providers.len() {
                Scored::Scored
            } else if known == 0 {
                Scored::Missing
            } else {
                Scored::Partial
            };
            let (top_share, top, hhi, to_75) = if status == Scored::Scored {
                let shares: Vec<f64> = providers.iter().filter_map(|p| p.share).collect();
                let hhi = shares.iter().map(|s| s * s).sum();
                let mut sum = 0.0;
                let to_75 = shares.iter().position(|s| {
                    sum += s;
                    sum >= 75.0
                });
                (
                    shares.first().copied(),
                    providers.first().map(|p| p.id.clone()),
                    Some(hhi),
                    to_75.map(|k| k + 1),
                )
            } else {
                (None, None, None, None)
            };
            let n = world.node(node);
            Concentration {
                id: n.id.clone(),
                name: n.name.clone(),
                status,
                top_share,
                top,
                hhi,
                to_75,
                providers,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let rank = |c: &Concentration| u8::from(c.status != Scored::Scored);
        rank(a)
            .cmp(&rank(b))
            .then_with(|| {
                b.hhi
                    .unwrap_or(0.0)
                    .total_cmp(&a.hhi.unwrap_or(0.0))
                    .then_with(|| {
                        b.top_share
                            .unwrap_or(0.0)
                            .total_cmp(&a.top_share.unwrap_or(0.0))
                    })
            })
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORLD: &str = "organizations:\n  - {id: nl, name: Netherlands, jurisdiction: NL, kind: country}\n  - {id: jp, name: Japan, jurisdiction: JP, kind: country}\n  - {id: asml, name: ASML, jurisdiction: NL}\n  - {id: nikon, name: Nikon, jurisdiction: JP}\n  - {id: canon, name: Canon, jurisdiction: JP}\nnodes:\n  - {id: a1, name: a1, layer: chips, org: asml}\n  - {id: n1, name: n1, layer: chips, org: nikon}\n  - {id: c1, name: c1, layer: chips, org: canon}\n  - {id: nl1, name: nl1, layer: chips, org: nl}\n  - {id: jp1, name: jp1, layer: chips, org: jp}\n  - id: argon\n    name: ArF immersion\n    layer: chips\n    needs:\n      - any: [{id: a1, share: 90}, {id: n1, share: 6}, {id: c1, share: 4}]\n      - any: [{id: nl1, share: 90}, {id: jp1, share: 10}]\n  - id: gpu\n    name: GPUs\n    layer: chips\n    needs:\n      - any: [{id: a1, share: 50}, n1]\n";

    #[test]
    fn views_are_read_apart_and_missing_shares_are_flagged() {
        let w = crate::graph::from_yaml(&[WORLD]);
        let org = concentration(&w, By::Org);
        assert_eq!(org[0].id, "argon");
        assert_eq!(org[0].hhi, Some(90.0 * 90.0 + 36.0 + 16.0));
        assert_eq!(org[0].to_75, Some(1));
        assert_eq!(org[1].id, "gpu");
        assert_eq!(org[1].status, Scored::Partial);
        assert_eq!(org[1].hhi, None);
        let country = concentration(&w, By::Country);
        assert_eq!(country.len(), 1);
        assert_eq!(country[0].hhi, Some(8100.0 + 100.0));
        assert_eq!(country[0].top.as_deref(), Some("NL"));
    }
}
