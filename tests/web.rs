//! Browser tests of the app's wasm build, run in headless Chromium by wasm-bindgen-test
//! (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const README_HASH: &str =
    "#gAAAAQACAAQABsAL;ZooQR4yvkUa/pQRGRC5zRaADHUVjOftE;QdWhOEMkoziDT5Q4xhiIOMYYiDi6RNc4";

fn mount_with_hash(hash: &str) -> web_sys::HtmlElement {
    let window = web_sys::window().unwrap();
    window.location().set_hash(hash).unwrap();
    let document = window.document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    leptos::mount::mount_to(root.clone(), powertune_web::App).forget();
    root
}

#[wasm_bindgen_test]
fn readme_link_lists_its_six_sizes() {
    let root = mount_with_hash(README_HASH);
    let rows = root.query_selector_all("table.results tbody tr").unwrap();
    assert_eq!(rows.length(), 6);
    let sizes: Vec<String> = (0..rows.length())
        .map(|i| {
            rows.item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute("data-memory")
                .unwrap()
        })
        .collect();
    assert_eq!(sizes, ["128", "256", "512", "1024", "1536", "3008"]);
    let text = root.text_content().unwrap();
    assert!(text.contains("37,002 ms"), "{text}");
    // 1024 MB and 1536 MB cost the same in the sample; an exact cost tie goes to the faster one.
    let cost = root
        .query_selector("[data-strategy=cost] strong")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(cost, "1536 MB");
    root.remove();
}

#[wasm_bindgen_test]
fn malformed_link_shows_a_clear_error() {
    let root = mount_with_hash("#gAAAAQAC;AADIQgAAlkMAAEhD");
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an error panel");
    let text = alert.text_content().unwrap();
    assert!(text.contains("This link cannot be opened"), "{text}");
    assert!(text.contains("3 (sizes;durations;costs)"), "{text}");
    root.remove();
}
