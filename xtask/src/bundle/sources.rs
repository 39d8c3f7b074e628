//! The Debian mirror, read from the host's apt configuration at run time so
//! that no mirror's name is written into the project.

use std::path::Path;

use anyhow::{Result, bail};

/// The Debian release the .deb is checked against.
pub const SUITE: &str = "bookworm";

/// Overrides the mirror on hosts whose apt does not use a bookworm one.
const MIRROR_ENV: &str = "QOIMA_DEBIAN_MIRROR";

/// One `deb` source: a URI with its suites and components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub uri: String,
    pub suites: Vec<String>,
    pub components: Vec<String>,
}

/// Where the clean system comes from: the mirror debootstrap reads, and the
/// sources its apt uses afterwards (the host's bookworm ones, with updates
/// and security when the host has them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub debootstrap_uri: String,
    pub sources: Vec<Source>,
}

impl Mirror {
    /// The chroot's `/etc/apt/sources.list`, one line per suite.
    pub fn sources_list(&self) -> String {
        let mut out = String::new();
        for source in &self.sources {
            for suite in &source.suites {
                out.push_str(&format!("deb {} {suite} {}\n", source.uri, source.components.join(" ")));
            }
        }
        out
    }
}

/// Reads the host's apt sources (`sources.list`, `sources.list.d/*.list` and
/// `*.sources`) and picks the bookworm mirror, or takes `$QOIMA_DEBIAN_MIRROR`.
pub fn host_mirror() -> Result<Mirror> {
    if let Some(uri) = std::env::var_os(MIRROR_ENV).and_then(|v| v.into_string().ok()).filter(|v| !v.is_empty()) {
        let source = Source { uri: uri.clone(), suites: vec![SUITE.into()], components: vec!["main".into()] };
        return Ok(Mirror { debootstrap_uri: uri, sources: vec![source] });
    }
    let etc = Path::new("/etc/apt");
    let mut sources = Vec::new();
    if let Ok(text) = std::fs::read_to_string(etc.join("sources.list")) {
        sources.extend(parse_one_line(&text));
    }
    let mut files: Vec<_> = std::fs::read_dir(etc.join("sources.list.d"))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        match file.extension().and_then(|e| e.to_str()) {
            Some("list") => sources.extend(parse_one_line(&text)),
            Some("sources") => sources.extend(parse_deb822(&text)),
            _ => {}
        }
    }
    match pick_mirror(&sources) {
        Some(mirror) => Ok(mirror),
        None => bail!("the host's apt sources name no {SUITE} mirror; set {MIRROR_ENV} to the URL of a Debian mirror"),
    }
}

