//! The moves between two worlds in words: one sentence per chokepoint that moved and
//! per country whose exposure changed.

use super::{Movement, Moves, NodeRef, Place};

/// `#3`, or `—` when not ranked.
pub(super) fn rank(p: Option<&Place>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("#{}", p.rank))
}

/// The score fields that differ, as `name old → new`.
pub(super) fn score_changes(o: Option<&Place>, n: Option<&Place>) -> Vec<String> {
    let (Some(o), Some(n)) = (o, n) else {
        return Vec::new();
    };
    o.score()
        .iter()
        .zip(n.score())
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, y)| format!("{} {} → {}", x.0, x.1, y.1))
        .collect()
}

fn list(v: &[String]) -> String {
    v.join(", ")
}

fn ids(v: &[NodeRef]) -> String {
    v.iter()
        .map(|n| n.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The chokepoint movement in words, one sentence per candidate that moved.
pub fn chokepoint_sentences(m: &Moves) -> Vec<String> {
    let mut out = Vec::new();
    for c in &m.chokepoints {
        let (o, n) = (c.old.as_ref(), c.new.as_ref());
        let scores = score_changes(o, n);
        let why = if scores.is_empty() {
            String::new()
        } else {
            format!(" ({})", scores.join(", "))
        };
        let who = format!("`{}` ({})", c.id, c.name);
        let s = match c.movement {
            Movement::Entered => match o {
                None => format!(
                    "{who} entered the top {} at {}: it is new as a candidate",
                    m.top,
                    rank(n)
                ),
                Some(_) => format!(
                    "{who} entered the top {} at {}, up from {}{why}",
                    m.top,
                    rank(n),
                    rank(o)
                ),
            },
            Movement::Left => match n {
                None => format!(
                    "{who} left the top {} (was {}): it is no longer a candidate",
                    m.top,
                    rank(o)
                ),
                Some(_) => format!(
                    "{who} left the top {}, down from {} to {}{why}",
                    m.top,
                    rank(o),
                    rank(n)
                ),
            },
            Movement::Rose => format!("{who} rose from {} to {}{why}", rank(o), rank(n)),
            Movement::Fell => format!("{who} fell from {} to {}{why}", rank(o), rank(n)),
            Movement::Rescored => format!(
                "{who} stayed at {} with a new score: {}",
                rank(n),
                scores.join(", ")
            ),
            Movement::Unchanged => continue,
        };
        out.push(format!("{s}."));
    }
    out
}

/// Each country's exposure movement in words, one sentence per country that moved.
pub fn country_sentences(m: &Moves) -> Vec<String> {
    let mut out = Vec::new();
    for c in m.countries.iter().filter(|c| c.changed()) {
        let head = format!("{} ({})", c.code, c.name);
        match c.presence {
            "added" => {
                out.push(format!(
                    "{head} is new: {} capabilities over a cone of {} nodes, {} single points of failure.",
                    c.capabilities.new, c.cone.new, c.single_points.new
                ));
                continue;
            }
            "removed" => {
                out.push(format!("{head} is no longer in the stacks."));
                continue;
            }
            _ => {}
        }
        let mut parts = Vec::new();
        if c.capabilities.old != c.capabilities.new {
            parts.push(format!(
                "capabilities {} → {}",
                c.capabilities.old, c.capabilities.new
            ));
        }
        if c.cone.old != c.cone.new {
            parts.push(format!(
                "dependency cone {} → {} nodes",
                c.cone.old, c.cone.new
            ));
        }
        if !c.foreign_gained.is_empty() {
            parts.push(format!("now depends on {}", list(&c.foreign_gained)));
        }
        if !c.foreign_lost.is_empty() {
            parts.push(format!("no longer depends on {}", list(&c.foreign_lost)));
        }
        if c.single_points.old != c.single_points.new
            || !c.single_points_gained.is_empty()
            || !c.single_points_lost.is_empty()
        {
            let mut s = format!(
                "single points of failure {} → {}",
                c.single_points.old, c.single_points.new
            );
            if !c.single_points_gained.is_empty() {
                s.push_str(&format!("; new: {}", ids(&c.single_points_gained)));
            }
            if !c.single_points_lost.is_empty() {
                s.push_str(&format!("; no longer: {}", ids(&c.single_points_lost)));
            }
            parts.push(s);
        }
        for s in &c.cutoffs {
            let what = match s.removal.strip_prefix("jurisdiction:") {
                Some(j) => format!("cut off from {j}"),
                None => format!("without `{}`", s.removal),
            };
            parts.push(format!("{what}: {} → {}", s.old.as_str(), s.new.as_str()));
        }
        out.push(format!("{head}: {}.", parts.join("; ")));
    }
    out
}
