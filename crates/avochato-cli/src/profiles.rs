//! Credential profiles: `credentials.json` (mode 0600) in the configuration directory
//! (mode 0700), replaced atomically on every change.
//!
//! Modelled on how Salesforce orgs keep Avochato credentials: one per user and inbox, one
//! default, each can be deactivated, and a credential is confirmed (checked against
//! `/v1/whoami`) before it is trusted. The secret is stored, never shown again.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CliError, Result};

const FILE_NAME: &str = "credentials.json";

#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Profile {
    pub auth_id: String,
    /// Empty when the secret is in the system keyring.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub auth_secret: String,
    /// The secret is in the system keyring (see `secret_store`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_keyring: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdomain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub created_at: f64,
    /// Set by a successful `auth verify`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<Confirmation>,
    /// Set by a failed `auth verify` (cleared by a successful one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<Failure>,
}

fn yes() -> bool {
    true
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("auth_id", &self.auth_id)
            .field("auth_secret", &avochato::REDACTED)
            .field("in_keyring", &self.in_keyring)
            .field("subdomain", &self.subdomain)
            .field("base_url", &self.base_url)
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Confirmation {
    pub at: f64,
    pub inbox: String,
    pub user: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Failure {
    pub at: f64,
    pub error: String,
}

#[derive(Default, Serialize, Deserialize)]
struct FileData {
    #[serde(default)]
    version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The profiles file, loaded.
pub struct Store {
    dir: PathBuf,
    data: FileData,
}

/// `AVOCHATO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/avochato`, else `~/.config/avochato`.
pub fn config_dir() -> Result<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = env("AVOCHATO_CONFIG_DIR") {
        return Ok(d);
    }
    if let Some(d) = env("XDG_CONFIG_HOME") {
        return Ok(d.join("avochato"));
    }
    env("HOME")
        .or_else(|| env("USERPROFILE"))
        .map(|h| h.join(".config").join("avochato"))
        .ok_or_else(|| {
            CliError::usage("cannot find a configuration directory: set AVOCHATO_CONFIG_DIR")
        })
}

/// A profile name: letters, digits, `.`, `_`, `-`; at most 64.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(CliError::usage(format!(
            "invalid profile name {name:?}: use letters, digits, '.', '_' or '-' (at most 64)"
        )))
    }
}

impl Store {
    pub fn load() -> Result<Store> {
        Store::load_from(config_dir()?)
    }

    pub fn load_from(dir: PathBuf) -> Result<Store> {
        let path = dir.join(FILE_NAME);
        let data = match std::fs::read(&path) {
            Ok(bytes) => {
                warn_if_exposed(&path);
                serde_json::from_slice(&bytes).map_err(|e| {
                    CliError::usage(format!(
                        "{} is not a valid profiles file: {e}",
                        path.display()
                    ))
                })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileData::default(),
            Err(e) => return Err(CliError::io(path.display(), e)),
        };
        Ok(Store { dir, data })
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    pub fn profiles(&self) -> &BTreeMap<String, Profile> {
        &self.data.profiles
    }

    pub fn default_name(&self) -> Option<&str> {
        self.data.default.as_deref()
    }

    pub fn get(&self, name: &str) -> Result<&Profile> {
        self.data
            .profiles
            .get(name)
            .ok_or_else(|| self.unknown(name))
    }

    pub fn get_mut(&mut self, name: &str) -> Result<&mut Profile> {
        if !self.data.profiles.contains_key(name) {
            return Err(self.unknown(name));
        }
        self.data
            .profiles
            .get_mut(name)
            .ok_or_else(|| CliError::usage("unreachable"))
    }

    fn unknown(&self, name: &str) -> CliError {
        let known: Vec<&str> = self.data.profiles.keys().map(String::as_str).collect();
        if known.is_empty() {
            CliError::usage(format!(
                "no profile named {name:?}: there are none yet (avochato auth add NAME)"
            ))
        } else {
            CliError::usage(format!(
                "no profile named {name:?} (profiles: {})",
                known.join(", ")
            ))
        }
    }

    /// Adds or replaces a profile; the first one becomes the default.
    pub fn insert(&mut self, name: &str, profile: Profile) {
        self.data.profiles.insert(name.to_string(), profile);
        if self.data.default.is_none() && self.data.profiles.len() == 1 {
            self.data.default = Some(name.to_string());
        }
    }

    pub fn remove(&mut self, name: &str) -> Result<Profile> {
        let p = self
            .data
            .profiles
            .remove(name)
            .ok_or_else(|| self.unknown(name))?;
        if self.data.default.as_deref() == Some(name) {
            self.data.default = None;
        }
        Ok(p)
    }

    pub fn set_default(&mut self, name: &str) -> Result<()> {
        self.get(name)?;
        self.data.default = Some(name.to_string());
        Ok(())
    }

    /// Writes the file: a new file (0600) in the directory (0700), then renamed over the
    /// old one, so a reader never sees half a file and a crash never loses the old one.
    pub fn save(&self) -> Result<()> {
        create_private_dir(&self.dir)?;
        let mut text = serde_json::to_vec_pretty(&FileData {
            version: 1,
            default: self.data.default.clone(),
            profiles: self.data.profiles.clone(),
        })
        .map_err(|e| CliError::io("encoding the profiles", e))?;
        text.push(b'\n');
        let path = self.path();
        let tmp = self
            .dir
            .join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let write = || -> std::io::Result<()> {
            let mut f = private_file(&tmp)?;
            f.write_all(&text)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            if let Ok(d) = std::fs::File::open(&self.dir) {
                let _ = d.sync_all();
            }
            Ok(())
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            CliError::io(path.display(), e)
        })
    }
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| CliError::io(dir.display(), e))?;
    }
    let meta = std::fs::metadata(dir).map_err(|e| CliError::io(dir.display(), e))?;
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| CliError::io(format!("making {} private", dir.display()), e))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir.display(), e))
}

#[cfg(unix)]
fn warn_if_exposed(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            eprintln!(
                "warning: {} can be read by other users (mode {mode:o}); run: chmod 600 {}",
                path.display(),
                path.display()
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_exposed(_: &Path) {}
