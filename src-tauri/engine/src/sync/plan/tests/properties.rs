//! Random small worlds, a pass applied to them the way the executor would,
//! and what must hold for any of them.

use super::*;

/// File contents are small numbers, so ETags and sizes collide often.
type Content = u8;

fn etag_of(content: Content) -> String {
    format!("etag-{content}")
}

fn size_of(content: Content) -> u64 {
    u64::from(content % 3)
}

const PATHS: [&str; 8] =
    ["a", "b.txt", "b (conflict 2026-11-25 0412).txt", "c.tar.gz", ".hidden", "d/e", "d/f.txt", "d/g/h.md"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OnDisk {
    content: Content,
    mtime_ns: i64,
}

#[derive(Debug, Clone, PartialEq)]
struct Model {
    local: BTreeMap<RelPath, OnDisk>,
    remote: BTreeMap<RelPath, Content>,
    index: BTreeMap<RelPath, Synced>,
    /// Paths whose ETag the executor still knows from an earlier pass.
    etag_known: BTreeSet<RelPath>,
    /// Contents moved to the OS trash or the storage's sync trash.
    trash: Vec<Content>,
    /// The mtime of the next file the pass writes, later than any listed.
    clock: i64,
}

impl Model {
    fn synced(on_disk: OnDisk) -> Synced {
        Synced { size: size_of(on_disk.content), mtime_ns: on_disk.mtime_ns, etag: etag_of(on_disk.content) }
    }

    /// Lists both sides as the executor does: ETags only where
    /// [`paths_needing_etag`] asks or where they are already known.
    fn plan(&self, options: &PlanOptions) -> Plan {
        let remote = self
            .remote
            .iter()
            .map(|(path, &content)| (path.clone(), RemoteFile { size: size_of(content), etag: etag_of(content) }))
            .collect();
        let mut local: BTreeMap<RelPath, LocalFile> = self
            .local
            .iter()
            .map(|(path, on_disk)| {
                (path.clone(), LocalFile { size: size_of(on_disk.content), mtime_ns: on_disk.mtime_ns, etag: None })
            })
            .collect();
        let needing = paths_needing_etag(&Listings { local: &local, remote: &remote, index: &self.index });
        for path in needing.iter().chain(&self.etag_known) {
            if let (Some(file), Some(on_disk)) = (local.get_mut(path), self.local.get(path)) {
                file.etag = Some(etag_of(on_disk.content));
            }
        }
        plan(&Listings { local: &local, remote: &remote, index: &self.index }, options)
    }

    fn write_local(&mut self, path: &RelPath, content: Content) -> OnDisk {
        self.clock += 1;
        let on_disk = OnDisk { content, mtime_ns: self.clock };
        self.local.insert(path.clone(), on_disk);
        on_disk
    }

    fn upload(&mut self, path: &RelPath) -> Result<(), String> {
        let on_disk = *self.local.get(path).ok_or(format!("upload of {path}: no local file"))?;
        self.remote.insert(path.clone(), on_disk.content);
        self.index.insert(path.clone(), Self::synced(on_disk));
        Ok(())
    }

    fn remote_etag(&self, path: &RelPath) -> Option<String> {
        self.remote.get(path).map(|&content| etag_of(content))
    }

    fn local_stat(&self, path: &RelPath) -> Option<(u64, i64)> {
        self.local.get(path).map(|on_disk| (size_of(on_disk.content), on_disk.mtime_ns))
    }

    /// Carries out one action, refusing it where the world no longer is
    /// what the plan expected (as the executor does just before writing).
    fn apply(&mut self, action: &Action, mode: Mode) -> Result<(), String> {
        let expect = |ok: bool| if ok { Ok(()) } else { Err(format!("{action:?} does not fit the world")) };
        match action {
            Action::Upload { path, replaces } => {
                expect(self.remote_etag(path) == *replaces)?;
                self.upload(path)
            }
            Action::Download { path, replaces } => {
                expect(self.local_stat(path) == *replaces)?;
                let content = *self.remote.get(path).ok_or("download of a missing object")?;
                let on_disk = self.write_local(path, content);
                self.index.insert(path.clone(), Self::synced(on_disk));
                Ok(())
            }
            Action::Copy { from, to, etag } => {
                expect(self.remote_etag(from).as_ref() == Some(etag) && !self.remote.contains_key(to))?;
                let (size, mtime_ns) = self.local_stat(to).ok_or("copy to a missing local file")?;
                self.remote.insert(to.clone(), self.remote[from]);
                self.index.insert(to.clone(), Synced { size, mtime_ns, etag: etag.clone() });
                Ok(())
            }
            Action::TrashRemote { path, etag } => {
                expect(self.remote_etag(path).as_ref() == Some(etag))?;
                self.trash.extend(self.remote.remove(path));
                self.index.remove(path);
                Ok(())
            }
            Action::TrashLocal { path } => {
                let on_disk = self.local.remove(path).ok_or("trash of a missing local file")?;
                self.trash.push(on_disk.content);
                self.index.remove(path);
                Ok(())
            }
            Action::KeepBoth { path, conflict, remote_etag } => {
                expect(self.remote_etag(path).as_ref() == Some(remote_etag))?;
                expect(!self.local.contains_key(conflict) && !self.remote.contains_key(conflict))?;
                let theirs = self.remote[path];
                self.remote.insert(conflict.clone(), theirs);
                if mode == Mode::TwoWay {
                    let on_disk = self.write_local(conflict, theirs);
                    self.index.insert(conflict.clone(), Self::synced(on_disk));
                }
                self.upload(path)
            }
            Action::Record { path, synced } => {
                self.index.insert(path.clone(), synced.clone());
                Ok(())
            }
            Action::Forget { path } => {
                self.index.remove(path);
                Ok(())
            }
        }
    }

    fn apply_plan(&mut self, plan: &Plan, mode: Mode) -> Result<(), TestCaseError> {
        plan.actions.iter().try_for_each(|action| self.apply(action, mode)).map_err(TestCaseError::fail)
    }

    /// Makes the world keep the promise every mtime-based sync relies
    /// on: a file with the size and mtime it had when both sides agreed
    /// still has the bytes it had then.
    fn keeping_the_mtime_promise(mut self) -> Self {
        for (path, on_disk) in &mut self.local {
            if let Some(entry) = self.index.get(path) {
                let same_stat = size_of(on_disk.content) == entry.size && on_disk.mtime_ns == entry.mtime_ns;
                if same_stat && etag_of(on_disk.content) != entry.etag {
                    on_disk.mtime_ns += 100;
                }
            }
        }
        self
    }
}

/// Where a generated index entry comes from: mostly from one side, so
/// worlds hold many agreements, edits, deletions and renames.
#[derive(Debug, Clone, Copy)]
enum IndexFrom {
    Local,
    Remote,
    Anything,
}

type PathState = (Option<(Content, i64)>, Option<Content>, Option<(IndexFrom, Content, i64, Option<u64>)>, bool);

/// Each path may be in any listing, the index may disagree with both
/// sides or even with itself (a size that is not its content's), a local
/// file may have moved to a new path, and one side is often empty.
fn worlds() -> impl Strategy<Value = Model> {
    let index_from = prop_oneof![Just(IndexFrom::Local), Just(IndexFrom::Remote), Just(IndexFrom::Anything)];
    let path_state = (
        proptest::option::of((0..5_u8, 0..4_i64)),
        proptest::option::of(0..5_u8),
        proptest::option::weighted(0.7, (index_from, 0..5_u8, 0..4_i64, proptest::option::weighted(0.1, 0..3_u64))),
        any::<bool>(),
    );
    let rename = proptest::option::weighted(0.8, (0..PATHS.len(), 0..PATHS.len(), 0..5_u8));
    // 0 empties the local side, 1 the remote one, anything else neither.
    let emptied = 0..5_u8;
    (proptest::collection::vec(path_state, PATHS.len()), rename, emptied).prop_map(
        |(states, rename, emptied): (Vec<PathState>, Option<(usize, usize, Content)>, u8)| {
            let mut model = Model {
                local: BTreeMap::new(),
                remote: BTreeMap::new(),
                index: BTreeMap::new(),
                etag_known: BTreeSet::new(),
                trash: Vec::new(),
                clock: 10,
            };
            for (path, (local, remote, index, etag_known)) in PATHS.iter().map(|path| path.to_string()).zip(states) {
                if let Some((from, content, mtime_ns, odd_size)) = index {
                    let (content, mtime_ns) = match (from, local, remote) {
                        (IndexFrom::Local, Some(on_disk), _) => on_disk,
                        (IndexFrom::Remote, _, Some(content)) => (content, mtime_ns),
                        _ => (content, mtime_ns),
                    };
                    let size = odd_size.unwrap_or(size_of(content));
                    model.index.insert(path.clone(), Synced { size, mtime_ns, etag: etag_of(content) });
                }
                if let Some((content, mtime_ns)) = local.filter(|_| emptied != 0) {
                    model.local.insert(path.clone(), OnDisk { content, mtime_ns });
                }
                if let Some(content) = remote.filter(|_| emptied != 1) {
                    model.remote.insert(path.clone(), content);
                }
                if etag_known {
                    model.etag_known.insert(path);
                }
            }
            // A file both sides agreed on, renamed here to a new path.
            if let Some((from, to, content)) = rename.filter(|&(from, to, _)| from != to && emptied > 1) {
                let (from, to) = (PATHS[from].to_owned(), PATHS[to].to_owned());
                let on_disk = OnDisk { content, mtime_ns: 1 };
                model.local.remove(&from);
                model.remote.insert(from.clone(), content);
                model.index.insert(from, Model::synced(on_disk));
                model.remote.remove(&to);
                model.index.remove(&to);
                model.local.insert(to, on_disk);
            }
            model
        },
    )
}

fn modes() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Backup), Just(Mode::Mirror), Just(Mode::TwoWay)]
}

