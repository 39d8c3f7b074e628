use super::*;
use proptest::prelude::*;

const NOW: &str = "2026-11-25 0412";
const ALL_MODES: [Mode; 3] = [Mode::Backup, Mode::Mirror, Mode::TwoWay];
const NOT_TWO_WAY: [Mode; 2] = [Mode::Backup, Mode::Mirror];
const TWO_WAY: [Mode; 1] = [Mode::TwoWay];
const DELETING: [Mode; 2] = [Mode::Mirror, Mode::TwoWay];

fn local(size: u64, mtime_ns: i64, etag: Option<&str>) -> LocalFile {
    LocalFile { size, mtime_ns, etag: etag.map(str::to_owned) }
}

fn remote(size: u64, etag: &str) -> RemoteFile {
    RemoteFile { size, etag: etag.to_owned() }
}

fn synced(size: u64, mtime_ns: i64, etag: &str) -> Synced {
    Synced { size, mtime_ns, etag: etag.to_owned() }
}

/// Deletions that never reach the safety stop, so a test sees one rule.
fn options(mode: Mode) -> PlanOptions {
    PlanOptions {
        mode,
        safety: SafetyStop { max_share: 1.0, max_count: 1000 },
        deletions_approved: false,
        now_label: NOW.to_owned(),
    }
}

#[derive(Default)]
struct World {
    local: BTreeMap<RelPath, LocalFile>,
    remote: BTreeMap<RelPath, RemoteFile>,
    index: BTreeMap<RelPath, Synced>,
}

impl World {
    fn local(mut self, path: &str, file: LocalFile) -> Self {
        self.local.insert(path.to_owned(), file);
        self
    }

    fn remote(mut self, path: &str, file: RemoteFile) -> Self {
        self.remote.insert(path.to_owned(), file);
        self
    }

    fn index(mut self, path: &str, entry: Synced) -> Self {
        self.index.insert(path.to_owned(), entry);
        self
    }

    /// A path both sides and the index agree on.
    fn agreed(self, path: &str, size: u64, etag: &str) -> Self {
        self.local(path, local(size, 1, None)).remote(path, remote(size, etag)).index(path, synced(size, 1, etag))
    }

    fn listings(&self) -> Listings<'_> {
        Listings { local: &self.local, remote: &self.remote, index: &self.index }
    }

    fn plan(&self, options: &PlanOptions) -> Plan {
        plan(&self.listings(), options)
    }
}

mod rules {
    use super::*;

    const F: &str = "f.txt";
    const CONFLICT: &str = "f (conflict 2026-11-25 0412).txt";

    struct Row {
        rule: &'static str,
        modes: &'static [Mode],
        local: Option<LocalFile>,
        remote: Option<RemoteFile>,
        expected: Option<Action>,
    }

    /// Plans the one path `F` with the deletions approved, beside an agreed
    /// path that keeps both listings non-empty.
    fn plan_one(mode: Mode, row: &Row, index: Option<Synced>) -> Vec<Action> {
        let mut world = World::default().agreed("other", 9, "O");
        world.local.extend(row.local.clone().map(|file| (F.to_owned(), file)));
        world.remote.extend(row.remote.clone().map(|file| (F.to_owned(), file)));
        world.index.extend(index.map(|entry| (F.to_owned(), entry)));
        let options = PlanOptions { deletions_approved: true, ..options(mode) };
        let plan = world.plan(&options);
        assert!(plan.held.is_empty());
        plan.actions
    }

    fn check(rows: &[Row], index: Option<Synced>) {
        for row in rows {
            for &mode in row.modes {
                let expected: Vec<Action> = row.expected.clone().into_iter().collect();
                assert_eq!(plan_one(mode, row, index.clone()), expected, "{} in {mode:?}", row.rule);
            }
        }
    }

    fn upload(replaces: Option<&str>) -> Option<Action> {
        Some(Action::Upload { path: F.into(), replaces: replaces.map(str::to_owned) })
    }

    fn download(replaces: Option<(u64, i64)>) -> Option<Action> {
        Some(Action::Download { path: F.into(), replaces })
    }

    fn keep_both(remote_etag: &str) -> Option<Action> {
        Some(Action::KeepBoth { path: F.into(), conflict: CONFLICT.into(), remote_etag: remote_etag.into() })
    }

    fn record(size: u64, mtime_ns: i64, etag: &str) -> Option<Action> {
        Some(Action::Record { path: F.into(), synced: synced(size, mtime_ns, etag) })
    }

