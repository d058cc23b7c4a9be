//! The chip layer's worked example in the report (issue 16), for a world with ETO's
//! chip supply chain loaded (its EUV and ArF immersion lithography tools, ids
//! [`EUV`] and [`ARF_IMMERSION`], and shares): the most concentrated inputs by
//! country, the EUV chain as a figure, and a quantitative scenario that cuts off
//! every country supplying either tool (the Netherlands and Japan in ETO's data) —
//! what share of each tool's supply survives, and what each country's stack loses.
//! Every number is computed from the loaded data; a world without the chip layer (the
//! seed) gets no section, so its report is unchanged.

use crate::analysis::cascade::{Cascade, Removal};
use crate::analysis::concentration::{By, Concentration, Scored};
use crate::analysis::select::Selector;
use crate::analysis::{NodeStatus, paths, quantity};
use crate::graph::{NodeIdx, World};
use crate::output::Table;
use crate::present::figures;
use crate::present::scenario::{amount, lost_cells};
use crate::render::Figure;
use crate::render::tower::{self, Marks};

use super::tables::{layer_name, owner_of};
use super::{Fig, Section};

/// ETO's EUV lithography tools.
pub const EUV: &str = "eto-n20";
/// ETO's ArF immersion (DUV) lithography tools.
pub const ARF_IMMERSION: &str = "eto-n22";
/// How many of the most concentrated inputs the section's table shows (the report's
/// `concentration.md`/`.csv` hold them all).
pub const CONCENTRATION_TOP: usize = 10;
/// The path of the section's figure inside the report, without extension.
pub const FIGURE: &str = "chip-layer/euv-chain";

/// The section's content.
pub struct ChipSection {
    /// The [`CONCENTRATION_TOP`] scored inputs with the highest HHI by country.
    pub concentration: Table,
    /// How many inputs the concentration reads, and how many of them it scores.
    pub inputs: usize,
    /// See [`ChipSection::inputs`].
    pub scored: usize,
    /// The jurisdictions cut off: every country view that supplies [`EUV`] or
    /// [`ARF_IMMERSION`], sorted.
    pub cut: Vec<String>,
    /// The supply surviving for the two tools.
    pub supply: Table,
    /// Per country hit: its capabilities failed, and the capacity lost.
    pub countries: Table,
    /// How many countries the cut-off leaves untouched (no capability failed, no
    /// capacity lost).
    pub untouched: usize,
    /// The capability the figure's chain starts from (name and id).
    pub from: Option<String>,
}

/// The concentration rows sorted most concentrated first (HHI, then top share, then
/// id), scored ones only.
fn most_concentrated(rows: &[Concentration]) -> Vec<&Concentration> {
    let mut scored: Vec<&Concentration> = rows
        .iter()
        .filter(|c| c.status == Scored::Scored && c.hhi.is_some())
        .collect();
    scored.sort_by(|a, b| {
        b.hhi
            .unwrap_or(0.0)
            .total_cmp(&a.hhi.unwrap_or(0.0))
            .then(
                b.top_share
                    .unwrap_or(0.0)
                    .total_cmp(&a.top_share.unwrap_or(0.0)),
            )
            .then(a.id.cmp(&b.id))
    });
    scored
}

