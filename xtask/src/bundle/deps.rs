//! What a package's `Depends` accounts for: the installed packages reached
//! from it through the `Depends` and `Pre-Depends` of every package on the way.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::deb::{Alternatives, parse_depends};

/// The `dpkg-query -W` format that `parse_status` reads.
pub const STATUS_FORMAT: &str = "${Package}\t${db:Status-Abbrev}\t${Provides}\t${Depends}\t${Pre-Depends}\n";

/// An installed package and what it provides and needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub name: String,
    pub provides: Vec<String>,
    pub needs: Vec<Alternatives>,
}

/// Reads `dpkg-query -W -f STATUS_FORMAT`, keeping only packages that are
/// fully installed (`ii`): removed ones with left-over config files are not.
pub fn parse_status(text: &str) -> Vec<Installed> {
    text.lines()
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let (name, status) = (cols.next()?.trim(), cols.next()?.trim());
            if name.is_empty() || status != "ii" {
                return None;
            }
            let provides = parse_depends(cols.next().unwrap_or("")).into_iter().flatten().collect();
            let mut needs = parse_depends(cols.next().unwrap_or(""));
            needs.extend(parse_depends(cols.next().unwrap_or("")));
            Some(Installed { name: name.to_owned(), provides, needs })
        })
        .collect()
}

/// The names of the installed packages.
pub fn names(installed: &[Installed]) -> BTreeSet<String> {
    installed.iter().map(|p| p.name.clone()).collect()
}

/// `root` and every installed package its dependencies lead to. An entry
/// with alternatives (`a | b`) or a virtual name counts every installed
/// package that satisfies it: this is what the Depends allow apt to install.
pub fn closure(root: &str, installed: &[Installed]) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &Installed> = installed.iter().map(|p| (p.name.as_str(), p)).collect();
    let mut satisfiers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for package in installed {
        satisfiers.entry(&package.name).or_default().push(&package.name);
        for virtual_name in &package.provides {
            satisfiers.entry(virtual_name).or_default().push(&package.name);
        }
    }
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([root]);
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.to_owned()) {
            continue;
        }
        let Some(package) = by_name.get(name) else { continue };
        for alternatives in &package.needs {
            for alt in alternatives {
                queue.extend(satisfiers.get(alt.as_str()).into_iter().flatten().copied());
            }
        }
    }
    seen.retain(|name| by_name.contains_key(name.as_str()));
    seen
}

/// The entries of `needs` that no installed package satisfies.
pub fn unsatisfied(needs: &[Alternatives], installed: &[Installed]) -> Vec<String> {
    let present: BTreeSet<&str> = installed
        .iter()
        .flat_map(|p| std::iter::once(p.name.as_str()).chain(p.provides.iter().map(String::as_str)))
        .collect();
    needs
        .iter()
        .filter(|alts| !alts.iter().any(|a| present.contains(a.as_str())))
        .map(|alts| alts.join(" | "))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "\
qoima\tii \t\tlibwebkit2gtk-4.1-0 (>= 2.40), libgtk-3-0, libayatana-appindicator3-1\t
libwebkit2gtk-4.1-0\tii \t\tlibjavascriptcoregtk-4.1-0 (= 2.48), libc6 (>= 2.34)\t
libjavascriptcoregtk-4.1-0\tii \t\tlibc6\t
libgtk-3-0\tii \t\tlibgtk-3-common, default-dbus-session-bus | dbus-session-bus\t
libgtk-3-common\tii \t\t\t
dbus-user-session\tii \tdefault-dbus-session-bus, dbus-session-bus\tdbus\t
dbus\tii \t\t\t
libayatana-appindicator3-1\tii \t\tlibc6\t
libc6\tii \t\t\tlibgcc-s1
libgcc-s1\tii \t\t\t
apt\tii \t\tlibc6\t
old-thing\trc \t\t\t
";

    #[test]
    fn status_keeps_installed_packages() {
        let installed = parse_status(STATUS);
        assert_eq!(installed.len(), 11);
        assert!(!installed.iter().any(|p| p.name == "old-thing"));
        let dbus = installed.iter().find(|p| p.name == "dbus-user-session").unwrap();
        assert_eq!(dbus.provides, vec!["default-dbus-session-bus", "dbus-session-bus"]);
        let libc = installed.iter().find(|p| p.name == "libc6").unwrap();
        assert_eq!(libc.needs, vec![vec!["libgcc-s1".to_string()]], "Pre-Depends count too");
    }

    #[test]
    fn closure_follows_depends_virtuals_and_pre_depends() {
        let installed = parse_status(STATUS);
        let reached = closure("qoima", &installed);
        let expected: BTreeSet<String> = [
            "qoima",
            "libwebkit2gtk-4.1-0",
            "libjavascriptcoregtk-4.1-0",
            "libgtk-3-0",
            "libgtk-3-common",
            "dbus-user-session",
            "dbus",
            "libayatana-appindicator3-1",
            "libc6",
            "libgcc-s1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(reached, expected, "apt is not needed by qoima");
        assert!(closure("not-installed", &installed).is_empty());
    }

    #[test]
    fn unsatisfied_entries() {
        let installed = parse_status(STATUS);
        let needs = parse_depends("libc6, dbus-session-bus, libxdo3, libfoo | libgtk-3-0");
        assert_eq!(unsatisfied(&needs, &installed), vec!["libxdo3"]);
    }
}
