//! Reusable view pieces, one per file.

pub mod account_panel;
pub mod apply_panel;
pub mod charts;
pub mod compare_panel;
pub mod demo_functions;
pub mod downloads;
pub mod monthly_costs;
pub mod package_picker;
pub mod recovery;
pub mod results;
pub mod results_table;
pub mod run_panel;
pub mod share_panel;
pub mod tuning_form;

/// Whether the `<details>` a toggle event came from is open.
pub fn details_open(ev: &web_sys::Event) -> bool {
    ev.target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDetailsElement>(t).ok())
        .is_some_and(|d| d.open())
}
