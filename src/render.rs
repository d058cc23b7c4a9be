//! Diagrams: figure models built from the world, drawn as Graphviz DOT or as SVG.
//!
//! The pipeline is `World` (+ plain analysis results) → a figure model
//! ([`Diagram`](crate::render::Diagram) for towers and the overview,
//! [`Matrix`](crate::render::matrix::Matrix) for the exposure heat map) → a backend:
//! [`dot`](crate::render::dot) prints DOT through graphviz-rust's AST,
//! [`graphviz`](crate::render::graphviz) runs `dot -Tsvg` on it, and
//! [`layout`](crate::render::layout) + [`svg`](crate::render::svg) draw the same figure
//! without Graphviz. Builders never call an analysis: chokepoints, overlays and matrix
//! cells arrive as plain data ([`Overlay`](crate::render::Overlay), `&[bool]`,
//! [`Matrix`](crate::render::matrix::Matrix)), so figures are pure functions of their
//! inputs and byte-identical across runs.

pub mod convert;
pub mod diff;
pub mod dot;
pub mod graphviz;
pub mod layout;
pub mod matrix;
pub mod palette;
pub mod pdf_streams;
pub mod summary;
pub mod svg;
pub mod text;
pub mod tower;

use std::fmt;
use std::time::Duration;

use crate::analysis::NodeStatus;
use palette::Rgb;

/// The result of a scenario, laid over a figure: the nodes are kept and marked.
///
/// `status` and `removed` are indexed by `NodeIdx::index()`; a shorter vector leaves
/// the remaining nodes intact and not removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlay {
    /// The scenario's name, shown in the figure's title.
    pub title: String,
    /// Each node's status after the scenario.
    pub status: Vec<NodeStatus>,
    /// Whether the scenario removed the node itself.
    pub removed: Vec<bool>,
    /// Nodes that a scoped scenario hits for some destinations only while other
    /// countries that need them see them intact (the overview's merged view), by
    /// `NodeIdx::index()`: the destinations that see them hit. Such a node is drawn
    /// "partly" (its own style, in the legend), never as simply failed.
    pub partial: std::collections::BTreeMap<usize, Vec<String>>,
}

impl Overlay {
    /// The status of node `i` (intact when out of range).
    pub fn status_of(&self, i: usize) -> NodeStatus {
        self.status.get(i).copied().unwrap_or(NodeStatus::Intact)
    }

    /// Whether node `i` was removed (false when out of range).
    pub fn removed(&self, i: usize) -> bool {
        self.removed.get(i).copied().unwrap_or(false)
    }

    /// The destinations that see node `i` hit when others that need it see it intact
    /// (empty when the node is not partly hit).
    pub fn partly_for(&self, i: usize) -> &[String] {
        self.partial.get(&i).map_or(&[], Vec::as_slice)
    }

    /// What a node shows: removed wins over its status.
    pub fn mark_of(&self, i: usize) -> Mark {
        if self.removed(i) {
            Mark::Removed
        } else {
            Mark::Status(self.status_of(i))
        }
    }
}

/// How a node looks in an overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// The scenario's outcome for the node.
    Status(NodeStatus),
    /// The scenario pulled this block.
    Removed,
}

impl Mark {
    /// The word shown on the node.
    pub fn word(self) -> &'static str {
        match self {
            Mark::Removed => "removed",
            Mark::Status(s) => s.as_str(),
        }
    }

    /// A glyph that says the same as the colour (for readers who cannot see it).
    pub fn glyph(self) -> &'static str {
        match self {
            Mark::Removed => "■",
            Mark::Status(NodeStatus::Failed) => "✕",
            Mark::Status(NodeStatus::Unknown) => "?",
            Mark::Status(NodeStatus::Degraded) => "▲",
            Mark::Status(NodeStatus::Intact) => "✓",
        }
    }
}

/// A horizontal band of the figure: a layer of the tower (or the countries and owners
/// of the overview). Bands are listed top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// The band's name, drawn at its left.
    pub label: String,
    /// How many rows of nodes it holds (dependencies inside a layer stack as rows).
    pub rows: usize,
}

/// How a node's outline is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    /// A continuous line.
    Solid,
    /// Long dashes.
    Dashed,
    /// Dots.
    Dotted,
}

