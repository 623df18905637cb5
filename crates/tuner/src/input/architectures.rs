//! Reading powertune's own keys for comparing architectures: `architectures` and
//! `copyImageUri`.

use super::{Key, reader::Reader};
use crate::pricing::Architecture;

impl Reader<'_> {
    pub(super) fn architectures(&mut self) -> Vec<Architecture> {
        let name = Key::Architectures.name();
        let Some(value) = self.get(name).cloned() else {
            return Vec::new();
        };
        let rule = "must be an array of \"x86_64\" and \"arm64\", each at most once, e.g. [\"x86_64\", \"arm64\"]";
        let parsed: Option<Vec<Architecture>> = value.as_array().and_then(|items| {
            items
                .iter()
                .map(|v| serde_json::from_value::<Architecture>(v.clone()).ok())
                .collect()
        });
        match parsed {
            Some(list) if list.len() == 1 || (list.len() == 2 && list[0] != list[1]) => list,
            _ => {
                self.bad(name, &value, rule);
                Vec::new()
            }
        }
    }

    /// `copyImageUri`: an ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>`
    /// with a `:tag` or `@sha256:` digest), only beside `architectures`.
    pub(super) fn copy_image_uri(&mut self, comparing: bool) -> Option<String> {
        let name = Key::CopyImageUri.name();
        let value = self.get(name).cloned()?;
        let uri = value.as_str().map(str::trim).unwrap_or_default();
        let (host, path) = uri.split_once('/').unwrap_or_default();
        let looks_right = host.contains(".dkr.ecr.")
            && host.contains(".amazonaws.com")
            && !path.is_empty()
            && (path.contains(':') || path.contains('@'))
            && !uri.chars().any(char::is_whitespace);
        if !looks_right {
            self.bad(
                name,
                &value,
                "must be an Amazon ECR image URI with a tag or digest, e.g. \"123456789012.dkr.ecr.us-east-1.amazonaws.com/my-function:arm64\"",
            );
            return None;
        }
        if !comparing {
            self.error(
                name,
                "",
                "is only for a comparison: set \"architectures\" too (the copy for the other architecture is made from this image)",
            );
            return None;
        }
        Some(uri.to_owned())
    }
}
