//! The clean Debian 12 the .deb is installed into: `debootstrap` once, then
//! a tarball of the result under ~/.cache/qoima/ for the runs after.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use super::chroot;
use super::sources::{Mirror, SUITE};
use crate::proc;

/// The smallest system apt can run in: what the .deb needs beyond it must
/// come from its Depends, not from a package a fuller install happens to have.
const VARIANT: &str = "minbase";

/// Makes `root` a fresh bookworm system: unpacks the cached tarball when
/// there is one, runs debootstrap (and fills the cache) when not. Points its
/// apt at `mirror` either way, since the host's mirror may have changed.
pub fn fresh_root(root: &Path, mirror: &Mirror, note: &mut String) -> Result<()> {
    chroot::remove_root(root)?;
    std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
    let arch = proc::output(Command::new("dpkg").arg("--print-architecture"))?.trim().to_owned();
    let cache = cache_file(&arch);
    if cache.exists() {
        proc::run(Command::new("tar").args(["--numeric-owner", "-xpf"]).arg(&cache).arg("-C").arg(root))?;
        *note = format!("unpacked {}", cache.display());
    } else {
        println!("debootstrap {SUITE} ({VARIANT}, {arch}) from {}", mirror.debootstrap_uri);
        proc::run(
            Command::new("debootstrap")
                .arg(format!("--variant={VARIANT}"))
                .arg(format!("--arch={arch}"))
                .arg(SUITE)
                .arg(root)
                .arg(&mirror.debootstrap_uri),
        )?;
        // Services that packages try to start on install stay down: a chroot has no init.
        write_executable(&root.join("usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n")?;
        // The .debs debootstrap unpacked would only make the tarball bigger.
        proc::run(Command::new("chroot").arg(root).args(["apt-get", "clean"]))?;
        store_cache(root, &cache)?;
        *note = format!("debootstrap {SUITE} {VARIANT}; cached in {}", cache.display());
    }
    let list = root.join("etc/apt/sources.list");
    std::fs::write(&list, mirror.sources_list()).with_context(|| format!("writing {}", list.display()))?;
    Ok(())
}

fn cache_file(arch: &str) -> PathBuf {
    crate::install::home_dir().join(".cache/qoima").join(format!("debian-{SUITE}-{VARIANT}-{arch}.tar"))
}

/// Tars `root` into `cache` through a temporary name, so an interrupted run
/// never leaves a half-written tarball that later runs would trust.
fn store_cache(root: &Path, cache: &Path) -> Result<()> {
    let dir = cache.parent().context("cache path without a parent")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let partial = cache.with_extension("tar.partial");
    proc::run(Command::new("tar").args(["--numeric-owner", "-cpf"]).arg(&partial).arg("-C").arg(root).arg("."))?;
    std::fs::rename(&partial, cache).with_context(|| format!("renaming {} into place", partial.display()))
}

fn write_executable(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}
