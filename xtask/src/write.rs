//! Writing one regeneration's output: every file lands, or none does.
//!
//! [`write_files`] runs under an exclusive OS lock on `<root>/target/.regen.lock` (git
//! ignores `/target`), taken with [`File::lock`]-style locking, which the OS drops when the
//! holder dies, so a crashed regen never leaves a stale lock. Under the lock it
//!
//! 1. re-reads every target and keeps only the files whose bytes differ;
//! 2. stages each of them as a fresh temp sibling (`.<name>.<pid>.<n>.regen-tmp`, created
//!    with `create_new`, written, fsynced) and links the old target to a backup sibling
//!    (`.<name>.<pid>.<n>.regen-bak`); any failure here removes every temp and backup and
//!    leaves the targets untouched;
//! 3. renames the temps into place; a failure between two renames renames the backups back
//!    (and removes targets that did not exist before), so the set is all-old again;
//! 4. fsyncs the directories, re-reads every target and compares it with what it was given
//!    (a mismatch means a writer that ignores the lock: the batch is rolled back and the
//!    error names the file);
//! 5. removes the backups and releases the lock.
//!
//! What holds:
//!
//! - **`Ok`**: when the lock was released, every target held exactly the bytes given.
//! - **`Err` (an I/O error, a foreign writer, a lock timeout)**: every target holds the
//!   bytes it held before the call (files that did not exist are removed again, and so are
//!   the directories made for them) and no temp or backup file is left. The one exception
//!   is a second failure while rolling back; the error then names each file that could not
//!   be restored and the backup that still holds its old contents.
//! - **A crash** (kill, panic=abort, power loss): there is no multi-file atomic rename, so
//!   a crash between two renames can leave some targets new and some old; each single file
//!   is still whole, old or new, never truncated (data is fsynced before its rename). The
//!   lock dies with the process. Temps and backups a dead run left are removed by the next
//!   run (it holds the lock, so nobody else can own them), and since the generator is
//!   deterministic, running `cargo xtask regen` again completes the set (`--check` reports
//!   the mixed set as stale in the meantime).
//! - **Concurrency**: runs (threads or processes) that go through here are serialized by
//!   the lock; each one's re-read, writes and verification happen inside it, so no run
//!   interleaves with another and none reports `Ok` for bytes that were not in place when
//!   it finished. A reader that takes no lock (a build, `--check`) may see the batch half
//!   renamed during the few milliseconds of step 3.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use std::{process, thread};

/// How long a regen waits for another one to finish before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(60);
const TEMP_SUFFIX: &str = ".regen-tmp";
const BACKUP_SUFFIX: &str = ".regen-bak";

/// Makes temp and backup names unique within this process (the PID makes them unique
/// between processes).
static NEXT_NAME: AtomicU64 = AtomicU64::new(0);

/// Writes `files` (absolute target, contents) so that all of them land or none does; see
/// the module documentation for what holds on error, on a crash and under concurrency.
pub(crate) fn write_files(root: &Path, files: &[(PathBuf, String)]) -> Result<(), String> {
    write_files_with(root, files, LOCK_WAIT, &|_, _, _| Ok(()))
}

/// The lock every regen of `root` takes.
pub(crate) fn lock_path(root: &Path) -> PathBuf {
    root.join("target").join(".regen.lock")
}

/// The points where tests inject failures (`hook(step, index into files, temp path)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Before staging a changed file.
    Stage,
    /// Before renaming a staged file into place.
    Rename,
    /// Before verifying, after every rename (the index is 0, the temp path empty).
    Verify,
}

type Hook<'h> = &'h dyn Fn(Step, usize, &Path) -> io::Result<()>;

