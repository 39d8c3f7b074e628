//! The shared libraries of the binary as `ldd` resolves them, and the
//! packages that own them as `dpkg -S` tells.

use std::collections::BTreeMap;

/// One library `ldd` lists: its name and where it resolved to (`None` for
/// "not found").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lib {
    pub name: String,
    pub path: Option<String>,
}

/// Parses `ldd` output. The vDSO, which the kernel supplies and no file
/// backs, is left out.
pub fn parse_ldd(text: &str) -> Vec<Lib> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            // Drop the load address at the end: "(0x00007f…)".
            let line = match line.rfind(" (0x") {
                Some(at) => &line[..at],
                None => line,
            };
            match line.split_once("=>") {
                Some((name, target)) => {
                    let target = target.trim();
                    let path = (target != "not found" && !target.is_empty()).then(|| target.to_owned());
                    Some(Lib { name: name.trim().to_owned(), path })
                }
                None if line.starts_with('/') => Some(Lib { name: line.to_owned(), path: Some(line.to_owned()) }),
                None => None,
            }
        })
        .collect()
}

/// The libraries `ldd` could not resolve.
pub fn not_found(libs: &[Lib]) -> Vec<&str> {
    libs.iter().filter(|l| l.path.is_none()).map(|l| l.name.as_str()).collect()
}

/// The libraries an ELF file names itself: the `NEEDED` lines of `objdump -p`.
pub fn parse_needed(objdump: &str) -> Vec<String> {
    objdump
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            (words.next()? == "NEEDED").then(|| words.next()).flatten().map(str::to_owned)
        })
        .collect()
}

/// Whether an ldd name stands for `soname`: the loader appears under its
/// full path (`/lib64/ld-linux-x86-64.so.2`), the rest by their soname.
pub fn is_soname(ldd_name: &str, soname: &str) -> bool {
    ldd_name == soname || ldd_name.rsplit('/').next() == Some(soname)
}

/// The same file under the other half of the merged /usr: dpkg records a
/// library under the path its package ships, which may be `/lib/…` while the
/// loader finds it as `/usr/lib/…`, or the other way round.
pub fn usr_merge_twin(path: &str) -> Option<String> {
    match path.strip_prefix("/usr") {
        Some(rest) if rest.starts_with("/lib") => Some(rest.to_owned()),
        _ if path.starts_with("/lib") => Some(format!("/usr{path}")),
        _ => None,
    }
}

/// Parses `dpkg -S PATH…` into the packages owning each path
/// (`libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6`; shared files list
/// several packages separated by commas). Diversion notes are skipped.
pub fn parse_dpkg_search(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut owners = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with("diversion by") || line.starts_with("local diversion") {
            continue;
        }
        let Some((packages, path)) = line.split_once(": ") else { continue };
        let packages: Vec<String> = packages
            .split(',')
            .map(|p| p.trim().split(':').next().unwrap_or("").to_owned())
            .filter(|p| !p.is_empty())
            .collect();
        owners.insert(path.trim().to_owned(), packages);
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;

    const LDD: &str = "\
\tlinux-vdso.so.1 (0x00007ffc6b1d4000)
\tlibwebkit2gtk-4.1.so.0 => /lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0 (0x00007f2a1c000000)
\tlibxdo.so.3 => not found
\tlibgtk-3.so.0 => /usr/lib/x86_64-linux-gnu/libgtk-3.so.0 (0x00007f2a1b800000)
\tlibayatana-appindicator3.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f2a1e2c4000)
";

    #[test]
    fn ldd_lines() {
        let libs = parse_ldd(LDD);
        assert_eq!(libs.len(), 5, "the vDSO is left out: {libs:?}");
        assert_eq!(
            libs[0],
            Lib {
                name: "libwebkit2gtk-4.1.so.0".into(),
                path: Some("/lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0".into())
            }
        );
        assert_eq!(libs[4].path.as_deref(), Some("/lib64/ld-linux-x86-64.so.2"));
        assert_eq!(not_found(&libs), vec!["libxdo.so.3", "libayatana-appindicator3.so.1"]);
    }

    #[test]
    fn ldd_with_everything_resolved() {
        let libs = parse_ldd("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0000000000)\n");
        assert!(not_found(&libs).is_empty());
        assert!(parse_ldd("\tstatically linked\n").is_empty());
    }

    #[test]
    fn needed_entries() {
        let objdump = "\
qoima:     file format elf64-x86-64

Dynamic Section:
  NEEDED               libwebkit2gtk-4.1.so.0
  NEEDED               libc.so.6
  NEEDED               ld-linux-x86-64.so.2
  SONAME               notneeded.so
  RUNPATH              /opt/NEEDED
";
        assert_eq!(parse_needed(objdump), vec!["libwebkit2gtk-4.1.so.0", "libc.so.6", "ld-linux-x86-64.so.2"]);
        assert!(parse_needed("").is_empty());
    }

    #[test]
    fn sonames_match_ldd_names() {
        assert!(is_soname("libc.so.6", "libc.so.6"));
        assert!(is_soname("/lib64/ld-linux-x86-64.so.2", "ld-linux-x86-64.so.2"));
        assert!(!is_soname("libc.so.6", "libc.so"));
    }

    #[test]
    fn usr_merge_twins() {
        assert_eq!(
            usr_merge_twin("/lib/x86_64-linux-gnu/libc.so.6").as_deref(),
            Some("/usr/lib/x86_64-linux-gnu/libc.so.6")
        );
        assert_eq!(
            usr_merge_twin("/usr/lib/x86_64-linux-gnu/libz.so.1").as_deref(),
            Some("/lib/x86_64-linux-gnu/libz.so.1")
        );
        assert_eq!(usr_merge_twin("/lib64/ld-linux-x86-64.so.2").as_deref(), Some("/usr/lib64/ld-linux-x86-64.so.2"));
        assert_eq!(usr_merge_twin("/opt/x/libx.so"), None);
        assert_eq!(usr_merge_twin("/usr/share/x"), None);
    }

    #[test]
    fn dpkg_search_lines() {
        let owners = parse_dpkg_search(
            "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6\n\
             diversion by foo from: /bin/x\n\
             libgl1:amd64, libgl1-mesa-dri:amd64: /usr/lib/x86_64-linux-gnu/libGL.so.1\n",
        );
        assert_eq!(owners["/lib/x86_64-linux-gnu/libc.so.6"], vec!["libc6"]);
        assert_eq!(owners["/usr/lib/x86_64-linux-gnu/libGL.so.1"], vec!["libgl1", "libgl1-mesa-dri"]);
        assert_eq!(owners.len(), 2);
    }
}
