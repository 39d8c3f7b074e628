//! How a file is cut into parts: any size up to 5 TiB in at most 10,000
//! parts of at least 5 MiB, with parts large enough to keep a connection busy.

pub const MIN_PART: u64 = 5 * 1024 * 1024;
pub const MAX_PARTS: u64 = 10_000;
/// The largest object S3 takes.
pub const MAX_OBJECT: u64 = 5 * 1024 * 1024 * 1024 * 1024;
/// Measured here against Garage on loopback: 16 MiB parts, 8 in flight, beat
/// smaller parts at the same memory (DESIGN.md).
pub const PREFERRED_PART: u64 = 16 * 1024 * 1024;
const MIB: u64 = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartPlan {
    /// One request; files below the threshold.
    Single,
    Multipart {
        part_size: u64,
        parts: u64,
    },
}

impl PartPlan {
    /// The byte range of part `index` (from 0) of a file of `size` bytes.
    pub fn range(part_size: u64, size: u64, index: u64) -> (u64, u64) {
        let start = index * part_size;
        (start, (start + part_size).min(size) - start)
    }
}

/// None when the file is larger than any object may be.
pub fn part_plan(size: u64, threshold: u64) -> Option<PartPlan> {
    if size > MAX_OBJECT {
        return None;
    }
    if size < threshold.max(MIN_PART) {
        return Some(PartPlan::Single);
    }
    let needed = size.div_ceil(MAX_PARTS).div_ceil(MIB) * MIB;
    let part_size = needed.max(PREFERRED_PART).max(MIN_PART);
    Some(PartPlan::Multipart { part_size, parts: size.div_ceil(part_size) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_up_to_five_tebibytes_fits() {
        let sizes = [MIN_PART, PREFERRED_PART, PREFERRED_PART + 1, 1 << 30, 50 << 30, 160 << 30, 1 << 40, MAX_OBJECT];
        for size in sizes {
            let Some(PartPlan::Multipart { part_size, parts }) = part_plan(size, MIN_PART) else {
                panic!("{size} is multipart");
            };
            assert!(parts <= MAX_PARTS, "{size}: {parts} parts");
            assert!(part_size >= MIN_PART && part_size % MIB == 0, "{size}: part {part_size}");
            assert!(parts * part_size >= size && (parts - 1) * part_size < size, "{size}: parts cover it exactly");
        }
        assert_eq!(part_plan(MAX_OBJECT + 1, MIN_PART), None);
    }

    #[test]
    fn small_files_go_in_one_request() {
        assert_eq!(part_plan(0, 16 * MIB), Some(PartPlan::Single));
        assert_eq!(part_plan(16 * MIB - 1, 16 * MIB), Some(PartPlan::Single));
        assert_eq!(part_plan(16 * MIB, 16 * MIB), Some(PartPlan::Multipart { part_size: 16 * MIB, parts: 1 }));
        assert_eq!(part_plan(1, 0), Some(PartPlan::Single), "never a part below the 5 MiB minimum");
    }

    #[test]
    fn the_last_part_holds_the_rest() {
        assert_eq!(PartPlan::range(16, 40, 0), (0, 16));
        assert_eq!(PartPlan::range(16, 40, 2), (32, 8));
    }
}
