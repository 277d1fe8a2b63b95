//! kramdown's HTML in markdown (parser/kramdown/html.rb, parser/html.rb). STUB.

use crate::{BlockResult, Parser};

crate::re!(HTML_BLOCK_START = r"x\A");

/// kramdown's `HTML_SPAN_START`: `<` and a tag name (REXML's `UNAME_STR`), `!--` or `/`.
pub(crate) const HTML_SPAN_START_STR: &str = r"<(?:(?:[\p{Alphabetic}_][-\p{Alphabetic}\p{Nd}._]*:)?[\p{Alphabetic}_][-\p{Alphabetic}\p{Nd}._]*|!--|/)";
crate::re!(HTML_SPAN_START = HTML_SPAN_START_STR);

impl Parser {
    pub(crate) fn parse_block_html(&mut self) -> BlockResult {
        BlockResult::NotHere
    }
    pub(crate) fn parse_span_html(&mut self) {}
}
