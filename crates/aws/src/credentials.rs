//! Reading credentials the way people paste them.
//!
//! Accepted shapes:
//! - shell blocks: `export AWS_ACCESS_KEY_ID=…` (bash/zsh), `AWS_…=…`, `set AWS_…=…` (cmd),
//!   `$Env:AWS_…="…"` (PowerShell), `set -x AWS_… …` (fish); what `aws configure
//!   export-credentials --format env` prints;
//! - JSON of `aws sts assume-role`, `get-session-token`, `get-federation-token` (`{"Credentials":
//!   {…}}`) and of `aws configure export-credentials` (`{"Version": 1, "AccessKeyId": …}`);
//! - three separate fields ([`ParsedCredentials::from_fields`]).
//!
//! Temporary keys (`ASIA…` with a session token) are the supported case; long-term `AKIA…` keys
//! are refused unless the caller allows them explicitly. The secret never appears in `Debug`,
//! `Display` or an error message.

use std::fmt;

use serde_json::Value;

/// A secret string that does not print.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Credentials read from pasted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCredentials {
    /// Access key id.
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: Secret,
    /// Session token (temporary credentials).
    pub session_token: Option<Secret>,
    /// Expiry, in seconds since the Unix epoch.
    pub expires_at: Option<i64>,
    /// Region, when the pasted text named one.
    pub region: Option<String>,
    /// Which shape was recognised, for the UI.
    pub format: &'static str,
}

/// What is wrong with pasted credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// Nothing recognisable.
    #[error(
        "no credentials found: paste the output of `aws sts assume-role`, `aws sts get-session-token` or `aws configure export-credentials`, or an `export AWS_ACCESS_KEY_ID=…` block"
    )]
    NotRecognised,
    /// A required part is missing.
    #[error("{0} is missing from the pasted credentials")]
    Missing(&'static str),
    /// The access key id has the wrong shape.
    #[error(
        "the access key id {0} is not valid: it should be 20 characters starting with ASIA (temporary) or AKIA (long-term)"
    )]
    BadKeyId(String),
    /// A long-term key without an explicit override.
    #[error(
        "{0} is a long-term access key: paste temporary credentials instead (aws sts get-session-token or assume-role), so a leaked key expires by itself; or allow long-term keys explicitly"
    )]
    LongTermKey(String),
    /// An `ASIA` key without its token.
    #[error(
        "{0} is a temporary access key but no session token was pasted: include AWS_SESSION_TOKEN"
    )]
    MissingToken(String),
    /// Already expired.
    #[error("these credentials expired {0} minutes ago: get fresh ones and paste them again")]
    Expired(i64),
    /// An expiry that is not a date.
    #[error("the expiration {0:?} is not a date-time")]
    BadExpiry(String),
}

impl ParsedCredentials {
    /// Parses pasted text. `now` (seconds since the epoch) is used for the expiry check;
    /// `allow_long_term` lets `AKIA` keys through.
    ///
    /// # Errors
    /// [`CredentialsError`] saying what is missing or wrong.
    pub fn parse(text: &str, now: i64, allow_long_term: bool) -> Result<Self, CredentialsError> {
        let text = text.trim();
        let parsed = if text.starts_with('{') {
            Self::from_json(text)?
        } else {
            Self::from_env_block(text)?
        };
        parsed.validate(now, allow_long_term)
    }

    /// Builds credentials from three fields (the token may be empty).
    ///
    /// # Errors
    /// [`CredentialsError`] saying what is missing or wrong.
    pub fn from_fields(
        access_key_id: &str,
        secret_access_key: &str,
        session_token: &str,
        now: i64,
        allow_long_term: bool,
    ) -> Result<Self, CredentialsError> {
        let token = session_token.trim();
        Self {
            access_key_id: access_key_id.trim().to_owned(),
            secret_access_key: Secret(secret_access_key.trim().to_owned()),
            session_token: (!token.is_empty()).then(|| Secret(token.to_owned())),
            expires_at: None,
            region: None,
            format: "separate fields",
        }
        .validate(now, allow_long_term)
    }

