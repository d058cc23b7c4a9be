//! Value checks: thresholds in range, no node needing itself, quantities and
//! capabilities well-formed.

use rustc_hash::FxHashSet as HashSet;

use super::Ctx;
use super::references::need_refs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Need;

pub(super) fn check_thresholds(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for n in &file.data.nodes {
            for need in &n.value.needs {
                let members = match &need.value {
                    Need::Id(_) => continue,
                    Need::Any(m, _) => {
                        if m.is_empty() {
                            out.push(
                                Diagnostic::error(
                                    "empty-alternatives",
                                    "`any` lists no alternatives",
                                )
                                .at(Ctx::place(file, need.referenced), "nothing to choose from")
                                .help("list at least one id in `any: [...]`, or remove the term"),
                            );
                        }
                        m
                    }
                    Need::AtLeast { k, of, .. } => {
                        let n_of = of.len() as u64;
                        if of.is_empty() {
                            out.push(
                                Diagnostic::error(
                                    "empty-alternatives",
                                    "`of` lists no alternatives",
                                )
                                .at(Ctx::place(file, need.referenced), "nothing to choose from")
                                .help("list the candidates in `of: [...]`"),
                            );
                        } else if k.value == 0 || k.value > n_of {
                            out.push(
                                Diagnostic::error(
                                    "threshold-out-of-range",
                                    format!("`at-least: {}` of {} alternatives can never be met as intended", k.value, n_of),
                                )
                                .at(Ctx::place(file, k.referenced), format!("must be between 1 and {n_of}"))
                                .help(format!("write a k from 1 to {n_of}, or add alternatives to `of`")),
                            );
                        }
                        of
                    }
                    Need::Unknown {
                        among,
                        scope: Some(scope),
                        ..
                    } if among.is_empty() && scope.closed.as_ref().is_some_and(|c| c.value) => {
                        let at = scope
                            .closed
                            .as_ref()
                            .map_or(need.referenced, |c| c.referenced);
                        out.push(
                            Diagnostic::error(
                                "empty-alternatives",
                                "`closed: true` closes an empty list of candidates",
                            )
                            .at(Ctx::place(file, at), "no `among` to close")
                            .help(
                                "list the candidates in `among: [...]`, or remove `closed: true`",
                            ),
                        );
                        among
                    }
                    Need::Unknown { among, .. } => among,
                };
                let mut seen = HashSet::default();
                for m in members {
                    if !seen.insert(m.value.as_str()) {
                        out.push(
                            Diagnostic::error(
                                "duplicate-alternative",
                                format!("`{}` is listed twice in one term", m.value),
                            )
                            .at(Ctx::place(file, m.referenced), "repeated")
                            .help("list each alternative once"),
                        );
                    }
                }
            }
        }
    }
}

pub(super) fn check_self_dependency(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for n in &file.data.nodes {
            let me = n.value.id.value.as_str();
            for need in &n.value.needs {
                for (id, loc) in need_refs(need) {
                    if id == me {
                        out.push(
                            Diagnostic::error("self-dependency", format!("`{me}` needs itself"))
                                .at(Ctx::place(file, loc), "a node cannot depend on itself")
                                .help("remove this term; cycles through other nodes are fine"),
                        );
                    }
                }
            }
        }
        for o in &file.data.organizations {
            if let Some(p) = &o.value.parent
                && p.value == o.value.id.value
            {
                out.push(
                    Diagnostic::error(
                        "self-dependency",
                        format!("`{}` is its own parent", p.value),
                    )
                    .at(
                        Ctx::place(file, p.referenced),
                        "an organization cannot own itself",
                    )
                    .help("remove `parent`, or name the owning organization"),
                );
            }
        }
    }
}

/// Shares are percentages (finite, 0 to 100); a capacity is a finite amount of at
/// least 0 in a named unit.
pub(super) fn check_quantities(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for n in &file.data.nodes {
            for need in &n.value.needs {
                for share in need.value.shares().into_iter().flatten().flatten() {
                    if !(share.value.is_finite() && (0.0..=100.0).contains(&share.value)) {
                        out.push(
                            Diagnostic::error(
                                "share-out-of-range",
                                format!("share {} is not a percentage", share.value),
                            )
                            .at(Ctx::place(file, share.referenced), "must be from 0 to 100")
                            .help("write the member's share of the supply in percent (40 for 40 %), or leave `share` out when the sources give none"),
                        );
                    }
                }
            }
            if let Some(c) = &n.value.capacity {
                if !(c.value.value.is_finite() && c.value.value >= 0.0) {
                    out.push(
                        Diagnostic::error(
                            "capacity-out-of-range",
                            format!("capacity {} is not an amount", c.value.value),
                        )
                        .at(Ctx::place(file, c.value.referenced), "must be a finite number of at least 0")
                        .help("write the amount in `value` and its unit in `unit` (`{ value: 20000, unit: H100e }`)"),
                    );
                }
                if c.unit.value.trim().is_empty() {
                    out.push(
                        Diagnostic::error("capacity-unit", "capacity has an empty unit")
                            .at(Ctx::place(file, c.unit.referenced), "name the unit")
                            .help("write a unit such as `H100e`, `MW`, `Rmax TFlop/s` or `GPUs`"),
                    );
                }
            }
        }
    }
}

pub(super) fn check_capabilities(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        let mut seen = HashSet::default();
        for c in &file.data.capabilities {
            if !seen.insert(c.value.as_str()) {
                out.push(
                    Diagnostic::error(
                        "duplicate-capability",
                        format!("capability `{}` is listed twice", c.value),
                    )
                    .at(Ctx::place(file, c.referenced), "repeated")
                    .help("list each capability once"),
                );
            }
        }
    }
}
