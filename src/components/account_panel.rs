//! Which account to tune in: the demo account (default) or a real one with pasted credentials,
//! and the functions of its region.

use leptos::prelude::*;
use powertune_aws::{ParsedCredentials, runtime::unix_now};
use powertune_tuner::FunctionArn;

use crate::{
    engine_worker::use_engine_worker,
    hooks::use_timestamp,
    outcome::ListError,
    session::{Mode, use_session},
    worker_protocol::Task,
};

/// The account switch, the credentials box, region, endpoint and the region's functions.
#[component]
pub fn AccountPanel(
    /// Switches the account (the form forgets the other account's function).
    on_mode: Callback<Mode>,
) -> impl IntoView {
    let session = use_session();
    let engine = use_engine_worker();
    let (pasted, set_pasted) = signal(String::new());
    let (allow_long_term, set_allow_long_term) = signal(false);
    let error = RwSignal::new(None::<String>);
    // The expiry countdown ticks only while there are credentials to count down.
    let now = use_timestamp(1000, move || session.credentials.with(Option::is_some));
    let recognise = move |_| {
        match ParsedCredentials::parse(&pasted.get(), unix_now(), allow_long_term.get()) {
            Ok(creds) => {
                if let Some(r) = &creds.region {
                    session.region.set(r.clone());
                }
                session.credentials.set(Some(creds));
                error.set(None);
                // The secret lives in the parsed value only; clear the text box.
                set_pasted.set(String::new());
            }
            Err(e) => {
                session.credentials.set(None);
                error.set(Some(e.to_string()));
            }
        }
    };
    let ListedFunctions(list) = expect_context::<ListedFunctions>();
    let is_aws = move || session.mode.get() == Mode::Aws;
    view! {
        <section class="card" aria-labelledby="account-title">
            <h2 id="account-title">"Account"</h2>
            <div class="segmented" role="radiogroup" aria-label="Account">
                <label>
                    <input
                        type="radio"
                        name="account"
                        id="mode-demo"
                        prop:checked=move || !is_aws()
                        on:change=move |_| on_mode.run(Mode::Demo)
                    />
                    "Demo account (simulated, no AWS needed)"
                </label>
                <label>
                    <input
                        type="radio"
                        name="account"
                        id="mode-aws"
                        prop:checked=is_aws
                        on:change=move |_| on_mode.run(Mode::Aws)
                    />
                    "My AWS account"
                </label>
            </div>
            <Show when=is_aws>
                <label for="credentials">"Temporary credentials"</label>
                <textarea
                    id="credentials"
                    rows="4"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="export AWS_ACCESS_KEY_ID=ASIA…  (or the JSON of aws sts assume-role / get-session-token / aws configure export-credentials)"
                    prop:value=move || pasted.get()
                    on:input=move |ev| set_pasted.set(event_target_value(&ev))
                ></textarea>
                <div class="row">
                    <button type="button" id="use-credentials" on:click=recognise>
                        "Use these credentials"
                    </button>
                    <label class="inline">
                        <input
                            type="checkbox"
                            prop:checked=move || allow_long_term.get()
                            on:change=move |ev| set_allow_long_term.set(event_target_checked(&ev))
                        />
                        "allow long-term (AKIA) keys"
                    </label>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| {
                            session.credentials.set(None);
                            engine.forget_credentials();
                        }
                    >
                        "Forget credentials"
                    </button>
                </div>
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error-text" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
                {move || {
                    session
                        .credentials
                        .get()
                        .map(|c| {
                            let expiry = c.expiry((now.get() / 1000.0) as i64);
                            view! {
                                <p
                                    class:ok-text=!expiry.is_expired()
                                    class:error-text=expiry.is_expired()
                                    id="credentials-status"
                                    role="status"
                                >
                                    {format!(
                                        "Recognised {} for {} ({expiry}). Kept in memory only.",
                                        c.format,
                                        c.masked_key_id(),
                                    )}
                                </p>
                            }
                        })
                }}
                <div class="grid2">
                    <label>
                        "Region"
                        <input
                            id="region"
                            prop:value=move || session.region.get()
                            on:input=move |ev| session.region.set(event_target_value(&ev))
                        />
                    </label>
                    <label>
                        "Endpoint URL (optional: lambda-emulator, LocalStack)"
                        <input
                            id="endpoint"
                            placeholder="https://lambda.<region>.amazonaws.com"
                            prop:value=move || session.endpoint.get()
                            on:input=move |ev| session.endpoint.set(event_target_value(&ev))
                        />
                    </label>
                </div>
                <div class="row">
                    <button
                        type="button"
                        id="list-functions"
                        class="secondary"
                        prop:disabled=move || list.pending().get()
                        on:click=move |_| {
                            list.dispatch_local(session.region.get_untracked());
                        }
                    >
                        {move || {
                            if list.pending().get() {
                                "Listing…"
                            } else {
                                "List functions in the region"
                            }
                        }}
                    </button>
                    {move || {
                        list.value()
                            .with(|v| match v {
                                Some(Err(e)) => {
                                    Some(
                                        view! {
                                            <span class="error-text" role="alert" id="list-error">
                                                {e.to_string()}
                                            </span>
                                        }
                                            .into_any(),
                                    )
                                }
                                Some(Ok(arns)) => {
                                    Some(
                                        view! {
                                            <span class="muted" id="list-count" role="status">
                                                {format!(
                                                    "{} functions: pick one in the function field below.",
                                                    arns.len(),
                                                )}
                                            </span>
                                        }
                                            .into_any(),
                                    )
                                }
                                None => None,
                            })
                    }}
                </div>
            </Show>
        </section>
    }
}

/// The last listing of the region's functions (ARNs), for the form's function field.
#[derive(Clone, Copy)]
pub struct ListedFunctions(Action<String, Result<Vec<FunctionArn>, ListError>>);

impl ListedFunctions {
    /// The listing action, provided as context for the account panel and the form.
    pub fn provide() -> Self {
        let session = use_session();
        let engine = use_engine_worker();
        let list = Action::new_local(move |region: &String| {
            let task = session.aws_account().map(|account| Task::ListFunctions {
                account,
                region: region.clone(),
            });
            async move {
                engine
                    .start(task?, None, |_| {})
                    .reply()
                    .await?
                    .into_functions()?
            }
        });
        provide_context(Self(list));
        Self(list)
    }

    /// The listed functions (none before a listing, or after a failed one).
    pub fn arns(&self) -> Vec<FunctionArn> {
        self.0
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok()).cloned())
            .unwrap_or_default()
    }
}