    fn trash_local() -> Option<Action> {
        Some(Action::TrashLocal { path: F.into() })
    }

    fn trash_remote(etag: &str) -> Option<Action> {
        Some(Action::TrashRemote { path: F.into(), etag: etag.into() })
    }

    fn forget() -> Option<Action> {
        Some(Action::Forget { path: F.into() })
    }

    #[test]
    fn with_an_index_entry_each_row_gives_its_action() {
        // Agreed on 3 bytes "A" at mtime 100; the storage may since hold "C".
        let unchanged = || Some(local(3, 100, None));
        let touched = || Some(local(3, 200, Some("A")));
        let edited = || Some(local(4, 200, Some("B")));
        let unread_edit = || Some(local(4, 200, None));
        let edited_like_remote = || Some(local(5, 200, Some("C")));
        let remote_same = || Some(remote(3, "A"));
        let remote_edited = || Some(remote(5, "C"));
        let row = |rule, modes, local, remote, expected| Row { rule, modes, local, remote, expected };
        let rows = [
            row("nothing moved", &ALL_MODES, unchanged(), remote_same(), None),
            row("same size and mtime trust the index", &ALL_MODES, Some(local(3, 100, Some("Z"))), remote_same(), None),
            row("a touch only records the mtime", &ALL_MODES, touched(), remote_same(), record(3, 200, "A")),
            row("a local edit goes up", &ALL_MODES, edited(), remote_same(), upload(Some("A"))),
            row("an unread local edit goes up", &ALL_MODES, unread_edit(), remote_same(), upload(Some("A"))),
            row("a remote edit comes down", &TWO_WAY, unchanged(), remote_edited(), download(Some((3, 100)))),
            row("a remote edit beats a touch", &TWO_WAY, touched(), remote_edited(), download(Some((3, 200)))),
            row("a remote edit stays remote", &NOT_TWO_WAY, unchanged(), remote_edited(), None),
            row("a touch and a remote edit stay", &NOT_TWO_WAY, touched(), remote_edited(), None),
            row("the same edit on both sides", &ALL_MODES, edited_like_remote(), remote_edited(), record(5, 200, "C")),
            row("different edits keep both", &ALL_MODES, edited(), remote_edited(), keep_both("C")),
            row("an unread edit meets a remote edit", &ALL_MODES, unread_edit(), remote_edited(), keep_both("C")),
            row("deleted in the storage, unchanged here", &TWO_WAY, unchanged(), None, trash_local()),
            row("deleted in the storage, touched here", &TWO_WAY, touched(), None, trash_local()),
            row("deleted in the storage, edited here", &TWO_WAY, edited(), None, upload(None)),
            row("a backup puts back what the storage lost", &NOT_TWO_WAY, unchanged(), None, upload(None)),
            row("a backup puts back an edit the storage lost", &NOT_TWO_WAY, edited(), None, upload(None)),
            row("a backup keeps what was deleted here", &[Mode::Backup], None, remote_same(), forget()),
            row("a backup keeps an edit of what was deleted here", &[Mode::Backup], None, remote_edited(), forget()),
            row("a local deletion goes to the storage's trash", &DELETING, None, remote_same(), trash_remote("A")),
            row("a mirror never deletes another's edit", &[Mode::Mirror], None, remote_edited(), forget()),
            row("two-way brings back another's edit", &TWO_WAY, None, remote_edited(), download(None)),
            row("gone from both sides", &ALL_MODES, None, None, forget()),
        ];
        check(&rows, Some(synced(3, 100, "A")));
    }

    #[test]
    fn without_an_index_entry_each_row_gives_its_action() {
        let bytes_c = || Some(local(5, 200, Some("C")));
        let bytes_b = || Some(local(5, 200, Some("B")));
        let unread = || Some(local(4, 200, None));
        let object_c = || Some(remote(5, "C"));
        let row = |rule, modes, local, remote, expected| Row { rule, modes, local, remote, expected };
        let rows = [
            row("the same bytes on both sides", &ALL_MODES, bytes_c(), object_c(), record(5, 200, "C")),
            row("different bytes keep both", &ALL_MODES, bytes_b(), object_c(), keep_both("C")),
            row("unread bytes keep both", &ALL_MODES, unread(), object_c(), keep_both("C")),
            row("a new local file goes up", &ALL_MODES, unread(), None, upload(None)),
            row("a new object comes down", &TWO_WAY, None, object_c(), download(None)),
            row("a new object stays remote", &NOT_TWO_WAY, None, object_c(), None),
        ];
        check(&rows, None);
    }
}

