//! The least-privilege IAM policy for a tuning run: exactly the actions it uses, on exactly the
//! resources it touches.

use powertune_tuner::{
    FunctionArn, TuningInput,
    input::{PayloadSource, S3Location},
};
use serde_json::{Value, json};

/// Actions a run performs on the function being tuned.
pub const TUNING_ACTIONS: [&str; 10] = [
    "lambda:GetFunctionConfiguration",
    "lambda:UpdateFunctionConfiguration",
    "lambda:PublishVersion",
    "lambda:GetAlias",
    "lambda:CreateAlias",
    "lambda:UpdateAlias",
    "lambda:DeleteAlias",
    "lambda:DeleteFunction",
    "lambda:InvokeFunction",
    // Cleanup after a crash mid-publish: finds the version the journal has no number for.
    "lambda:ListVersionsByFunction",
];

/// The policy document for `input`: its function, processors and `payloadS3`.
pub fn policy_for(input: &TuningInput) -> Value {
    let processors: Vec<&FunctionArn> = [&input.pre_processor_arn, &input.post_processor_arn]
        .into_iter()
        .flatten()
        .collect();
    let payload = match &input.payload {
        PayloadSource::S3(location) => Some(location),
        _ => None,
    };
    let mut policy = policy_for_function(&input.lambda_arn, &processors, payload);
    if !input.architectures.is_empty()
        && let Some(statements) = policy["Statement"].as_array_mut()
    {
        // Before the optional CloudWatch statement, which stays last.
        let at = statements.len() - 1;
        for (k, statement) in copy_statements(&input.lambda_arn).into_iter().enumerate() {
            statements.insert(at + k, statement);
        }
    }
    policy
}

/// What tuning a temporary copy for the other architecture takes: reading the function's
/// definition and code, creating, tuning and deleting copies named after it, and passing its
/// execution role to them.
fn copy_statements(arn: &FunctionArn) -> Vec<Value> {
    // A copy is `<name>-pt-<architecture>-<run>`, its name cut to fit 64 characters: 45 of them
    // are always kept.
    let base: String = arn.name().chars().take(45).collect();
    let copies = format!(
        "arn:{}:lambda:{}:{}:function:{base}*-pt-*",
        arn.partition(),
        arn.region(),
        arn.account()
    );
    let mut actions: Vec<&str> = TUNING_ACTIONS.to_vec();
    actions.extend([
        "lambda:CreateFunction",
        "lambda:GetFunction",
        "lambda:TagResource",
    ]);
    vec![
        json!({"Sid": "ReadFunctionToCopy", "Effect": "Allow", "Action": ["lambda:GetFunction"], "Resource": arn.to_string()}),
        json!({"Sid": "TuneCopies", "Effect": "Allow", "Action": actions, "Resource": [copies.clone(), format!("{copies}:*")]}),
        // The function's execution role is only known from GetFunction: narrow this to it.
        json!({
            "Sid": "PassRoleToCopies",
            "Effect": "Allow",
            "Action": ["iam:PassRole"],
            "Resource": format!("arn:{}:iam::{}:role/*", arn.partition(), arn.account()),
            "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
        }),
        // The function's layers are only known from GetFunction: their CompatibleArchitectures
        // are checked before the copy is made (a layer of another account needs its grant too).
        json!({"Sid": "ReadLayersOfCopies", "Effect": "Allow", "Action": ["lambda:GetLayerVersion"], "Resource": format!("arn:{}:lambda:*:*:layer:*:*", arn.partition())}),
    ]
}