/// The look of a node; every cue that colour gives is also given by a shape, a line
/// or a word, so the figure reads in grey scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeStyle {
    /// Fill.
    pub fill: Rgb,
    /// Outline.
    pub stroke: Rgb,
    /// Text colour.
    pub ink: Rgb,
    /// A second outline inside the first (domestic nodes).
    pub double: bool,
    /// A heavy outline (chokepoints).
    pub heavy: bool,
    /// Outline pattern.
    pub dash: Dash,
    /// Diagonal hatching over the fill (removed nodes).
    pub hatch: bool,
    /// Rounded corners (components) or square ones (organizations, countries).
    pub rounded: bool,
}

/// A node of a [`Diagram`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DNode {
    /// Stable key, unique in the figure (a node id, or `country:SG`, `unknown:3`).
    pub key: String,
    /// The name, already wrapped into lines.
    pub lines: Vec<String>,
    /// A smaller second part: the owner and its jurisdiction.
    pub caption: Option<String>,
    /// A tag line: "chokepoint", "✕ failed" …
    pub tag: Option<String>,
    /// The band it sits in.
    pub band: usize,
    /// Its row, counted from the top of the figure.
    pub row: usize,
    /// Its look.
    pub style: NodeStyle,
    /// A longer description (SVG `<title>`, DOT `tooltip`).
    pub tooltip: String,
}

/// What an edge stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// The dependent needs this dependency.
    Required,
    /// One of several alternatives (`any`, `at-least k of n` with k < n).
    Alternative,
    /// A dependency the sources leave undetermined.
    Unknown,
    /// A partner the sources name without saying the node depends on it (`partners:`):
    /// its loss degrades the node, never fails it. Dash-dotted, with an open diamond.
    Partner,
    /// Ownership: the product belongs to the organization.
    Owner,
    /// A dependency only in the newer world (`jenga diff`): heavy and solid.
    Added,
    /// A dependency only in the older world (`jenga diff`): heavy, dash-dotted, with a
    /// bar for an arrowhead.
    Removed,
}

/// A dependency edge, drawn from the dependent down to what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DEdge {
    /// The dependent (index into [`Diagram::nodes`]).
    pub from: usize,
    /// The dependency.
    pub to: usize,
    /// What it stands for.
    pub kind: EdgeKind,
    /// Whether the failure of `to` travels along it (drawn heavy, in the failure colour).
    pub broken: bool,
}

/// One entry of the legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegendItem {
    /// A node look.
    Node {
        /// Its look.
        style: NodeStyle,
        /// What it means.
        label: String,
    },
    /// An edge look.
    Edge {
        /// The kind.
        kind: EdgeKind,
        /// Whether drawn as broken.
        broken: bool,
        /// What it means.
        label: String,
    },
}

/// A layered node-link figure: a country's tower or the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// The heading (and the SVG `<title>`).
    pub title: String,
    /// One line under the heading.
    pub subtitle: String,
    /// A sentence or two for screen readers (SVG `<desc>`).
    pub desc: String,
    /// Bands, top to bottom.
    pub bands: Vec<Band>,
    /// Nodes, in a deterministic order.
    pub nodes: Vec<DNode>,
    /// Edges, in a deterministic order.
    pub edges: Vec<DEdge>,
    /// The legend, in reading order.
    pub legend: Vec<LegendItem>,
}

impl Diagram {
    /// The total number of rows of all bands.
    pub fn row_count(&self) -> usize {
        self.bands.iter().map(|b| b.rows).sum()
    }

    /// The band of each row, top to bottom.
    pub fn row_bands(&self) -> Vec<usize> {
        self.bands
            .iter()
            .enumerate()
            .flat_map(|(b, band)| std::iter::repeat_n(b, band.rows))
            .collect()
    }
}

/// Any figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// A tower or the overview.
    Diagram(Diagram),
    /// The exposure heat map.
    Matrix(matrix::Matrix),
}

impl Figure {
    /// The figure's title.
    pub fn title(&self) -> &str {
        match self {
            Figure::Diagram(d) => &d.title,
            Figure::Matrix(m) => &m.title,
        }
    }

    /// How much there is to draw (nodes and edges, or cells): the report draws the
    /// biggest figures first.
    pub fn size_hint(&self) -> usize {
        match self {
            Figure::Diagram(d) => d.nodes.len() + d.edges.len(),
            Figure::Matrix(m) => m.cells.iter().map(Vec::len).sum(),
        }
    }

