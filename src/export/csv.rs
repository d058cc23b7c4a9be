//! The CSV node and edge lists, with Neo4j admin-import headers.

use super::json::needs_attr;
use super::{Form, NodeKind, Selection, attrs};
use crate::graph::World;
use crate::output::Table;

/// The node and edge lists as CSV with Neo4j admin-import headers (`neo4j-admin
/// database import full --nodes=nodes.csv --relationships=edges.csv`): nodes
/// `id:ID,name,kind,layer,org,jurisdiction,status,country,unknown:int,needs,:LABEL`
/// (`unknown` counts the node's `unknown` groups, `needs` holds all its groups as
/// JSON text, the objects of the JSON export); edges
/// `:START_ID,:END_ID,:TYPE,kind,group:int,need:int,of:int`. Labels are
/// `Organization` or `Component` plus the layer (`Component;Chips`); every edge's
/// type is `NEEDS` (with `kind` saying which form), except ownership: `OWNED_BY`
/// and `SUBSIDIARY_OF`. Cells are RFC 4180; with `raw` false, a cell a spreadsheet
/// would read as a formula (`=`, `+`, `-`, `@`) is prefixed with `'` and control
/// characters are replaced (for spreadsheets); with `raw` true the data is left
/// unaltered (for databases).
pub fn to_csv(world: &World, sel: &Selection, raw: bool) -> (String, String) {
    let mut nodes = Table::new([
        "id:ID",
        "name",
        "kind",
        "layer",
        "org",
        "jurisdiction",
        "status",
        "country",
        "unknown:int",
        "needs",
        ":LABEL",
    ]);
    for i in sel.nodes(world) {
        let a = attrs(world, i);
        let label = if a.kind == NodeKind::Organization {
            "Organization".to_owned()
        } else if a.layer.is_empty() {
            "Component".to_owned()
        } else {
            let mut l = a.layer.to_owned();
            l[..1].make_ascii_uppercase();
            format!("Component;{l}")
        };
        let (needs, unknown) = needs_attr(world, i);
        let unknown = unknown.to_string();
        nodes.push(std::iter::once(a.id).chain(a.values()).chain([
            unknown.as_str(),
            &needs,
            &label,
        ]));
    }
    let mut edges = Table::new([
        ":START_ID",
        ":END_ID",
        ":TYPE",
        "kind",
        "group:int",
        "need:int",
        "of:int",
    ]);
    for e in sel.edges(world) {
        let ty = match e.kind {
            Form::OwnedBy => "OWNED_BY",
            Form::SubsidiaryOf => "SUBSIDIARY_OF",
            _ => "NEEDS",
        };
        edges.push([
            world.node(e.from).id.clone(),
            world.node(e.to).id.clone(),
            ty.to_owned(),
            e.kind.name().to_owned(),
            e.group.to_string(),
            e.need.to_string(),
            e.of.to_string(),
        ]);
    }
    if raw {
        (nodes.to_csv_raw(), edges.to_csv_raw())
    } else {
        (nodes.to_csv(), edges.to_csv())
    }
}