mod conflict_names {
    use super::*;

    fn name(path: &str) -> RelPath {
        conflict_name(path, NOW, |_| false)
    }

    #[test]
    fn the_label_goes_before_the_last_extension() {
        assert_eq!(name("notes.txt"), "notes (conflict 2026-11-25 0412).txt");
        assert_eq!(name("archive.tar.gz"), "archive.tar (conflict 2026-11-25 0412).gz");
    }

    #[test]
    fn names_without_an_extension_end_with_the_label() {
        assert_eq!(name("README"), "README (conflict 2026-11-25 0412)");
        assert_eq!(name(".bashrc"), ".bashrc (conflict 2026-11-25 0412)");
        assert_eq!(name("home/.bashrc"), "home/.bashrc (conflict 2026-11-25 0412)");
    }

    #[test]
    fn the_folder_stays_and_its_dots_are_not_an_extension() {
        assert_eq!(name("docs/2026/notes.txt"), "docs/2026/notes (conflict 2026-11-25 0412).txt");
        assert_eq!(name("v1.2/readme"), "v1.2/readme (conflict 2026-11-25 0412)");
    }

    #[test]
    fn a_taken_name_gets_the_next_number_inside_the_parentheses() {
        let taken = ["a (conflict 2026-11-25 0412).txt", "a (conflict 2026-11-25 0412 2).txt"];
        assert_eq!(
            conflict_name("a.txt", NOW, |candidate| taken.contains(&candidate)),
            "a (conflict 2026-11-25 0412 3).txt"
        );
    }

    #[test]
    fn the_plan_avoids_names_in_any_listing() {
        let base = "a (conflict 2026-11-25 0412).txt";
        let second = "a (conflict 2026-11-25 0412 2).txt";
        let third = "a (conflict 2026-11-25 0412 3).txt";
        let world = World::default()
            .local("a.txt", local(1, 1, Some("L")))
            .remote("a.txt", remote(1, "R"))
            .local(base, local(1, 1, None))
            .remote(second, remote(1, "X"))
            .index(third, synced(1, 1, "Y"));
        let plan = world.plan(&options(Mode::Backup));
        assert!(plan.actions.contains(&Action::KeepBoth {
            path: "a.txt".into(),
            conflict: "a (conflict 2026-11-25 0412 4).txt".into(),
            remote_etag: "R".into(),
        }));
    }
}

mod renames {
    use super::*;

    /// `old.txt` was agreed as "E" and vanished here; `new.txt` appeared
    /// with the same bytes.
    fn renamed() -> World {
        World::default()
            .agreed("keep", 9, "K")
            .remote("old.txt", remote(7, "E"))
            .index("old.txt", synced(7, 1, "E"))
            .local("new.txt", local(7, 50, Some("E")))
    }

    fn copy(from: &str, to: &str) -> Action {
        Action::Copy { from: from.into(), to: to.into(), etag: "E".into() }
    }

    #[test]
    fn a_backup_copies_and_keeps_the_old_key() {
        let plan = renamed().plan(&options(Mode::Backup));
        assert_eq!(plan.actions, [copy("old.txt", "new.txt"), Action::Forget { path: "old.txt".into() }]);
    }

    #[test]
    fn mirror_and_two_way_copy_then_trash_the_old_key() {
        for mode in [Mode::Mirror, Mode::TwoWay] {
            let plan = renamed().plan(&options(mode));
            assert_eq!(
                plan.actions,
                [copy("old.txt", "new.txt"), Action::TrashRemote { path: "old.txt".into(), etag: "E".into() }],
                "{mode:?}"
            );
        }
    }

    #[test]
    fn the_copy_comes_before_the_deletion_whichever_path_sorts_first() {
        let world = World::default()
            .agreed("keep", 9, "K")
            .remote("z.txt", remote(7, "E"))
            .index("z.txt", synced(7, 1, "E"))
            .local("a.txt", local(7, 50, Some("E")));
        let plan = world.plan(&options(Mode::Mirror));
        assert_eq!(
            plan.actions,
            [copy("z.txt", "a.txt"), Action::TrashRemote { path: "z.txt".into(), etag: "E".into() }]
        );
    }

    #[test]
    fn no_rename_when_the_storage_changed_the_old_key() {
        let world = renamed().remote("old.txt", remote(7, "F"));
        let plan = world.plan(&options(Mode::Mirror));
        assert_eq!(
            plan.actions,
            [Action::Upload { path: "new.txt".into(), replaces: None }, Action::Forget { path: "old.txt".into() }]
        );
    }

