//! `jenga cutsets`: parse the target and candidates, compute, print in every format.

use std::io::Write as _;

use serde::Serialize;

use super::common::{candidates, resolve_target};
use super::{Error, open};
use crate::analysis::cutsets::{Budget, CutSetError, CutSets, Refused, Target, cut_sets_within};
use crate::config::Config;
use crate::graph::{NodeIdx, World};
use crate::output::Format;
use crate::output::{Table, to_json};

/// The flags of `jenga cutsets`.
#[derive(Debug, Clone)]
pub struct Args {
    /// Node id or country code.
    pub target: String,
    /// Largest order.
    pub max_order: Option<usize>,
    /// `leaves`, `all` or selectors.
    pub over: Vec<String>,
    /// Country target fails when it loses one capability.
    pub any_capability: bool,
    /// The most sets listed.
    pub max_sets: usize,
    /// The BDD/ZBDD entry budget.
    pub max_bdd_nodes: usize,
    /// Output format.
    pub format: Format,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    kind: &'static str,
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fails_when: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonCount {
    order: usize,
    count: usize,
}

#[derive(Serialize)]
struct JsonCutSets<'a> {
    target: JsonTarget<'a>,
    over: Vec<String>,
    max_order: Option<usize>,
    candidates: usize,
    cone: usize,
    unknown_groups: usize,
    total: usize,
    counts: Vec<JsonCount>,
    sets: Vec<Vec<&'a str>>,
    nodes: Vec<JsonNode<'a>>,
}

/// The message of a computation that stopped: what was exceeded, and the flags that
/// would get an answer.
fn refusal(args: &Args, e: &CutSetError) -> String {
    let target = &args.target;
    match e {
        CutSetError::Translate(m) => m.to_string(),
        CutSetError::Refused(r @ Refused::Sets { .. }) => format!(
            "cut sets of `{target}`: {r}\n  = help: ask for the smallest ones with `--max-order K` (the count by order is given when an order is set), or list more with `--max-sets N`"
        ),
        CutSetError::Refused(r @ Refused::Nodes { .. }) => format!(
            "cut sets of `{target}`: {r}, so jenga stopped\n  = help: bound the order with `--max-order K` (branches that cannot fit are never built), narrow the candidates with `--over`, or raise `--max-bdd-nodes N` (about 60 bytes each)"
        ),
        CutSetError::Refused(r @ Refused::TooLarge { .. }) => format!(
            "cut sets of `{target}`: {r}\n  = help: narrow the candidates with `--over` or pick a target lower in the stack"
        ),
    }
}

/// Runs `jenga cutsets`.
///
/// # Errors
/// Usage errors for the target and `--over`; data errors from loading.
pub fn run(config: &Config, args: Args) -> Result<(), Error> {
    if args.max_order == Some(0) {
        return Err(Error::Usage(
            "--max-order 0 asks for nothing: give an order of at least 1".to_owned(),
        ));
    }
    let opened = open(config, false)?;
    let world = &opened.world;
    let target = resolve_target(world, &args.target, args.any_capability)?;
    let pick = candidates(world, &args.over)?;
    let spinner = crate::progress::Progress::spinner(config, "computing cut sets");
    let budget = Budget {
        max_order: args.max_order,
        max_sets: args.max_sets,
        max_nodes: args.max_bdd_nodes,
    };
    let result = cut_sets_within(world, &target, &pick, &budget)
        .map_err(|e| Error::Failed(refusal(&args, &e)));
    spinner.finish();
    let result = result?;
    if !config.quiet && result.unknown_groups > 0 {
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: {} in the cone of `{}` {} undetermined (`unknown`) and read optimistically \
             (an unknown fails only when all its known candidates fail), so more cut sets may exist",
            crate::diag::plural(result.unknown_groups, "dependency"),
            args.target,
            if result.unknown_groups == 1 {
                "is"
            } else {
                "are"
            },
        );
    }
    let text = render(world, &target, &args, &result)?;
    super::emit(config, args.format, &text)
}

