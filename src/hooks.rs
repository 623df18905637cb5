//! Browser state as reactive values, in the shape of leptos-use's hooks (`use_timestamp`,
//! `use_preferred_dark`, `use_window_size`): each registers its listener or timer and removes it
//! when the calling component goes away. Written here because three small hooks cost less than
//! the crate's dependency tree in the download.

use leptos::prelude::*;
use wasm_bindgen::{JsCast as _, closure::Closure};

/// The time in ms since the epoch, updated every `interval_ms` while `active` says so (as
/// leptos-use's `use_timestamp` with its pause control): a finished run's clock stops, and so
/// does everything that redraws with it.
pub fn use_timestamp(interval_ms: u64, active: impl Fn() -> bool + 'static) -> Signal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    let timer = set_interval_with_handle(
        move || {
            if untrack(&active) {
                now.set(js_sys::Date::now());
            }
        },
        std::time::Duration::from_millis(interval_ms),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    now.into()
}

/// Whether the system asks for a dark colour scheme, following changes.
pub fn use_preferred_dark() -> Signal<bool> {
    let query = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten();
    let dark = RwSignal::new(query.as_ref().is_some_and(|q| q.matches()));
    if let Some(query) = query {
        let on_change = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
            move |e: web_sys::MediaQueryListEvent| dark.set(e.matches()),
        );
        let _ =
            query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        let listener = StoredValue::new_local((query, on_change));
        on_cleanup(move || {
            listener.try_with_value(|(query, on_change)| {
                let _ = query.remove_event_listener_with_callback(
                    "change",
                    on_change.as_ref().unchecked_ref(),
                );
            });
        });
    }
    dark.into()
}

/// The window's inner width and height in CSS pixels, following resizes.
pub fn use_window_size() -> Signal<(f64, f64)> {
    let size = || {
        let w = window();
        let px =
            |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        (px(w.inner_width()), px(w.inner_height()))
    };
    let current = RwSignal::new(size());
    let handle = window_event_listener(leptos::ev::resize, move |_| current.set(size()));
    on_cleanup(move || handle.remove());
    current.into()
}

/// A counter that goes up whenever another tab of this site changes localStorage.
pub fn use_storage_changes() -> Signal<u32> {
    let changes = RwSignal::new(0_u32);
    let handle = window_event_listener(leptos::ev::storage, move |_| {
        changes.update(|n| *n = n.wrapping_add(1))
    });
    on_cleanup(move || handle.remove());
    changes.into()
}
