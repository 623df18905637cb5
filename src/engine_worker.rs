//! The page's side of the engine's worker ([`crate::worker`]): starts it when first needed,
//! sends it tasks, and routes what comes back: progress to the task's callback, journal writes
//! to the task's journal (answered once stored), the reply to the task's future.
//!
//! The page never links the engine or the AWS SDK: they are in the worker's own bundle
//! (`powertune-worker`, built by Trunk beside the page's), fetched when the first task starts.

use std::{
    cell::{Cell, RefCell},
    collections::HashMap,
    rc::Rc,
};

use futures::channel::oneshot;
use leptos::prelude::*;
use powertune_tuner::{engine::Event, journal::Journal};
use wasm_bindgen::{JsCast as _, JsValue, closure::Closure};

use crate::{
    outcome::WorkerError,
    post_message::{Deliver, post},
    worker_protocol::{self, FromWorker, JournalWrite, Reply, Task, ToWorker},
};

/// The worker's loader, beside the page (`assets/powertune-worker-loader.js`), which passes its
/// query on to the worker's files.
const SCRIPT: &str = "./powertune-worker-loader.js";

/// Connects an engine living in the page itself: given how to reach the page, how to reach the
/// engine. For tests that mount the app without Trunk's files (`crate::run_engine_in_page`).
pub type InPage = fn(Deliver) -> Deliver;

thread_local! {
    static IN_PAGE: Cell<Option<InPage>> = const { Cell::new(None) };
}

/// Makes every [`EngineWorker`] created from now on use `connect` instead of a Web Worker.
pub fn use_in_page(connect: InPage) {
    IN_PAGE.with(|c| c.set(Some(connect)));
}

/// A task the worker is doing for a component.
struct Call {
    on_event: Rc<dyn Fn(Event)>,
    journal: Option<Rc<dyn Journal>>,
    done: oneshot::Sender<Result<Reply, WorkerError>>,
}

enum Transport {
    Worker {
        worker: web_sys::Worker,
        // Messages for the worker until it says it listens.
        held: RefCell<Option<Vec<Vec<u8>>>>,
        // Kept alive as long as the worker.
        _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
        _on_error: Closure<dyn Fn(web_sys::ErrorEvent)>,
    },
    InPage(Deliver),
}

#[derive(Default)]
struct Inner {
    transport: RefCell<Option<Transport>>,
    next_id: Cell<u32>,
    calls: RefCell<HashMap<u32, Call>>,
}

/// The connection itself (shared by the handlers it installs).
#[derive(Clone, Default)]
struct Engine(Rc<Inner>);

/// The page's handle on the engine's worker, provided as context. Copy: a handle to page-local
/// state.
#[derive(Clone, Copy)]
pub struct EngineWorker(StoredValue<Engine, LocalStorage>);

/// A task under way: its id (to cancel it) and its reply.
pub struct Pending {
    /// The task's id.
    pub id: u32,
    reply: oneshot::Receiver<Result<Reply, WorkerError>>,
}

impl Pending {
    /// The task's reply, or why the worker could not give one.
    pub async fn reply(self) -> Result<Reply, WorkerError> {
        self.reply
            .await
            .unwrap_or_else(|_| Err(WorkerError("stopped".into())))
    }
}

impl EngineWorker {
    /// The page's worker handle, as context (the worker itself starts with the first task).
    pub fn provide() -> Self {
        let engine = Self(StoredValue::new_local(Engine::default()));
        provide_context(engine);
        engine
    }

    /// Starts `task`: progress goes to `on_event`, journal writes to `journal`.
    pub fn start(
        &self,
        task: Task,
        journal: Option<Rc<dyn Journal>>,
        on_event: impl Fn(Event) + 'static,
    ) -> Pending {
        self.0.get_value().start(task, journal, on_event)
    }

    /// Asks task `id` to stop (a run cleans up first).
    pub fn cancel(&self, id: u32) {
        let _ = self.0.get_value().send(&ToWorker::Cancel { id });
    }

    /// Drops the AWS clients the worker holds ("Forget credentials").
    pub fn forget_credentials(&self) {
        let engine = self.0.get_value();
        if engine.0.transport.borrow().is_some() {
            let _ = engine.send(&ToWorker::ForgetCredentials);
        }
    }
}

impl Engine {
    fn start(
        &self,
        task: Task,
        journal: Option<Rc<dyn Journal>>,
        on_event: impl Fn(Event) + 'static,
    ) -> Pending {
        let id = self.0.next_id.get() + 1;
        self.0.next_id.set(id);
        let (done, reply) = oneshot::channel();
        self.0.calls.borrow_mut().insert(
            id,
            Call {
                on_event: Rc::new(on_event),
                journal,
                done,
            },
        );
        if let Err(e) = self.send(&ToWorker::Start {
            id,
            task: Box::new(task),
        }) {
            self.fail_all(&e);
        }
        Pending { id, reply }
    }

