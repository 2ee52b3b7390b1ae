//! The runs' time: a time in the file's name, a `timestamp` column or `--timestamp`, as
//! `YYYYMMDD_HHMMSS`.

use std::path::Path;

/// A `YYYYMMDD_HHMMSS` (or `YYYYMMDD-HHMMSS`) time in the file's name, as benchmark scripts
/// name their output.
pub(super) fn time_in_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let bytes = stem.as_bytes();
    (0..bytes.len().saturating_sub(14)).find_map(|i| {
        let candidate = stem.get(i..i + 15)?;
        let digit_before = i > 0 && bytes[i - 1].is_ascii_digit();
        let digit_after = bytes.get(i + 15).is_some_and(u8::is_ascii_digit);
        (!digit_before && !digit_after)
            .then(|| parse_time(candidate))
            .flatten()
    })
}

/// `YYYYMMDD_HHMMSS`, `YYYYmmdd-HHMMSS`, or ISO 8601 (`2024-06-01T12:00:00`, a space for the
/// `T`, fractions of a second, an offset or `Z`: then turned into local time).
pub(super) fn parse_time(text: &str) -> Option<String> {
    let t = text.trim();
    let format = |dt: jiff::civil::DateTime| dt.strftime("%Y%m%d_%H%M%S").to_string();
    for pattern in ["%Y%m%d_%H%M%S", "%Y%m%d-%H%M%S"] {
        if t.len() == 15
            && let Ok(dt) = jiff::civil::DateTime::strptime(pattern, t)
        {
            return Some(format(dt));
        }
    }
    let iso = match t.as_bytes().get(10) {
        Some(b' ') => format!("{}T{}", &t[..10], &t[11..]),
        _ => t.to_string(),
    };
    if let Ok(instant) = iso.parse::<jiff::Timestamp>() {
        return Some(format(
            instant.to_zoned(jiff::tz::TimeZone::system()).datetime(),
        ));
    }
    iso.parse::<jiff::civil::DateTime>().ok().map(format)
}