    /// The figure as Graphviz DOT.
    pub fn to_dot(&self) -> String {
        match self {
            Figure::Diagram(d) => dot::diagram(d),
            Figure::Matrix(m) => dot::matrix(m),
        }
    }

    /// The figure drawn by the built-in renderer.
    pub fn to_builtin_svg(&self) -> String {
        match self {
            Figure::Diagram(d) => svg::diagram(d),
            Figure::Matrix(m) => svg::matrix(m),
        }
    }

    /// The figure as SVG from `engine`.
    ///
    /// # Errors
    /// With [`SvgEngine::Graphviz`], when `dot` is missing, fails or times out.
    pub fn to_svg(&self, engine: SvgEngine, timeout: Duration) -> Result<String, RenderError> {
        let use_graphviz = match engine {
            SvgEngine::Builtin => false,
            SvgEngine::Graphviz => true,
            SvgEngine::Auto => graphviz::available(),
        };
        if !use_graphviz && let Figure::Diagram(d) = self {
            let rows = d.row_count();
            if d.nodes.len() > MAX_BUILTIN_NODES || rows > MAX_BUILTIN_ROWS {
                return Err(RenderError::TooLarge {
                    nodes: d.nodes.len(),
                    rows,
                });
            }
        }
        if use_graphviz {
            let raw = graphviz::run_dot(&self.to_dot(), timeout)?;
            let (title, desc) = match self {
                Figure::Diagram(d) => (d.title.as_str(), d.desc.as_str()),
                Figure::Matrix(m) => (m.title.as_str(), m.desc.as_str()),
            };
            graphviz::tidy_svg(&raw, title, desc)
        } else {
            Ok(self.to_builtin_svg())
        }
    }
}

/// The most nodes the built-in layout draws (a 1,000-node tower takes about 70 ms;
/// its crossing reduction grows faster than linearly, so far larger figures would
/// take minutes and be unreadable anyway).
pub const MAX_BUILTIN_NODES: usize = 5_000;

/// The most rows (layers and the rows inside them) the built-in layout draws.
pub const MAX_BUILTIN_ROWS: usize = 500;

/// Which program draws the SVG (an `--engine` value; clap reads the variants' doc
/// comments as their help).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SvgEngine {
    /// Graphviz when `dot` is on PATH, else built-in.
    Auto,
    /// Graphviz `dot`.
    Graphviz,
    /// The built-in pure-Rust renderer.
    Builtin,
}

/// The format a figure is written in (a `render --format` value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FigureFormat {
    /// Graphviz DOT.
    Dot,
    /// SVG.
    Svg,
    /// PNG (drawn from the SVG by resvg, one pixel per SVG pixel).
    Png,
    /// PDF (converted from the SVG by svg2pdf, text embedded).
    Pdf,
}

/// Why a figure could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// `dot` is not on `PATH`.
    GraphvizMissing,
    /// `dot` ran but failed or said something was wrong.
    Graphviz(String),
    /// `dot` did not finish in time.
    Timeout(Duration),
    /// The figure is beyond what the built-in layout draws.
    TooLarge {
        /// Nodes of the figure.
        nodes: usize,
        /// Rows of the figure.
        rows: usize,
    },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::GraphvizMissing => f.write_str(
                "Graphviz `dot` was not found on PATH; install Graphviz (Debian/Ubuntu: \
                 `apt-get install graphviz`, macOS: `brew install graphviz`) or use \
                 `--engine builtin`",
            ),
            RenderError::Graphviz(m) => write!(f, "Graphviz `dot` failed: {m}"),
            RenderError::TooLarge { nodes, rows } => write!(
                f,
                "the figure has {nodes} nodes in {rows} rows, more than the built-in layout \
                 draws (at most {MAX_BUILTIN_NODES} nodes and {MAX_BUILTIN_ROWS} rows); draw it \
                 with Graphviz (`--engine graphviz`, or `--format dot` and `dot -Tsvg`), or a \
                 smaller part of the world: one country (`jenga render CC`) or the cone of a \
                 node (`jenga export TARGET --format graphml` for a graph tool)"
            ),
            RenderError::Timeout(d) => write!(
                f,
                "Graphviz `dot` did not finish within {} s; use `--engine builtin`",
                d.as_secs()
            ),
        }
    }
}

impl std::error::Error for RenderError {}
