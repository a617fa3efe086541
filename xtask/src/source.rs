//! Reading contract files (YAML or JSON) into `serde_json::Value`s.
//!
//! The upstream contract is YAML, the normalized document is JSON, and
//! `gen --from` accepts either; everything downstream works on one value
//! model, so conversion (and its error messages with line and column) lives
//! here.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Map, Number, Value};

/// Parses `text` as JSON when `name` ends in `.json`, else as YAML.
///
/// `name` is only used to pick the parser and to prefix error messages.
pub fn parse(name: &str, text: &str) -> Result<Value> {
    if name.ends_with(".json") {
        return serde_json::from_str(text).map_err(|e| {
            anyhow!(
                "{name}: JSON syntax error at line {}, column {}: {e}",
                e.line(),
                e.column()
            )
        });
    }
    let mut yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| match e.location() {
            Some(loc) => anyhow!(
                "{name}: YAML syntax error at line {}, column {}: {e}",
                loc.line(),
                loc.column()
            ),
            None => anyhow!("{name}: YAML error: {e}"),
        })?;
    yaml.apply_merge()
        .map_err(|e| anyhow!("{name}: YAML merge key error: {e}"))?;
    yaml_to_json(yaml).with_context(|| format!("{name}: unsupported YAML content"))
}

fn yaml_to_json(v: serde_yaml_ng::Value) -> Result<Value> {
    use serde_yaml_ng::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Value::Number(Number::from_f64(f).ok_or_else(|| anyhow!("non-finite number {n}"))?)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<Vec<_>>>()?,
        ),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => bail!("mapping key {other:?} is not a string"),
                };
                out.insert(key, yaml_to_json(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => bail!("YAML tag {} is not supported", t.tag),
    })
}

/// Lexically normalizes a relative path (`a/./b/../c` → `a/c`), keeping
/// leading `..` components. Files are identified by this normalized form.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

/// Displays a file id with forward slashes on every platform.
pub fn display(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A lazily filled cache of parsed files, addressed relative to the
/// directory of the entry file so that messages stay short and stable.
pub struct Sources {
    base: PathBuf,
    files: BTreeMap<PathBuf, Value>,
}

impl Sources {
    /// Creates a cache whose file ids are relative to `base`.
    pub fn new(base: PathBuf) -> Self {
        Self {
            base,
            files: BTreeMap::new(),
        }
    }

    /// Loads (once) and returns the file with id `id`.
    ///
    /// `referrer` describes who asked for it, for the error message.
    pub fn load(&mut self, id: &Path, referrer: &str) -> Result<&Value> {
        if !self.files.contains_key(id) {
            let full = self.base.join(id);
            let name = display(id);
            let text = std::fs::read_to_string(&full)
                .map_err(|e| anyhow!("cannot read `{name}` ({referrer}): {e}"))?;
            let value = parse(&name, &text)
                .map_err(|e| anyhow!("{e} (loading `{name}` for {referrer})"))?;
            self.files.insert(id.to_path_buf(), value);
        }
        Ok(&self.files[id])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numbers_keys_and_nesting() {
        let v = parse("x.yaml", "a:\n  200: {b: [1, 2.5, true, null]}\n").unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a": {"200": {"b": [1, 2.5, true, null]}}})
        );
    }

    #[test]
    fn yaml_error_has_line_and_column() {
        let err = parse("bad.yaml", "a: b\n  c: [\n").unwrap_err().to_string();
        assert!(
            err.starts_with("bad.yaml: YAML syntax error at line 2, column"),
            "{err}"
        );
    }

    #[test]
    fn json_error_has_line_and_column() {
        let err = parse("bad.json", "{\n  \"a\": }").unwrap_err().to_string();
        assert!(
            err.starts_with("bad.json: JSON syntax error at line 2, column 8"),
            "{err}"
        );
    }

    #[test]
    fn normalize_paths() {
        assert_eq!(
            normalize(Path::new("paths/x/../../components/./a.yaml")),
            PathBuf::from("components/a.yaml")
        );
        assert_eq!(normalize(Path::new("../a/b")), PathBuf::from("../a/b"));
    }
}
