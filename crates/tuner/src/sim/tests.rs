use std::time::Duration;

use futures::executor::block_on;

use super::*;
use base64::Engine as _;

use crate::api::{ConfigUpdate, LambdaApi as _};

fn sim() -> (SimLambda<ManualClock>, ManualClock, FunctionArn) {
    let clock = ManualClock::new();
    let sim = SimLambda::demo(clock.clone(), 7, Faults::default());
    let arn = sim
        .function_arns()
        .into_iter()
        .find(|a| a.name() == "image-resizer")
        .unwrap();
    (sim, clock, arn)
}

async fn set_memory(sim: &SimLambda<ManualClock>, arn: &FunctionArn, mb: u32) {
    let update = ConfigUpdate {
        memory: Some(MemoryMb::new(mb).unwrap()),
        description: None,
        revision_id: None,
    };
    sim.update_function_configuration(arn, &update)
        .await
        .unwrap();
}

#[test]
fn update_window_conflicts_and_publish_dedupes() {
    let (sim, clock, arn) = sim();
    block_on(async {
        set_memory(&sim, &arn, 256).await;
        let cfg = sim.get_function_configuration(&arn, None).await.unwrap();
        assert_eq!(cfg.last_update_status, UpdateStatus::InProgress);
        assert!(matches!(
            sim.publish_version(&arn).await,
            Err(LambdaError::Conflict { .. })
        ));
        clock.advance(Duration::from_secs(1));
        let v1 = sim.publish_version(&arn).await.unwrap();
        assert_eq!(
            sim.publish_version(&arn).await.unwrap(),
            v1,
            "no change, no new version"
        );
        sim.create_alias(&arn, "RAM256", &v1).await.unwrap();
        assert!(
            matches!(sim.create_alias(&arn, "RAM256", &v1).await, Err(LambdaError::Conflict { message }) if message.contains("already exists"))
        );
        assert!(matches!(
            sim.delete_version(&arn, &v1).await,
            Err(LambdaError::Conflict { .. })
        ));
        sim.delete_alias(&arn, "RAM256").await.unwrap();
        sim.delete_version(&arn, &v1).await.unwrap();
        assert!(matches!(
            sim.get_alias(&arn, "RAM256").await,
            Err(LambdaError::NotFound { .. })
        ));
    });
}

#[test]
fn invocations_report_cold_then_warm() {
    let (sim, _, arn) = sim();
    block_on(async {
        let first = sim.invoke(&arn, None, None, b"{}").await.unwrap();
        let second = sim.invoke(&arn, None, None, b"{}").await.unwrap();
        let r1 = crate::logs::parse_base64(first.log_tail.as_deref())
            .report
            .unwrap();
        let r2 = crate::logs::parse_base64(second.log_tail.as_deref())
            .report
            .unwrap();
        assert!(r1.is_cold_start() && !r2.is_cold_start());
        assert_eq!(r1.memory_size_mb, Some(1024));
        assert!(r2.billed_duration_ms >= r2.duration_ms.ceil());
    });
}

#[test]
fn out_of_memory_below_the_need() {
    let (sim, clock, arn) = sim();
    block_on(async {
        set_memory(&sim, &arn, 128).await;
        clock.advance(Duration::from_secs(1));
        let out = sim.invoke(&arn, None, None, b"{}").await.unwrap();
        assert_eq!(out.function_error.as_deref(), Some("Unhandled"));
        let tail = crate::logs::parse_base64(out.log_tail.as_deref());
        assert_eq!(tail.failure, Some(crate::logs::LogFailure::OutOfMemory));
    });
}

#[test]
fn json_log_functions_report_in_json() {
    let clock = ManualClock::new();
    let sim = SimLambda::demo(clock, 1, Faults::default());
    let arn = sim
        .function_arns()
        .into_iter()
        .find(|a| a.name() == "api-handler")
        .unwrap();
    let out = block_on(sim.invoke(&arn, None, None, b"null")).unwrap();
    let text = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(out.log_tail.unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(text.contains("\"type\":\"platform.report\""));
    assert!(crate::logs::parse(&text).report.unwrap().init_duration_ms > 0.0);
}

#[test]
fn quota_and_expiry_faults() {
    let (sim, _, arn) = sim();
    sim.set_faults(Faults {
        memory_quota_mb: 3008,
        expire_after_calls: Some(2),
        ..Faults::default()
    });
    block_on(async {
        let update = ConfigUpdate {
            memory: Some(MemoryMb::new(4096).unwrap()),
            description: None,
            revision_id: None,
        };
        assert!(matches!(
            sim.update_function_configuration(&arn, &update).await,
            Err(LambdaError::InvalidRequest { .. })
        ));
        sim.get_function_configuration(&arn, None).await.unwrap();
        assert!(matches!(
            sim.get_function_configuration(&arn, None).await,
            Err(LambdaError::ExpiredCredentials { .. })
        ));
    });
}
