//! Counter propagation: failures pushed from the removed nodes to the groups that
//! contain them, up to the greatest fixpoint of one reading (see the algorithm in
//! [`super`]).

use super::workspace::{FAILED, FAILED_OPT, FAILED_PES, REMOVED, Workspace, set_cause};
use super::{Cascade, FAR, Rdep};

impl Cascade<'_> {
    /// The pessimistic reading continued from the optimistic one's state, without a
    /// second pass: the optimistic failures are pessimistic failures too (every
    /// pessimistic tolerance is at most the optimistic one), and the counters already
    /// count them, so the pessimistic fixpoint is reached by failing the owners of
    /// the groups already past their pessimistic tolerance (and the owners of the open
    /// `unknown` groups the removals could be) and propagating from those
    /// only. O(touched groups whose readings differ + U + what fails only
    /// pessimistically). Causes are not recorded.
    pub(super) fn continue_pessimistic(
        &self,
        ws: &mut Workspace,
        mask: u8,
        within: &impl Fn(u32) -> bool,
    ) {
        ws.queue.clear();
        for g in self.risky(mask) {
            let u = self.group_owner[g as usize];
            if ws.flags[u as usize] & FAILED == 0 && within(u) {
                ws.mark(u, FAILED_PES);
                ws.queue.push(u);
            }
        }
        // Only a group whose tolerances differ can be past the pessimistic one with
        // its owner standing: past the optimistic one, the owner failed.
        for k in 0..ws.sensitive_groups.len() {
            let (g, u, tol_pes) = ws.sensitive_groups[k];
            if ws.flags[u as usize] & FAILED == 0 && ws.lost[g as usize] > tol_pes {
                ws.mark(u, FAILED_PES);
                ws.queue.push(u);
            }
        }
        self.drain::<false>(ws, FAILED, FAILED_PES, true, within);
    }

    /// Pushes failures from `removed` to the fixpoint in one reading. Returns whether
    /// a group whose two readings have different tolerances lost a member (only then
    /// can the pessimistic reading differ from the optimistic one).
    pub(super) fn propagate<const CAUSES: bool>(
        &self,
        ws: &mut Workspace,
        removed: &[u32],
        pessimistic: bool,
        within: &impl Fn(u32) -> bool,
        mask: u8,
    ) -> bool {
        let flag = if pessimistic { FAILED_PES } else { FAILED_OPT };
        ws.queue.clear();
        for &v in removed {
            if ws.flags[v as usize] & flag == 0 {
                ws.mark(v, flag);
                set_cause::<CAUSES>(ws, v, REMOVED, pessimistic);
                ws.queue.push(v);
            }
        }
        if pessimistic {
            for g in self.risky(mask) {
                let u = self.group_owner[g as usize];
                if ws.flags[u as usize] & flag == 0 && within(u) {
                    ws.mark(u, flag);
                    set_cause::<CAUSES>(ws, u, g, pessimistic);
                    ws.queue.push(u);
                }
            }
        }
        self.drain::<CAUSES>(ws, flag, flag, pessimistic, within)
    }

    /// Propagates the failures in `ws.queue` to the fixpoint of one reading: a node
    /// is failed (marked `flag`) unless already marked with a bit of `mask`. Returns
    /// whether a group whose two readings have different tolerances lost a member.
    pub(super) fn drain<const CAUSES: bool>(
        &self,
        ws: &mut Workspace,
        mask: u8,
        flag: u8,
        pessimistic: bool,
        within: &impl Fn(u32) -> bool,
    ) -> bool {
        let mut sensitive = false;
        let reading = usize::from(pessimistic);
        while let Some(v) = ws.queue.pop() {
            for &Rdep {
                group,
                owner: u,
                tol,
            } in self.rdeps_of(v)
            {
                if !within(u) {
                    continue;
                }
                if tol == [0, 0] {
                    // Fails at the first lost member in both readings: no counter.
                    if ws.flags[u as usize] & mask == 0 {
                        ws.mark(u, flag);
                        set_cause::<CAUSES>(ws, u, group, pessimistic);
                        ws.queue.push(u);
                    }
                    continue;
                }
                let g = group;
                let gi = g as usize;
                let tol = if tol[0] == FAR {
                    self.tol[gi]
                } else {
                    [u32::from(tol[0]), u32::from(tol[1])]
                };
                if ws.lost[gi] == 0 {
                    ws.touched_groups.push((g, u));
                    if tol[0] != tol[1] {
                        sensitive = true;
                        ws.sensitive_groups.push((g, u, tol[1]));
                    }
                }
                ws.lost[gi] += 1;
                if ws.lost[gi] > tol[reading] && ws.flags[u as usize] & mask == 0 {
                    ws.mark(u, flag);
                    set_cause::<CAUSES>(ws, u, g, pessimistic);
                    ws.queue.push(u);
                }
            }
        }
        sensitive
    }
}