    fn from_json(text: &str) -> Result<Self, CredentialsError> {
        let value: Value =
            serde_json::from_str(text).map_err(|_| CredentialsError::NotRecognised)?;
        let (creds, format) = match value.get("Credentials") {
            Some(inner) => (inner, "aws sts JSON"),
            None => (&value, "aws configure export-credentials JSON"),
        };
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| creds.get(*n).and_then(Value::as_str))
                .map(str::to_owned)
        };
        let access_key_id = field(&["AccessKeyId", "accessKeyId"])
            .ok_or(CredentialsError::Missing("AccessKeyId"))?;
        let secret = field(&["SecretAccessKey", "secretAccessKey"])
            .ok_or(CredentialsError::Missing("SecretAccessKey"))?;
        let expires_at = field(&["Expiration", "expiration"])
            .map(|e| parse_time(&e))
            .transpose()?;
        Ok(Self {
            access_key_id,
            secret_access_key: Secret(secret),
            session_token: field(&["SessionToken", "sessionToken"]).map(Secret),
            expires_at,
            region: None,
            format,
        })
    }

    fn from_env_block(text: &str) -> Result<Self, CredentialsError> {
        let mut vars = std::collections::HashMap::new();
        for line in text.lines() {
            if let Some((name, value)) = env_assignment(line) {
                vars.insert(name, value);
            }
        }
        if vars.is_empty() {
            return Err(CredentialsError::NotRecognised);
        }
        let take = |name: &str| vars.get(name).cloned();
        let access_key_id =
            take("AWS_ACCESS_KEY_ID").ok_or(CredentialsError::Missing("AWS_ACCESS_KEY_ID"))?;
        let secret = take("AWS_SECRET_ACCESS_KEY")
            .ok_or(CredentialsError::Missing("AWS_SECRET_ACCESS_KEY"))?;
        let expires_at = take("AWS_CREDENTIAL_EXPIRATION")
            .or_else(|| take("AWS_SESSION_EXPIRATION"))
            .map(|e| parse_time(&e))
            .transpose()?;
        Ok(Self {
            access_key_id,
            secret_access_key: Secret(secret),
            session_token: take("AWS_SESSION_TOKEN")
                .or_else(|| take("AWS_SECURITY_TOKEN"))
                .map(Secret),
            expires_at,
            region: take("AWS_REGION").or_else(|| take("AWS_DEFAULT_REGION")),
            format: "environment variables",
        })
    }

    fn validate(self, now: i64, allow_long_term: bool) -> Result<Self, CredentialsError> {
        let id = &self.access_key_id;
        if id.is_empty() {
            return Err(CredentialsError::Missing("the access key id"));
        }
        if self.secret_access_key.0.is_empty() {
            return Err(CredentialsError::Missing("the secret access key"));
        }
        let well_formed = id.len() == 20
            && id
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !well_formed {
            return Err(CredentialsError::BadKeyId(mask(id)));
        }
        if id.starts_with("AKIA") && !allow_long_term {
            return Err(CredentialsError::LongTermKey(mask(id)));
        }
        if id.starts_with("ASIA") && self.session_token.is_none() {
            return Err(CredentialsError::MissingToken(mask(id)));
        }
        if let Some(expires_at) = self.expires_at
            && expires_at <= now
        {
            return Err(CredentialsError::Expired((now - expires_at) / 60));
        }
        Ok(self)
    }

    /// The access key id with all but its first 4 and last 4 characters hidden.
    pub fn masked_key_id(&self) -> String {
        mask(&self.access_key_id)
    }

    /// Seconds left before expiry, if known.
    pub fn seconds_left(&self, now: i64) -> Option<i64> {
        self.expires_at.map(|e| e - now)
    }

    /// The SDK's credentials.
    pub fn to_sdk(&self) -> aws_credential_types::Credentials {
        let expiry = self
            .expires_at
            .and_then(|s| u64::try_from(s).ok())
            .map(|s| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
        aws_credential_types::Credentials::new(
            &self.access_key_id,
            self.secret_access_key.expose(),
            self.session_token.as_ref().map(|t| t.expose().to_owned()),
            expiry,
            "powertune",
        )
    }
}

