//! Just enough of H.264's Annex-B byte stream to put it in an MP4: split it into NAL units and
//! tell parameter sets and keyframes apart.

pub const NAL_IDR: u8 = 5;
pub const NAL_SPS: u8 = 7;
pub const NAL_PPS: u8 = 8;
pub const NAL_AUD: u8 = 9;

/// The NAL units of an Annex-B stream (start codes `00 00 01` or `00 00 00 01` removed).
pub fn nal_units(stream: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = skip_start_code(stream);
    std::iter::from_fn(move || {
        let data = rest?;
        let (unit, next) = match find_start_code(data) {
            Some((end, after)) => (&data[..end], Some(&data[after..])),
            None => (data, None),
        };
        rest = next;
        // Trailing zero bytes belong to the next start code, not to the unit.
        let len = unit.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
        Some(&unit[..len])
    })
    .filter(|unit| !unit.is_empty())
}

/// The NAL unit type (`nal_unit_type`, low five bits of the header byte).
pub fn nal_type(unit: &[u8]) -> u8 {
    unit.first().map_or(0, |b| b & 0x1f)
}

fn skip_start_code(stream: &[u8]) -> Option<&[u8]> {
    match find_start_code(stream) {
        Some((0, after)) => Some(&stream[after..]),
        _ if stream.is_empty() => None,
        _ => Some(stream),
    }
}

/// Position of the next start code: (where it begins, where the unit after it begins).
fn find_start_code(data: &[u8]) -> Option<(usize, usize)> {
    let at = data.windows(3).position(|w| w == [0, 0, 1])?;
    Some((at, at + 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_three_and_four_byte_start_codes() {
        let stream = [
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5,
        ];
        let units: Vec<&[u8]> = nal_units(&stream).collect();
        assert_eq!(units, vec![&[0x67, 1, 2][..], &[0x68, 3], &[0x65, 4, 5]]);
        let types: Vec<u8> = units.iter().map(|u| nal_type(u)).collect();
        assert_eq!(types, vec![NAL_SPS, NAL_PPS, NAL_IDR]);
    }
}