/// The policy document for tuning `arn`, invoking `processors` and reading `payload`.
pub fn policy_for_function(
    arn: &FunctionArn,
    processors: &[&FunctionArn],
    payload: Option<&S3Location>,
) -> Value {
    // Qualified ARNs too: versions and aliases are separate IAM resources.
    let mut statements = vec![json!({
        "Sid": "TuneFunction",
        "Effect": "Allow",
        "Action": TUNING_ACTIONS,
        "Resource": [arn.to_string(), format!("{arn}:*")],
    })];
    let processors: Vec<String> = processors.iter().map(ToString::to_string).collect();
    if !processors.is_empty() {
        statements.push(json!({"Sid": "InvokeProcessors", "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": processors}));
    }
    statements.push(json!({"Sid": "PickFunction", "Effect": "Allow", "Action": ["lambda:ListFunctions"], "Resource": "*"}));
    if let Some(location) = payload {
        statements.push(json!({
            "Sid": "ReadPayload",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": format!("arn:{}:s3:::{}/{}", arn.partition(), location.bucket, location.key),
        }));
    }
    // Optional, last so that it is easy to drop: only for reading monthlyInvocations from
    // CloudWatch (the action cannot be scoped to a resource).
    statements.push(json!({"Sid": "OptionalReadMonthlyInvocations", "Effect": "Allow", "Action": [crate::cloudwatch::ACTION], "Resource": "*"}));
    json!({"Version": "2012-10-17", "Statement": statements})
}

#[cfg(test)]
mod tests {
    use super::*;
    use powertune_tuner::input::parse_value;

    #[test]
    fn covers_function_versions_processors_and_payload() {
        let input = parse_value(&json!({
            "lambdaARN": "arn:aws:lambda:eu-west-1:123456789012:function:f", "num": 5,
            "preProcessorARN": "arn:aws:lambda:us-east-1:123456789012:function:pre",
            "payloadS3": "s3://bucket-1/p.json"
        }))
        .unwrap()
        .input;
        let policy = policy_for(&input);
        let s = &policy["Statement"];
        assert_eq!(
            s[0]["Resource"],
            json!([
                "arn:aws:lambda:eu-west-1:123456789012:function:f",
                "arn:aws:lambda:eu-west-1:123456789012:function:f:*"
            ])
        );
        assert_eq!(s[0]["Action"].as_array().unwrap().len(), 10);
        assert_eq!(
            s[1]["Resource"],
            json!(["arn:aws:lambda:us-east-1:123456789012:function:pre"])
        );
        assert_eq!(s[2]["Action"], json!(["lambda:ListFunctions"]));
        assert_eq!(s[3]["Resource"], "arn:aws:s3:::bucket-1/p.json");
        assert_eq!(s[4]["Action"], json!(["cloudwatch:GetMetricStatistics"]));
        assert_eq!(s.as_array().unwrap().len(), 5);
        assert_eq!(policy["Version"], "2012-10-17");
    }

    #[test]
    fn comparing_architectures_adds_the_copys_actions_and_the_role() {
        let input = parse_value(&json!({
            "lambdaARN": "arn:aws:lambda:eu-west-1:123456789012:function:f", "num": 5,
            "architectures": ["x86_64", "arm64"]
        }))
        .unwrap()
        .input;
        let policy = policy_for(&input);
        let s = policy["Statement"].as_array().unwrap();
        let sids: Vec<&str> = s.iter().map(|x| x["Sid"].as_str().unwrap()).collect();
        assert_eq!(
            sids,
            [
                "TuneFunction",
                "PickFunction",
                "ReadFunctionToCopy",
                "TuneCopies",
                "PassRoleToCopies",
                "ReadLayersOfCopies",
                "OptionalReadMonthlyInvocations"
            ]
        );
        assert_eq!(
            s[3]["Resource"][0],
            "arn:aws:lambda:eu-west-1:123456789012:function:f*-pt-*"
        );
        let actions = s[3]["Action"].as_array().unwrap();
        assert!(actions.contains(&json!("lambda:CreateFunction")));
        assert!(actions.contains(&json!("lambda:DeleteFunction")));
        assert_eq!(
            s[4]["Condition"]["StringEquals"]["iam:PassedToService"],
            "lambda.amazonaws.com"
        );
        // The copy's name fits the pattern, however long the function's name.
        let long = "n".repeat(64);
        let arn: FunctionArn = format!("arn:aws:lambda:eu-west-1:123456789012:function:{long}")
            .parse()
            .unwrap();
        let copy = powertune_tuner::engine::copy::copy_name(
            &long,
            powertune_tuner::pricing::Architecture::X86_64,
            "a1b2",
        );
        let pattern = copy_statements(&arn)[1]["Resource"][0]
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .to_owned();
        let (head, _) = pattern.split_once('*').unwrap();
        assert!(
            copy.starts_with(head) && copy.contains("-pt-"),
            "{copy} vs {pattern}"
        );
    }
}
