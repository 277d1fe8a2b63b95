//! kramdown's HTML in markdown (parser/kramdown/html.rb, parser/html.rb). STUB.

use crate::{BlockResult, Parser};

crate::re!(HTML_BLOCK_START = r"x\A");

crate::re!(
    HTML_SPAN_START = r"<(?:(?:[\p{Alphabetic}_][\-\p{Alphabetic}\p{Nd}._]*:)?[\p{Alphabetic}_][\-\p{Alphabetic}\p{Nd}._]*|!--|/)"
);

/// Where the span HTML parser may start, for the span parsers' union (kramdown's
/// `define_parser(:span_html, HTML_SPAN_START, '<')`).
pub(crate) const HTML_SPAN_START_STR: &str = "<";

impl Parser {
    pub(crate) fn parse_block_html(&mut self) -> BlockResult {
        BlockResult::NotHere
    }
    pub(crate) fn parse_span_html(&mut self) {}
}
