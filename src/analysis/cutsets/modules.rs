//! Modules of a fault tree: gates whose inputs reach no event that is also reached
//! from outside the gate, found with the linear-time algorithm of Dutuit and Rauzy
//! (1996, "A linear-time algorithm to find modules of fault trees").
//!
//! A depth-first traversal from the top stamps each event with the date of its first
//! visit, the date the traversal leaves it, and the date of its last visit. A gate is
//! a module iff every event below it is first visited after the gate is entered and
//! last visited before the traversal leaves it.

use super::tree::{Event, FaultTree};

/// Which events are modules (the root always is).
///
/// # Complexity
/// O(events + inputs).
pub fn find(tree: &FaultTree) -> Vec<bool> {
    let n = tree.events.len();
    let mut first = vec![0u64; n];
    let mut exit = vec![0u64; n];
    let mut last = vec![0u64; n];
    let mut clock = 0u64;
    // Iterative depth-first traversal: (event, next input position).
    let mut stack: Vec<(u32, usize)> = vec![];
    let visit = |e: u32, clock: &mut u64, first: &mut [u64], last: &mut [u64]| -> bool {
        *clock += 1;
        let i = e as usize;
        if first[i] != 0 {
            last[i] = *clock;
            false
        } else {
            first[i] = *clock;
            last[i] = *clock;
            true
        }
    };
    if visit(tree.root, &mut clock, &mut first, &mut last) {
        stack.push((tree.root, 0));
    }
    while let Some(&(e, pos)) = stack.last() {
        let inputs: &[u32] = match &tree.events[e as usize] {
            Event::Gate { inputs, .. } => inputs,
            _ => &[],
        };
        if pos < inputs.len() {
            let child = inputs[pos];
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            if visit(child, &mut clock, &mut first, &mut last) {
                stack.push((child, 0));
            }
        } else {
            clock += 1;
            exit[e as usize] = clock;
            last[e as usize] = clock;
            stack.pop();
        }
    }
    // Events are topologically ordered (inputs first): one forward pass gives, per
    // gate, the earliest first visit and the latest last visit among its descendants.
    let mut lo = vec![u64::MAX; n];
    let mut hi = vec![0u64; n];
    let mut module = vec![false; n];
    for (i, e) in tree.events.iter().enumerate() {
        if let Event::Gate { inputs, .. } = e {
            for &c in inputs {
                let c = c as usize;
                lo[i] = lo[i].min(first[c]).min(lo[c]);
                hi[i] = hi[i].max(last[c]).max(hi[c]);
            }
            module[i] = first[i] != 0 && first[i] < lo[i] && hi[i] < exit[i];
        }
    }
    if let Some(m) = module.get_mut(tree.root as usize) {
        *m = matches!(tree.events[tree.root as usize], Event::Gate { .. });
    }
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_inputs_break_modules() {
        // root = OR(g1, g2); g1 = AND(a, b); g2 = AND(b, c); g3 = AND(c, d) under root too.
        let mut t = FaultTree::new();
        let a = t.basic("a");
        let b = t.basic("b");
        let c = t.basic("c");
        let d = t.basic("d");
        let g1 = t.gate(2, vec![a, b], "g1");
        let g2 = t.gate(2, vec![b, c], "g2");
        let g4 = t.gate(2, vec![c, d], "g4");
        let g5 = t.gate(1, vec![g1, g2], "g5");
        let root = t.gate(1, vec![g5, g4], "root");
        t.root = root;
        let m = find(&t);
        assert!(m[root as usize]);
        assert!(!m[g1 as usize] && !m[g2 as usize] && !m[g4 as usize] && !m[g5 as usize]);
        // Without g4, g5 is a module of the root.
        t.events[root as usize] = Event::Gate {
            k: 1,
            inputs: vec![g5, d],
        };
        let m = find(&t);
        assert!(m[g5 as usize]);
        assert!(!m[g1 as usize]);
    }
}
