//! Where the worker's Lambda calls go: the demo account (in the worker) or a real AWS account.

use std::rc::Rc;

use powertune_aws::{AwsLambda, runtime::PlatformClock as Clock};
use powertune_tuner::{
    FunctionArn,
    api::{
        ConfigUpdate, FunctionCode, FunctionConfig, FunctionDefinition, FunctionDetails,
        FunctionPage, InvokeOutput, LambdaApi, LambdaError, VersionSummary,
    },
    sim::{BenchmarkFunction, Faults, SimLambda},
};

/// One of the two accounts.
#[derive(Clone)]
pub enum Backend {
    /// The simulated account, living in the worker.
    Demo(Rc<SimLambda<Clock>>),
    /// A real account (or an emulator) through aws-sdk-lambda.
    Aws(Rc<AwsLambda>),
}

impl Backend {
    /// A fresh demo account: updates take 300 ms and invocations 2 % of their modelled time, so a
    /// whole run takes seconds.
    pub fn demo() -> Self {
        let faults = Faults {
            update_duration: std::time::Duration::from_millis(300),
            time_scale: 0.02,
            ..Faults::default()
        };
        Self::Demo(Rc::new(SimLambda::demo(Clock::default(), 7, faults)))
    }

    /// Adds `functions` to the demo account, keeping those it has already (a run may be
    /// measuring one).
    pub fn add_demo_functions(&self, functions: &[BenchmarkFunction]) {
        if let Self::Demo(sim) = self {
            let known = sim.function_arns();
            for function in functions {
                if !known.iter().any(|arn| arn.name() == function.spec.name) {
                    sim.add_function(function.spec.clone());
                }
            }
        }
    }
}

macro_rules! delegate {
    ($self:ident, $api:ident => $call:expr) => {
        match $self {
            Backend::Demo($api) => $call.await,
            Backend::Aws($api) => $call.await,
        }
    };
}

impl LambdaApi for Backend {
    async fn get_function_configuration(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
    ) -> Result<FunctionConfig, LambdaError> {
        delegate!(self, api => api.get_function_configuration(function, qualifier))
    }
    async fn update_function_configuration(
        &self,
        function: &FunctionArn,
        update: &ConfigUpdate,
    ) -> Result<FunctionConfig, LambdaError> {
        delegate!(self, api => api.update_function_configuration(function, update))
    }
    async fn publish_version(&self, function: &FunctionArn) -> Result<String, LambdaError> {
        delegate!(self, api => api.publish_version(function))
    }
    async fn get_alias(&self, function: &FunctionArn, alias: &str) -> Result<String, LambdaError> {
        delegate!(self, api => api.get_alias(function, alias))
    }
    async fn create_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        delegate!(self, api => api.create_alias(function, alias, version))
    }
    async fn update_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        delegate!(self, api => api.update_alias(function, alias, version))
    }
    async fn delete_alias(&self, function: &FunctionArn, alias: &str) -> Result<(), LambdaError> {
        delegate!(self, api => api.delete_alias(function, alias))
    }
    async fn delete_version(
        &self,
        function: &FunctionArn,
        version: &str,
    ) -> Result<(), LambdaError> {
        delegate!(self, api => api.delete_version(function, version))
    }
    async fn invoke(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
        tenant: Option<&str>,
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError> {
        delegate!(self, api => api.invoke(function, qualifier, tenant, payload))
    }
    async fn list_functions(
        &self,
        region: &str,
        marker: Option<&str>,
    ) -> Result<FunctionPage, LambdaError> {
        delegate!(self, api => api.list_functions(region, marker))
    }
    async fn list_versions(
        &self,
        function: &FunctionArn,
    ) -> Result<Vec<VersionSummary>, LambdaError> {
        delegate!(self, api => api.list_versions(function))
    }
    async fn get_function(&self, function: &FunctionArn) -> Result<FunctionDetails, LambdaError> {
        delegate!(self, api => api.get_function(function))
    }
    async fn create_function(
        &self,
        definition: &FunctionDefinition,
        code: &FunctionCode,
    ) -> Result<FunctionConfig, LambdaError> {
        delegate!(self, api => api.create_function(definition, code))
    }
    async fn delete_function(&self, function: &FunctionArn) -> Result<(), LambdaError> {
        delegate!(self, api => api.delete_function(function))
    }
    async fn layer_architectures(
        &self,
        layer: &str,
    ) -> Result<Vec<powertune_tuner::pricing::Architecture>, LambdaError> {
        delegate!(self, api => api.layer_architectures(layer))
    }
}
