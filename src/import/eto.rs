//! The ETO Advanced Semiconductor Supply Chain dataset (Emerging Technology
//! Observatory, CSET; CC BY-NC 4.0) as one stack file of the `chips` layer.
//!
//! The mapping (README "Importing datasets" has the analyst's version):
//!
//! - every input (`inputs.csv`) and stage (`stages.csv`) is a node `eto-<id>`
//!   (`eto-n20`, `eto-s2`);
//! - `sequence.csv` `goes_into` rows are required dependencies (the process needs
//!   its tools, materials and the process before it, ending at `N99` Finished
//!   logic chip); `is_type_of` rows are a roll-up, never alternatives: a category
//!   needs each of its types (a fab that needs lithography tools needs EUV tools
//!   itself, not EUV *or* ArF);
//! - every provider (`providers.csv`) is an organization `eto-<id>`: a firm with its
//!   ISO 3166-1 alpha-3 headquarters converted to alpha-2, a country provider as an
//!   organization of kind `country` in its own jurisdiction; `EUR` and "Various
//!   countries" keep what they are (user-assigned `XE` and `XV`,
//!   [`super::countries`]);
//! - every `provision.csv` row is a node `eto-<provider>-<input>` owned by its
//!   provider, and the input needs its supply as alternatives weighted by
//!   `share_provided`: one `any` group of the firm rows and one of the country rows
//!   (separate views; neither is derived from the other, and the input needs both:
//!   it loses its supply when either view says so). An empty `share_provided` is an
//!   unknown share, never 0;
//! - every node cites the dataset, the file and line, the year and the `source`
//!   column of the row it comes from.
//!
//! # Complexity
//! O(n log n) in the rows (sorting and maps).

//!
//! This file reads the five tables and hands them on: `eto/read.rs` turns inputs,
//! stages and providers into items, `eto/supply.rs` adds the provision and sequence
//! rows, `eto/write.rs` writes the stack file.

mod read;
mod supply;
mod write;

use super::{ImportError, Imported, Input, OutFile, Summary, Table};

/// The dataset's files, as read from its `data/` folder.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    /// `inputs.csv`.
    pub inputs: Input<'a>,
    /// `stages.csv`.
    pub stages: Input<'a>,
    /// `providers.csv`.
    pub providers: Input<'a>,
    /// `provision.csv`.
    pub provision: Input<'a>,
    /// `sequence.csv`.
    pub sequence: Input<'a>,
    /// `LICENSE.md`, copied into the notice when given.
    pub license: Option<&'a str>,
}

/// The file names the dataset uses, in [`Files`] order.
pub const FILE_NAMES: [&str; 5] = [
    "inputs.csv",
    "stages.csv",
    "providers.csv",
    "provision.csv",
    "sequence.csv",
];

/// The bibliography id every imported fact cites.
pub const SOURCE_ID: &str = "eto-chip-explorer";

/// The name of the stack file written.
pub const STACK_FILE: &str = "eto-chip-explorer.yaml";

/// The name of the licence notice written beside it.
pub const NOTICE_FILE: &str = "LICENSE-ETO-DATA.md";

/// Imports the dataset (see the module documentation).
///
/// # Errors
/// A malformed file or row, located at `file:line:column`: a missing column, a
/// duplicate id, a share that is not a percentage, a reference to an id the other
/// files do not define, a provider type other than `country` or `organization`.
pub fn import(files: &Files<'_>) -> Result<Imported, ImportError> {
    let mut summary = Summary::default();
    let inputs = Table::parse(files.inputs)?;
    let stages = Table::parse(files.stages)?;
    let providers_t = Table::parse(files.providers)?;
    let provision = Table::parse(files.provision)?;
    let sequence = Table::parse(files.sequence)?;
    let (mut items, by_raw) = read::items(&inputs, &stages)?;
    let (providers, provider_of) = read::providers(&providers_t, &mut summary)?;
    let supplied = supply::provision(
        &provision,
        &providers,
        &provider_of,
        &by_raw,
        &mut items,
        &mut summary,
    )?;
    let (goes_into, type_of) = supply::sequence(&sequence, &by_raw, &mut items, &mut summary)?;
    let out = write::stack_file(&providers, &items, &supplied.nodes);
    let (used_providers, with_share, without_share) =
        (supplied.used, supplied.with_share, supplied.without_share);
    // Keep the counts honest about providers that supply nothing.
    let idle = providers.len() - used_providers.len();
    summary.count("inputs and stages", items.len());
    summary.count("providers", providers.len());
    summary.count("supply rows with a share", with_share);
    summary.count("supply rows without a share (unknown)", without_share);
    summary.count("goes_into dependencies", goes_into);
    summary.count("is_type_of roll-ups", type_of);
    if idle > 0 {
        summary.count("providers that supply nothing", idle);
    }
    let notice = notice(files.license);
    Ok(Imported {
        files: vec![
            OutFile {
                name: NOTICE_FILE.to_owned(),
                text: notice,
            },
            OutFile {
                name: STACK_FILE.to_owned(),
                text: out,
            },
        ],
        summary,
    })
}