    #[test]
    fn no_rename_without_the_etag_or_with_another_size() {
        for new_file in [local(7, 50, None), local(8, 50, Some("E"))] {
            let plan = renamed().local("new.txt", new_file).plan(&options(Mode::Backup));
            assert_eq!(plan.actions[0], Action::Upload { path: "new.txt".into(), replaces: None });
        }
    }

    #[test]
    fn a_copy_whose_original_stays_is_an_upload() {
        let world = renamed().local("old.txt", local(7, 1, None));
        let plan = world.plan(&options(Mode::Mirror));
        assert_eq!(plan.actions, [Action::Upload { path: "new.txt".into(), replaces: None }]);
    }

    #[test]
    fn each_old_key_serves_one_new_path_in_path_order() {
        let one_source = renamed().local("another.txt", local(7, 50, Some("E")));
        assert_eq!(
            one_source.plan(&options(Mode::Backup)).actions[..2],
            [copy("old.txt", "another.txt"), Action::Upload { path: "new.txt".into(), replaces: None }]
        );
        let two_sources = one_source.remote("older.txt", remote(7, "E")).index("older.txt", synced(7, 1, "E"));
        assert_eq!(
            two_sources.plan(&options(Mode::Backup)).actions[..2],
            [copy("old.txt", "another.txt"), copy("older.txt", "new.txt")]
        );
    }

    #[test]
    fn a_held_deletion_of_the_old_key_keeps_the_copy() {
        let world = renamed().index("keep", synced(9, 1, "K"));
        let strict = PlanOptions { safety: SafetyStop { max_share: 1.0, max_count: 0 }, ..options(Mode::Mirror) };
        let plan = world.plan(&strict);
        assert_eq!(plan.actions, [copy("old.txt", "new.txt")]);
        assert_eq!(plan.held, [Held { side: Side::Remote, count: 1, of: 2, reason: HoldReason::TooMany }]);
    }
}

mod safety_stop {
    use super::*;

    /// `count` paths deleted here (so trashed in the storage) and `kept`
    /// paths agreed, in a mirror.
    fn deleted_here(count: usize, kept: usize) -> World {
        let mut world = World::default();
        for n in 0..count {
            world = world.remote(&format!("gone{n}"), remote(1, "G")).index(&format!("gone{n}"), synced(1, 1, "G"));
        }
        for n in 0..kept {
            world = world.agreed(&format!("kept{n}"), 1, "K");
        }
        world
    }

    fn with_safety(max_share: f64, max_count: u64) -> PlanOptions {
        PlanOptions { safety: SafetyStop { max_share, max_count }, ..options(Mode::Mirror) }
    }

    fn trashed(plan: &Plan) -> usize {
        plan.actions.iter().filter(|action| action.deletion_side() == Some(Side::Remote)).count()
    }

    #[test]
    fn up_to_max_count_passes_and_one_more_is_held() {
        let at_limit = deleted_here(4, 10).plan(&with_safety(1.0, 4));
        assert_eq!((trashed(&at_limit), at_limit.held.len()), (4, 0));
        let over = deleted_here(5, 10).plan(&with_safety(1.0, 4));
        assert_eq!(trashed(&over), 0);
        assert_eq!(over.held, [Held { side: Side::Remote, count: 5, of: 15, reason: HoldReason::TooMany }]);
    }

    #[test]
    fn one_or_two_deletions_never_ask_whatever_their_share() {
        for count in [1, 2] {
            let plan = deleted_here(count, 0).local("new", local(1, 1, None)).plan(&with_safety(0.0, 100));
            assert_eq!((trashed(&plan), plan.held.len()), (count, 0));
        }
    }

    #[test]
    fn three_deletions_are_held_only_above_the_share() {
        let half = deleted_here(3, 3).plan(&with_safety(0.5, 100));
        assert_eq!((trashed(&half), half.held.len()), (3, 0));
        let over_half = deleted_here(3, 2).plan(&with_safety(0.5, 100));
        assert_eq!(trashed(&over_half), 0);
        assert_eq!(over_half.held, [Held { side: Side::Remote, count: 3, of: 5, reason: HoldReason::TooMany }]);
    }

    #[test]
    fn an_empty_local_listing_holds_every_remote_deletion() {
        let world = deleted_here(1, 0).remote("theirs", remote(1, "T")).index("theirs", synced(1, 1, "S"));
        let plan = world.plan(&options(Mode::TwoWay));
        assert_eq!(plan.actions, [Action::Download { path: "theirs".into(), replaces: None }]);
        assert_eq!(plan.held, [Held { side: Side::Remote, count: 1, of: 2, reason: HoldReason::OtherSideEmpty }]);
    }

