//! Browser tests of the app's wasm build, run in headless Chromium by wasm-bindgen-test
//! (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The original README's sample result, as a location hash.
fn readme_hash() -> String {
    format!("#{}", powertune_tuner::fixtures::README_SAMPLE_HASH)
}

fn mount_with_hash(hash: &str) -> web_sys::HtmlElement {
    let window = web_sys::window().unwrap();
    window.location().set_hash(hash).unwrap();
    let document = window.document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    // The worker's script is Trunk's output, which this runner does not serve (the end-to-end
    // tests run the real worker).
    powertune_web::run_engine_in_page();
    leptos::mount::mount_to(root.clone(), powertune_web::App).forget();
    root
}

/// The memory sizes of the results table rows, in order.
fn sizes_shown(root: &web_sys::HtmlElement) -> Vec<String> {
    let rows = root.query_selector_all("table.results tbody tr").unwrap();
    (0..rows.length())
        .map(|i| {
            rows.item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute("data-memory")
                .unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
fn readme_link_lists_its_six_sizes() {
    let root = mount_with_hash(&readme_hash());
    assert_eq!(
        sizes_shown(&root),
        ["128", "256", "512", "1024", "1536", "3008"]
    );
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

/// The element `selector` finds under `root`, as the type the test knows it has.
fn element<T: wasm_bindgen::JsCast>(root: &web_sys::HtmlElement, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .expect(selector)
        .unchecked_into()
}

fn set_input(root: &web_sys::HtmlElement, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = element(root, selector);
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    element::<web_sys::HtmlElement>(root, selector).click();
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
}

/// Waits (up to 30 s) until `ready` holds.
async fn wait_until(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..600 {
        if ready() {
            return;
        }
        gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

#[wasm_bindgen_test]
async fn demo_account_tunes_to_results_and_a_share_link_that_reopens_them() {
    let root = mount_with_hash("");
    assert!(
        text_of(&root, "#account-title").is_some(),
        "the workbench is shown without a link"
    );
    set_input(&root, "#num", "5");
    set_input(&root, "#power-values", "512, 1024, 2048");
    click(&root, "#start");
    wait_until("results", || {
        root.query_selector("#results").unwrap().is_some()
    })
    .await;
    let rows = root
        .query_selector_all("#results table.results tbody tr")
        .unwrap();
    assert_eq!(rows.length(), 3);
    let phase = text_of(&root, "#phase").unwrap();
    assert!(phase.contains("15/15 invocations"), "{phase}");
    // The share link reopens the same sizes, without credentials or account id.
    let link: web_sys::HtmlInputElement = element(&root, "#share-link");
    let link = link.value();
    assert!(link.contains("#pt4."), "{link}");
    assert!(!link.contains("123456789012"));
    let shared = mount_with_hash(&link[link.find('#').unwrap()..]);
    assert_eq!(sizes_shown(&shared), ["512", "1024", "2048"]);
    shared.remove();
    root.remove();
}

#[wasm_bindgen_test]
async fn invalid_input_shows_the_domain_errors_and_start_is_disabled() {
    let root = mount_with_hash("");
    set_input(&root, "#num", "3");
    set_input(&root, "#power-values", "128, 64");
    wait_until("the error list", || {
        text_of(&root, "#form-errors").is_some()
    })
    .await;
    let errors = text_of(&root, "#form-errors").unwrap();
    assert!(errors.contains("num = 3: must be at least 5"), "{errors}");
    assert!(errors.contains("powerValues[1] = 64"), "{errors}");
    let start: web_sys::HtmlButtonElement = element(&root, "#start");
    assert!(start.disabled());
    root.remove();
}

#[wasm_bindgen_test]
async fn comparing_architectures_in_the_demo_account_shows_both_and_the_best() {
    let root = mount_with_hash("");
    set_input(&root, "#num", "5");
    set_input(&root, "#power-values", "512, 1024");
    set_input(&root, "#architectures", "x86_64, arm64");
    click(&root, "#start");
    wait_until("the comparison's results", || {
        root.query_selector("#architectures-found")
            .unwrap()
            .is_some()
    })
    .await;
    let found = text_of(&root, "#architectures-found").unwrap();
    assert!(found.contains("Best over x86_64 and arm64: "), "{found}");
    // The copy's run is shown beside the function's own.
    let compared = text_of(&root, "#compare").unwrap();
    assert!(compared.contains("(arm64), a temporary copy"), "{compared}");
    assert!(root.query_selector("#run-error").unwrap().is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn cancel_stops_the_run_after_cleaning_up() {
    let root = mount_with_hash("");
    set_input(&root, "#num", "50");
    set_input(&root, "#power-values", "ALL");
    click(&root, "#start");
    wait_until("the first invocations", || {
        text_of(&root, "#phase").is_some_and(|p| !p.contains(" 0/"))
    })
    .await;
    click(&root, "#cancel");
    wait_until("the cancel outcome", || {
        root.query_selector("#run-error").unwrap().is_some()
    })
    .await;
    let error = text_of(&root, "#run-error").unwrap();
    assert!(
        error.contains("cancelled") && error.contains("removed"),
        "{error}"
    );
    assert!(root.query_selector("#results").unwrap().is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn adaptive_sampling_measures_a_few_sizes_and_marks_the_rest_not_measured() {
    let root = mount_with_hash("");
    set_input(&root, "#power-values", "ALL");
    let sampling: web_sys::HtmlSelectElement = element(&root, "#sampling");
    sampling.set_value("adaptive");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    sampling
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    wait_until("the adaptive estimate", || {
        text_of(&root, "#estimate").is_some_and(|e| e.starts_with("Adaptive sampling"))
    })
    .await;
    click(&root, "#start");
    wait_until("results", || {
        root.query_selector("#results").unwrap().is_some()
    })
    .await;
    // The sizes never measured fold into one line, and show when asked for.
    let rows = |root: &web_sys::HtmlElement| {
        root.query_selector_all("#results table.results tbody tr.unmeasured")
            .unwrap()
            .length()
    };
    assert_eq!(rows(&root), 0, "folded");
    let fold = text_of(&root, "#show-unmeasured").unwrap();
    assert!(fold.contains(" sizes not measured: "), "{fold}");
    click(&root, "#show-unmeasured");
    wait_until("the unmeasured rows", || rows(&root) > 0).await;
    let unmeasured = rows(&root);
    assert!(unmeasured > 30, "{unmeasured} of 46 sizes not measured");
    assert!(
        root.query_selector("#results .recommendation strong")
            .unwrap()
            .is_some()
    );
    // The run says how sure it is and what it saved against the grid.
    let noise = text_of(&root, "#results p.noise").unwrap();
    assert!(noise.contains("95 % intervals"), "{noise}");
    let sampling = text_of(&root, "#results p.sampling").unwrap();
    assert!(
        sampling.starts_with("Adaptive sampling made ")
            && sampling.contains("against the grid's 460 and 46"),
        "{sampling}"
    );
    // Progress said what became of every size and why.
    let roles = root.query_selector_all(".sizes .role").unwrap().length();
    assert!(roles > 40, "{roles} of 46 sizes have a role");
    let never = text_of(&root, ".sizes .role[data-role='not measured']").unwrap();
    assert!(never.starts_with("not measured: predicted "), "{never}");
    // The charts tell predicted sizes from measured ones.
    let label = element::<web_sys::Element>(&root, "#chart-tradeoff")
        .get_attribute("aria-label")
        .unwrap();
    assert!(
        label.contains("were not measured: the model's predictions for them are drawn hollow"),
        "{label}"
    );
    let caption = text_of(&root, "#results figcaption").unwrap();
    assert!(
        caption.contains("predicted by the duration model"),
        "{caption}"
    );
    // Measured sizes show their calls and the margins of their averages.
    let margins = root
        .query_selector_all("#results table.results tbody td .ci")
        .unwrap()
        .length();
    assert!(margins >= 2 * (46 - unmeasured) - 2, "{margins} margins");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_input_json_and_the_policy_are_written_out_when_opened() {
    let root = mount_with_hash("");
    wait_until("the estimate", || text_of(&root, "#estimate").is_some()).await;
    assert_eq!(
        text_of(&root, "#input-json").as_deref(),
        Some(""),
        "closed: not built"
    );
    let details: web_sys::HtmlElement = element(&root, "#input-json");
    let details = details.parent_element().unwrap();
    details.set_attribute("open", "").unwrap();
    wait_until("the JSON input", || {
        text_of(&root, "#input-json").is_some_and(|j| j.contains("\"lambdaARN\""))
    })
    .await;
    assert_eq!(text_of(&root, "#policy").as_deref(), Some(""));
    root.remove();
}
