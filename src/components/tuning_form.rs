//! The tuning form: the original tool's inputs, validated by the domain, with a box to paste
//! the original JSON input.

use leptos::prelude::*;
use powertune_tuner::{
    input::{Control, KEYS, Key, KeySpec, ParsedInput, Tier, parse_input},
    plan::Plan,
    pricing,
    sampling::SamplingMode,
};
use serde_json::Value;

use crate::{
    components::{account_panel::ListedFunctions, demo_functions::DemoFunctions, details_open},
    form::FormState,
    format,
    run::use_tuning_run,
    session::{Mode, use_session},
};

/// Every input key of the domain's table ([`KEYS`]), the everyday ones first and the rest
/// behind "Advanced" (which unfolds by itself when a pasted input or a share link sets one), with
/// inline errors, the estimate, and Start.
#[component]
pub fn TuningForm(
    /// The fields.
    form: RwSignal<FormState>,
    /// A pasted original input, whose extra keys the form keeps (so the parser can name them).
    base: RwSignal<Value>,
    /// Starts the run.
    on_start: Callback<()>,
) -> impl IntoView {
    let run = use_tuning_run();
    let parsed = Memo::new(move |_| form.with(|f| f.parse(&base.get())));
    let (pasted, set_pasted) = signal(String::new());
    let paste_error = RwSignal::new(None::<String>);
    // Unfolded when a field behind it is set by something other than the user's own typing
    // (a pasted input, a share link, the page's start): the user sees what will be sent.
    let advanced_open = RwSignal::new(form.with_untracked(FormState::any_advanced_set));
    let load = move |_| match parse_input(&pasted.get()) {
        Ok(p) => {
            let filled = FormState::from_input(&p.input);
            if filled.any_advanced_set() {
                advanced_open.set(true);
            }
            form.set(filled);
            base.set(serde_json::from_str(&pasted.get()).unwrap_or(Value::Null));
            paste_error.set(None);
        }
        Err(e) => paste_error.set(Some(e.to_string())),
    };
    let fields = move |tier: Tier| {
        KEYS.iter()
            .filter(|spec| spec.tier == tier)
            .map(|spec| view! { <Field spec form /> })
            .collect_view()
    };
    let advanced_summary = move || match form.with(FormState::advanced_set) {
        0 => "Advanced".to_owned(),
        1 => "Advanced (1 set)".to_owned(),
        n => format!("Advanced ({n} set)"),
    };
    view! {
        <section class="card" aria-labelledby="form-title">
            <h2 id="form-title">"Tuning"</h2>
            <div class="fields">{fields(Tier::Everyday)}</div>
            <details
                id="advanced"
                prop:open=move || advanced_open.get()
                on:toggle=move |ev| advanced_open.set(details_open(&ev))
            >
                <summary>{advanced_summary}</summary>
                <div class="fields">{fields(Tier::Advanced)}</div>
            </details>
            <details>
                <summary>"Paste the original tool's JSON input"</summary>
                <textarea
                    id="paste-json"
                    rows="6"
                    spellcheck="false"
                    prop:value=move || pasted.get()
                    on:input=move |ev| set_pasted.set(event_target_value(&ev))
                ></textarea>
                <button type="button" id="load-json" on:click=load>
                    "Fill the form"
                </button>
                {move || {
                    paste_error
                        .get()
                        .map(|e| {
                            view! {
                                <pre class="error-text" role="alert">
                                    {e}
                                </pre>
                            }
                        })
                }}
            </details>
            {move || match parsed.get() {
                Ok(p) => view! { <Estimate parsed=p /> }.into_any(),
                Err(errors) => {
                    view! {
                        <ul class="errors" role="alert" id="form-errors">
                            {errors
                                .0
                                .into_iter()
                                .map(|e| view! { <li>{e.to_string()}</li> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            <button
                type="button"
                id="start"
                class="primary"
                prop:disabled=move || run.is_running() || parsed.with(|p| p.is_err())
                on:click=move |_| on_start.run(())
            >
                "Start tuning"
            </button>
        </section>
    }
}

/// An element id for a key: its name in kebab case (`powerValues` → `power-values`,
/// `lambdaARN` → `lambda-arn`).
pub fn field_id(name: &str) -> String {
    let mut id = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            id.push('-');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        id.push(c.to_ascii_lowercase());
    }
    id
}

/// One key's field, as its row of the table asks for it: label (the help and the key's name),
/// control, and what goes with it (the function list, the payload note, CloudWatch).
#[component]
fn Field(spec: &'static KeySpec, form: RwSignal<FormState>) -> impl IntoView {
    let session = use_session();
    let id = field_id(spec.name);
    let key = spec.key;
    let label = view! {
        {spec.help}
        " "
        <code>{spec.name}</code>
    };
    match spec.control {
        Control::Flag => view! {
            <label class="inline field flag">
                <input
                    type="checkbox"
                    id=id
                    prop:checked=move || form.with(|f| f.flag(key))
                    on:change=move |ev| form.update(|f| f.set_flag(key, event_target_checked(&ev)))
                />
                {label}
            </label>
        }
        .into_any(),
        Control::Choice(options) => view! {
            <label class="field">
                {label}
                <select
                    id=id
                    prop:value=move || form.with(|f| f.choice(key))
                    on:change=move |ev| form.update(|f| f.set_choice(key, &event_target_value(&ev)))
                >
                    {options
                        .iter()
                        .map(|(value, text)| view! { <option value=*value>{*text}</option> })
                        .collect_view()}
                </select>
            </label>
        }
        .into_any(),
        Control::Json => view! {
            <label class="field wide">
                {label}
                <textarea
                    id=id
                    rows="3"
                    spellcheck="false"
                    prop:value=move || form.with(|f| f.text(key))
                    on:input=move |ev| form.update(|f| f.set_text(key, event_target_value(&ev)))
                ></textarea>
            </label>
            {move || {
                (key == Key::Payload)
                    .then(|| form.with(FormState::payload_note))
                    .flatten()
                    .map(|note| {
                        view! {
                            <p class="warn-text field wide" id="payload-note">
                                {note}
                            </p>
                        }
                    })
            }}
        }
        .into_any(),
        control => {
            let inputmode = match control {
                Control::Number | Control::Count => "decimal",
                _ => "text",
            };
            let is_function = key == Key::LambdaArn;
            let is_demo = move || session.mode.get() == Mode::Demo;
            view! {
                <label class="field" class:wide=is_function>
                    {label}
                    <span class="row tight">
                        <input
                            id=id
                            inputmode=inputmode
                            spellcheck="false"
                            list=is_function.then_some("function-list")
                            prop:value=move || form.with(|f| f.text(key))
                            on:input=move |ev| {
                                form.update(|f| f.set_text(key, event_target_value(&ev)))
                            }
                        />
                        {(key == Key::MonthlyInvocations)
                            .then(|| {
                                view! {
                                    <Show when=move || !is_demo()>
                                        <button
                                            type="button"
                                            class="secondary"
                                            id="monthly-from-cloudwatch"
                                            title="Read the function's Invocations over the last 30 days when the run starts (needs cloudwatch:GetMetricStatistics)"
                                            on:click=move |_| {
                                                form.update(|f| { f.set_text(key, "cloudwatch".into()) })
                                            }
                                        >
                                            "from CloudWatch"
                                        </button>
                                    </Show>
                                }
                            })}
                    </span>
                </label>
                {is_function.then(|| view! { <FunctionChoices form /> })}
            }
            .into_any()
        }
    }
}

/// The listed functions (AWS) as the function field's suggestions, and the demo account's
/// functions to pick from.
#[component]
fn FunctionChoices(form: RwSignal<FormState>) -> impl IntoView {
    let session = use_session();
    let listed = expect_context::<ListedFunctions>();
    let is_demo = move || session.mode.get() == Mode::Demo;
    view! {
        <datalist id="function-list">
            {move || {
                listed
                    .arns()
                    .into_iter()
                    .map(|f| {
                        let name = f.name().to_owned();
                        view! { <option value=f.to_string()>{name}</option> }
                    })
                    .collect_view()
            }}
        </datalist>
        <Show when=is_demo>
            <div class="field wide">
                <DemoFunctions form />
            </div>
        </Show>
    }
}

/// What a valid input will do: invocations, versions, cost, the JSON and the IAM policy.
#[component]
fn Estimate(
    /// The validated input.
    parsed: ParsedInput,
) -> impl IntoView {
    let ParsedInput { input, warnings } = parsed;
    let sizes = input.power_values.len();
    let per_size = input.invocations_per_size();
    let calls = sizes as u32 * per_size;
    let versions = Plan::versions_for(&input);
    // The JSON and the policy are written out only when their disclosure is opened: the form
    // rebuilds this summary on every keystroke.
    let (json_open, policy_open) = (RwSignal::new(false), RwSignal::new(false));
    let shown = StoredValue::new(input.clone());
    let json = move || {
        json_open.get().then(|| {
            shown.with_value(|i| serde_json::to_string_pretty(&i.to_json()).unwrap_or_default())
        })
    };
    let policy = move || {
        policy_open.get().then(|| {
            shown.with_value(|i| {
                serde_json::to_string_pretty(&powertune_aws::policy::policy_for(i))
                    .unwrap_or_default()
            })
        })
    };
    let toggled = |open: RwSignal<bool>| move |ev: web_sys::Event| open.set(details_open(&ev));
    let at = |ms| {
        let (cost, currency) =
            pricing::estimate(input.lambda_arn.region(), &input.power_values, per_size, ms);
        format::cost(cost, currency)
    };
    let cost = format!(
        "Estimated cost: {} if each invocation takes 100 ms, {} at 1 s, {} at 10 s (x86_64 prices, before the free tier).",
        at(100.0),
        at(1000.0),
        at(10_000.0),
    );
    view! {
        <div class="summary">
            <p id="estimate">
                {if input.sampling == SamplingMode::Adaptive && !input.dry_run {
                    format!(
                        "Adaptive sampling: at most {sizes} sizes × {per_size} invocations = {calls}, usually far fewer (a few sizes screened, the promising ones raced); at most {versions} versions and aliases, each removed again.",
                    )
                } else {
                    format!(
                        "{sizes} sizes × {per_size} invocations = {calls} invocations; {versions} versions and aliases are created and removed again.",
                    )
                }}
            </p>
            {(!input.architectures.is_empty())
                .then(|| {
                    let list = input
                        .architectures
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(" and ");
                    view! {
                        <p id="architectures-note">
                            {format!(
                                "Tuned on {list}, one after the other, each as above. For an architecture that is not the function's own, a temporary copy of the function is created (same code, configuration, role and environment: its invocations have the same side effects as the function's) and deleted after the run.",
                            )}
                        </p>
                    }
                })}
            <p id="cost-estimate">{cost}</p>
            {(!warnings.is_empty())
                .then(|| {
                    view! {
                        <ul class="warnings">
                            {warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                        </ul>
                    }
                })}
            <details on:toggle=toggled(json_open)>
                <summary>"The JSON input this form stands for"</summary>
                <pre id="input-json">{json}</pre>
            </details>
            <details on:toggle=toggled(policy_open)>
                <summary>"IAM policy these credentials need"</summary>
                <pre id="policy">{policy}</pre>
            </details>
        </div>
    }
}