fn plan_options(mode: impl Strategy<Value = Mode>) -> impl Strategy<Value = PlanOptions> {
    let share = prop_oneof![Just(0.0), Just(0.3), Just(0.5), Just(1.0)];
    (mode, share, 0..6_u64, any::<bool>()).prop_map(|(mode, max_share, max_count, deletions_approved)| PlanOptions {
        mode,
        safety: SafetyStop { max_share, max_count },
        deletions_approved,
        now_label: NOW.to_owned(),
    })
}

proptest! {
    #[test]
    fn backup_and_mirror_never_touch_a_local_file(
        mut model in worlds(),
        options in plan_options(prop_oneof![Just(Mode::Backup), Just(Mode::Mirror)]),
    ) {
        let plan = model.plan(&options);
        for action in &plan.actions {
            let touches_local = matches!(action, Action::Download { .. } | Action::TrashLocal { .. });
            prop_assert!(!touches_local, "{action:?}");
        }
        let before = model.local.clone();
        model.apply_plan(&plan, options.mode)?;
        prop_assert_eq!(model.local, before);
    }

    #[test]
    fn a_second_pass_after_an_applied_one_has_nothing_to_do(
        mut model in worlds(),
        options in plan_options(modes()),
    ) {
        let options = PlanOptions { deletions_approved: true, ..options };
        let first = model.plan(&options);
        model.apply_plan(&first, options.mode)?;
        prop_assert_eq!(model.plan(&options), Plan::default(), "after {:?}", first.actions);
    }

    #[test]
    fn no_deletion_on_a_side_whose_other_listing_is_empty_unless_approved(
        model in worlds(),
        options in plan_options(modes()),
    ) {
        let options = PlanOptions { deletions_approved: false, ..options };
        let plan = model.plan(&options);
        for action in &plan.actions {
            match action.deletion_side() {
                Some(Side::Remote) => prop_assert!(!model.local.is_empty(), "{action:?}"),
                Some(Side::Local) => prop_assert!(!model.remote.is_empty(), "{action:?}"),
                None => {}
            }
        }
    }

    /// A synced version may give way to the storage's newer one, as
    /// two-way means; any other local bytes survive somewhere.
    #[test]
    fn two_way_loses_no_local_content(
        model in worlds().prop_map(Model::keeping_the_mtime_promise),
        options in plan_options(Just(Mode::TwoWay)),
    ) {
        let plan = model.plan(&options);
        let mut after = model.clone();
        after.apply_plan(&plan, Mode::TwoWay)?;
        for (path, on_disk) in &model.local {
            let kept = after.local.values().any(|file| file.content == on_disk.content)
                || after.remote.values().any(|&content| content == on_disk.content)
                || after.trash.contains(&on_disk.content);
            let was_synced = model.index.get(path).is_some_and(|entry| entry.etag == etag_of(on_disk.content));
            let superseded = was_synced && plan.actions.iter().any(|action| {
                matches!(action, Action::Download { path: replaced, replaces: Some(_) } if replaced == path)
            });
            prop_assert!(kept || superseded, "{path}: {on_disk:?} lost by {:?}", plan.actions);
        }
    }

    /// The ETags [`paths_needing_etag`] asks for are enough to see the
    /// same bytes on both sides, so no conflict copy doubles a file.
    #[test]
    fn both_are_kept_only_when_the_bytes_differ(model in worlds(), options in plan_options(modes())) {
        for action in model.plan(&options).actions {
            if let Action::KeepBoth { path, .. } = &action {
                prop_assert_ne!(model.local[path].content, model.remote[path], "{:?}", action);
            }
        }
    }

    #[test]
    fn backup_never_trashes_in_the_storage(model in worlds(), options in plan_options(Just(Mode::Backup))) {
        let plan = model.plan(&options);
        let trashes_remote = |action: &Action| matches!(action, Action::TrashRemote { .. });
        prop_assert!(!plan.actions.iter().any(trashes_remote), "{:?}", plan.actions);
    }

    #[test]
    fn holding_deletions_keeps_every_other_action(model in worlds(), options in plan_options(modes())) {
        let held = model.plan(&PlanOptions { deletions_approved: false, ..options.clone() });
        let approved = model.plan(&PlanOptions { deletions_approved: true, ..options });
        let not_deleting = |plan: &Plan| -> Vec<Action> {
            plan.actions.iter().filter(|action| action.deletion_side().is_none()).cloned().collect()
        };
        prop_assert_eq!(not_deleting(&held), not_deleting(&approved));
    }
}
