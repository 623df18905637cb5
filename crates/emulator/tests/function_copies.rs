//! A copy of a function for the other architecture, made with the real SDK client against the
//! emulator as a run comparing architectures makes it: GetFunction, the code downloaded from
//! `Code.Location`, CreateFunction, DeleteFunction.

mod support;

use std::collections::BTreeMap;

use powertune_tuner::{
    FunctionArn,
    api::{FunctionCode, FunctionState, LambdaApi, LambdaError, Package},
    pricing::Architecture,
};
use serde_json::json;
use support::{ARN, client, serve, set_faults};

#[tokio::test]
async fn a_copy_is_made_from_the_downloaded_code_runs_and_is_deleted() {
    let served = serve().await;
    set_faults(&served, json!({"updateMs": 0})).await;
    let lambda = client(&served, &served.issued.secret_access_key);
    let original: FunctionArn = ARN.parse().unwrap();

    let details = lambda.get_function(&original).await.unwrap();
    assert_eq!(details.definition.config.arn, original);
    assert_eq!(details.definition.config.architecture, Architecture::X86_64);
    assert!(
        details.definition.role.starts_with("arn:aws:iam::"),
        "{:?}",
        details.definition
    );
    let Package::Zip {
        location: Some(location),
        size,
    } = &details.package
    else {
        panic!("a .zip package with a location: {:?}", details.package);
    };
    assert!(
        location.starts_with(&served.endpoint),
        "the emulator serves the code: {location}"
    );
    let (status, package) = powertune_aws::http_get::get(location, Vec::new())
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(package.len() as u64, *size);

    let arn: FunctionArn = format!("{ARN}-pt-arm64-test").parse().unwrap();
    let tags = BTreeMap::from([("powertune:copy-of".to_owned(), ARN.to_owned())]);
    let definition = details
        .definition
        .copy(arn.clone(), Architecture::Arm64, tags.clone());
    let created = lambda
        .create_function(&definition, &FunctionCode::Zip(package))
        .await
        .unwrap();
    assert_eq!(created.arn, arn);
    assert_eq!(created.architecture, Architecture::Arm64);
    assert_eq!(created.memory, details.definition.config.memory);
    assert_eq!(created.state, FunctionState::Active, "no pending time here");
    let copy = lambda.get_function(&arn).await.unwrap();
    assert_eq!(copy.definition.tags, tags);
    let out = lambda.invoke(&arn, None, None, b"{}").await.unwrap();
    assert!(out.log_tail.is_some(), "the copy runs and reports");

    lambda.delete_function(&arn).await.unwrap();
    let gone = lambda.get_function_configuration(&arn, None).await;
    assert!(
        matches!(gone, Err(LambdaError::NotFound { .. })),
        "{gone:?}"
    );
    assert!(
        lambda
            .get_function_configuration(&original, None)
            .await
            .is_ok(),
        "the original stays"
    );
}

#[tokio::test]
async fn code_that_is_not_a_package_is_refused_and_creates_nothing() {
    let served = serve().await;
    let lambda = client(&served, &served.issued.secret_access_key);
    let original: FunctionArn = ARN.parse().unwrap();
    let arn: FunctionArn = format!("{ARN}-pt-arm64-bad").parse().unwrap();
    let definition = lambda
        .get_function(&original)
        .await
        .unwrap()
        .definition
        .copy(arn.clone(), Architecture::Arm64, BTreeMap::new());
    let refused = lambda
        .create_function(&definition, &FunctionCode::Zip(b"not a zip".to_vec()))
        .await;
    assert!(
        matches!(&refused, Err(LambdaError::InvalidRequest { message }) if message.contains("Could not unzip")),
        "{refused:?}"
    );
    let gone = lambda.get_function_configuration(&arn, None).await;
    assert!(
        matches!(gone, Err(LambdaError::NotFound { .. })),
        "{gone:?}"
    );
}
