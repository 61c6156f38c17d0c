//! Resource quantities (`resource.Quantity`): enough of apimachinery's parsing and canonical printing for the sums
//! `describe node` shows. Values are kept in thousandths, which is the precision Kubernetes keeps for CPU.

/// A parsed quantity: its value in thousandths and whether it was written with a binary suffix (`Ki`, `Mi`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quantity {
    pub milli: i128,
    pub binary: bool,
}

const BINARY: [(&str, u32); 6] = [("Ki", 10), ("Mi", 20), ("Gi", 30), ("Ti", 40), ("Pi", 50), ("Ei", 60)];
const DECIMAL: [(&str, i32); 8] = [("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)];

/// Parses `100m`, `0.5`, `128Mi`, `1G`, `1e3`; `None` for anything else.
pub fn parse(text: &str) -> Option<Quantity> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(t.len());
    let (number, suffix) = t.split_at(split);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let negative = int.starts_with('-');
    let int = int.trim_start_matches(['+', '-']);
    if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The number as an integer count of 10^-frac_len, then scaled by the suffix.
    let digits: i128 = format!("{int}{frac}").parse().ok()?;
    let mut exp10 = -(frac.len() as i32);
    let mut factor: i128 = 1;
    let mut binary = false;
    if let Some((_, shift)) = BINARY.iter().find(|(s, _)| *s == suffix) {
        factor = 1i128 << shift;
        binary = true;
    } else if let Some((_, e)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
        exp10 += e;
    } else if let Some(e) = suffix.strip_prefix(['e', 'E']).and_then(|e| e.parse::<i32>().ok()) {
        exp10 += e;
    } else {
        return None;
    }
    // Thousandths: multiply by 10^(exp10 + 3), rounding up as Kubernetes does for sub-milli values.
    let shift = exp10 + 3;
    let value = digits.checked_mul(factor)?;
    let milli = if shift >= 0 {
        value.checked_mul(10i128.checked_pow(shift as u32)?)?
    } else {
        let d = 10i128.checked_pow((-shift) as u32)?;
        (value + d - 1) / d
    };
    Some(Quantity { milli: if negative { -milli } else { milli }, binary })
}

impl Quantity {
    /// The canonical text: the largest binary suffix that divides the value for binary quantities, otherwise the
    /// largest decimal one, `m` for fractions, and `0` for zero.
    pub fn canonical(self) -> String {
        if self.milli == 0 {
            return "0".into();
        }
        let sign = if self.milli < 0 { "-" } else { "" };
        let m = self.milli.abs();
        if m % 1000 != 0 {
            return format!("{sign}{m}m");
        }
        let whole = m / 1000;
        if self.binary {
            for (suffix, shift) in BINARY.iter().rev() {
                let unit = 1i128 << shift;
                if whole % unit == 0 {
                    return format!("{sign}{}{suffix}", whole / unit);
                }
            }
            if whole < 1024 {
                return format!("{sign}{whole}");
            }
        }
        for (suffix, e) in DECIMAL.iter().rev().filter(|(_, e)| *e >= 0) {
            let unit = 10i128.pow(*e as u32);
            if whole % unit == 0 {
                return format!("{sign}{}{suffix}", whole / unit);
            }
        }
        format!("{sign}{whole}")
    }
}

/// `GetPodQOS` (pkg/apis/core/helper/qos): `Guaranteed` when every container limits CPU and memory and requests
/// equal limits, `BestEffort` when nothing requests or limits CPU or memory, `Burstable` otherwise.
pub fn qos_class<'a>(containers: impl Iterator<Item = &'a crate::api::Container>) -> &'static str {
    use std::collections::BTreeMap;
    let mut requests: BTreeMap<&str, i128> = BTreeMap::new();
    let mut limits: BTreeMap<&str, i128> = BTreeMap::new();
    let mut guaranteed = true;
    for c in containers {
        let res = c.resources.as_ref();
        let mut limited = 0;
        for r in ["cpu", "memory"] {
            let get = |l: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>| {
                l.and_then(|l| l.get(r)).and_then(|q| parse(&q.0)).map(|q| q.milli).filter(|m| *m != 0)
            };
            if let Some(m) = get(res.and_then(|r| r.requests.as_ref())) {
                *requests.entry(r).or_default() += m;
            }
            if let Some(m) = get(res.and_then(|r| r.limits.as_ref())) {
                *limits.entry(r).or_default() += m;
                limited += 1;
            }
        }
        if limited < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed && requests == limits {
        return "Guaranteed";
    }
    "Burstable"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_as_apimachinery_does() {
        let rows = [
            ("100m", "100m"),
            ("0.5", "500m"),
            ("1", "1"),
            ("2000m", "2"),
            ("128Mi", "128Mi"),
            ("1024Mi", "1Gi"),
            ("16341484Ki", "16341484Ki"),
            ("1G", "1G"),
            ("1000k", "1M"),
            ("1e3", "1k"),
            ("0", "0"),
        ];
        for (input, want) in rows {
            assert_eq!(parse(input).unwrap().canonical(), want, "{input}");
        }
        assert_eq!(parse("12x"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("99999999999999999999999999999999999999999E"), None);
    }
}
