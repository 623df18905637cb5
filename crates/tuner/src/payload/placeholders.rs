//! Payload placeholders: `${index}` (the invocation's index within its size, from 0) and
//! `${mem}` (the memory size under test, in MB), replaced in each invocation's payload, so that a
//! function with side effects gets a unique key per call. Asked for by the original tool's users
//! and still open there (alexcasalboni/aws-lambda-power-tuning pull request #266, "Add an
//! option to use placeholders (${index} and ${mem}) in the payload").
//!
//! Off unless the payload contains a placeholder: a payload without one is sent exactly as
//! given. With placeholders, `$${` stands for a literal `${` (so `$${index}` is sent as
//! `${index}`), and any other `${…}` is left as it is. Replacement works on the request body's
//! text, where the placeholders sit inside JSON strings; the numbers it puts in need no escaping.
//! It applies to plain and weighted payloads alike, before a pre-processor sees the payload.

use std::borrow::Cow;

use crate::memory::MemoryMb;

const INDEX: &str = "${index}";
const MEM: &str = "${mem}";

/// Whether `text` holds a placeholder (`${index}` or `${mem}`, not escaped).
pub fn has_placeholders(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let escaped = rest[..at].ends_with('$');
        let tail = &rest[at..];
        if !escaped && (tail.starts_with(INDEX) || tail.starts_with(MEM)) {
            return true;
        }
        rest = &rest[at + 2..];
    }
    false
}

/// `text` with its placeholders replaced for invocation `index` at `memory`; `text` itself when
/// it holds none.
pub fn fill(text: &str, index: usize, memory: MemoryMb) -> Cow<'_, str> {
    if !has_placeholders(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("$${") {
            out.push_str("${");
            rest = after;
        } else if let Some(after) = tail.strip_prefix(INDEX) {
            out.push_str(&index.to_string());
            rest = after;
        } else if let Some(after) = tail.strip_prefix(MEM) {
            out.push_str(&memory.get().to_string());
            rest = after;
        } else {
            out.push('$');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mb(m: u32) -> MemoryMb {
        MemoryMb::new(m).unwrap()
    }

    #[test]
    fn placeholders_are_replaced_per_invocation() {
        let text = r#"{"key": "order-${mem}-${index}", "size": "${mem}"}"#;
        assert_eq!(
            fill(text, 7, mb(512)),
            r#"{"key": "order-512-7", "size": "512"}"#
        );
        assert_eq!(
            fill(text, 0, mb(128)),
            r#"{"key": "order-128-0", "size": "128"}"#
        );
    }

    #[test]
    fn a_payload_without_placeholders_is_sent_as_given() {
        for text in [
            r#"{"price": "$5", "tpl": "${name}"}"#,
            "null",
            r#""$${index}""#,
        ] {
            assert!(!has_placeholders(text), "{text}");
            assert!(matches!(fill(text, 3, mb(256)), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn a_literal_dollar_brace_is_escaped_with_a_second_dollar() {
        let text = r#"{"id": "${index}", "doc": "write $${index} for the index", "other": "${x}", "cost": "$3"}"#;
        assert_eq!(
            fill(text, 2, mb(1024)),
            r#"{"id": "2", "doc": "write ${index} for the index", "other": "${x}", "cost": "$3"}"#
        );
    }

    #[test]
    fn text_ending_in_a_dollar_or_a_cut_placeholder_is_kept() {
        assert_eq!(fill("${mem}$", 0, mb(128)), "128$");
        assert_eq!(fill("${mem}${ind", 0, mb(128)), "128${ind");
        assert_eq!(fill("é${index}ü", 4, mb(128)), "é4ü");
    }
}
