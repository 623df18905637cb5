//! Kinds of Lambda function the original tool does not know, read from
//! `GetFunctionConfiguration`, and what a run does about each before it creates anything.
//!
//! From the Lambda API reference (`FunctionConfiguration`, 2025–2026):
//! - **Lambda Managed Instances** (`CapacityProviderConfig` set): the function runs on EC2
//!   instances of a capacity provider, several requests per execution environment; its cost is
//!   the instances', not GB-seconds, and its memory comes from the capacity provider's memory
//!   per vCPU. Tuning memory by publishing versions does not apply: the run refuses and says
//!   what to tune instead.
//! - **Tenant isolation** (`TenancyConfig.TenantIsolationMode = PER_TENANT`): every invocation
//!   must name a tenant (`X-Amz-Tenant-Id`); without the input's `tenantId` the run refuses up
//!   front instead of failing on every call.
//! - **Durable functions** (`DurableConfig` set): each invocation of the published version is
//!   one step of a durable execution; the run measures invocations, not a durable execution's
//!   total time, and says so.
//! - **SnapStart** (`SnapStart.ApplyOn = PublishedVersions`): each published version takes a
//!   snapshot and can stay `Pending` for minutes; the run says so, and restore duration is
//!   reported next to init duration (both log formats carry it).
//! - Container images (`PackageType: Image`) and OS-only runtimes (`provided.al2023`) tune like
//!   any function; they are named here only so that the run can say what it tuned.

use crate::failure::{FailureKind, SizeFailure};

/// Why a run cannot start on this kind of function, before anything is created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum Refusal {
    /// The function runs on Lambda Managed Instances, where memory is not tuned per version.
    #[error(
        "{function} runs on Lambda Managed Instances (capacity provider {capacity_provider}): its memory comes from the capacity provider and it is billed for instances, not GB-seconds, so tuning memory per version does not apply. Tune the capacity provider's memory per vCPU (ExecutionEnvironmentMemoryGiBPerVCpu) and the function's per-environment concurrency (PerExecutionEnvironmentMaxConcurrency) instead. Nothing was changed"
    )]
    ManagedInstances {
        /// The function's name.
        function: String,
        /// The capacity provider's ARN.
        capacity_provider: String,
    },
    /// A tenant-isolated function without the input's `tenantId`.
    #[error(
        "{function} is tenant-isolated: every invocation must name a tenant. Add \"tenantId\" to the input (a tenant whose traffic is typical), and the run sends it with each invocation. Nothing was changed"
    )]
    TenantIdRequired {
        /// The function's name.
        function: String,
    },
}

/// How the function's code is packaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PackageType {
    /// A .zip archive (the default).
    #[default]
    Zip,
    /// A container image.
    Image,
}

/// What `GetFunctionConfiguration` says about the kind of function.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Platform {
    /// The capacity provider's ARN, for a function on Lambda Managed Instances.
    pub capacity_provider: Option<String>,
    /// Whether each invocation must name a tenant.
    pub tenant_isolated: bool,
    /// Whether it is a durable function.
    pub durable: bool,
    /// Whether published versions take a SnapStart snapshot.
    pub snap_start: bool,
    /// How the code is packaged.
    pub package_type: PackageType,
    /// The runtime (`nodejs22.x`, `provided.al2023`); none for container images.
    pub runtime: Option<String>,
}

/// Runtimes Lambda offers on x86_64 only (AWS documentation, "AWS Lambda runtimes" as the AWS
/// Toolkit for JetBrains lists them: `python3.7`, `java8` and `go1.x` are x86_64 only, their
/// successors `python3.8`+, `java8.al2`+ and `provided.al2`+ run on both).
pub const X86_64_ONLY_RUNTIMES: [&str; 3] = ["python3.7", "java8", "go1.x"];

impl Platform {
    /// Why a copy of the function cannot run on `architecture`, if its runtime lacks it.
    pub fn runtime_lacks(&self, architecture: crate::pricing::Architecture) -> Option<String> {
        let runtime = self.runtime.as_deref()?;
        (architecture == crate::pricing::Architecture::Arm64
            && X86_64_ONLY_RUNTIMES.contains(&runtime))
        .then(|| {
            format!(
                "its runtime {runtime} has no arm64 (Lambda offers it only on x86_64): move the function to a runtime that has both (python3.8 or later, java8.al2 or later, provided.al2 or later for Go) and compare again"
            )
        })
    }