/// Credentials as the web app hands them to its worker (`postMessage`, memory only): the one
/// form of them that serializes, so that nothing else can write a secret by accident. Its
/// `Debug` masks them as [`ParsedCredentials`]' does.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HandedCredentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_at: Option<i64>,
    region: Option<String>,
}

impl fmt::Debug for HandedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandedCredentials")
            .field("access_key_id", &mask(&self.access_key_id))
            .finish_non_exhaustive()
    }
}

impl From<&ParsedCredentials> for HandedCredentials {
    fn from(c: &ParsedCredentials) -> Self {
        Self {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret_access_key.expose().to_owned(),
            session_token: c.session_token.as_ref().map(|t| t.expose().to_owned()),
            expires_at: c.expires_at,
            region: c.region.clone(),
        }
    }
}

impl From<HandedCredentials> for ParsedCredentials {
    fn from(c: HandedCredentials) -> Self {
        Self {
            access_key_id: c.access_key_id,
            secret_access_key: Secret(c.secret_access_key),
            session_token: c.session_token.map(Secret),
            expires_at: c.expires_at,
            region: c.region,
            format: "handed over by the page",
        }
    }
}

/// `ASIA…WXYZ`.
pub fn mask(id: &str) -> String {
    // By characters: a pasted id may hold any text, and slicing bytes inside one would panic.
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "****".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// One `NAME=value` assignment in any of the shells' syntaxes.
fn env_assignment(line: &str) -> Option<(String, String)> {
    let line = line.trim().trim_end_matches(';');
    let rest = line
        .strip_prefix("export ")
        .or_else(|| line.strip_prefix("set -gx "))
        .or_else(|| line.strip_prefix("set -x "))
        .or_else(|| line.strip_prefix("SET "))
        .or_else(|| line.strip_prefix("set "))
        .or_else(|| line.strip_prefix("$Env:"))
        .or_else(|| line.strip_prefix("$env:"))
        .unwrap_or(line)
        .trim();
    // `NAME=value`, or fish's `NAME value`: whichever separator comes first.
    let at = rest.find(['=', ' '])?;
    let (name, value) = (&rest[..at], &rest[at + 1..]);
    let name = name.trim();
    if !name.starts_with("AWS_")
        || !name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let value = value.trim().trim_matches('"').trim_matches('\'').to_owned();
    Some((name.to_owned(), value))
}

/// RFC 3339 (`2026-12-01T04:00:00Z`, `2026-12-01T04:00:00+00:00`) to epoch seconds.
fn parse_time(text: &str) -> Result<i64, CredentialsError> {
    use aws_smithy_types::date_time::{DateTime, Format};
    DateTime::from_str(text.trim(), Format::DateTimeWithOffset)
        .or_else(|_| DateTime::from_str(text.trim(), Format::DateTime))
        .map(|d| d.secs())
        .map_err(|_| CredentialsError::BadExpiry(text.to_owned()))
}

#[cfg(test)]
mod tests {

    #[test]
    fn handed_credentials_come_back_whole_and_never_print_the_secret() {
        let parsed = ParsedCredentials::parse(
            "AWS_ACCESS_KEY_ID=ASIAEXAMPLEKEY123456\nAWS_SECRET_ACCESS_KEY=topsecretvalue\nAWS_SESSION_TOKEN=tokenvalue",
            0,
            false,
        )
        .unwrap();
        let handed = HandedCredentials::from(&parsed);
        let debug = format!("{handed:?}");
        assert!(
            !debug.contains("topsecret") && !debug.contains("tokenvalue"),
            "{debug}"
        );
        let text = serde_json::to_string(&handed).unwrap();
        let back =
            ParsedCredentials::from(serde_json::from_str::<HandedCredentials>(&text).unwrap());
        assert_eq!(back.secret_access_key.expose(), "topsecretvalue");
        assert_eq!(back.session_token.unwrap().expose(), "tokenvalue");
        assert_eq!(back.access_key_id, parsed.access_key_id);
    }
    use super::*;

    /// Found by `scripts/fuzz.sh`: a key id with a character of more than one byte near its
    /// ends panicked while being masked for display.
    #[test]
    fn a_key_id_of_any_text_is_masked_without_panicking() {
        assert_eq!(mask("ASI\u{fffd}EXAMPLE000000000"), "ASI\u{fffd}…0000");
        assert_eq!(mask("ASIAEXAMPLE000000\u{fffd}00"), "ASIA…0\u{fffd}00");
        assert_eq!(mask("ééééééééé"), "éééé…éééé");
    }

    const KEY: &str = "ASIAEXAMPLEKEY123456";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN==";
    /// 2026-12-01T00:00:00Z.
    const NOW: i64 = 1_796_083_200;

    fn ok(text: &str) -> ParsedCredentials {
        ParsedCredentials::parse(text, NOW, false).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn export_block() {
        let c = ok(&format!(
            "export AWS_ACCESS_KEY_ID={KEY}\nexport AWS_SECRET_ACCESS_KEY=\"{SECRET}\"\nexport AWS_SESSION_TOKEN='{TOKEN}'\nexport AWS_REGION=eu-west-1\n"
        ));
        assert_eq!(c.access_key_id, KEY);
        assert_eq!(c.secret_access_key.expose(), SECRET);
        assert_eq!(c.session_token.unwrap().expose(), TOKEN);
        assert_eq!(c.region.as_deref(), Some("eu-west-1"));
        assert_eq!(c.format, "environment variables");
    }

    #[test]
    fn export_credentials_env_format_with_expiry() {
        let c = ok(&format!(
            "export AWS_ACCESS_KEY_ID={KEY}\nexport AWS_SECRET_ACCESS_KEY={SECRET}\nexport AWS_SESSION_TOKEN={TOKEN}\nexport AWS_CREDENTIAL_EXPIRATION=2026-12-01T01:00:00+00:00\n"
        ));
        assert_eq!(c.seconds_left(NOW), Some(3600));
    }

    #[test]
    fn windows_and_fish_forms() {
        for block in [
            format!(
                "set AWS_ACCESS_KEY_ID={KEY}\r\nset AWS_SECRET_ACCESS_KEY={SECRET}\r\nset AWS_SESSION_TOKEN={TOKEN}\r\n"
            ),
            format!(
                "$Env:AWS_ACCESS_KEY_ID=\"{KEY}\"\n$Env:AWS_SECRET_ACCESS_KEY=\"{SECRET}\"\n$Env:AWS_SESSION_TOKEN=\"{TOKEN}\"\n"
            ),
            format!(
                "set -x AWS_ACCESS_KEY_ID {KEY};\nset -x AWS_SECRET_ACCESS_KEY {SECRET};\nset -x AWS_SESSION_TOKEN {TOKEN};\n"
            ),
            format!(
                "AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\nAWS_SESSION_TOKEN={TOKEN}"
            ),
        ] {
            let c = ok(&block);
            assert_eq!(
                (c.access_key_id.as_str(), c.secret_access_key.expose()),
                (KEY, SECRET),
                "{block}"
            );
            assert!(c.session_token.is_some());
        }
    }

    #[test]
    fn sts_json() {
        let json = format!(
            r#"{{"Credentials": {{"AccessKeyId": "{KEY}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "2026-12-01T12:00:00Z"}}, "AssumedRoleUser": {{"Arn": "arn:aws:sts::123456789012:assumed-role/r/s"}}}}"#
        );
        let c = ok(&json);
        assert_eq!(c.format, "aws sts JSON");
        assert_eq!(c.seconds_left(NOW), Some(12 * 3600));
    }

    #[test]
    fn export_credentials_process_json() {
        let json = format!(
            r#"{{"Version": 1, "AccessKeyId": "{KEY}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "2026-12-01T00:30:00+00:00"}}"#
        );
        assert_eq!(ok(&json).seconds_left(NOW), Some(1800));
    }

    #[test]
    fn separate_fields() {
        let c =
            ParsedCredentials::from_fields(&format!(" {KEY} "), SECRET, TOKEN, NOW, false).unwrap();
        assert_eq!(c.format, "separate fields");
        assert!(matches!(
            ParsedCredentials::from_fields(KEY, SECRET, "", NOW, false),
            Err(CredentialsError::MissingToken(_))
        ));
    }

    #[test]
    fn malformed_and_refused() {
        assert_eq!(
            ParsedCredentials::parse("hello", NOW, false).unwrap_err(),
            CredentialsError::NotRecognised
        );
        assert_eq!(
            ParsedCredentials::parse("{", NOW, false).unwrap_err(),
            CredentialsError::NotRecognised
        );
        assert_eq!(
            ParsedCredentials::parse(&format!("export AWS_ACCESS_KEY_ID={KEY}"), NOW, false)
                .unwrap_err(),
            CredentialsError::Missing("AWS_SECRET_ACCESS_KEY")
        );
        assert!(matches!(
            ParsedCredentials::parse(r#"{"Credentials": {"SecretAccessKey": "x"}}"#, NOW, false),
            Err(CredentialsError::Missing("AccessKeyId"))
        ));
        let short =
            ParsedCredentials::from_fields("ASIA123", SECRET, TOKEN, NOW, false).unwrap_err();
        assert!(matches!(short, CredentialsError::BadKeyId(_)));
        let expired = format!(
            r#"{{"Credentials": {{"AccessKeyId": "{KEY}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "2026-11-30T23:00:00Z"}}}}"#
        );
        assert_eq!(
            ParsedCredentials::parse(&expired, NOW, false).unwrap_err(),
            CredentialsError::Expired(60)
        );
        let bad_expiry = format!(
            r#"{{"AccessKeyId": "{KEY}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "tomorrow"}}"#
        );
        assert!(matches!(
            ParsedCredentials::parse(&bad_expiry, NOW, false),
            Err(CredentialsError::BadExpiry(_))
        ));
    }

    #[test]
    fn long_term_keys_need_an_override() {
        let akia = "AKIAIOSFODNN7EXAMPLE";
        let err = ParsedCredentials::from_fields(akia, SECRET, "", NOW, false).unwrap_err();
        assert_eq!(err, CredentialsError::LongTermKey("AKIA…MPLE".into()));
        assert!(err.to_string().contains("temporary credentials"));
        assert!(ParsedCredentials::from_fields(akia, SECRET, "", NOW, true).is_ok());
    }

    #[test]
    fn secrets_never_print() {
        let c = ok(&format!(
            "AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\nAWS_SESSION_TOKEN={TOKEN}"
        ));
        let debug = format!("{c:?}");
        assert!(!debug.contains(SECRET) && !debug.contains(TOKEN), "{debug}");
        assert_eq!(c.masked_key_id(), "ASIA…3456");
        for err in [
            ParsedCredentials::from_fields(KEY, SECRET, "", NOW, false).unwrap_err(),
            ParsedCredentials::from_fields("AKIAIOSFODNN7EXAMPLE", SECRET, TOKEN, NOW, false)
                .unwrap_err(),
        ] {
            assert!(!err.to_string().contains(SECRET) && !err.to_string().contains(KEY));
        }
    }
}