/// The `deb` entries of a deb822 `.sources` file (stanzas separated by blank
/// lines; `Enabled: no` stanzas and `deb-src` skipped).
pub fn parse_deb822(text: &str) -> Vec<Source> {
    let mut out = Vec::new();
    for stanza in text.split("\n\n") {
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in stanza.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            // A line starting with space continues the field before it.
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                continue;
            }
            if let Some((key, value)) = line.split_once(':') {
                fields.push((key.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let field = |name: &str| -> Vec<String> {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let enabled = field("enabled").first().is_none_or(|v| !v.eq_ignore_ascii_case("no"));
        if !enabled || !field("types").iter().any(|t| t == "deb") {
            continue;
        }
        let (suites, components) = (field("suites"), field("components"));
        for uri in field("uris") {
            out.push(Source { uri, suites: suites.clone(), components: components.clone() });
        }
    }
    out
}

/// The `deb` lines of a one-line-style `sources.list`
/// (`deb [options] URI SUITE COMPONENT…`).
pub fn parse_one_line(text: &str) -> Vec<Source> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let Some(rest) = line.strip_prefix("deb ").or_else(|| line.strip_prefix("deb\t")) else {
            continue;
        };
        let rest = rest.trim_start();
        let rest = match rest.strip_prefix('[') {
            Some(options) => options.split_once(']').map_or("", |(_, after)| after),
            None => rest,
        };
        let mut words = rest.split_whitespace();
        let (Some(uri), Some(suite)) = (words.next(), words.next()) else {
            continue;
        };
        out.push(Source {
            uri: uri.into(),
            suites: vec![suite.into()],
            components: words.map(str::to_owned).collect(),
        });
    }
    out
}

/// The first source carrying the bookworm suite itself is the mirror
/// debootstrap reads; every source whose suites are all bookworm ones
/// (`bookworm`, `bookworm-updates`, `bookworm-security`) goes to the chroot,
/// with only its `main` component, as that is all a clean system has.
pub fn pick_mirror(sources: &[Source]) -> Option<Mirror> {
    let is_ours = |suite: &str| suite == SUITE || suite.strip_prefix(SUITE).is_some_and(|rest| rest.starts_with('-'));
    let debootstrap_uri = sources.iter().find(|s| s.suites.iter().any(|suite| suite == SUITE))?.uri.clone();
    let mut picked: Vec<Source> = Vec::new();
    for source in sources.iter().filter(|s| !s.suites.is_empty() && s.suites.iter().all(|x| is_ours(x))) {
        if !source.components.iter().any(|c| c == "main") {
            continue;
        }
        let entry = Source { uri: source.uri.clone(), suites: source.suites.clone(), components: vec!["main".into()] };
        if !picked.contains(&entry) {
            picked.push(entry);
        }
    }
    Some(Mirror { debootstrap_uri, sources: picked })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made-up mirror names: the tests never name a real registry.
    const DEB822: &str = "\
Types: deb
# a comment about the snapshot this mirrors
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 -----END PGP PUBLIC KEY BLOCK-----

Types: deb-src
URIs: http://sources-only.example/debian
Suites: bookworm
Components: main

Enabled: no
Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Components: main
";

    fn source(uri: &str, suites: &[&str], components: &[&str]) -> Source {
        Source {
            uri: uri.into(),
            suites: suites.iter().map(|s| s.to_string()).collect(),
            components: components.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn deb822_stanzas() {
        assert_eq!(
            parse_deb822(DEB822),
            vec![
                source("http://mirror.example/debian", &["bookworm", "bookworm-updates"], &["main", "contrib"]),
                source("http://mirror.example/debian-security", &["bookworm-security"], &["main"]),
            ]
        );
    }

    #[test]
    fn deb822_with_several_uris() {
        let text =
            "Types: deb\nURIs: http://a.example/debian http://b.example/debian\nSuites: bookworm\nComponents: main\n";
        let parsed = parse_deb822(text);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].uri, "http://b.example/debian");
    }

    #[test]
    fn one_line_sources() {
        let text = "\
# deb http://commented.example/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main non-free-firmware
deb-src http://mirror.example/debian bookworm main
deb http://mirror.example/debian-security bookworm-security main # trailing
deb http://third-party.example/apt stable main
";
        assert_eq!(
            parse_one_line(text),
            vec![
                source("http://mirror.example/debian", &["bookworm"], &["main", "non-free-firmware"]),
                source("http://mirror.example/debian-security", &["bookworm-security"], &["main"]),
                source("http://third-party.example/apt", &["stable"], &["main"]),
            ]
        );
    }

    #[test]
    fn picks_the_bookworm_mirror_and_its_companions() {
        let mut sources = vec![source("http://third-party.example/apt", &["stable"], &["main"])];
        sources.extend(parse_deb822(DEB822));
        let mirror = pick_mirror(&sources).unwrap();
        assert_eq!(mirror.debootstrap_uri, "http://mirror.example/debian");
        assert_eq!(
            mirror.sources_list(),
            "deb http://mirror.example/debian bookworm main\n\
             deb http://mirror.example/debian bookworm-updates main\n\
             deb http://mirror.example/debian-security bookworm-security main\n"
        );
    }

    #[test]
    fn no_bookworm_no_mirror() {
        assert_eq!(pick_mirror(&[source("http://ubuntu.example/ubuntu", &["noble"], &["main"])]), None);
        assert_eq!(pick_mirror(&[source("http://x.example/debian", &["bookwormish"], &["main"])]), None);
        assert_eq!(pick_mirror(&[]), None);
    }
}
