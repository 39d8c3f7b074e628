//! The account's usage against its quota, and its trial.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::{ConnectionKind, Engine};
use crate::account::Secret;
use crate::account::garage_admin::GarageAdmin;
use crate::account::quota_source::{
    CephRgwSource, GarageAdminSource, ListingSource, MeasureError, MeasureProgress, QuotaSource, Watch,
};
use crate::account::quota_store::{self, QuotaSettings};
use crate::account::trial::{Left, Reminder, Trial, TrialStart, TrialState};
use crate::account::trial_store::{self, TrialRecord};
use crate::account::usage::{BucketUsage, Limits, LimitsOrigin, Usage, UsageSource};
use crate::error::{ErrorCode, UiError};
use crate::storage::S3Client;
use crate::time::{LocalTime, timestamp, unix_millis};

/// A usage measurement under way: one at a time, cancellable, watched.
#[derive(Default)]
pub(super) struct UsageRun {
    one_at_a_time: tokio::sync::Mutex<()>,
    cancel: Mutex<Option<CancellationToken>>,
    progress: Arc<Mutex<Option<MeasureProgress>>>,
}

/// What the usage panel shows: the last measurement at once, and how far
/// a new one has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsageView {
    pub usage: Option<Usage>,
    pub measuring: Option<MeasureProgress>,
    pub settings: QuotaSettings,
    pub has_admin_token: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuotaSettingsRequest {
    pub limits: Limits,
    pub garage_admin_endpoint: Option<String>,
    /// `None` keeps the stored token; an empty one removes it.
    #[ts(type = "string | null")]
    pub garage_admin_token: Option<Secret>,
}