    #[test]
    fn an_empty_remote_listing_holds_every_local_deletion() {
        let world = World::default()
            .local("synced", local(1, 1, None))
            .index("synced", synced(1, 1, "S"))
            .local("new", local(2, 2, None));
        let plan = world.plan(&options(Mode::TwoWay));
        assert_eq!(plan.actions, [Action::Upload { path: "new".into(), replaces: None }]);
        assert_eq!(plan.held, [Held { side: Side::Local, count: 1, of: 1, reason: HoldReason::OtherSideEmpty }]);
    }

    #[test]
    fn approval_lifts_both_holds() {
        let approved = PlanOptions { deletions_approved: true, ..with_safety(0.0, 0) };
        let plan = deleted_here(5, 1).plan(&approved);
        assert_eq!((trashed(&plan), plan.held.len()), (5, 0));
        let emptied_here = deleted_here(5, 0).plan(&approved);
        assert_eq!((trashed(&emptied_here), emptied_here.held.len()), (5, 0));
    }

    #[test]
    fn each_side_is_judged_alone() {
        let mut world = deleted_here(3, 3);
        world = world.local("theirs-gone", local(1, 1, None)).index("theirs-gone", synced(1, 1, "X"));
        let plan = world.plan(&PlanOptions { mode: Mode::TwoWay, ..with_safety(1.0, 2) });
        assert_eq!(plan.actions, [Action::TrashLocal { path: "theirs-gone".into() }]);
        assert_eq!(plan.held, [Held { side: Side::Remote, count: 3, of: 7, reason: HoldReason::TooMany }]);
    }
}

mod etag_reads {
    use super::*;

    fn needing(world: &World) -> Vec<RelPath> {
        paths_needing_etag(&world.listings())
    }

    #[test]
    fn a_new_file_beside_an_object_of_its_size_is_read() {
        let same_size = World::default().local("a", local(5, 1, None)).remote("a", remote(5, "R"));
        assert_eq!(needing(&same_size), ["a"]);
        let other_size = World::default().local("a", local(4, 1, None)).remote("a", remote(5, "R"));
        assert!(needing(&other_size).is_empty());
    }

    #[test]
    fn a_new_file_of_a_rename_source_size_is_read() {
        let source = World::default().remote("old", remote(7, "E")).index("old", synced(7, 1, "E"));
        assert_eq!(needing(&source.local("new", local(7, 2, None))), ["new"]);
        let source = World::default().remote("old", remote(7, "E")).index("old", synced(7, 1, "E"));
        assert!(needing(&source.local("new", local(6, 2, None))).is_empty());
    }

    #[test]
    fn a_vanished_file_whose_object_changed_is_no_rename_source() {
        let changed = World::default()
            .remote("old", remote(7, "F"))
            .index("old", synced(7, 1, "E"))
            .local("new", local(7, 2, None));
        assert!(needing(&changed).is_empty());
    }

    #[test]
    fn a_same_size_file_with_a_new_mtime_is_read() {
        let base = || World::default().remote("a", remote(5, "A")).index("a", synced(5, 1, "A"));
        assert_eq!(needing(&base().local("a", local(5, 2, None))), ["a"]);
        assert!(needing(&base().local("a", local(5, 1, None))).is_empty());
        assert!(needing(&base().local("a", local(6, 2, None))).is_empty());
    }

    #[test]
    fn a_local_edit_the_size_of_a_remote_edit_is_read() {
        let base = || World::default().remote("a", remote(8, "B")).index("a", synced(5, 1, "A"));
        assert_eq!(needing(&base().local("a", local(8, 2, None))), ["a"]);
        assert!(needing(&base().local("a", local(9, 2, None))).is_empty());
        // An unchanged file is replaced or left, whatever its bytes.
        assert!(needing(&base().local("a", local(5, 1, None))).is_empty());
    }
}

/// Random small worlds, a pass applied to them the way the executor would,
/// and what must hold for any of them.
mod properties {
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
                for (path, (local, remote, index, etag_known)) in PATHS.iter().map(|path| path.to_string()).zip(states)
                {
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
        (mode, share, 0..6_u64, any::<bool>()).prop_map(|(mode, max_share, max_count, deletions_approved)| {
            PlanOptions {
                mode,
                safety: SafetyStop { max_share, max_count },
                deletions_approved,
                now_label: NOW.to_owned(),
            }
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
}
