//! `cargo xtask bundle`: the release .deb from the Tauri bundler, checked in
//! a clean Debian 12 the way a customer would install it.
//!
//! The checks run in an order that keeps the test tools from hiding a
//! missing dependency: the .deb is installed and its libraries resolved
//! before Xvfb, D-Bus and imagemagick come in to start the app.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::proc;
use crate::report::{Counts, Report};
use crate::{install, ui};

mod chroot;
mod deb;
mod debootstrap;
mod deps;
mod ldd;
mod screen;
mod sources;

use chroot::Chroot;

/// What the host needs on top of the app's build dependencies.
const BUNDLE_APT: &[&str] = &["debootstrap"];

/// Where the package puts the app.
const INSTALLED_BIN: &str = "/usr/bin/qoima";

/// Libraries the app loads with dlopen, which ldd cannot see: the tray
/// (libappindicator-sys tries Ayatana's first, and Debian ships that one).
const DLOPENED: &[&str] = &["libayatana-appindicator3.so.1"];

/// The tools that start the app and take its picture, installed only after
/// the .deb has been checked on its own.
const TEST_TOOLS: &[&str] = &["xvfb", "dbus-daemon", "imagemagick"];

pub fn main() -> Result<i32> {
    let start = Instant::now();
    let out = crate::target_dir().join("bundle");
    let mut report = Report::default();

    let deb = report
        .step("apt packages", |note| {
            let all: Vec<&str> = install::RUN_APT.iter().chain(BUNDLE_APT).copied().collect();
            install::apt(&all, note)
        })
        .and_then(|_| report.step("npm packages (ui)", ui::install))
        .and_then(|_| report.step("build ui (npm run build)", ui::build))
        .and_then(|_| {
            report.step("build .deb (tauri build --bundles deb, release)", |note| {
                let deb = deb::build()?;
                let size = std::fs::metadata(&deb)?.len();
                *note = format!("{} ({:.1} MB)", deb.display(), size as f64 / 1e6);
                Ok(deb)
            })
        });
    match deb {
        Some(deb) => verify(&deb, &out, &mut report),
        None => report.fail("verify in Debian 12", "not run: the .deb was not built"),
    }
    report.print_summary(start.elapsed());
    Ok(if report.all_ok() { 0 } else { 1 })
}

/// Installs the .deb into a fresh bookworm and checks it there; every mount
/// is gone again when this returns.
fn verify(deb: &Path, out: &Path, report: &mut Report) {
    let Some(depends) = report.step("control file (dpkg-deb -f)", |note| {
        let depends = deb::control_field(deb, "Depends")?;
        println!("Package: {}", deb::control_field(deb, "Package")?);
        println!("Depends: {depends}");
        *note = format!("Depends: {depends}");
        Ok(deb::parse_depends(&depends))
    }) else {
        return;
    };
    let root = out.join("rootfs");
    let based = report.step("clean Debian 12 (debootstrap, or the cached base)", |note| {
        let mirror = sources::host_mirror()?;
        debootstrap::fresh_root(&root, &mirror, note)
    });
    let Some(chroot) = based.and_then(|_| report.step("mount /proc, /sys, /dev in it", |_| Chroot::enter(&root)))
    else {
        return;
    };
    let Some(pulled) =
        report.step("apt-get install ./qoima.deb (no recommends)", |note| install_deb(&chroot, deb, note))
    else {
        return;
    };
    let checks = [
        report.step("installed = what Depends leads to", |note| check_closure(&chroot, &depends, &pulled, note)),
        report.step("shared libraries (ldd in the chroot)", |note| check_libraries(&chroot, &depends, note)),
    ];
    let passed = checks.iter().filter(|c| c.is_some()).count() as u64;
    report.add_counts(Counts { passed, failed: checks.len() as u64 - passed });
    let tools = report.step("test tools in the chroot (apt-get install)", |note| {
        proc::run(chroot.apt_get(&["install", "--no-install-recommends"]).args(TEST_TOOLS))?;
        *note = TEST_TOOLS.join(" ");
        Ok(())
    });
    if tools.is_some() {
        let picture = out.join("first-screen.png");
        let shown = report.step("first screen under Xvfb in the chroot", |note| {
            let seen = screen::first_screen(&chroot, out, &picture)?;
            *note = format!(
                "drawn after {}, {} colours, {}",
                proc::fmt_duration(seen.after),
                seen.colours,
                picture.display()
            );
            Ok(())
        });
        report.add_counts(Counts { passed: u64::from(shown.is_some()), failed: u64::from(shown.is_none()) });
    }
}

