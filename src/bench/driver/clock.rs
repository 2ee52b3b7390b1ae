//! The `YYYYMMDD_HHMMSS` stamp that names a run, in local time as the result files use.

use jiff::Zoned;

/// Now, as `YYYYMMDD_HHMMSS` in the machine's time zone (UTC where none is set).
pub fn timestamp_now() -> String {
    stamp(&Zoned::now())
}

fn stamp(time: &Zoned) -> String {
    time.strftime("%Y%m%d_%H%M%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    fn utc(secs: i64) -> String {
        stamp(
            &Timestamp::from_second(secs)
                .unwrap()
                .to_zoned(TimeZone::UTC),
        )
    }

    #[test]
    fn formats_utc() {
        assert_eq!(utc(0), "19700101_000000");
        // 2026-02-03 05:54:49 UTC
        assert_eq!(utc(1_770_098_089), "20260203_055449");
        assert_eq!(utc(951_782_400), "20000229_000000");
    }

    #[test]
    fn formats_in_the_zone_given() {
        let nine_ahead = TimeZone::fixed(jiff::tz::offset(9));
        let t = Timestamp::from_second(1_770_098_089)
            .unwrap()
            .to_zoned(nine_ahead);
        assert_eq!(stamp(&t), "20260203_145449");
    }

    #[test]
    fn now_is_a_timestamp() {
        assert!(crate::results::name::is_timestamp(&timestamp_now()));
    }
}
