//! The customer's trial as recorded: whether there is one, when it began,
//! and which reminders were shown. Keyed by endpoint and access key, the
//! customer's identity, so a saved account removed and added again finds
//! its trial as it was.

use rusqlite::{Connection, OptionalExtension, params};

use super::trial::{Reminder, Trial, TrialStart};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrialRecord {
    /// The customer said there is no trial on this account.
    NoTrial,
    Trial {
        trial: Trial,
        reminders_shown: Vec<Reminder>,
    },
}

fn reminder_name(reminder: Reminder) -> &'static str {
    match reminder {
        Reminder::DayLeft => "24h",
        Reminder::ThreeHoursLeft => "3h",
        Reminder::HourLeft => "1h",
    }
}

fn reminders_from(text: &str) -> Vec<Reminder> {
    Reminder::ALL.into_iter().filter(|r| text.split(',').any(|n| n == reminder_name(*r))).collect()
}

pub fn load(db: &Connection, endpoint: &str, access_key_id: &str) -> rusqlite::Result<Option<TrialRecord>> {
    db.query_row(
        "SELECT has_trial, start_ms, start_known, days, reminders_shown FROM trials
         WHERE endpoint = ?1 AND access_key_id = ?2",
        params![endpoint, access_key_id],
        |row| {
            let has_trial: bool = row.get(0)?;
            let start_ms: Option<i64> = row.get(1)?;
            let start = start_ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok());
            Ok(match (has_trial, start) {
                (true, Some(at)) => {
                    let known: bool = row.get(2)?;
                    let start = if known { TrialStart::Known(at) } else { TrialStart::NoLaterThan(at) };
                    let shown: String = row.get(4)?;
                    TrialRecord::Trial {
                        trial: Trial { start, days: row.get(3)? },
                        reminders_shown: reminders_from(&shown),
                    }
                }
                _ => TrialRecord::NoTrial,
            })
        },
    )
    .optional()
}

pub fn save(
    db: &Connection,
    endpoint: &str,
    access_key_id: &str,
    record: &TrialRecord,
    now_ms: i64,
) -> rusqlite::Result<()> {
    let (has_trial, start_ms, known, days, shown) = match record {
        TrialRecord::NoTrial => (false, None, false, 0, String::new()),
        TrialRecord::Trial { trial, reminders_shown } => {
            let (at, known) = match trial.start {
                TrialStart::Known(at) => (at, true),
                TrialStart::NoLaterThan(at) => (at, false),
            };
            let shown = reminders_shown.iter().map(|r| reminder_name(*r)).collect::<Vec<_>>().join(",");
            (true, Some(at.as_millisecond()), known, trial.days, shown)
        }
    };
    db.execute(
        "INSERT INTO trials (endpoint, access_key_id, has_trial, start_ms, start_known, days, recorded_ms, reminders_shown)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (endpoint, access_key_id) DO UPDATE SET has_trial = ?3, start_ms = ?4, start_known = ?5,
             days = ?6, reminders_shown = ?8",
        params![endpoint, access_key_id, has_trial, start_ms, known, days, now_ms, shown],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trial_and_its_reminders_read_back_as_saved() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::open(&dir.path().join("q.db")).unwrap();
        assert_eq!(load(&db, "https://s3.kz", "AK").unwrap(), None);
        let trial = Trial { start: TrialStart::NoLaterThan("2026-12-01T09:30:00Z".parse().unwrap()), days: 3 };
        let record = TrialRecord::Trial { trial, reminders_shown: vec![Reminder::DayLeft, Reminder::HourLeft] };
        save(&db, "https://s3.kz", "AK", &record, 0).unwrap();
        assert_eq!(load(&db, "https://s3.kz", "AK").unwrap(), Some(record));
        assert_eq!(load(&db, "https://s3.kz", "OTHER").unwrap(), None, "another customer");
        save(&db, "https://s3.kz", "AK2", &TrialRecord::NoTrial, 0).unwrap();
        assert_eq!(load(&db, "https://s3.kz", "AK2").unwrap(), Some(TrialRecord::NoTrial));
    }
}
