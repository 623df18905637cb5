//! Reusable view pieces, one per file.

pub mod account_panel;
pub mod apply_panel;
pub mod charts;
pub mod compare_panel;
pub mod demo_functions;
pub mod monthly_costs;
pub mod recovery;
pub mod results;
pub mod results_table;
pub mod run_panel;
pub mod share_panel;
pub mod tuning_form;