/// `apt-get install ./qoima….deb` in the chroot, with recommends off so
/// that Depends alone must carry the app. Returns the packages it added.
fn install_deb(chroot: &Chroot, deb: &Path, note: &mut String) -> Result<BTreeSet<String>> {
    let name = deb.file_name().context("the .deb path has no file name")?.to_string_lossy().into_owned();
    std::fs::copy(deb, chroot.root().join("tmp").join(&name)).context("copying the .deb into the chroot")?;
    proc::run(&mut chroot.apt_get(&["update"]))?;
    let before = deps::names(&installed(chroot)?);
    proc::run(&mut chroot.apt_get(&["install", "--no-install-recommends", &format!("/tmp/{name}")]))?;
    let after = deps::names(&installed(chroot)?);
    let pulled: BTreeSet<String> = after.difference(&before).cloned().collect();
    if !pulled.contains("qoima") {
        bail!("apt-get finished but dpkg does not list qoima as installed");
    }
    *note = format!("{} packages added with it", pulled.len() - 1);
    Ok(pulled)
}

fn installed(chroot: &Chroot) -> Result<Vec<deps::Installed>> {
    let text = proc::output(chroot.command(&[], "dpkg-query").args(["-W", "-f", deps::STATUS_FORMAT]))?;
    Ok(deps::parse_status(&text))
}

/// Every package apt added is one the Depends lead to, and every Depends
/// entry is satisfied: nothing came in that the package did not ask for.
fn check_closure(
    chroot: &Chroot,
    depends: &[deb::Alternatives],
    pulled: &BTreeSet<String>,
    note: &mut String,
) -> Result<()> {
    let installed = installed(chroot)?;
    let missing = deps::unsatisfied(depends, &installed);
    if !missing.is_empty() {
        bail!("Depends not satisfied after the install: {}", missing.join(", "));
    }
    let reached = deps::closure("qoima", &installed);
    let unexplained: Vec<&String> = pulled.difference(&reached).collect();
    if !unexplained.is_empty() {
        bail!("apt installed packages the Depends do not lead to: {unexplained:?}");
    }
    *note = format!(
        "all {} packages added with qoima are reached from its Depends ({} packages in that closure)",
        pulled.len() - 1,
        reached.len()
    );
    Ok(())
}

