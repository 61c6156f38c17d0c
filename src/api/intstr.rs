//! Int-or-percent values, as apimachinery's `intstr.GetScaledValueFromIntOrPercent` resolves them.

use super::IntOrString;

/// Why an int-or-percent value could not be resolved (apimachinery's wording).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntStrError {
    /// A string without a trailing `%`, such as `"90"`.
    NotAPercentage(String),
    /// A `%` string whose number does not parse, such as `"%"` or `"#%"`.
    InvalidPercent(String),
}

impl std::fmt::Display for IntStrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntStrError::NotAPercentage(s) => write!(f, "invalid type: string is not a percentage: {s:?}"),
            IntStrError::InvalidPercent(s) => write!(f, "invalid value for IntOrString: invalid value {s:?}"),
        }
    }
}

/// The percentage of a `"N%"` string.
pub fn percent(s: &str) -> Result<i64, IntStrError> {
    let digits = s.strip_suffix('%').ok_or_else(|| IntStrError::NotAPercentage(s.to_string()))?;
    digits.parse::<i64>().map_err(|_| IntStrError::InvalidPercent(s.to_string()))
}

/// `GetScaledValueFromIntOrPercent`: an int is returned as it is; `"N%"` of `total`, rounded up or down.
/// Computed in i64 and clamped to i32, so huge values cannot overflow.
pub fn scaled_value(value: &IntOrString, total: i32, round_up: bool) -> Result<i32, IntStrError> {
    match value {
        IntOrString::Int(n) => Ok(*n),
        IntOrString::String(s) => {
            let p = percent(s)?;
            let product = p.saturating_mul(i64::from(total));
            let v = if round_up { div_ceil(product, 100) } else { product.div_euclid(100) };
            Ok(v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
        }
    }
}

fn div_ceil(a: i64, b: i64) -> i64 {
    let q = a.div_euclid(b);
    if a.rem_euclid(b) != 0 {
        q + 1
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> IntOrString {
        IntOrString::String(v.to_string())
    }

    /// Reference §7.1 rows 1–5, from apimachinery `TestGetIntFromIntOrPercent` / `TestGetScaledValueFromIntOrPercent`.
    #[test]
    fn test_get_scaled_value_from_int_or_percent() {
        assert_eq!(scaled_value(&IntOrString::Int(123), 0, true), Ok(123)); // row 1
        assert_eq!(scaled_value(&s("90%"), 100, true), Ok(90)); // row 2
        assert_eq!(scaled_value(&s("90%"), 95, true), Ok(86)); // row 3
        assert_eq!(scaled_value(&s("90%"), 95, false), Ok(85)); // row 4
        for bad in ["90", "%", "90#", "#%"] {
            assert!(scaled_value(&s(bad), 100, true).is_err(), "{bad}"); // row 5
        }
        assert_eq!(scaled_value(&s("90"), 100, true), Err(IntStrError::NotAPercentage("90".into())));
    }

    #[test]
    fn huge_values_saturate_instead_of_overflowing() {
        assert_eq!(scaled_value(&s("100000000000%"), i32::MAX, true), Ok(i32::MAX));
        assert_eq!(scaled_value(&s("-50%"), 3, true), Ok(-1));
    }
}
