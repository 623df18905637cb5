//! The engine's worker: the engine, the AWS SDK and the demo account, out of the page. It
//! answers the page's [`ToWorker`] messages (`src/bin/powertune-worker.rs` starts it); the page
//! side is [`crate::engine_worker`].
//!
//! Timers in a dedicated worker are not throttled when the page is hidden (Chrome's intensive
//! wake-up throttling applies to pages), so a run goes on at its pace in a background tab.

mod backend;
mod compare;
mod journal;
mod tasks;

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use futures::future::{FutureExt as _, LocalBoxFuture, Shared};

use powertune_aws::{AwsLambda, HandedCredentials};
use powertune_tuner::{cancel::CancelToken, export};
use wasm_bindgen::{JsCast as _, closure::Closure};

use self::{
    backend::Backend,
    journal::{PageJournal, Post, Waiting},
    tasks::AwsAccess,
};
use crate::{
    demo_data,
    post_message::{self, Deliver},
    worker_protocol::{self, Account, FromWorker, Reply, Task, ToWorker},
};

/// An AWS client and what it was made from, to make it again only when that changes.
type AwsClient = ((HandedCredentials, Option<String>), Backend);

/// What the worker holds between messages.
struct State {
    post: Post,
    waiting: Waiting,
    cancels: RefCell<HashMap<u32, CancelToken>>,
    demo: Backend,
    demo_loaded: RefCell<Option<Shared<LocalBoxFuture<'static, ()>>>>,
    aws: RefCell<Option<AwsClient>>,
}

impl State {
    /// The Lambda client for `account`: the demo account (its measured functions loaded the
    /// first time), or one client per credentials and endpoint.
    async fn backend(&self, account: &Account) -> Backend {
        match account {
            Account::Demo => {
                // Loaded once; a task that starts while it loads waits for the same load.
                let loading = self
                    .demo_loaded
                    .borrow_mut()
                    .get_or_insert_with(|| load_demo_functions(self.demo.clone()))
                    .clone();
                loading.await;
                self.demo.clone()
            }
            Account::Aws {
                credentials,
                endpoint,
            } => {
                let key = (credentials.clone(), endpoint.clone());
                if let Some((_, backend)) = self.aws.borrow().as_ref().filter(|(k, _)| *k == key) {
                    return backend.clone();
                }
                let parsed = credentials.clone().into();
                let backend =
                    Backend::Aws(Rc::new(AwsLambda::from_parsed(&parsed, endpoint.clone())));
                *self.aws.borrow_mut() = Some((key, backend.clone()));
                backend
            }
        }
    }

    async fn perform(self: &Rc<Self>, id: u32, task: Task) -> Reply {
        match task {
            Task::Run {
                input,
                account,
                package,
            } => {
                // Registered first: a cancel may come while the demo account still loads.
                let cancel = CancelToken::new();
                self.cancels.borrow_mut().insert(id, cancel.clone());
                let backend = self.backend(&account).await;
                let journal =
                    PageJournal::new(id, Vec::new(), self.post.clone(), self.waiting.clone());
                let post = self.post.clone();
                let on_event = move |event| post(FromWorker::Event { id, event });
                let outcome = tasks::run(
                    backend,
                    AwsAccess::of(&account),
                    &journal,
                    *input,
                    package,
                    &cancel,
                    &on_event,
                )
                .await;
                self.cancels.borrow_mut().remove(&id);
                Reply::Run(outcome)
            }
            Task::Apply {
                account,
                function,
                memory,
                alias,
            } => tasks::apply(self.backend(&account).await, function, memory, alias).await,
            Task::CleanUp { account, entries } => {
                let backend = self.backend(&account).await;
                let journal =
                    PageJournal::new(id, entries, self.post.clone(), self.waiting.clone());
                tasks::clean_up(backend, &journal).await
            }
            Task::ListFunctions { account, region } => {
                tasks::list(self.backend(&account).await, region).await
            }
            Task::Export { run, format } => Reply::Exported(export::file(&run, format)),
        }
    }

    fn receive(self: &Rc<Self>, message: ToWorker) {
        match message {
            ToWorker::Start { id, task } => {
                let state = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let reply = state.perform(id, *task).await;
                    (state.post)(FromWorker::Done { id, reply });
                });
            }
            ToWorker::Cancel { id } => {
                if let Some(cancel) = self.cancels.borrow().get(&id) {
                    cancel.cancel();
                }
            }
            ToWorker::JournalStored { id, seq, result } => {
                journal::answer(&self.waiting, id, seq, result);
            }
            ToWorker::ForgetCredentials => {
                self.aws.borrow_mut().take();
            }
        }
    }
}

impl State {
    fn new(post: Post) -> Rc<Self> {
        Rc::new(Self {
            post,
            waiting: Waiting::default(),
            cancels: RefCell::default(),
            demo: Backend::demo(),
            demo_loaded: RefCell::default(),
            aws: RefCell::default(),
        })
    }

    fn receive_bytes(self: &Rc<Self>, bytes: &[u8]) {
        if let Ok(message) = worker_protocol::decode::<ToWorker>(bytes) {
            self.receive(message);
        }
    }
}

/// The demo account's measured functions, fetched from beside the worker's script (or the page,
/// in page) and added to `demo`. Without them the modelled functions still work; the page says
/// why.
fn load_demo_functions(demo: Backend) -> Shared<LocalBoxFuture<'static, ()>> {
    async move {
        // `location.href` of the worker (or, in page, of the page): by reflection, as the two
        // globals are different types.
        let base = js_sys::Reflect::get(&js_sys::global(), &"location".into())
            .and_then(|l| js_sys::Reflect::get(&l, &"href".into()))
            .ok()
            .and_then(|h| h.as_string())
            .unwrap_or_default();
        if let Ok(functions) = demo_data::load(&base).await {
            demo.add_demo_functions(&functions);
        }
    }
    .boxed_local()
    .shared()
}

/// Starts answering the page's messages.
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let poster = scope.clone();
    let post: Post = Rc::new(move |message: FromWorker| {
        // Every message type serializes (its tests say so); a failure here is a bug.
        if let Ok(bytes) = worker_protocol::encode(&message) {
            let _ = post_message::post(&poster, &bytes);
        }
    });
    let state = State::new(post.clone());
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Ok(bytes) = e.data().dyn_into::<js_sys::Uint8Array>() {
                state.receive_bytes(&bytes.to_vec());
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its page: so does the handler.
    on_message.forget();
    post(FromWorker::Ready {
        build: worker_protocol::BUILD.into(),
    });
}

/// The engine in the page itself, for tests that mount the app without Trunk's files: the same
/// messages' bytes, each delivered later, as `postMessage` does.
pub fn connect_in_page(to_page: Deliver) -> Deliver {
    let post: Post = Rc::new(move |message: FromWorker| {
        if let Ok(bytes) = worker_protocol::encode(&message) {
            let to_page = to_page.clone();
            wasm_bindgen_futures::spawn_local(async move { to_page(bytes) });
        }
    });
    let state = State::new(post);
    Rc::new(move |bytes: Vec<u8>| state.receive_bytes(&bytes))
}
