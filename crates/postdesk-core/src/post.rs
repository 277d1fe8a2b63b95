//! A post's text split the way Jekyll splits it: the YAML front matter block and the body.
//! The split is by byte ranges, so joining the parts gives back the exact text.
//! Not for: reading or writing files (see `document`), or rendering (see `render`).

use serde_yaml::{Mapping, Value};

use crate::yaml::{self, DuplicateKey, YamlError};

/// A post's text, split into front matter and body without copying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post<'a> {
    /// The YAML between the `---` lines, when the text starts with a front matter block.
    pub front_matter: Option<&'a str>,
    /// Everything after the closing `---` (or the whole text when there is no front matter).
    pub body: &'a str,
    /// The 1-based line of the text on which the body starts.
    pub body_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("front matter line {line}, column {column}: {message}")]
    Yaml {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("front matter must be a list of `key: value` lines, not {found}")]
    NotAMapping { found: &'static str },
}

impl<'a> Post<'a> {
    /// Splits as Jekyll does (`YAML_FRONT_MATTER_REGEXP`): a first line `---`, then everything up
    /// to a line that is `---` or `...` (trailing blanks allowed).
    pub fn split(text: &'a str) -> Post<'a> {
        let no_front_matter = Post {
            front_matter: None,
            body: text,
            body_line: 1,
        };
        let Some(first_end) = text.find('\n') else {
            return no_front_matter;
        };
        if text[..first_end].trim_end() != "---" {
            return no_front_matter;
        }
        let yaml_start = first_end + 1;
        let mut line_start = yaml_start;
        let mut line_no = 2;
        while line_start <= text.len() {
            let line_end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            let line = text[line_start..line_end].trim_end();
            if line == "---" || line == "..." {
                let body_start = (line_end + 1).min(text.len());
                return Post {
                    front_matter: Some(&text[yaml_start..line_start]),
                    body: &text[body_start..],
                    body_line: line_no + 1,
                };
            }
            if line_end == text.len() {
                break;
            }
            line_start = line_end + 1;
            line_no += 1;
        }
        no_front_matter
    }

    /// Parses the front matter as a YAML mapping as Jekyll reads it (see `yaml`): a key given
    /// twice keeps its last value. No front matter is an empty mapping. Line numbers in errors
    /// count from the top of the file.
    pub fn front_matter_map(&self) -> Result<Mapping, FrontMatterError> {
        self.front_matter_with_duplicates().map(|(map, _)| map)
    }

    /// The front matter as `front_matter_map` reads it, and the keys it gives twice, with their
    /// lines in the file.
    pub fn front_matter_with_duplicates(
        &self,
    ) -> Result<(Mapping, Vec<DuplicateKey>), FrontMatterError> {
        let Some(text) = self.front_matter else {
            return Ok((Mapping::new(), Vec::new()));
        };
        let loaded = yaml::load(text).map_err(|e| yaml_error(text, e))?;
        let map = match loaded.value {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            Value::Sequence(_) => return Err(FrontMatterError::NotAMapping { found: "a list" }),
            _ => {
                return Err(FrontMatterError::NotAMapping {
                    found: "a single value",
                })
            }
        };
        // The front matter starts on the file's line 2.
        let duplicates = loaded
            .duplicates
            .into_iter()
            .map(|d| DuplicateKey {
                first_line: d.first_line + 1,
                line: d.line + 1,
                ..d
            })
            .collect();
        Ok((map, duplicates))
    }

    /// The front matter for an edit: a key given twice is refused, as an edit could not tell
    /// which of the two it changes.
    pub fn front_matter_to_edit(&self) -> Result<Mapping, FrontMatterError> {
        let (map, duplicates) = self.front_matter_with_duplicates()?;
        refuse_duplicates(&duplicates)?;
        Ok(map)
    }
}

/// An edit's refusal of a front matter that gives a key twice (it cannot tell which is meant).
pub(crate) fn refuse_duplicates(duplicates: &[DuplicateKey]) -> Result<(), FrontMatterError> {
    match duplicates.first() {
        Some(d) => Err(FrontMatterError::Yaml {
            line: d.line,
            column: 1,
            message: format!("`{}` is set twice; remove one of them", d.key),
        }),
        None => Ok(()),
    }
}

/// A YAML error as a writer can act on it: the file line of the fault (the front matter starts
/// on line 2), and what to do about a tab, which the parser words obscurely.
fn yaml_error(yaml: &str, e: YamlError) -> FrontMatterError {
    let text_line = yaml.lines().nth(e.line.saturating_sub(1)).unwrap_or("");
    let indent = &text_line[..text_line.len() - text_line.trim_start().len()];
    let (column, message) = if indent.contains('\t') {
        (
            1,
            "this line is indented with a tab; YAML needs spaces".to_owned(),
        )
    } else {
        (e.column, e.message)
    };
    FrontMatterError::Yaml {
        line: e.line + 1,
        column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_jekyll_and_joins_exactly() {
        let text = "---\ntitle: \"x\"\ntag: [a, b]\n---\n\n# Body\n";
        let post = Post::split(text);
        assert_eq!(post.front_matter, Some("title: \"x\"\ntag: [a, b]\n"));
        assert_eq!(post.body, "\n# Body\n");
        assert_eq!(post.body_line, 5);
        let fm = post.front_matter.unwrap();
        assert_eq!(format!("---\n{fm}---\n{}", post.body), text);
    }

    #[test]
    fn dots_close_front_matter_and_blanks_are_allowed() {
        let post = Post::split("---  \na: 1\n...\nbody");
        assert_eq!(post.front_matter, Some("a: 1\n"));
        assert_eq!(post.body, "body");
    }

    #[test]
    fn no_closing_line_means_no_front_matter() {
        let text = "---\ntitle: x\nno end";
        assert_eq!(Post::split(text).front_matter, None);
        assert_eq!(Post::split(text).body, text);
        assert_eq!(Post::split("# just text").front_matter, None);
    }

    #[test]
    fn empty_front_matter_and_end_of_file() {
        let post = Post::split("---\n---");
        assert_eq!(post.front_matter, Some(""));
        assert_eq!(post.body, "");
        assert!(post.front_matter_map().unwrap().is_empty());
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let post = Post::split("---\ntitle: ok\nbad: [unclosed\n---\n");
        match post.front_matter_map() {
            Err(FrontMatterError::Yaml { line, .. }) => assert!(line >= 3, "line {line}"),
            other => panic!("expected a YAML error, got {other:?}"),
        }
        assert_eq!(
            Post::split("---\n- a\n---\n").front_matter_map(),
            Err(FrontMatterError::NotAMapping { found: "a list" })
        );
    }
}
