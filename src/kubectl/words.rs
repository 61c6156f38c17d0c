//! Splitting a command line into words as a POSIX shell does for the cases a learner types: blanks separate words,
//! `'…'` keeps everything literally, `"…"` keeps everything but `\"`, `\\`, `\$` and `` \` ``, and a backslash outside
//! quotes escapes the next character. `#` at the start of a word begins a comment. Expansions (`$X`, globs) are not
//! performed.

/// The most words one line may have (a bound on what a user can make large).
pub const MAX_WORDS: usize = 1_000;

pub fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unexpected EOF while looking for matching `''".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek() {
                            Some(&n) if matches!(n, '"' | '\\' | '$' | '`') => {
                                cur.push(n);
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unexpected EOF while looking for matching `\"'".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
        if words.len() > MAX_WORDS {
            return Err(format!("too many words on one line (kubeplay reads at most {MAX_WORDS})"));
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Joins words back into a line that [`split`] reads as the same words (single quotes where needed).
pub fn join(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+{}".contains(c)) {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(split("kubectl get  pods -o wide").unwrap(), ["kubectl", "get", "pods", "-o", "wide"]);
        assert_eq!(
            split(r#"kubectl annotate deploy x kubernetes.io/change-cause="image 1.11" a='b c' d\ e"#).unwrap(),
            ["kubectl", "annotate", "deploy", "x", "kubernetes.io/change-cause=image 1.11", "a=b c", "d e"]
        );
        assert_eq!(split(r#"echo "a \"q\" \n""#).unwrap(), ["echo", "a \"q\" \\n"]);
        assert_eq!(split("kubectl get po # a comment").unwrap(), ["kubectl", "get", "po"]);
        assert_eq!(split("a#b").unwrap(), ["a#b"]);
        assert_eq!(split("''").unwrap(), [""]);
        assert!(split("echo 'open").is_err());
        assert!(split("echo \"open").is_err());
    }
}
