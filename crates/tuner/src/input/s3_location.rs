//! S3 object locations (`payloadS3`).

use std::fmt;

/// An `s3://bucket/key` location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    /// Bucket name.
    pub bucket: String,
    /// Object key.
    pub key: String,
}

impl fmt::Display for S3Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

impl S3Location {
    /// Parses `s3://bucket/key`.
    ///
    /// # Errors
    /// A rule text saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let rest = text
            .trim()
            .strip_prefix("s3://")
            .ok_or("must have the form s3://BUCKET/KEY")?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
        if !valid_bucket {
            return Err(format!(
                "the bucket {bucket:?} is not a valid S3 bucket name (3 to 63 lower-case letters, digits, dots, hyphens); the form is s3://BUCKET/KEY"
            ));
        }
        if key.is_empty() {
            return Err("the object key is missing; the form is s3://BUCKET/KEY".into());
        }
        Ok(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        })
    }
}
