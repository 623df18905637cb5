//! Which account to tune in: the demo account (default) or a real one with pasted credentials.

use leptos::prelude::*;
use powertune_aws::{ParsedCredentials, runtime::unix_now};

/// The two kinds of account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The simulated account in this page.
    Demo,
    /// A real AWS account (or an emulator).
    Aws,
}

/// The account switch, the credentials box, region and endpoint.
#[component]
pub fn AccountPanel(
    /// Demo or AWS.
    mode: RwSignal<Mode>,
    /// The recognised credentials (memory only; never stored).
    credentials: RwSignal<Option<ParsedCredentials>>,
    /// Region for listing functions.
    region: RwSignal<String>,
    /// Custom Lambda endpoint (emulator, LocalStack); empty for AWS.
    endpoint: RwSignal<String>,
) -> impl IntoView {
    let (pasted, set_pasted) = signal(String::new());
    let (allow_long_term, set_allow_long_term) = signal(false);
    let error = RwSignal::new(None::<String>);
    let now = RwSignal::new(unix_now());
    let ticker = set_interval_with_handle(
        move || now.set(unix_now()),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = ticker {
            t.clear();
        }
    });
    let recognise =
        move |_| match ParsedCredentials::parse(&pasted.get(), unix_now(), allow_long_term.get()) {
            Ok(creds) => {
                if let Some(r) = &creds.region {
                    region.set(r.clone());
                }
                credentials.set(Some(creds));
                error.set(None);
                // The secret lives in the parsed value only; clear the text box.
                set_pasted.set(String::new());
            }
            Err(e) => {
                credentials.set(None);
                error.set(Some(e.to_string()));
            }
        };
    view! {
        <section class="card" aria-labelledby="account-title">
            <h2 id="account-title">"Account"</h2>
            <div class="segmented" role="radiogroup" aria-label="Account">
                <label>
                    <input type="radio" name="account" id="mode-demo" prop:checked=move || mode.get() == Mode::Demo on:change=move |_| mode.set(Mode::Demo) />
                    "Demo account (simulated, no AWS needed)"
                </label>
                <label>
                    <input type="radio" name="account" id="mode-aws" prop:checked=move || mode.get() == Mode::Aws on:change=move |_| mode.set(Mode::Aws) />
                    "My AWS account"
                </label>
            </div>
            <Show when=move || mode.get() == Mode::Aws>
                <label for="credentials">"Temporary credentials"</label>
                <textarea id="credentials" rows="4" autocomplete="off" spellcheck="false"
                    placeholder="export AWS_ACCESS_KEY_ID=ASIA…  (or the JSON of aws sts assume-role / get-session-token / aws configure export-credentials)"
                    prop:value=move || pasted.get() on:input=move |ev| set_pasted.set(event_target_value(&ev))></textarea>
                <div class="row">
                    <button type="button" id="use-credentials" on:click=recognise>"Use these credentials"</button>
                    <label class="inline">
                        <input type="checkbox" prop:checked=move || allow_long_term.get() on:change=move |ev| set_allow_long_term.set(event_target_checked(&ev)) />
                        "allow long-term (AKIA) keys"
                    </label>
                    <button type="button" class="secondary" on:click=move |_| credentials.set(None)>"Forget credentials"</button>
                </div>
                {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                {move || credentials.get().map(|c| {
                    let (expiry, expired) = match c.seconds_left(now.get()) {
                        Some(s) if s <= 0 => ("expired: paste fresh credentials".to_owned(), true),
                        Some(s) if s < 600 => (format!("expires in {}:{:02}: get fresh credentials soon", s / 60, s % 60), false),
                        Some(s) => (format!("expires in {} h {:02} min", s / 3600, (s % 3600) / 60), false),
                        None => ("no expiry given".into(), false),
                    };
                    view! {
                        <p class:ok-text=!expired class:error-text=expired id="credentials-status" role="status">
                            {format!("Recognised {} for {} ({expiry}). Kept in memory only.", c.format, c.masked_key_id())}
                        </p>
                    }
                })}
                <div class="grid2">
                    <label>"Region" <input id="region" prop:value=move || region.get() on:input=move |ev| region.set(event_target_value(&ev)) /></label>
                    <label>"Endpoint URL (optional: lambda-emulator, LocalStack)"
                        <input id="endpoint" placeholder="https://lambda.<region>.amazonaws.com" prop:value=move || endpoint.get() on:input=move |ev| endpoint.set(event_target_value(&ev)) />
                    </label>
                </div>
            </Show>
        </section>
    }
}
