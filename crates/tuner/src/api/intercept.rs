//! A [`LambdaApi`] that forwards every call to another, except the calls a test or a fault
//! injector overrides: implement [`Overrides`] with only the methods to change.

use super::{
    ConfigUpdate, FunctionCode, FunctionConfig, FunctionDefinition, FunctionDetails, FunctionPage,
    InvokeOutput, LambdaApi, LambdaError, VersionSummary,
};
use crate::{arn::FunctionArn, pricing::Architecture};

/// What to do instead of forwarding; every method forwards to `inner` unless overridden.
#[allow(async_fn_in_trait, missing_docs)] // The methods are LambdaApi's, with `inner` first.
pub trait Overrides {
    async fn get_function_configuration<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        qualifier: Option<&str>,
    ) -> Result<FunctionConfig, LambdaError> {
        inner.get_function_configuration(function, qualifier).await
    }
    async fn update_function_configuration<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        update: &ConfigUpdate,
    ) -> Result<FunctionConfig, LambdaError> {
        inner.update_function_configuration(function, update).await
    }
    async fn publish_version<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
    ) -> Result<String, LambdaError> {
        inner.publish_version(function).await
    }
    async fn get_alias<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        alias: &str,
    ) -> Result<String, LambdaError> {
        inner.get_alias(function, alias).await
    }
    async fn create_alias<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        inner.create_alias(function, alias, version).await
    }
    async fn update_alias<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        inner.update_alias(function, alias, version).await
    }
    async fn delete_alias<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        alias: &str,
    ) -> Result<(), LambdaError> {
        inner.delete_alias(function, alias).await
    }
    async fn delete_version<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        version: &str,
    ) -> Result<(), LambdaError> {
        inner.delete_version(function, version).await
    }
    async fn invoke<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
        qualifier: Option<&str>,
        tenant: Option<&str>,
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError> {
        inner.invoke(function, qualifier, tenant, payload).await
    }
    async fn list_functions<A: LambdaApi>(
        &self,
        inner: &A,
        region: &str,
        marker: Option<&str>,
    ) -> Result<FunctionPage, LambdaError> {
        inner.list_functions(region, marker).await
    }
    async fn list_versions<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
    ) -> Result<Vec<VersionSummary>, LambdaError> {
        inner.list_versions(function).await
    }
    async fn get_function<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
    ) -> Result<FunctionDetails, LambdaError> {
        inner.get_function(function).await
    }
    async fn create_function<A: LambdaApi>(
        &self,
        inner: &A,
        definition: &FunctionDefinition,
        code: &FunctionCode,
    ) -> Result<FunctionConfig, LambdaError> {
        inner.create_function(definition, code).await
    }
    async fn delete_function<A: LambdaApi>(
        &self,
        inner: &A,
        function: &FunctionArn,
    ) -> Result<(), LambdaError> {
        inner.delete_function(function).await
    }
    async fn layer_architectures<A: LambdaApi>(
        &self,
        inner: &A,
        layer: &str,
    ) -> Result<Vec<Architecture>, LambdaError> {
        inner.layer_architectures(layer).await
    }
}

/// `inner` with `overrides` applied.
#[derive(Debug)]
pub struct Intercepted<'a, A, O> {
    /// Where calls go unless overridden.
    pub inner: &'a A,
    /// The changed calls.
    pub overrides: O,
}

impl<A: LambdaApi, O: Overrides> LambdaApi for Intercepted<'_, A, O> {
    async fn get_function_configuration(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
    ) -> Result<FunctionConfig, LambdaError> {
        self.overrides
            .get_function_configuration(self.inner, function, qualifier)
            .await
    }
    async fn update_function_configuration(
        &self,
        function: &FunctionArn,
        update: &ConfigUpdate,
    ) -> Result<FunctionConfig, LambdaError> {
        self.overrides
            .update_function_configuration(self.inner, function, update)
            .await
    }
    async fn publish_version(&self, function: &FunctionArn) -> Result<String, LambdaError> {
        self.overrides.publish_version(self.inner, function).await
    }
    async fn get_alias(&self, function: &FunctionArn, alias: &str) -> Result<String, LambdaError> {
        self.overrides.get_alias(self.inner, function, alias).await
    }
    async fn create_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.overrides
            .create_alias(self.inner, function, alias, version)
            .await
    }
    async fn update_alias(
        &self,
        function: &FunctionArn,
        alias: &str,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.overrides
            .update_alias(self.inner, function, alias, version)
            .await
    }
    async fn delete_alias(&self, function: &FunctionArn, alias: &str) -> Result<(), LambdaError> {
        self.overrides
            .delete_alias(self.inner, function, alias)
            .await
    }
    async fn delete_version(
        &self,
        function: &FunctionArn,
        version: &str,
    ) -> Result<(), LambdaError> {
        self.overrides
            .delete_version(self.inner, function, version)
            .await
    }
    async fn invoke(
        &self,
        function: &FunctionArn,
        qualifier: Option<&str>,
        tenant: Option<&str>,
        payload: &[u8],
    ) -> Result<InvokeOutput, LambdaError> {
        self.overrides
            .invoke(self.inner, function, qualifier, tenant, payload)
            .await
    }
    async fn list_functions(
        &self,
        region: &str,
        marker: Option<&str>,
    ) -> Result<FunctionPage, LambdaError> {
        self.overrides
            .list_functions(self.inner, region, marker)
            .await
    }
    async fn list_versions(
        &self,
        function: &FunctionArn,
    ) -> Result<Vec<VersionSummary>, LambdaError> {
        self.overrides.list_versions(self.inner, function).await
    }
    async fn get_function(&self, function: &FunctionArn) -> Result<FunctionDetails, LambdaError> {
        self.overrides.get_function(self.inner, function).await
    }
    async fn create_function(
        &self,
        definition: &FunctionDefinition,
        code: &FunctionCode,
    ) -> Result<FunctionConfig, LambdaError> {
        self.overrides
            .create_function(self.inner, definition, code)
            .await
    }
    async fn delete_function(&self, function: &FunctionArn) -> Result<(), LambdaError> {
        self.overrides.delete_function(self.inner, function).await
    }
    async fn layer_architectures(&self, layer: &str) -> Result<Vec<Architecture>, LambdaError> {
        self.overrides.layer_architectures(self.inner, layer).await
    }
}