    fn send(&self, message: &ToWorker) -> Result<(), WorkerError> {
        let bytes = worker_protocol::encode(message)
            .map_err(|e| WorkerError(format!("could not be sent a message ({e})")))?;
        if self.0.transport.borrow().is_none() {
            let transport = self.connect()?;
            *self.0.transport.borrow_mut() = Some(transport);
        }
        match self.0.transport.borrow().as_ref() {
            Some(Transport::Worker { worker, held, .. }) => {
                if let Some(held) = held.borrow_mut().as_mut() {
                    held.push(bytes);
                    return Ok(());
                }
                post(worker, &bytes).map_err(|_| WorkerError("refused a message".into()))
            }
            Some(Transport::InPage(deliver)) => {
                let deliver = deliver.clone();
                // As postMessage does: later, not inside the caller.
                wasm_bindgen_futures::spawn_local(async move { deliver(bytes) });
                Ok(())
            }
            None => Err(WorkerError("is not running".into())),
        }
    }

    fn connect(&self) -> Result<Transport, WorkerError> {
        let weak = Rc::downgrade(&self.0);
        let receive = move |bytes: Vec<u8>| {
            if let Some(inner) = weak.upgrade() {
                Engine(inner).receive(&bytes);
            }
        };
        if let Some(connect) = IN_PAGE.with(Cell::get) {
            return Ok(Transport::InPage(connect(Rc::new(receive))));
        }
        // The build in the address: the worker's files keep their names from one release to
        // the next, and a browser must not run a cached one beside a newer page.
        let worker = web_sys::Worker::new(&format!("{SCRIPT}?build={}", worker_protocol::BUILD))
            .map_err(|e| WorkerError(format!("could not start ({})", describe(&e))))?;
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Ok(bytes) = e.data().dyn_into::<js_sys::Uint8Array>() {
                    receive(bytes.to_vec());
                }
            });
        let weak = Rc::downgrade(&self.0);
        let on_error =
            Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                if let Some(inner) = weak.upgrade() {
                    let engine = Engine(inner);
                    engine.stop_worker();
                    engine.fail_all(&WorkerError(format!("stopped ({})", e.message())));
                }
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Transport::Worker {
            worker,
            held: RefCell::new(Some(Vec::new())),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn receive(&self, bytes: &[u8]) {
        let Ok(message) = worker_protocol::decode::<FromWorker>(bytes) else {
            // The worker's files keep their names from one release to the next, so a browser may
            // run a cached worker beside a newer page: say so rather than wait for ever.
            self.fail_all(&WorkerError(
                "sent a message this page cannot read (the page and its worker come from different releases)".into(),
            ));
            return;
        };
        match message {
            FromWorker::Ready { build } => {
                if let Err(e) = worker_protocol::check_build(&build) {
                    self.stop_worker();
                    self.fail_all(&e);
                    return;
                }
                if let Some(Transport::Worker { worker, held, .. }) =
                    self.0.transport.borrow().as_ref()
                {
                    for bytes in held.borrow_mut().take().unwrap_or_default() {
                        let _ = post(worker, &bytes);
                    }
                }
            }
            FromWorker::Event { id, event } => {
                let on_event = self.0.calls.borrow().get(&id).map(|c| c.on_event.clone());
                if let Some(on_event) = on_event {
                    on_event(event);
                }
            }
            FromWorker::Journal { id, seq, write } => {
                let journal = self
                    .0
                    .calls
                    .borrow()
                    .get(&id)
                    .and_then(|c| c.journal.clone());
                let result = match (journal, write) {
                    (Some(journal), JournalWrite::Put(entry)) => journal.put(entry),
                    (Some(journal), JournalWrite::Remove(entry)) => journal.remove(&entry),
                    (None, _) => Err(powertune_tuner::journal::JournalError {
                        where_: "the page".into(),
                        reason: "this task has no journal".into(),
                    }),
                };
                let _ = self.send(&ToWorker::JournalStored { id, seq, result });
            }
            FromWorker::Done { id, reply } => {
                if let Some(call) = self.0.calls.borrow_mut().remove(&id) {
                    let _ = call.done.send(Ok(reply));
                }
            }
        }
    }

    /// Ends the worker: the next task starts a new one. Its handlers (perhaps the one running
    /// now) are dropped later, not while they run.
    fn stop_worker(&self) {
        let old = self.0.transport.borrow_mut().take();
        if let Some(Transport::Worker { worker, .. }) = &old {
            worker.terminate();
        }
        wasm_bindgen_futures::spawn_local(async move { drop(old) });
    }

    fn fail_all(&self, error: &WorkerError) {
        let calls: Vec<Call> = self.0.calls.borrow_mut().drain().map(|(_, c)| c).collect();
        for call in calls {
            let _ = call.done.send(Err(error.clone()));
        }
    }
}

fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "no reason given".into())
}

/// The page's [`EngineWorker`].
pub fn use_engine_worker() -> EngineWorker {
    expect_context::<EngineWorker>()
}
