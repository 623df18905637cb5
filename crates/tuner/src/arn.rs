//! Lambda function ARNs.
//!
//! The original tool accepts only the unqualified 7-field ARN
//! `arn:<partition>:lambda:<region>:<account>:function:<name>` and fails deep inside a run with
//! `Invalid ARN` otherwise. Here the ARN is parsed once, up front, and each way it can be wrong
//! gets its own explanation.

use std::{fmt, str::FromStr};

/// An unqualified Lambda function ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FunctionArn {
    partition: String,
    region: String,
    account: String,
    name: String,
}

/// Why a text is not a usable function ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArnError {
    /// Nothing was given.
    #[error(
        "the ARN is empty: paste the function's ARN, e.g. arn:aws:lambda:us-east-1:123456789012:function:my-function"
    )]
    Empty,
    /// A bare function name instead of an ARN.
    #[error(
        "{0:?} is a function name, not an ARN: paste the full ARN (arn:aws:lambda:<region>:<account>:function:{0}) so the region and account are known"
    )]
    BareName(String),
    /// An ARN with a version or alias suffix.
    #[error(
        "{arn:?} is qualified with {qualifier:?}: remove the \":{qualifier}\" suffix; tuning always changes $LATEST and creates its own versions and aliases"
    )]
    Qualified {
        /// The ARN as given.
        arn: String,
        /// The version or alias after the function name.
        qualifier: String,
    },
    /// Anything else that is not a function ARN.
    #[error("{arn:?} is not a Lambda function ARN: {reason}")]
    Malformed {
        /// The text as given.
        arn: String,
        /// Which part is wrong.
        reason: String,
    },
}

impl FunctionArn {
    /// The AWS region the function lives in, e.g. `us-east-1`.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The function's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 12-digit account id.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// The ARN qualified with a version or alias, as IAM policies and Invoke use it.
    pub fn qualified(&self, qualifier: &str) -> String {
        format!("{self}:{qualifier}")
    }
}

impl fmt::Display for FunctionArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:lambda:{}:{}:function:{}",
            self.partition, self.region, self.account, self.name
        )
    }
}

impl FromStr for FunctionArn {
    type Err = ArnError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let arn = text.trim();
        if arn.is_empty() {
            return Err(ArnError::Empty);
        }
        let malformed = |reason: &str| ArnError::Malformed {
            arn: arn.to_owned(),
            reason: reason.to_owned(),
        };
        if !arn.starts_with("arn:") {
            return if is_function_name(arn) {
                Err(ArnError::BareName(arn.to_owned()))
            } else {
                Err(malformed("it must start with \"arn:\""))
            };
        }
        let fields: Vec<&str> = arn.split(':').collect();
        if fields.len() < 7 {
            return Err(malformed(
                "it must have 7 colon-separated parts: arn:aws:lambda:<region>:<account>:function:<name>",
            ));
        }
        let [_, partition, service, region, account, resource, name] = fields[..7] else {
            unreachable!("length checked above")
        };
        if !partition.starts_with("aws")
            || !partition
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
        {
            return Err(malformed(&format!(
                "{partition:?} is not an AWS partition (aws, aws-cn, aws-us-gov)"
            )));
        }
        if service != "lambda" {
            return Err(malformed(&format!(
                "the service is {service:?}, not \"lambda\""
            )));
        }
        if !is_region(region) {
            return Err(malformed(&format!(
                "{region:?} is not an AWS region like us-east-1"
            )));
        }
        if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
            return Err(malformed(&format!(
                "the account id {account:?} must be 12 digits"
            )));
        }
        if resource != "function" {
            return Err(malformed(&format!(
                "the resource type is {resource:?}, not \"function\" (layers and event source mappings cannot be tuned)"
            )));
        }
        if !is_function_name(name) {
            return Err(malformed(&format!(
                "the function name {name:?} must be 1 to 64 letters, digits, hyphens or underscores"
            )));
        }
        if fields.len() > 7 {
            return Err(ArnError::Qualified {
                arn: arn.to_owned(),
                qualifier: fields[7..].join(":"),
            });
        }
        Ok(Self {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            name: name.to_owned(),
        })
    }
}

/// Whether `name` can be a Lambda function name.
fn is_function_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether `region` has the shape of an AWS region code (`us-east-1`, `us-gov-west-1`,
/// `ap-southeast-5`, `cn-north-1`).
pub fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// An ARN is written as its text (journals, the worker's messages).
impl serde::Serialize for FunctionArn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for FunctionArn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:my-fn";

    #[test]
    fn region_comes_from_the_arn() {
        let arn: FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:YYY"
            .parse()
            .unwrap();
        assert_eq!(arn.region(), "us-east-1");
        for bad in ["", "arn:aws", "0", "10"] {
            assert!(bad.parse::<FunctionArn>().is_err(), "{bad}");
        }
    }

    #[test]
    fn round_trips_and_exposes_parts() {
        let arn: FunctionArn = ARN.parse().unwrap();
        assert_eq!(arn.to_string(), ARN);
        assert_eq!(arn.name(), "my-fn");
        assert_eq!(arn.account(), "123456789012");
        assert_eq!(arn.partition(), "aws");
        assert_eq!(arn.qualified("RAM128"), format!("{ARN}:RAM128"));
        let cn: FunctionArn = "arn:aws-cn:lambda:cn-north-1:123456789012:function:f"
            .parse()
            .unwrap();
        assert_eq!(cn.region(), "cn-north-1");
        let gov: FunctionArn = "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f"
            .parse()
            .unwrap();
        assert_eq!(gov.region(), "us-gov-west-1");
    }

    #[test]
    fn qualified_arns_are_explained() {
        let err = format!("{ARN}:prod").parse::<FunctionArn>().unwrap_err();
        assert!(matches!(&err, ArnError::Qualified { qualifier, .. } if qualifier == "prod"));
        assert!(err.to_string().contains("remove the \":prod\" suffix"));
    }

    #[test]
    fn bare_names_are_explained() {
        let err = "my-fn".parse::<FunctionArn>().unwrap_err();
        assert_eq!(err, ArnError::BareName("my-fn".into()));
        assert!(err.to_string().contains("paste the full ARN"));
    }

    #[test]
    fn each_bad_part_is_named() {
        let cases = [
            (
                "arn:aws:s3:us-east-1:123456789012:function:f",
                "not \"lambda\"",
            ),
            (
                "arn:aws:lambda:useast1:123456789012:function:f",
                "not an AWS region",
            ),
            (
                "arn:aws:lambda:us-east-1:1234:function:f",
                "must be 12 digits",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:layer:f",
                "not \"function\"",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:bad name",
                "function name",
            ),
            (
                "arn:foo:lambda:us-east-1:123456789012:function:f",
                "partition",
            ),
            ("https://example.com", "must start with \"arn:\""),
        ];
        for (arn, needle) in cases {
            let msg = arn.parse::<FunctionArn>().unwrap_err().to_string();
            assert!(msg.contains(needle), "{arn}: {msg}");
        }
    }

    #[test]
    fn whitespace_around_is_ignored() {
        let arn: FunctionArn = format!("  {ARN}\n").parse().unwrap();
        assert_eq!(arn.to_string(), ARN);
    }
}
