//! Share links: a whole run — settings, the recording (every action with its virtual time, the files included, since
//! files are written by actions), the lesson and step, and the playhead — in the URL fragment, so nothing is sent
//! anywhere. Format: `v1.` then base64url (no padding) of deflated JSON. A link that is damaged, too long or of an
//! unknown version decodes to an error that says which, and never panics.

use super::{Action, Recorded, Run, MAX_ACTIONS, MAX_RUN_MS};
use crate::cluster::clock::Millis;
use crate::cluster::Settings;
use serde::{Deserialize, Serialize};

/// The version this build writes (and the only one it reads).
pub const VERSION: u32 = 1;
/// The longest fragment accepted (characters). Browsers keep far longer URLs; this bounds the work a link can ask for.
pub const MAX_LINK_CHARS: usize = 256 * 1024;
/// The most requests a link's traffic generators may ask its replay to send (a link cannot ask the page for hours
/// of work: 1,000 requests a second from eight generators would be millions within minutes).
pub const MAX_LINK_REQUESTS: u64 = 1_000_000;
/// The most bytes a link may inflate to.
pub const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;

/// What a link carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Link {
    pub settings: Settings,
    pub log: Vec<Recorded>,
    /// The playhead's virtual time.
    pub at: Millis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
}

/// Why a link could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    TooLong(usize),
    UnknownVersion(String),
    Damaged(String),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::TooLong(n) => write!(f, "the link is too long ({n} characters; at most {MAX_LINK_CHARS})"),
            LinkError::UnknownVersion(v) => {
                write!(f, "the link is of version {v:?}, which this kubeplay cannot read (it reads v{VERSION})")
            }
            LinkError::Damaged(why) => write!(f, "the link is damaged: {why}"),
        }
    }
}

impl Link {
    /// The link of a run as it stands (its lesson and step are the run's own, from its recording).
    pub fn of(run: &Run) -> Link {
        let (lesson, step) = match &run.lesson {
            Some(p) => (Some(p.lesson.clone()), Some(p.step)),
            None => (None, None),
        };
        Link { settings: run.settings.clone(), log: run.log().to_vec(), at: run.now(), lesson, step }
    }

    /// The fragment text (without `#`).
    pub fn encode(&self) -> String {
        pack(&serde_json::to_vec(self).unwrap_or_default())
    }

    /// Reads a fragment (with or without `#`).
    pub fn decode(text: &str) -> Result<Link, LinkError> {
        let text = text.strip_prefix('#').unwrap_or(text).trim();
        if text.len() > MAX_LINK_CHARS {
            return Err(LinkError::TooLong(text.len()));
        }
        let Some((version, body)) = text.split_once('.') else {
            return Err(LinkError::Damaged("it has no version".into()));
        };
        if version != format!("v{VERSION}") {
            return Err(LinkError::UnknownVersion(version.chars().take(16).collect()));
        }
        let packed = unbase64url(body).ok_or_else(|| LinkError::Damaged("it is not base64url".into()))?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON_BYTES)
            .map_err(|_| LinkError::Damaged("its compressed data is cut or corrupt".into()))?;
        let link: Link = serde_json::from_slice(&json).map_err(|e| LinkError::Damaged(e.to_string()))?;
        if link.log.len() > MAX_ACTIONS {
            return Err(LinkError::Damaged(format!("it records more than {MAX_ACTIONS} actions")));
        }
        if link.at > MAX_RUN_MS || link.log.iter().any(|r| r.at > MAX_RUN_MS) {
            return Err(LinkError::Damaged(format!("it goes past {} hours of virtual time", MAX_RUN_MS / 3_600_000)));
        }
        let asked = requests_asked(&link.log, link.at);
        if asked > MAX_LINK_REQUESTS {
            return Err(LinkError::Damaged(format!(
                "its traffic would send about {asked} requests (at most {MAX_LINK_REQUESTS})"
            )));
        }
        Ok(link)
    }

    /// The run the link describes, at its playhead.
    pub fn open(&self) -> Result<Run, LinkError> {
        let mut settings = self.settings.clone();
        settings.workers = settings.workers.min(crate::cluster::settings::MAX_WORKERS);
        Run::replay(settings, self.log.clone(), self.at).map_err(LinkError::Damaged)
    }
}

/// A link's JSON as fragment text: the version, then base64url of the deflated bytes.
pub fn pack(json: &[u8]) -> String {
    format!("v{VERSION}.{}", base64url(&miniz_oxide::deflate::compress_to_vec(json, 10)))
}

/// An upper bound of the requests a recording's traffic generators send until `end`. Generators are numbered in
/// the order they start; a start that was refused still takes a number here, so a stop may close an earlier start
/// than the one it stopped and the estimate only grows.
fn requests_asked(log: &[Recorded], end: Millis) -> u64 {
    let mut running: std::collections::BTreeMap<u32, (Millis, u32)> = std::collections::BTreeMap::new();
    let (mut next, mut total) = (1u32, 0u64);
    let sent = |from: Millis, to: Millis, rate: u32| to.saturating_sub(from).saturating_mul(u64::from(rate)) / 1000 + 1;
    for r in log {
        match &r.action {
            Action::StartTraffic { rate, .. } => {
                running.insert(next, (r.at, *rate));
                next = next.saturating_add(1);
            }
            Action::StopTraffic { id } => {
                if let Some((from, rate)) = running.remove(id) {
                    total = total.saturating_add(sent(from, r.at, rate));
                }
            }
            _ => {}
        }
    }
    running.values().fold(total, |t, &(from, rate)| t.saturating_add(sent(from, end, rate)))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    // A leftover of 6 bits cannot come from whole bytes; leftover bits must be zero.
    (bits < 6 && acc & ((1 << bits) - 1) == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..40 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url(&bytes);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(unbase64url(&text), Some(bytes), "{n}");
        }
        assert_eq!(base64url(b"Man"), "TWFu");
        assert_eq!(base64url(b"Ma"), "TWE");
        assert_eq!(unbase64url("TWE"), Some(b"Ma".to_vec()));
        assert_eq!(unbase64url("T"), None);
        assert_eq!(unbase64url("TW+u"), None);
    }
}