/// The licence notice written into the output directory.
fn notice(license: Option<&str>) -> String {
    let mut s = String::from(
        "# Licence of the data in this directory\n\n\
         `eto-chip-explorer.yaml` is derived from the ETO Advanced Semiconductor Supply Chain\n\
         Dataset (Emerging Technology Observatory, Center for Security and Emerging Technology,\n\
         Georgetown University; <https://github.com/georgetown-cset/eto-chip-explorer>), converted\n\
         by `jenga import eto`. It is licensed under the Creative Commons\n\
         Attribution-NonCommercial 4.0 International License\n\
         (<http://creativecommons.org/licenses/by-nc/4.0/>), not under jenga's licence: credit the\n\
         dataset and do not use it commercially.\n\n\
         Changes made: rows became nodes and dependencies (see jenga's README, \"Importing\n\
         datasets\"); ISO 3166-1 alpha-3 codes became alpha-2; `EUR` is written `XE` and\n\
         \"Various countries\" `XV`.\n",
    );
    if let Some(l) = license {
        s.push_str("\n## The dataset's LICENSE.md\n\n");
        s.push_str(l.trim_end());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUTS: &str = "input_id,input_name,type,stage_name,stage_id,description,year\nN20,EUV lithography tools,tool_resource,,,d,2025\nN19,Lithography tools,tool_resource,,,d,2025\n";
    const STAGES: &str = "stage_id,stage_name\nS2,Fabrication\n";
    const PROVIDERS: &str = "provider_name,alias,provider_id,provider_type,country\nNLD,Netherlands,P45,country,\nASML,,P88,organization,NLD\n";
    const SEQUENCE: &str = "input_name,input_id,goes_into_name,goes_into_id,is_type_of_name,is_type_of_id\nEUV,N20,,,Lithography tools,N19\n";

    fn run(provision: &str, sequence: &str) -> Result<Imported, ImportError> {
        import(&Files {
            inputs: Input {
                name: "inputs.csv",
                bytes: INPUTS.as_bytes(),
            },
            stages: Input {
                name: "stages.csv",
                bytes: STAGES.as_bytes(),
            },
            providers: Input {
                name: "providers.csv",
                bytes: PROVIDERS.as_bytes(),
            },
            provision: Input {
                name: "provision.csv",
                bytes: provision.as_bytes(),
            },
            sequence: Input {
                name: "sequence.csv",
                bytes: sequence.as_bytes(),
            },
            license: None,
        })
    }

    const PROVISION: &str = "provider_name,provider_id,provided_name,provided_id,share_provided,year,source\nASML,P88,EUV,N20,100.0,2025,TechInsights\nNLD,P45,EUV,N20,100.0,2025,TechInsights\nASML,P88,Litho,N19,,2019,CSET\n";

    #[test]
    fn supply_is_weighted_and_a_missing_share_stays_unknown() {
        let y = run(PROVISION, SEQUENCE).unwrap();
        let text = &y.files[1].text;
        assert!(text.contains("      - any: [{ id: eto-p88-n20, share: 100 }]\n      - any: [{ id: eto-p45-n20, share: 100 }]\n"), "{text}");
        assert!(
            text.contains("      - any: [{ id: eto-p88-n19 }]\n      - eto-n20\n"),
            "{text}"
        );
        assert!(text.contains("jurisdiction: NL\n    kind: country\n"));
        assert_eq!(y.summary.counts["supply rows without a share (unknown)"], 1);
    }

    #[test]
    fn a_share_that_is_not_a_number_is_located() {
        let bad = "provider_name,provider_id,provided_name,provided_id,share_provided,year,source\nASML,P88,EUV,N20,\"ten, or so\",2025,T\n";
        assert_eq!(
            run(bad, SEQUENCE).err().unwrap().0,
            "provision.csv:2:18: `ten, or so` is not a number (column `share_provided`); write a decimal number such as 12.5, or leave the cell empty when unknown"
        );
    }

    #[test]
    fn an_unknown_reference_is_located() {
        let bad = "input_name,input_id,goes_into_name,goes_into_id,is_type_of_name,is_type_of_id\nEUV,N20,,N77,,\n";
        assert_eq!(
            run(PROVISION, bad).err().unwrap().0,
            "sequence.csv:2:10: input `N77` is not in inputs.csv (column `goes_into_id`); give an input_id that inputs.csv defines"
        );
    }
}
