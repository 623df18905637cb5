//! A failed size's cause in a few words, for tables and progress lines. The full error (the
//! original's long text, with the payload, error type, message and trace) stays in the result
//! for whoever opens it.

/// How many characters of an unrecognised error the short cause keeps.
const SHORT_LIMIT: usize = 60;

/// The cause of a size's failure, short: "out of memory", "timed out", "function error:
/// ValueError", "post-processor failed", or the error's first clause.
pub fn short_cause(error: &str) -> String {
    let lower = error.to_ascii_lowercase();
    if lower.contains("out of memory") || lower.contains("outofmemory") {
        return "out of memory".into();
    }
    if lower.contains("timed out") || lower.contains("timeout") {
        return "timed out".into();
    }
    if error.starts_with("PreProcessor ") {
        return "pre-processor failed".into();
    }
    if error.starts_with("PostProcessor ") {
        return "post-processor failed".into();
    }
    if let Some(kind) = original_error_type(error) {
        return format!("function error: {kind}");
    }
    if error.starts_with("Invocation error") {
        return "function error".into();
    }
    let first = error
        .split(['.', ',', ';', '\n'])
        .next()
        .unwrap_or(error)
        .trim();
    if first.chars().count() > SHORT_LIMIT {
        let cut: String = first.chars().take(SHORT_LIMIT - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        first.to_owned()
    }
}

/// The `original error type: "X"` part of the original's error text, when not empty.
fn original_error_type(error: &str) -> Option<&str> {
    let rest = error.split("original error type: \"").nth(1)?;
    let kind = rest.split('"').next()?;
    (!kind.is_empty()).then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_original_long_errors_get_their_cause() {
        let oom = r#"Invocation ran out of memory (running in parallel) with payload "{}" - original error type: "Runtime.OutOfMemory", original error message: "Runtime exited with error: signal: killed",trace: "[]""#;
        assert_eq!(short_cause(oom), "out of memory");
        let error = r#"Invocation error (running in series) with payload "{}" - original error type: "ValueError", original error message: "bad",trace: "["at x"]""#;
        assert_eq!(short_cause(error), "function error: ValueError");
        let untyped = r#"Invocation error (running in series) - original error type: "", original error message: "",trace: "[]""#;
        assert_eq!(short_cause(untyped), "function error");
        assert_eq!(
            short_cause("the invocation's log tail has no REPORT line, so its duration is unknown"),
            "the invocation's log tail has no REPORT line"
        );
        assert_eq!(
            short_cause("Invocation timed out (running in series) - original error type: \"\""),
            "timed out"
        );
        assert_eq!(
            short_cause("PostProcessor arn:aws:lambda:… failed - original error type: \"E\""),
            "post-processor failed"
        );
    }

    #[test]
    fn chart_link_errors_and_short_texts_stay_as_they_are() {
        assert_eq!(short_cause("Runtime.OutOfMemory"), "out of memory");
        assert_eq!(short_cause("no REPORT line"), "no REPORT line");
        assert_eq!(short_cause(""), "");
        let long = "x".repeat(200);
        assert_eq!(short_cause(&long).chars().count(), SHORT_LIMIT);
    }
}