/// `ldd /usr/bin/qoima` resolves every library, each from a package the
/// Depends lead to (not from one the base system happens to carry); each
/// library the binary names itself (its NEEDED entries) comes from a package
/// the Depends name directly, as dpkg-shlibdeps would have it; and the
/// libraries loaded at run time are there too.
fn check_libraries(chroot: &Chroot, depends: &[deb::Alternatives], note: &mut String) -> Result<()> {
    let text = proc::output(chroot.command(&[], "ldd").arg(INSTALLED_BIN))?;
    let libs = ldd::parse_ldd(&text);
    let missing = ldd::not_found(&libs);
    if !missing.is_empty() {
        bail!("ldd {INSTALLED_BIN}: not found: {}", missing.join(", "));
    }
    let mut paths: Vec<String> = libs.iter().filter_map(|l| l.path.clone()).collect();
    let cache = proc::output(chroot.command(&[], "ldconfig").arg("-p"))?;
    for soname in DLOPENED {
        let Some(path) = ldconfig_path(&cache, soname) else {
            bail!("{soname} (loaded at run time) is not installed");
        };
        paths.push(path);
    }
    let owners = owners(chroot, &paths)?;
    let owners_of = |path: &str| -> Vec<String> {
        ldd::usr_merge_twin(path)
            .into_iter()
            .chain([path.to_owned()])
            .find_map(|p| owners.get(&p).cloned())
            .unwrap_or_default()
    };
    let describe = |path: &str, owned_by: &[String]| {
        format!("{path} ({})", if owned_by.is_empty() { "no package".into() } else { owned_by.join(", ") })
    };

    let reached = deps::closure("qoima", &installed(chroot)?);
    let strays: Vec<String> = paths
        .iter()
        .map(|path| (path, owners_of(path)))
        .filter(|(_, owned_by)| !owned_by.iter().any(|p| reached.contains(p)))
        .map(|(path, owned_by)| describe(path, &owned_by))
        .collect();
    if !strays.is_empty() {
        bail!("libraries not from a package the Depends lead to: {}", strays.join("; "));
    }

    // The host's objdump reads the installed file: the chroot has no binutils.
    let binary = chroot.root().join(INSTALLED_BIN.trim_start_matches('/'));
    let needed = ldd::parse_needed(&proc::output(Command::new("objdump").arg("-p").arg(&binary))?);
    let declared: BTreeSet<&str> = depends.iter().flatten().map(String::as_str).collect();
    let mut undeclared = Vec::new();
    for soname in &needed {
        let Some(path) = libs.iter().find(|l| ldd::is_soname(&l.name, soname)).and_then(|l| l.path.as_deref()) else {
            bail!("{soname}, which the binary needs, is not in ldd's list");
        };
        let owned_by = owners_of(path);
        if !owned_by.iter().any(|p| declared.contains(p.as_str())) {
            undeclared.push(format!("{soname}: {}", describe(path, &owned_by)));
        }
    }
    if !undeclared.is_empty() {
        bail!("the binary links libraries of packages its Depends do not name: {}", undeclared.join("; "));
    }
    *note = format!(
        "{} libraries resolved, none \"not found\"; the {} it links directly are from named Depends; +{} loaded at run time",
        libs.len(),
        needed.len(),
        DLOPENED.len()
    );
    Ok(())
}

/// The packages owning `paths` (and their merged-/usr twins) per `dpkg -S`.
fn owners(chroot: &Chroot, paths: &[String]) -> Result<std::collections::BTreeMap<String, Vec<String>>> {
    let mut cmd = chroot.command(&[], "dpkg");
    cmd.arg("-S");
    for path in paths {
        cmd.arg(path);
        cmd.args(ldd::usr_merge_twin(path));
    }
    // dpkg -S exits 1 when some path has no owner (one of each twin pair
    // never has); what it found is on stdout either way.
    let out =
        cmd.stdin(std::process::Stdio::null()).output().with_context(|| format!("running {}", proc::describe(&cmd)))?;
    Ok(ldd::parse_dpkg_search(&String::from_utf8_lossy(&out.stdout)))
}

/// The path `ldconfig -p` gives for `soname`
/// (`\tlibfoo.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libfoo.so.1`).
fn ldconfig_path(cache: &str, soname: &str) -> Option<String> {
    cache.lines().find_map(|line| {
        let (name, path) = line.split_once("=>")?;
        (name.split_whitespace().next()? == soname).then(|| path.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldconfig_lines() {
        let cache = "\
1234 libs found in cache `/etc/ld.so.cache'
\tlibayatana-appindicator3.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libayatana-appindicator3.so.1
\tlibayatana-appindicator3.so (libc6,x86-64) => /lib/x86_64-linux-gnu/libayatana-appindicator3.so
";
        assert_eq!(
            ldconfig_path(cache, "libayatana-appindicator3.so.1").as_deref(),
            Some("/lib/x86_64-linux-gnu/libayatana-appindicator3.so.1")
        );
        assert_eq!(ldconfig_path(cache, "libxdo.so.3"), None);
    }
}
