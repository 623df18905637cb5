//! What the SDK and the engine need from the platform: transport, timer and clock.
//!
//! Natively the SDK's defaults (hyper + rustls, tokio, `SystemTime`) are used and the engine gets
//! `TokioClock`. In the browser the SDK gets our fetch transport (`crate::fetch`, wasm32 only), a
//! `setTimeout` timer and a `Date.now()` clock (`SystemTime::now()` panics there), and the engine
//! gets `BrowserClock`.

use std::time::Duration;

use aws_sdk_lambda::config::Builder;
use powertune_tuner::api::Clock;

/// Wires the platform's transport, timer and clock into an SDK config.
#[cfg(not(target_arch = "wasm32"))]
pub fn configure(builder: Builder) -> Builder {
    builder
}

/// Wires the platform's transport, timer and clock into an SDK config.
#[cfg(target_arch = "wasm32")]
pub fn configure(builder: Builder) -> Builder {
    use aws_smithy_async::{rt::sleep::SharedAsyncSleep, time::SharedTimeSource};
    builder
        .http_client(crate::fetch::FetchClient)
        .sleep_impl(SharedAsyncSleep::new(browser::BrowserSleep))
        .time_source(SharedTimeSource::new(browser::BrowserTime))
}

/// The engine's clock on tokio.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
pub struct TokioClock(tokio::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl Default for TokioClock {
    fn default() -> Self {
        Self(tokio::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for TokioClock {
    fn now_ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// The engine's clock in the browser.
#[cfg(target_arch = "wasm32")]
#[derive(Debug, Clone, Default)]
pub struct BrowserClock;

#[cfg(target_arch = "wasm32")]
impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    async fn sleep(&self, duration: Duration) {
        gloo_timers::future::sleep(duration).await;
    }
}

/// The engine's clock on this platform.
#[cfg(target_arch = "wasm32")]
pub type PlatformClock = BrowserClock;
/// The engine's clock on this platform.
#[cfg(not(target_arch = "wasm32"))]
pub type PlatformClock = TokioClock;

/// Seconds since the Unix epoch, from the platform's clock (credential expiry checks).
pub fn unix_now() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use aws_smithy_async::{
        rt::sleep::{AsyncSleep, Sleep},
        time::TimeSource,
    };
    use send_wrapper::SendWrapper;

    /// `setTimeout` as the SDK's timer. SendWrapper is sound here: browser wasm has one thread.
    #[derive(Debug)]
    pub struct BrowserSleep;

    impl AsyncSleep for BrowserSleep {
        fn sleep(&self, duration: Duration) -> Sleep {
            Sleep::new(SendWrapper::new(gloo_timers::future::sleep(duration)))
        }
    }

    /// `Date.now()` as the SDK's clock.
    #[derive(Debug)]
    pub struct BrowserTime;

    impl TimeSource for BrowserTime {
        fn now(&self) -> SystemTime {
            UNIX_EPOCH + Duration::from_millis(js_sys::Date::now() as u64)
        }
    }
}
