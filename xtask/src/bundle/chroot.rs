//! Running commands in the clean system: the kernel file systems it needs
//! mounted for as long as it is used, and unmounted whatever happens.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::proc;

/// The PATH inside the chroot; the host's may name directories it lacks.
const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A root file system with /proc, /sys, /dev, /dev/pts and /dev/shm mounted.
/// Dropping it unmounts them in reverse order (lazily when still busy).
pub struct Chroot {
    root: PathBuf,
    mounted: Vec<PathBuf>,
}

impl Chroot {
    pub fn enter(root: &Path) -> Result<Self> {
        let mut chroot = Self { root: root.to_path_buf(), mounted: Vec::new() };
        chroot.mount(&["-t", "proc", "proc"], "proc")?;
        chroot.mount(&["-t", "sysfs", "sysfs"], "sys")?;
        // The host's device nodes (null, urandom, tty…) without its sub-mounts.
        chroot.mount(&["--bind", "/dev"], "dev")?;
        chroot.mount(&["--bind", "/dev/pts"], "dev/pts")?;
        // WebKit's processes share memory through /dev/shm; a tmpfs of its
        // own keeps that apart from the host's.
        chroot.mount(&["-t", "tmpfs", "-o", "mode=1777", "tmpfs"], "dev/shm")?;
        // apt and the app resolve names with the host's settings.
        std::fs::copy("/etc/resolv.conf", root.join("etc/resolv.conf")).context("copying /etc/resolv.conf")?;
        Ok(chroot)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn mount(&mut self, args: &[&str], target: &str) -> Result<()> {
        let target = self.root.join(target);
        std::fs::create_dir_all(&target).with_context(|| format!("creating {}", target.display()))?;
        proc::output(Command::new("mount").args(args).arg(&target))?;
        self.mounted.push(target);
        Ok(())
    }

    /// `program` inside the chroot with a clean environment plus `envs`:
    /// nothing of the host's (CARGO_*, DISPLAY, proxies) leaks in.
    pub fn command(&self, envs: &[(&str, &str)], program: &str) -> Command {
        let mut cmd = Command::new("chroot");
        cmd.arg(&self.root).args(["/usr/bin/env", "-i"]);
        cmd.arg(format!("PATH={PATH}")).args(["HOME=/root", "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive"]);
        cmd.args(envs.iter().map(|(key, value)| format!("{key}={value}")));
        cmd.arg(program);
        cmd
    }

    /// `apt-get ARGS…` inside the chroot, quiet and never prompting.
    pub fn apt_get(&self, args: &[&str]) -> Command {
        let mut cmd = self.command(&[], "apt-get");
        cmd.args(["-q", "-y", "-o", "Dpkg::Use-Pty=0"]).args(args);
        cmd
    }
}

impl Drop for Chroot {
    fn drop(&mut self) {
        while let Some(target) = self.mounted.pop() {
            unmount(&target);
        }
    }
}

fn unmount(target: &Path) {
    let ok = Command::new("umount").arg(target).status().is_ok_and(|s| s.success());
    if !ok {
        // A process still holding the mount must not keep it forever.
        eprintln!("xtask: {} busy; detaching it lazily", target.display());
        let _ = Command::new("umount").arg("-l").arg(target).status();
    }
}

/// Unmounts whatever an earlier run that died left mounted under `root`,
/// deepest first.
pub fn unmount_leftovers(root: &Path) -> Result<()> {
    let mounts = std::fs::read_to_string("/proc/self/mounts").context("reading /proc/self/mounts")?;
    for target in mounts_under(&mounts, root) {
        eprintln!("xtask: unmounting {}, left mounted by an earlier run", target.display());
        unmount(&target);
    }
    Ok(())
}

/// Removes an old root file system. Refuses while anything is still mounted
/// under it: deleting through a bind mount of /dev would delete the host's.
pub fn remove_root(root: &Path) -> Result<()> {
    if !root.exists() {
        return Ok(());
    }
    unmount_leftovers(root)?;
    let mounts = std::fs::read_to_string("/proc/self/mounts").context("reading /proc/self/mounts")?;
    let still = mounts_under(&mounts, root);
    if !still.is_empty() {
        bail!("{} is still mounted; unmount it before running again", still[0].display());
    }
    // --one-file-system: a second guard against descending into a mount.
    proc::output(Command::new("rm").args(["-rf", "--one-file-system"]).arg(root))?;
    Ok(())
}

/// The mount points in `/proc/self/mounts` text at or under `root`, deepest
/// first. Spaces and other specials in the paths come octal-escaped (`\040`).
pub fn mounts_under(mounts: &str, root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = mounts
        .lines()
        .filter_map(|line| line.split_whitespace().nth(1))
        .map(|escaped| PathBuf::from(unescape_octal(escaped)))
        .filter(|target| target.starts_with(root))
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    found
}

fn unescape_octal(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && let Some(code) = bytes.get(i + 1..i + 4).and_then(octal)
        {
            out.push(code);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn octal(digits: &[u8]) -> Option<u8> {
    u8::from_str_radix(std::str::from_utf8(digits).ok()?, 8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_under_the_root_deepest_first() {
        let mounts = "\
/dev/vda / ext4 rw 0 0
proc /work/target/bundle/rootfs/proc proc rw 0 0
udev /work/target/bundle/rootfs/dev devtmpfs rw 0 0
devpts /work/target/bundle/rootfs/dev/pts devpts rw 0 0
proc /work/target/bundle/rootfs-other/proc proc rw 0 0
tmpfs /work/with\\040space/rootfs/dev/shm tmpfs rw 0 0
";
        assert_eq!(
            mounts_under(mounts, Path::new("/work/target/bundle/rootfs")),
            vec![
                PathBuf::from("/work/target/bundle/rootfs/dev/pts"),
                PathBuf::from("/work/target/bundle/rootfs/proc"),
                PathBuf::from("/work/target/bundle/rootfs/dev"),
            ]
        );
        assert_eq!(
            mounts_under(mounts, Path::new("/work/with space/rootfs")),
            vec![PathBuf::from("/work/with space/rootfs/dev/shm")]
        );
        assert!(mounts_under(mounts, Path::new("/elsewhere")).is_empty());
    }

    #[test]
    fn octal_escapes() {
        assert_eq!(unescape_octal("a\\040b\\011c"), "a b\tc");
        assert_eq!(unescape_octal("trailing\\04"), "trailing\\04");
        assert_eq!(unescape_octal("plain"), "plain");
    }
}