fn write_files_with(
    root: &Path,
    files: &[(PathBuf, String)],
    wait: Duration,
    hook: Hook<'_>,
) -> Result<(), String> {
    if files.is_empty() {
        return Ok(());
    }
    let mut seen = HashSet::new();
    for (target, _) in files {
        if !seen.insert(target) {
            return Err(format!("{} is listed twice", target.display()));
        }
        if target.file_name().is_none() {
            return Err(format!("{} names no file", target.display()));
        }
    }

    let lock = RegenLock::acquire(&lock_path(root), wait)?;
    sweep_leftovers(files);

    let mut batch = Batch {
        entries: Vec::new(),
        created_dirs: Vec::new(),
        finished: false,
    };
    for (index, (target, contents)) in files.iter().enumerate() {
        let old = match fs::read(target) {
            Ok(bytes) if bytes == contents.as_bytes() => continue,
            Ok(_) => Some(
                fs::metadata(target)
                    .map_err(|e| format!("cannot read {}: {e}", target.display()))?
                    .permissions(),
            ),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("cannot read {}: {e}", target.display())),
        };
        batch.entries.push(Entry {
            index,
            target,
            contents: contents.as_bytes(),
            old,
            temp: None,
            backup: None,
            renamed: false,
        });
    }

    for i in 0..batch.entries.len() {
        if let Err(message) = batch.stage(i, hook) {
            return Err(batch.fail(message));
        }
    }
    for i in 0..batch.entries.len() {
        let entry = &mut batch.entries[i];
        let temp = entry.temp.clone().unwrap_or_default();
        let renamed =
            hook(Step::Rename, entry.index, &temp).and_then(|()| fs::rename(&temp, entry.target));
        if let Err(e) = renamed {
            let message = format!("cannot replace {}: {e}", entry.target.display());
            return Err(batch.fail(message));
        }
        entry.temp = None;
        entry.renamed = true;
    }
    batch.sync_dirs();

    if let Err(e) = hook(Step::Verify, 0, Path::new("")) {
        return Err(batch.fail(format!("verification failed: {e}")));
    }
    for (target, contents) in files {
        match fs::read(target) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => {
                let message = format!(
                    "{} changed under the regen (a writer that does not take {})",
                    target.display(),
                    lock.path.display()
                );
                return Err(batch.fail(message));
            }
            Err(e) => {
                return Err(batch.fail(format!("cannot re-read {}: {e}", target.display())));
            }
        }
    }
    batch.finish();
    drop(lock);
    Ok(())
}

/// One file of the batch that differs from its target.
struct Entry<'a> {
    index: usize,
    target: &'a Path,
    contents: &'a [u8],
    /// The old target's permissions, `None` when the target does not exist.
    old: Option<fs::Permissions>,
    /// The staged new contents, until renamed into place.
    temp: Option<PathBuf>,
    /// A second link to (or copy of) the old target, until the batch ends.
    backup: Option<PathBuf>,
    /// The temp has replaced the target.
    renamed: bool,
}

struct Batch<'a> {
    entries: Vec<Entry<'a>>,
    /// Directories made for new targets, parents first.
    created_dirs: Vec<PathBuf>,
    finished: bool,
}

