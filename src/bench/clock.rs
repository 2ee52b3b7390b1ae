//! The `YYYYMMDD_HHMMSS` stamp that names a run, in local time as the result files use.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `YYYYMMDD_HHMMSS` in the machine's local time zone.
pub fn timestamp_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    local_fields(secs).map_or_else(|| format_utc(secs), |f| format_fields(&f))
}

/// Seconds since the epoch as UTC `YYYYMMDD_HHMMSS` (civil-from-days, proleptic Gregorian).
pub fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format_fields(&[y, m, d, rem / 3600, rem % 3600 / 60, rem % 60])
}

fn format_fields(f: &[i64; 6]) -> String {
    format!(
        "{:04}{:02}{:02}_{:02}{:02}{:02}",
        f[0], f[1], f[2], f[3], f[4], f[5]
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Year, month, day, hour, minute, second in local time, via the C library's time zone rules.
fn local_fields(secs: i64) -> Option<[i64; 6]> {
    // `time_t` is 32 bits on some targets, where this conversion can fail.
    #[allow(clippy::useless_conversion)]
    let t: libc::time_t = secs.try_into().ok()?;
    // SAFETY: `localtime_r` only writes into the `tm` we own and reads `t`; a zeroed `tm`
    // is a valid value of that plain C struct.
    let tm = unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        tm
    };
    Some([
        i64::from(tm.tm_year) + 1900,
        i64::from(tm.tm_mon) + 1,
        i64::from(tm.tm_mday),
        i64::from(tm.tm_hour),
        i64::from(tm.tm_min),
        i64::from(tm.tm_sec),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        assert_eq!(format_utc(0), "19700101_000000");
        // 2026-02-03 05:54:49 UTC
        assert_eq!(format_utc(1_770_098_089), "20260203_055449");
        assert_eq!(format_utc(951_782_400), "20000229_000000");
    }

    #[test]
    fn now_is_a_timestamp() {
        assert!(crate::results::name::is_timestamp(&timestamp_now()));
    }
}
