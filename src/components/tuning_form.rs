//! The tuning form: the original tool's inputs, validated by the domain, with a box to paste
//! the original JSON input.

use leptos::prelude::*;
use powertune_tuner::{
    input::{ParsedInput, parse_input},
    plan::Plan,
    pricing,
    sampling::SamplingMode,
};
use serde_json::Value;

use crate::{
    components::{account_panel::ListedFunctions, demo_functions::DemoFunctions},
    form::FormState,
    format,
    run::use_tuning_run,
    session::{Mode, use_session},
};

/// Every input of the original with its name and default, inline errors, and Start.
#[component]
pub fn TuningForm(
    /// The fields.
    form: RwSignal<FormState>,
    /// A pasted original input, whose extra keys (processors, …) the form keeps.
    base: RwSignal<Value>,
    /// Starts the run.
    on_start: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let run = use_tuning_run();
    let listed = expect_context::<ListedFunctions>();
    let parsed = Memo::new(move |_| form.with(|f| f.parse(&base.get())));
    let (pasted, set_pasted) = signal(String::new());
    let paste_error = RwSignal::new(None::<String>);
    let load = move |_| match parse_input(&pasted.get()) {
        Ok(p) => {
            form.set(FormState::from_input(&p.input));
            base.set(serde_json::from_str(&pasted.get()).unwrap_or(Value::Null));
            paste_error.set(None);
        }
        Err(e) => paste_error.set(Some(e.to_string())),
    };
    let text = move |get: fn(&FormState) -> String, set: fn(&mut FormState, String)| {
        (
            move || form.with(get),
            move |ev| form.update(|f| set(f, event_target_value(&ev))),
        )
    };
    let (num, set_num) = text(|f| f.num.clone(), |f, v| f.num = v);
    let (sizes, set_sizes) = text(|f| f.power_values.clone(), |f, v| f.power_values = v);
    let (weight, set_weight) = text(|f| f.balanced_weight.clone(), |f, v| f.balanced_weight = v);
    let (payload, set_payload) = text(|f| f.payload.clone(), |f, v| f.payload = v);
    let (payload_s3, set_payload_s3) = text(|f| f.payload_s3.clone(), |f, v| f.payload_s3 = v);
    let (arn, set_arn) = text(|f| f.lambda_arn.clone(), |f, v| f.lambda_arn = v);
    let (tolerance, set_tolerance) = text(|f| f.tolerance.clone(), |f, v| f.tolerance = v);
    let (tenant, set_tenant) = text(|f| f.tenant_id.clone(), |f, v| f.tenant_id = v);
    let (monthly, set_monthly) = text(
        |f| f.monthly_invocations.clone(),
        |f, v| f.monthly_invocations = v,
    );
    let (other_gb, set_other_gb) = text(
        |f| f.other_monthly_gb_seconds.clone(),
        |f, v| f.other_monthly_gb_seconds = v,
    );
    let (cold_rate, set_cold_rate) =
        text(|f| f.cold_start_rate.clone(), |f, v| f.cold_start_rate = v);
    let check = move |get: fn(&FormState) -> bool, set: fn(&mut FormState, bool)| {
        (
            move || form.with(get),
            move |ev| form.update(|f| set(f, event_target_checked(&ev))),
        )
    };
    let (parallel, set_parallel) =
        check(|f| f.parallel_invocation, |f, v| f.parallel_invocation = v);
    let (cold, set_cold) = check(|f| f.only_cold_starts, |f, v| f.only_cold_starts = v);
    let (dry, set_dry) = check(|f| f.dry_run, |f, v| f.dry_run = v);
    let (free_tier, set_free_tier) = check(|f| f.free_tier, |f, v| f.free_tier = v);
    let is_demo = move || session.mode.get() == Mode::Demo;
    view! {
        <section class="card" aria-labelledby="form-title">
            <h2 id="form-title">"Tuning"</h2>
            <label for="function">"Function (lambdaARN)"</label>
            <input
                id="function"
                list="function-list"
                spellcheck="false"
                prop:value=arn
                on:input=set_arn
            />
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
                <DemoFunctions form />
            </Show>
            <div class="grid3">
                <label>
                    "Invocations per size (num)"
                    <input id="num" inputmode="numeric" prop:value=num on:input=set_num />
                </label>
                <label>
                    "Memory sizes in MB (powerValues, or ALL)"
                    <input id="power-values" prop:value=sizes on:input=set_sizes />
                </label>
                <label>
                    "Strategy"
                    <select
                        id="strategy"
                        prop:value=move || form.with(|f| f.strategy.clone())
                        on:change=move |ev| form.update(|f| f.strategy = event_target_value(&ev))
                    >
                        <option value="cost">"cost: cheapest"</option>
                        <option value="speed">"speed: fastest"</option>
                        <option value="balanced">"balanced"</option>
                    </select>
                </label>
                <label>
                    "Balanced weight (0 speed … 1 cost)"
                    <input id="balanced-weight" prop:value=weight on:input=set_weight />
                </label>
                <label>
                    "Sampling"
                    <select
                        id="sampling"
                        prop:value=move || form.with(|f| f.sampling.clone())
                        on:change=move |ev| form.update(|f| f.sampling = event_target_value(&ev))
                    >
                        <option value="grid">"grid: every size, num times (the original)"</option>
                        <option value="adaptive">"adaptive: fewer invocations, same answer"</option>
                    </select>
                </label>
                <label>
                    "Tolerance (sizes this close count as equal)"
                    <input id="tolerance" prop:value=tolerance on:input=set_tolerance />
                </label>
                <label>
                    "Invocations a month (monthlyInvocations), for monthly costs"
                    <span class="row tight">
                        <input
                            id="monthly-invocations"
                            inputmode="numeric"
                            placeholder="e.g. 30000000"
                            prop:value=monthly
                            on:input=set_monthly
                        />
                        <Show when=move || !is_demo()>
                            <button
                                type="button"
                                class="secondary"
                                id="monthly-from-cloudwatch"
                                title="Read the function's Invocations over the last 30 days when the run starts (needs cloudwatch:GetMetricStatistics)"
                                on:click=move |_| {
                                    form.update(|f| f.monthly_invocations = "cloudwatch".into())
                                }
                            >
                                "from CloudWatch"
                            </button>
                        </Show>
                    </span>
                </label>
                <label>
                    "The account's other GB-seconds a month (otherMonthlyGbSeconds), for Lambda's tiers"
                    <input
                        id="other-gb-seconds"
                        inputmode="numeric"
                        placeholder="none"
                        prop:value=other_gb
                        on:input=set_other_gb
                    />
                </label>
                <label>
                    "Cold-start share (coldStartRate, 0 … 1; empty: the run's own)"
                    <input
                        id="cold-start-rate"
                        inputmode="decimal"
                        placeholder="the run's"
                        prop:value=cold_rate
                        on:input=set_cold_rate
                    />
                </label>
            </div>
            <div class="row">
                <label class="inline">
                    <input
                        type="checkbox"
                        id="parallel"
                        prop:checked=parallel
                        on:change=set_parallel
                    />
                    "parallelInvocation"
                </label>
                <label class="inline">
                    <input type="checkbox" id="cold-starts" prop:checked=cold on:change=set_cold />
                    "onlyColdStarts"
                </label>
                <label class="inline">
                    <input type="checkbox" id="dry-run" prop:checked=dry on:change=set_dry />
                    "dryRun"
                </label>
                <label class="inline">
                    <input
                        type="checkbox"
                        id="free-tier"
                        prop:checked=free_tier
                        on:change=set_free_tier
                    />
                    "freeTier (monthly costs; off: an account's functions share it)"
                </label>
            </div>
            <label for="payload">
                "Payload (JSON, or text; a [{payload, weight}] list for weighted payloads)"
            </label>
            <textarea
                id="payload"
                rows="3"
                spellcheck="false"
                prop:value=payload
                on:input=set_payload
            ></textarea>
            {move || {
                form.with(FormState::payload_note)
                    .map(|note| {
                        view! {
                            <p class="warn-text" id="payload-note">
                                {note}
                            </p>
                        }
                    })
            }}
            <label for="payload-s3">"or payloadS3 (s3://bucket/key)"</label>
            <input
                id="payload-s3"
                spellcheck="false"
                prop:value=payload_s3
                on:input=set_payload_s3
            />
            <label for="tenant-id">
                "tenantId (tenant-isolated functions only: the tenant every invocation names)"
            </label>
            <input id="tenant-id" spellcheck="false" prop:value=tenant on:input=set_tenant />
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
    let toggled = |open: RwSignal<bool>| {
        move |ev: web_sys::Event| {
            let details: Option<web_sys::HtmlDetailsElement> = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into(t).ok());
            open.set(details.is_some_and(|d| d.open()));
        }
    };
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