fn target_parts<'a>(world: &'a World, target: &Target) -> JsonTarget<'a> {
    match target {
        Target::Node(i) => {
            let n = world.node(*i);
            JsonTarget {
                kind: "node",
                id: &n.id,
                name: &n.name,
                fails_when: None,
            }
        }
        Target::Country {
            index,
            any_capability,
        } => {
            let c = &world.countries[*index];
            JsonTarget {
                kind: "country",
                id: &c.code,
                name: &c.name,
                fails_when: Some(if *any_capability {
                    "any-capability-fails"
                } else {
                    "every-capability-fails"
                }),
            }
        }
    }
}

/// Renders the result in `args.format`.
fn render(world: &World, target: &Target, args: &Args, r: &CutSets) -> Result<String, Error> {
    let id = |i: &NodeIdx| world.node(*i).id.as_str();
    let counts = r.counts_by_order();
    let t = target_parts(world, target);
    match args.format {
        Format::Json => {
            let mut seen = vec![false; world.len()];
            let mut used: Vec<NodeIdx> = Vec::new();
            for &i in r.sets.iter().flatten() {
                if !std::mem::replace(&mut seen[i.index()], true) {
                    used.push(i);
                }
            }
            used.sort_by(|a, b| id(a).cmp(id(b)));
            let doc = JsonCutSets {
                target: t,
                over: if args.over.is_empty() {
                    vec!["leaves".to_owned()]
                } else {
                    args.over.clone()
                },
                max_order: r.max_order,
                candidates: r.candidates,
                cone: r.cone,
                unknown_groups: r.unknown_groups,
                total: r.sets.len(),
                counts: counts
                    .iter()
                    .enumerate()
                    .map(|(o, &count)| JsonCount {
                        order: o + 1,
                        count,
                    })
                    .collect(),
                sets: r.sets.iter().map(|s| s.iter().map(id).collect()).collect(),
                nodes: used
                    .iter()
                    .map(|&i| JsonNode {
                        id: id(&i),
                        name: &world.node(i).name,
                    })
                    .collect(),
            };
            to_json(&doc).map_err(Error::from)
        }
        Format::Csv | Format::Xlsx => {
            let mut table = Table::new(["order", "sets_of_this_order", "ids", "names"]);
            for s in &r.sets {
                table.push([
                    s.len().to_string(),
                    counts[s.len() - 1].to_string(),
                    s.iter().map(id).collect::<Vec<_>>().join(" "),
                    names(world, s),
                ]);
            }
            Ok(table.render(args.format))
        }
        Format::Table | Format::Markdown => {
            let limit = r
                .max_order
                .map(|k| format!(" of order at most {k}"))
                .unwrap_or_default();
            let heading = format!(
                "Minimal cut sets of {} ({}){limit}: {} over {} candidates",
                t.id,
                t.name,
                r.sets.len(),
                r.candidates
            );
            let mut summary = Table::new(["order", "sets"]).titled(heading);
            for (o, c) in counts.iter().enumerate() {
                summary.push([(o + 1).to_string(), c.to_string()]);
            }
            let mut sets = Table::new(["#", "order", "ids", "names"]);
            for (n, s) in r.sets.iter().enumerate() {
                sets.push([
                    (n + 1).to_string(),
                    s.len().to_string(),
                    s.iter().map(id).collect::<Vec<_>>().join(" + "),
                    names(world, s),
                ]);
            }
            let mut out = summary.render(args.format);
            out.push('\n');
            if r.sets.is_empty() {
                out.push_str(&format!("No set of candidates{limit} fails {}.\n", t.id));
            } else {
                out.push_str(&sets.render(args.format));
            }
            Ok(out)
        }
    }
}

fn names(world: &World, s: &[NodeIdx]) -> String {
    s.iter()
        .map(|&i| world.node(i).name.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}
