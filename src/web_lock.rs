//! A tab's hold on a name, through the browser's Web Locks API (`navigator.locks`): held while
//! the tab lives, released by the browser when the tab closes, crashes or navigates away, as the
//! CLI's lock file is released by the operating system. Another tab can ask which names are held,
//! so it never takes a running tab's journal for a dead one's.
//!
//! Called through `js_sys` rather than web-sys, whose bindings of this API are still behind
//! `web_sys_unstable_apis`.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

/// A held lock; dropping it releases the lock.
pub struct TabLock {
    release: Function,
}

impl Drop for TabLock {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

fn locks() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    Reflect::get(&navigator, &"locks".into())
        .ok()
        .filter(|l| !l.is_undefined() && !l.is_null())
}

/// Takes the lock `name` and keeps it until the returned value is dropped; `None` where the
/// browser has no Web Locks (then other tabs cannot tell this one is alive).
pub fn hold(name: &str) -> Option<TabLock> {
    let locks = locks()?;
    let request: Function = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    // The lock is held until the promise its callback returns settles: one only `release`
    // settles.
    let mut release = None;
    let held = Promise::new(&mut |resolve, _reject| release = Some(resolve));
    let callback = Closure::once_into_js(move |_lock: JsValue| held);
    request.call2(&locks, &name.into(), &callback).ok()?;
    Some(TabLock { release: release? })
}

/// The names of the locks held now, by any tab of this origin.
pub async fn held() -> Vec<String> {
    let Some(locks) = locks() else {
        return Vec::new();
    };
    let Some(query) = Reflect::get(&locks, &"query".into())
        .ok()
        .and_then(|q| q.dyn_into::<Function>().ok())
    else {
        return Vec::new();
    };
    let Ok(promise) = query.call0(&locks).and_then(|p| p.dyn_into::<Promise>()) else {
        return Vec::new();
    };
    let Ok(snapshot) = JsFuture::from(promise).await else {
        return Vec::new();
    };
    Reflect::get(&snapshot, &"held".into())
        .ok()
        .map(|held| Array::from(&held))
        .map(|held| {
            held.iter()
                .filter_map(|lock| Reflect::get(&lock, &"name".into()).ok()?.as_string())
                .collect()
        })
        .unwrap_or_default()
}
