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

mod properties;