impl Batch<'_> {
    /// Writes entry `i`'s temp (fsynced) and its backup; everything made is recorded in
    /// the entry before anything can fail, so the rollback finds it.
    fn stage(&mut self, i: usize, hook: Hook<'_>) -> Result<(), String> {
        let entry = &self.entries[i];
        let target = entry.target;
        hook(Step::Stage, entry.index, Path::new(""))
            .map_err(|e| format!("cannot stage {}: {e}", target.display()))?;
        if entry.old.is_none()
            && let Some(parent) = target.parent()
        {
            create_dirs(parent, &mut self.created_dirs)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }

        let (temp, mut file) = create_unique(target, TEMP_SUFFIX).map_err(|e| {
            format!(
                "cannot create a temp file next to {}: {e}",
                target.display()
            )
        })?;
        let entry = &mut self.entries[i];
        entry.temp = Some(temp.clone());
        let written = file
            .write_all(entry.contents)
            .and_then(|()| match &entry.old {
                Some(permissions) => file.set_permissions(permissions.clone()),
                None => Ok(()),
            })
            .and_then(|()| file.sync_all());
        drop(file);
        written.map_err(|e| format!("cannot write {}: {e}", temp.display()))?;

        if entry.old.is_some() {
            let backup = link_backup(target)
                .map_err(|e| format!("cannot back up {}: {e}", target.display()))?;
            entry.backup = Some(backup);
        }
        Ok(())
    }

    /// Rolls back and returns `message` with whatever the rollback could not undo.
    fn fail(&mut self, message: String) -> String {
        let problems = self.rollback();
        if problems.is_empty() {
            format!("{message}; this run changed no file")
        } else {
            format!(
                "{message}; rolling back failed too:\n  {}",
                problems.join("\n  ")
            )
        }
    }

    /// Puts every target back as it was and removes every temp and backup; returns what
    /// could not be undone (a backup that could not be renamed back is kept).
    fn rollback(&mut self) -> Vec<String> {
        self.finished = true;
        let mut problems = Vec::new();
        for entry in self.entries.iter_mut().rev() {
            let target = entry.target;
            if entry.renamed {
                let restored = match &entry.backup {
                    Some(backup) => fs::rename(backup, target),
                    None => remove_if_present(target),
                };
                match (restored, &entry.backup) {
                    (Ok(()), _) => {
                        entry.renamed = false;
                        entry.backup = None;
                    }
                    (Err(e), Some(backup)) => problems.push(format!(
                        "{} holds the new contents ({e}); its old contents are in {}",
                        target.display(),
                        backup.display()
                    )),
                    (Err(e), None) => problems.push(format!(
                        "{} is new and could not be removed: {e}",
                        target.display()
                    )),
                }
            }
            if let Some(temp) = entry.temp.take()
                && let Err(e) = remove_if_present(&temp)
            {
                problems.push(format!("cannot remove {}: {e}", temp.display()));
            }
            if !entry.renamed
                && let Some(backup) = entry.backup.take()
                && let Err(e) = remove_if_present(&backup)
            {
                problems.push(format!("cannot remove {}: {e}", backup.display()));
            }
        }
        for dir in self.created_dirs.drain(..).rev() {
            // Fails (and stays) only if something else was put in it.
            let _ = fs::remove_dir(dir);
        }
        self.sync_dirs();
        problems
    }

    /// Every target is in place: drops the backups (a leftover is swept by the next run).
    fn finish(&mut self) {
        self.finished = true;
        for entry in &mut self.entries {
            if let Some(backup) = entry.backup.take() {
                let _ = fs::remove_file(backup);
            }
        }
    }

    /// Makes the renames durable where the platform allows it (best effort: the contents
    /// are already fsynced, and a directory fsync some filesystems refuse is no reason to
    /// undo a batch that is in place).
    fn sync_dirs(&self) {
        let mut dirs: Vec<&Path> = self
            .entries
            .iter()
            .filter_map(|e| e.target.parent())
            .collect();
        dirs.sort();
        dirs.dedup();
        for dir in dirs {
            sync_dir(dir);
        }
    }
}

impl Drop for Batch<'_> {
    /// A panic half-way (or an early return that forgot to roll back) still leaves the old
    /// set and no temp file.
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.rollback();
        }
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

/// `.<name>.<pid>.<n><suffix>` next to `target`.
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let n = NEXT_NAME.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.{}.{n}{suffix}", process::id()))
}

