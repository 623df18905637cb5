//! The simulated service lives on one thread (it is `!Send`, like the browser it also serves);
//! HTTP handlers send it work and await the answer.

use std::{future::Future, pin::Pin, rc::Rc, time::Duration};

use powertune_tuner::{
    api::Clock,
    sim::{Faults, SimFunctionSpec, SimLambda},
};
use tokio::sync::{mpsc, oneshot};

/// Real time for the simulation: invocations and update windows take wall-clock time.
#[derive(Debug, Clone)]
pub struct TokioClock(tokio::time::Instant);

impl Clock for TokioClock {
    fn now_ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// The simulated service as the actor holds it.
pub type Sim = Rc<SimLambda<TokioClock>>;

type Job = Box<dyn FnOnce(Sim) -> Pin<Box<dyn Future<Output = ()>>> + Send>;

/// A handle to the simulation thread.
#[derive(Clone)]
pub struct SimHandle(mpsc::UnboundedSender<Job>);

impl SimHandle {
    /// Starts the simulation thread.
    pub fn start(functions: Vec<SimFunctionSpec>, seed: u64, faults: Faults) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
        std::thread::Builder::new()
            .name("sim".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .expect("a tokio runtime for the simulation");
                let local = tokio::task::LocalSet::new();
                local.block_on(&runtime, async move {
                    let sim = Rc::new(SimLambda::new(
                        TokioClock(tokio::time::Instant::now()),
                        functions,
                        seed,
                        faults,
                    ));
                    while let Some(job) = rx.recv().await {
                        // Each request runs as its own task, so invocations overlap in time.
                        tokio::task::spawn_local(job(sim.clone()));
                    }
                });
            })
            .expect("the simulation thread starts");
        Self(tx)
    }

    /// Runs `work` on the simulation and returns its answer.
    pub async fn call<T, F, Fut>(&self, work: F) -> T
    where
        T: Send + 'static,
        F: FnOnce(Sim) -> Fut + Send + 'static,
        Fut: Future<Output = T> + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |sim| {
            Box::pin(async move {
                let _ = tx.send(work(sim).await);
            })
        });
        self.0.send(job).expect("the simulation thread is running");
        rx.await.expect("the simulation answers every job")
    }
}
