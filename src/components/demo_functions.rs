//! The demo account's functions to pick from: the modelled samples, and the real measurements
//! replayed (loaded when shown).

use leptos::prelude::*;
use powertune_tuner::{FunctionArn, input::Key, sim::SAMPLE_ABOUT};

use crate::{demo_data, form::FormState, session::demo_function_arn};

/// One radio per demo function (what it is in its title, and in a line for the chosen one). Picking a measured function
/// also sets the sizes to the ones it was measured at.
#[component]
pub fn DemoFunctions(
    /// The form whose function (and sizes) a pick sets.
    form: RwSignal<FormState>,
) -> impl IntoView {
    // The engine's worker loads them too, for its demo account.
    let measured = LocalResource::new(demo_data::load_for_page);
    let modelled = SAMPLE_ABOUT
        .iter()
        .map(|(name, about)| {
            view! { <DemoChoice form name=name.to_string() about=about.to_string() sizes=None /> }
        })
        .collect_view();
    let replayed = move || {
        measured.get().map(|loaded| match loaded {
            Ok(functions) => functions
                .into_iter()
                .map(|f| {
                    let sizes = Some(f.sizes());
                    view! { <DemoChoice form name=f.spec.name about=f.about sizes /> }
                })
                .collect_view()
                .into_any(),
            Err(e) => view! {
                <p class="muted" id="demo-data-error">
                    {e.to_string()}
                </p>
            }
            .into_any(),
        })
    };
    // What the chosen function is, in a line (every function's line is its title too).
    let about = move || {
        let chosen = form.with(|f| f.text(Key::LambdaArn));
        let name = chosen.parse::<FunctionArn>().ok()?.name().to_owned();
        SAMPLE_ABOUT
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, about)| about.to_string())
            .or_else(|| {
                measured
                    .get()?
                    .ok()?
                    .into_iter()
                    .find(|f| f.spec.name == name)
                    .map(|f| f.about)
            })
            .map(|about| format!("{name}: {about}"))
    };
    view! {
        <fieldset class="samples" id="demo-functions">
            <legend>"The demo account's functions"</legend>
            <div class="sample-list">
                {modelled}
                <Suspense fallback=|| {
                    view! { <p class="muted">"Loading the measured functions…"</p> }
                }>{replayed}</Suspense>
            </div>
            <p class="muted" id="demo-about">
                {about}
            </p>
        </fieldset>
    }
}

/// A demo function to pick.
#[component]
fn DemoChoice(
    form: RwSignal<FormState>,
    name: String,
    about: String,
    /// The sizes it can be measured at, for replayed measurements.
    sizes: Option<Vec<u32>>,
) -> impl IntoView {
    let value = demo_function_arn(&name);
    let chosen = value.clone();
    view! {
        <label class="sample" title=about>
            <input
                type="radio"
                name="demo-function"
                value=name.clone()
                prop:checked=move || form.with(|f| f.text(Key::LambdaArn) == chosen)
                on:change=move |_| {
                    form.update(|f| {
                        f.set_text(Key::LambdaArn, value.clone());
                        if let Some(sizes) = &sizes {
                            f.set_text(Key::PowerValues, FormState::sizes_text(sizes));
                        }
                    })
                }
            />
            {name}
        </label>
    }
}