/// A new file next to `target` that did not exist before (never one another run uses).
fn create_unique(target: &Path, suffix: &str) -> io::Result<(PathBuf, File)> {
    loop {
        let path = sibling(target, suffix);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

/// A hard link to `target` (a copy where links are not supported).
fn link_backup(target: &Path) -> io::Result<PathBuf> {
    loop {
        let path = sibling(target, BACKUP_SUFFIX);
        match fs::hard_link(target, &path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => {
                let (path, file) = create_unique(target, BACKUP_SUFFIX)?;
                drop(file);
                return match fs::copy(target, &path) {
                    Ok(_) => Ok(path),
                    Err(e) => {
                        let _ = fs::remove_file(&path);
                        Err(e)
                    }
                };
            }
        }
    }
}

/// Creates `dir` and its missing parents, recording each one made, parents first.
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut cursor = Some(dir);
    while let Some(d) = cursor {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        cursor = d.parent();
    }
    for d in missing.into_iter().rev() {
        match fs::create_dir(&d) {
            Ok(()) => created.push(d),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removes the temps and backups a dead run left next to the targets. Only a lock holder
/// makes them, and we hold the lock, so none of them belongs to a live run.
fn sweep_leftovers(files: &[(PathBuf, String)]) {
    let mut dirs: Vec<&Path> = files.iter().filter_map(|(t, _)| t.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let listing = if dir.as_os_str().is_empty() {
            fs::read_dir(".")
        } else {
            fs::read_dir(dir)
        };
        for entry in listing.into_iter().flatten().flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let ours = name.starts_with('.')
                && (name.ends_with(TEMP_SUFFIX) || name.ends_with(BACKUP_SUFFIX));
            if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The exclusive regen lock: an OS file lock, released when this is dropped or when the
/// process dies, whatever the way.
pub(crate) struct RegenLock {
    file: File,
    path: PathBuf,
}

impl RegenLock {
    /// Waits up to `wait` for the lock at `path` (creating it and its directory).
    pub(crate) fn acquire(path: &Path, wait: Duration) -> Result<Self, String> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(2);
        loop {
            // Opened afresh on each try: if `cargo clean` removed the file, the next
            // holder must lock the new one, not an unlinked inode.
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
            match file.try_lock() {
                Ok(()) if still_at(path, &file) => {
                    // Who holds it, for the message of a run that gives up waiting.
                    let _ = file.set_len(0);
                    let _ = (&file).write_all(format!("{}\n", process::id()).as_bytes());
                    return Ok(RegenLock {
                        file,
                        path: path.to_path_buf(),
                    });
                }
                Ok(()) | Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => {
                    return Err(format!("cannot lock {}: {e}", path.display()));
                }
            }
            drop(file);
            let now = Instant::now();
            if now >= deadline {
                let holder = fs::read_to_string(path)
                    .ok()
                    .and_then(|text| text.trim().parse::<u32>().ok())
                    .map_or_else(String::new, |pid| format!(" (by process {pid})"));
                return Err(format!(
                    "another `cargo xtask regen` is writing: {} is held{holder}; gave up after {} s",
                    path.display(),
                    wait.as_secs_f32()
                ));
            }
            thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }
}

impl Drop for RegenLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first also covers a handle
        // that outlives this value.
        let _ = self.file.unlock();
    }
}

/// The path still names the locked file (it was not removed and recreated meanwhile).
#[cfg(unix)]
fn still_at(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(path: &Path, _file: &File) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    /// A fresh directory under the system temp dir, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            static N: AtomicU64 = AtomicU64::new(0);
            let dir = std::env::temp_dir().join(format!(
                "xtask-write-{name}-{}-{}",
                process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn path(&self, rel: &str) -> PathBuf {
            self.0.join(rel)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn put(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn read(path: &Path) -> Option<String> {
        fs::read_to_string(path).ok()
    }

    /// Every temp or backup file (ours, or the old `.tmp` naming) anywhere under `dir`.
    fn leftovers(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap().flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.file_type().unwrap().is_dir() {
                    stack.push(path);
                } else if name.ends_with(TEMP_SUFFIX)
                    || name.ends_with(BACKUP_SUFFIX)
                    || name.ends_with(".tmp")
                {
                    found.push(path);
                }
            }
        }
        found
    }

    fn set(files: &[(&PathBuf, &str)]) -> Vec<(PathBuf, String)> {
        files
            .iter()
            .map(|(p, c)| ((*p).clone(), (*c).to_owned()))
            .collect()
    }

    const NO_HOOK: Hook<'static> = &|_, _, _| Ok(());
    const SHORT: Duration = Duration::from_secs(10);

    fn injected() -> io::Error {
        io::Error::other("injected failure")
    }

    #[test]
    fn all_files_land() {
        let dir = Scratch::new("land");
        let (a, b, c) = (
            dir.path("generated/src/a.rs"),
            dir.path("generated/src/b.rs"),
            dir.path("generated/src/deep/new/c.rs"),
        );
        put(&a, "old a");
        put(&b, "old b");
        write_files(&dir.0, &set(&[(&a, "new a"), (&b, "new b"), (&c, "new c")])).unwrap();
        assert_eq!(read(&a).as_deref(), Some("new a"));
        assert_eq!(read(&b).as_deref(), Some("new b"));
        assert_eq!(read(&c).as_deref(), Some("new c"));
        assert_eq!(leftovers(&dir.0), Vec::<PathBuf>::new());
        assert!(lock_path(&dir.0).is_file(), "the lock lives in target/");
    }

    #[cfg(unix)]
    #[test]
    fn only_changed_files_are_replaced_and_replacing_keeps_permissions() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = Scratch::new("same");
        let (a, b) = (dir.path("g/a.rs"), dir.path("g/b.rs"));
        put(&a, "same");
        put(&b, "old");
        fs::set_permissions(&b, fs::Permissions::from_mode(0o640)).unwrap();
        let (ino_a, ino_b) = (
            fs::metadata(&a).unwrap().ino(),
            fs::metadata(&b).unwrap().ino(),
        );
        write_files(&dir.0, &set(&[(&a, "same"), (&b, "new")])).unwrap();
        assert_eq!(
            fs::metadata(&a).unwrap().ino(),
            ino_a,
            "unchanged file untouched"
        );
        let meta = fs::metadata(&b).unwrap();
        assert_ne!(
            meta.ino(),
            ino_b,
            "changed file replaced by rename, not rewritten"
        );
        assert_eq!(meta.permissions().mode() & 0o777, 0o640);
        assert_eq!(read(&b).as_deref(), Some("new"));
    }

    /// Three targets, the first two existing; returns them with their old contents.
    fn three(dir: &Scratch) -> [(PathBuf, &'static str); 3] {
        let files = [
            (dir.path("g/src/one.rs"), "old one"),
            (dir.path("g/src/two.rs"), "old two"),
            (dir.path("g/src/more/three.rs"), ""),
        ];
        put(&files[0].0, files[0].1);
        put(&files[1].0, files[1].1);
        files
    }

    fn new_contents(files: &[(PathBuf, &str); 3]) -> Vec<(PathBuf, String)> {
        files
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), format!("new {i}")))
            .collect()
    }

    fn assert_all_old(dir: &Scratch, files: &[(PathBuf, &str); 3]) {
        assert_eq!(read(&files[0].0).as_deref(), Some(files[0].1));
        assert_eq!(read(&files[1].0).as_deref(), Some(files[1].1));
        assert!(!files[2].0.exists(), "a new file was left behind");
        assert!(
            !dir.path("g/src/more").exists(),
            "a directory made for it was left"
        );
        assert_eq!(leftovers(&dir.0), Vec::<PathBuf>::new());
    }

    #[test]
    fn unreadable_second_target_changes_nothing() {
        // A real I/O failure (as root too): the second target is a directory.
        let dir = Scratch::new("dir-target");
        let files = three(&dir);
        let odd = dir.path("g/src/odd.rs");
        fs::create_dir_all(odd.join("inner")).unwrap();
        let mut batch = new_contents(&files);
        batch[1].0 = odd.clone();
        let error = write_files(&dir.0, &batch).unwrap_err();
        assert!(error.contains("odd.rs"), "{error}");
        assert_all_old(&dir, &files);
        assert!(odd.join("inner").is_dir());
    }

    #[test]
    fn failed_staging_of_second_file_changes_nothing() {
        let dir = Scratch::new("stage");
        let files = three(&dir);
        let hook: Hook<'_> = &|step, i, _| {
            if step == Step::Stage && i == 1 {
                Err(injected())
            } else {
                Ok(())
            }
        };
        let error = write_files_with(&dir.0, &new_contents(&files), SHORT, hook).unwrap_err();
        assert!(
            error.contains("injected failure") && error.contains("this run changed no file"),
            "{error}"
        );
        assert_all_old(&dir, &files);
    }

    #[test]
    fn a_failure_after_staging_a_new_file_removes_it_and_its_directories() {
        let dir = Scratch::new("stage-new");
        let files = three(&dir);
        let hook: Hook<'_> = &|step, i, temp| {
            if step == Step::Rename && i == 2 {
                assert!(temp.is_file() && dir.path("g/src/more").is_dir());
                Err(injected())
            } else {
                Ok(())
            }
        };
        write_files_with(&dir.0, &new_contents(&files), SHORT, hook).unwrap_err();
        assert_all_old(&dir, &files);
    }

    #[test]
    fn failed_rename_of_second_file_rolls_the_first_back() {
        let dir = Scratch::new("rename");
        let files = three(&dir);
        // A real rename failure: the staged temp disappears just before its rename.
        let hook: Hook<'_> = &|step, i, temp| {
            if step == Step::Rename && i == 1 {
                assert_eq!(
                    read(&files[0].0).as_deref(),
                    Some("new 0"),
                    "first already renamed"
                );
                fs::remove_file(temp)
            } else {
                Ok(())
            }
        };
        let error = write_files_with(&dir.0, &new_contents(&files), SHORT, hook).unwrap_err();
        assert!(
            error.contains("cannot replace") && error.contains("two.rs"),
            "{error}"
        );
        assert!(error.contains("this run changed no file"), "{error}");
        assert_all_old(&dir, &files);
    }

    #[test]
    fn failed_rename_of_last_file_removes_the_new_ones() {
        let dir = Scratch::new("rename-last");
        let mut files = three(&dir);
        // Make the new file the middle one so a new file is renamed, then rolled back.
        files.swap(1, 2);
        let hook: Hook<'_> = &|step, i, _| {
            if step == Step::Rename && i == 2 {
                Err(injected())
            } else {
                Ok(())
            }
        };
        write_files_with(&dir.0, &new_contents(&files), SHORT, hook).unwrap_err();
        files.swap(1, 2);
        assert_all_old(&dir, &files);
    }

    #[test]
    fn a_foreign_write_fails_verification_and_rolls_back() {
        let dir = Scratch::new("verify");
        let files = three(&dir);
        let mut batch = new_contents(&files);
        batch[1].1 = "old two".to_owned(); // unchanged, so not written by us
        let hook: Hook<'_> = &|step, _, _| {
            if step == Step::Verify {
                fs::write(&files[1].0, "someone else")
            } else {
                Ok(())
            }
        };
        let error = write_files_with(&dir.0, &batch, SHORT, hook).unwrap_err();
        assert!(
            error.contains("two.rs") && error.contains("changed under the regen"),
            "{error}"
        );
        assert_eq!(read(&files[0].0).as_deref(), Some("old one"));
        assert_eq!(read(&files[1].0).as_deref(), Some("someone else"));
        assert!(!files[2].0.exists());
        assert_eq!(leftovers(&dir.0), Vec::<PathBuf>::new());
    }

    #[test]
    fn a_panic_half_way_still_rolls_back() {
        let dir = Scratch::new("panic");
        let files = three(&dir);
        let batch = new_contents(&files);
        let result = std::panic::catch_unwind(|| {
            let hook: Hook<'_> = &|step, i, _| {
                assert!(!(step == Step::Rename && i == 2), "boom");
                Ok(())
            };
            write_files_with(&dir.0, &batch, SHORT, hook)
        });
        assert!(result.is_err());
        assert_all_old(&dir, &files);
    }

    #[test]
    fn leftovers_of_a_dead_run_are_swept() {
        let dir = Scratch::new("sweep");
        let a = dir.path("g/a.rs");
        put(&a, "old");
        let temp = dir.path("g/.a.rs.4000000.7.regen-tmp");
        let backup = dir.path("g/.a.rs.4000000.8.regen-bak");
        let other = dir.path("g/.keep-me");
        put(&temp, "half");
        put(&backup, "old");
        put(&other, "user file");
        write_files(&dir.0, &set(&[(&a, "new")])).unwrap();
        assert!(!temp.exists() && !backup.exists());
        assert!(other.exists());
        assert_eq!(read(&a).as_deref(), Some("new"));
    }

    #[test]
    fn a_target_listed_twice_is_refused() {
        let dir = Scratch::new("twice");
        let a = dir.path("a.rs");
        let error = write_files(&dir.0, &set(&[(&a, "1"), (&a, "2")])).unwrap_err();
        assert!(error.contains("listed twice"), "{error}");
        assert!(!a.exists());
    }

    const FILES: usize = 3;

    /// The run tag every file of the set carries, if they all carry the same one.
    fn tag_of_set(paths: &[PathBuf]) -> Option<String> {
        let tags: Vec<String> = paths
            .iter()
            .map(|p| {
                read(p)
                    .unwrap_or_default()
                    .split(" file ")
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        tags.iter().all(|t| *t == tags[0]).then(|| tags[0].clone())
    }

    #[test]
    fn concurrent_runs_end_with_one_consistent_set() {
        let dir = Arc::new(Scratch::new("concurrent"));
        let paths: Arc<Vec<PathBuf>> = Arc::new(
            (0..FILES)
                .map(|k| dir.path(&format!("g/src/f{k}.rs")))
                .collect(),
        );
        for p in paths.iter() {
            put(p, "initial file");
        }
        let stop = Arc::new(AtomicBool::new(false));
        // A reader that takes the lock: every time it gets it, the set is whole.
        let checker = {
            let (dir, paths, stop) = (Arc::clone(&dir), Arc::clone(&paths), Arc::clone(&stop));
            thread::spawn(move || {
                let mut checks = 0;
                while !stop.load(Ordering::Relaxed) {
                    let lock = RegenLock::acquire(&lock_path(&dir.0), SHORT).unwrap();
                    assert!(tag_of_set(&paths).is_some(), "mixed set under the lock");
                    assert_eq!(leftovers(&dir.0), Vec::<PathBuf>::new());
                    drop(lock);
                    checks += 1;
                    thread::yield_now();
                }
                checks
            })
        };
        let writers: Vec<_> = (0..8)
            .map(|t| {
                let (dir, paths) = (Arc::clone(&dir), Arc::clone(&paths));
                thread::spawn(move || {
                    for round in 0..6 {
                        let files: Vec<(PathBuf, String)> = paths
                            .iter()
                            .enumerate()
                            .map(|(k, p)| {
                                (p.clone(), format!("run {t}.{round} file {k}\n").repeat(200))
                            })
                            .collect();
                        write_files_with(&dir.0, &files, SHORT, NO_HOOK).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        stop.store(true, Ordering::Relaxed);
        assert!(checker.join().unwrap() > 0);
        let tag = tag_of_set(&paths).expect("one consistent set");
        assert!(tag.starts_with("run ") && tag.ends_with(".5"), "{tag}");
        for (k, p) in paths.iter().enumerate() {
            assert_eq!(read(p).unwrap(), format!("{tag} file {k}\n").repeat(200));
        }
        assert_eq!(leftovers(&dir.0), Vec::<PathBuf>::new());
    }

    #[test]
    fn a_held_lock_makes_the_next_run_wait() {
        let dir = Arc::new(Scratch::new("wait"));
        let a = dir.path("g/a.rs");
        put(&a, "old");
        let held = RegenLock::acquire(&lock_path(&dir.0), SHORT).unwrap();
        let writer = {
            let (dir, a) = (Arc::clone(&dir), a.clone());
            thread::spawn(move || write_files_with(&dir.0, &set(&[(&a, "new")]), SHORT, NO_HOOK))
        };
        thread::sleep(Duration::from_millis(300));
        assert!(!writer.is_finished(), "wrote through a held lock");
        assert_eq!(read(&a).as_deref(), Some("old"));
        drop(held);
        writer.join().unwrap().unwrap();
        assert_eq!(read(&a).as_deref(), Some("new"));
    }

    #[test]
    fn a_lock_held_too_long_fails_clearly_and_writes_nothing() {
        let dir = Scratch::new("timeout");
        let a = dir.path("g/a.rs");
        put(&a, "old");
        let _held = RegenLock::acquire(&lock_path(&dir.0), SHORT).unwrap();
        let error = write_files_with(
            &dir.0,
            &set(&[(&a, "new")]),
            Duration::from_millis(200),
            NO_HOOK,
        )
        .unwrap_err();
        assert!(
            error.contains("another `cargo xtask regen` is writing"),
            "{error}"
        );
        assert!(
            error.contains(&format!("by process {}", process::id())),
            "{error}"
        );
        assert_eq!(read(&a).as_deref(), Some("old"));
        assert_eq!(leftovers(&dir.0), Vec::<PathBuf>::new());
    }

    const CHILD_ENV: &str = "XTASK_WRITE_TEST_HOLD_LOCK";

    /// Run by `a_killed_holder_releases_the_lock` in a child process: takes the lock,
    /// says so, then sleeps until killed.
    #[test]
    #[ignore = "helper process for a_killed_holder_releases_the_lock"]
    fn lock_holder_child() {
        let Some(path) = std::env::var_os(CHILD_ENV) else {
            return;
        };
        let _lock = RegenLock::acquire(Path::new(&path), SHORT).unwrap();
        println!("locked");
        io::stdout().flush().unwrap();
        thread::sleep(Duration::from_secs(60));
    }

    #[test]
    fn a_killed_holder_releases_the_lock() {
        let dir = Scratch::new("killed");
        let a = dir.path("g/a.rs");
        put(&a, "old");
        let mut child = process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "write::tests::lock_holder_child",
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD_ENV, lock_path(&dir.0))
            .stdout(process::Stdio::piped())
            .stderr(process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(
            lines.any(|l| l.is_ok_and(|l| l.trim_end() == "locked")),
            "the child did not take the lock"
        );
        let error = write_files_with(
            &dir.0,
            &set(&[(&a, "new")]),
            Duration::from_millis(200),
            NO_HOOK,
        )
        .unwrap_err();
        assert!(
            error.contains(&format!("by process {}", child.id())),
            "{error}"
        );
        assert_eq!(read(&a).as_deref(), Some("old"));
        child.kill().unwrap();
        child.wait().unwrap();
        // No stale-lock handling needed: the OS dropped the dead holder's lock.
        write_files_with(
            &dir.0,
            &set(&[(&a, "new")]),
            Duration::from_secs(5),
            NO_HOOK,
        )
        .unwrap();
        assert_eq!(read(&a).as_deref(), Some("new"));
    }
}