    /// Why a run of `function` cannot start, before anything is created.
    pub fn refusal(&self, function: &str, tenant_id: Option<&str>) -> Option<Refusal> {
        if let Some(provider) = &self.capacity_provider {
            return Some(Refusal::ManagedInstances {
                function: function.to_owned(),
                capacity_provider: provider.clone(),
            });
        }
        if self.tenant_isolated && tenant_id.is_none() {
            return Some(Refusal::TenantIdRequired {
                function: function.to_owned(),
            });
        }
        None
    }

    /// The tenant id to send with each invocation: the input's, for a tenant-isolated function
    /// only (Lambda refuses one for other functions).
    pub fn tenant_id<'a>(&self, tenant_id: Option<&'a str>) -> Option<&'a str> {
        tenant_id.filter(|_| self.tenant_isolated)
    }

    /// What the run tells the user about this kind of function.
    pub fn notes(&self, function: &str, tenant_id: Option<&str>) -> Vec<String> {
        let mut notes = Vec::new();
        if self.durable {
            notes.push(format!(
                "{function} is a durable function: each measured duration is one invocation of the published version, not a durable execution's total time across its steps and waits"
            ));
        }
        if self.snap_start {
            notes.push(format!(
                "{function} uses SnapStart: each published version takes a snapshot and can stay Pending for several minutes before it is invoked; restore duration is reported next to init duration"
            ));
        }
        if let (Some(id), false) = (tenant_id, self.tenant_isolated) {
            notes.push(format!(
                "tenantId {id:?} is not sent: {function} is not tenant-isolated"
            ));
        }
        notes
    }
}

/// The reason Lambda gave for refusing a memory size, for that size's row: above the account's
/// quota, "your account allows at most N MB" (new accounts start at 3,008 MB); anything else as
/// Lambda said it. (Lambda gives the quota only in its message's words.)
pub fn refused_size(memory: crate::MemoryMb, message: &str) -> SizeFailure {
    let quota = message
        .split("less than or equal to ")
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<u32>()
                .ok()
        })
        .filter(|&max| max < memory.get());
    let text = match quota {
        Some(max) => format!(
            "your account allows at most {max} MB; Lambda refused {memory} (the memory quota: ask for more in Service Quotas, or tune sizes up to {max} MB)"
        ),
        None => format!("Lambda refused {memory}: {message}"),
    };
    SizeFailure::new(FailureKind::Refused { quota_mb: quota }, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_instances_are_refused_with_what_to_tune_instead() {
        let p = Platform {
            capacity_provider: Some(
                "arn:aws:lambda:us-east-1:123456789012:capacity-provider:cp".into(),
            ),
            ..Platform::default()
        };
        let text = p.refusal("f", None).unwrap().to_string();
        assert!(text.contains("Lambda Managed Instances"), "{text}");
        assert!(
            text.contains("memory per vCPU") && text.contains("concurrency"),
            "{text}"
        );
        assert!(text.contains("Nothing was changed"), "{text}");
    }

    #[test]
    fn a_tenant_isolated_function_needs_a_tenant_id() {
        let p = Platform {
            tenant_isolated: true,
            ..Platform::default()
        };
        let text = p.refusal("f", None).unwrap().to_string();
        assert!(text.contains("\"tenantId\""), "{text}");
        assert!(p.refusal("f", Some("t-1")).is_none());
        assert_eq!(p.tenant_id(Some("t-1")), Some("t-1"));
        // Not sent to a function that is not tenant-isolated, and said so.
        let plain = Platform::default();
        assert_eq!(plain.tenant_id(Some("t-1")), None);
        assert!(plain.notes("f", Some("t-1"))[0].contains("not tenant-isolated"));
    }

    #[test]
    fn durable_and_snap_start_functions_are_explained() {
        let p = Platform {
            durable: true,
            snap_start: true,
            ..Platform::default()
        };
        let notes = p.notes("f", None);
        assert!(notes[0].contains("not a durable execution's total time"));
        assert!(notes[1].contains("Pending for several minutes"));
        assert!(Platform::default().notes("f", None).is_empty());
    }

    #[test]
    fn a_size_above_the_memory_quota_says_what_the_account_allows() {
        let mb = |m| crate::MemoryMb::new(m).unwrap();
        let quota = "'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 3008";
        let failure = refused_size(mb(4096), quota);
        assert!(
            failure
                .message
                .starts_with("your account allows at most 3008 MB"),
            "{failure}"
        );
        assert_eq!(failure.short(), "your account allows at most 3008 MB");
        let other = refused_size(mb(512), "something else");
        assert_eq!(other.message, "Lambda refused 512 MB: something else");
        assert_eq!(other.kind, FailureKind::Refused { quota_mb: None });
    }
}
