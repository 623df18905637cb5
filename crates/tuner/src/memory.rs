//! Memory sizes ("power values") a Lambda function can be given.

use std::fmt;

/// A Lambda memory size in MB, guaranteed to be within what Lambda accepts (128..=10,240 MB).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "u32", into = "u32")]
pub struct MemoryMb(u16);

impl MemoryMb {
    /// The smallest memory size Lambda accepts.
    pub const MIN: u32 = 128;
    /// The largest memory size Lambda accepts.
    pub const MAX: u32 = 10_240;
    /// Memory at which a function gets one full vCPU (AWS documentation).
    pub const ONE_VCPU: u32 = 1_769;
    /// Above this, new accounts may be capped (the original README's warning).
    pub const NEW_ACCOUNT_CAP: u32 = 3_008;

    /// Checks that `mb` is a size Lambda accepts.
    ///
    /// # Errors
    /// [`MemoryError`] when `mb` is outside 128..=10,240.
    pub fn new(mb: u32) -> Result<Self, MemoryError> {
        if (Self::MIN..=Self::MAX).contains(&mb) {
            // The range check makes the narrowing lossless.
            Ok(Self(mb as u16))
        } else {
            Err(MemoryError(mb))
        }
    }

    /// The size in MB.
    pub fn get(self) -> u32 {
        u32::from(self.0)
    }

    /// The size in GB as AWS bills it (1 GB = 1,024 MB).
    pub fn gb(self) -> f64 {
        f64::from(self.0) / 1024.0
    }
}

impl fmt::Display for MemoryMb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} MB", self.0)
    }
}

impl TryFrom<u32> for MemoryMb {
    type Error = MemoryError;
    fn try_from(mb: u32) -> Result<Self, Self::Error> {
        Self::new(mb)
    }
}

impl From<MemoryMb> for u32 {
    fn from(m: MemoryMb) -> u32 {
        m.get()
    }
}

/// A memory size outside what Lambda accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} MB is outside Lambda's range of 128 to 10240 MB")]
pub struct MemoryError(pub u32);

/// The original tool's deploy-time default `PowerValues`.
pub const DEFAULT_POWER_VALUES: [u32; 6] = [128, 256, 512, 1024, 1536, 3008];

/// The sizes behind `powerValues: "ALL"`: 128 to 3,008 MB in steps of 64 (46 values), exactly as
/// the original tool defines it (not up to 10,240 MB).
pub fn all_power_values() -> Vec<MemoryMb> {
    (128..=3008u32)
        .step_by(64)
        .map(|mb| MemoryMb(mb as u16))
        .collect()
}

/// The default sizes, as [`MemoryMb`].
pub fn default_power_values() -> Vec<MemoryMb> {
    DEFAULT_POWER_VALUES
        .iter()
        .map(|&mb| MemoryMb(mb as u16))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_46_values_from_128_to_3008_step_64() {
        let all = all_power_values();
        assert_eq!(all.len(), 46);
        assert_eq!(all[0].get(), 128);
        assert_eq!(all[1].get(), 192);
        assert_eq!(all[45].get(), 3008);
    }

    #[test]
    fn range_is_enforced() {
        assert!(MemoryMb::new(127).is_err());
        assert!(MemoryMb::new(10_241).is_err());
        assert_eq!(MemoryMb::new(128).unwrap().get(), 128);
        assert_eq!(MemoryMb::new(10_240).unwrap().get(), 10_240);
        assert_eq!(
            MemoryMb::new(64).unwrap_err().to_string(),
            "64 MB is outside Lambda's range of 128 to 10240 MB"
        );
    }

    #[test]
    fn gb_uses_1024() {
        assert_eq!(MemoryMb::new(1536).unwrap().gb(), 1.5);
    }
}