/// The trial as the header and the account page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum TrialView {
    /// The demo storage has no trial.
    NotApplicable,
    /// The customer has not said yet; the start the app can prove is offered.
    #[serde(rename_all = "camelCase")]
    NotSaid {
        suggested_start: Option<LocalTime>,
        days: u32,
    },
    NoTrial,
    #[serde(rename_all = "camelCase")]
    Running {
        start: LocalTime,
        end: LocalTime,
        end_is_estimate: bool,
        days: u32,
        days_left: u32,
        hours_left: u32,
        minutes_left: u32,
    },
    #[serde(rename_all = "camelCase")]
    Ended {
        end: LocalTime,
        end_is_estimate: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrialRequest {
    pub has_trial: bool,
    /// The start read in the personal cabinet; `None` takes the earliest
    /// the app can prove, shown as "ends no later than".
    #[ts(type = "number | null")]
    pub start_utc_ms: Option<i64>,
}

fn admin_token_ref(storage: &str) -> String {
    format!("{storage}-garage-admin")
}

impl Engine {
    fn now_timestamp(&self) -> Timestamp {
        timestamp(self.clock.now())
    }

    /// The last measurement of the connected storage, if any: what a batch
    /// is checked against before it is queued.
    pub(super) fn last_usage(&self) -> Result<Option<Usage>, UiError> {
        let storage = self.active_queue_key()?;
        Ok(quota_store::load_usage(&self.db(), &storage)?)
    }

    /// The last measurement and how a new one is going; never waits.
    pub fn usage(&self) -> Result<UsageView, UiError> {
        let storage = self.active_queue_key()?;
        let usage = self.last_usage()?;
        let db = self.db();
        Ok(UsageView {
            usage,
            measuring: *self.usage_run.progress.lock().unwrap(),
            settings: quota_store::load_settings(&db, &storage)?,
            has_admin_token: self.secrets.get(&admin_token_ref(&storage)).is_some(),
        })
    }

    pub fn set_quota_settings(&self, request: QuotaSettingsRequest) -> Result<QuotaSettings, UiError> {
        let storage = self.active_queue_key()?;
        let endpoint = match request.garage_admin_endpoint.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(typed) => Some(
                crate::storage::validate_endpoint(typed)
                    .map_err(|e| UiError::invalid("garageAdminEndpoint", e.to_string()))?
                    .as_str()
                    .trim_end_matches('/')
                    .to_owned(),
            ),
        };
        let settings = QuotaSettings { limits: request.limits, garage_admin_endpoint: endpoint };
        quota_store::save_settings(&self.db(), &storage, &settings, unix_millis(self.clock.now()))?;
        match request.garage_admin_token {
            Some(token) if token.expose().trim().is_empty() => self.secrets.delete(&admin_token_ref(&storage)),
            Some(token) => {
                self.secrets.save(&admin_token_ref(&storage), &token, true);
            }
            None => {}
        }
        Ok(settings)
    }

    pub fn cancel_usage_measure(&self) {
        if let Some(cancel) = self.usage_run.cancel.lock().unwrap().as_ref() {
            cancel.cancel();
        }
    }

    /// Measures the account now, from the best source this storage offers,
    /// and keeps the result for [`Engine::usage`]. A second call while one
    /// runs waits for it and measures again.
    pub async fn measure_usage(&self) -> Result<Usage, UiError> {
        let _one = self.usage_run.one_at_a_time.lock().await;
        let cancel = CancellationToken::new();
        *self.usage_run.cancel.lock().unwrap() = Some(cancel.clone());
        *self.usage_run.progress.lock().unwrap() = Some(MeasureProgress::default());
        let measured = self.measure_with(&cancel).await;
        *self.usage_run.progress.lock().unwrap() = None;
        *self.usage_run.cancel.lock().unwrap() = None;
        measured
    }

    async fn measure_with(&self, cancel: &CancellationToken) -> Result<Usage, UiError> {
        let (client, profile) = self.storage()?;
        let storage = self.active_queue_key()?;
        let settings = quota_store::load_settings(&self.db(), &storage)?;
        let names: Vec<String> = client.list_buckets().await?.into_iter().map(|b| b.name).collect();
        let progress = self.usage_run.progress.clone();
        let report = move |p: MeasureProgress| *progress.lock().unwrap() = Some(p);
        let watch = Watch { cancel, progress: &report };
        let mut sources: Vec<Box<dyn QuotaSource>> = Vec::new();
        if let (Some(endpoint), Some(token)) =
            (&settings.garage_admin_endpoint, self.secrets.get(&admin_token_ref(&storage)))
        {
            let admin = GarageAdmin::new(endpoint, token.expose())?;
            sources.push(Box::new(GarageAdminSource { admin, access_key_id: client.params().access_key_id.clone() }));
        }
        let summary_offered = quota_store::usage_summary_offered(&self.db(), &profile.storage_id)?;
        if profile.usage_summary && summary_offered != Some(false) {
            sources.push(Box::new(CephRgwSource { client: client.clone() }));
        }
        sources.push(Box::new(ListingSource { client: client.clone() }));
        let mut found = None;
        for source in sources {
            match source.measure(&names, &watch).await {
                Ok(measurement) => {
                    if source.kind() == UsageSource::CephRgw {
                        quota_store::remember_usage_summary(&self.db(), &profile.storage_id, true)?;
                    }
                    found = Some((source.kind(), measurement));
                    break;
                }
                Err(MeasureError::NotOffered) if source.kind() == UsageSource::CephRgw => {
                    quota_store::remember_usage_summary(&self.db(), &profile.storage_id, false)?;
                }
                Err(MeasureError::NotOffered) => {}
                Err(MeasureError::Storage(err)) => return Err(err.into()),
            }
        }
        let (source, measurement) = found.ok_or_else(|| UiError::new(ErrorCode::NotSupported))?;
        let mut buckets = Vec::with_capacity(measurement.buckets.len());
        for bucket in measurement.buckets {
            let (class, _) = self.class_of(&client, &profile, &bucket.name).await?;
            buckets.push(BucketUsage {
                name: bucket.name,
                class,
                bytes: bucket.bytes,
                objects: bucket.objects,
                max_bytes: bucket.max_bytes,
                max_objects: bucket.max_objects,
            });
        }
        let reported = measurement.limits.filter(|l| !l.is_empty());
        let (limits, origin) = match reported {
            Some(limits) => (limits, LimitsOrigin::Storage),
            None if !settings.limits.is_empty() => (settings.limits, LimitsOrigin::Customer),
            None => (Limits::default(), LimitsOrigin::Unknown),
        };
        let measured = LocalTime::system(self.now_timestamp());
        let usage = Usage::new(source, measured, buckets, measurement.totals, limits, origin);
        quota_store::save_usage(&self.db(), &storage, &usage)?;
        tracing::info!(?source, bytes = usage.bytes, objects = usage.objects, "usage measured");
        Ok(usage)
    }

    /// The trial of the customer behind the active connection.
    pub async fn trial(&self) -> Result<TrialView, UiError> {
        let Some((client, days)) = self.trial_target()? else { return Ok(TrialView::NotApplicable) };
        let params = client.params();
        let record = trial_store::load(&self.db(), &params.endpoint, &params.access_key_id)?;
        Ok(match record {
            None => {
                TrialView::NotSaid { suggested_start: self.earliest_proof(&client).await.map(LocalTime::system), days }
            }
            Some(TrialRecord::NoTrial) => TrialView::NoTrial,
            Some(TrialRecord::Trial { trial, .. }) => self.trial_view(&trial),
        })
    }

    fn trial_view(&self, trial: &Trial) -> TrialView {
        let end = LocalTime::system(trial.end());
        let end_is_estimate = trial.end_is_estimate();
        match trial.state(self.now_timestamp()) {
            TrialState::Running { left: Left { days, hours, minutes } } => {
                let start = match trial.start {
                    TrialStart::Known(at) | TrialStart::NoLaterThan(at) => LocalTime::system(at),
                };
                TrialView::Running {
                    start,
                    end,
                    end_is_estimate,
                    days: trial.days,
                    days_left: days as u32,
                    hours_left: hours as u32,
                    minutes_left: minutes as u32,
                }
            }
            TrialState::Ended => TrialView::Ended { end, end_is_estimate },
        }
    }

    /// The client and trial length where a trial can apply: not the demo.
    fn trial_target(&self) -> Result<Option<(S3Client, u32)>, UiError> {
        let active = self.active.lock().unwrap();
        let active = active.as_ref().ok_or(UiError::new(ErrorCode::NotConnected))?;
        if active.connection.kind == ConnectionKind::Demo {
            return Ok(None);
        }
        Ok(Some((active.client.clone(), active.profile.trial_days)))
    }

    /// The latest the trial can have begun: the customer's first bucket was
    /// made, and this app first connected, only after it.
    async fn earliest_proof(&self, client: &S3Client) -> Option<Timestamp> {
        let oldest_bucket = match client.list_buckets().await {
            Ok(buckets) => buckets.iter().filter_map(|b| b.created).map(|c| c.utc_ms).min(),
            Err(err) => {
                tracing::info!("no bucket dates for the trial's start: {err}");
                None
            }
        };
        let account = self.active.lock().unwrap().as_ref().and_then(|a| a.connection.account_id);
        let first_connection =
            account.and_then(|id| crate::account::AccountStore::new(&self.db()).created_ms(id).ok().flatten());
        [oldest_bucket, first_connection]
            .into_iter()
            .flatten()
            .min()
            .and_then(|ms| Timestamp::from_millisecond(ms).ok())
    }

    /// Records what the customer said. A trial is given once: once recorded
    /// it cannot be taken back, and a trial that has ended cannot be made to
    /// run again by moving its start.
    pub async fn set_trial(&self, request: TrialRequest) -> Result<TrialView, UiError> {
        let Some((client, days)) = self.trial_target()? else {
            return Err(UiError::invalid("trial", "the demo storage has no trial"));
        };
        let params = client.params().clone();
        let now = self.now_timestamp();
        let existing = trial_store::load(&self.db(), &params.endpoint, &params.access_key_id)?;
        let existing_trial = match &existing {
            Some(TrialRecord::Trial { trial, reminders_shown }) => Some((*trial, reminders_shown.clone())),
            _ => None,
        };
        let record = if request.has_trial {
            let start = match request.start_utc_ms {
                Some(ms) => TrialStart::Known(
                    Timestamp::from_millisecond(ms).map_err(|e| UiError::invalid("startUtcMs", e.to_string()))?,
                ),
                None => TrialStart::NoLaterThan(self.earliest_proof(&client).await.unwrap_or(now)),
            };
            if matches!(start, TrialStart::Known(at) if at > now) {
                return Err(UiError::invalid("startUtcMs", "the trial cannot start in the future"));
            }
            let days = existing_trial.as_ref().map_or(days, |(t, _)| t.days);
            let trial = Trial { start, days };
            if let Some((old, _)) = &existing_trial
                && old.state(now) == TrialState::Ended
                && trial.state(now) != TrialState::Ended
            {
                return Err(UiError::invalid("startUtcMs", "the trial has ended and is given only once"));
            }
            TrialRecord::Trial { trial, reminders_shown: existing_trial.map(|(_, shown)| shown).unwrap_or_default() }
        } else {
            if existing_trial.is_some() {
                return Err(UiError::invalid("hasTrial", "a trial, once recorded, stays recorded"));
            }
            TrialRecord::NoTrial
        };
        trial_store::save(&self.db(), &params.endpoint, &params.access_key_id, &record, unix_millis(self.clock.now()))?;
        self.trial().await
    }

    /// The reminder due now, if any, marked as shown so it comes only once.
    pub fn take_trial_reminder(&self) -> Result<Option<Reminder>, UiError> {
        let Some((client, _)) = self.trial_target()? else { return Ok(None) };
        let params = client.params();
        let db = self.db();
        let Some(TrialRecord::Trial { trial, mut reminders_shown }) =
            trial_store::load(&db, &params.endpoint, &params.access_key_id)?
        else {
            return Ok(None);
        };
        let Some(due) = trial.reminder_due(self.now_timestamp(), &reminders_shown) else { return Ok(None) };
        reminders_shown.push(due);
        let record = TrialRecord::Trial { trial, reminders_shown };
        trial_store::save(&db, &params.endpoint, &params.access_key_id, &record, unix_millis(self.clock.now()))?;
        Ok(Some(due))
    }

    /// "Copy diagnostics": version, system, recent errors and the last log
    /// lines, redacted, for the customer to paste to support.
    pub fn diagnostics(&self) -> String {
        let endpoint = self.active.lock().unwrap().as_ref().map(|a| a.connection.endpoint.clone());
        let now = self.now_timestamp().to_zoned(jiff::tz::TimeZone::system());
        crate::diagnostics::text(&crate::diagnostics::DiagnosticsInput {
            version: env!("CARGO_PKG_VERSION"),
            log_dir: &self.data_dir.join("logs"),
            endpoint: endpoint.as_deref(),
            now: now.strftime("%Y-%m-%d %H:%M:%S %:z").to_string(),
        })
    }
}