/// The section and its figure, or `None` when the world has no chip layer (no
/// [`EUV`] or [`ARF_IMMERSION`] node, or no shares).
///
/// # Complexity
/// One scenario evaluation and its quantitative reading, one shortest-path search,
/// and the concentration over the share groups: O(V + E) each, plus the cones of the
/// quantitative reading.
/// `rows`: the world's concentration by country
/// ([`crate::analysis::concentration::concentration`]), computed once by
/// the report for this section and `concentration.md`.
pub fn section(
    world: &World,
    cascade: &Cascade<'_>,
    rows: &[Concentration],
    choke: &[bool],
) -> Option<(ChipSection, Fig)> {
    let euv = world.lookup(EUV)?;
    let arf = world.lookup(ARF_IMMERSION)?;
    if world.quantities.is_empty() {
        return None;
    }
    let tools: Vec<&Concentration> = rows
        .iter()
        .filter(|c| c.id == EUV || c.id == ARF_IMMERSION)
        .collect();
    let mut cut: Vec<String> = tools
        .iter()
        .flat_map(|c| c.providers.iter().map(|p| p.id.clone()))
        .collect();
    cut.sort();
    cut.dedup();
    if cut.is_empty() {
        return None;
    }
    let top = most_concentrated(rows);
    // The section heads the table itself.
    let concentration_t = Table {
        title: None,
        ..super::super::concentration::concentration_table(
            top.iter().copied().take(CONCENTRATION_TOP),
            By::Country,
        )
    };

    let removals: Vec<Removal> = cut
        .iter()
        .map(|j| Removal::new(world, Selector::Jurisdiction(j.clone()), None))
        .collect();
    let out = cascade.evaluate_scenario(&removals);
    let q = quantity::reading(world, &out);
    let everywhere = out.everywhere()?;

    let mut supply = Table::new([
        "id",
        "input",
        "status",
        "supply surviving",
        "providers cut off",
    ]);
    for (id, i) in [(EUV, euv), (ARF_IMMERSION, arf)] {
        let surviving = q
            .supply
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| "100.0 %".to_owned(), |s| s.surviving.percent());
        let lost: Vec<String> = tools
            .iter()
            .filter(|c| c.id == id)
            .flat_map(|c| &c.providers)
            .map(|p| match p.share {
                Some(s) => format!("{} {}", p.id, crate::import::num(s)),
                None => format!("{} ?", p.id),
            })
            .collect();
        supply.push([
            id.to_owned(),
            world.node(i).name.clone(),
            everywhere.status(i).as_str().to_owned(),
            surviving,
            lost.join(", "),
        ]);
    }

    let mut countries = Table::new([
        "country",
        "capabilities failed",
        "unit",
        "capacity",
        "lost",
        "lost share",
    ]);
    let mut untouched = 0;
    for (k, c) in world.countries.iter().enumerate() {
        let Some(view) = out.country(k) else { continue };
        let failed = c
            .capabilities
            .iter()
            .filter(|&&i| view.status(i) == NodeStatus::Failed)
            .count();
        let capacity = q
            .countries
            .iter()
            .find(|x| x.code == c.code)
            .map(|x| x.capacity.as_slice())
            .unwrap_or_default();
        let lost: Vec<_> = capacity.iter().filter(|l| l.lost.high > 0.0).collect();
        if failed == 0 && lost.is_empty() {
            untouched += 1;
            continue;
        }
        let caps = format!("{failed} of {}", c.capabilities.len());
        let country = format!("{} ({})", c.name, c.code);
        if lost.is_empty() {
            countries.push([
                country.clone(),
                caps.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for l in lost {
            let (text, share) = lost_cells(l);
            countries.push([
                country.clone(),
                caps.clone(),
                l.unit.clone(),
                amount(l.total),
                text,
                share,
            ]);
        }
    }

    // The chain: the shortest path from any capability to EUV tools, and EUV's
    // suppliers.
    let caps: Vec<NodeIdx> = world
        .countries
        .iter()
        .flat_map(|c| c.capabilities.iter().copied())
        .collect();
    let why = paths::why(world, &caps, euv, 1);
    let mut chain: Vec<NodeIdx> = why
        .paths
        .first()
        .map(|p| p.hops.iter().filter_map(|h| world.lookup(&h.id)).collect())
        .unwrap_or_default();
    let from = chain
        .first()
        .map(|&i| format!("{} ({})", world.node(i).name, world.node(i).id));
    if chain.is_empty() {
        chain.push(euv);
    }
    for g in &world.node(euv).needs {
        chain.extend(
            g.members
                .iter()
                .copied()
                .filter(|&m| !world.node(m).is_org()),
        );
    }
    let cut_text = cut.join(" and ");
    let title = format!("The EUV chain with {cut_text} cut off");
    let overlay = figures::merged_overlay(world, &format!("{cut_text} cut off"), &out);
    let marks = Marks {
        chokepoints: choke,
        chokepoint_top: figures::CHOKEPOINT_TOP,
        overlay: Some(&overlay),
    };
    let subtitle = match &from {
        Some(f) => format!("From {f} down to EUV lithography tools and their suppliers"),
        None => "EUV lithography tools and their suppliers".to_owned(),
    };
    let diagram = tower::chain(world, &chain, &marks, &title, &subtitle);
    let mut data = Table::new(["layer", "block", "id", "owner", "jurisdiction", "status"]);
    for &i in &chain {
        let n = world.node(i);
        data.push([
            layer_name(world, i),
            n.name.clone(),
            n.id.clone(),
            owner_of(world, i),
            n.jurisdiction.clone().unwrap_or_default(),
            if everywhere.is_removed(i) {
                "removed".to_owned()
            } else {
                everywhere.status(i).as_str().to_owned()
            },
        ]);
    }
    Some((
        ChipSection {
            concentration: concentration_t,
            inputs: rows.len(),
            scored: rows.iter().filter(|c| c.status == Scored::Scored).count(),
            cut,
            supply,
            countries,
            untouched,
            from,
        },
        Fig {
            stem: FIGURE.to_owned(),
            section: Section::ChipLayer,
            figure: Figure::Diagram(diagram),
            data,
        },
    ))
}

impl ChipSection {
    /// The command that reproduces the section's scenario.
    pub fn command(&self) -> String {
        let removes: Vec<String> = self
            .cut
            .iter()
            .map(|j| format!("--remove jurisdiction:{j}"))
            .collect();
        format!("jenga scenario {}", removes.join(" "))
    }

    /// The jurisdictions cut off, as prose (`NL and JP`).
    pub fn cut_text(&self) -> String {
        self.cut.join(" and ")
    }

    /// The paragraphs of the section, in order: the lead, the scenario's, the
    /// countries'.
    pub fn prose(&self) -> [String; 3] {
        [
            format!(
                "ETO's chip supply chain is loaded: {} inputs, {} of them scored by country \
                 (an input whose providers lack shares is flagged, not scored). The {} most \
                 concentrated by HHI (10,000 for a monopoly):",
                self.inputs,
                self.scored,
                self.concentration.rows.len()
            ),
            format!(
                "Cutting off every country that supplies EUV or ArF immersion lithography \
                 tools ({}; `{}`) leaves this share of their supply:",
                self.cut_text(),
                self.command()
            ),
            format!(
                "What each country's stack loses ({} hit, {} untouched); capacities are what \
                 the loaded data record (Epoch's clusters in H100 equivalents), a range when \
                 unknown shares leave the loss open:",
                self.countries
                    .rows
                    .iter()
                    .map(|r| &r[0])
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
                self.untouched
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::concentration::concentration;

    const CHIPS: &str = "organizations:\n  - {id: nl, name: Netherlands, jurisdiction: NL, kind: country}\n  - {id: jp, name: Japan, jurisdiction: JP, kind: country}\n  - {id: asml, name: ASML, jurisdiction: NL}\n  - {id: nikon, name: Nikon, jurisdiction: JP}\nnodes:\n  - {id: euv-asml, name: 'ASML: EUV', layer: chips, org: asml}\n  - {id: euv-nl, name: 'NL: EUV', layer: chips, org: nl}\n  - {id: arf-asml, name: 'ASML: ArF', layer: chips, org: asml}\n  - {id: arf-nikon, name: 'Nikon: ArF', layer: chips, org: nikon}\n  - {id: arf-nl, name: 'NL: ArF', layer: chips, org: nl}\n  - {id: arf-jp, name: 'JP: ArF', layer: chips, org: jp}\n  - id: eto-n20\n    name: EUV lithography tools\n    layer: chips\n    needs:\n      - any: [{id: euv-asml, share: 100}]\n      - any: [{id: euv-nl, share: 100}]\n  - id: eto-n22\n    name: ArF immersion tools\n    layer: chips\n    needs:\n      - any: [{id: arf-asml, share: 90}, {id: arf-nikon, share: 10}]\n      - any: [{id: arf-nl, share: 90}, {id: arf-jp, share: 10}]\n  - {id: fab, name: Fab, layer: chips, needs: [eto-n20, eto-n22]}\n";
    const AE: &str = "country: AE\nname: UAE\ncapabilities: [cluster]\nnodes:\n  - {id: cluster, name: Cluster, layer: compute, needs: [fab], capacity: {value: 1000, unit: H100e}}\n";
    const FR: &str = "country: FR\nname: France\ncapabilities: [lab]\nnodes:\n  - {id: lab, name: Lab, layer: capability}\n";

    #[test]
    fn the_suppliers_of_both_tools_are_cut_off_and_the_losses_read_from_the_world() {
        let w = crate::graph::from_yaml(&[CHIPS, AE, FR]);
        let c = Cascade::new(&w);
        let rows = concentration(&w, By::Country);
        let (s, fig) = section(&w, &c, &rows, &[]).expect("a chip layer");
        // The countries supplying EUV or ArF immersion tools, by the country view.
        assert_eq!(s.cut, ["JP", "NL"]);
        assert_eq!(
            s.command(),
            "jenga scenario --remove jurisdiction:JP --remove jurisdiction:NL"
        );
        // Both tools lose every provider: nothing of their supply survives.
        assert_eq!(s.supply.rows.len(), 2);
        for row in &s.supply.rows {
            assert_eq!(row[2], "failed", "{row:?}");
            assert_eq!(row[3], "0.0 %", "{row:?}");
        }
        assert_eq!(s.supply.rows[1][4], "NL 90, JP 10");
        // The UAE's cluster fails with all its capacity; France is untouched.
        assert_eq!(
            s.countries.rows,
            vec![vec![
                "UAE (AE)".to_owned(),
                "1 of 1".to_owned(),
                "H100e".to_owned(),
                "1000".to_owned(),
                "1000".to_owned(),
                "100.0 %".to_owned(),
            ]]
        );
        assert_eq!(s.untouched, 1);
        // Both tools are scored; EUV, a monopoly, is the most concentrated.
        assert_eq!(s.scored, 2);
        assert_eq!(s.concentration.rows[0][0], "eto-n20");
        assert_eq!(s.concentration.rows[0][4], "10000");
        assert_eq!(
            s.concentration.rows[1][4],
            format!("{:.0}", 90.0 * 90.0 + 10.0 * 10.0)
        );
        // The chain runs from the capability down to EUV tools and their suppliers.
        assert_eq!(s.from.as_deref(), Some("Cluster (cluster)"));
        let ids: Vec<&str> = fig.data.rows.iter().map(|r| r[2].as_str()).collect();
        assert_eq!(ids, ["cluster", "fab", "eto-n20", "euv-asml", "euv-nl"]);
        assert_eq!(fig.data.rows[0][5], "failed");
        let Figure::Diagram(d) = &fig.figure else {
            panic!("a diagram")
        };
        assert_eq!(d.nodes.len(), 5);
        assert!(d.title.contains("JP and NL cut off"), "{}", d.title);
    }

    #[test]
    fn a_world_without_the_chip_layer_has_no_section() {
        let w = crate::graph::from_yaml(&[AE.replace("needs: [fab], ", "").as_str(), FR]);
        let rows = concentration(&w, By::Country);
        assert!(section(&w, &Cascade::new(&w), &rows, &[]).is_none());
    }
}
