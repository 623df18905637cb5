//! How long pasted credentials last: the status line the page shows, and the check before a run
//! starts (a run with credentials that expire mid-way could not clean up).

use std::fmt;

use crate::credentials::{CredentialsError, ParsedCredentials};

/// Below this, the status line warns to get fresh credentials.
const SOON_SECONDS: i64 = 600;

/// Where credentials stand against their expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The expiry has passed, this many seconds ago.
    Expired(i64),
    /// Less than ten minutes left.
    Soon(i64),
    /// More than ten minutes left.
    Later(i64),
    /// The paste gave no expiry (long-term keys, some export blocks).
    Unknown,
}

impl Expiry {
    /// Whether the credentials can no longer sign requests.
    pub fn is_expired(self) -> bool {
        matches!(self, Self::Expired(_))
    }
}

impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Expired(_) => f.write_str("expired: paste fresh credentials"),
            Self::Soon(s) => write!(
                f,
                "expires in {}:{:02}: get fresh credentials soon",
                s / 60,
                s % 60
            ),
            Self::Later(s) => write!(f, "expires in {} h {:02} min", s / 3600, (s % 3600) / 60),
            Self::Unknown => f.write_str("no expiry given"),
        }
    }
}

impl ParsedCredentials {
    /// Where these credentials stand at `now` (seconds since the epoch).
    pub fn expiry(&self, now: i64) -> Expiry {
        match self.seconds_left(now) {
            Some(s) if s <= 0 => Expiry::Expired(-s),
            Some(s) if s < SOON_SECONDS => Expiry::Soon(s),
            Some(s) => Expiry::Later(s),
            None => Expiry::Unknown,
        }
    }

    /// Refuses credentials that have expired by `now`.
    ///
    /// # Errors
    /// [`CredentialsError::Expired`] with the minutes since.
    pub fn check_fresh(&self, now: i64) -> Result<(), CredentialsError> {
        match self.expiry(now) {
            Expiry::Expired(ago) => Err(CredentialsError::Expired(ago / 60)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expiring_at(at: Option<i64>) -> ParsedCredentials {
        let mut c = ParsedCredentials::parse(
            "export AWS_ACCESS_KEY_ID=ASIAEXAMPLEEXAMPLE12\nexport AWS_SECRET_ACCESS_KEY=s\nexport AWS_SESSION_TOKEN=t",
            0,
            false,
        )
        .unwrap();
        c.expires_at = at;
        c
    }

    #[test]
    fn the_status_line_follows_the_time_left() {
        let c = expiring_at(Some(10_000));
        assert_eq!(
            c.expiry(10_000 - 7_380).to_string(),
            "expires in 2 h 03 min"
        );
        assert_eq!(
            c.expiry(10_000 - 125).to_string(),
            "expires in 2:05: get fresh credentials soon"
        );
        assert_eq!(c.expiry(10_000), Expiry::Expired(0));
        assert_eq!(expiring_at(None).expiry(5).to_string(), "no expiry given");
    }

    #[test]
    fn expired_credentials_are_refused_with_the_minutes_since() {
        let c = expiring_at(Some(1_000));
        assert!(c.check_fresh(999).is_ok());
        assert_eq!(
            c.check_fresh(1_000 + 180),
            Err(CredentialsError::Expired(3))
        );
        assert!(expiring_at(None).check_fresh(i64::MAX).is_ok());
    }
}
