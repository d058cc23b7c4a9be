//! The scratch state of cascade evaluations: per-node flags and causes, per-group
//! lost-member counters, reset sparsely (only where the last evaluation touched).

use super::Cause;
use crate::analysis::NodeStatus;
use crate::graph::NodeIdx;

pub(super) const NONE: u32 = u32::MAX;
pub(super) const REMOVED: u32 = u32::MAX - 1;

pub(super) const FAILED_OPT: u8 = 1;
pub(super) const FAILED_PES: u8 = 2;
/// Failed in some reading: a node failed in the optimistic reading fails in the
/// pessimistic one too, whether or not that pass ran and set `FAILED_PES`.
pub(super) const FAILED: u8 = FAILED_OPT | FAILED_PES;
pub(super) const TOUCHED: u8 = 4;
pub(super) const IS_REMOVED: u8 = 8;

/// Scratch state for evaluations, reset sparsely between them.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub(super) lost: Vec<u32>,
    /// Groups that lost a member, with their owners.
    pub(super) touched_groups: Vec<(u32, u32)>,
    /// Those of them whose two readings' tolerances differ, with the pessimistic one.
    pub(super) sensitive_groups: Vec<(u32, u32, u32)>,
    pub(super) flags: Vec<u8>,
    pub(super) cause_opt: Vec<u32>,
    pub(super) cause_pes: Vec<u32>,
    /// Nodes with any flag set, in the order they were reached.
    pub(super) touched: Vec<u32>,
    pub(super) queue: Vec<u32>,
    /// The removed nodes of the current evaluation (a buffer kept between them).
    pub(super) removed: Vec<u32>,
    /// Owners of the groups that lost members without failing (pessimistic reading).
    pub(super) frontier: Vec<u32>,
    /// Whether the last evaluation recorded causes (so `clear` must reset them).
    pub(super) causes: bool,
    pub(super) evaluated: bool,
}

impl Workspace {
    /// An empty workspace; it grows to the world on first use.
    pub fn new() -> Workspace {
        Workspace::default()
    }

    pub(super) fn fit(&mut self, nodes: usize, groups: usize) {
        if self.flags.len() != nodes {
            self.flags = vec![0; nodes];
            self.cause_opt = vec![NONE; nodes];
            self.cause_pes = vec![NONE; nodes];
            self.touched.clear();
        }
        if self.lost.len() != groups {
            self.lost = vec![0; groups];
            self.touched_groups.clear();
            self.sensitive_groups.clear();
        }
    }

    pub(super) fn clear(&mut self) {
        if self.causes {
            for &v in &self.touched {
                let v = v as usize;
                self.flags[v] = 0;
                self.cause_opt[v] = NONE;
                self.cause_pes[v] = NONE;
            }
        } else {
            for &v in &self.touched {
                self.flags[v as usize] = 0;
            }
        }
        self.touched.clear();
        self.clear_counters();
        self.evaluated = false;
    }

    pub(super) fn clear_counters(&mut self) {
        for &(g, _) in &self.touched_groups {
            self.lost[g as usize] = 0;
        }
        self.touched_groups.clear();
        self.sensitive_groups.clear();
    }

    pub(super) fn mark(&mut self, v: u32, flag: u8) {
        let f = &mut self.flags[v as usize];
        if *f == 0 {
            self.touched.push(v);
        }
        *f |= flag;
    }

    /// The status of `i` after the last evaluation.
    pub fn status(&self, i: NodeIdx) -> NodeStatus {
        let f = self.flags.get(i.index()).copied().unwrap_or(0);
        if f & FAILED_OPT != 0 {
            NodeStatus::Failed
        } else if f & FAILED_PES != 0 {
            NodeStatus::Unknown
        } else if f & TOUCHED != 0 {
            NodeStatus::Degraded
        } else {
            NodeStatus::Intact
        }
    }

    /// The nodes that work in both readings but lost a member of one of their groups
    /// in the last evaluation (a node once per such group). Every node that depends on
    /// a failure without failing itself depends on one of them (or is one), so the
    /// degraded nodes are their upward closure minus the failures.
    pub fn frontier(&self) -> impl ExactSizeIterator<Item = NodeIdx> + '_ {
        self.frontier.iter().map(|&v| NodeIdx::new(v as usize))
    }

    /// The nodes whose status is not intact after the last evaluation, in the order
    /// the cascade reached them.
    pub fn affected(&self) -> impl ExactSizeIterator<Item = NodeIdx> + '_ {
        self.touched.iter().map(|&v| NodeIdx::new(v as usize))
    }
}

pub(super) fn cause_of(code: u32, group_start: &[u32], v: usize) -> Option<Cause> {
    match code {
        NONE => None,
        REMOVED => Some(Cause::Removed),
        g => Some(Cause::Lost {
            group: g - group_start[v],
        }),
    }
}

pub(super) fn set_cause<const CAUSES: bool>(
    ws: &mut Workspace,
    v: u32,
    code: u32,
    pessimistic: bool,
) {
    if !CAUSES {
        return;
    }
    if pessimistic {
        ws.cause_pes[v as usize] = code;
    } else {
        ws.cause_opt[v as usize] = code;
    }
}
